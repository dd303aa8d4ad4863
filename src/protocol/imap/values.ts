/**
 * A parser of IMAP values (RFC 3501 §4, §9): atoms, numbers, quoted strings, literals, NIL and
 * parenthesized lists, with the `BODY[section]<partial>` shape FETCH uses. It reads a response or a
 * command as the framer delivered it — text segments with a literal between each pair — so literal
 * octets are taken by count and never re-scanned. Pure; shared by the decoded views, lint, replay and
 * the built-in server.
 */
import { isAscii } from 'node:buffer';

export type ImapValue =
  | {
      type: 'atom';
      value: string;
      /** `BODY[HEADER.FIELDS (SUBJECT)]`: the values between the brackets (possibly none: `BODY[]`). */
      section?: ImapValue[];
      /** `<0.100>` after a section (RFC 3501 §6.4.5), or `<0>` in a FETCH response. */
      partial?: { offset: number; length?: number };
    }
  | { type: 'number'; value: number }
  | { type: 'string'; value: Buffer; form: 'quoted' | 'literal' }
  /** A literal whose octets were not kept (too large to hold, or streamed past). */
  | { type: 'literal-ref'; size: number; binary: boolean }
  | { type: 'nil' }
  | { type: 'list'; items: ImapValue[] };

export class ImapSyntaxError extends Error {
  constructor(
    message: string,
    /** Octet offset from the start of the first segment, literals counted. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'ImapSyntaxError';
  }
}

/** The octets plain-values.ts reads too. */
export const SP = 0x20;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const LBRACE = 0x7b;
export const TILDE = 0x7e;
const LT = 0x3c;
const GT = 0x3e;

/** Bytes that end an atom (RFC 3501 §9 atom-specials, less the list wildcards and "\" of flags). */
export function endsAtom(c: number): boolean {
  return c <= SP || c === 0x7f || c === LPAREN || c === RPAREN || c === DQUOTE || c === LBRACKET || c === RBRACKET || c === LBRACE;
}

/**
 * endsAtom of each octet, looked up: the loops over a FETCH response's atoms read it for every octet,
 * and a call per octet costs more than the test itself while the code is still cold.
 */
export const ENDS_ATOM: Uint8Array = Uint8Array.from({ length: 256 }, (_, c) => (endsAtom(c) ? 1 : 0));

const LITERAL_MARKER = /~?\{(\d+)[+-]?\}$/;

const EMPTY = Buffer.alloc(0);

/**
 * How deep parentheses and brackets may nest. RFC 3501 sets no bound, but no command or response
 * needs more than a few levels (BODYSTRUCTURE of a deeply nested message, SEARCH groups); a peer that
 * sends thousands of "(" is answered with a syntax error instead of recursing until the stack ends.
 */
export const DEFAULT_MAX_NESTING = 100;

/**
 * A copy of bytes[start, end), not a view that would keep a whole socket read alive. Short strings
 * (most of an ENVELOPE's or a BODYSTRUCTURE's) are copied octet by octet into a pooled buffer: a
 * decoded view reads dozens per FETCH response, and this costs half of what a view plus a copy does.
 */
function copyOf(bytes: Buffer, start: number, end: number): Buffer {
  const length = end - start;
  if (length > 64) return Buffer.from(bytes.subarray(start, end));
  const copy = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i++) copy[i] = bytes[start + i] as number;
  return copy;
}

/** A position in a response (segments and the literals between them), read octet by octet. */
export class Cursor {
  private seg = 0;
  private pos: number;
  /** The current segment (read for every byte: kept in a field, not looked up). */
  private bytes: Buffer;
  /** Octets of the segments and literals before the current segment. */
  private base = 0;

  /** Lists and sections open around the current position. */
  depth = 0;

  /**
   * The current segment as text when it is all ASCII, so that octet offsets are string offsets and a
   * string value is a slice of it, not a decoding of its own; null when it is not ASCII; undefined
   * until asked for.
   */
  private text: string | null | undefined = undefined;

  constructor(
    private readonly segments: readonly Buffer[],
    private readonly literals: readonly (Buffer | null)[],
    start: number,
    readonly maxNesting: number,
  ) {
    this.pos = start;
    this.bytes = segments[0] ?? EMPTY;
  }

  /** Enters a list or section; past the nesting bound, a syntax error. */
  enter(openedAt: number): void {
    if (++this.depth > this.maxNesting) throw new ImapSyntaxError(`nested more than ${this.maxNesting} levels deep`, openedAt);
  }

  get offset(): number {
    return this.base + this.pos;
  }

  /** The current byte, or -1 at the end of the segment (where a literal may follow). */
  peek(): number {
    return this.pos < this.bytes.length ? (this.bytes[this.pos] as number) : -1;
  }

  advance(n = 1): void {
    this.pos += n;
  }

  atEnd(): boolean {
    return this.peek() === -1 && this.seg >= this.segments.length - 1;
  }

  skipSpaces(): void {
    while (this.peek() === SP) this.pos++;
  }

  /**
   * At the first octet inside a quoted string: when the string ends in this segment with no "\\"
   * before its closing quote, its octets (copied) and the position past the quote; else null, and
   * the position unchanged.
   */
  takeUnescapedQuoted(): Buffer | null {
    const bytes = this.bytes;
    let close = this.pos;
    // One pass to the closing quote (a search for "\\" alone would run on to the end of the segment).
    for (; close < bytes.length; close++) {
      const b = bytes[close] as number;
      if (b === DQUOTE) break;
      if (b === BACKSLASH) return null;
    }
    if (close >= bytes.length) return null;
    const value = copyOf(this.bytes, this.pos, close);
    this.pos = close + 1;
    return value;
  }

  /**
   * At the opening quote of a quoted string: when it ends in this segment with no "\\" before its
   * closing quote, its octets as UTF-8 text (no Buffer in between) and the position past the quote;
   * else null, and the position unchanged.
   */
  takeUnescapedQuotedText(): string | null {
    const bytes = this.bytes;
    const open = this.pos;
    let close = open + 1;
    for (; close < bytes.length; close++) {
      const b = bytes[close] as number;
      if (b === DQUOTE) break;
      if (b === BACKSLASH) return null;
    }
    if (close >= bytes.length) return null;
    this.pos = close + 1;
    return this.textOf(open + 1, close);
  }

  /** The octets [start, end) of the current segment as UTF-8 text. */
  textOf(start: number, end: number): string {
    if (this.text === undefined) this.text = isAscii(this.bytes) ? this.bytes.toString('latin1') : null;
    return this.text === null ? this.bytes.toString('utf8', start, end) : this.text.slice(start, end);
  }

  /**
   * At the opening quote: moves past a quoted string that ends in this segment with only the escapes
   * RFC 3501 §9 allows, and returns true; else false, the position unchanged (for skipQuoted to
   * find the error).
   */
  skipQuotedInSegment(): boolean {
    const bytes = this.bytes;
    for (let i = this.pos + 1; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (b === DQUOTE) {
        this.pos = i + 1;
        return true;
      }
      if (b === BACKSLASH) {
        const e = bytes[i + 1];
        if (e !== DQUOTE && e !== BACKSLASH) return false;
        i++;
      }
    }
    return false;
  }

  /** Moves past the octets of an atom (up to an atom-special); where it started in the segment. */
  skipAtomOctets(): number {
    const start = this.pos;
    const bytes = this.bytes;
    let i = this.pos;
    while (i < bytes.length && ENDS_ATOM[bytes[i] as number] === 0) i++;
    this.pos = i;
    return start;
  }

  /** The current segment and the position in it, for a reader that looks at octets in place. */
  get segment(): Buffer {
    return this.bytes;
  }

  get position(): number {
    return this.pos;
  }

  /** Back to a position in the current segment that skipAtomOctets gave. */
  rewindTo(start: number): void {
    this.pos = start;
  }

  /** On to a position in the current segment past what a reader of octets in place has read. */
  moveTo(position: number): void {
    this.pos = position;
  }

  /**
   * At the start of a value: moves past it, and returns true, when it lies within this segment and
   * holds nothing but lists (within the nesting bound), quoted strings without "\\" and atoms without
   * a section, which skipValue passes over the same way. Otherwise false, and nothing moved: then
   * skipValue reads it as usual, and fails where it fails. One loop and no call per value, for the
   * items a FETCH's decoded views pass over (FLAGS, an ENVELOPE with nothing to decode).
   */
  skipPlainValueInSegment(): boolean {
    const bytes = this.bytes;
    const n = bytes.length;
    let i = this.pos;
    let open = 0;
    for (;;) {
      if (i >= n) return false;
      const b = bytes[i] as number;
      if (b === LPAREN) {
        if (this.depth + ++open > this.maxNesting) return false;
        i++;
      } else if (b === RPAREN) {
        if (open === 0) return false;
        open--;
        i++;
      } else if (b === DQUOTE) {
        let close = i + 1;
        for (; close < n; close++) {
          const q = bytes[close] as number;
          if (q === DQUOTE) break;
          if (q === BACKSLASH) return false;
        }
        if (close >= n) return false;
        i = close + 1;
      } else {
        // A literal ("{", "~{"), an empty atom (an error) or a section: as skipValue reads them.
        if (b === TILDE) return false;
        const start = i;
        while (i < n && ENDS_ATOM[bytes[i] as number] === 0) i++;
        if (i === start || (i < n && bytes[i] === LBRACKET)) return false;
      }
      if (open === 0) {
        this.pos = i;
        return true;
      }
      while (i < n && bytes[i] === SP) i++;
    }
  }

  /** Reads bytes while `keep` holds, within the current segment, as UTF-8 text (no Buffer in between). */
  takeText(keep: (c: number) => boolean): string {
    const start = this.pos;
    while (this.pos < this.bytes.length && keep(this.bytes[this.pos] as number)) this.pos++;
    return this.bytes.toString('utf8', start, this.pos);
  }

  /** Reads bytes while `keep` holds, within the current segment. */
  take(keep: (c: number) => boolean): Buffer {
    const start = this.pos;
    while (this.pos < this.bytes.length && keep(this.bytes[this.pos] as number)) this.pos++;
    return this.bytes.subarray(start, this.pos);
  }

  /**
   * At a `{n}` / `~{n}` that ends the segment: returns the literal and moves to the next segment.
   * Null when the brace does not start the segment's literal marker.
   */
  takeLiteral(): ImapValue | null {
    const rest = this.bytes.subarray(this.pos).toString('latin1');
    const m = LITERAL_MARKER.exec(rest);
    if (!m || m.index !== 0) return null;
    const size = Number(m[1]);
    const binary = rest.startsWith('~');
    const data = this.literals[this.seg];
    this.base += this.bytes.length + (data ? data.length : size);
    this.seg++;
    this.bytes = this.segments[this.seg] ?? EMPTY;
    this.text = undefined;
    this.pos = 0;
    if (data === undefined) throw new ImapSyntaxError('literal announced but its data is missing', this.offset);
    if (data === null) return { type: 'literal-ref', size, binary };
    return { type: 'string', value: data, form: 'literal' };
  }
}

export function parseQuoted(c: Cursor): ImapValue {
  const start = c.offset;
  c.advance(); // opening quote
  // Most quoted strings hold no escape: taken in one piece.
  const plain = c.takeUnescapedQuoted();
  if (plain !== null) return { type: 'string', value: plain, form: 'quoted' };
  const out: number[] = [];
  for (;;) {
    const b = c.peek();
    if (b === -1) throw new ImapSyntaxError('unterminated quoted string', start);
    c.advance();
    if (b === DQUOTE) break;
    if (b === BACKSLASH) {
      const e = c.peek();
      // RFC 3501 §9: quoted-specials are escaped with "\"; anything else after "\" is malformed.
      if (e !== DQUOTE && e !== BACKSLASH) throw new ImapSyntaxError('bad escape in quoted string', c.offset);
      out.push(e);
      c.advance();
      continue;
    }
    out.push(b);
  }
  return { type: 'string', value: Buffer.from(out), form: 'quoted' };
}

function parsePartial(c: Cursor): { offset: number; length?: number } {
  const start = c.offset;
  c.advance(); // "<"
  const text = c.take((b) => b !== GT).toString('latin1');
  if (c.peek() !== GT) throw new ImapSyntaxError('unterminated <partial>', start);
  c.advance();
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new ImapSyntaxError(`bad partial <${text}>`, start);
  return m[2] === undefined ? { offset: Number(m[1]) } : { offset: Number(m[1]), length: Number(m[2]) };
}

export function parseAtom(c: Cursor): ImapValue {
  const start = c.offset;
  const text = c.takeText((b) => !endsAtom(b));
  if (c.peek() === LBRACKET) {
    c.enter(c.offset);
    c.advance();
    const section = parseSequence(c, RBRACKET, start);
    c.depth--;
    const value: ImapValue = { type: 'atom', value: text, section };
    // The section's closing bracket may be followed by more atom text only as <partial>.
    if (c.peek() === LT) value.partial = parsePartial(c);
    return value;
  }
  if (text === '') throw new ImapSyntaxError(`unexpected "${String.fromCharCode(c.peek())}"`, start);
  if (text.length === 3 && text.toUpperCase() === 'NIL') return { type: 'nil' };
  if (isDigits(text) && Number.isSafeInteger(Number(text))) return { type: 'number', value: Number(text) };
  return { type: 'atom', value: text };
}

function isDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d < 0x30 || d > 0x39) return false;
  }
  return text.length > 0;
}

/** Moves past a quoted string as parseQuoted reads it, failing where it fails, without building it. */
function skipQuoted(c: Cursor): void {
  if (c.skipQuotedInSegment()) return;
  const start = c.offset;
  c.advance();
  for (;;) {
    const b = c.peek();
    if (b === -1) throw new ImapSyntaxError('unterminated quoted string', start);
    c.advance();
    if (b === DQUOTE) return;
    if (b === BACKSLASH) {
      const e = c.peek();
      if (e !== DQUOTE && e !== BACKSLASH) throw new ImapSyntaxError('bad escape in quoted string', c.offset);
      c.advance();
    }
  }
}

/** Moves past an atom as parseAtom reads it (a section and partial included), failing where it fails. */
function skipAtom(c: Cursor): void {
  const start = c.offset;
  const before = c.offset;
  c.skipAtomOctets();
  if (c.peek() === LBRACKET) {
    // `BODY[HEADER.FIELDS (...)]<0>` in a FETCH response: rare enough to be parsed as usual.
    c.enter(c.offset);
    c.advance();
    parseSequence(c, RBRACKET, start);
    c.depth--;
    if (c.peek() === LT) parsePartial(c);
    return;
  }
  if (c.offset === before) throw new ImapSyntaxError(`unexpected "${String.fromCharCode(c.peek())}"`, start);
}

/**
 * Moves past one value as parseValue reads it, failing where it fails (nesting bound included), but
 * building nothing: iterative, and allocation-free but for literals and sections.
 */
function skipValue(c: Cursor): void {
  if (c.skipPlainValueInSegment()) return;
  const openedAt: number[] = [];
  for (;;) {
    const b = c.peek();
    if (b === LPAREN) {
      openedAt.push(c.offset);
      c.enter(c.offset);
      c.advance();
    } else if (openedAt.length > 0 && b === RPAREN) {
      c.advance();
      c.depth--;
      openedAt.pop();
    } else if (openedAt.length > 0 && b === -1 && c.atEnd()) {
      throw new ImapSyntaxError('"(" never closed', openedAt[openedAt.length - 1] as number);
    } else if (openedAt.length > 0 && (b === RPAREN || b === RBRACKET)) {
      throw new ImapSyntaxError(`unbalanced "${String.fromCharCode(b)}"`, c.offset);
    } else if (b === DQUOTE) {
      skipQuoted(c);
    } else if ((b === LBRACE || b === TILDE) && c.takeLiteral()) {
      // taken
    } else {
      skipAtom(c);
    }
    if (openedAt.length === 0) return;
    c.skipSpaces();
  }
}

function parseValue(c: Cursor): ImapValue {
  const b = c.peek();
  if (b === DQUOTE) return parseQuoted(c);
  if (b === LPAREN) {
    const start = c.offset;
    c.enter(start);
    c.advance();
    const items = parseSequence(c, RPAREN, start);
    c.depth--;
    return { type: 'list', items };
  }
  if (b === LBRACE || b === TILDE) {
    const literal = c.takeLiteral();
    if (literal) return literal;
  }
  return parseAtom(c);
}

/** Values up to `close` (consumed), or to the end of input when close is -1. */
function parseSequence(c: Cursor, close: number, openedAt: number): ImapValue[] {
  return parseSequenceWith(c, close, openedAt, parseValue);
}

/**
 * Values up to `close` (consumed), or to the end of input when close is -1, each built by `build`
 * (parseValue, or plain-values.ts's builder), with the same checks whatever builds them.
 */
export function parseSequenceWith<T>(c: Cursor, close: number, openedAt: number, build: (c: Cursor) => T): T[] {
  const items: T[] = [];
  for (;;) {
    c.skipSpaces();
    const b = c.peek();
    if (b === -1 && c.atEnd()) {
      if (close === -1) return items;
      throw new ImapSyntaxError(`"${String.fromCharCode(close === RPAREN ? LPAREN : LBRACKET)}" never closed`, openedAt);
    }
    if (b === close) {
      c.advance();
      return items;
    }
    if (b === RPAREN || b === RBRACKET) throw new ImapSyntaxError(`unbalanced "${String.fromCharCode(b)}"`, c.offset);
    items.push(build(c));
  }
}

/**
 * Parses IMAP values from a response or command assembled from its framed parts: `segments[i]`
 * ends with the marker of `literals[i]`; a null literal (not kept) becomes a 'literal-ref'.
 * Recursion follows the nesting of lists, so nesting is bounded (`maxNesting`, default
 * DEFAULT_MAX_NESTING) and deeper input is a syntax error, never a stack overflow.
 * @param options.start - octet offset in segments[0] to start at (past the tag and command name)
 * @throws ImapSyntaxError with the offset of the problem
 */
export function parseImapValues(
  segments: readonly Buffer[],
  literals: readonly (Buffer | null)[],
  options: { start?: number; maxNesting?: number } = {},
): ImapValue[] {
  return parseSequence(new Cursor(segments, literals, options.start ?? 0, options.maxNesting ?? DEFAULT_MAX_NESTING), -1, 0);
}

/**
 * FETCH data (RFC 3501 §7.4.2 `msg-att`: `(NAME value NAME value ...)`) from a response assembled as
 * for parseImapValues: the values of the items `wanted` names (upper-cased, no section), in order.
 * The other values are only checked as parseImapValues would check them, not built, so that a
 * decoded view of one item (a BODYSTRUCTURE of 30 values) does not cost the allocation of all of
 * them (FLAGS, an ENVELOPE with nothing to decode). Anything after the list is checked the same way.
 * @throws ImapSyntaxError wherever parseImapValues would throw one
 */
export function parseFetchItems(
  segments: readonly Buffer[],
  literals: readonly (Buffer | null)[],
  wanted: (name: string) => boolean,
  options: { start?: number; maxNesting?: number } = {},
): Array<{ name: string; value: ImapValue }> {
  return parseFetchItemsWith(segments, literals, wanted, options, parseValue);
}

/** parseFetchItems with the wanted values built by `build` (parseValue, or plain-values.ts's builder). */
export function parseFetchItemsWith<T>(
  segments: readonly Buffer[],
  literals: readonly (Buffer | null)[],
  wanted: (name: string) => boolean,
  options: { start?: number; maxNesting?: number },
  build: (c: Cursor) => T,
): Array<{ name: string; value: T }> {
  const c = new Cursor(segments, literals, options.start ?? 0, options.maxNesting ?? DEFAULT_MAX_NESTING);
  const items: Array<{ name: string; value: T }> = [];
  c.skipSpaces();
  if (c.peek() === LPAREN) {
    const openedAt = c.offset;
    c.enter(openedAt);
    c.advance();
    // The items pair up as name and value; a name without a value (malformed) is passed over.
    let name: string | null = null;
    for (;;) {
      c.skipSpaces();
      const b = c.peek();
      if (b === -1 && c.atEnd()) throw new ImapSyntaxError('"(" never closed', openedAt);
      if (b === RPAREN) {
        c.advance();
        c.depth--;
        break;
      }
      if (b === RBRACKET) throw new ImapSyntaxError(`unbalanced "${String.fromCharCode(b)}"`, c.offset);
      if (name !== null && wanted(name)) {
        items.push({ name, value: build(c) });
        name = null;
        continue;
      }
      if (name !== null) {
        skipValue(c);
        name = null;
        continue;
      }
      name = itemName(c);
    }
  }
  for (c.skipSpaces(); !(c.peek() === -1 && c.atEnd()); c.skipSpaces()) {
    const b = c.peek();
    if (b === RPAREN || b === RBRACKET) throw new ImapSyntaxError(`unbalanced "${String.fromCharCode(b)}"`, c.offset);
    skipValue(c);
  }
  return items;
}

/**
 * A FETCH item's name as parseFetchItems reads it: an atom's text, upper-cased; '' for what is not a
 * plain name (a section, a list, NIL, a number), whose value is never wanted but still checked.
 */
function itemName(c: Cursor): string {
  if (c.peek() !== TILDE) {
    // The common case, a plain atom, read in place; anything else as parseValue reads it.
    const start = c.skipAtomOctets();
    const end = c.position;
    if (end > start && c.peek() !== LBRACKET) {
      const text = c.textOf(start, end);
      const nil = text.length === 3 && text.toUpperCase() === 'NIL';
      return nil || (isDigits(text) && Number.isSafeInteger(Number(text))) ? '' : text.toUpperCase();
    }
    c.rewindTo(start);
  }
  const key = parseValue(c);
  return key.type === 'atom' && key.section === undefined ? key.value.toUpperCase() : '';
}

/** Parses values from one line of text that holds no literal. */
export function parseImapLine(text: string): ImapValue[] {
  return parseImapValues([Buffer.from(text, 'utf8')], []);
}

/** An atom, number or string as text (strings decoded as UTF-8); null for NIL, lists and unkept literals. */
export function valueText(v: ImapValue): string | null {
  switch (v.type) {
    case 'atom':
      return v.value;
    case 'number':
      return String(v.value);
    case 'string':
      return v.value.toString('utf8');
    default:
      return null;
  }
}

/** RFC 3501 §4.3: what a quoted string may hold; anything else goes as a literal. */
function quotable(b: Buffer): boolean {
  if (b.length > 1000) return false;
  for (const c of b) if (c === 0 || c === 0x0a || c === 0x0d || c > 0x7e) return false;
  return true;
}

/** Back to IMAP syntax: strings quoted when they can be, as `{n}\r\n` literals otherwise. */
export function serializeImapValue(v: ImapValue): string {
  switch (v.type) {
    case 'atom': {
      const section = v.section ? `[${v.section.map(serializeImapValue).join(' ')}]` : '';
      const partial = v.partial ? `<${v.partial.offset}${v.partial.length === undefined ? '' : `.${v.partial.length}`}>` : '';
      return `${v.value}${section}${partial}`;
    }
    case 'number':
      return String(v.value);
    case 'string':
      return quotable(v.value)
        ? `"${v.value.toString('latin1').replace(/[\\"]/g, (ch) => `\\${ch}`)}"`
        : `{${v.value.length}}\r\n${v.value.toString('latin1')}`;
    case 'literal-ref':
      return `${v.binary ? '~' : ''}{${v.size}}`;
    case 'nil':
      return 'NIL';
    case 'list':
      return `(${v.items.map(serializeImapValue).join(' ')})`;
  }
}

/**
 * An nstring (RFC 3501 §9: a string, quoted or literal, or NIL) as text, octets read as UTF-8; null
 * for NIL, undefined when the value is missing or not string-like. Atoms and numbers where a string
 * belongs are read too, as a lenient client would: some servers send them.
 */
export function nstringText(v: ImapValue | undefined): string | null | undefined {
  if (v === undefined) return undefined;
  if (v.type === 'nil') return null;
  if (v.type === 'string') return v.value.toString('utf8');
  if (v.type === 'atom' && v.section === undefined) return v.value;
  if (v.type === 'number') return String(v.value);
  return undefined;
}
