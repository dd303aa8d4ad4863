/**
 * Secrets the client sent that the server may say back. A client that pipelines its SASL response
 * behind AUTHENTICATE / AUTH, without waiting for the "+", sends it into an exchange the server may
 * refuse: the server then reads the response as a command of its own, and answers it quoting it
 * (Dovecot's IMAP takes the base64 blob for a tag: `AGtpbQ... BAD Error in IMAP command received by
 * server`). The same goes for a LOGIN password literal sent before its "+" to a command refused
 * (RFC 3501 §7.5). The relay masks the client's line as `<secret>`; this keeps what it masked, so
 * that the server's lines are shown and recorded with the same secret masked. Pure.
 */
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';

/** Secrets kept at once: a client pipelines a response or two (SASL LOGIN sends two), not more. */
const MAX_KEPT = 8;
/** A secret longer than this is kept by its first octets: a server quotes a line's start, if anything. */
const MAX_OCTETS = 1024;
/**
 * Shorter values are not looked for inside a line (only as its tag): base64 of less than 3 octets
 * holds no password, and short strings would mask harmless text.
 */
const MIN_OCTETS = 4;

const PLACEHOLDER = Buffer.from(SECRET_PLACEHOLDER);

export class SecretEchoes {
  private kept: Buffer[] = [];

  /** A client line (or literal) the relay masked: the server's lines are searched for it from now on. */
  remember(secret: Buffer | string): void {
    const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
    if (bytes.length === 0) return;
    this.kept.push(Buffer.from(bytes.subarray(0, MAX_OCTETS)));
    if (this.kept.length > MAX_KEPT) this.kept.shift();
  }

  /**
   * A server line as it may be shown: each secret kept, wherever it occurs in the line, and a first
   * word that is the start of one (the tag a server made of it: the words before a space), as
   * `<secret>`. The same Buffer when nothing was found.
   */
  mask(line: Buffer): Buffer {
    if (this.kept.length === 0) return line;
    let out = line;
    const space = out.indexOf(0x20);
    const first = space < 0 ? out : out.subarray(0, space);
    if (first.length > 0 && this.kept.some((s) => s.equals(first) || (s.length > first.length && s.subarray(0, first.length).equals(first) && s[first.length] === 0x20))) {
      out = Buffer.concat([PLACEHOLDER, out.subarray(first.length)]);
    }
    for (const secret of this.kept) {
      if (secret.length < MIN_OCTETS) continue;
      out = replaceAll(out, secret);
    }
    return out;
  }
}

function replaceAll(line: Buffer, secret: Buffer): Buffer {
  let at = line.indexOf(secret);
  if (at < 0) return line;
  const parts: Buffer[] = [];
  let from = 0;
  while (at >= 0) {
    parts.push(line.subarray(from, at), PLACEHOLDER);
    from = at + secret.length;
    at = line.indexOf(secret, from);
  }
  parts.push(line.subarray(from));
  return Buffer.concat(parts);
}
