/**
 * The sandbox's IMAP commands about the session rather than a mailbox: CAPABILITY, NOOP, LOGOUT
 * (RFC 3501 §6.1), STARTTLS, LOGIN, AUTHENTICATE PLAIN (§6.2, RFC 4959 SASL-IR, RFC 4616), IDLE
 * (RFC 2177), ENABLE (RFC 5161), ID (RFC 2971), NAMESPACE (RFC 2342) and the quota commands
 * (RFC 9208, formerly RFC 2087).
 */
import { ArgumentError, astringArg, mailboxArg, noMoreArgs, type ImapCommand } from './imap-command-line.js';
import type { CommandHandler, Completion, HandlerResult, ImapHandlerSession } from './imap-command-handler.js';
import { mailboxNameOnWire } from './mailbox-names.js';
import { list, serializeResponseValue, str } from './response-values.js';
import { decodeSaslPlain } from './users.js';

const ok = (text: string): Completion => ({ status: 'OK', text });
const no = (text: string): Completion => ({ status: 'NO', text });
const bad = (text: string): Completion => ({ status: 'BAD', text });

/** RFC 3501 §6.1.1: the capability list as an untagged response. */
function capability(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  s.send(`* CAPABILITY ${s.capabilities().join(' ')}`);
  return ok('CAPABILITY completed');
}

/** RFC 3501 §6.1.2: nothing, except that pending mailbox updates go out (the session core sends them). */
function noop(_s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  return ok('NOOP completed');
}

/** RFC 3501 §6.1.3: BYE, then the tagged OK, then the server closes. */
function logout(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  s.send('* BYE IMAP4rev1 Server logging out');
  s.view?.close();
  s.view = null;
  s.state = 'logout';
  s.closeAfterCompletion();
  return ok('LOGOUT completed');
}

/** RFC 3501 §6.2.1: OK, then the TLS handshake; nothing sent before it counts. */
function starttls(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  if (s.tlsActive) return bad('TLS is already active');
  if (!s.options.tlsAvailable) return bad('STARTTLS is not available on this listener');
  s.send(`${c.tag} OK Begin TLS negotiation now`);
  s.beginTls();
  return 'continues';
}

/** The login succeeds, unless the user has as many connections as allowed (RFC 5530 LIMIT). */
function loggedIn(s: ImapHandlerSession, user: string, done: string): Completion {
  if (!s.admitLogin(user)) return no(`[LIMIT] Too many connections for this user (at most ${s.limits.maxConnectionsPerUser}); log out elsewhere first`);
  s.state = 'authenticated';
  s.user = user;
  s.account = s.options.store.account(user);
  return ok(done);
}

const PRIVACY = no('[PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.');
const FAILED = no('[AUTHENTICATIONFAILED] Authentication failed.');

/**
 * Checks a password, slowed down per user where failed logins are (a class sandbox): while the
 * user's wait lasts, the attempt fails unchecked with RFC 5530's UNAVAILABLE and how long to wait,
 * so guessing a classmate's password takes a second and more a guess, from any address.
 */
function checkPassword(s: ImapHandlerSession, user: string, password: string): string | Completion {
  const guard = s.options.failedLogins;
  const now = s.options.now().getTime();
  const wait = guard?.waitFor(user, now) ?? 0;
  if (wait > 0) return no(`[UNAVAILABLE] Too many failed logins for this user: try again in ${Math.ceil(wait / 1000)} s`);
  const name = s.options.users.checkPassword(user, password);
  if (name === null) {
    guard?.failed(user, now);
    return FAILED;
  }
  guard?.succeeded(user);
  return name;
}

/** RFC 3501 §6.2.3: LOGIN userid password. */
function login(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const user = astringArg(c.args[0], 'user name');
  const password = astringArg(c.args[1], 'password');
  noMoreArgs(c.args, 2);
  if (s.loginDisabled) return PRIVACY;
  const name = checkPassword(s, user, password);
  if (typeof name !== 'string') return name;
  return loggedIn(s, name, 'LOGIN completed');
}

/** A PLAIN response (RFC 4616): only the user's own identity may be asked for as authzid. */
function plainOutcome(s: ImapHandlerSession, base64: string): Completion {
  const plain = decodeSaslPlain(base64);
  if (!plain) return bad('Invalid SASL PLAIN response');
  const name = checkPassword(s, plain.authcid, plain.password);
  if (typeof name !== 'string') return name;
  if (plain.authzid !== '' && plain.authzid !== name) return no('[AUTHORIZATIONFAILED] Not allowed to act as another user.');
  return loggedIn(s, name, 'AUTHENTICATE completed');
}

/** RFC 3501 §6.2.2 with RFC 4959's initial response ("=" for an empty one). Only PLAIN is offered. */
function authenticate(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const mechanism = astringArg(c.args[0], 'mechanism').toUpperCase();
  noMoreArgs(c.args, 2);
  if (s.loginDisabled) return PRIVACY;
  if (mechanism !== 'PLAIN') return no('Unsupported authentication mechanism.');
  if (c.args[1] !== undefined) {
    const initial = astringArg(c.args[1], 'initial response');
    return plainOutcome(s, initial === '=' ? '' : initial);
  }
  // RFC 4616 §2: the server's first challenge is empty.
  s.send('+ ');
  s.expectLines((line) => {
    const text = line.toString('latin1').trim();
    // RFC 3501 §6.2.2: "*" cancels, and the server MUST answer BAD.
    s.endContinuation(c.tag, text === '*' ? bad('AUTHENTICATE cancelled') : plainOutcome(s, text), 'AUTHENTICATE');
  });
  return 'continues';
}

/**
 * RFC 2177 IDLE: "+ idling", then mailbox updates as they happen (EXPUNGE included), until DONE.
 * Valid with or without a selected mailbox.
 */
function idle(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  s.send('+ idling');
  s.reportUpdates(true);
  const view = s.view;
  if (view) view.onUpdate = () => s.pushUpdates();
  s.expectLines((line) => {
    if (view) view.onUpdate = () => undefined;
    const done = line.toString('latin1').trim().toUpperCase() === 'DONE';
    s.endContinuation(c.tag, done ? ok('IDLE terminated') : bad('Expected DONE'), 'IDLE');
  });
  return 'continues';
}

/** RFC 5161: nothing here can be enabled, so ENABLED lists nothing (unknown names are ignored, §3.1). */
function enable(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  if (c.args.length === 0) throw new ArgumentError('Missing capability names');
  for (const a of c.args) if (a.type !== 'atom') throw new ArgumentError('Capability names are atoms');
  s.send('* ENABLED');
  return ok('ENABLE completed');
}

/** RFC 2971: ID (field value ...) or ID NIL; the server says who it is. */
function id(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const arg = c.args[0];
  noMoreArgs(c.args, 1);
  if (arg === undefined || (arg.type !== 'nil' && arg.type !== 'list')) throw new ArgumentError('ID takes a list of fields and values, or NIL');
  if (arg.type === 'list' && arg.items.length % 2 !== 0) throw new ArgumentError('ID fields and values come in pairs');
  const fields = list([str('name'), str('mailwire sandbox'), str('version'), str(s.options.version), str('vendor'), str('mailwire')]);
  s.send(Buffer.concat([Buffer.from('* ID '), serializeResponseValue(fields), Buffer.from('\r\n')]));
  return ok('ID completed');
}

/** RFC 2342: one personal namespace, no prefix, "/" separated; no others' or shared ones. */
function namespace(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  noMoreArgs(c.args, 0);
  s.send('* NAMESPACE (("" "/")) NIL NIL');
  return ok('NAMESPACE completed');
}

/** The one quota root, "", over all of the user's mailboxes (RFC 9208 §5.1 STORAGE, in 1024-octet units). */
function quotaLine(s: ImapHandlerSession): string {
  const account = s.account;
  if (!account) return '';
  const used = Math.ceil(account.usedOctets / 1024);
  return `* QUOTA "" (STORAGE ${used} ${account.quotaLimitKb})`;
}

/** RFC 9208 §4.1.2 GETQUOTAROOT mailbox: its roots, then each root's QUOTA. */
function getquotaroot(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const name = mailboxArg(c.args[0]);
  noMoreArgs(c.args, 1);
  if (!s.account?.find(name)) return no(`[NONEXISTENT] Mailbox doesn't exist: ${name}`);
  s.send(Buffer.concat([Buffer.from('* QUOTAROOT '), mailboxNameOnWire(name), Buffer.from(' ""\r\n')]));
  s.send(quotaLine(s));
  return ok('GETQUOTAROOT completed');
}

/** RFC 9208 §4.1.1 GETQUOTA root. */
function getquota(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const root = astringArg(c.args[0], 'quota root');
  noMoreArgs(c.args, 1);
  if (root !== '') return no('[NONEXISTENT] No such quota root');
  s.send(quotaLine(s));
  return ok('GETQUOTA completed');
}

/**
 * RFC 9208 §4.1.3 SETQUOTA root (STORAGE limit). Real servers keep this for administrators; the
 * sandbox lets a user set their own limit, so RFC 2087's examples and [OVERQUOTA] can be tried,
 * except in a class, where quotas are the teacher's. Whatever the quota, the store's own bound
 * (--max-store) holds.
 */
function setquota(s: ImapHandlerSession, c: ImapCommand): HandlerResult {
  const root = astringArg(c.args[0], 'quota root');
  const limits = c.args[1];
  noMoreArgs(c.args, 2);
  if (limits?.type !== 'list' || limits.items.length % 2 !== 0) throw new ArgumentError('SETQUOTA takes a list of resource names and limits');
  if (s.options.usersSetQuota === false) return no('[NOPERM] Quotas are set by the teacher in this sandbox');
  if (root !== '') return no('[NONEXISTENT] No such quota root');
  const account = s.account;
  if (!account) return bad('Please login first');
  let storage: number | null = null;
  for (let i = 0; i < limits.items.length; i += 2) {
    const resource = limits.items[i];
    const limit = limits.items[i + 1];
    if (resource?.type !== 'atom' || limit?.type !== 'number') throw new ArgumentError('Resource names are atoms and limits numbers');
    if (resource.value.toUpperCase() !== 'STORAGE') return no(`Unsupported quota resource: ${resource.value}`);
    storage = limit.value;
  }
  if (storage !== null) account.quotaLimitKb = storage;
  s.send(quotaLine(s));
  return ok('SETQUOTA completed');
}

export const SESSION_COMMANDS: [string, CommandHandler][] = [
  ['CAPABILITY', capability],
  ['NOOP', noop],
  ['LOGOUT', logout],
  ['STARTTLS', starttls],
  ['LOGIN', login],
  ['AUTHENTICATE', authenticate],
  ['IDLE', idle],
  ['ENABLE', enable],
  ['ID', id],
  ['NAMESPACE', namespace],
  ['GETQUOTAROOT', getquotaroot],
  ['GETQUOTA', getquota],
  ['SETQUOTA', setquota],
];
