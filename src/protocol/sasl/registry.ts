/**
 * The SASL mechanisms mailwire runs itself when a user types `AUTHENTICATE <name>` (IMAP) or
 * `AUTH <name>` (POP3) alone: what each needs and where it is defined. Help, completion and the
 * session all read this one table.
 */
import { cramMd5Mechanism } from './cram-md5.js';
import { externalMechanism } from './external.js';
import { loginMechanism } from './login.js';
import type { SaslCredentials, SaslMechanism } from './mechanism.js';
import { oauthBearerMechanism, xoauth2Mechanism } from './oauth.js';
import { plainMechanism } from './plain.js';
import { scramMechanism } from './scram.js';

export interface SaslMechanismSpec {
  /** Registered name, upper case. */
  name: string;
  /** Where it is defined. */
  rfc: string;
  /** What it is, in a few words. */
  summary: string;
  /** The secret it needs: a password, a bearer token, or none (EXTERNAL uses the TLS client certificate). */
  secret: 'password' | 'token' | 'none';
  /** Whether it needs a user name (EXTERNAL takes the identity from the certificate). */
  needsUser: boolean;
  create(credentials: SaslCredentials): SaslMechanism;
}

export const SASL_MECHANISMS: readonly SaslMechanismSpec[] = [
  { name: 'PLAIN', rfc: 'RFC 4616', summary: 'user name and password in one message (use TLS)', secret: 'password', needsUser: true, create: plainMechanism },
  { name: 'LOGIN', rfc: 'draft-murchison-sasl-login', summary: 'user name and password, each asked for (obsolete, common)', secret: 'password', needsUser: true, create: loginMechanism },
  { name: 'CRAM-MD5', rfc: 'RFC 2195', summary: 'HMAC-MD5 of a server challenge; no password on the wire', secret: 'password', needsUser: true, create: cramMd5Mechanism },
  { name: 'SCRAM-SHA-1', rfc: 'RFC 5802', summary: 'salted challenge-response; both sides prove they know the password', secret: 'password', needsUser: true, create: (c) => scramMechanism('sha1', c) },
  { name: 'SCRAM-SHA-256', rfc: 'RFC 7677', summary: 'SCRAM with SHA-256', secret: 'password', needsUser: true, create: (c) => scramMechanism('sha256', c) },
  { name: 'XOAUTH2', rfc: 'Google XOAUTH2', summary: 'OAuth 2.0 bearer token (Gmail, Outlook.com)', secret: 'token', needsUser: true, create: xoauth2Mechanism },
  { name: 'OAUTHBEARER', rfc: 'RFC 7628', summary: 'OAuth 2.0 bearer token, the standard form', secret: 'token', needsUser: true, create: oauthBearerMechanism },
  { name: 'EXTERNAL', rfc: 'RFC 4422 App. A', summary: 'the TLS client certificate (--cert, --key) says who you are', secret: 'none', needsUser: false, create: externalMechanism },
];

/** The spec for a mechanism name (any case), or undefined when mailwire does not run it itself. */
export function findSaslMechanism(name: string): SaslMechanismSpec | undefined {
  const upper = name.toUpperCase();
  return SASL_MECHANISMS.find((m) => m.name === upper);
}
