/**
 * Turns what the client sends (text segments, literal data, secrets) into the display lines of a
 * transcript: split at CRLF, a literal that does not end in CRLF joined with the text after it, as the
 * RFCs print it. Every line comes out in display form (render/escape.ts), made from what went on the
 * wire, so that a recording reads back as the octets that were sent. Pure.
 */
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { displayForm, joinDisplayForms } from '../protocol/display-form.js';
import type { ClientLinePart, Protocol, SessionEvent } from './events.js';

const CRLF = Buffer.from('\r\n');

export class ClientLineWriter {
  private partial: { text: string; part: ClientLinePart } | null = null;

  constructor(private readonly protocol: Protocol) {}

  /**
   * A line followed by CRLF on the wire, in display form already (displayForm of its octets,
   * displayFormOfText of the text sent), secrets masked.
   */
  line(shown: string, part: ClientLinePart): SessionEvent[] {
    return [this.lineEvent(shown, part)];
  }

  /** line()'s one event itself (for each segment of every command sent: no array around it). */
  lineEvent(shown: string, part: ClientLinePart): SessionEvent {
    const partial = this.partial;
    if (partial === null) return { kind: 'client-line', protocol: this.protocol, text: shown, part };
    this.partial = null;
    const text = joinDisplayForms(partial.text, shown);
    return { kind: 'client-line', protocol: this.protocol, text, part: partial.part, literalChars: text.length - shown.length };
  }

  /** Literal octets: whole lines are shown, a trailing partial line waits for what follows it. */
  literal(data: Buffer, secret: boolean): SessionEvent[] {
    if (secret) return this.line(SECRET_PLACEHOLDER, 'literal');
    const events: SessionEvent[] = [];
    let from = 0;
    for (let crlf = data.indexOf(CRLF); crlf >= 0; crlf = data.indexOf(CRLF, from)) {
      events.push(this.lineEvent(displayForm(data.subarray(from, crlf)), 'literal'));
      from = crlf + 2;
    }
    if (from < data.length) {
      const last = displayForm(data.subarray(from));
      this.partial = { text: this.partial === null ? last : joinDisplayForms(this.partial.text, last), part: this.partial?.part ?? 'literal' };
    }
    return events;
  }
}
