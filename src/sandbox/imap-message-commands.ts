/**
 * The sandbox's IMAP commands of the selected state (RFC 3501 §6.4): CHECK, CLOSE, UNSELECT
 * (RFC 3691), EXPUNGE, SEARCH, FETCH, STORE, COPY (with RFC 4315's COPYUID), MOVE (RFC 6851), and
 * UID with FETCH, STORE, COPY, MOVE, SEARCH and EXPUNGE (RFC 4315 §2.1).
 */
import { valueText } from '../protocol/imap/values.js';
import { fetchResponse, fetchSetsSeen, FetchSyntaxError, parseFetchItems } from './fetch.js';
import { ArgumentError, astringArg, flagArgs, mailboxArg, noMoreArgs, type ImapCommand } from './imap-command-line.js';
import type { CommandHandler, Completion, HandlerResult, ImapHandlerSession } from './imap-command-handler.js';
import type { Account, StoredMessage } from './mail-store.js';
import type { MailboxView } from './mailbox-view.js';
import { matchesSearch, parseSearchKeys, SearchLimitError, SearchSyntaxError } from './search.js';
import { formatSequenceSet, inSequenceSet, largestExplicit, parseSequenceSet } from './sequence-set.js';

const ok = (text: string): Completion => ({ status: 'OK', text });
const no = (text: string): Completion => ({ status: 'NO', text });

function view(s: ImapHandlerSession): MailboxView {
  // The state check before dispatch guarantees a selected mailbox.
  return s.view as MailboxView;
}

/** "FETCH" or "UID FETCH", for completion texts. */
function label(c: ImapCommand): string {
  return c.uid ? `UID ${c.name}` : c.name;
}

/**
 * The messages a sequence set names in this session's view: by sequence number (every number must
 * exist, RFC 3501 §9) or by UID (UIDs that do not exist are simply not there, §6.4.8).
 */
function resolve(v: MailboxView, text: string | null, uid: boolean): StoredMessage[] {
  const set = text === null ? null : parseSequenceSet(text);
  if (!set) throw new ArgumentError('Invalid messageset');
  if (uid) {
    const maxUid = v.maxUid;
    return v.messages.filter((m) => inSequenceSet(set, m.uid, maxUid));
  }
  if (largestExplicit(set) > v.exists || (v.exists === 0 && set.length > 0)) throw new ArgumentError('Invalid messageset');
  return v.messages.filter((_m, i) => inSequenceSet(set, i + 1, v.exists));
}

function setArg(c: ImapCommand): string | null {
  const v = c.args[0];
  if (v === undefined) throw new ArgumentError('Missing sequence set');
  return v.type === 'number' ? String(v.value) : v.type === 'atom' && !v.section ? v.value : null;
}

function check(_s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  return ok('CHECK completed');
}

/** RFC 3501 §6.4.2: \Deleted messages go, silently (no EXPUNGE responses), unless read-only. */
function close(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  const v = view(s);
  v.close();
  if (!v.readOnly) v.mailbox.expunge(v.mailbox.messages.filter((m) => m.hasFlag('\\Deleted')));
  s.view = null;
  s.state = 'authenticated';
  return ok('CLOSE completed');
}

/** RFC 3691: leave the mailbox without expunging. */
function unselect(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  view(s).close();
  s.view = null;
  s.state = 'authenticated';
  return ok('UNSELECT completed');
}

/** Expunges this session's messages and reports each with its number at that moment. */
function expungeOwn(s: ImapHandlerSession, doomed: StoredMessage[]): void {
  const v = view(s);
  // What other sessions expunged goes out first, so the numbers below are current.
  s.reportUpdates(true);
  v.mailbox.expunge(doomed);
  for (const seq of v.removeOwn(doomed)) s.send(`* ${seq} EXPUNGE`);
  const recent = v.recentUpdate();
  if (recent) s.send(recent);
}

/** RFC 3501 §6.4.3 EXPUNGE; RFC 4315 §2.1 UID EXPUNGE set (only the \Deleted messages in the set). */
function expunge(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const v = view(s);
  let candidates = v.messages;
  if (c.uid) {
    candidates = resolve(v, setArg(c), true);
    noMoreArgs(c.args, 1);
  } else {
    noMoreArgs(c.args, 0);
  }
  if (v.readOnly) return no('Mailbox is read-only');
  expungeOwn(s, candidates.filter((m) => m.hasFlag('\\Deleted') && !m.expunged));
  return ok(`${label(c)} completed`);
}

const CHARSETS = ['US-ASCII', 'UTF-8'];

/** RFC 3501 §6.4.4 SEARCH [CHARSET name] criteria: `* SEARCH` with numbers, or UIDs for UID SEARCH. */
function search(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const v = view(s);
  let args = c.args;
  const first = args[0];
  if (first?.type === 'atom' && first.value.toUpperCase() === 'CHARSET') {
    const charset = args[1] === undefined ? null : valueText(args[1]);
    if (charset === null) throw new ArgumentError('Missing charset');
    if (!CHARSETS.includes(charset.toUpperCase())) return no(`[BADCHARSET (${CHARSETS.join(' ')})] Unsupported charset ${charset}`);
    args = args.slice(2);
  }
  let key;
  try {
    key = parseSearchKeys(args);
  } catch (error) {
    if (error instanceof SearchLimitError) return { status: 'BAD', text: `[LIMIT] ${error.message}` };
    if (error instanceof SearchSyntaxError) throw new ArgumentError(error.message);
    throw error;
  }
  const maxSeq = v.exists;
  const maxUid = v.maxUid;
  const hits: number[] = [];
  v.messages.forEach((message, i) => {
    if (message.expunged) return;
    if (matchesSearch(key, { message, seq: i + 1, maxSeq, maxUid, recent: v.isRecent(message) })) hits.push(c.uid ? message.uid : i + 1);
  });
  s.send(hits.length === 0 ? '* SEARCH' : `* SEARCH ${hits.join(' ')}`);
  return ok(`${label(c)} completed`);
}

/** RFC 3501 §6.4.5 FETCH; BODY[...] without .PEEK sets \Seen (not in a read-only mailbox). */
function fetch(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const v = view(s);
  const messages = resolve(v, setArg(c), c.uid);
  let items;
  try {
    items = parseFetchItems(c.args.slice(1));
  } catch (error) {
    if (error instanceof FetchSyntaxError) throw new ArgumentError(error.message);
    throw error;
  }
  const setsSeen = fetchSetsSeen(items) && !v.readOnly;
  const asksFlags = items.some((i) => i.kind === 'FLAGS');
  for (const message of messages) {
    let includeFlags = false;
    if (setsSeen && !message.expunged && !message.hasFlag('\\Seen')) {
      v.ownChange(() => v.mailbox.setFlags(message, [...message.flags, '\\Seen']));
      // RFC 3501 §6.4.5: the change is reported; with FLAGS asked for, that item says it.
      includeFlags = !asksFlags;
    }
    const response = fetchResponse(message, items, { seq: v.seqOf(message), flags: v.flagsOf(message), includeUid: c.uid, includeFlags }, s.outputRoom);
    // RFC 5530 LIMIT: one command's output is bounded (--max-pending-output); what was sent stands.
    if (response === null) return no(`[LIMIT] ${label(c)} response over ${s.limits.maxPendingOutputOctets} octets: fetch fewer messages or items at once`);
    s.send(response);
  }
  return ok(`${label(c)} completed`);
}

/** RFC 3501 §6.4.6 STORE set [+|-]FLAGS[.SILENT] flags. */
function store(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const v = view(s);
  const messages = resolve(v, setArg(c), c.uid);
  const op = c.args[1];
  if (op?.type !== 'atom') throw new ArgumentError('Missing FLAGS, +FLAGS or -FLAGS');
  const m = /^([+-]?)FLAGS(\.SILENT)?$/i.exec(op.value);
  if (!m) throw new ArgumentError(`Invalid STORE item ${op.value}`);
  const flagValues = c.args.slice(2);
  if (flagValues.length === 0) throw new ArgumentError('Missing flags');
  const flags = flagValues[0]?.type === 'list' && flagValues.length === 1 ? flagArgs(flagValues[0]) : flagArgs({ type: 'list', items: flagValues });
  if (v.readOnly) return no('Mailbox is read-only');
  const silent = m[2] !== undefined;
  for (const message of messages) {
    if (message.expunged) continue;
    let next: string[];
    if (m[1] === '+') next = [...message.flags, ...flags.filter((f) => !message.flags.has(f))];
    else if (m[1] === '-') next = [...message.flags].filter((f) => !flags.includes(f));
    else next = flags;
    v.ownChange(() => v.mailbox.setFlags(message, next));
    if (!silent) {
      // UID first, as UID FETCH puts it (fetch.ts).
      const uid = c.uid ? `UID ${message.uid} ` : '';
      s.send(`* ${v.seqOf(message)} FETCH (${uid}FLAGS (${v.flagsOf(message).join(' ')}))`);
    }
  }
  return ok(`${label(c)} completed`);
}

/**
 * COPY (RFC 3501 §6.4.7) and MOVE (RFC 6851): the copies keep flags and internal date; a missing
 * target gets [TRYCREATE]; COPYUID (RFC 4315 §3) maps the source UIDs to the new ones.
 */
function copyOrMove(s: ImapHandlerSession, c: ImapCommand, move: boolean): HandlerResult {
  const v = view(s);
  const messages = resolve(v, setArg(c), c.uid).filter((m) => !m.expunged);
  const name = mailboxArg(c.args[1]);
  noMoreArgs(c.args, 2);
  const account = s.account as Account;
  const target = account.find(name);
  if (!target?.selectable) return no(`[TRYCREATE] Mailbox doesn't exist: ${name}`);
  if (move && v.readOnly) return no('Mailbox is read-only');
  const octets = messages.reduce((n, m) => n + m.size, 0);
  if (!account.fits(octets)) return no('[OVERQUOTA] Quota exceeded (mailbox for user is full)');
  if (!move && !s.options.store.fits(octets)) return no('[LIMIT] The server holds as much mail as it may; delete some first');
  if (messages.length === 0) return ok(`${label(c)} completed (no messages)`);
  const copies = messages.map((m) => target.append(m.raw, m.flags, m.internalDate));
  const copyuid = `[COPYUID ${target.uidValidity} ${formatSequenceSet(messages.map((m) => m.uid))} ${formatSequenceSet(copies.map((m) => m.uid))}]`;
  if (!move) return ok(`${copyuid} ${label(c)} completed`);
  // RFC 6851 §4.3: COPYUID goes in an untagged OK before the EXPUNGEs.
  s.send(`* OK ${copyuid} Moved UIDs.`);
  expungeOwn(s, messages);
  return ok(`${label(c)} completed`);
}

const BY_UID = new Map<string, CommandHandler>([
  ['FETCH', fetch],
  ['STORE', store],
  ['COPY', (s, c) => copyOrMove(s, c, false)],
  ['MOVE', (s, c) => copyOrMove(s, c, true)],
  ['SEARCH', search],
  ['EXPUNGE', expunge],
]);

/** RFC 3501 §6.4.8 UID command arguments: the subcommand works on UIDs. */
function uid(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const sub = astringArg(c.args[0], 'UID command').toUpperCase();
  const handler = BY_UID.get(sub);
  if (!handler) throw new ArgumentError(`Unknown UID command ${sub}`);
  return handler(s, { tag: c.tag, name: sub, uid: true, args: c.args.slice(1) });
}

export const MESSAGE_COMMANDS: [string, CommandHandler][] = [
  ['CHECK', check],
  ['CLOSE', close],
  ['UNSELECT', unselect],
  ['EXPUNGE', expunge],
  ['SEARCH', search],
  ['FETCH', fetch],
  ['STORE', store],
  ['COPY', (s, c) => copyOrMove(s, c, false)],
  ['MOVE', (s, c) => copyOrMove(s, c, true)],
  ['UID', uid],
];
