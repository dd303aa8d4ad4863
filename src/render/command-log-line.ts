/**
 * One line of the sandbox's live log per command a client sent: when, which connection, who, what.
 *
 *   2026-12-03T23:41:07.512Z imap#17 student07 C: a3 SELECT INBOX
 *
 * Secrets are masked by the very functions `--record` uses (protocol/imap/request.ts,
 * protocol/pop3/commands.ts): LOGIN's password (on the line or as a literal), AUTHENTICATE's
 * initial response and continuation lines, POP3 PASS, a non-digest APOP argument, AUTH's responses.
 * Every byte is escaped (escape.ts): CRLF between a command's segments and literals reads `\x0d\x0a`,
 * so one command is one line however it was sent. A line shows at most MAX_SHOWN_OCTETS of the
 * command, then how many more octets there were: an APPEND's message does not fill the log.
 */
import { isUtf8 } from 'node:buffer';
import { maskImapCommand, maskImapContinuationResponse } from '../protocol/imap/request.js';
import { maskPop3AuthResponse, maskPop3Secrets, type MaskedLine } from '../protocol/pop3/commands.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import type { CommandLogEntry, LoggedCommand } from '../sandbox/command-log.js';
import { escapeDisplayText, escapeServerText } from './escape.js';

/** Octets of a command shown in its line; the rest is counted. */
export const MAX_SHOWN_OCTETS = 400;

const CRLF = Buffer.from('\r\n');
const SECRET = Buffer.from(SECRET_PLACEHOLDER);

/**
 * Text for the masking functions, and back to bytes after: UTF-8 when the bytes are UTF-8 (as a
 * typed command is), else latin1, so that no byte is lost or changed on the way.
 */
function masked(bytes: Buffer, mask: (text: string) => string): Buffer {
  const encoding = isUtf8(bytes) ? 'utf8' : 'latin1';
  return Buffer.from(mask(bytes.toString(encoding)), encoding);
}

/** The first MAX_SHOWN_OCTETS of the parts, and how many octets they hold in all. */
class ShownOctets {
  private readonly parts: Buffer[] = [];
  private shown = 0;
  total = 0;

  add(bytes: Buffer): void {
    this.total += bytes.length;
    const room = MAX_SHOWN_OCTETS - this.shown;
    if (room <= 0) return;
    const piece = bytes.length > room ? bytes.subarray(0, room) : bytes;
    this.parts.push(piece);
    this.shown += piece.length;
  }

  /** Room left: what is past it need not be looked at (only counted). */
  get full(): boolean {
    return this.shown >= MAX_SHOWN_OCTETS;
  }

  text(): string {
    const shown = escapeServerText(Buffer.concat(this.parts, this.shown));
    return this.total > this.shown ? `${shown} … (${this.total - this.shown} more octets)` : shown;
  }
}

/** A prefix long enough for the line: masking looks no further (a cut secret is masked to the cut). */
const head = (bytes: Buffer): Buffer => (bytes.length > MAX_SHOWN_OCTETS + 1 ? bytes.subarray(0, MAX_SHOWN_OCTETS + 1) : bytes);

function imapCommandText(segments: readonly Buffer[], literals: readonly Buffer[]): string {
  const out = new ShownOctets();
  const heads = segments.map(head);
  const encodings = heads.map((b) => (isUtf8(b) ? 'utf8' : 'latin1') as BufferEncoding);
  const mask = maskImapCommand(heads.map((b, i) => b.toString(encodings[i])));
  segments.forEach((segment, i) => {
    // A masked segment ends in the secret: nothing after the mask is shown or counted.
    if (mask.segmentSecret[i]) out.add(Buffer.from(mask.segments[i] ?? '', encodings[i]));
    else out.add(segment);
    const literal = literals[i];
    if (literal === undefined) return;
    out.add(CRLF);
    // A literal whose place is not known (its marker was past the cut) is taken as a secret.
    const secret = mask.literalSecret[i] ?? mask.spec?.secretArgsFrom !== undefined;
    out.add(secret ? SECRET : literal);
  });
  if (segments.length === 0) return '(the command went over a limit and was not kept)';
  return out.text();
}

/** One line, masked by `mask`; a masked line ends in the secret, so nothing after it is counted. */
function lineText(line: Buffer, mask: (text: string) => MaskedLine): string {
  const out = new ShownOctets();
  let secret = false;
  out.add(
    masked(head(line), (t) => {
      const m = mask(t);
      secret = m.secretFound;
      return m.masked;
    }),
  );
  if (!secret) out.total += line.length - head(line).length;
  return out.text();
}

function commandText(command: LoggedCommand): string {
  if (command.protocol === 'imap') {
    if (command.kind === 'command') return imapCommandText(command.segments, command.literals);
    return lineText(command.line, (t) => maskImapContinuationResponse(command.command, t));
  }
  return lineText(command.line, (t) => (command.kind === 'auth-response' ? maskPop3AuthResponse(t) : maskPop3Secrets(t)));
}

/** The log line of one command (no line end). */
export function formatCommandLogLine(entry: CommandLogEntry): string {
  const who = entry.user === null ? '-' : escapeDisplayText(entry.user);
  return `${entry.at.toISOString()} ${entry.command.protocol}#${entry.connection} ${who} C: ${commandText(entry.command)}`;
}
