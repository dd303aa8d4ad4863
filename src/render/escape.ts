/**
 * Escaping of everything shown on a terminal or written to a transcript. Server bytes are hostile: an
 * ESC can recolor the screen, set the window title (OSC 0), or move the cursor over earlier lines, and
 * bidi overrides can make `A001 OK` read as something else. Nothing of that may reach the terminal, so
 * every byte the server sent passes through here before any styling is applied.
 *
 * The escape form, one for everything:
 *  - C0 controls U+0000-U+001F (TAB, CR and LF included), DEL U+007F and C1 controls U+0080-U+009F
 *    become `\xNN` (two lowercase hex digits): ESC is `\x1b`, a lone CR inside a line is `\x0d`.
 *  - Invalid UTF-8 becomes `\xNN` for each offending byte, so a raw 0x9b byte and the well-formed
 *    U+009B both read `\x9b`.
 *  - Unicode controls that can spoof a display become `\u{NNNN}` (lowercase hex): the bidi marks and
 *    embeddings/overrides/isolates U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, the line and
 *    paragraph separators U+2028, U+2029, and the byte order mark U+FEFF.
 * Everything else, including backslash itself, is shown as decoded UTF-8: IMAP flags like `\Seen` must
 * read naturally, and "Grüße" or "Привет" stay text.
 */
import { isAscii, isUtf8 } from 'node:buffer';
import type { LineMarks, PlainLines } from './plain-lines.js';

/** One code unit class covering everything escaped in decoded text (no lone surrogates in valid UTF-8). */
const ESCAPED = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
const ESCAPED_ALL = new RegExp(ESCAPED.source, 'g');
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
/** What ESCAPED matches beyond C0 and DEL: only ever in text with bytes above 0x7f. */
const ESCAPED_NON_ASCII = /[\x80-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/** For JS strings, which (unlike decoded UTF-8) may hold lone surrogates: shown as `\u{d800}` too. */
const ESCAPED_IN_STRING = new RegExp(
  `${ESCAPED.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
  'g',
);

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function escapeCodeUnit(ch: string): string {
  const cp = ch.charCodeAt(0);
  return cp < 0x100 ? `\\x${hex2(cp)}` : `\\u{${cp.toString(16)}}`;
}

/** Escapes control and spoofing characters in text that is already decoded. */
function escapeDecoded(text: string): string {
  return ESCAPED.test(text) ? text.replace(ESCAPED_ALL, escapeCodeUnit) : text;
}

/**
 * Length of a well-formed UTF-8 sequence starting at `i` (Unicode 15, table 3-7), or 0 when the byte at
 * `i` does not start one. Sequences cut short by the end of `buf` count as not well-formed.
 */
function wellFormedLength(buf: Buffer, i: number): number {
  const b0 = buf[i]!;
  if (b0 < 0x80) return 1;
  const len = sequenceLength(b0);
  if (len === 0 || i + len > buf.length) return 0;
  return prefixIsValid(buf, i, len) ? len : 0;
}

/** How many bytes a sequence with this lead byte has; 0 when it cannot lead one (80-C1, F5-FF). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead < 0xc2) return 0;
  if (lead < 0xe0) return 2;
  if (lead < 0xf0) return 3;
  if (lead < 0xf5) return 4;
  return 0;
}

/** Whether buf[start .. start+count) could begin a well-formed sequence whose lead is buf[start]. */
function prefixIsValid(buf: Buffer, start: number, count: number): boolean {
  const lead = buf[start]!;
  for (let k = 1; k < count; k++) {
    const b = buf[start + k]!;
    let lo = 0x80;
    let hi = 0xbf;
    if (k === 1) {
      // Table 3-7: these leads narrow the second byte (no overlongs, no surrogates, nothing past U+10FFFF).
      if (lead === 0xe0) lo = 0xa0;
      else if (lead === 0xed) hi = 0x9f;
      else if (lead === 0xf0) lo = 0x90;
      else if (lead === 0xf4) hi = 0x8f;
    }
    if (b < lo || b > hi) return false;
  }
  return true;
}

/** Slow path for bytes that are not valid UTF-8: valid runs are decoded in bulk, bad bytes become `\xNN`. */
function escapeInvalidUtf8(bytes: Buffer): string {
  return decodeMarkingInvalidBytes(bytes, escapeDecoded);
}

/**
 * Walks bytes that are not all valid UTF-8: each well-formed run is decoded in one piece and handed
 * to `shown` (escaping, or nothing), each byte that starts no well-formed sequence becomes `\xNN`.
 */
function decodeMarkingInvalidBytes(bytes: Buffer, shown: (decoded: string) => string): string {
  let out = '';
  let runStart = 0;
  let i = 0;
  while (i < bytes.length) {
    const len = wellFormedLength(bytes, i);
    if (len > 0) {
      i += len;
      continue;
    }
    if (runStart < i) out += shown(bytes.toString('utf8', runStart, i));
    out += `\\x${hex2(bytes[i]!)}`;
    i += 1;
    runStart = i;
  }
  if (runStart < bytes.length) out += shown(bytes.toString('utf8', runStart, bytes.length));
  return out;
}

/**
 * Makes server bytes safe to show: decodes UTF-8 and escapes controls, spoofing characters and invalid
 * bytes as described at the top of this file. The result contains no character below U+0020.
 * Valid UTF-8 with nothing to escape costs one validity check, one decode and one regex test.
 */
export function escapeServerText(bytes: Buffer): string {
  if (isUtf8(bytes)) return escapeDecoded(bytes.toString('utf8'));
  return escapeInvalidUtf8(bytes);
}

/**
 * The same escaping for text mailwire already holds as a string (what the user typed, notices, names
 * from a certificate): controls and spoofing characters become escapes, and so do lone surrogates.
 */
export function escapeDisplayText(text: string): string {
  // Printable ASCII, the common case, holds nothing to escape: one plain class test instead of the look-arounds.
  if (!NOT_PRINTABLE_ASCII.test(text)) return text;
  ESCAPED_IN_STRING.lastIndex = 0;
  return ESCAPED_IN_STRING.test(text) ? text.replace(ESCAPED_IN_STRING, escapeCodeUnit) : text;
}

/**
 * Each line escaped as escapeDisplayText escapes it, written between `before` and `after`. Lines of
 * printable ASCII (nearly every decoded view's) are told so by one test of them all, joined by a
 * space that is printable too, instead of one test a line.
 */
export function escapeDisplayLines(lines: readonly string[], before: string, after: string): string {
  let out = '';
  if (!NOT_PRINTABLE_ASCII.test(lines.join(' '))) {
    for (const l of lines) out += before + l + after;
    return out;
  }
  for (const l of lines) out += before + escapeDisplayText(l) + after;
  return out;
}

const EMPTY = Buffer.alloc(0);

/**
 * `escapeServerText` for data that arrives in pieces (IMAP literals): a UTF-8 sequence split across
 * pieces decodes as if it had come whole. At most 3 bytes, the start of an unfinished sequence, are held
 * back between pushes; `flush()` gives them out (as `\xNN`, since nothing completed them).
 * For any split of a buffer, the pushes followed by `flush()` concatenate to `escapeServerText(buffer)`.
 */
export class StreamingEscaper {
  #held: Buffer = EMPTY;

  /** True when no bytes of an unfinished UTF-8 sequence are held back. */
  get idle(): boolean {
    return this.#held.length === 0;
  }

  /** Escapes what can be decided now; holds back the start of an unfinished UTF-8 sequence. */
  push(bytes: Buffer): string {
    let out = '';
    let rest = bytes;
    if (this.#held.length > 0 && rest.length > 0) {
      const held = this.#held;
      const need = sequenceLength(held[0]!) - held.length;
      const take = Math.min(need, rest.length);
      const head = Buffer.concat([held, rest.subarray(0, take)]);
      if (!prefixIsValid(head, 0, head.length)) {
        // The held sequence cannot complete: its lead and continuation bytes are each invalid on their
        // own, and decoding restarts at the first new byte, exactly as for the whole buffer.
        this.#held = EMPTY;
        out += escapeInvalidUtf8(held);
      } else if (take < need) {
        this.#held = head;
        return '';
      } else {
        this.#held = EMPTY;
        out += escapeDecoded(head.toString('utf8'));
        rest = rest.subarray(take);
      }
    }
    if (rest.length === 0) return out;
    const keep = unfinishedTail(rest);
    // Copy the few held bytes so that a large piece is not kept alive by a view into it.
    this.#held = keep > 0 ? Buffer.from(rest.subarray(rest.length - keep)) : EMPTY;
    return out + escapeServerText(keep > 0 ? rest.subarray(0, rest.length - keep) : rest);
  }

  /** Ends the stream: held bytes of an unfinished sequence come out escaped. */
  flush(): string {
    const held = this.#held;
    this.#held = EMPTY;
    return held.length > 0 ? escapeInvalidUtf8(held) : '';
  }
}

/**
 * How many trailing bytes of `buf` are the valid start of a sequence that the next piece may finish
 * (0-3). A lead byte further back than 3 bytes would make a sequence of 5 or more: never valid.
 */
function unfinishedTail(buf: Buffer): number {
  const end = buf.length;
  for (let start = end - 1; start >= Math.max(0, end - 3); start--) {
    const b = buf[start]!;
    if (b >= 0x80 && b < 0xc0) continue; // continuation byte: look further back for the lead
    const len = sequenceLength(b);
    const have = end - start;
    return len > have && prefixIsValid(buf, start, have) ? have : 0;
  }
  return 0;
}

/**
 * Whether nothing in `bytes` needs escaping but its CRLF line ends: valid and complete UTF-8, no
 * control or format character, a CR only right before an LF and an LF only right after a CR. Then
 * `escapeServerText` of each line between the CRLFs is that line's text unchanged, so its bytes can be
 * shown as they came. The fast path for streaming large literals (message bodies are almost always
 * such text): the kernel looks at the controls and finds the line ends (16 octets a step), Node's
 * isAscii and isUtf8 at the rest.
 *
 * @param lines - takes `bytes` in (with `marks`, for its wholeLines()), and gives each CRLF's offset
 * @returns how many CRLFs there are, or -1 when something needs escaping
 */
export function plainCrlfLineEnds(bytes: Buffer, lines: PlainLines, marks: LineMarks): number {
  const count = lines.scan(bytes, marks);
  if (count < 0 || isAscii(bytes)) return count;
  if (!isUtf8(bytes)) return -1;
  return ESCAPED_NON_ASCII.test(bytes.toString('utf8')) ? -1 : count;
}

/**
 * Bytes of any source (a file, a file's name, a client's line to the proxy or to serve) as text in the
 * display form transcripts are written in: valid UTF-8 decoded as it is (controls included: the
 * caller still escapes what it shows), each byte that is not valid UTF-8 written `\xNN`, as the
 * terminal shows it, where a plain decode would turn it into U+FFFD and lose which byte it was.
 */
export function displayFormOfBytes(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  return decodeMarkingInvalidBytes(bytes, (decoded) => decoded);
}
