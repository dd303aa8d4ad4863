/**
 * SEARCH (RFC 3501 §6.4.4): the criteria parsed from the command's values into a tree, and the tree
 * evaluated against one message at a time. Keys are ANDed; OR and NOT nest; a parenthesized list
 * groups. String criteria match case-insensitively as substrings, against header fields with their
 * encoded words decoded and bodies with their transfer encoding undone. Pure.
 */
import { valueText, type ImapValue } from '../protocol/imap/values.js';
import { dayNumber, parseMessageDate, parseSearchDate, type DayNumber } from './mail-dates.js';
import type { StoredMessage } from './mail-store.js';
import { fieldText, findField, paramValue, type MimePart } from './mime-message.js';
import { inSequenceSet, parseSequenceSet, type SequenceSet } from './sequence-set.js';
import { containsText, decodeCharset, decodeEncodedWords, decodeTransferEncoding } from './text-decoding.js';

export type SearchKey =
  | { kind: 'all' }
  | { kind: 'flag'; flag: string; present: boolean }
  | { kind: 'recent'; present: boolean }
  | { kind: 'header'; field: string; value: string }
  | { kind: 'text'; value: string; bodyOnly: boolean }
  | { kind: 'date'; source: 'internal' | 'sent'; compare: 'before' | 'on' | 'since'; day: DayNumber }
  | { kind: 'size'; compare: 'larger' | 'smaller'; octets: number }
  | { kind: 'sequence'; set: SequenceSet; uid: boolean }
  | { kind: 'not'; key: SearchKey }
  | { kind: 'or'; a: SearchKey; b: SearchKey }
  | { kind: 'and'; keys: SearchKey[] };

/** A criterion that does not parse: the command gets a BAD with this sentence. */
export class SearchSyntaxError extends Error {}

/** A search beyond what one command may ask (RFC 5530 LIMIT): a BAD [LIMIT] with this sentence. */
export class SearchLimitError extends SearchSyntaxError {}

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};

const HEADER_KEYS = new Set(['FROM', 'TO', 'CC', 'BCC', 'SUBJECT']);

const DATE_KEYS: Record<string, ['internal' | 'sent', 'before' | 'on' | 'since']> = {
  BEFORE: ['internal', 'before'],
  ON: ['internal', 'on'],
  SINCE: ['internal', 'since'],
  SENTBEFORE: ['sent', 'before'],
  SENTON: ['sent', 'on'],
  SENTSINCE: ['sent', 'since'],
};

/**
 * How deep NOT, OR and parenthesized groups may nest. RFC 3501 §6.4.4 sets no bound; each level is a
 * level of recursion here and when the key is evaluated, so "NOT NOT NOT ... ALL" a thousand deep is
 * refused with a BAD instead of running the stack out.
 */
export const MAX_SEARCH_NESTING = 100;

/**
 * How many keys one SEARCH may hold. Each string key scans every message's text, so the keys
 * multiply the work of one command: 200,000 "TEXT x" in a 1 MiB command line would scan the
 * mailbox 200,000 times. Real searches use a handful.
 */
export const MAX_SEARCH_KEYS = 256;

class Reader {
  private i = 0;
  constructor(
    private readonly values: readonly ImapValue[],
    /** Keys read so far, shared by the readers of nested groups. */
    readonly count: { keys: number } = { keys: 0 },
  ) {}

  get done(): boolean {
    return this.i >= this.values.length;
  }

  next(what: string): ImapValue {
    const v = this.values[this.i++];
    if (v === undefined) throw new SearchSyntaxError(`Missing ${what}`);
    return v;
  }

  text(what: string): string {
    const v = this.next(what);
    const text = valueText(v);
    if (text === null || (v.type === 'atom' && v.section)) throw new SearchSyntaxError(`Expected ${what}`);
    return text;
  }
}

function parseKey(r: Reader, depth: number): SearchKey {
  if (depth > MAX_SEARCH_NESTING) throw new SearchSyntaxError(`Search keys nested more than ${MAX_SEARCH_NESTING} levels deep`);
  if (++r.count.keys > MAX_SEARCH_KEYS) throw new SearchLimitError(`More than ${MAX_SEARCH_KEYS} search keys in one SEARCH`);
  const v = r.next('search key');
  if (v.type === 'list') {
    if (v.items.length === 0) throw new SearchSyntaxError('Empty search key list');
    return parseKeys(new Reader(v.items, r.count), depth + 1);
  }
  if (v.type === 'number') return { kind: 'sequence', set: parseSequenceSet(String(v.value)) as SequenceSet, uid: false };
  if (v.type !== 'atom' || v.section) throw new SearchSyntaxError('Expected a search key');
  const key = v.value.toUpperCase();
  const flag = FLAG_KEYS[key];
  if (flag) return { kind: 'flag', flag: flag[0], present: flag[1] };
  if (HEADER_KEYS.has(key)) return { kind: 'header', field: key.toLowerCase(), value: r.text(`${key} string`) };
  const date = DATE_KEYS[key];
  if (date) {
    const text = r.text(`${key} date`);
    const day = parseSearchDate(text);
    if (day === null) throw new SearchSyntaxError(`Invalid date "${text}"`);
    return { kind: 'date', source: date[0], compare: date[1], day };
  }
  switch (key) {
    case 'ALL':
      return { kind: 'all' };
    case 'RECENT':
      return { kind: 'recent', present: true };
    case 'OLD':
      return { kind: 'recent', present: false };
    case 'NEW':
      // RFC 3501 §6.4.4: "functionally equivalent to (RECENT UNSEEN)".
      return { kind: 'and', keys: [{ kind: 'recent', present: true }, { kind: 'flag', flag: '\\Seen', present: false }] };
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { kind: 'flag', flag: r.text('keyword'), present: key === 'KEYWORD' };
    case 'HEADER': {
      const field = r.text('header field name');
      return { kind: 'header', field: field.toLowerCase(), value: r.text('header string') };
    }
    case 'TEXT':
    case 'BODY':
      return { kind: 'text', value: r.text(`${key} string`), bodyOnly: key === 'BODY' };
    case 'LARGER':
    case 'SMALLER': {
      const n = r.next('number');
      if (n.type !== 'number') throw new SearchSyntaxError(`${key} needs a number`);
      return { kind: 'size', compare: key === 'LARGER' ? 'larger' : 'smaller', octets: n.value };
    }
    case 'NOT':
      return { kind: 'not', key: parseKey(r, depth + 1) };
    case 'OR': {
      const a = parseKey(r, depth + 1);
      return { kind: 'or', a, b: parseKey(r, depth + 1) };
    }
    case 'UID': {
      const text = r.text('UID set');
      const set = parseSequenceSet(text);
      if (!set) throw new SearchSyntaxError(`Invalid UID set "${text}"`);
      return { kind: 'sequence', set, uid: true };
    }
    default: {
      const set = parseSequenceSet(v.value);
      if (set) return { kind: 'sequence', set, uid: false };
      throw new SearchSyntaxError(`Unknown search key "${v.value}"`);
    }
  }
}

function parseKeys(r: Reader, depth: number): SearchKey {
  const keys: SearchKey[] = [];
  while (!r.done) keys.push(parseKey(r, depth));
  return keys.length === 1 ? (keys[0] as SearchKey) : { kind: 'and', keys };
}

/**
 * Parses SEARCH's arguments (after an optional CHARSET, which the caller takes off).
 * @throws SearchSyntaxError
 */
export function parseSearchKeys(values: readonly ImapValue[]): SearchKey {
  if (values.length === 0) throw new SearchSyntaxError('Missing search criteria');
  return parseKeys(new Reader(values), 0);
}

/** What a key is evaluated against: the message and where it stands in the session's view. */
export interface SearchContext {
  message: StoredMessage;
  seq: number;
  /** Messages in the view ("*" for sequence numbers) and the largest UID ("*" for UIDs). */
  maxSeq: number;
  maxUid: number;
  /** \Recent for this session. */
  recent: boolean;
}

function compareDay(day: DayNumber, compare: 'before' | 'on' | 'since', target: DayNumber): boolean {
  if (compare === 'before') return day < target;
  if (compare === 'on') return day === target;
  return day >= target;
}

/** Header fields decoded for matching, by field name (all fields with that name, joined). */
function headerText(part: MimePart, field: string): string | null {
  const matching = part.fields.filter((f) => f.name.toLowerCase() === field);
  if (matching.length === 0) return null;
  return matching.map((f) => decodeEncodedWords(fieldText(f.value))).join('\n');
}

/**
 * Decoded text of messages, kept by their octets (so a message and its COPYs share one), and only
 * for messages small enough that keeping it costs little: the text of a large one is made for each
 * SEARCH and let go, so SEARCH never holds more than the mail itself plus one message.
 */
const bodyTextCache = new WeakMap<Buffer, string>();
const CACHED_TEXT_OCTETS = 256 * 1024;

/** The text parts of a message, decoded and lower-cased (RFC 3501 §6.4.4: matches ignore case), for TEXT and BODY. */
function bodyText(message: StoredMessage): string {
  let text = bodyTextCache.get(message.raw);
  if (text !== undefined) return text;
  const pieces: string[] = [];
  const walk = (part: MimePart): void => {
    if (part.children.length > 0) {
      part.children.forEach(walk);
      return;
    }
    if (part.message) {
      pieces.push(part.message.fields.map((f) => `${f.name}: ${decodeEncodedWords(fieldText(f.value))}`).join('\n'));
      walk(part.message);
      return;
    }
    const raw = message.raw.subarray(part.bodyStart, part.bodyEnd);
    if (part.type.toLowerCase() !== 'text') {
      pieces.push(raw.toString('latin1'));
      return;
    }
    const cte = findField(part.fields, 'content-transfer-encoding');
    const decoded = decodeTransferEncoding(raw, cte ? fieldText(cte.value) : '7bit');
    pieces.push(decodeCharset(decoded, paramValue(part.params, 'charset') ?? 'us-ascii'));
  };
  walk(message.mime);
  text = pieces.join('\n').toLowerCase();
  if (message.raw.length <= CACHED_TEXT_OCTETS) bodyTextCache.set(message.raw, text);
  return text;
}

/** Evaluates a key for one message. */
export function matchesSearch(key: SearchKey, ctx: SearchContext): boolean {
  const { message } = ctx;
  switch (key.kind) {
    case 'all':
      return true;
    case 'flag':
      return message.hasFlag(key.flag) === key.present;
    case 'recent':
      return ctx.recent === key.present;
    case 'header': {
      const text = headerText(message.mime, key.field);
      if (text === null) return false;
      // RFC 3501 §6.4.4 HEADER: an empty string matches every message that has the field.
      return key.value === '' || containsText(text, key.value);
    }
    case 'text': {
      // The body's text is kept lower-cased, so a key costs one scan, not a copy and a scan.
      if (bodyText(message).includes(key.value.toLowerCase())) return true;
      if (key.bodyOnly) return false;
      return message.mime.fields.some((f) => containsText(`${f.name}: ${decodeEncodedWords(fieldText(f.value))}`, key.value));
    }
    case 'date': {
      if (key.source === 'internal') return compareDay(dayNumber(message.internalDate), key.compare, key.day);
      const field = findField(message.mime.fields, 'date');
      const sent = field ? parseMessageDate(fieldText(field.value)) : null;
      return sent !== null && compareDay(dayNumber(sent), key.compare, key.day);
    }
    case 'size':
      return key.compare === 'larger' ? message.size > key.octets : message.size < key.octets;
    case 'sequence':
      return key.uid ? inSequenceSet(key.set, message.uid, ctx.maxUid) : inSequenceSet(key.set, ctx.seq, ctx.maxSeq);
    case 'not':
      return !matchesSearch(key.key, ctx);
    case 'or':
      return matchesSearch(key.a, ctx) || matchesSearch(key.b, ctx);
    case 'and':
      return key.keys.every((k) => matchesSearch(k, ctx));
  }
}
