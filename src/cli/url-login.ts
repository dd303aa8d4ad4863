/**
 * The login a URL asks for, as the commands a person would type: imap://joe@host/INBOX is
 * `LOGIN joe` then `EXAMINE INBOX`, pop3://mrose;AUTH=+APOP@host is `APOP mrose`. Typed lines, not a
 * login of its own, so that the password is asked for (or taken from the URL or -u) and masked, the
 * session shows and records it as any other, and what the server says comes out as usual. Pure.
 */
import { MailwireError } from '../errors.js';
import { encodeModifiedUtf7 } from '../protocol/imap/mutf7.js';
import { findSaslMechanism, SASL_MECHANISMS } from '../protocol/sasl/registry.js';
import { imapQuoted } from '../session/credentials.js';
import type { Target } from './target.js';

/** RFC 3501 §9 ATOM-CHAR minus list-wildcards and resp-specials: what needs no quotes. */
const ATOM = /^[^\x00-\x20\x7f(){%*"\\\]]+$/;

function astring(text: string): string {
  return ATOM.test(text) ? text : imapQuoted(text);
}

function usage(message: string): MailwireError {
  return new MailwireError('usage', message);
}

/**
 * The lines that log in (and, for IMAP, open the URL's mailbox), or none when the URL names no
 * user, mechanism or mailbox and no password was given.
 * @param user the URL's user, else -u's
 * @param password whether a password was given (URL or -u USER:PASSWORD)
 * @throws MailwireError('usage') for a mechanism mailwire does not run, or a login with no user
 */
export function urlLoginCommands(target: Target, user: string | undefined, password: boolean): string[] {
  const auth = target.auth;
  // -u USER alone names the user of the logins typed; it starts none (that takes a password, as in curl).
  if (target.user === null && auth === null && target.mailbox === null && !password) return [];
  const pop3 = target.protocol === 'pop3';
  // RFC 5092 §3.2, RFC 2384 §4: a user without ;AUTH= means ";AUTH=*": the client chooses. The plain
  // password logins show best what happens; mailwire notes it when they go without TLS.
  const any = auth === null || auth === '*';
  const apop = pop3 && auth !== null && auth.toUpperCase() === '+APOP';
  const sasl = !any && !apop ? findSaslMechanism(auth) : undefined;
  if (!any && !apop && !sasl) {
    const known = SASL_MECHANISMS.map((m) => m.name).join(', ');
    throw usage(`;AUTH=${auth} in "${target.display}" is not a login mailwire runs: ${known}${pop3 ? ', +APOP' : ''} or * (any)`);
  }
  if (user === undefined && !sasl) {
    throw usage(`"${target.display}" logs in, but as whom? Put the user in the URL (${target.protocol}://USER@HOST) or give -u USER`);
  }
  const login: string[] = [];
  if (sasl) login.push(`${pop3 ? 'AUTH' : 'AUTHENTICATE'} ${sasl.name}`);
  else if (apop) login.push(`APOP ${user}`);
  else if (pop3) login.push(`USER ${user}`, 'PASS');
  else login.push(`LOGIN ${astring(user as string)}`);
  // RFC 5092 §3.4 leaves SELECT or EXAMINE to the client; a debugging tool changes nothing
  // (\Recent, \Seen) unless asked: EXAMINE, read-only (RFC 3501 §6.3.2).
  if (target.mailbox !== null) login.push(`EXAMINE ${astring(encodeModifiedUtf7(target.mailbox))}`);
  return login;
}
