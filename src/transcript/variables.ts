/**
 * The parts of a session a server will not repeat, written as patterns when a session is recorded, so
 * that a recording replays tomorrow, against a fresh server, without hand editing:
 *
 *  - IMAP UIDVALIDITY (RFC 3501 §2.3.1.1), in `[UIDVALIDITY n]`, STATUS data and the UIDPLUS codes
 *    `[APPENDUID n ...]` / `[COPYUID n ...]` (RFC 4315): captured as `$uidvalidity` (`$uidvalidity2`
 *    for a second mailbox's), so that later lines are held to the same value;
 *  - IMAP INTERNALDATE values (RFC 3501 §2.3.3): `$`;
 *  - timings servers put in completion texts, Dovecot's `(0.001 + 0.000 secs)`: `$`;
 *  - the POP3 greeting's APOP timestamp (RFC 1939 §7: different for every greeting): `<$>`;
 *  - POP3 UIDL unique-ids (RFC 1939 §7; Dovecot derives them from UIDVALIDITY): `$`;
 *  - SASL challenges during AUTHENTICATE / AUTH (nonces, RFC 2195 §2, RFC 5802 §5): `+ $`.
 *
 * Everything else is written as it was, with "$" doubled so it reads back as itself. Lines of literal
 * data are never touched: their octet counts must stay true. Pure.
 */
import { greetingTimestamp } from '../protocol/pop3/apop.js';
import { escapePatternText } from './pattern.js';

const UIDVALIDITY = /(\bUIDVALIDITY |\[(?:APPENDUID|COPYUID) )(\d+)/gi;
const INTERNALDATE = /\bINTERNALDATE "[^"]*"/gi;
/** `(0.001 + 0.000 secs)` (Dovecot), `(0.000 secs 3 calls)`, `(1 msgs in 0.000 secs)` (Cyrus). */
const TIMING = /\((?:[^()]*\s)?\d+\.\d+ secs?(?:\s[^()]*)?\)/g;

export class RecordingPatterns {
  /** UIDVALIDITY values seen, and the capture each got. */
  private readonly uidvalidities = new Map<string, string>();
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
    let out = escapePatternText(text)
      .replace(UIDVALIDITY, (_, head: string, value: string) => `${head}$${this.uidvalidityName(value)}`)
      .replace(INTERNALDATE, () => 'INTERNALDATE $');
    if (first && !out.startsWith('*') && !out.startsWith('+')) out = out.replace(TIMING, () => '$');
    return out;
  }

  /** A POP3 status line (the greeting included). */
  pop3Status(text: string): string {
    const challenge = this.challenge(text);
    if (challenge) return challenge;
    if (!text.startsWith('+ ') && text !== '+') this.sasl = false;
    let out = escapePatternText(text);
    if (!this.pop3GreetingSeen && /^\+OK/.test(text) && !/^\+OK Waiting for authentication/i.test(text)) {
      this.pop3GreetingSeen = true;
      const timestamp = greetingTimestamp(text);
      if (timestamp) out = out.replace(escapePatternText(timestamp), () => '<$>');
      return out;
    }
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

  private uidvalidityName(value: string): string {
    let name = this.uidvalidities.get(value);
    if (name === undefined) {
      name = this.uidvalidities.size === 0 ? 'uidvalidity' : `uidvalidity${this.uidvalidities.size + 1}`;
      this.uidvalidities.set(value, name);
    }
    return name;
  }
}
