/**
 * What an IMAP line means here: the client's commands (RFC 3501 §6, RFC 9051 §6 and extensions) and
 * the server's responses and response codes (RFC 3501 §7, RFC 9051 §7, RFC 5530), explained with the
 * numbers, names and flags of the line itself and what the context knows (the selected mailbox, the
 * literal being announced, the command a completion ends). Pure: line and context in, explanations
 * out; the context is updated by SessionExplainer, not here.
 */
import { SEARCH_KEYS } from '../imap/vocabulary.js';
import { esearchResponse, idCommand, idResponse, namespaceResponse, searchCriteria, searchReturnCommand, sortCommand, threadCommand, threadResponse } from './extension-explanations.js';
import { findImapCommand, type ImapCommandSpec } from '../imap/commands.js';
import { decodeModifiedUtf7, hasModifiedUtf7Shift } from '../imap/mutf7.js';
import { analyzeImapLine } from '../imap/request.js';
import { parseImapResponseHead, type ImapResponseCode, type ImapResponseHead } from '../imap/response.js';
import { isPreliminaryGreeting } from '../preliminary-greetings.js';
import { findImapDataResponse, findImapResponseCode, findImapStatusResponse, IMAP_CONTINUATION } from '../imap/response-kinds.js';
import { argumentWords, listInside, shortValue, type ArgumentWord } from './arguments.js';
import { literalAtEnd } from './literal-marker.js';
import { imapCodeKey, imapCommandKey, imapResponseKey, imapStatusKey } from './catalogue-keys.js';
import type { CommandInFlight, ExplainContext } from './context.js';
import type { Explanation, Words } from './words.js';

/** RFC 3501 §6.5.1: X<atom> is an experimental command or response. */
const X_ATOM = /^X[A-Z0-9.-]*$/i;

/** A word's value for a message: unquoted, cut short. */
function value(word: ArgumentWord | undefined): string {
  if (word?.quoted && word.text === '') return '""';
  return shortValue(word?.text ?? '');
}

/**
 * A mailbox name for a message: decoded from modified UTF-7 (RFC 3501 §5.1.3) where that changes it;
 * a name sent as a literal (`{11}` ending the line) is said to follow, not quoted as "{11}".
 */
function mailboxValue(word: ArgumentWord | undefined, words: Words): string {
  const raw = word?.text ?? '';
  const literal = word?.quoted ? null : literalAtEnd(raw);
  if (literal && literal.length === raw.length) return words.text('imap.mailbox.literal', { n: literal.size });
  const decoded = decodedMailboxName(raw);
  return decoded === raw ? value(word) : shortValue(decoded);
}

/** A mailbox name decoded from modified UTF-7 (RFC 3501 §5.1.3); as it is when that is not valid. */
export function decodedMailboxName(raw: string): string {
  return (hasModifiedUtf7Shift(raw) ? decodeModifiedUtf7(raw) : null) ?? raw;
}

/** The mailbox argument of a command that has one first (SELECT, CREATE, APPEND, STATUS, ...). */
export function firstMailbox(args: string): string | null {
  const first = argumentWords(args)[0];
  return first ? first.text : null;
}

/** "message 2" / "messages 1:5" / "the message with UID 34": the set a command acts on. */
function messageSet(words: Words, set: string, uid: boolean): string {
  const one = /^\d+$/.test(set);
  const key = `imap.set.${uid ? 'uid-' : ''}${one ? 'one' : 'many'}`;
  return words.text(key, { set: shortValue(set) });
}

/** The literal announced at the end of a command line: its size and whether it waits for "+". */
function literalLine(line: string, words: Words): Explanation[] {
  const m = literalAtEnd(line);
  if (!m) return [];
  if (!m.sync) return [words.say('imap.literal.non-synchronizing', 'RFC 7888 §3', { n: m.size })];
  return [words.say('imap.literal.synchronizing', 'RFC 3501 §7.5', { n: m.size })];
}

/** The explanation of a command line (the first line of a command). */
export function explainImapCommand(line: string, ctx: ExplainContext, words: Words): Explanation[] {
  const a = analyzeImapLine(line);
  if (a.command === '') return [];
  const [first, second] = a.command.split(' ') as [string, string | undefined];
  const uid = first === 'UID' && second !== undefined;
  const name = uid ? (second as string) : first;
  const spec = findImapCommand(name);
  const out: Explanation[] = [];
  if (!spec) {
    out.push(words.say('imap.command.unknown', 'RFC 3501 §6', { name: shortValue(name) }));
    return out;
  }
  const args = argumentWords(a.args);
  out.push(commandLine(spec, uid, args, a.args, ctx, words));
  if (uid) out.push(words.say(imapCommandKey('UID'), findImapCommand('UID')?.rfc ?? 'RFC 3501 §6.4.8'));
  out.push(...literalLine(line, words));
  const state = ctx.state;
  if (state !== 'greeting' && state !== 'unknown' && !spec.experimental && !spec.states.includes(state as never)) {
    out.push(words.say('state.invalid', spec.rfc, { command: spec.name, state: words.text(`state.imap.${state}`) }));
  }
  return out;
}

function commandLine(spec: ImapCommandSpec, uid: boolean, args: ArgumentWord[], rawArgs: string, ctx: ExplainContext, words: Words): Explanation {
  const key = imapCommandKey(spec.name);
  const rfc = spec.rfc;
  if (spec.experimental) return words.say('imap.command.X-ATOM', rfc, { name: spec.name });
  const mailbox = mailboxValue(args[0], words);
  switch (spec.name) {
    case 'AUTHENTICATE':
      return words.say(key, rfc, { mechanism: value(args[0]).toUpperCase() });
    case 'LOGIN':
      // RFC 3501 §7.5's example sends the user name as a literal: it is on the next line.
      if (/^\{\d+[+-]?\}$/.test(args[0]?.text ?? '')) return words.say('imap.command.LOGIN.literal', rfc);
      return words.say(ctx.tls ? `${key}.tls` : key, rfc, { user: value(args[0]) });
    case 'SELECT':
    case 'EXAMINE':
    case 'CREATE':
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
    case 'GETQUOTAROOT':
    case 'GETACL':
    case 'MYRIGHTS':
      return words.say(key, rfc, { mailbox });
    case 'SETACL': {
      // RFC 4314 §3.1: rights with "+" or "-" are added or taken away; without a sign they replace the old ones.
      const rights = value(args[2]);
      return words.say(/^[+-]/.test(rights) ? `${key}.signed` : key, rfc, { mailbox, identifier: value(args[1]), rights });
    }
    case 'DELETEACL':
    case 'LISTRIGHTS':
      return words.say(key, rfc, { mailbox, identifier: value(args[1]), rights: value(args[2]) });
    case 'REPLACE':
      return words.say(key, rfc, { which: messageSet(words, args[0]?.text ?? '', uid), mailbox: mailboxValue(args[1], words) });
    case 'RENAME':
      return words.say(key, rfc, { from: mailbox, to: mailboxValue(args[1], words) });
    case 'LIST':
    case 'LSUB': {
      // RFC 5258 §3: LIST (SUBSCRIBED) "" "*" puts selection options before the reference name.
      const at = spec.name === 'LIST' && args[0]?.list === true ? 1 : 0;
      const reference = args[at];
      const pattern = args[at + 1]?.text ?? '';
      if (spec.name === 'LIST' && pattern === '') return words.say('imap.command.LIST.delimiter', rfc);
      // An empty reference name lists from the top of the hierarchy (RFC 3501 §6.3.8).
      if (reference?.text === '') return words.say(`${key}.top`, rfc, { pattern: shortValue(pattern) });
      return words.say(key, rfc, { reference: value(reference), pattern: shortValue(pattern) });
    }
    case 'STATUS':
      return words.say(key, rfc, { mailbox, items: shortValue(listInside(args[1]?.text ?? '')) });
    case 'APPEND': {
      const flags = args.find((w, i) => i > 0 && w.list);
      const size = /\{(\d+)[+-]?\}$/.exec(rawArgs)?.[1];
      const n = size === undefined ? 0 : Number(size);
      if (flags) return words.say('imap.command.APPEND.flags', rfc, { mailbox, flags: shortValue(listInside(flags.text)), n });
      return words.say(key, rfc, { mailbox, n });
    }
    case 'CLOSE':
      return words.say(ctx.mailbox?.readOnly ? 'imap.command.CLOSE.read-only' : key, rfc);
    case 'SEARCH':
      return searchReturnCommand(rawArgs, uid, words, SEARCH_KEYS.find((k) => k.word === 'RETURN')?.rfc ?? rfc) ?? words.say(uid ? 'imap.command.SEARCH.uid' : key, rfc, { criteria: shortValue(searchCriteria(rawArgs)) });
    case 'SORT':
      return sortCommand(rawArgs, uid, words, rfc);
    case 'THREAD':
      return threadCommand(rawArgs, words, rfc);
    case 'ID':
      return idCommand(rawArgs, words, rfc);
    case 'FETCH':
      // The items are one word or one list; a list after them holds modifiers (RFC 7162 §3.1.4: CHANGEDSINCE).
      return words.say(key, rfc, { which: messageSet(words, args[0]?.text ?? '', uid), items: shortValue(listInside(args[1]?.text ?? '')) });
    case 'STORE': {
      // RFC 7162 §3.1.3: STORE 50 (UNCHANGEDSINCE 12) -FLAGS ...: modifiers come before the action.
      const at = args[1]?.list === true ? 2 : 1;
      const action = (args[at]?.text ?? '').toUpperCase();
      const variant = action.startsWith('+') ? 'add' : action.startsWith('-') ? 'remove' : 'replace';
      const flags = shortValue(listInside(args.slice(at + 1).map((w) => w.text).join(' ')));
      return words.say(`imap.command.STORE.${variant}`, rfc, { which: messageSet(words, args[0]?.text ?? '', uid), flags });
    }
    case 'COPY':
    case 'MOVE':
      return words.say(key, rfc, { which: messageSet(words, args[0]?.text ?? '', uid), mailbox: mailboxValue(args[1], words) });
    case 'GETQUOTA':
    case 'SETQUOTA':
      return words.say(key, rfc, { root: mailbox });
    case 'ENABLE':
      return words.say(key, rfc, { capabilities: shortValue(rawArgs) });
    case 'GETMETADATA':
    case 'SETMETADATA':
      return words.say(key, rfc, { mailbox: mailbox === '' ? '""' : mailbox });
    default:
      return words.say(key, rfc);
  }
}

/** The explanation of a line the client sent in answer to "+": a SASL response, or IDLE's DONE. */
export function explainImapAnswer(line: string, ctx: ExplainContext, words: Words): Explanation[] {
  const waiting = ctx.inFlight.find((c) => c.name === 'IDLE' || c.name === 'AUTHENTICATE');
  if (waiting?.name === 'IDLE' || /^done$/i.test(line.trim())) return [words.say('imap.client.DONE', 'RFC 2177 §3')];
  if (line.trim() === '*') return [words.say('imap.client.sasl-cancel', 'RFC 3501 §6.2.2')];
  return [words.say(line.trim() === '' ? 'imap.client.sasl-empty' : 'imap.client.sasl-response', 'RFC 3501 §6.2.2')];
}

/** The explanation of a response code, or none when the line has no code. */
export function explainImapCode(code: ImapResponseCode | null, words: Words): Explanation[] {
  if (!code) return [];
  const kind = findImapResponseCode(code.name);
  if (!kind) return [words.say('imap.code.unknown', 'RFC 3501 §7.1', { name: shortValue(code.name) })];
  const key = imapCodeKey(kind.name);
  const args = argumentWords(code.text);
  const n = Number(args[0]?.text ?? '0');
  switch (kind.name) {
    case 'PERMANENTFLAGS': {
      const flags = listInside(code.text);
      if (flags.trim() === '') return [words.say('imap.code.PERMANENTFLAGS.none', kind.rfc)];
      const keywords = flags.split(' ').includes('\\*');
      return [words.say(keywords ? 'imap.code.PERMANENTFLAGS.keywords' : key, kind.rfc, { flags: shortValue(flags) })];
    }
    case 'UIDNEXT':
    case 'UIDVALIDITY':
    case 'UNSEEN':
    case 'HIGHESTMODSEQ':
      return [words.say(key, kind.rfc, { n: Number.isSafeInteger(n) ? n : value(args[0]) })];
    case 'APPENDUID':
      return [words.say(key, kind.rfc, { validity: value(args[0]), uid: value(args[1]) })];
    case 'COPYUID':
      return [words.say(key, kind.rfc, { validity: value(args[0]), from: value(args[1]), to: value(args[2]) })];
    case 'MODIFIED': {
      const set = value(args[0]);
      return [words.say(/^\d+$/.test(set) ? `${key}.one` : key, kind.rfc, { set })];
    }
    case 'BADCHARSET':
      return [words.say(code.text === '' ? key : 'imap.code.BADCHARSET.list', kind.rfc, { charsets: shortValue(listInside(code.text)) })];
    default:
      return [words.say(key, kind.rfc)];
  }
}

/** The command a tagged completion ends (by tag), or undefined. */
export function commandForTag(ctx: ExplainContext, tag: string): CommandInFlight | undefined {
  return ctx.inFlight.find((c) => c.tag === tag);
}

/** The explanation of the first segment of a server response. */
export function explainImapResponse(line: string, ctx: ExplainContext, words: Words): Explanation[] {
  const head = parseImapResponseHead(line);
  switch (head.kind) {
    case 'continuation':
      return [continuation(ctx, words)];
    case 'tagged':
      return tagged(head, ctx, words);
    case 'untagged':
      // A line before the real greeting says only that the greeting is coming (Dovecot's, while its
      // auth process starts): no greeting yet.
      if (ctx.state === 'greeting' && isPreliminaryGreeting(line, 'imap')) return [words.say('imap.greeting.preliminary', 'RFC 3501 §7.1.1')];
      return untagged(head, ctx, words);
  }
}

function continuation(ctx: ExplainContext, words: Words): Explanation {
  const rfc = IMAP_CONTINUATION.rfc;
  if (ctx.pendingLiteral !== null) return words.say('imap.continuation.literal', rfc, { n: ctx.pendingLiteral });
  const waiting = [...ctx.inFlight].reverse().find((c) => c.name === 'AUTHENTICATE' || c.name === 'IDLE');
  if (waiting?.name === 'AUTHENTICATE') return words.say('imap.continuation.sasl', 'RFC 3501 §6.2.2');
  if (waiting?.name === 'IDLE') return words.say('imap.continuation.idle', 'RFC 2177 §3');
  return words.say('imap.continuation', rfc);
}

function tagged(head: Extract<ImapResponseHead, { kind: 'tagged' }>, ctx: ExplainContext, words: Words): Explanation[] {
  const command = commandForTag(ctx, head.tag);
  const tag = shortValue(head.tag);
  if (head.status === null) return [words.say('imap.tagged.no-status', 'RFC 3501 §7.1', { tag })];
  const status = findImapStatusResponse(head.status);
  const rfc = status?.rfc ?? 'RFC 3501 §7.1';
  if (head.status !== 'OK' && head.status !== 'NO' && head.status !== 'BAD') {
    return [words.say('imap.tagged.other', rfc, { tag, status: head.status }), ...explainImapCode(head.code, words)];
  }
  const out = [
    command
      ? words.say(`imap.tagged.${head.status}`, rfc, { tag, command: command.name })
      : words.say(`imap.tagged.${head.status}.unknown`, rfc, { tag }),
  ];
  if (head.status === 'OK' && command?.name === 'STARTTLS') out.push(words.say('imap.tagged.OK.STARTTLS', 'RFC 3501 §6.2.1'));
  out.push(...explainImapCode(head.code, words));
  return out;
}

function untagged(head: Extract<ImapResponseHead, { kind: 'untagged' }>, ctx: ExplainContext, words: Words): Explanation[] {
  if (head.status !== null) {
    const rfc = findImapStatusResponse(head.status)?.rfc ?? 'RFC 3501 §7.1';
    let key = imapStatusKey(head.status);
    if (ctx.state === 'greeting' && (head.status === 'OK' || head.status === 'BYE')) key = `imap.greeting.${head.status}`;
    else if (head.status === 'BYE' && ctx.inFlight.some((c) => c.name === 'LOGOUT')) key = 'imap.status.BYE.logout';
    // An untagged OK whose whole point is its code says the code alone.
    if (head.status === 'OK' && head.code && ctx.state !== 'greeting') return explainImapCode(head.code, words);
    return [words.say(key, rfc), ...explainImapCode(head.code, words)];
  }
  return [data(head, ctx, words)];
}

/** The special-use mailbox attributes (RFC 6154 §2), in lower case: what a mailbox is for. */
const SPECIAL_USE: ReadonlySet<string> = new Set(['\\all', '\\archive', '\\drafts', '\\flagged', '\\junk', '\\sent', '\\trash']);

/** The data responses whose number comes before their name (RFC 3501 §7.3, §7.4). */
const NUMBERED: ReadonlySet<string> = new Set(['EXISTS', 'RECENT', 'EXPUNGE', 'FETCH']);

function data(head: Extract<ImapResponseHead, { kind: 'untagged' }>, ctx: ExplainContext, words: Words): Explanation {
  const kind = findImapDataResponse(head.name);
  if (!kind) {
    const name = shortValue(head.name);
    return X_ATOM.test(head.name) ? words.say('imap.response.X-ATOM', 'RFC 3501 §6.5.1', { name }) : words.say('imap.response.unknown', 'RFC 3501 §7', { name });
  }
  const key = imapResponseKey(kind.name);
  const rfc = kind.rfc;
  const n = head.number ?? 0;
  const args = argumentWords(head.text);
  // A line that lacks what the response is read from says nothing: "* EXISTS 1" is no count of 0.
  if (head.number === null && NUMBERED.has(kind.name)) return words.say('imap.response.no-number', rfc, { name: kind.name });
  if (kind.name === 'FLAGS' && !head.text.startsWith('(')) return words.say('imap.response.FLAGS.malformed', rfc);
  switch (kind.name) {
    case 'EXISTS':
      return ctx.mailbox ? words.say('imap.response.EXISTS.named', rfc, { n, mailbox: mailboxValue({ text: ctx.mailbox.name, quoted: false, list: false }, words) }) : words.say(key, rfc, { n });
    case 'RECENT':
      return words.say(n === 0 ? `${key}.none` : key, rfc, { n });
    case 'EXPUNGE':
      return words.say(key, rfc, { n });
    case 'FETCH':
      // The list may be cut by a literal (`(BODY[] {342}`): its closing parenthesis comes later.
      // Flags the client did not ask for (after STORE, or from another session) are a change.
      return fetchData(n, head.text.replace(/^\(/, '').replace(/\)$/, ''), words, rfc, !ctx.inFlight.some((c) => /^(UID )?FETCH$/.test(c.name)));
    case 'CAPABILITY': {
      const caps = head.text.split(' ').filter((c) => c !== '');
      const disabled = caps.some((c) => c.toUpperCase() === 'LOGINDISABLED');
      return words.say(disabled ? 'imap.response.CAPABILITY.logindisabled' : key, rfc, { n: caps.length });
    }
    case 'LIST':
    case 'LSUB':
    case 'XLIST':
      return listData(kind.name === 'XLIST' ? 'LIST' : kind.name, args, words, rfc);
    case 'ACL':
    case 'MYRIGHTS':
      return words.say(key, rfc, { mailbox: mailboxValue(args[0], words), rights: shortValue(args.slice(1).map((w) => w.text).join(' ')) });
    case 'LISTRIGHTS': {
      // RFC 4314 §3.7: the rights always granted (maybe none: ""), then the groups that may be granted.
      const required = args[2]?.text ?? '';
      const optional = shortValue(args.slice(3).map((w) => w.text).join(', '));
      return words.say(required === '' ? `${key}.none` : key, rfc, { mailbox: mailboxValue(args[0], words), identifier: value(args[1]), required: shortValue(required), optional });
    }
    case 'STATUS':
      return words.say(key, rfc, { mailbox: mailboxValue(args[0], words), items: statusItems(listInside(args[1]?.text ?? ''), words) });
    case 'SEARCH':
    case 'SORT': {
      const numbers = args.map((w) => w.text).filter((t) => /^\d+$/.test(t));
      const uid = ctx.inFlight.some((c) => c.name === `UID ${kind.name}`);
      if (numbers.length === 0) return words.say(`imap.response.${kind.name}.none`, rfc);
      const shown = numbers.length > 12 ? `${numbers.slice(0, 12).join(' ')} …` : numbers.join(' ');
      // "number 5" / "numbers 1 2 3": the word before the list counts the list (SEARCH has a .one).
      const one = !uid && numbers.length === 1 && words.has(`${key}.one`);
      return words.say(uid ? `imap.response.${kind.name}.uid` : one ? `${key}.one` : key, rfc, { n: numbers.length, numbers: shown });
    }
    case 'FLAGS':
      return words.say(key, rfc, { flags: shortValue(listInside(head.text)) });
    case 'ENABLED':
      return head.text.trim() === '' ? words.say('imap.response.ENABLED.none', rfc) : words.say(key, rfc, { capabilities: shortValue(head.text) });
    case 'QUOTA': {
      const resources = quotaResources(listInside(args[1]?.text ?? ''), words);
      return words.say(resources === '' ? `${key}.none` : key, rfc, { root: value(args[0]), resources });
    }
    case 'QUOTAROOT': {
      const roots = args.slice(1).map((w) => value(w));
      if (roots.length === 0) return words.say('imap.response.QUOTAROOT.none', rfc, { mailbox: mailboxValue(args[0], words) });
      return words.say(roots.length === 1 ? `${key}.one` : key, rfc, { mailbox: mailboxValue(args[0], words), roots: words.list(roots), n: roots.length });
    }
    case 'METADATA':
      return words.say(key, rfc, { mailbox: args[0]?.text === '' ? '""' : value(args[0]) });
    case 'VANISHED': {
      const set = value(args[args.length - 1]);
      return words.say(/^\d+$/.test(set) ? `${key}.one` : key, rfc, { set });
    }
    case 'ESEARCH':
      return esearchResponse(head.text, words, rfc);
    case 'ID':
      return idResponse(head.text, words, rfc);
    case 'NAMESPACE':
      return namespaceResponse(head.text, words, rfc);
    case 'THREAD':
      return threadResponse(head.text, words, rfc);
    default:
      return words.say(key, rfc);
  }
}

/** `* 2 FETCH (FLAGS (\Deleted \Seen))` after a STORE: the flags the message has now. */
function fetchData(n: number, inside: string, words: Words, rfc: string, changed: boolean): Explanation {
  const items = argumentWords(inside);
  const names: string[] = [];
  let flags: string | null = null;
  let uid: string | null = null;
  for (let i = 0; i < items.length; i++) {
    const item = (items[i] as ArgumentWord).text.toUpperCase();
    if (item === 'FLAGS') flags = listInside(items[i + 1]?.text ?? '');
    if (item === 'UID') uid = items[i + 1]?.text ?? null;
    // Each item is a name and its value; BODY[...]<n> and friends carry their section in the name.
    names.push(shortValue((items[i] as ArgumentWord).text.replace(/\{\d+\}$/, '')));
    i++;
  }
  const only = names.map((x) => x.toUpperCase()).filter((x) => x !== 'UID' && x !== 'MODSEQ');
  if (flags !== null && only.length === 1 && only[0] === 'FLAGS') {
    const key = `imap.response.FETCH.${flags.trim() === '' ? 'no-flags' : 'flags'}${changed ? '-changed' : ''}`;
    return words.say(key, rfc, { n, flags: shortValue(flags) });
  }
  const list = words.list(names.length > 8 ? [...names.slice(0, 8), '…'] : names);
  return uid === null ? words.say('imap.response.FETCH', rfc, { n, items: list }) : words.say('imap.response.FETCH.uid', rfc, { n, uid: shortValue(uid), items: list });
}

/**
 * The FETCH items on a line that goes on with a response after its literal (` FLAGS (\\Seen))` after
 * `* 3 FETCH (BODY[HEADER] {342}` and its octets), said as the first line's are; none for a line
 * that only closes the list. `unsolicited`: no FETCH is in progress (flags then are a change).
 */
export function explainFetchContinuation(n: number, line: string, words: Words, unsolicited: boolean): Explanation[] {
  const text = line.trim();
  const inside = literalAtEnd(text) ? text : text.replace(/\)$/, '');
  if (argumentWords(inside).length === 0) return [];
  return [fetchData(n, inside, words, 'RFC 3501 §7.4.2', unsolicited)];
}

/** LIST/LSUB data: the name, the delimiter, what the attributes say. */
function listData(name: string, args: ArgumentWord[], words: Words, rfc: string): Explanation {
  const attributes = listInside(args[0]?.text ?? '').split(' ').filter((a) => a !== '');
  const delimiterWord = args[1];
  const delimiter = delimiterWord && delimiterWord.quoted ? delimiterWord.text : null;
  const mailbox = args[2]?.text ?? '';
  if (name === 'LIST' && mailbox === '') {
    return delimiter === null ? words.say('imap.response.LIST.flat', rfc) : words.say('imap.response.LIST.delimiter', rfc, { delimiter: shortValue(delimiter) });
  }
  const known = attributes.map((a) => a.toLowerCase()).filter((a) => words.has(`imap.attribute.${a}`));
  // What the mailbox is ("has no mailboxes under it") reads as one list; what it is for (RFC 6154) as another.
  const traits = known.filter((a) => !SPECIAL_USE.has(a)).map((a) => words.text(`imap.attribute.${a}`));
  const uses = known.filter((a) => SPECIAL_USE.has(a)).map((a) => words.text(`imap.attribute.${a}`));
  const meanings = [...(traits.length > 0 ? [words.list(traits)] : []), ...(uses.length > 0 ? [words.text('imap.attribute.special-use', { uses: words.list(uses) })] : [])];
  const values = { mailbox: mailboxValue(args[2], words), delimiter: shortValue(delimiter ?? 'NIL'), attributes: meanings.join('; ') };
  const key = `imap.response.${name}${meanings.length > 0 ? '.attributes' : ''}`;
  return words.say(key, rfc, values);
}

/** `MESSAGES 172 UIDNEXT 4392` -> "172 messages, next UID 4392". */
function statusItems(inside: string, words: Words): string {
  const w = argumentWords(inside);
  const parts: string[] = [];
  for (let i = 0; i + 1 < w.length && parts.length < 10; i += 2) {
    const item = (w[i] as ArgumentWord).text.toUpperCase();
    const word = w[i + 1] as ArgumentWord;
    // MAILBOXID's value is a list of one (RFC 8474 §4): "(F2212ea87...)".
    const text = word.list ? listInside(word.text) : word.text;
    const n = Number(text);
    const key = `imap.status-item.${item}`;
    const known = words.has(key) && (Number.isFinite(n) || words.isHole(text) || word.list);
    if (known) parts.push(words.text(key, { n: Number.isFinite(n) ? n : shortValue(text) }));
    // An item without words of its own: as written, but a value left open is told as such, not as "$".
    else parts.push(`${shortValue(item)} ${words.isHole(text) ? `(${words.text('value.hole')})` : value(word)}`);
  }
  return words.list(parts);
}

/** `STORAGE 3 10000` -> "3 of 10000 KiB used". */
function quotaResources(inside: string, words: Words): string {
  const w = argumentWords(inside);
  const parts: string[] = [];
  for (let i = 0; i + 2 < w.length && parts.length < 10; i += 3) {
    const resource = (w[i] as ArgumentWord).text.toUpperCase();
    const used = Number((w[i + 1] as ArgumentWord).text);
    const limit = Number((w[i + 2] as ArgumentWord).text);
    const key = words.has(`imap.quota.${resource}`) ? `imap.quota.${resource}` : 'imap.quota.other';
    parts.push(words.text(key, { resource: shortValue(resource), used, limit }));
  }
  return words.list(parts);
}
