/**
 * Runs one SASL exchange (RFC 4422) inside an IMAP AUTHENTICATE (RFC 3501 §6.2.2, SASL-IR RFC 4959)
 * or a POP3 AUTH (RFC 5034): base64 in both directions, and what to show of each message. Every
 * base64 line is shown as it went over the wire (or as SECRET_PLACEHOLDER when it carries a secret)
 * followed by a `sasl` event with the decoded content. Sans-io: the session feeds in the server's
 * continuation text and sends what comes out.
 */
import { MailwireError } from '../errors.js';
import type { SaslMechanism, SaslMessage, SaslNote } from '../protocol/sasl/mechanism.js';
import type { SessionEvent } from './events.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';

/** RFC 4648 §4 base64, padded, as RFC 3501 §6.2.2 and RFC 5034 §4 require; "" is an empty message. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A line to send, and how it is shown. */
export interface SaslLine {
  /** The base64 text (or "*" to cancel, "=" for an empty initial response). */
  wire: string;
  /** What is shown and recorded: the same, or SECRET_PLACEHOLDER. */
  shown: string;
}

export class SaslExchange {
  /** Set when mailwire cancelled the exchange: the session reports it once the server has answered. */
  failure: MailwireError | null = null;

  /** An initial response that did not fit on the command line: it answers the server's empty challenge. */
  private deferred: { line: SaslLine; events: SessionEvent[] } | null = null;

  /**
   * `opening`: whether the exchange opens with an initial response whatever the protocol allows, as a
   * recording shows (replay runs the recorded client's exchange again, with the recorded client's
   * choice: its challenges are the ones the transcript holds); absent, the session decides.
   */
  constructor(
    readonly mechanism: SaslMechanism,
    private readonly opening?: boolean,
  ) {}

  /** Keeps an initial response for the server's empty challenge (RFC 5034 §4: the line was too long). */
  defer(initial: { line: SaslLine; events: SessionEvent[] }): void {
    this.deferred = initial;
  }

  /**
   * The initial response for the command line (RFC 4959 §3, RFC 5034 §4), or null when the server
   * must speak first or `allowed` is false (no SASL-IR, or a line too long for POP3). An exchange
   * given its `opening` follows it instead, as far as the mechanism can.
   */
  initialResponse(allowed: boolean): { line: SaslLine; events: SessionEvent[] } | null {
    const opens = this.opening === undefined ? allowed && this.mechanism.clientFirst : this.opening && (this.mechanism.clientFirst || this.mechanism.mayRespondFirst === true);
    if (!opens) return null;
    const message = this.mechanism.initialResponse();
    // RFC 4959 §3 and RFC 5034 §4: "=" stands for an initial response of zero length.
    const line = this.line(message, '=');
    return { line, events: this.decoded('client', message) };
  }

  /**
   * A continuation request from the server, its text after "+ ". Returns the events to show (the
   * decoded challenge, what the mechanism concluded) and the answer; the answer's own decoded event
   * is in `after`, to show once the answer's line is.
   */
  challenge(text: string): { before: SessionEvent[]; line: SaslLine; after: SessionEvent[] } {
    const before: SessionEvent[] = [];
    const payload = text.trim();
    if (!BASE64.test(payload)) {
      this.failure = new MailwireError('auth', `${this.mechanism.name}: the server's challenge is not base64; exchange cancelled`);
      before.push({ kind: 'notice', level: 'error', text: this.failure.message });
      return { before, line: { wire: '*', shown: '*' }, after: [] };
    }
    if (this.deferred && payload === '') {
      const { line, events } = this.deferred;
      this.deferred = null;
      return { before, line: line.wire === '=' ? { wire: '', shown: '' } : line, after: events };
    }
    const outcome = this.mechanism.challenge(Buffer.from(payload, 'base64'));
    if (payload !== '') {
      before.push({ kind: 'sasl', mechanism: this.mechanism.name, from: 'server', step: outcome.step ?? '', text: outcome.shown });
    }
    if (outcome.note) before.push(this.note(outcome.note));
    if (outcome.response === null) {
      this.failure ??= new MailwireError('auth', outcome.note?.text ?? `${this.mechanism.name}: exchange cancelled`);
      return { before, line: { wire: '*', shown: '*' }, after: [] };
    }
    return { before, line: this.line(outcome.response, ''), after: this.decoded('client', outcome.response) };
  }

  /** The server's verdict: what the mechanism adds (SCRAM: a server that never proved itself). */
  completed(ok: boolean): SessionEvent[] {
    const note = this.mechanism.completed(ok);
    return note ? [this.note(note)] : [];
  }

  private line(message: SaslMessage, empty: string): SaslLine {
    const wire = message.data.length === 0 ? empty : message.data.toString('base64');
    return { wire, shown: message.secret ? SECRET_PLACEHOLDER : wire };
  }

  private decoded(from: 'client' | 'server', message: SaslMessage): SessionEvent[] {
    if (message.data.length === 0) return [];
    return [{ kind: 'sasl', mechanism: this.mechanism.name, from, step: message.step ?? '', text: message.shown }];
  }

  private note(note: SaslNote): SessionEvent {
    return note.said === undefined ? { kind: 'notice', level: note.level, text: note.text } : { kind: 'notice', level: note.level, text: note.text, said: note.said };
  }
}
