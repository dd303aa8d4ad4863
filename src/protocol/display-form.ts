/**
 * The display form: how mailwire writes octets as text, on a terminal and in a transcript, and how a
 * transcript's text is read back as octets. One rule, both ways, so that what is shown cannot pose as
 * something else and a recording replays the very octets it shows. Server bytes are hostile: an ESC
 * can recolor the screen, set the window title (OSC 0), or move the cursor over earlier lines, and bidi
 * overrides can make `A001 OK` read as something else; a client's bytes, recorded, are written the
 * same way. Pure.
 *
 * Written (displayForm for octets, displayFormOfText for text sent as its UTF-8):
 *  - C0 controls U+0000-U+001F (TAB, CR and LF included) and DEL U+007F become `\xNN` (two lowercase
 *    hex digits): ESC is `\x1b`, a lone CR inside a line is `\x0d`.
 *  - Invalid UTF-8 becomes `\xNN` for each offending byte: a raw 0x9b byte reads `\x9b`.
 *  - C1 controls U+0080-U+009F (the well-formed U+009B reads `\u{9b}`, not like the raw byte) and
 *    Unicode controls that can spoof a display become `\u{N}` (lowercase hex): the bidi marks and
 *    embeddings/overrides/isolates U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069, the line and
 *    paragraph separators U+2028, U+2029, and the byte order mark U+FEFF.
 *  - A backslash that would read back as the start of an escape (followed by `x` and two lowercase
 *    hex digits, or by `u{`, one to six of them and `}`) becomes `\x5c`: text that holds the four
 *    characters `\x1b` is shown `\x5cx1b`, never like a real ESC.
 *  - Everything else, every other backslash included, is decoded UTF-8: IMAP flags like `\Seen` read
 *    naturally, and "Grüße" or "Привет" stay text.
 * Read (wireBytes): `\xNN` is the octet NN, `\u{N}` the character's UTF-8, anything else its UTF-8;
 * upper-case hex is no escape. So wireBytes(displayForm(octets)) is those octets, for any octets.
 */
import { isUtf8 } from 'node:buffer';

/** One code unit class covering everything escaped in decoded text (no lone surrogates in valid UTF-8). */
const ESCAPED = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;
/**
 * A backslash before what reads as an escape (`x1b`, `u{202e}`): written `\x5c`. The look-ahead's
 * quantifier is bounded (six digits at most): no backtracking over the line.
 */
const BACKSLASH_BEFORE_ESCAPE_FORM = '\\\\(?=x[0-9a-f]{2}|u\\{[0-9a-f]{1,6}\\})';
/** What ESCAPED matches, and such a backslash: one pass escapes both. */
const ESCAPED_ALL = new RegExp(`${ESCAPED.source}|${BACKSLASH_BEFORE_ESCAPE_FORM}`, 'g');
const NOT_PRINTABLE_ASCII = /[^\x20-\x7e]/;
/** For JS strings, which (unlike decoded UTF-8) may hold lone surrogates: shown as `\u{d800}` too. */
const ESCAPED_IN_STRING = new RegExp(
  `${ESCAPED.source}|[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]`,
  'g',
);
/** ESCAPED_IN_STRING, and a backslash before what reads as an escape. */
const ESCAPED_IN_TEXT_SENT = new RegExp(`${ESCAPED_IN_STRING.source}|${BACKSLASH_BEFORE_ESCAPE_FORM}`, 'g');
/** A backslash and what may still make an escape of it, at the end of display text. */
const UNFINISHED_ESCAPE_FORM = /\\(?:x[0-9a-f]?|u(?:\{[0-9a-f]{0,6})?)?$/;
/** An escape at the start of display text. */
const ESCAPE_FORM_START = /^\\(?:x[0-9a-f]{2}|u\{[0-9a-f]{1,6}\})/;

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** `\xNN` for a character of one octet in UTF-8 (which reads back as that octet), `\u{N}` for any other. */
function escapeCodeUnit(ch: string): string {
  const cp = ch.charCodeAt(0);
  return cp < 0x80 ? `\\x${hex2(cp)}` : `\\u{${cp.toString(16)}}`;
}

/** Escapes control and spoofing characters, and backslashes that would read as escapes, in decoded text. */
function escapeDecoded(text: string): string {
  return ESCAPED.test(text) || text.includes('\\') ? text.replace(ESCAPED_ALL, escapeCodeUnit) : text;
}

const BACKSLASH = 0x5c;

function isLowerHex(octet: number | undefined): boolean {
  return octet !== undefined && ((octet >= 0x30 && octet <= 0x39) || (octet >= 0x61 && octet <= 0x66));
}

/**
 * What follows the backslash at `i` of `buf`: `whole` when it reads as an escape (`\xNN`, `\u{N}`:
 * the backslash is written `\x5c`), `unfinished` when `buf` ends before that is decided (`\`, `\x4`,
 * `\u{20`: the next piece of a stream decides), `none` otherwise.
 */
function escapeFormAt(buf: Buffer, i: number): 'whole' | 'unfinished' | 'none' {
  const end = buf.length;
  const kind = buf[i + 1];
  if (kind === undefined) return 'unfinished';
  if (kind === 0x78) {
    // "x" and two hex digits.
    for (let k = i + 2; k < i + 4; k++) {
      if (k >= end) return 'unfinished';
      if (!isLowerHex(buf[k])) return 'none';
    }
    return 'whole';
  }
  if (kind !== 0x75) return 'none';
  // "u{", one to six hex digits, "}".
  if (i + 2 >= end) return 'unfinished';
  if (buf[i + 2] !== 0x7b) return 'none';
  for (let k = i + 3; k <= i + 9; k++) {
    if (k >= end) return 'unfinished';
    const octet = buf[k];
    if (octet === 0x7d) return k > i + 3 ? 'whole' : 'none';
    if (!isLowerHex(octet) || k === i + 9) return 'none';
  }
  return 'none';
}

/** How many trailing octets of `buf` are a backslash and what may yet make it an escape (0-9). */
function unfinishedEscapeForm(buf: Buffer): number {
  // Only the last backslash can be undecided: one before it has that one in what follows it.
  const from = Math.max(0, buf.length - 9);
  const last = buf.subarray(from).lastIndexOf(BACKSLASH);
  return last >= 0 && escapeFormAt(buf, from + last) === 'unfinished' ? buf.length - from - last : 0;
}

/**
 * Whether escaping `bytes` would write a backslash as `\x5c`, or might once the next piece of a
 * stream comes (a backslash near its end, undecided).
 */
export function holdsEscapeForm(bytes: Buffer): boolean {
  for (let i = bytes.indexOf(BACKSLASH); i >= 0; i = bytes.indexOf(BACKSLASH, i + 1)) {
    if (escapeFormAt(bytes, i) !== 'none') return true;
  }
  return false;
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
 * The display form of octets, from either peer: UTF-8 decoded, controls, spoofing characters, invalid
 * bytes and backslashes that would read as escapes escaped, as described at the top of this file.
 * The result contains no character below U+0020, and wireBytes reads it back as `bytes`.
 * Valid UTF-8 with nothing to escape costs one validity check, one decode and two scans.
 */
export function displayForm(bytes: Buffer): string {
  if (isUtf8(bytes)) return escapeDecoded(bytes.toString('utf8'));
  return escapeInvalidUtf8(bytes);
}

/**
 * The same escaping for text mailwire already holds as a string (notices, names from a certificate,
 * a transcript's lines): controls and spoofing characters become escapes, and so do lone surrogates.
 * A backslash is left as it is: on text in display form this changes nothing. Text that is sent, to
 * be shown or recorded, takes displayFormOfText.
 */
export function escapeDisplayText(text: string): string {
  // Printable ASCII, the common case, holds nothing to escape: one plain class test instead of the look-arounds.
  if (!NOT_PRINTABLE_ASCII.test(text)) return text;
  ESCAPED_IN_STRING.lastIndex = 0;
  return ESCAPED_IN_STRING.test(text) ? text.replace(ESCAPED_IN_STRING, escapeCodeUnit) : text;
}

/**
 * Text mailwire sends as its UTF-8 (what the user typed) in the display form transcripts are written
 * in, as displayForm writes bytes: controls and spoofing characters escaped, and a backslash that
 * would read back as an escape written `\x5c`. A lone surrogate, sent as U+FFFD, is written
 * `\u{d800}`, which reads back as U+FFFD too. Not for text that is in display form already
 * (a transcript's line): its escapes would be written over (escapeDisplayText is for that).
 */
export function displayFormOfText(text: string): string {
  if (!NOT_PRINTABLE_ASCII.test(text) && !text.includes('\\')) return text;
  ESCAPED_IN_TEXT_SENT.lastIndex = 0;
  return text.replace(ESCAPED_IN_TEXT_SENT, escapeCodeUnit);
}

/**
 * Two pieces of display text that are one wire line (a literal's last line and the command text
 * after it): as the display form of the whole line. A backslash at the end of `head` that reads as an
 * escape with the start of `tail` (`\x4` and `1`) is written `\x5c`; nothing else changes.
 */
export function joinDisplayForms(head: string, tail: string): string {
  const at = head.lastIndexOf('\\');
  if (at < 0 || at < head.length - 9 || tail === '') return head + tail;
  const end = head.slice(at);
  if (!UNFINISHED_ESCAPE_FORM.test(end) || !ESCAPE_FORM_START.test(end + tail.slice(0, 10))) return head + tail;
  return `${head.slice(0, at)}\\x5c${head.slice(at + 1)}${tail}`;
}

const EMPTY = Buffer.alloc(0);

/**
 * `displayForm` for data that arrives in pieces (IMAP literals): a UTF-8 sequence split across
 * pieces decodes as if it had come whole, and a backslash at the end of a piece is written as the
 * next piece decides (`\x5c` when that makes it `\x1b`). Held back between pushes: at most 3 bytes,
 * the start of an unfinished sequence, or at most 9, a backslash and what may still make an escape of
 * it; `flush()` gives them out (an unfinished sequence as `\xNN`, since nothing completed it).
 * For any split of a buffer, the pushes followed by `flush()` concatenate to `displayForm(buffer)`.
 */
export class StreamingEscaper {
  #held: Buffer = EMPTY;

  /** True when no bytes are held back. */
  get idle(): boolean {
    return this.#held.length === 0;
  }

  /** Escapes what can be decided now; holds back what the next piece may change. */
  push(bytes: Buffer): string {
    let out = '';
    let rest = bytes;
    if (this.#held.length > 0 && rest.length > 0) {
      const held = this.#held;
      if (held[0] === BACKSLASH) {
        // A backslash and a few ASCII octets: read again with the new piece. The copy is of a piece
        // that follows one ending in a backslash, rare in a message body.
        this.#held = EMPTY;
        rest = Buffer.concat([held, rest]);
      } else {
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
    }
    if (rest.length === 0) return out;
    const keep = unfinishedTail(rest) || unfinishedEscapeForm(rest);
    // Copy the few held bytes so that a large piece is not kept alive by a view into it.
    this.#held = keep > 0 ? Buffer.from(rest.subarray(rest.length - keep)) : EMPTY;
    return out + displayForm(keep > 0 ? rest.subarray(0, rest.length - keep) : rest);
  }

  /** Ends the stream: held bytes come out escaped. */
  flush(): string {
    const held = this.#held;
    this.#held = EMPTY;
    return held.length > 0 ? displayForm(held) : '';
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
 * Bytes of a file or a file's name as text: valid UTF-8 decoded as it is (controls included: the
 * caller still escapes what it shows), each byte that is not valid UTF-8 written `\xNN`, as the
 * terminal shows it, where a plain decode would turn it into U+FFFD and lose which byte it was. Not
 * the display form: a file's own `\x1b` stays as it was written.
 */
export function decodedMarkingInvalid(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  return decodeMarkingInvalidBytes(bytes, (decoded) => decoded);
}
/** One escape wireBytes reads, where the search stands (`lastIndex`). */
const ESCAPE_HERE = /\\x([0-9a-f]{2})|\\u\{([0-9a-f]{1,6})\}/y;

/**
 * How many characters of display text stand for its first `octets` octets (a literal's data, the rest
 * of its line being the command's): an escape or a character is never cut, so the count may reach
 * past `octets` when one straddles it.
 */
export function charsForOctets(text: string, octets: number): number {
  let at = 0;
  let counted = 0;
  while (at < text.length && counted < octets) {
    if (text.charCodeAt(at) === BACKSLASH) {
      ESCAPE_HERE.lastIndex = at;
      const m = ESCAPE_HERE.exec(text);
      if (m !== null) {
        counted += m[1] !== undefined ? 1 : Buffer.byteLength(codePointText(parseInt(m[2] as string, 16)));
        at += m[0].length;
        continue;
      }
    }
    const width = (text.codePointAt(at) as number) > 0xffff ? 2 : 1;
    // A lone surrogate is sent as U+FFFD, three octets: what Buffer.byteLength counts for it.
    counted += Buffer.byteLength(text.slice(at, at + width));
    at += width;
  }
  return at;
}

/** The character `\u{N}` stands for: U+FFFD for a surrogate or a number past U+10FFFF. */
function codePointText(cp: number): string {
  return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
}

/**
 * The text display text stands for, decoded as UTF-8 (an octet that is no UTF-8 becomes U+FFFD): for
 * readers that parse what was sent (the explanations), where the display form's escapes would be
 * read as the protocol's own (a backslash in an IMAP quoted string).
 */
export function textOfDisplayForm(text: string): string {
  return text.includes('\\') ? wireBytes(text).toString('utf8') : text;
}

/** The escapes wireBytes reads: what displayForm writes, lower-case hex only. */
const ESCAPE = /\\x([0-9a-f]{2})|\\u\{([0-9a-f]{1,6})\}/g;

/**
 * The bytes a line of display text stands for: UTF-8, with the escapes displayForm writes (`\x1b`,
 * `\x09`, `\u{202e}`, lower-case hex) turned back into the byte or character. The backslash itself is
 * not escaped but where it would start an escape: text that really holds `\x` and two hex digits is
 * written with `\x5c` for its backslash; IMAP flags such as `\Seen` and `\Deleted` are never escapes.
 */
export function wireBytes(text: string): Buffer {
  if (!text.includes('\\')) return Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of text.matchAll(ESCAPE)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(Buffer.from(text.slice(last, at), 'utf8'));
    if (m[1] !== undefined) {
      parts.push(Buffer.from([parseInt(m[1], 16)]));
    } else {
      parts.push(Buffer.from(codePointText(parseInt(m[2] as string, 16)), 'utf8'));
    }
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(Buffer.from(text.slice(last), 'utf8'));
  return Buffer.concat(parts);
}
