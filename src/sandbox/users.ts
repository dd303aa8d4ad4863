/**
 * Who may log in to the sandbox, and the checks of their credentials: plaintext passwords (IMAP
 * LOGIN, POP3 USER/PASS), SASL PLAIN (RFC 4616) and APOP digests (RFC 1939 §7). The users are the
 * documents' own, so their examples can be typed as printed; their secrets are published on purpose
 * and the sandbox is no place for real mail. Pure.
 */
import { timingSafeEqual } from 'node:crypto';
import { apopDigest } from '../protocol/pop3/apop.js';

export interface SandboxUser {
  name: string;
  password: string;
  /** Where the documents use this login. */
  source: string;
}

/**
 * joe and mrose carry the example messages; the others are the logins of the RFCs' examples, with
 * an empty INBOX, so those examples replay as printed.
 */
export const SANDBOX_USERS: readonly SandboxUser[] = [
  { name: 'joe', password: 'password', source: 'the IMAP LOGIN example (RFC 3501 §6.2.1, the lecture slides)' },
  { name: 'mrose', password: 'tanstaaf', source: 'the APOP example (RFC 1939 §7, §10)' },
  { name: 'mrc', password: 'secret', source: 'RFC 3501 §8' },
  { name: 'SMITH', password: 'SESAME', source: 'RFC 3501 §6.2.3' },
  { name: 'fred', password: 'blurdybloop', source: 'RFC 3501 §7.1.1' },
  { name: 'FRED FOOBAR', password: 'fat man', source: 'RFC 3501 §7.5, RFC 7888 §3' },
  { name: 'test', password: 'test', source: 'RFC 5034 §6 (AUTH PLAIN)' },
];

/** Compares secrets in constant time, so the sandbox does not teach a timing leak. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export class UserDirectory {
  constructor(private readonly users: readonly SandboxUser[]) {}

  /** User names are case-sensitive, as on most servers' passwd files. */
  find(name: string): SandboxUser | undefined {
    return this.users.find((u) => u.name === name);
  }

  /** LOGIN, USER/PASS and SASL PLAIN: the user name if the password is right. */
  checkPassword(name: string, password: string): string | null {
    const user = this.find(name);
    return user && sameSecret(user.password, password) ? user.name : null;
  }

  /** RFC 1939 §7: the digest must be MD5(timestamp + secret) for this connection's greeting timestamp. */
  checkApop(name: string, timestamp: string, digest: string): string | null {
    const user = this.find(name);
    return user && sameSecret(apopDigest(timestamp, user.password), digest.toLowerCase()) ? user.name : null;
  }

  get all(): readonly SandboxUser[] {
    return this.users;
  }
}

/** The three fields of a SASL PLAIN message (RFC 4616 §2): [authzid] NUL authcid NUL passwd. */
export interface SaslPlain {
  authzid: string;
  authcid: string;
  password: string;
}

/** Decodes a base64 PLAIN response; null when it is not valid base64 or not three NUL-separated fields. */
export function decodeSaslPlain(base64: string): SaslPlain | null {
  const text = base64.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  const parts = Buffer.from(text, 'base64').toString('utf8').split('\0');
  if (parts.length !== 3) return null;
  const [authzid, authcid, password] = parts as [string, string, string];
  if (authcid === '') return null;
  return { authzid, authcid, password };
}
