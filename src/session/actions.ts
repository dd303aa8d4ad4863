/**
 * What a sans-io session asks its runner to do. Sessions never touch sockets: they take server bytes
 * and user commands in, and hand back actions; the runner performs them in order.
 */
import type { MailwireError } from '../errors.js';
import { englishNotice, noticeText, type NoticeKey } from '../protocol/explain/notices.js';
import type { SaidValues } from '../protocol/explain/said.js';
import type { SessionEvent } from './events.js';

export type SessionAction =
  /** Write these bytes to the server. */
  | { type: 'send'; bytes: Buffer }
  /** Show (and record) this event. */
  | { type: 'show'; event: SessionEvent }
  /**
   * The server said OK to STARTTLS/STLS: upgrade the connection now. Bytes of this batch that came
   * after the OK have already been dropped by the session; the transport drops any that arrive before
   * the handshake.
   */
  | { type: 'start-tls' }
  /**
   * The server said OK to COMPRESS DEFLATE (RFC 4978 §3): from now on both directions are raw deflate.
   * `pending` holds the octets that came after the OK in the same read: already compressed.
   */
  | { type: 'start-compression'; pending: Buffer }
  /** A command finished (tagged completion, POP3 reply or end of multi-line reply). */
  | { type: 'completed'; id: number; ok: boolean }
  /** The session cannot go on (unframable server output). */
  | { type: 'fatal'; error: MailwireError };

/** Collects actions; keeps the session code free of array plumbing. */
export class ActionQueue {
  private items: SessionAction[] = [];

  send(bytes: Buffer): void {
    this.items.push({ type: 'send', bytes });
  }

  show(event: SessionEvent): void {
    this.items.push({ type: 'show', event });
  }

  /** A notice of notices-en.ts: its English text, and the sentence as data for the display's language. */
  notice(level: 'info' | 'warning' | 'error', key: NoticeKey, values?: SaidValues<NoticeKey>): void {
    this.show(noticeEvent(level, key, values));
  }

  push(action: SessionAction): void {
    this.items.push(action);
  }

  /** Returns the collected actions and starts a new batch. */
  drain(): SessionAction[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}

/**
 * Octets of lines a session takes in one receive() (receiveLength()): the actions of a receive()
 * live until the runner has performed them all, and for lines that is objects of each response.
 * 64 KiB, what Node.js reads from a socket at a time, keeps that as it was before reads grew.
 */
export const RECEIVE_LINE_OCTETS = 64 * 1024;

/** The notice event of `key` with `values`: the English sentence, and the sentence as data. */
export function noticeEvent(level: 'info' | 'warning' | 'error', key: NoticeKey, values?: SaidValues<NoticeKey>): SessionEvent {
  const said = noticeText(key, values);
  return { kind: 'notice', level, text: englishNotice(said), said };
}
