/**
 * The parts of a session a server will not repeat, written as patterns when a session is recorded, so
 * that a recording replays tomorrow, against a fresh server, without hand editing. What they are is
 * the table in volatile-values.ts (docs/volatile-values.md):
 *
 *  - values found in the line itself (UIDVALIDITY captured as `$uidvalidity` so that later lines are
 *    held to the same value, INTERNALDATE, SAVEDATE, MODSEQ, the RFC 8474 ids, Cyrus's SESSIONID,
 *    Dovecot's and Cyrus's timings, ...): volatile-rewrite.ts, which replay runs too;
 *  - values known by the conversation, kept here: the POP3 greeting's APOP timestamp (RFC 1939 §7)
 *    as `<$>`, POP3 UIDL unique-ids as `$`, SASL challenges during AUTHENTICATE / AUTH (nonces,
 *    RFC 2195 §2, RFC 5802 §5) as `+ $`.
 *
 * Everything else is written as it was, with "$" doubled so it reads back as itself. Lines of literal
 * data are never touched: their octet counts must stay true. Pure.
 */
import { greetingTimestamp } from '../protocol/pop3/apop.js';
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { escapePatternText } from './pattern.js';
import { VolatileRewriter } from './volatile-rewrite.js';

export class RecordingPatterns {
  private readonly imap = new VolatileRewriter('imap');
  private readonly pop3 = new VolatileRewriter('pop3');
  private imapGreetingSeen = false;
  /** POP3: the command whose reply is being recorded. */
  private pop3Command: { name: string; args: number } | null = null;
  private pop3GreetingSeen = false;
  /** An AUTHENTICATE / AUTH exchange is going on: its challenges are the server's nonces. */
  private sasl = false;

  /** A line the client sent (not literal data); `command` for the first line of a command. */
  clientLine(text: string, protocol: 'imap' | 'pop3', command = true): string {
    if (command) {
      const words = text.trim().split(/\s+/);
      if (protocol === 'pop3') this.pop3Command = { name: (words[0] ?? '').toUpperCase(), args: words.length - 1 };
      const name = (protocol === 'imap' ? words[1] : words[0]) ?? '';
      this.sasl = /^(?:AUTHENTICATE|AUTH)$/i.test(name) && words.length > (protocol === 'imap' ? 2 : 1);
    }
    return escapePatternText(text);
  }

  /** A SASL challenge ("+ " and base64) during an exchange becomes `+ $`. */
  private challenge(text: string): string | null {
    return this.sasl && /^\+ \S/.test(text) ? '+ $' : null;
  }

  /** A segment of an IMAP response (display text); `first` for the one with the tag. */
  imapSegment(text: string, first: boolean): string {
    if (first) {
      const challenge = this.challenge(text);
      if (challenge) return challenge;
      if (!text.startsWith('*') && !text.startsWith('+')) this.sasl = false;
    }
    const greeting = first && !this.imapGreetingSeen && !isPreliminaryGreeting(text, 'imap');
    if (greeting) this.imapGreetingSeen = true;
    return this.imap.imapSegment(escapePatternText(text), first, greeting);
  }

  /** A POP3 status line (the greeting included). */
  pop3Status(text: string): string {
    const challenge = this.challenge(text);
    if (challenge) return challenge;
    if (!text.startsWith('+ ') && text !== '+') this.sasl = false;
    let out = escapePatternText(text);
    if (!this.pop3GreetingSeen && /^\+OK/.test(text) && !isPreliminaryGreeting(text, 'pop3')) {
      this.pop3GreetingSeen = true;
      const timestamp = greetingTimestamp(text);
      if (timestamp) out = out.replace(escapePatternText(timestamp), () => '<$>');
      return this.pop3.pop3Status(out, true);
    }
    out = this.pop3.pop3Status(out);
    // `UIDL n` answers `+OK n unique-id`.
    if (this.pop3Command?.name === 'UIDL' && this.pop3Command.args > 0) out = out.replace(/^(\+OK \S+ )\S+/, (_, head: string) => `${head}$`);
    return out;
  }

  /** A line of a POP3 multi-line body, as on the wire. */
  pop3BodyLine(text: string): string {
    const out = escapePatternText(text);
    if (this.pop3Command?.name === 'UIDL') return out.replace(/^(\S+ )\S+$/, (_, head: string) => `${head}$`);
    return out;
  }
}
