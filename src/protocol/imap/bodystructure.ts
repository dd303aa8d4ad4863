/**
 * FETCH BODYSTRUCTURE / BODY (RFC 3501 §7.4.2, §9 `body`): the MIME structure of a message read from
 * IMAP values, and shown as an indented tree whose labels are the section numbers FETCH BODY[...]
 * takes (RFC 3501 §6.4.5: "1", "2.1", ...). Pure.
 */
import { decodeParameters } from '../mime/parameters.js';
import { nstringText, type ImapValue } from './values.js';

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


function num(v: ImapValue | undefined): number | null {
  return v?.type === 'number' ? v.value : null;
}

/** body-fld-param: `("charset" "us-ascii" "name" "x")` or NIL. */
function params(v: ImapValue | undefined): Array<[string, string]> {
  if (v?.type !== 'list') return [];
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < v.items.length; i += 2) {
    const k = nstringText(v.items[i]);
    const val = nstringText(v.items[i + 1]);
    if (k && val !== undefined && val !== null) out.push([k, val]);
  }
  return out;
}

/** body-fld-dsp: `("attachment" ("filename" "x.pdf"))` or NIL. */
function disposition(v: ImapValue | undefined): BodyPart['disposition'] {
  if (v?.type !== 'list') return null;
  const type = nstringText(v.items[0]);
  if (!type) return null;
  return { type: type.toLowerCase(), params: params(v.items[1]) };
}

/** Reads a BODYSTRUCTURE or BODY value; null when it does not have the RFC 3501 shape. */
export function parseBodyStructure(v: ImapValue, depth = 0): BodyPart | null {
  // Nesting is bounded by the parser's input; a bound here keeps hostile input from exhausting the stack.
  if (v.type !== 'list' || v.items.length === 0 || depth > 100) return null;
  const items = v.items;
  if (items[0]?.type === 'list') {
    // body-type-mpart: 1*body SP media-subtype [SP body-ext-mpart]
    const children: BodyPart[] = [];
    let i = 0;
    for (; i < items.length && items[i]?.type === 'list'; i++) {
      const child = parseBodyStructure(items[i] as ImapValue, depth + 1);
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
  const encapsulated = type === 'message' && (subtype === 'rfc822' || subtype === 'global') && items[8]?.type === 'list';
  if (encapsulated) {
    // body-type-msg: ... SP envelope SP body SP body-fld-lines
    part.message = parseBodyStructure(items[8] as ImapValue, depth + 1);
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

function quoteIfNeeded(value: string): string {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function paramText(pairs: Array<[string, string]>): string {
  return decodeParameters(pairs)
    .map((p) => `; ${p.name}=${quoteIfNeeded(p.value)}`)
    .join('');
}

/** One part's line: `text/plain; charset=utf-8, quoted-printable, 1152 octets, 23 lines, attachment; filename=x`. */
function partLine(part: BodyPart): string {
  const bits = [`${part.type}/${part.subtype}${paramText(part.params)}`];
  if (part.encoding !== null && part.type !== 'multipart') bits.push(part.encoding);
  if (part.octets !== null) bits.push(`${part.octets} octet${part.octets === 1 ? '' : 's'}`);
  if (part.lines !== null) bits.push(`${part.lines} line${part.lines === 1 ? '' : 's'}`);
  if (part.id !== null) bits.push(`id ${part.id}`);
  if (part.description !== null) bits.push(`"${part.description}"`);
  if (part.disposition) bits.push(`${part.disposition.type}${paramText(part.disposition.params)}`);
  return bits.join(', ');
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
