/**
 * What a proxy relay (sans-io, like the client sessions) asks the connection that runs it to do: bytes
 * for either leg, events to show and record, the client leg's TLS upgrade, the end of both legs.
 */
import type { SessionEvent } from '../session/events.js';

export type RelayAction =
  /** Write these bytes to the server. */
  | { type: 'to-server'; bytes: Buffer }
  /** Write these bytes to the client. */
  | { type: 'to-client'; bytes: Buffer }
  /**
   * Show (and record) this event. `own`: a reply the proxy gave itself (to STARTTLS, COMPRESS), shown
   * but not recorded, so that the recording holds what passed between the client and the server.
   */
  | { type: 'show'; event: SessionEvent; own?: boolean }
  /** A SASL exchange relayed was this user's login: a recording declares it (`# secret: USER`). */
  | { type: 'secret-user'; user: string }
  /** The proxy said OK to the client's STARTTLS / STLS (already written): upgrade the client's leg now. */
  | { type: 'client-tls' }
  /**
   * The server said OK to COMPRESS DEFLATE and that OK has been queued for the client (RFC 4978 §3):
   * both legs are deflated from the next octet on. `serverPending` is what the server sent after its
   * OK in the same read, already deflated.
   */
  | { type: 'compress'; serverPending: Buffer }
  /** The relay cannot go on (unframable bytes): end both legs. */
  | { type: 'close'; reason: string }
  /**
   * A complete client command, or a line answering a continuation request, was read (not a line
   * that announces a literal, nor a literal): the proxy's --max-idle runs from the last.
   */
  | { type: 'client-command' }
  /** The server accepted the client's login (or greeted with PREAUTH): --max-time-before-login no longer applies. */
  | { type: 'logged-in' };

/** What a relay knows of the legs when it starts. */
export interface RelayOptions {
  /** The proxy has a certificate, so it can answer the client's STARTTLS / STLS. */
  canStartTls: boolean;
  /** The client's leg is TLS from the first byte. */
  clientSecure: boolean;
  /** The server's leg is TLS (implicit, or upgraded before the greeting was relayed). */
  serverSecure: boolean;
  /** Follow COMPRESS=DEFLATE on both legs (default); false answers it NO and hides it (--no-compress). */
  followCompress?: boolean;
  /** Cap on one line of the server's, in octets. */
  maxLineBytes?: number;
  /** Cap on one line of the client's, in octets (the servers' --max-line). */
  maxClientLineBytes?: number;
}

/** The interface both protocols' relays share. */
export interface Relay {
  fromClient(chunk: Buffer): RelayAction[];
  fromServer(chunk: Buffer): RelayAction[];
  /** The client's leg finished its TLS handshake. */
  clientTlsEstablished(): void;
  /** Ends an open client line (a literal cut short): events to show before the close. */
  finish(): RelayAction[];
}

/** Collects actions; a relay drains it once per call. */
export class RelayQueue {
  private items: RelayAction[] = [];
  private readonly noted = new Set<string>();

  push(action: RelayAction): void {
    this.items.push(action);
  }

  show(event: SessionEvent): void {
    this.items.push({ type: 'show', event });
  }

  /** One side's bytes cannot be framed (a line over the cap, a literal too large): both legs end. */
  fail(side: 'the client' | 'the server', message: string): void {
    this.items.push({ type: 'close', reason: `${side}: ${message}` });
  }

  /** An event of the proxy's own exchange with the client: shown, not recorded. */
  showOwn(event: SessionEvent): void {
    this.items.push({ type: 'show', event, own: true });
  }

  /** A note of the proxy's, shown once per connection however often its cause repeats. */
  noteOnce(text: string): void {
    if (this.noted.has(text)) return;
    this.noted.add(text);
    this.show({ kind: 'notice', level: 'info', text: `proxy: ${text}` });
  }

  drain(): RelayAction[] {
    const out = this.items;
    this.items = [];
    return out;
  }
}
