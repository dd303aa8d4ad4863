/**
 * A message as the sandbox serves it: the header fields (RFC 5322 §2.2) and the MIME part tree
 * (RFC 2045, RFC 2046 §5.1) with the octet offsets of every part's header and body in the raw
 * message, so FETCH BODY[1.2.MIME] and friends are slices of the stored bytes and nothing is ever
 * re-encoded. Pure.
 */

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/** One header field as it stands in the message. */
export interface HeaderField {
  /** The field name as written (case kept). */
  name: string;
  /** The whole field, folded lines and final CRLF included: what HEADER.FIELDS returns. */
  raw: Buffer;
  /** The value unfolded (RFC 5322 §2.2.3: CRLF before WSP removed), leading and trailing blanks trimmed. */
  value: Buffer;
}

/** A Content-Type or Content-Disposition: a value and its parameters in order (RFC 2045 §5.1). */
export interface HeaderWithParams {
  value: string;
  params: [string, string][];
}

/** One MIME part (the message itself is the root part). Offsets are into the raw message. */
export interface MimePart {
  /** Where the part's header starts. */
  headerStart: number;
  /** Where the part's body starts (after the empty line ending the header, or = bodyEnd when none). */
  bodyStart: number;
  /** Where the part's body ends (before the CRLF that precedes the next boundary). */
  bodyEnd: number;
  fields: HeaderField[];
  /** Content-Type, with RFC 2045 §5.2's default (text/plain; charset=us-ascii) or RFC 2046 §5.1.5's (message/rfc822 in a digest). */
  type: string;
  subtype: string;
  params: [string, string][];
  /** Whether Content-Type was given (BODYSTRUCTURE shows a default's parameters only then, like Dovecot). */
  typeGiven: boolean;
  /** multipart/*: the parts, in order. */
  children: MimePart[];
  /** message/rfc822: the encapsulated message's root part (its offsets are in the same raw buffer). */
  message: MimePart | null;
  /** Number of lines in the body (LF count), as BODYSTRUCTURE reports for text and message parts. */
  bodyLines: number;
}

/** A header field's value as text: UTF-8 when it is valid, else Latin-1 (8-bit headers from old software). */
export function fieldText(value: Buffer): string {
  const text = value.toString('utf8');
  return text.includes('\ufffd') ? value.toString('latin1') : text;
}

/** The first field called `name` (case-insensitive), or null. */
export function findField(fields: readonly HeaderField[], name: string): HeaderField | null {
  const lower = name.toLowerCase();
  return fields.find((f) => f.name.toLowerCase() === lower) ?? null;
}

/**
 * Where the header section of the part starting at `start` ends: the index just past the empty line
 * (CRLF CRLF, or LF LF in a sloppy message), or `end` when there is no body. RFC 5322 §2.1: the
 * header section ends at the first empty line.
 */
function headerEnd(raw: Buffer, start: number, end: number): number {
  // A part may start with its empty line at once (no header fields at all).
  if (raw[start] === LF) return start + 1;
  if (raw[start] === CR && raw[start + 1] === LF) return Math.min(start + 2, end);
  let i = start;
  while (i < end) {
    const lf = raw.indexOf(LF, i);
    if (lf === -1 || lf >= end) return end;
    const next = lf + 1;
    if (raw[next] === LF && next < end) return next + 1;
    if (raw[next] === CR && raw[next + 1] === LF && next + 1 < end) return next + 2;
    i = next;
  }
  return end;
}

/** Splits a header section into fields; lines that are neither fields nor continuations are skipped. */
export function parseHeaderFields(raw: Buffer, start: number, end: number): HeaderField[] {
  const fields: HeaderField[] = [];
  let i = start;
  let current: { start: number; colon: number } | null = null;
  const close = (stop: number) => {
    if (!current) return;
    const name = raw.subarray(current.start, current.colon).toString('latin1').trim();
    const fieldRaw = raw.subarray(current.start, stop);
    fields.push({ name, raw: fieldRaw, value: unfold(raw.subarray(current.colon + 1, stop)) });
    current = null;
  };
  while (i < end) {
    let lf = raw.indexOf(LF, i);
    if (lf === -1 || lf >= end) lf = end - 1;
    const lineEnd = lf + 1;
    const first = raw[i];
    if (first === SP || first === TAB) {
      // RFC 5322 §2.2.3: a line starting with WSP continues the field above.
      i = lineEnd;
      continue;
    }
    close(i);
    const colon = raw.indexOf(COLON, i);
    if (colon !== -1 && colon < lineEnd && colon > i) current = { start: i, colon };
    i = lineEnd;
  }
  close(end);
  return fields;
}

/** RFC 5322 §2.2.3 unfolding: CRLF followed by WSP becomes the WSP; then the value is trimmed. */
function unfold(value: Buffer): Buffer {
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as number;
    if (c === CR || c === LF) continue;
    out.push(c);
  }
  let s = 0;
  let e = out.length;
  while (s < e && (out[s] === SP || out[s] === TAB)) s++;
  while (e > s && (out[e - 1] === SP || out[e - 1] === TAB)) e--;
  return Buffer.from(out.slice(s, e));
}

/**
 * Parses `value; name=token; name="quoted string"` (RFC 2045 §5.1), skipping (comments). Names
 * and values keep their case as written (BODYSTRUCTURE shows them so); look names up without
 * regard to case. RFC 2231 forms (name*=, name*0=) are kept as written, as IMAP servers pass them
 * through.
 */
export function parseHeaderWithParams(text: string): HeaderWithParams {
  const s = stripComments(text);
  const semi = s.indexOf(';');
  const value = (semi === -1 ? s : s.slice(0, semi)).trim();
  const params: [string, string][] = [];
  let i = semi === -1 ? s.length : semi + 1;
  while (i < s.length) {
    const eq = s.indexOf('=', i);
    if (eq === -1) break;
    const name = s.slice(i, eq).trim();
    let j = eq + 1;
    while (s[j] === ' ' || s[j] === '\t') j++;
    let paramValue = '';
    if (s[j] === '"') {
      j++;
      while (j < s.length && s[j] !== '"') {
        if (s[j] === '\\' && j + 1 < s.length) j++;
        paramValue += s[j];
        j++;
      }
      j++;
      const next = s.indexOf(';', j);
      i = next === -1 ? s.length : next + 1;
    } else {
      const next = s.indexOf(';', j);
      paramValue = (next === -1 ? s.slice(j) : s.slice(j, next)).trim();
      i = next === -1 ? s.length : next + 1;
    }
    if (name !== '') params.push([name, paramValue]);
  }
  return { value, params };
}

/** Removes RFC 5322 §3.2.2 comments outside quoted strings. */
function stripComments(text: string): string {
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      out += ch;
      if (ch === '\\' && i + 1 < text.length) out += text[++i];
      else if (ch === '"') quoted = false;
      continue;
    }
    if (depth > 0) {
      if (ch === '\\') i++;
      else if (ch === '(') depth++;
      else if (ch === ')') depth--;
      continue;
    }
    if (ch === '(') depth++;
    else {
      if (ch === '"') quoted = true;
      out += ch;
    }
  }
  return out;
}

/** The value of parameter `name` (case-insensitive), or undefined. */
export function paramValue(params: readonly [string, string][], name: string): string | undefined {
  const lower = name.toLowerCase();
  return params.find(([k]) => k.toLowerCase() === lower)?.[1];
}

function countLines(raw: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = raw.indexOf(LF, start); i !== -1 && i < end; i = raw.indexOf(LF, i + 1)) n++;
  return n;
}

/** Nesting deeper than this is treated as an opaque part: a hostile message cannot exhaust the stack. */
const MAX_DEPTH = 32;

/**
 * Parses the part spanning raw[start, end). `digest` says the part sits in a multipart/digest, where
 * the default type is message/rfc822 (RFC 2046 §5.1.5).
 */
function parsePart(raw: Buffer, start: number, end: number, digest: boolean, depth: number): MimePart {
  const bodyStart = headerEnd(raw, start, end);
  const fields = parseHeaderFields(raw, start, bodyStart);
  const ct = findField(fields, 'content-type');
  let type = digest ? 'message' : 'text';
  let subtype = digest ? 'rfc822' : 'plain';
  let params: [string, string][] = digest ? [] : [['charset', 'us-ascii']];
  if (ct) {
    const parsed = parseHeaderWithParams(fieldText(ct.value));
    const m = /^([^/\s]+)\s*\/\s*([^\s]+)$/.exec(parsed.value);
    if (m) {
      type = m[1] as string;
      subtype = m[2] as string;
      params = parsed.params;
      // RFC 2046 §4.1.2: a text part without a charset is US-ASCII; BODYSTRUCTURE says so (as Dovecot does).
      if (type.toLowerCase() === 'text' && paramValue(params, 'charset') === undefined) params = [...params, ['charset', 'us-ascii']];
    }
  }
  const part: MimePart = {
    headerStart: start,
    bodyStart,
    bodyEnd: end,
    fields,
    type,
    subtype,
    params,
    typeGiven: ct !== null,
    children: [],
    message: null,
    bodyLines: countLines(raw, bodyStart, end),
  };
  if (depth >= MAX_DEPTH) return part;
  const lowerType = type.toLowerCase();
  if (lowerType === 'multipart') {
    const boundary = paramValue(params, 'boundary');
    if (boundary) part.children = splitMultipart(raw, bodyStart, end, boundary).map(([s, e]) => parsePart(raw, s, e, subtype.toLowerCase() === 'digest', depth + 1));
    // RFC 2046 §5.1.1: a multipart with no parts (or no boundary) is still shown as one empty text part.
    if (part.children.length === 0) part.children = [parsePart(raw, end, end, false, depth + 1)];
  } else if (lowerType === 'message' && subtype.toLowerCase() === 'rfc822') {
    part.message = parsePart(raw, bodyStart, end, false, depth + 1);
  }
  return part;
}

/**
 * The body parts of a multipart body (RFC 2046 §5.1.1): the spans between delimiter lines
 * "--boundary" (trailing blanks allowed), ending at the close delimiter "--boundary--". The CRLF
 * before a delimiter belongs to the delimiter, so a part's span excludes it.
 */
function splitMultipart(raw: Buffer, start: number, end: number, boundary: string): [number, number][] {
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const spans: [number, number][] = [];
  let partStart = -1;
  let lineStart = start;
  while (lineStart < end) {
    let lf = raw.indexOf(LF, lineStart);
    if (lf === -1 || lf >= end) lf = end;
    if (raw.compare(delimiter, 0, delimiter.length, lineStart, Math.min(lineStart + delimiter.length, end)) === 0) {
      const rest = raw.subarray(lineStart + delimiter.length, lf).toString('latin1');
      const close = rest.startsWith('--');
      if (/^[ \t\r]*$/.test(close ? rest.slice(2) : rest)) {
        if (partStart !== -1) {
          // The line break before the delimiter is the delimiter's.
          let partEnd = lineStart;
          if (partEnd > partStart && raw[partEnd - 1] === LF) partEnd--;
          if (partEnd > partStart && raw[partEnd - 1] === CR) partEnd--;
          spans.push([partStart, Math.max(partStart, partEnd)]);
        }
        if (close) return spans;
        partStart = Math.min(lf + 1, end);
      }
    }
    lineStart = lf + 1;
  }
  // No close delimiter: the last part runs to the end (as Dovecot and most readers do).
  if (partStart !== -1) spans.push([partStart, end]);
  return spans;
}

/** Parses a whole message (RFC 5322) into its MIME part tree. */
export function parseMessage(raw: Buffer): MimePart {
  return parsePart(raw, 0, raw.length, false, 0);
}

/**
 * The part called `path` (RFC 3501 §6.4.5 section numbers: [1, 2] is "1.2"), or null. In a
 * non-multipart message, part 1 is the body itself; the parts of a message/rfc822 part are the parts
 * of the encapsulated message.
 */
export function findPart(root: MimePart, path: readonly number[]): MimePart | null {
  let part: MimePart = root;
  for (const n of path) {
    // A message/rfc822 part's subparts are its message's.
    const container = part.message ?? part;
    if (container.children.length > 0) {
      const child = container.children[n - 1];
      if (!child) return null;
      part = child;
    } else {
      if (n !== 1) return null;
      part = container;
    }
  }
  return part;
}

/** Normalises line endings to CRLF (RFC 5322 §2.1): seeds written with LF become valid messages. */
export function toCrlf(raw: Buffer): Buffer {
  let bare = false;
  for (let i = raw.indexOf(LF); i !== -1; i = raw.indexOf(LF, i + 1)) {
    if (i === 0 || raw[i - 1] !== CR) {
      bare = true;
      break;
    }
  }
  if (!bare) return raw;
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as number;
    if (c === LF && (i === 0 || raw[i - 1] !== CR)) out.push(CR);
    out.push(c);
  }
  return Buffer.from(out);
}
