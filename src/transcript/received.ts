/**
 * What a live server said, as the matcher wants it: whole responses in display form. Session events
 * go through the same renderer that writes `--record` files, so a received line is compared with a
 * transcript line in the very form mailwire would have recorded it (escapes included). Pure.
 */
import { parseImapResponseHead, type ImapResponseHead } from '../protocol/imap/response.js';
import { escapeServerText } from '../render/escape.js';
import { TranscriptRenderer } from '../render/transcript-renderer.js';
import type { SessionEvent } from '../session/events.js';
import type { ReceivedResponse } from './match.js';

/** A tag of ASCII alone reads the same decoded as latin1 (as the session reads it) and as UTF-8. */
const ASCII = /^[\x00-\x7f]*$/;

/**
 * The kind and tag of a response from its first segment: the session's parse when the event carries
 * it, unless its tag holds other than ASCII (the transcript has the UTF-8 reading of such a tag).
 * The kind is the same either way: it rests on the octets "+", "*" and SP alone.
 */
function responseHead(e: Extract<SessionEvent, { kind: 'imap-segment' }>): ImapResponseHead {
  const head = e.head;
  if (head !== undefined && (head.kind !== 'tagged' || ASCII.test(head.tag))) return head;
  return parseImapResponseHead(e.bytes.toString('utf8'));
}

/** Strips the `S: ` / `S:` prefix the renderer put before each server line. */
function stripPrefix(line: string): string {
  return line.startsWith('S: ') ? line.slice(3) : line.startsWith('S:') ? line.slice(2) : line;
}

/** What push() returns for an event that completes no response: one array for all of them, never written to. */
const NONE: readonly ReceivedResponse[] = Object.freeze([]);

export class ReceivedCollector {
  /** Made at the first event that needs it: a replay of one-line responses never does. */
  private lazyRenderer: TranscriptRenderer | null = null;
  private get renderer(): TranscriptRenderer {
    this.lazyRenderer ??= new TranscriptRenderer({ colorLevel: 0, annotate: false });
    return this.lazyRenderer;
  }
  private current: { kind: ReceivedResponse['kind']; tag: string | null; text: string } | null = null;
  /** The last continuation request, until we see whether a literal went out in answer to it. */
  private lastContinuation: ReceivedResponse | null = null;
  /** The renderer holds no open line and no literal: a one-line response can skip it (imapSegment). */
  private rendererIdle = true;

  /**
   * Takes one event; returns the responses it completes. Client lines matter only to tell a "+"
   * that asked for a literal from one that asked for an AUTHENTICATE or IDLE answer.
   */
  push(event: SessionEvent): readonly ReceivedResponse[] {
    switch (event.kind) {
      case 'imap-segment':
        return this.imapSegment(event);
      case 'imap-literal-data':
      case 'imap-literal-end':
        this.rendererIdle = false;
        if (this.current) this.current.text += this.renderer.render(event);
        return NONE;
      case 'pop3-status': {
        const text = event.bytes.toString('latin1');
        const kind = text === '+' || text.startsWith('+ ') ? 'continuation' : 'status';
        return [this.single(kind, event)];
      }
      case 'pop3-body-line':
        return [this.single('body', event)];
      case 'pop3-end':
        return [this.single('end', event)];
      case 'client-line':
        if ((event.part === 'literal' || event.part === 'continued') && this.lastContinuation) this.lastContinuation.forLiteral = true;
        this.lastContinuation = null;
        return NONE;
      default:
        return NONE;
    }
  }

  private single(kind: ReceivedResponse['kind'], event: SessionEvent): ReceivedResponse {
    const text = this.renderer.render(event).replace(/\n$/, '');
    const response: ReceivedResponse = { kind, tag: null, lines: [stripPrefix(text)] };
    if (kind === 'continuation') this.lastContinuation = response;
    return response;
  }

  private imapSegment(e: Extract<SessionEvent, { kind: 'imap-segment' }>): readonly ReceivedResponse[] {
    if (e.first && e.literalSize === null && this.rendererIdle) {
      // A response of one line, the renderer holding no open line or literal: what it would write is
      // "S: " and the escaped line, so the line is taken as that directly, without the renderer's spans.
      const head = responseHead(e);
      this.current = null;
      const response: ReceivedResponse = { kind: head.kind, tag: head.kind === 'tagged' ? head.tag : null, lines: [escapeServerText(e.bytes)] };
      if (response.kind === 'continuation') this.lastContinuation = response;
      return [response];
    }
    // A segment without a literal after it leaves the renderer with nothing open; anything else may not.
    this.rendererIdle = e.literalSize === null;
    if (e.first || !this.current) {
      const head = responseHead(e);
      this.current = { kind: head.kind, tag: head.kind === 'tagged' ? head.tag : null, text: '' };
    }
    const current = this.current;
    current.text += this.renderer.render(e);
    if (e.literalSize !== null) return NONE;
    this.current = null;
    const response: ReceivedResponse = {
      kind: current.kind,
      tag: current.tag,
      lines: current.text.replace(/\n$/, '').split('\n').map(stripPrefix),
    };
    if (response.kind === 'continuation') this.lastContinuation = response;
    return [response];
  }
}
