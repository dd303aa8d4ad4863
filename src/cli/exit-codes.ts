/**
 * Exit statuses, in one place. Documented in --help and the README; scripts and CI depend on them,
 * so values never change meaning.
 */
import type { ErrorCode } from '../errors.js';

export const ExitCode = {
  /** The session ran: every command was sent and its reply came in (a NO or -ERR reply is still a success). */
  Ok: 0,
  /** An unexpected internal failure (a bug): reported in one line, with details under MAILWIRE_DEBUG=1. */
  Internal: 1,
  /** replay: a transcript failed (the server did not do what it shows); lint: there are findings. */
  Failed: 1,
  /** Bad command line: unknown option, unparsable target, missing argument. */
  Usage: 2,
  /** Could not connect: refused, unreachable, DNS failure, or a greeting that refuses the session (BYE, -ERR). */
  Connect: 3,
  /** Timed out connecting, waiting for the greeting or for a reply (--timeout), or the whole session took longer than --max-time. */
  Timeout: 4,
  /** TLS failed: handshake error or certificate not verified. */
  Tls: 5,
  /** --starttls asked for, but STARTTLS/STLS was not offered or was refused: nothing was sent in plaintext. */
  StartTls: 6,
  /** The connection broke (closed or reset by the server) while a reply was expected. */
  Broken: 7,
  /**
   * The server sent what cannot be framed (a line over the size cap, an absurd literal size), or a
   * first line that is no greeting of the protocol (another server at that port).
   */
  Protocol: 8,
  /** A command could not be sent as given (no secret available, APOP without a greeting timestamp), or a file could not be read or written. */
  Input: 9,
  /**
   * A login mailwire runs itself could not be done: mechanism not offered, LOGINDISABLED before TLS, a
   * server that failed to prove itself (SCRAM signature) or sent an unreadable challenge. (A server
   * that answers NO or -ERR to a login is a reply, as for any other command: exit 0.)
   */
  Auth: 10,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const BY_ERROR: Readonly<Record<ErrorCode, ExitCode>> = {
  usage: ExitCode.Usage,
  connect: ExitCode.Connect,
  dns: ExitCode.Connect,
  timeout: ExitCode.Timeout,
  tls: ExitCode.Tls,
  certificate: ExitCode.Tls,
  starttls: ExitCode.StartTls,
  broken: ExitCode.Broken,
  protocol: ExitCode.Protocol,
  input: ExitCode.Input,
  file: ExitCode.Input,
  auth: ExitCode.Auth,
};

export function exitCodeFor(code: ErrorCode): ExitCode {
  return BY_ERROR[code];
}

/** The table shown at the end of --help and in the README. */
export const EXIT_CODE_HELP = `Exit codes:
  0  the session ran (every command sent, every reply received)
  1  internal error; for replay a transcript failed, for lint there are findings
  2  usage error (bad option or target)
  3  connection failed (refused, unreachable, DNS, or refused in the greeting)
  4  timeout (connect, greeting or reply: --timeout; the whole session: --max-time)
  5  TLS failure (handshake or certificate verification)
  6  STARTTLS/STLS not offered or refused (nothing sent in plaintext)
  7  connection broken while a reply was expected
  8  protocol error (server output that cannot be framed, or no greeting of the protocol)
  9  input error (a command that cannot be sent as given; unreadable or unwritable file)
 10  login not attempted or aborted by mailwire (mechanism not offered, LOGINDISABLED,
     server signature wrong); a NO or -ERR from the server is a reply (0)`;
