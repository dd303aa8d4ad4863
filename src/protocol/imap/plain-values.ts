/**
 * IMAP values in the plain form that readers of text need (the ENVELOPE and BODYSTRUCTURE views):
 * strings and atoms as JS strings, numbers, NIL as null, lists as arrays. Built straight from the
 * octets by values.ts's cursor, with the same checks and errors as parseImapValues, but with no
 * Buffer or object per value: a FETCH response of 10,000 messages allocates a tenth of what the
 * general form does. Pure.
 */
import {
  BACKSLASH,
  Cursor,
  DEFAULT_MAX_NESTING,
  DQUOTE,
  ENDS_ATOM,
  LBRACE,
  LBRACKET,
  LPAREN,
  parseAtom,
  parseFetchItemsWith,
  parseQuoted,
  parseSequenceWith,
  RPAREN,
  SP,
  TILDE,
  type ImapValue,
} from './values.js';

/**
 * What a reader of text makes of a value it cannot read as one: an atom with a section
 * (`BODY[HEADER]`), a literal whose octets were not kept.
 */
export const UNREADABLE: unique symbol = Symbol('unreadable');

/**
 * An IMAP value as text: a quoted string, a literal (its octets read as UTF-8) or an atom without a
 * section is a string, a number a number, NIL null, a parenthesized list an array.
 */
export type PlainValue = string | number | null | typeof UNREADABLE | PlainValue[];

/** The plain form of a value of the general form (what plainValue builds from the octets directly). */
export function plainValue(v: ImapValue): PlainValue {
  switch (v.type) {
    case 'atom':
      return v.section === undefined ? v.value : UNREADABLE;
    case 'number':
      return v.value;
    case 'string':
      return v.value.toString('utf8');
    case 'literal-ref':
      return UNREADABLE;
    case 'nil':
      return null;
    case 'list':
      return v.items.map(plainValue);
  }
}

/** At most this many digits always make a safe integer (Number.MAX_SAFE_INTEGER has 16). */
const SAFE_DIGITS = 15;

/** An atom as parseAtom reads it, in the plain form, read from the octets in place. */
function plainAtom(c: Cursor): PlainValue {
  const start = c.skipAtomOctets();
  const end = c.position;
  const octets = c.segment;
  let ascii = true;
  let digits = true;
  for (let i = start; i < end; i++) {
    const b = octets[i] as number;
    if (b > 0x7e) ascii = false;
    if (b < 0x30 || b > 0x39) digits = false;
  }
  // A section, an empty atom (an error) or octets beyond ASCII (whose upper case might spell NIL,
  // as U+0131 does for I): read by parseAtom itself.
  if (c.peek() === LBRACKET || end === start || !ascii) {
    c.rewindTo(start);
    return plainValue(parseAtom(c));
  }
  // RFC 3501 §9: NIL is an atom, in any case.
  if (end - start === 3 && isNil(octets, start)) return null;
  if (digits && end - start <= SAFE_DIGITS) {
    let n = 0;
    for (let i = start; i < end; i++) n = n * 10 + ((octets[i] as number) - 0x30);
    return n;
  }
  const text = c.textOf(start, end);
  if (digits) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

/** "NIL" in any case (RFC 3501 §9), at octets[start, start + 3). */
function isNil(octets: Buffer, start: number): boolean {
  return ((octets[start] as number) | 0x20) === 0x6e && ((octets[start + 1] as number) | 0x20) === 0x69 && ((octets[start + 2] as number) | 0x20) === 0x6c;
}

/**
 * At a "(": the list in the plain form, and the cursor past it, when it lies within the current
 * segment and holds nothing but lists (within the nesting bound), quoted strings without "\\", NIL,
 * numbers of at most SAFE_DIGITS digits and other ASCII atoms without a section: what reads the
 * same however it is read. Built in one loop with a stack of the lists open, no call per value (a
 * BODYSTRUCTURE holds some forty values). Undefined, and nothing moved, for any other list: then
 * parsePlainValue reads it value by value, and fails where parseValue fails.
 */
function plainListInSegment(c: Cursor): PlainValue[] | undefined {
  const octets = c.segment;
  const n = octets.length;
  if (c.depth + 1 > c.maxNesting) return undefined;
  let i = c.position + 1;
  let list: PlainValue[] = [];
  const outer: PlainValue[][] = [];
  for (;;) {
    while (i < n && octets[i] === SP) i++;
    if (i >= n) return undefined;
    const b = octets[i] as number;
    if (b === RPAREN) {
      i++;
      const parent = outer.pop();
      if (parent === undefined) {
        c.moveTo(i);
        return list;
      }
      parent.push(list);
      list = parent;
    } else if (b === LPAREN) {
      if (c.depth + outer.length + 2 > c.maxNesting) return undefined;
      outer.push(list);
      list = [];
      i++;
    } else if (b === DQUOTE) {
      let close = i + 1;
      for (; close < n; close++) {
        const q = octets[close] as number;
        if (q === DQUOTE) break;
        if (q === BACKSLASH) return undefined;
      }
      if (close >= n) return undefined;
      list.push(c.textOf(i + 1, close));
      i = close + 1;
    } else {
      if (b === TILDE) return undefined;
      const start = i;
      let digits = true;
      for (; i < n; i++) {
        const a = octets[i] as number;
        if (ENDS_ATOM[a] === 1) break;
        if (a > 0x7e) return undefined;
        if (a < 0x30 || a > 0x39) digits = false;
      }
      const length = i - start;
      if (length === 0 || (i < n && octets[i] === LBRACKET)) return undefined;
      if (length === 3 && isNil(octets, start)) list.push(null);
      else if (!digits) list.push(c.textOf(start, i));
      else if (length > SAFE_DIGITS) return undefined;
      else {
        let v = 0;
        for (let k = start; k < i; k++) v = v * 10 + ((octets[k] as number) - 0x30);
        list.push(v);
      }
    }
  }
}

/** Reads one value at the cursor as parseValue does (same errors), in the plain form. */
export function parsePlainValue(c: Cursor): PlainValue {
  const b = c.peek();
  if (b === DQUOTE) return c.takeUnescapedQuotedText() ?? plainValue(parseQuoted(c));
  if (b === LPAREN) {
    const whole = plainListInSegment(c);
    if (whole !== undefined) return whole;
    const start = c.offset;
    c.enter(start);
    c.advance();
    const items = parseSequenceWith(c, RPAREN, start, parsePlainValue);
    c.depth--;
    return items;
  }
  if (b === LBRACE || b === TILDE) {
    const literal = c.takeLiteral();
    if (literal) return plainValue(literal);
  }
  return plainAtom(c);
}

/**
 * parseFetchItems (values.ts) with the wanted values in the plain form.
 * @throws ImapSyntaxError wherever parseImapValues would throw one
 */
export function parseFetchPlainItems(
  segments: readonly Buffer[],
  literals: readonly (Buffer | null)[],
  wanted: (name: string) => boolean,
  options: { start?: number; maxNesting?: number } = {},
): Array<{ name: string; value: PlainValue }> {
  return parseFetchItemsWith(segments, literals, wanted, { start: options.start ?? 0, maxNesting: options.maxNesting ?? DEFAULT_MAX_NESTING }, parsePlainValue);
}

/**
 * An nstring (RFC 3501 §9) as text, as values.ts's nstringText reads the general form: null for NIL,
 * undefined when missing, a list or unreadable. Atoms and numbers where a string belongs are read
 * too, as a lenient client would: some servers send them.
 */
export function plainText(v: PlainValue | undefined): string | null | undefined {
  if (typeof v === 'string') return v;
  if (v === null) return null;
  if (typeof v === 'number') return String(v);
  return undefined;
}
