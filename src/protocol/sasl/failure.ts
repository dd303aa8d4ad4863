/**
 * Why a login failed, in plain words: the response codes servers attach to a refused login (IMAP:
 * RFC 5530 §3; POP3: RFC 2449 §8 and RFC 3206) and the wording of common servers where they give no
 * code. Pure: the reply's code and text in, one sentence out.
 */

/** RFC 5530 §3: IMAP response codes for a failed LOGIN or AUTHENTICATE. */
const IMAP_CODES: Readonly<Record<string, string>> = {
  AUTHENTICATIONFAILED: 'wrong user name or password, or this account may not log in this way',
  AUTHORIZATIONFAILED: 'the credentials are right, but they may not act as the authorization identity asked for',
  EXPIRED: 'the password or the account has expired',
  PRIVACYREQUIRED: 'the server takes this login only over TLS (STARTTLS first, or imaps://)',
  CONTACTADMIN: 'the server asks you to contact its administrator',
  UNAVAILABLE: 'the server does not check this login now (RFC 5530 UNAVAILABLE: a part of it is down, or it is slowing down attempts; its text says which); try again later',
  ALERT: 'the server has a message for you (above)',
};

/** RFC 2449 §8 and RFC 3206: POP3 response codes. */
const POP3_CODES: Readonly<Record<string, string>> = {
  AUTH: 'wrong user name or password, or the login itself is refused (RFC 3206 [AUTH])',
  'SYS/TEMP': 'a temporary problem on the server (RFC 3206 [SYS/TEMP]); try again later',
  'SYS/PERM': 'a lasting problem on the server (RFC 3206 [SYS/PERM]); tell its administrator',
  'IN-USE': 'the mailbox is locked by another session (RFC 2449 [IN-USE])',
  'LOGIN-DELAY': 'logging in again so soon is not allowed (RFC 2449 [LOGIN-DELAY])',
};

export interface LoginFailure {
  /** The response code without brackets ("AUTHENTICATIONFAILED", "SYS/TEMP"), or null. */
  code: string | null;
  /** The human text of the reply. */
  text: string;
  /** The SASL mechanism used, when the command was AUTHENTICATE / AUTH. */
  mechanism?: string;
  /** The mechanisms the server announced (AUTH=... or CAPA's SASL line), when known. */
  offered?: readonly string[];
}

/** The POP3 response code at the start of an -ERR text (`[AUTH] ...`), or null. */
export function pop3ResponseCode(text: string): string | null {
  return /^\[([^\]\s]+)\]/.exec(text)?.[1]?.toUpperCase() ?? null;
}

/** One sentence: why the server refused the login. */
export function explainLoginFailure(protocol: 'imap' | 'pop3', failure: LoginFailure): string {
  const { code, text, mechanism, offered } = failure;
  const offeredText = offered && offered.length > 0 ? `it offers ${offered.join(' ')}` : 'it announced no mechanisms';
  if (mechanism && /unsupported|unknown|not supported|unrecognized/i.test(text) && /mechanism|authentication|type/i.test(text)) {
    return `the server does not support ${mechanism}: ${offeredText}`;
  }
  // Dovecot with disable_plaintext_auth says this, with [PRIVACYREQUIRED] (IMAP) or [AUTH] (POP3).
  if (/plaintext authentication (disallowed|not allowed)/i.test(text)) {
    return `the server takes no password before TLS: use --starttls (or type ${protocol === 'imap' ? 'STARTTLS' : 'STLS'} first), or connect with ${protocol}s://`;
  }
  const table = protocol === 'imap' ? IMAP_CODES : POP3_CODES;
  const meaning = code === null ? undefined : table[code];
  if (meaning) return protocol === 'imap' ? `${meaning} ([${code}], RFC 5530)` : meaning;
  // No code: read the words servers commonly use, or say that the text is all there is.
  if (/lock/i.test(text)) return 'the mailbox is locked, most likely by another session';
  if (/password|credential|authenticat|login|invalid user/i.test(text)) return 'wrong user name or password, as far as the server says';
  return 'the server gave no response code; its text above is all it says';
}
