/**
 * APOP (RFC 1939 §7): the server's greeting carries a timestamp in msg-id form, and the client logs in
 * with MD5(timestamp + shared secret) in lower-case hex, so the secret never crosses the wire and a
 * recorded digest is useless for any other greeting. Pure: strings in, strings out.
 */
import { createHash } from '../digest.js';

/**
 * RFC 1939 §7 / RFC 822 msg-id: "<" addr-spec ">", e.g. `<1896.697170952@dbc.mtview.ca.us>`. Neither
 * side of the "@" may be empty, and there are no blanks, angle brackets or controls inside.
 */
const TIMESTAMP = /<[^<>@\s\x00-\x1f\x7f]+@[^<>@\s\x00-\x1f\x7f]+>/g;

/**
 * The APOP timestamp of a greeting (`+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>`), angle
 * brackets included, or null when there is none (then the server does not offer APOP). The last
 * msg-id-like token wins: it follows whatever free text the server put first. A "<" without its ">"
 * or without an "@" is no timestamp.
 */
export function greetingTimestamp(greeting: string): string | null {
  const found = greeting.match(TIMESTAMP);
  return found ? (found[found.length - 1] ?? null) : null;
}

/** RFC 1939 §7: MD5 of the timestamp (with its angle brackets) followed by the secret, as lower-case hex. */
export function apopDigest(timestamp: string, secret: string): string {
  return createHash('md5').update(timestamp + secret, 'utf8').digest('hex');
}

/** The APOP command line for a user, a greeting timestamp and the shared secret. */
export function apopCommandLine(user: string, timestamp: string, secret: string): string {
  return `APOP ${user} ${apopDigest(timestamp, secret)}`;
}

/** An APOP line the user typed. */
export interface ApopRequest {
  user: string;
  /** The digest as typed, or null when mailwire must compute it (`APOP mrose`). */
  digest: string | null;
  /** The digest is 32 hex digits, as RFC 1939 §7 requires (true when digest is null). */
  digestWellFormed: boolean;
}

/**
 * Recognises `APOP name` (no digest: mailwire computes it from the greeting and a secret it asks
 * for) and `APOP name digest` (sent as typed). Null for any other line, including `APOP` alone and
 * lines with more than two arguments.
 */
export function parseApopRequest(line: string): ApopRequest | null {
  const m = /^[ \t]*APOP[ \t]+(\S+)(?:[ \t]+(\S+))?[ \t]*$/i.exec(line);
  if (!m) return null;
  const digest = m[2] ?? null;
  return { user: m[1] ?? '', digest, digestWellFormed: digest === null || /^[0-9a-f]{32}$/i.test(digest) };
}
