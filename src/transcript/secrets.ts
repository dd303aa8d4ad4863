/**
 * Secrets in replayed client lines. A recorded transcript never holds a password: it says `<secret>`,
 * and an APOP digest is only good for the greeting it was computed from. Before a line is sent, this
 * module says which user's secret it needs, and then puts the secret in (or recomputes what depends on
 * a new greeting or challenge):
 *
 *  - IMAP `LOGIN user <secret>` (RFC 3501 §6.2.3): the password as a quoted string;
 *  - POP3 `PASS <secret>` (RFC 1939 §7), for the user of the last USER;
 *  - POP3 `APOP user digest` (RFC 1939 §7): MD5 of the new greeting's timestamp and the secret;
 *  - `AUTHENTICATE PLAIN <secret>` / `AUTH PLAIN <secret>` and SASL responses written `<secret>`:
 *    PLAIN (RFC 4616), LOGIN, CRAM-MD5 (RFC 2195, from the server's new challenge).
 *
 * Pure: the secrets themselves come from the caller (directive, MAILWIRE_PASSWORD or a prompt).
 */
import { createHmac } from 'node:crypto';
import { analyzeImapLine } from '../protocol/imap/request.js';
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { imapQuoted } from '../session/credentials.js';
import { SECRET_PLACEHOLDER } from '../session/events.js';

/** What a client line needs before it can go out. */
export type SecretNeed =
  | { kind: 'imap-login'; user: string }
  | { kind: 'pop3-pass'; user: string | null }
  | { kind: 'apop'; user: string; digest: string }
  /** `AUTHENTICATE mech <secret>` / `AUTH mech <secret>` (SASL-IR, RFC 4959 / RFC 5034). */
  | { kind: 'sasl-initial'; mechanism: string }
  /** A SASL response line written `<secret>`: `step` counts the responses of the exchange from 0. */
  | { kind: 'sasl-response'; mechanism: string; step: number };

/** Mechanisms whose responses can be computed again from a secret. */
export const RECOMPUTABLE_MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5'] as const;

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
  if (a.command === 'AUTHENTICATE') {
    const mechanism = (/^(\S+)/.exec(a.args)?.[1] ?? '').toUpperCase();
    return { kind: 'sasl-initial', mechanism };
  }
  return null;
}

/** The need of a POP3 command line, or null. `lastUser` is the argument of the last USER sent. */
export function pop3CommandNeed(text: string, lastUser: string | null): SecretNeed | null {
  const apop = parseApopRequest(text);
  if (apop?.digest) return { kind: 'apop', user: apop.user, digest: apop.digest };
  if (!text.includes(SECRET_PLACEHOLDER)) return null;
  const m = /^\s*(\S+)(?:\s+(\S+))?/.exec(text);
  const name = (m?.[1] ?? '').toUpperCase();
  if (name === 'PASS') return { kind: 'pop3-pass', user: lastUser };
  if (name === 'AUTH') return { kind: 'sasl-initial', mechanism: (m?.[2] ?? '').toUpperCase() };
  return null;
}

/** The need of a continuation response line (after "+"), or null when it is sent as written. */
export function responseNeed(text: string, mechanism: string | null, step: number): SecretNeed | null {
  if (text.trim() !== SECRET_PLACEHOLDER) return null;
  return { kind: 'sasl-response', mechanism: (mechanism ?? '').toUpperCase(), step };
}

/** Why a need cannot be met, or null: for SASL, the mechanisms that cannot be recomputed. */
export function unmetReason(need: SecretNeed): string | null {
  if (need.kind !== 'sasl-initial' && need.kind !== 'sasl-response') return null;
  if ((RECOMPUTABLE_MECHANISMS as readonly string[]).includes(need.mechanism)) return null;
  return `a <secret> for SASL ${need.mechanism || '(no mechanism)'} cannot be computed again (mailwire can for ${RECOMPUTABLE_MECHANISMS.join(', ')})`;
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** What the live session knows that a secret is combined with. */
export interface SecretContext {
  user: string;
  secret: string;
  /** The live server's greeting (POP3, for APOP). */
  greeting?: string | null;
  /** The live server's last SASL challenge, base64 as sent after "+ ". */
  challenge?: string | null;
}

/**
 * The line to send: `text` with the need met.
 * @throws Error with a sentence, when the need cannot be met (no APOP timestamp, unknown mechanism).
 */
export function fillSecret(text: string, need: SecretNeed, ctx: SecretContext): string {
  switch (need.kind) {
    case 'imap-login':
      if (/[\r\n\0]/.test(ctx.secret)) throw new Error('the password contains CR, LF or NUL, which LOGIN cannot carry');
      return text.replace(SECRET_PLACEHOLDER, imapQuoted(ctx.secret));
    case 'pop3-pass':
      return text.replace(SECRET_PLACEHOLDER, ctx.secret);
    case 'apop': {
      const timestamp = greetingTimestamp(ctx.greeting ?? '');
      if (timestamp === null) throw new Error('the server greeting has no APOP timestamp <...>, so no digest can be computed');
      return text.replace(need.digest, apopDigest(timestamp, ctx.secret));
    }
    case 'sasl-initial':
      return text.replace(SECRET_PLACEHOLDER, saslResponse(need.mechanism, 0, ctx));
    case 'sasl-response':
      return saslResponse(need.mechanism, need.step, ctx);
  }
}

/** Response number `step` of a SASL exchange (an initial response counts as step 0). */
function saslResponse(mechanism: string, step: number, ctx: SecretContext): string {
  switch (mechanism) {
    case 'PLAIN':
      // RFC 4616 §2: [authzid] NUL authcid NUL passwd; no authzid.
      return b64(`\0${ctx.user}\0${ctx.secret}`);
    case 'LOGIN':
      // The (never standardised) LOGIN mechanism: the user name, then the password.
      return b64(step === 0 ? ctx.user : ctx.secret);
    case 'CRAM-MD5': {
      // RFC 2195 §2: the user, a space, and HMAC-MD5 of the challenge keyed with the secret, in hex.
      const challenge = Buffer.from(ctx.challenge ?? '', 'base64').toString('latin1');
      const digest = createHmac('md5', ctx.secret).update(challenge, 'latin1').digest('hex');
      return b64(`${ctx.user} ${digest}`);
    }
    default:
      throw new Error(`a <secret> for SASL ${mechanism || '(no mechanism)'} cannot be computed again (mailwire can for ${RECOMPUTABLE_MECHANISMS.join(', ')})`);
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
    default:
      return declared[0] ?? null;
  }
}
