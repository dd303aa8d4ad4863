/**
 * Node's socket and TLS errors as MailwireErrors: one sentence each, with the code the CLI maps to an
 * exit status. Three moments matter, because the same errno means different things in each: opening
 * the TCP connection, the TLS handshake, and the session after that.
 */
import { isIP } from 'node:net';
import { MailwireError } from '../errors.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import { isCertificateErrorCode } from './certificate-errors.js';

/** A certificate that did not verify; carries the summary (and details) so they can be shown. */
export class CertificateError extends MailwireError {
  constructor(
    message: string,
    readonly summary: TlsSummary,
  ) {
    super('certificate', message);
  }
}

/** The error for a handshake whose certificate did not verify, saying why in plain words. */
export function certificateError(host: string, port: number, summary: TlsSummary): CertificateError {
  const target = hostPort(host, port);
  const chainOk = summary.details !== undefined && summary.details.chainError === null;
  if (chainOk) {
    return new CertificateError(
      `certificate of ${target} is not for that name: ${summary.verifyError} (use --servername NAME to check another name, or --insecure)`,
      summary,
    );
  }
  return new CertificateError(`certificate of ${target} not trusted: ${summary.verifyError} (use --ca FILE to trust its CA, or --insecure)`, summary);
}

/** What a Node error may carry; OpenSSL errors add `reason`, DNS errors `hostname`. */
interface NodeError extends Error {
  code?: string;
  reason?: string;
  address?: string;
  errors?: unknown[];
}

/** "127.0.0.1:143", "[::1]:143", "mail.example.org:993". */
export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "5 s", "0.25 s". */
export function seconds(ms: number): string {
  return `${ms / 1000} s`;
}

/**
 * The error that says why. With happy eyeballs (autoSelectFamily, on by default in Node 20) a failed
 * connect to a name with several addresses is an AggregateError, whose own code Node 20 leaves unset.
 */
function primary(error: unknown): NodeError {
  const e = (error instanceof Error ? error : new Error(String(error))) as NodeError;
  if (e.code === undefined && Array.isArray(e.errors) && e.errors[0] instanceof Error) {
    return e.errors[0] as NodeError;
  }
  return e;
}

/** OpenSSL's reason ("wrong version number") rather than its "C0B7...:error:0A00010B:SSL routines:..." line. */
function reasonOf(e: NodeError): string {
  return e.reason ?? e.message;
}

/** A failure to open the TCP connection (before any TLS). */
export function connectError(error: unknown, host: string, port: number): MailwireError {
  const e = primary(error);
  const target = hostPort(host, port);
  switch (e.code) {
    case 'ECONNREFUSED':
      return new MailwireError('connect', `connection refused by ${target}`);
    case 'ENOTFOUND':
    case 'EAI_NONAME':
    case 'EAI_NODATA':
    case 'ENODATA':
    case 'EAI_FAIL':
      return new MailwireError('dns', `cannot resolve host ${host}`);
    case 'EAI_AGAIN':
      return new MailwireError('dns', `cannot resolve host ${host} (temporary DNS failure)`);
    case 'EHOSTUNREACH':
    case 'EHOSTDOWN':
      return new MailwireError('connect', `cannot reach ${target}: host unreachable`);
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return new MailwireError('connect', `cannot reach ${target}: network unreachable`);
    case 'ETIMEDOUT':
      return new MailwireError('timeout', `no connection to ${target}: the system gave up waiting`);
    case 'ECONNRESET':
      return new MailwireError('connect', `connection to ${target} reset while connecting`);
    default:
      return new MailwireError('connect', `cannot connect to ${target}: ${reasonOf(e)}`);
  }
}

/** A failed TLS handshake: certificate problems apart from everything else. */
export function handshakeError(error: unknown, host: string, port: number): MailwireError {
  const e = primary(error);
  const target = hostPort(host, port);
  if (e.code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new MailwireError(
      'certificate',
      `certificate of ${target} is not for that name: ${reasonOf(e)} (use --servername NAME to check another name, or --insecure)`,
    );
  }
  if (isCertificateErrorCode(e.code)) {
    return new MailwireError(
      'certificate',
      `certificate of ${target} not trusted: ${e.message} (use --ca FILE to trust its CA, or --insecure)`,
    );
  }
  if (e.code === 'ECONNRESET' || e.code === 'EPIPE') {
    // Node says "Client network socket disconnected before secure TLS connection was established".
    return handshakeClosed(host, port);
  }
  const reason = reasonOf(e);
  return new MailwireError('tls', `TLS handshake with ${target} failed: ${reason}${tlsHint(reason)}`);
}

/** What a handshake failure usually means, for OpenSSL's terse reasons. */
export function tlsHint(reason: string): string {
  // A plaintext greeting read as a TLS record: the classic "implicit TLS on a STARTTLS port".
  if (/wrong version number|packet length too long|record layer failure/i.test(reason)) return ' (is the server speaking TLS on this port?)';
  if (/unsupported protocol|no protocols available|protocol version/i.test(reason)) {
    return ' (no TLS version both sides accept: see --tls-min and --tls-max)';
  }
  if (/no shared cipher|no cipher|no suitable/i.test(reason)) return ' (no cipher both sides accept: see --ciphers)';
  // TLS 1.2's alert for both: no cipher in common, or a client certificate the server requires and
  // did not get (TLS 1.3 has an alert of its own for that, below).
  if (/handshake failure/i.test(reason)) {
    return ' (no cipher both sides accept, see --ciphers; or the server requires a client certificate: --cert FILE --key FILE)';
  }
  // RFC 6066 §3: the server has no certificate for the name sent by SNI.
  if (/unrecognized name/i.test(reason)) return ' (the server has no certificate for the name sent: see --servername)';
  if (/certificate required|bad certificate|unknown ca|certificate unknown|access denied/i.test(reason)) {
    return ' (the server wants a client certificate it trusts: --cert FILE --key FILE)';
  }
  return '';
}

/** The peer closed the connection before the handshake finished. */
export function handshakeClosed(host: string, port: number): MailwireError {
  return new MailwireError('tls', `connection to ${hostPort(host, port)} closed during the TLS handshake`);
}

/** An error on an established connection (plain or TLS), delivered through onClose. */
export function sessionError(error: unknown, host: string, port: number): MailwireError {
  const e = primary(error);
  switch (e.code) {
    case 'ECONNRESET':
      return new MailwireError('broken', 'connection reset by server');
    case 'EPIPE':
      return new MailwireError('broken', 'connection closed by server while sending');
    case 'ETIMEDOUT':
      return new MailwireError('broken', `connection to ${hostPort(host, port)} timed out`);
  }
  if (e.code?.startsWith('ERR_SSL_') || e.reason !== undefined) {
    // TLS 1.3 servers refuse a client certificate after the client's handshake is done: it shows here.
    return new MailwireError('tls', `TLS error on the connection to ${hostPort(host, port)}: ${reasonOf(e)}${tlsHint(reasonOf(e))}`);
  }
  return new MailwireError('broken', `connection to ${hostPort(host, port)} lost: ${reasonOf(e)}`);
}
