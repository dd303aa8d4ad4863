/**
 * Errors as values: every failure mailwire reports has a stable code and one human sentence.
 * `cli/exit-codes.ts` maps codes to exit statuses in one place; nothing else decides how to exit.
 */

export type ErrorCode =
  /** Bad command line: unknown option, unparsable target, conflicting flags. */
  | 'usage'
  /** TCP connection refused, host unreachable, network down. */
  | 'connect'
  /** Host name did not resolve. */
  | 'dns'
  /** Connecting, waiting for the greeting or for a reply took longer than --timeout. */
  | 'timeout'
  /** TLS handshake failed for a reason other than the certificate. */
  | 'tls'
  /** The server's certificate did not verify (chain, expiry or host name). */
  | 'certificate'
  /** --starttls asked for, but the server did not offer STARTTLS/STLS or refused it. */
  | 'starttls'
  /** The connection closed or reset while a reply was still expected. */
  | 'broken'
  /** The server sent something no framer can accept (a line over the size cap, an absurd literal). */
  | 'protocol'
  /** A command could not be sent as given: missing secret, APOP without a greeting timestamp. */
  | 'input'
  /** A local file could not be read or written (--record, --ca). */
  | 'file'
  /**
   * A login mailwire runs itself could not be done: the mechanism is not offered, the server refuses
   * passwords before TLS (LOGINDISABLED), or the server failed to prove itself (SCRAM signature).
   */
  | 'auth';

export class MailwireError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MailwireError';
  }
}

/** True when `err` is one of ours (as opposed to a bug, which the CLI reports differently). */
export function isMailwireError(err: unknown): err is MailwireError {
  return err instanceof MailwireError;
}
