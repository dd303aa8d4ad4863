/**
 * Turns what the client sends (text segments, literal data, secrets) into the display lines of a
 * transcript: split at CRLF, a literal that does not end in CRLF joined with the text after it, as the
 * RFCs print it. Pure.
 */
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import type { ClientLinePart, Protocol, SessionEvent } from './events.js';

export class ClientLineWriter {
  private partial: { text: string; part: ClientLinePart } | null = null;

  constructor(private readonly protocol: Protocol) {}

  /** Text followed by CRLF on the wire. */
  line(text: string, part: ClientLinePart): SessionEvent[] {
    return [this.lineEvent(text, part)];
  }

  /** line()'s one event itself (for each segment of every command sent: no array around it). */
  lineEvent(text: string, part: ClientLinePart): SessionEvent {
    const partial = this.partial;
    if (partial === null) return { kind: 'client-line', protocol: this.protocol, text, part };
    this.partial = null;
    return { kind: 'client-line', protocol: this.protocol, text: partial.text + text, part: partial.part };
  }

  /** Literal octets: whole lines are shown, a trailing partial line waits for what follows it. */
  literal(data: Buffer, secret: boolean): SessionEvent[] {
    if (secret) return this.line(SECRET_PLACEHOLDER, 'literal');
    const events: SessionEvent[] = [];
    const lines = data.toString('utf8').split('\r\n');
    const last = lines.pop() ?? '';
    for (const l of lines) events.push(...this.line(l, 'literal'));
    if (last !== '') this.partial = { text: (this.partial?.text ?? '') + last, part: this.partial?.part ?? 'literal' };
    return events;
  }
}
