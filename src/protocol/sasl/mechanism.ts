/**
 * What every SASL client mechanism (RFC 4422) is to mailwire: a pure step machine. It makes the
 * client's messages from the credentials and the server's challenges, and says for each message what
 * may be shown of it: the decoded content with passwords, tokens and proofs replaced by
 * SECRET_PLACEHOLDER, and whether the base64 line that carries it must itself be masked. Base64 and
 * the protocol framing (IMAP AUTHENTICATE, POP3 AUTH) are the session's business, not the mechanism's.
 */
import { englishNotice, type NoticeText } from '../explain/notices.js';
import { SECRET_PLACEHOLDER } from '../secret-placeholder.js';

/** Who logs in, and with what. */
export interface SaslCredentials {
  /** Authentication identity: the user name the secret belongs to ("" for EXTERNAL). */
  user: string;
  /** Password (PLAIN, LOGIN, CRAM-MD5, SCRAM) or bearer token (XOAUTH2, OAUTHBEARER); "" for EXTERNAL. */
  secret: string;
  /** Authorization identity, RFC 4422 §2: act as this user; "" to act as oneself. */
  authzid: string;
  /** The server's host name and port, which OAUTHBEARER sends along (RFC 7628 §3.1). */
  host?: string;
  port?: number;
}

/** One message from the client. */
export interface SaslMessage {
  /** The octets to send (the session base64-encodes them). */
  data: Buffer;
  /** The octets as shown: decoded, secrets replaced by SECRET_PLACEHOLDER (control characters escaped later). */
  shown: string;
  /** The base64 line carrying `data` reveals a secret: it is shown and recorded as SECRET_PLACEHOLDER. */
  secret: boolean;
  /** The message's name in the mechanism's specification ("client-first"), when it has one. */
  step?: string;
}

/** Something the mechanism concluded that the user should read, e.g. that the server proved itself. */
export interface SaslNote {
  level: 'info' | 'warning' | 'error';
  /** In English (an error's message too). */
  text: string;
  /** The same as data, when it has words in other languages (notices-en.ts). */
  said?: NoticeText;
}

/** A note whose words are in notices-en.ts and its translations. */
export function saslNote(level: SaslNote['level'], text: NoticeText): SaslNote {
  return { level, text: englishNotice(text), said: text };
}

/** What a server challenge was, and what to answer. */
export interface SaslChallengeOutcome {
  /** The challenge as shown (decoded; servers send no secrets). */
  shown: string;
  /** The challenge's name in the specification ("server-first"), when it has one. */
  step?: string;
  /** The answer, or null to cancel the exchange ("*", RFC 3501 §6.2.2, RFC 5034 §4). */
  response: SaslMessage | null;
  note?: SaslNote;
}

export interface SaslMechanism {
  /** The registered name (RFC 4422 §3.1), upper case: "SCRAM-SHA-256". */
  readonly name: string;
  /** The client speaks first (RFC 4422 §3.3 initial response); false when the server does (LOGIN, CRAM-MD5). */
  readonly clientFirst: boolean;
  /**
   * A server-first mechanism whose first answer a client may send as an initial response all the
   * same: LOGIN's user name, which curl sends so where SASL-IR allows, and Dovecot takes. mailwire
   * opens so only when a recording shows it (replay follows the recorded client).
   */
  readonly mayRespondFirst?: boolean;
  /** The client's first message; for clientFirst mechanisms, and those that mayRespondFirst. */
  initialResponse(): SaslMessage;
  /** A server challenge in (decoded from base64), the response out. */
  challenge(data: Buffer): SaslChallengeOutcome;
  /**
   * The server's verdict (OK / +OK: true). Returns what the mechanism has to add, e.g. SCRAM's
   * warning when the server said OK without proving it knows the password.
   */
  completed(ok: boolean): SaslNote | null;
}

/** Thrown when the credentials cannot be used with a mechanism (a password SASLprep prohibits, a NUL in a name). */
export class SaslCredentialsError extends Error {
  override readonly name = 'SaslCredentialsError';
}

/** A message whose content is no secret: shown as it is. */
export function openMessage(data: Buffer | string, step?: string): SaslMessage {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return { data: bytes, shown: bytes.toString('utf8'), secret: false, ...(step ? { step } : {}) };
}

/**
 * A message carrying a secret: `text` is sent, `shown` (the same with SECRET_PLACEHOLDER where the
 * secret is) is what people see, and the wire line is masked too.
 */
export function secretMessage(text: string, shown: string, step?: string): SaslMessage {
  return { data: Buffer.from(text, 'utf8'), shown, secret: true, ...(step ? { step } : {}) };
}

/** SECRET_PLACEHOLDER, for building what is shown of a message. */
export const MASK = SECRET_PLACEHOLDER;

/** An empty response (RFC 4422 §3.3: the client has nothing to add, e.g. after SCRAM's server-final). */
export function emptyMessage(step?: string): SaslMessage {
  return { data: Buffer.alloc(0), shown: '', secret: false, ...(step ? { step } : {}) };
}

/** Rejects characters a mechanism's syntax cannot carry in `what` (NUL in PLAIN, ^A in OAuth). */
export function refuseCharacters(value: string, forbidden: RegExp, what: string): void {
  if (forbidden.test(value)) throw new SaslCredentialsError(`${what} contains a character the mechanism cannot carry`);
}
