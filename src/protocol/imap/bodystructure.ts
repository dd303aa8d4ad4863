/**
 * FETCH BODYSTRUCTURE / BODY (RFC 3501 §7.4.2, §9 `body`): the MIME structure of a message read from
 * IMAP values, and shown as an indented tree whose labels are the section numbers FETCH BODY[...]
 * takes (RFC 3501 §6.4.5: "1", "2.1", ...). Pure.
 */
import { decodeParameters } from '../mime/parameters.js';
import { plainText as nstringText, type PlainValue } from './plain-values.js';

export interface BodyPart {
  /** Lower-case media type and subtype, e.g. "text", "plain". */
  type: string;
  subtype: string;
  /** Parameters as sent (attribute, value). */
  params: Array<[string, string]>;
  id: string | null;
  description: string | null;
  /** Content-Transfer-Encoding; multipart parts have none. */
  encoding: string | null;
  /** Size of the part's body in octets (single parts only). */
  octets: number | null;
  /** Lines of a text/* or message/rfc822 part. */
  lines: number | null;
  disposition: { type: string; params: Array<[string, string]> } | null;
  /** Parts of a multipart. */
  children: BodyPart[];
  /** The body of an encapsulated message (message/rfc822, message/global). */
  message: BodyPart | null;
}


function num(v: PlainValue | undefined): number | null {
  return typeof v === 'number' ? v : null;
}

/** body-fld-param: `("charset" "us-ascii" "name" "x")` or NIL. */
function params(v: PlainValue | undefined): Array<[string, string]> {
  if (!Array.isArray(v)) return [];
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < v.length; i += 2) {
    const k = nstringText(v[i]);
    const val = nstringText(v[i + 1]);
    if (k && val !== undefined && val !== null) out.push([k, val]);
  }
  return out;
}

/** body-fld-dsp: `("attachment" ("filename" "x.pdf"))` or NIL. */
function disposition(v: PlainValue | undefined): BodyPart['disposition'] {
  if (!Array.isArray(v)) return null;
  const type = nstringText(v[0]);
  if (!type) return null;
  return { type: type.toLowerCase(), params: params(v[1]) };
}

/** Reads a BODYSTRUCTURE or BODY value (plain-values.ts); null when it does not have the RFC 3501 shape. */
export function parseBodyStructure(v: PlainValue, depth = 0): BodyPart | null {
  // Nesting is bounded by the parser's input; a bound here keeps hostile input from exhausting the stack.
  if (!Array.isArray(v) || v.length === 0 || depth > 100) return null;
  const items = v;
  if (Array.isArray(items[0])) {
    // body-type-mpart: 1*body SP media-subtype [SP body-ext-mpart]
    const children: BodyPart[] = [];
    let i = 0;
    for (; i < items.length && Array.isArray(items[i]); i++) {
      const child = parseBodyStructure(items[i] as PlainValue, depth + 1);
      if (!child) return null;
      children.push(child);
    }
    const subtype = nstringText(items[i]);
    if (!subtype) return null;
    return {
      type: 'multipart',
      subtype: subtype.toLowerCase(),
      params: params(items[i + 1]),
      id: null,
      description: null,
      encoding: null,
      octets: null,
      lines: null,
      disposition: disposition(items[i + 2]),
      children,
      message: null,
    };
  }
  // body-type-1part: type, subtype, body-fields (params id desc enc octets), then by type.
  const type = nstringText(items[0])?.toLowerCase();
  const subtype = nstringText(items[1])?.toLowerCase();
  if (!type || !subtype || items.length < 7) return null;
  const part: BodyPart = {
    type,
    subtype,
    params: params(items[2]),
    id: nstringText(items[3]) ?? null,
    description: nstringText(items[4]) ?? null,
    encoding: nstringText(items[5])?.toLowerCase() ?? null,
    octets: num(items[6]),
    lines: null,
    disposition: null,
    children: [],
    message: null,
  };
  let ext = 7;
  const encapsulated = isEncapsulated(type, subtype, items);
  if (encapsulated) {
    // body-type-msg: ... SP envelope SP body SP body-fld-lines
    part.message = parseBodyStructure(items[8] as PlainValue, depth + 1);
    part.lines = num(items[9]);
    ext = 10;
  } else if (type === 'text') {
    part.lines = num(items[7]);
    ext = 8;
  }
  // body-ext-1part: body-fld-md5 [SP body-fld-dsp ...]
  part.disposition = disposition(items[ext + 1]);
  return part;
}

/**
 * Whether a message/rfc822 (or message/global) part comes in the body-type-msg form, with the
 * envelope, body and lines of the message inside (RFC 3501 §7.4.2). Some servers send such a part
 * in the basic form instead (NIL where the envelope would be, the disposition after it): read as
 * body-type-msg, its disposition was taken for the inner body and lost. An envelope is never NIL.
 */
function isEncapsulated(type: string, subtype: string, items: readonly PlainValue[]): boolean {
  return type === 'message' && (subtype === 'rfc822' || subtype === 'global') && Array.isArray(items[7]) && Array.isArray(items[8]);
}

/** A value of these characters only (a token) is shown without quotes. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function quoteIfNeeded(value: string): string {
  return TOKEN.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function paramText(pairs: Array<[string, string]>): string {
  let out = '';
  for (const [name, value] of pairs) {
    // Most parameters are neither RFC 2231 pieces ("*" in the name) nor hold an RFC 2047 word:
    // decodeParameters would give them back as they are, lower-cased names aside.
    if (name.includes('*') || value.includes('=?')) return decodedParamText(pairs);
    out += `; ${name.toLowerCase()}=${quoteIfNeeded(value)}`;
  }
  return out;
}

/** paramText(params(v)), with no pair made of the list's values (the BODYSTRUCTURE lines' form). */
function paramTextOf(v: PlainValue | undefined): string {
  if (!Array.isArray(v)) return '';
  let out = '';
  for (let i = 0; i + 1 < v.length; i += 2) {
    const name = nstringText(v[i]);
    const value = nstringText(v[i + 1]);
    if (!name || value === undefined || value === null) continue;
    if (name.includes('*') || value.includes('=?')) return decodedParamText(params(v));
    out += `; ${name.toLowerCase()}=${quoteIfNeeded(value)}`;
  }
  return out;
}

/** disposition's line part (`, attachment; filename=x`), with no object made of it; '' for none. */
function dispositionText(v: PlainValue | undefined): string {
  if (!Array.isArray(v)) return '';
  const type = nstringText(v[0]);
  return type ? `, ${type.toLowerCase()}${paramTextOf(v[1])}` : '';
}

function decodedParamText(pairs: Array<[string, string]>): string {
  let out = '';
  for (const p of decodeParameters(pairs)) out += `; ${p.name}=${quoteIfNeeded(p.value)}`;
  return out;
}

/** One part's line: `text/plain; charset=utf-8, quoted-printable, 1152 octets, 23 lines, attachment; filename=x`. */
function partLine(part: BodyPart): string {
  let line = `${part.type}/${part.subtype}${paramText(part.params)}`;
  if (part.encoding !== null && part.type !== 'multipart') line += `, ${part.encoding}`;
  if (part.octets !== null) line += `, ${part.octets} octet${part.octets === 1 ? '' : 's'}`;
  if (part.lines !== null) line += `, ${part.lines} line${part.lines === 1 ? '' : 's'}`;
  if (part.id !== null) line += `, id ${part.id}`;
  if (part.description !== null) line += `, "${part.description}"`;
  if (part.disposition) line += `, ${part.disposition.type}${paramText(part.disposition.params)}`;
  return line;
}

/**
 * The structure as indented lines, each part labelled with its section number:
 * ```
 * multipart/mixed; boundary=b1
 *   [1] text/plain; charset=us-ascii, 7bit, 1152 octets, 23 lines
 *   [2] message/rfc822, 7bit, 4554 octets, 73 lines
 *     [2.1] text/plain; charset=utf-8, base64, 300 octets, 4 lines
 * ```
 * A multipart has no section of its own here: the message's top level is `BODY[TEXT]`, and one
 * nested in an encapsulated message is that message's body (RFC 3501 §6.4.5).
 */
export function bodyStructureTree(root: BodyPart): string[] {
  const lines: string[] = [];
  const walk = (part: BodyPart, label: string | null, prefix: string | null, depth: number) => {
    const indent = '  '.repeat(depth);
    lines.push(`${indent}${label === null ? '' : `[${label}] `}${partLine(part)}`);
    if (part.type === 'multipart') {
      part.children.forEach((child, i) => {
        const section = prefix === null ? String(i + 1) : `${prefix}.${i + 1}`;
        walk(child, section, section, depth + 1);
      });
    } else if (part.message) {
      const inner = part.message;
      const section = label ?? '1';
      if (inner.type === 'multipart') walk(inner, null, section, depth + 1);
      else walk(inner, `${section}.1`, `${section}.1`, depth + 1);
    }
  };
  // RFC 3501 §6.4.5: a message that is not multipart has exactly one part, "1".
  if (root.type === 'multipart') walk(root, null, null, 0);
  else walk(root, '1', '1', 0);
  return lines;
}

/** Indents by depth, made once: every line of a tree starts with one. */
const INDENTS = Array.from({ length: 8 }, (_, i) => '  '.repeat(i));

function indentOf(depth: number): string {
  return INDENTS[depth] ?? '  '.repeat(depth);
}

/**
 * The lines of `bodyStructureTree(parseBodyStructure(v))`, each indented by `indent` more levels,
 * appended to `out`; false (and `out` as it was) when parseBodyStructure would give null. Built
 * straight from the plain value, with no BodyPart in between: the decoded view of a FETCH of
 * 10,000 messages reads 10,000 of them, and most of that code never runs warm within one FETCH.
 */
export function appendBodyStructureLines(v: PlainValue, indent: number, out: string[]): boolean {
  const before = out.length;
  // RFC 3501 §6.4.5: a message that is not multipart has exactly one part, "1".
  const ok = isMultipart(v) ? appendPart(v, null, null, indent, 0, out) : appendPart(v, '1', '1', indent, 0, out);
  if (!ok) out.length = before;
  return ok;
}

/** Whether parseBodyStructure would read `v` as a part of type multipart (a section of no number). */
function isMultipart(v: PlainValue): boolean {
  return Array.isArray(v) && v.length > 0 && (Array.isArray(v[0]) || nstringText(v[0])?.toLowerCase() === 'multipart');
}

/**
 * One part's line and those of the parts inside it, as bodyStructureTree's walk writes them
 * (`label` and `prefix` as there, `depth` the indent, `nesting` parseBodyStructure's bound); false
 * when parseBodyStructure would refuse the part (the caller drops what was appended).
 */
function appendPart(v: PlainValue, label: string | null, prefix: string | null, depth: number, nesting: number, out: string[]): boolean {
  if (!Array.isArray(v) || v.length === 0 || nesting > 100) return false;
  const items = v;
  const head = `${indentOf(depth)}${label === null ? '' : `[${label}] `}`;
  if (Array.isArray(items[0])) {
    // body-type-mpart: 1*body SP media-subtype [SP body-ext-mpart]; the line comes before the children's.
    let i = 0;
    while (i < items.length && Array.isArray(items[i])) i++;
    const subtype = nstringText(items[i]);
    if (!subtype) return false;
    out.push(`${head}multipart/${subtype.toLowerCase()}${paramTextOf(items[i + 1])}${dispositionText(items[i + 2])}`);
    for (let k = 0; k < i; k++) {
      const section = prefix === null ? String(k + 1) : `${prefix}.${k + 1}`;
      if (!appendPart(items[k] as PlainValue, section, section, depth + 1, nesting + 1, out)) return false;
    }
    return true;
  }
  // body-type-1part: type, subtype, body-fields (params id desc enc octets), then by type.
  const type = nstringText(items[0])?.toLowerCase();
  const subtype = nstringText(items[1])?.toLowerCase();
  if (!type || !subtype || items.length < 7) return false;
  let line = `${head}${type}/${subtype}${paramTextOf(items[2])}`;
  const encoding = nstringText(items[5]);
  // partLine leaves the encoding out for type "multipart" (a single part may be called so).
  if (typeof encoding === 'string' && type !== 'multipart') line += `, ${encoding.toLowerCase()}`;
  const octets = items[6];
  if (typeof octets === 'number') line += `, ${octets} octet${octets === 1 ? '' : 's'}`;
  let ext = 7;
  let lines: PlainValue | undefined;
  const encapsulated = isEncapsulated(type, subtype, items);
  if (encapsulated) {
    lines = items[9];
    ext = 10;
  } else if (type === 'text') {
    lines = items[7];
    ext = 8;
  }
  if (typeof lines === 'number') line += `, ${lines} line${lines === 1 ? '' : 's'}`;
  const id = nstringText(items[3]);
  if (typeof id === 'string') line += `, id ${id}`;
  const description = nstringText(items[4]);
  if (typeof description === 'string') line += `, "${description}"`;
  line += dispositionText(items[ext + 1]);
  out.push(line);
  if (encapsulated) {
    // body-type-msg: ... SP envelope SP body SP body-fld-lines. An inner body without the RFC shape
    // is left out, not a reason to refuse the part (parseBodyStructure's message is null then).
    const inner = items[8] as PlainValue[];
    const section = label ?? '1';
    const before = out.length;
    const ok = isMultipart(inner)
      ? appendPart(inner, null, section, depth + 1, nesting + 1, out)
      : appendPart(inner, `${section}.1`, `${section}.1`, depth + 1, nesting + 1, out);
    if (!ok) out.length = before;
  }
  return true;
}
