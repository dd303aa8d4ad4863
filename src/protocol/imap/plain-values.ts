/**
 * IMAP values in the plain form that readers of text need (the ENVELOPE and BODYSTRUCTURE views):
 * strings and atoms as JS strings, numbers, NIL as null, lists as arrays. Built straight from the
 * octets by values.ts's cursor, with the same checks and errors as parseImapValues, but with no
 * Buffer or object per value: a FETCH response of 10,000 messages allocates a tenth of what the
 * general form does. Pure.
 */
import {
  Cursor,
  DEFAULT_MAX_NESTING,
  DQUOTE,
  LBRACE,
  LBRACKET,
  LPAREN,
  parseAtom,
  parseFetchItemsWith,
  parseQuoted,
  parseSequenceWith,
  RPAREN,
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
  if (end - start === 3 && ((octets[start] as number) | 0x20) === 0x6e && ((octets[start + 1] as number) | 0x20) === 0x69 && ((octets[start + 2] as number) | 0x20) === 0x6c) {
    return null;
  }
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

/** Reads one value at the cursor as parseValue does (same errors), in the plain form. */
export function parsePlainValue(c: Cursor): PlainValue {
  const b = c.peek();
  if (b === DQUOTE) return c.takeUnescapedQuotedText() ?? plainValue(parseQuoted(c));
  if (b === LPAREN) {
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
