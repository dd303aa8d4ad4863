/**
 * Lexers: give already-escaped protocol text semantic roles. They never change text: the spans of a
 * lexer concatenate to exactly its input, whatever the input (a server may send anything). Grammar is
 * followed loosely on purpose; what does not fit is plain 'text', never an error.
 */
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import type { Role, Span } from './roles.js';

/** RFC 3501 §7.1 status responses, by upper-cased word. */
const IMAP_STATUS: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['OK', 'status-ok'],
  ['NO', 'status-no'],
  ['BAD', 'status-bad'],
  ['BYE', 'status-bye'],
  ['PREAUTH', 'status-preauth'],
]);

/** RFC 1939 §3 status indicators (upper case on the wire; matched case-insensitively). */
const POP3_STATUS: ReadonlyMap<string, Role> = new Map<string, Role>([
  ['+OK', 'pop3-ok'],
  ['-ERR', 'pop3-err'],
  // RFC 5034 §4: a SASL challenge is "+" followed by a space and base64.
  ['+', 'continuation'],
]);

/**
 * A literal announcement ending a line: `{n}` (RFC 3501 §4.3), `~{n}` (RFC 3516), `{n+}`/`{n-}`
 * (RFC 7888).
 */
const TRAILING_LITERAL_MARKER = /~?\{\d+[+-]?\}$/;

/** Collects spans, dropping empty ones and merging neighbours with the same role. */
class SpanBuilder {
  readonly spans: Span[] = [];

  add(role: Role, text: string): void {
    if (text === '') return;
    const last = this.spans[this.spans.length - 1];
    if (last !== undefined && last.role === role) last.text += text;
    else this.spans.push({ role, text });
  }
}

/** The end of the space-delimited word that starts at `pos`. */
function wordEnd(text: string, pos: number): number {
  const sp = text.indexOf(' ', pos);
  return sp < 0 ? text.length : sp;
}

/** Text up to a trailing literal marker, which gets its own role. */
function addTail(out: SpanBuilder, text: string, role: Role): void {
  const m = TRAILING_LITERAL_MARKER.exec(text);
  if (m === null) {
    out.add(role, text);
    return;
  }
  out.add(role, text.slice(0, m.index));
  out.add('literal-marker', m[0]);
}

/** Client text: secret placeholders stand out, a trailing literal marker too. */
function addClientTail(out: SpanBuilder, text: string, role: Role): void {
  const parts = text.split(SECRET_PLACEHOLDER);
  for (let i = 0; i < parts.length - 1; i++) {
    out.add(role, parts[i]!);
    out.add('secret', SECRET_PLACEHOLDER);
  }
  addTail(out, parts[parts.length - 1]!, role);
}

/**
 * After a status word: an optional `[CODE ...]` (RFC 3501 §7.1, RFC 2449 §8) then human text.
 * `pos` is just after the status word.
 */
function addRespText(out: SpanBuilder, text: string, pos: number): void {
  if (text[pos] === ' ' && text[pos + 1] === '[') {
    const close = text.indexOf(']', pos + 2);
    if (close >= 0) {
      out.add('text', ' ');
      out.add('response-code', text.slice(pos + 1, close + 1));
      pos = close + 1;
    }
  }
  addTail(out, text.slice(pos), 'text');
}

/**
 * Lexes the first segment of an IMAP server response: `* OK [CODE] text`, `A001 NO ...`, `+ Ready`,
 * `* 12 FETCH (...`, `* CAPABILITY ...`. A trailing `{n}` is a 'literal-marker'.
 */
export function lexImapResponse(text: string): Span[] {
  const out = new SpanBuilder();
  const firstEnd = wordEnd(text, 0);
  const first = text.slice(0, firstEnd);
  if (first === '+') {
    out.add('continuation', '+');
    addRespText(out, text, 1);
    return out.spans;
  }
  if (first === '') {
    addTail(out, text, 'text');
    return out.spans;
  }
  const untagged = first === '*';
  out.add(untagged ? 'untagged' : 'tag', first);
  if (firstEnd === text.length) return out.spans;
  out.add('text', ' ');
  let pos = firstEnd + 1;
  let end = wordEnd(text, pos);
  const word = text.slice(pos, end);
  const status = IMAP_STATUS.get(word.toUpperCase());
  if (status !== undefined) {
    out.add(status, word);
    addRespText(out, text, end);
    return out.spans;
  }
  if (untagged) {
    // RFC 3501 §7.3/§7.4: message data and mailbox sizes come as "* <number> NAME".
    if (/^\d+$/.test(word) && end < text.length) {
      out.add('text', text.slice(pos, end + 1));
      pos = end + 1;
      end = wordEnd(text, pos);
    }
    out.add('data-name', text.slice(pos, end));
    pos = end;
  }
  addTail(out, text.slice(pos), 'text');
  return out.spans;
}

/** Lexes a later segment of an IMAP response (the text after a literal): text and a trailing marker. */
export function lexImapContinuedSegment(text: string): Span[] {
  const out = new SpanBuilder();
  addTail(out, text, 'text');
  return out.spans;
}

/**
 * Lexes the first line of an IMAP command: tag, command name (`UID` takes the next word along, as in
 * `UID FETCH`), arguments with secrets and a trailing literal marker.
 */
export function lexImapCommand(text: string): Span[] {
  const out = new SpanBuilder();
  const tagEnd = wordEnd(text, 0);
  if (tagEnd === 0) {
    addClientTail(out, text, 'text');
    return out.spans;
  }
  out.add('tag', text.slice(0, tagEnd));
  if (tagEnd === text.length) return out.spans;
  out.add('text', ' ');
  let end = wordEnd(text, tagEnd + 1);
  if (text.slice(tagEnd + 1, end).toUpperCase() === 'UID' && end + 1 < text.length && text[end + 1] !== ' ') {
    end = wordEnd(text, end + 1);
  }
  out.add('command', text.slice(tagEnd + 1, end));
  addClientTail(out, text.slice(end), 'text');
  return out.spans;
}

/** Lexes a POP3 status line: `+OK ...`, `-ERR [IN-USE] ...` (RFC 2449 §8 codes), `+ <base64>`. */
export function lexPop3Status(text: string): Span[] {
  const out = new SpanBuilder();
  const end = wordEnd(text, 0);
  const word = text.slice(0, end);
  const status = POP3_STATUS.get(word.toUpperCase());
  if (status === undefined) {
    out.add('text', text);
    return out.spans;
  }
  out.add(status, word);
  addRespText(out, text, end);
  return out.spans;
}

/** Lexes a POP3 command line: command name, then arguments with secrets. */
export function lexPop3Command(text: string): Span[] {
  const out = new SpanBuilder();
  const end = wordEnd(text, 0);
  out.add('command', text.slice(0, end));
  addClientTail(out, text.slice(end), 'text');
  return out.spans;
}

/**
 * Lexes any other client line (literal data, text after a literal, a SASL response, IDLE's DONE): all
 * in `role`, with secrets and a trailing literal marker picked out.
 */
export function lexClientText(text: string, role: Role): Span[] {
  const out = new SpanBuilder();
  addClientTail(out, text, role);
  return out.spans;
}
