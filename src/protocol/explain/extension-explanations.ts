/**
 * What the responses and commands of ESEARCH (RFC 4731, RFC 9051 §7.3.4), ID (RFC 2971), NAMESPACE
 * (RFC 2342, RFC 9051 §7.3.2), SORT and THREAD (RFC 5256) say, read from their values: "5 messages
 * match; the lowest number is 2", the personal prefix and delimiter, how many threads and how long
 * the longest. The values are read with the protocol's own value parser (bounded nesting, no
 * recursion beyond it); a line it cannot read gets the table's general words instead. Pure.
 */
import { parseImapLine, valueText, type ImapValue } from '../imap/values.js';
import { shortValue } from './arguments.js';
import type { Explanation, Words } from './words.js';

/** At most this many items are named in one explanation (ID fields, namespaces). */
const MAX_NAMED = 6;

/** Values of a line, or null when the line is no IMAP values (a broken or hostile peer). */
function values(text: string): ImapValue[] | null {
  try {
    return parseImapLine(text);
  } catch {
    return null;
  }
}

const text = (v: ImapValue | undefined): string | null => (v === undefined ? null : valueText(v));

// --- responses --------------------------------------------------------------------------------

/** `* ESEARCH (TAG "A3") UID MIN 2 COUNT 5`: RFC 4731 §3.1 result options, RFC 7162 §3.1.10 MODSEQ. */
export function esearchResponse(line: string, words: Words, rfc: string): Explanation {
  const v = values(line);
  if (v === null) return words.say('imap.response.ESEARCH', rfc);
  let i = 0;
  let tag: string | null = null;
  const first = v[0];
  if (first?.type === 'list' && text(first.items[0])?.toUpperCase() === 'TAG') {
    tag = text(first.items[1]);
    i = 1;
  }
  let uid = false;
  if (text(v[i])?.toUpperCase() === 'UID') {
    uid = true;
    i++;
  }
  const found = new Map<string, string>();
  for (; i + 1 < v.length; i += 2) {
    const name = text(v[i])?.toUpperCase();
    const value = text(v[i + 1]);
    if (name && value !== null && !found.has(name)) found.set(name, shortValue(value));
  }
  const parts: string[] = [];
  const count = found.get('COUNT');
  if (count !== undefined) parts.push(words.text('imap.esearch.count', { n: Number(count) }));
  for (const name of ['MIN', 'MAX', 'ALL']) {
    const value = found.get(name);
    if (value !== undefined) parts.push(words.text(`imap.esearch.${name.toLowerCase()}${uid ? '-uid' : ''}`, { n: value, set: value }));
  }
  const modseq = found.get('MODSEQ');
  if (modseq !== undefined) parts.push(words.text('imap.esearch.modseq', { n: modseq }));
  if (parts.length === 0) return words.say('imap.response.ESEARCH.none', rfc);
  const joined = parts.join('; ');
  return tag === null ? words.say('imap.response.ESEARCH.result', rfc, { parts: joined }) : words.say('imap.response.ESEARCH.result-tag', rfc, { parts: joined, tag: shortValue(tag) });
}

/** `("name" "Cyrus" "version" "1.5")` -> "name: Cyrus, version: 1.5"; null for NIL or no list. */
function idFields(v: ImapValue | undefined, words: Words): string | null {
  if (v?.type !== 'list') return null;
  const fields: string[] = [];
  for (let i = 0; i + 1 < v.items.length; i += 2) {
    if (fields.length === MAX_NAMED) {
      fields.push('…');
      break;
    }
    fields.push(`${shortValue(text(v.items[i]) ?? '?')}: ${shortValue(text(v.items[i + 1]) ?? 'NIL')}`);
  }
  return fields.length === 0 ? null : words.list(fields);
}

/** `* ID ("name" "Cyrus" ...)` or `* ID NIL` (RFC 2971 §3.2). */
export function idResponse(line: string, words: Words, rfc: string): Explanation {
  const v = values(line);
  if (v === null) return words.say('imap.response.ID', rfc);
  const fields = idFields(v[0], words);
  return fields === null ? words.say('imap.response.ID.nil', rfc) : words.say('imap.response.ID.fields', rfc, { fields });
}

/** One of NAMESPACE's three parts: NIL, or a list of (prefix delimiter [extensions]). */
function namespacePart(v: ImapValue | undefined, words: Words): string {
  if (v?.type !== 'list' || v.items.length === 0) return words.text('imap.namespace.none');
  const described: string[] = [];
  for (const ns of v.items) {
    if (described.length === MAX_NAMED) {
      described.push('…');
      break;
    }
    if (ns.type !== 'list') continue;
    const prefix = text(ns.items[0]) ?? '';
    const delimiter = text(ns.items[1]);
    const key = `imap.namespace.${prefix === '' ? 'no-prefix' : 'prefix'}${delimiter === null ? '-flat' : ''}`;
    described.push(words.text(key, { prefix: shortValue(prefix), delimiter: shortValue(delimiter ?? '') }));
  }
  return described.length === 0 ? words.text('imap.namespace.none') : words.list(described);
}

/** `* NAMESPACE (("INBOX." ".")) NIL (("#shared." "."))`: personal, other users', shared (RFC 2342 §5). */
export function namespaceResponse(line: string, words: Words, rfc: string): Explanation {
  const v = values(line);
  if (v === null || v.length < 3) return words.say('imap.response.NAMESPACE', rfc);
  return words.say('imap.response.NAMESPACE.parts', rfc, {
    personal: namespacePart(v[0], words),
    other: namespacePart(v[1], words),
    shared: namespacePart(v[2], words),
  });
}

/** Message numbers in a thread, nested replies included; a stack, not recursion. */
function threadSize(thread: ImapValue): number {
  let n = 0;
  const stack: ImapValue[] = [thread];
  for (let v = stack.pop(); v !== undefined; v = stack.pop()) {
    if (v.type === 'number') n++;
    else if (v.type === 'list') stack.push(...v.items);
  }
  return n;
}

/** `* THREAD (2)(3 6 (4 23)(44 7 96))`: how many threads, messages, the longest (RFC 5256 §4). */
export function threadResponse(line: string, words: Words, rfc: string): Explanation {
  const v = values(line);
  if (v === null) return words.say('imap.response.THREAD', rfc);
  const sizes = v.filter((t) => t.type === 'list').map(threadSize);
  if (sizes.length === 0) return words.say('imap.response.THREAD.none', rfc);
  const m = sizes.reduce((a, b) => a + b, 0);
  return words.say('imap.response.THREAD.threads', rfc, { n: sizes.length, m, k: sizes.reduce((a, b) => Math.max(a, b), 0) });
}

// --- commands ---------------------------------------------------------------------------------

/** `SORT (REVERSE DATE SUBJECT) UTF-8 ALL` (RFC 5256 §3): the order, then the criteria. */
export function sortCommand(args: string, uid: boolean, words: Words, rfc: string): Explanation {
  const v = values(args);
  const keys = v?.[0];
  if (!v || keys?.type !== 'list' || v.length < 3) return words.say('imap.command.SORT', rfc);
  const order: string[] = [];
  let reverse = false;
  for (const item of keys.items) {
    const name = text(item)?.toUpperCase() ?? '';
    if (name === 'REVERSE') {
      reverse = true;
      continue;
    }
    const known = words.has(`imap.sort-key.${name}`) ? words.text(`imap.sort-key.${name}`) : shortValue(name);
    order.push(reverse ? words.text('imap.sort-key.reverse', { key: known }) : known);
    reverse = false;
    if (order.length === MAX_NAMED) break;
  }
  if (order.length === 0) return words.say('imap.command.SORT', rfc);
  const criteria = shortValue(criteriaAfter(args, 2));
  return words.say(uid ? 'imap.command.SORT.keys-uid' : 'imap.command.SORT.keys', rfc, { keys: order.reduce((first, next) => words.text('imap.sort-key.then', { first, next })), criteria });
}

/** `THREAD REFERENCES UTF-8 ALL` (RFC 5256 §3): the algorithm, then the criteria. */
export function threadCommand(args: string, words: Words, rfc: string): Explanation {
  const v = values(args);
  const algorithm = text(v?.[0])?.toUpperCase();
  if (!v || !algorithm || v.length < 3) return words.say('imap.command.THREAD', rfc);
  const how = words.has(`imap.thread-algorithm.${algorithm}`)
    ? words.text(`imap.thread-algorithm.${algorithm}`)
    : words.text('imap.thread-algorithm.other', { name: shortValue(algorithm) });
  return words.say('imap.command.THREAD.algorithm', rfc, { algorithm: how, criteria: shortValue(criteriaAfter(args, 2)) });
}

/** `ID ("name" "sodr" ...)` or `ID NIL` (RFC 2971 §3.1). */
export function idCommand(args: string, words: Words, rfc: string): Explanation {
  const v = values(args);
  if (v === null) return words.say('imap.command.ID', rfc);
  const fields = idFields(v[0], words);
  return fields === null ? words.say('imap.command.ID.nil', rfc) : words.say('imap.command.ID.fields', rfc, { fields });
}

/**
 * SEARCH's criteria as written, without the CHARSET that may come first (RFC 3501 §6.4.4): `CHARSET
 * KOI8-R TEXT {4}` -> `TEXT {4}`.
 */
export function searchCriteria(args: string): string {
  return /^CHARSET /i.test(args) ? criteriaAfter(args, 2) : args;
}

/**
 * `SEARCH RETURN (MIN COUNT) FLAGGED` (RFC 4731 §3.1): which parts of the result the client asks for;
 * null for a SEARCH without RETURN. An empty RETURN () means ALL. Only `RETURN (...)` is read as
 * values: the criteria after it may end in a literal whose data comes on the next line.
 */
export function searchReturnCommand(args: string, uid: boolean, words: Words, rfc: string): Explanation | null {
  if (!/^RETURN \(/i.test(args)) return null;
  const after = criteriaAfter(args, 2);
  const v = values(args.slice(0, args.length - after.length).trimEnd());
  if (!v || text(v[0])?.toUpperCase() !== 'RETURN' || v[1]?.type !== 'list') return null;
  const asked = v[1].items.map((i) => text(i)?.toUpperCase() ?? '').filter((n) => n !== '');
  const criteria = shortValue(searchCriteria(after));
  // RFC 5182 §2.1: SAVE keeps the result as "$" instead of sending it, unless other options ask for parts.
  const save = asked.includes('SAVE');
  const rest = asked.filter((n) => n !== 'SAVE');
  if (save && rest.length === 0) return words.say('imap.command.SEARCH.save', rfc, { criteria });
  const options = (rest.length === 0 ? ['ALL'] : rest).slice(0, MAX_NAMED).map((name) => {
    const key = `imap.search-return.${name}${uid && name !== 'COUNT' ? '-uid' : ''}`;
    return words.has(key) ? words.text(key) : shortValue(name);
  });
  return words.say(save ? 'imap.command.SEARCH.return-save' : 'imap.command.SEARCH.return', rfc, { items: words.list(options), criteria });
}

/**
 * The text after the first `skip` top-level words (a list counts as one), as written: SORT's and
 * THREAD's charset and criteria, SEARCH RETURN's criteria. One pass over the text.
 */
function criteriaAfter(args: string, skip: number): string {
  let depth = 0;
  let quoted = false;
  let seen = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ' ' && depth === 0 && ++seen === skip) return args.slice(i + 1);
  }
  return '';
}
