/**
 * The sandbox's IMAP commands of the authenticated state (RFC 3501 §6.3): SELECT, EXAMINE, CREATE,
 * DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST (with RFC 3348's \HasChildren / \HasNoChildren),
 * LSUB, STATUS and APPEND (with RFC 4315's APPENDUID).
 */
import { decodeModifiedUtf7 } from '../protocol/imap/mutf7.js';
import type { ImapValue } from '../protocol/imap/values.js';
import { ArgumentError, astringArg, atomListArg, flagArgs, mailboxArg, noMoreArgs, type ImapCommand } from './imap-command-line.js';
import type { CommandHandler, Completion, HandlerResult, ImapHandlerSession } from './imap-command-handler.js';
import { parseImapDateTime, zonedNow, type ZonedDate } from './mail-dates.js';
import { Mailbox, type Account, type MailboxRefusal } from './mail-store.js';
import { canonicalMailboxName, hierarchyRoot, isInferior, joinReference, mailboxNameOnWire, mailboxPattern, superiorNames } from './mailbox-names.js';
import { MailboxView } from './mailbox-view.js';

const ok = (text: string): Completion => ({ status: 'OK', text });
const no = (text: string): Completion => ({ status: 'NO', text });

function refused(r: MailboxRefusal): Completion {
  return no(r.code ? `[${r.code}] ${r.text}` : r.text);
}

function account(s: ImapHandlerSession): Account {
  // The state check before dispatch guarantees a login.
  return s.account as Account;
}

/** Leaves the selected mailbox, if any (RFC 3501 §6.3.1: even a failed SELECT deselects). */
function leaveSelected(s: ImapHandlerSession, announce: boolean): void {
  if (!s.view) return;
  s.view.close();
  s.view = null;
  s.state = 'authenticated';
  // RFC 7162 §3.2.11 / RFC 9051: [CLOSED] marks where the old mailbox's responses end.
  if (announce) s.send('* OK [CLOSED] Previous mailbox closed.');
}

/** RFC 3501 §6.3.1 SELECT and §6.3.2 EXAMINE, with the responses in the RFC's order. */
function open(s: ImapHandlerSession, c: ImapCommand, readOnly: boolean): HandlerResult {
  const name = mailboxArg(c.args[0]);
  noMoreArgs(c.args, 1);
  leaveSelected(s, true);
  const mailbox = account(s).find(name);
  if (!mailbox?.selectable) return no(`[NONEXISTENT] Mailbox doesn't exist: ${name}`);
  const view = new MailboxView(mailbox, readOnly);
  s.view = view;
  s.state = 'selected';
  s.send(`* ${view.exists} EXISTS`);
  s.send(`* ${view.recentCount} RECENT`);
  const firstUnseen = view.messages.findIndex((m) => !m.hasFlag('\\Seen'));
  if (firstUnseen !== -1) s.send(`* OK [UNSEEN ${firstUnseen + 1}] Message ${firstUnseen + 1} is first unseen`);
  s.send(`* OK [UIDVALIDITY ${mailbox.uidValidity}] UIDs valid`);
  s.send(`* OK [UIDNEXT ${mailbox.uidNext}] Predicted next UID`);
  const flags = mailbox.flagList.join(' ');
  s.send(`* FLAGS (${flags})`);
  s.send(readOnly ? '* OK [PERMANENTFLAGS ()] No permanent flags permitted' : `* OK [PERMANENTFLAGS (${flags} \\*)] Flags permitted`);
  return ok(readOnly ? '[READ-ONLY] EXAMINE completed' : '[READ-WRITE] SELECT completed');
}

/**
 * Why a new mailbox name (CREATE, RENAME's target) is refused, or null. RFC 3501 §5.1.3: without
 * UTF8=ACCEPT (RFC 6855, which the sandbox does not offer) names are modified UTF-7, printable ASCII
 * only; 8-bit octets (sent in a literal) or a malformed "&...-" run would be kept as something else
 * than what the client sent. RFC 5530 LIMIT: a name longer, or more mailboxes, than the server keeps
 * for one user.
 */
function refusedNewName(s: ImapHandlerSession, name: string): Completion | null {
  if (decodeModifiedUtf7(name) === null) return no('[CANNOT] Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)');
  const limits = s.limits;
  if (Buffer.byteLength(name) > limits.maxMailboxNameOctets) return no(`[LIMIT] Mailbox names are at most ${limits.maxMailboxNameOctets} octets long`);
  const names = account(s).mailboxes;
  const added = [...superiorNames(name), name].filter((n) => !names.has(canonicalMailboxName(n))).length;
  if (names.size + added > limits.maxMailboxesPerUser) return no(`[LIMIT] A user has at most ${limits.maxMailboxesPerUser} mailboxes`);
  return null;
}

function create(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = mailboxArg(c.args[0]);
  noMoreArgs(c.args, 1);
  if (canonicalMailboxName(name) === 'INBOX') return no('[ALREADYEXISTS] INBOX always exists');
  const over = refusedNewName(s, name);
  if (over) return over;
  const result = account(s).create(name);
  return result instanceof Mailbox ? ok('CREATE completed') : refused(result);
}

function del(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = mailboxArg(c.args[0]);
  noMoreArgs(c.args, 1);
  // Deleting the mailbox this session has selected: leave it first, so only the others get BYE.
  if (s.view && s.view.mailbox === account(s).find(name)) leaveSelected(s, false);
  const refusal = account(s).delete(name);
  return refusal ? refused(refusal) : ok('DELETE completed');
}

function rename(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const from = mailboxArg(c.args[0]);
  const to = mailboxArg(c.args[1]);
  noMoreArgs(c.args, 2);
  const over = refusedNewName(s, to);
  if (over) return over;
  const refusal = account(s).rename(from, to);
  return refusal ? refused(refusal) : ok('RENAME completed');
}

function subscribe(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = canonicalMailboxName(mailboxArg(c.args[0]));
  noMoreArgs(c.args, 1);
  const subscriptions = account(s).subscriptions;
  if (Buffer.byteLength(name) > s.limits.maxMailboxNameOctets) return no(`[LIMIT] Mailbox names are at most ${s.limits.maxMailboxNameOctets} octets long`);
  if (!subscriptions.has(name) && subscriptions.size >= s.limits.maxMailboxesPerUser) return no(`[LIMIT] A user has at most ${s.limits.maxMailboxesPerUser} subscriptions`);
  subscriptions.add(name);
  return ok('SUBSCRIBE completed');
}

function unsubscribe(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = canonicalMailboxName(mailboxArg(c.args[0]));
  noMoreArgs(c.args, 1);
  if (!account(s).subscriptions.delete(name)) return no(`[NONEXISTENT] Not subscribed: ${name}`);
  return ok('UNSUBSCRIBE completed');
}

/** A LIST/LSUB pattern: an astring, or an atom holding "%" and "*" (RFC 3501 §9 list-mailbox). */
function patternArg(v: ImapValue | undefined): string {
  return astringArg(v, 'mailbox pattern');
}

/** A reference and pattern no longer than a mailbox name may be: longer could match nothing. */
function listPattern(s: ImapHandlerSession, reference: string, pattern: string): ReturnType<typeof mailboxPattern> {
  const joined = joinReference(reference, pattern);
  if (Buffer.byteLength(joined) > s.limits.maxMailboxNameOctets) throw new ArgumentError(`Pattern longer than ${s.limits.maxMailboxNameOctets} octets`);
  return mailboxPattern(joined);
}

/** INBOX first, then the rest in code-point order: what a person reading LIST output expects. */
function listOrder(a: string, b: string): number {
  if (a === 'INBOX') return -1;
  if (b === 'INBOX') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function listLine(kind: 'LIST' | 'LSUB', attributes: string[], name: string): Buffer {
  return Buffer.concat([Buffer.from(`* ${kind} (${attributes.join(' ')}) "/" `), mailboxNameOnWire(name), Buffer.from('\r\n')]);
}

/**
 * RFC 3501 §6.3.8 LIST reference pattern. An empty pattern asks for the separator and the root of
 * the reference; otherwise every mailbox whose name matches gets its attributes: \Noselect for a
 * name that only holds inferiors, and RFC 3348's \HasChildren or \HasNoChildren.
 */
function listCommand(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const reference = astringArg(c.args[0], 'reference');
  const pattern = patternArg(c.args[1]);
  noMoreArgs(c.args, 2);
  if (pattern === '') {
    s.send(listLine('LIST', ['\\Noselect'], hierarchyRoot(reference)));
    return ok('LIST completed');
  }
  const matches = listPattern(s, reference, pattern);
  const names = [...account(s).mailboxes.keys()];
  for (const name of names.filter((n) => matches.matches(n)).sort(listOrder)) {
    const mailbox = account(s).mailboxes.get(name) as Mailbox;
    const attributes: string[] = [];
    if (!mailbox.selectable) attributes.push('\\Noselect');
    attributes.push(names.some((n) => isInferior(n, name)) ? '\\HasChildren' : '\\HasNoChildren');
    s.send(listLine('LIST', attributes, name));
  }
  return ok('LIST completed');
}

/**
 * RFC 3501 §6.3.9 LSUB: the subscribed names that match. When "%" leaves out a subscribed name's
 * superior that is not subscribed itself, the superior is listed with \Noselect.
 */
function lsub(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const reference = astringArg(c.args[0], 'reference');
  const pattern = patternArg(c.args[1]);
  noMoreArgs(c.args, 2);
  const matches = listPattern(s, reference, pattern);
  const subscribed = account(s).subscriptions;
  const lines = new Map<string, string[]>();
  for (const name of subscribed) {
    if (matches.matches(name)) {
      lines.set(name, []);
      continue;
    }
    // Only a name the pattern stops short of ("%") brings up its superior.
    for (const superior of matches.matchingSuperiors(name)) {
      if (!subscribed.has(superior) && !lines.has(superior)) lines.set(superior, ['\\Noselect']);
    }
  }
  for (const name of [...lines.keys()].sort(listOrder)) s.send(listLine('LSUB', lines.get(name) as string[], name));
  return ok('LSUB completed');
}

/** RFC 3501 §6.3.10 STATUS mailbox (items): counts without selecting. */
function status(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = mailboxArg(c.args[0]);
  if (c.args[1]?.type !== 'list') throw new ArgumentError('STATUS needs a list of status items');
  const items = atomListArg(c.args[1], 'status items');
  noMoreArgs(c.args, 2);
  const mailbox = account(s).find(name);
  if (!mailbox?.selectable) return no(`[NONEXISTENT] Mailbox doesn't exist: ${name}`);
  const values: string[] = [];
  for (const raw of items) {
    const item = raw.toUpperCase();
    let value: number;
    switch (item) {
      case 'MESSAGES':
        value = mailbox.messages.length;
        break;
      case 'RECENT': {
        // Recent: nobody has seen it yet, or a session that still has the mailbox selected claimed it.
        const open = new Set<object>(mailbox.watchers);
        value = mailbox.messages.filter((m) => m.recentOwner === 'unclaimed' || (m.recentOwner !== null && open.has(m.recentOwner))).length;
        break;
      }
      case 'UIDNEXT':
        value = mailbox.uidNext;
        break;
      case 'UIDVALIDITY':
        value = mailbox.uidValidity;
        break;
      case 'UNSEEN':
        value = mailbox.messages.filter((m) => !m.hasFlag('\\Seen')).length;
        break;
      default:
        throw new ArgumentError(`Unknown status item ${raw}`);
    }
    values.push(`${item} ${value}`);
  }
  s.send(Buffer.concat([Buffer.from('* STATUS '), mailboxNameOnWire(mailbox.name), Buffer.from(` (${values.join(' ')})\r\n`)]));
  return ok('STATUS completed');
}

/**
 * RFC 3501 §6.3.11 APPEND mailbox [(flags)] [date-time] literal. A missing mailbox gets
 * [TRYCREATE]; the new message's UID comes back as RFC 4315's APPENDUID.
 */
function append(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = mailboxArg(c.args[0]);
  let i = 1;
  let flags: string[] = [];
  let date: ZonedDate | null = null;
  if (c.args[i]?.type === 'list') flags = flagArgs(c.args[i++]);
  const maybeDate = c.args[i];
  if (maybeDate?.type === 'string' && maybeDate.form === 'quoted') {
    const text = maybeDate.value.toString('latin1');
    date = parseImapDateTime(text);
    if (!date) throw new ArgumentError(`Invalid date-time "${text}"`);
    i++;
  }
  const message = c.args[i];
  if (message?.type !== 'string' || message.form !== 'literal') throw new ArgumentError('The message must be sent as a literal');
  noMoreArgs(c.args, i + 1);
  const mailbox = account(s).find(name);
  if (!mailbox?.selectable) return no(`[TRYCREATE] Mailbox doesn't exist: ${name}`);
  if (message.value.length === 0) return no("Can't save a zero byte message");
  if (!account(s).fits(message.value.length)) return no('[OVERQUOTA] Quota exceeded (mailbox for user is full)');
  // The literal's octets were gathered into a buffer of their own: stored as they are, not copied.
  const stored = mailbox.append(message.value, flags, date ?? zonedNow(s.options.now()));
  return ok(`[APPENDUID ${mailbox.uidValidity} ${stored.uid}] APPEND completed`);
}

export const MAILBOX_COMMANDS: [string, CommandHandler][] = [
  ['SELECT', (s, c) => open(s, c, false)],
  ['EXAMINE', (s, c) => open(s, c, true)],
  ['CREATE', create],
  ['DELETE', del],
  ['RENAME', rename],
  ['SUBSCRIBE', subscribe],
  ['UNSUBSCRIBE', unsubscribe],
  ['LIST', listCommand],
  ['LSUB', lsub],
  ['STATUS', status],
  ['APPEND', append],
];
