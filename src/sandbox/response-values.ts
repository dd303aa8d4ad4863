/**
 * Values in the sandbox's responses (ENVELOPE, BODYSTRUCTURE, STATUS, ID, ...): the shared IMAP value
 * type, with one addition the grammar needs. RFC 3501 §9 writes some lists without blanks between
 * their members, `env-from = "(" 1*address ")"` and `body-type-mpart = 1*body SP media-subtype`,
 * so `(("Terry Gray" NIL "gray" "cac.washington.edu")("John" ...))` has no space between the two
 * addresses: a `tight` list serializes that way, and a `run` is members written one after the
 * other inside an enclosing list (the bodies of a multipart). Leaves go through the shared serializer, which
 * quotes a string when it can and sends it as a literal when it must. Pure.
 */
import { serializeImapValue, type ImapValue } from '../protocol/imap/values.js';

export type ResponseValue =
  | Exclude<ImapValue, { type: 'list' }>
  | { type: 'list'; items: ResponseValue[]; tight?: boolean }
  | { type: 'run'; items: ResponseValue[] };

export const NIL: ResponseValue = { type: 'nil' };

/** A string (quoted, or a literal when it holds 8-bit octets, CR, LF or NUL, or is long). */
export function str(text: string | Buffer): ResponseValue {
  return { type: 'string', value: typeof text === 'string' ? Buffer.from(text, 'utf8') : text, form: 'quoted' };
}

/** A string, or NIL for null/undefined. */
export function nstr(text: string | Buffer | null | undefined): ResponseValue {
  return text === null || text === undefined ? NIL : str(text);
}

export function num(n: number): ResponseValue {
  return { type: 'number', value: n };
}

export function atom(value: string): ResponseValue {
  return { type: 'atom', value };
}

export function list(items: ResponseValue[], tight = false): ResponseValue {
  return tight ? { type: 'list', items, tight } : { type: 'list', items };
}

/** Values written one after the other, without parentheses or blanks, inside a list. */
export function run(items: ResponseValue[]): ResponseValue {
  return { type: 'run', items };
}

/** The wire form of a value. Literal octets pass through unchanged (latin1 maps bytes 1:1). */
export function serializeResponseValue(v: ResponseValue): Buffer {
  if (v.type === 'run') return Buffer.concat(v.items.map(serializeResponseValue));
  if (v.type !== 'list') return Buffer.from(serializeImapValue(v), 'latin1');
  const parts: Buffer[] = [Buffer.from('(')];
  v.items.forEach((item, i) => {
    if (i > 0 && !v.tight) parts.push(Buffer.from(' '));
    parts.push(serializeResponseValue(item));
  });
  parts.push(Buffer.from(')'));
  return Buffer.concat(parts);
}
