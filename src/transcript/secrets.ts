/**
 * Secrets in replayed client lines. A recorded transcript never holds a password: it says `<secret>`,
 * and an APOP digest is only good for the greeting it was computed from. Before a line is sent, this
 * module says which user's secret it needs, and then puts the secret in (or recomputes what depends on
 * a new greeting or challenge):
 *
 *  - IMAP `LOGIN user <secret>` (RFC 3501 §6.2.3): the password as a quoted string;
 *  - POP3 `PASS <secret>` (RFC 1939 §7), for the user of the last USER;
 *  - POP3 `APOP user digest` (RFC 1939 §7): MD5 of the new greeting's timestamp and the secret;
 *  - an `AUTHENTICATE` / `AUTH` exchange with a `<secret>` in it: run again by the mechanism itself
 *    (protocol/sasl), against the new server's challenges; saslCommand() recognises one.
 *
 * Pure: the secrets themselves come from the caller (directive, MAILWIRE_PASSWORD or a prompt).
 */
import { analyzeImapLine } from '../protocol/imap/request.js';
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { imapQuoted } from '../session/credentials.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { displayFormOfText } from '../protocol/display-form.js';

/** What a client line needs before it can go out. */
export type SecretNeed =
  | { kind: 'imap-login'; user: string }
  | { kind: 'pop3-pass'; user: string | null }
  | { kind: 'apop'; user: string; digest: string };

function unquote(arg: string): string {
  return arg.startsWith('"') && arg.endsWith('"') && arg.length >= 2 ? arg.slice(1, -1).replace(/\\(.)/g, '$1') : arg;
}

/** The need of an IMAP command line, or null when it can go as written. */
export function imapCommandNeed(text: string): SecretNeed | null {
  if (!text.includes(SECRET_PLACEHOLDER)) return null;
  const a = analyzeImapLine(text);
  if (a.command === 'LOGIN') {
    const user = /^("(?:[^"\\]|\\.)*"|\S+)/.exec(a.args)?.[1];
    if (user !== undefined && user !== SECRET_PLACEHOLDER) return { kind: 'imap-login', user: unquote(user) };
  }
  return null;
}

/**
 * The user of a LOGIN command assembled from its parts: the first argument, an atom or a quoted string
 * on the command line, or the first literal's data (`LOGIN {3}` `joe {8}`). Null for another command.
 */
export function loginUser(plan: { segments: readonly Buffer[]; literals: ReadonlyArray<{ data: Buffer }> }): string | null {
  const first = plan.segments[0]?.toString('utf8') ?? '';
  const a = analyzeImapLine(first);
  if (a.command !== 'LOGIN') return null;
  const arg = /^("(?:[^"\\]|\\.)*"|\S+)/.exec(a.args)?.[1];
  if (arg === undefined) return null;
  if (/^~?\{\d+[+-]?\}$/.test(arg)) return plan.literals[0]?.data.toString('utf8') ?? null;
  return unquote(arg);
}

/** An IMAP `AUTHENTICATE mech [initial]` or POP3 `AUTH mech [initial]` line: the mechanism, upper case. */
export function saslCommand(text: string, protocol: 'imap' | 'pop3'): { mechanism: string; initial: string | null } | null {
  let args: string;
  if (protocol === 'imap') {
    const a = analyzeImapLine(text);
    if (a.command !== 'AUTHENTICATE') return null;
    args = a.args;
  } else {
    const m = /^\s*AUTH\s+(.*)$/i.exec(text);
    if (!m) return null;
    args = m[1] ?? '';
  }
  const [mechanism, initial] = args.trim().split(/\s+/);
  if (!mechanism) return null;
  return { mechanism: mechanism.toUpperCase(), initial: initial ?? null };
}

/** The need of a POP3 command line, or null. `lastUser` is the argument of the last USER sent. */
export function pop3CommandNeed(text: string, lastUser: string | null): SecretNeed | null {
  const apop = parseApopRequest(text);
  if (apop?.digest) return { kind: 'apop', user: apop.user, digest: apop.digest };
  if (!text.includes(SECRET_PLACEHOLDER)) return null;
  const m = /^\s*(\S+)(?:\s+(\S+))?/.exec(text);
  const name = (m?.[1] ?? '').toUpperCase();
  if (name === 'PASS') return { kind: 'pop3-pass', user: lastUser };
  return null;
}

/** What the live session knows that a secret is combined with. */
export interface SecretContext {
  user: string;
  secret: string;
  /** The live server's greeting (POP3, for APOP). */
  greeting?: string | null;
}

/**
 * The line to send: `text` (a transcript's line, in display form) with the need met. The secret goes
 * in in display form too, so that the line's octets carry it as it is (a password that holds `\x41`
 * is not sent as "A").
 * @throws Error with a sentence, when the need cannot be met (no APOP timestamp).
 */
export function fillSecret(text: string, need: SecretNeed, ctx: SecretContext): string {
  switch (need.kind) {
    case 'imap-login':
      if (/[\r\n\0]/.test(ctx.secret)) throw new Error('the password contains CR, LF or NUL, which LOGIN cannot carry');
      return text.replace(SECRET_PLACEHOLDER, () => displayFormOfText(imapQuoted(ctx.secret)));
    case 'pop3-pass':
      return text.replace(SECRET_PLACEHOLDER, () => displayFormOfText(ctx.secret));
    case 'apop': {
      const timestamp = greetingTimestamp(ctx.greeting ?? '');
      if (timestamp === null) throw new Error('the server greeting has no APOP timestamp <...>, so no digest can be computed');
      return text.replace(need.digest, apopDigest(timestamp, ctx.secret));
    }
  }
}

/** The user a need is for, given the transcript's declared users; null when nobody can be named. */
export function userFor(need: SecretNeed, declared: readonly string[]): string | null {
  switch (need.kind) {
    case 'imap-login':
    case 'apop':
      return need.user;
    case 'pop3-pass':
      return need.user ?? declared[0] ?? null;
  }
}

/**
 * Why a client line that holds a `<secret>` replay cannot fill does not go out: replay never sends
 * the placeholder in place of a secret, as if it were one. `after`: the AUTHENTICATE / AUTH command
 * a line that is `<secret>` alone follows with no "+" asking for it (a SASL response the client
 * pipelined into an exchange the server refused, so that the server read it as a command of its
 * own, as a recording made by mailwire proxy shows it): its name and line.
 */
export function unfilledSecretReason(after: { command: string; lineNo: number } | null): string {
  if (after !== null) {
    return `${SECRET_PLACEHOLDER} stands for a SASL response the client sent after the ${after.command} of line ${after.lineNo} with no "+" to answer, and the server read it as a command: replay sends no secret as a command, and the recording holds none to send`;
  }
  return `replay fills a ${SECRET_PLACEHOLDER} only as LOGIN's or PASS's password, an APOP digest or within an AUTHENTICATE / AUTH exchange it runs, and sends no placeholder in place of a secret`;
}

/** Is this client line `<secret>` alone: a masked SASL response, wherever it stands? */
export function isSaslResponseLine(text: string): boolean {
  return text.trim() === SECRET_PLACEHOLDER;
}
