/**
 * Recognises a login the user asks mailwire to run: IMAP `AUTHENTICATE <mechanism>` or POP3
 * `AUTH <mechanism>` typed alone, for a mechanism in the SASL registry. With an initial response
 * typed after the name, or with a mechanism mailwire does not know, the line is sent as typed and the
 * user answers the challenges, as with any other continuation. Pure.
 */
import { analyzeImapLine } from '../protocol/imap/request.js';
import { findSaslMechanism, type SaslMechanismSpec } from '../protocol/sasl/registry.js';

export interface SaslRequest {
  mechanism: SaslMechanismSpec;
  /** The user's own IMAP tag, or null. */
  tag: string | null;
}

const MECHANISM_ALONE = /^([A-Za-z0-9_-]+)\s*$/;

/** `AUTHENTICATE SCRAM-SHA-256`, `a1 authenticate plain`. */
export function imapSaslRequest(line: string): SaslRequest | null {
  const a = analyzeImapLine(line);
  if (a.command !== 'AUTHENTICATE') return null;
  const name = MECHANISM_ALONE.exec(a.args)?.[1];
  const mechanism = name === undefined ? undefined : findSaslMechanism(name);
  return mechanism ? { mechanism, tag: a.tag } : null;
}

/** `AUTH CRAM-MD5` (RFC 5034); `AUTH` alone lists mechanisms and is no login. */
export function pop3SaslRequest(line: string): SaslRequest | null {
  const m = /^\s*AUTH\s+([A-Za-z0-9_-]+)\s*$/i.exec(line);
  const mechanism = m?.[1] === undefined ? undefined : findSaslMechanism(m[1]);
  return mechanism ? { mechanism, tag: null } : null;
}
