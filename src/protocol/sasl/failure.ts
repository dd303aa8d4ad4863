/**
 * Why a login failed, in plain words: the response codes servers attach to a refused login (IMAP:
 * RFC 5530 §3; POP3: RFC 2449 §8 and RFC 3206) and the wording of common servers where they give no
 * code. Pure: the reply's code and text in, one sentence out (as data, and in English).
 */
import { englishNotice, noticeText, type NoticeText } from '../explain/notices.js';

/** RFC 5530 §3: the IMAP response codes of a failed LOGIN or AUTHENTICATE that have words (notices-en.ts). */
const IMAP_CODES = ['AUTHENTICATIONFAILED', 'AUTHORIZATIONFAILED', 'EXPIRED', 'PRIVACYREQUIRED', 'CONTACTADMIN', 'UNAVAILABLE', 'ALERT'] as const;

/** RFC 2449 §8 and RFC 3206: the POP3 response codes that have words. */
const POP3_CODES = ['AUTH', 'SYS/TEMP', 'SYS/PERM', 'IN-USE', 'LOGIN-DELAY'] as const;

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

/** One sentence: why the server refused the login, as data (worded in the reader's language). */
export function loginFailureText(protocol: 'imap' | 'pop3', failure: LoginFailure): NoticeText {
  const { code, text, mechanism, offered } = failure;
  if (mechanism && /unsupported|unknown|not supported|unrecognized/i.test(text) && /mechanism|authentication|type/i.test(text)) {
    return offered && offered.length > 0 ? noticeText('login.mechanism-unsupported', { mechanism, offered: offered.join(' ') }) : noticeText('login.mechanism-unsupported.none', { mechanism });
  }
  // Dovecot with disable_plaintext_auth says this, with [PRIVACYREQUIRED] (IMAP) or [AUTH] (POP3).
  if (/plaintext authentication (disallowed|not allowed)/i.test(text)) {
    return noticeText('login.tls-first', { command: protocol === 'imap' ? 'STARTTLS' : 'STLS', scheme: `${protocol}s` });
  }
  if (code !== null && protocol === 'imap' && (IMAP_CODES as readonly string[]).includes(code)) {
    return noticeText('login.imap.code', { meaning: noticeText(`login.imap.${code as (typeof IMAP_CODES)[number]}`), code });
  }
  if (code !== null && protocol === 'pop3' && (POP3_CODES as readonly string[]).includes(code)) return noticeText(`login.pop3.${code as (typeof POP3_CODES)[number]}`);
  // No code: read the words servers commonly use, or say that the text is all there is.
  if (/lock/i.test(text)) return noticeText('login.locked');
  if (/password|credential|authenticat|login|invalid user/i.test(text)) return noticeText('login.wrong-password');
  return noticeText('login.no-code');
}

/** One sentence in English: why the server refused the login. */
export function explainLoginFailure(protocol: 'imap' | 'pop3', failure: LoginFailure): string {
  return englishNotice(loginFailureText(protocol, failure));
}
