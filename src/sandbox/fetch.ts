/**
 * FETCH (RFC 3501 §6.4.5): the data items parsed from the command (macros ALL, FAST and FULL
 * expanded), and one message's FETCH response built from them. Body sections are slices of the
 * stored message sent as literals, so their octet counts are exact; `<offset.length>` takes a
 * partial slice. Pure.
 */
import type { ImapValue } from '../protocol/imap/values.js';
import { bodyStructure, envelope } from './envelope-structure.js';
import { formatImapDateTime } from './mail-dates.js';
import type { StoredMessage } from './mail-store.js';
import { findPart, type MimePart } from './mime-message.js';
import { serializeResponseValue } from './response-values.js';

/** Which text of a section: the RFC 3501 §6.4.5 section-text, or '' for the whole part. */
export type SectionText = '' | 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';

export interface Section {
  /** Part numbers, [] for the message itself. */
  path: number[];
  text: SectionText;
  /** Field names of HEADER.FIELDS / HEADER.FIELDS.NOT, upper-cased. */
  fields: string[];
}

export type FetchItem =
  | { kind: 'FLAGS' | 'UID' | 'INTERNALDATE' | 'RFC822.SIZE' | 'ENVELOPE' | 'BODYSTRUCTURE' | 'BODY' }
  | { kind: 'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT' }
  | { kind: 'section'; peek: boolean; section: Section; partial: { offset: number; length?: number } | null };

/** A data item that does not parse: the command gets a BAD with this sentence. */
export class FetchSyntaxError extends Error {}

const SIMPLE = new Set(['FLAGS', 'UID', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'RFC822', 'RFC822.HEADER', 'RFC822.TEXT']);

/** RFC 3501 §6.4.5 macros. */
const MACROS: Record<string, string[]> = {
  ALL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE'],
  FAST: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE'],
  FULL: ['FLAGS', 'INTERNALDATE', 'RFC822.SIZE', 'ENVELOPE', 'BODY'],
};

function parseSection(values: readonly ImapValue[]): Section {
  const [spec, fieldList, extra] = values;
  if (spec === undefined) return { path: [], text: '', fields: [] };
  const specText = spec.type === 'number' ? String(spec.value) : spec.type === 'atom' && !spec.section ? spec.value.toUpperCase() : null;
  if (specText === null) throw new FetchSyntaxError('Invalid section');
  const m = /^((?:[1-9]\d*)(?:\.[1-9]\d*)*)?(?:^|\.|$)(HEADER\.FIELDS\.NOT|HEADER\.FIELDS|HEADER|TEXT|MIME)?$/.exec(specText);
  if (!m || (m[1] === undefined && m[2] === undefined) || specText.endsWith('.')) throw new FetchSyntaxError(`Invalid section "${specText}"`);
  const path = m[1] === undefined ? [] : m[1].split('.').map(Number);
  const text = (m[2] ?? '') as SectionText;
  // RFC 3501 §6.4.5: MIME only after a part number.
  if (text === 'MIME' && path.length === 0) throw new FetchSyntaxError('MIME needs a part number');
  let fields: string[] = [];
  if (text === 'HEADER.FIELDS' || text === 'HEADER.FIELDS.NOT') {
    if (fieldList?.type !== 'list' || fieldList.items.length === 0) throw new FetchSyntaxError(`${text} needs a list of field names`);
    fields = fieldList.items.map((f) => {
      if (f.type === 'atom' && !f.section) return f.value.toUpperCase();
      if (f.type === 'string') return f.value.toString('utf8').toUpperCase();
      if (f.type === 'number') return String(f.value);
      throw new FetchSyntaxError('Invalid header field name');
    });
    if (extra !== undefined) throw new FetchSyntaxError('Invalid section');
  } else if (fieldList !== undefined) {
    throw new FetchSyntaxError('Invalid section');
  }
  return { path, text, fields };
}

function parseItem(v: ImapValue): FetchItem[] {
  if (v.type !== 'atom') throw new FetchSyntaxError('Invalid fetch item');
  const name = v.value.toUpperCase();
  if (v.section !== undefined) {
    if (name !== 'BODY' && name !== 'BODY.PEEK') throw new FetchSyntaxError(`Invalid fetch item "${v.value}[...]"`);
    if (v.partial?.length === 0) throw new FetchSyntaxError('Partial length must be positive');
    return [{ kind: 'section', peek: name === 'BODY.PEEK', section: parseSection(v.section), partial: v.partial ?? null }];
  }
  const macro = MACROS[name];
  if (macro) return macro.map((kind) => ({ kind }) as FetchItem);
  if (SIMPLE.has(name)) return [{ kind: name } as FetchItem];
  throw new FetchSyntaxError(`Unknown fetch item "${v.value}"`);
}

/**
 * Parses FETCH's data items: one item or macro, or a parenthesized list of items (RFC 3501 §6.4.5;
 * macros stand alone, not inside a list).
 * @throws FetchSyntaxError
 */
export function parseFetchItems(values: readonly ImapValue[]): FetchItem[] {
  if (values.length !== 1) throw new FetchSyntaxError(values.length === 0 ? 'Missing fetch items' : 'Fetch items must be one item or a list');
  const v = values[0] as ImapValue;
  if (v.type === 'list') {
    if (v.items.length === 0) throw new FetchSyntaxError('Empty fetch item list');
    return v.items.flatMap((item) => {
      if (item.type === 'atom' && !item.section && MACROS[item.value.toUpperCase()]) throw new FetchSyntaxError(`${item.value} is a macro and stands alone`);
      return parseItem(item);
    });
  }
  return parseItem(v);
}

/** Whether fetching these items sets \Seen (RFC 3501 §6.4.5: BODY[...] without .PEEK, RFC822, RFC822.TEXT). */
export function fetchSetsSeen(items: readonly FetchItem[]): boolean {
  return items.some((i) => i.kind === 'RFC822' || i.kind === 'RFC822.TEXT' || (i.kind === 'section' && !i.peek));
}

/** The response item name of a section: `BODY[1.HEADER.FIELDS (DATE FROM)]`, `<offset>` added for a partial. */
function sectionName(item: Extract<FetchItem, { kind: 'section' }>): string {
  const { path, text, fields } = item.section;
  const spec = [path.join('.'), text].filter((s) => s !== '').join('.');
  const list = fields.length > 0 ? ` (${fields.join(' ')})` : '';
  return `BODY[${spec}${list}]${item.partial ? `<${item.partial.offset}>` : ''}`;
}

const CRLF = Buffer.from('\r\n');

/** The header fields of `part` named (or not named) in `names`, each as written, then the empty line. */
function headerFields(part: MimePart, names: readonly string[], not: boolean): Buffer {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const chosen = part.fields.filter((f) => wanted.has(f.name.toLowerCase()) !== not).map((f) => f.raw);
  return Buffer.concat([...chosen, CRLF]);
}

/**
 * The octets a section names, or null when the message has no such part. RFC 3501 §6.4.5: HEADER,
 * HEADER.FIELDS and TEXT after part numbers refer to an encapsulated message/rfc822 part's message.
 */
export function sectionBytes(message: StoredMessage, section: Section): Buffer | null {
  const raw = message.raw;
  const target = findPart(message.mime, section.path);
  if (!target) return null;
  if (section.text === '') {
    return section.path.length === 0 ? raw : raw.subarray(target.bodyStart, target.bodyEnd);
  }
  if (section.text === 'MIME') return raw.subarray(target.headerStart, target.bodyStart);
  const msg = section.path.length === 0 ? target : target.message;
  if (!msg) return null;
  switch (section.text) {
    case 'HEADER':
      return raw.subarray(msg.headerStart, msg.bodyStart);
    case 'TEXT':
      return raw.subarray(msg.bodyStart, msg.bodyEnd);
    case 'HEADER.FIELDS':
      return headerFields(msg, section.fields, false);
    case 'HEADER.FIELDS.NOT':
      return headerFields(msg, section.fields, true);
  }
}

function literal(bytes: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}

function partial(bytes: Buffer, p: { offset: number; length?: number } | null): Buffer {
  if (!p) return bytes;
  // RFC 3501 §6.4.5: an offset past the end gives an empty string; a length past the end is cut.
  const start = Math.min(p.offset, bytes.length);
  return bytes.subarray(start, p.length === undefined ? bytes.length : Math.min(bytes.length, start + p.length));
}

/** What FETCH needs from the session for one message. */
export interface FetchContext {
  seq: number;
  /** The message's flags as this session reports them, \Recent included. */
  flags: readonly string[];
  /** UID FETCH: the UID is reported even when not asked for (RFC 3501 §6.4.8). */
  includeUid: boolean;
  /** \Seen was just set by this FETCH: FLAGS is reported even when not asked for (RFC 3501 §6.4.5). */
  includeFlags: boolean;
}

/**
 * One `* n FETCH (...)` response line, literals included, CRLF-terminated; null when it would be
 * longer than `maxOctets` (items naming the same octets over and over, `BODY[]<0> BODY[]<1> ...`,
 * would otherwise multiply a message without bound).
 */
export function fetchResponse(message: StoredMessage, items: readonly FetchItem[], ctx: FetchContext, maxOctets = Number.POSITIVE_INFINITY): Buffer | null {
  const parts: Buffer[] = [];
  const seen = new Set<string>();
  let octets = 0;
  const add = (name: string, value: Buffer) => {
    if (seen.has(name) || octets > maxOctets) return;
    seen.add(name);
    octets += name.length + 2 + value.length;
    if (octets <= maxOctets) parts.push(Buffer.concat([Buffer.from(`${name} `), value]));
  };
  const flags = () => Buffer.from(`(${ctx.flags.join(' ')})`);
  // UID FETCH reports the UID even when not asked for (RFC 3501 §6.4.8): first, as Dovecot, Cyrus
  // and the lecture's slides put it ("* 2 FETCH (UID 34 ENVELOPE ...)").
  if (ctx.includeUid && !items.some((item) => item.kind === 'UID')) add('UID', Buffer.from(String(message.uid)));
  for (const item of items) {
    switch (item.kind) {
      case 'FLAGS':
        add('FLAGS', flags());
        break;
      case 'UID':
        add('UID', Buffer.from(String(message.uid)));
        break;
      case 'INTERNALDATE':
        add('INTERNALDATE', Buffer.from(`"${formatImapDateTime(message.internalDate)}"`));
        break;
      case 'RFC822.SIZE':
        add('RFC822.SIZE', Buffer.from(String(message.size)));
        break;
      case 'ENVELOPE':
        add('ENVELOPE', serializeResponseValue(envelope(message.mime.fields)));
        break;
      case 'BODY':
        add('BODY', serializeResponseValue(bodyStructure(message.mime, false)));
        break;
      case 'BODYSTRUCTURE':
        add('BODYSTRUCTURE', serializeResponseValue(bodyStructure(message.mime, true)));
        break;
      case 'RFC822':
        add('RFC822', literal(message.raw));
        break;
      case 'RFC822.HEADER':
        add('RFC822.HEADER', literal(message.raw.subarray(0, message.mime.bodyStart)));
        break;
      case 'RFC822.TEXT':
        add('RFC822.TEXT', literal(message.raw.subarray(message.mime.bodyStart)));
        break;
      case 'section': {
        const bytes = sectionBytes(message, item.section);
        add(sectionName(item), bytes === null ? Buffer.from('NIL') : literal(partial(bytes, item.partial)));
        break;
      }
    }
  }
  if (ctx.includeFlags) add('FLAGS', flags());
  if (octets > maxOctets) return null;
  const joined: Buffer[] = [];
  parts.forEach((p, i) => {
    if (i > 0) joined.push(Buffer.from(' '));
    joined.push(p);
  });
  return Buffer.concat([Buffer.from(`* ${ctx.seq} FETCH (`), ...joined, Buffer.from(')\r\n')]);
}
