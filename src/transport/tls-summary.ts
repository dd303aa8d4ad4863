/**
 * The facts of a finished TLS handshake as a TlsSummary: protocol, cipher, who the certificate names,
 * and whether it verified. Formatting it for people is `render/`'s job.
 */
import type { PeerCertificate, TLSSocket } from 'node:tls';
import type { TlsSummary } from '../session/events.js';

/**
 * OpenSSL's certificate verification results as Node names them (`err.code`, and what
 * `socket.authorizationError` holds), with OpenSSL's own wording (X509_verify_cert_error_string).
 * Node keeps only the code in `authorizationError`, so the words come from here.
 */
export const CERTIFICATE_ERRORS: Readonly<Record<string, string>> = {
  UNABLE_TO_GET_ISSUER_CERT: 'unable to get issuer certificate',
  UNABLE_TO_GET_CRL: 'unable to get certificate CRL',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: "unable to decrypt certificate's signature",
  UNABLE_TO_DECRYPT_CRL_SIGNATURE: "unable to decrypt CRL's signature",
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'unable to decode issuer public key',
  CERT_SIGNATURE_FAILURE: 'certificate signature failure',
  CRL_SIGNATURE_FAILURE: 'CRL signature failure',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CRL_NOT_YET_VALID: 'CRL is not yet valid',
  CRL_HAS_EXPIRED: 'CRL has expired',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: "format error in certificate's notBefore field",
  ERROR_IN_CERT_NOT_AFTER_FIELD: "format error in certificate's notAfter field",
  ERROR_IN_CRL_LAST_UPDATE_FIELD: "format error in CRL's lastUpdate field",
  ERROR_IN_CRL_NEXT_UPDATE_FIELD: "format error in CRL's nextUpdate field",
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'self-signed certificate in certificate chain',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unable to get local issuer certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unable to verify the first certificate',
  CERT_CHAIN_TOO_LONG: 'certificate chain too long',
  CERT_REVOKED: 'certificate revoked',
  INVALID_CA: 'invalid CA certificate',
  PATH_LENGTH_EXCEEDED: 'path length constraint exceeded',
  INVALID_PURPOSE: 'unsupported certificate purpose',
  CERT_UNTRUSTED: 'certificate not trusted',
  CERT_REJECTED: 'certificate rejected',
  HOSTNAME_MISMATCH: 'hostname mismatch',
  /** Node's own host name check (tls.checkServerIdentity), after OpenSSL accepted the chain. */
  ERR_TLS_CERT_ALTNAME_INVALID: "host name does not match the certificate's names",
};

/** True when `code` says the certificate did not verify (as opposed to a failed handshake). */
export function isCertificateErrorCode(code: string | undefined): boolean {
  return code !== undefined && Object.hasOwn(CERTIFICATE_ERRORS, code);
}

/** "CN=localhost, O=mailwire tests": the common name first, then the rest in certificate order. */
export function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  const parts: string[] = [];
  const entries = Object.entries(name as unknown as Record<string, string | string[] | undefined>);
  entries.sort(([a], [b]) => (a === 'CN' ? -1 : b === 'CN' ? 1 : 0));
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${v}`);
  }
  return parts.join(', ');
}

/** "Mar 12 12:00:00 2026 GMT" -> "2026-03-12"; "" when absent or unreadable. */
export function isoDate(opensslDate: string | undefined): string {
  if (!opensslDate) return '';
  const date = new Date(opensslDate);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/**
 * Summarises a socket that has just emitted 'secureConnect' (when `authorized` and
 * `authorizationError` are final). `identityError` is the host name check's own sentence, which
 * Node reduces to the code ERR_TLS_CERT_ALTNAME_INVALID in `authorizationError`.
 */
export function summarizeTls(socket: TLSSocket, insecure: boolean, identityError: string | null): TlsSummary {
  const cipher = socket.getCipher() as (ReturnType<TLSSocket['getCipher']> & { standardName?: string }) | undefined;
  const cert = socket.getPeerCertificate();
  const hasCert = cert !== null && cert !== undefined && Object.keys(cert).length > 0;
  const code = socket.authorizationError as unknown as string | Error | undefined | null;
  let verifyError = '';
  if (!socket.authorized) {
    if (typeof code === 'string') {
      verifyError =
        code === 'ERR_TLS_CERT_ALTNAME_INVALID' && identityError ? identityError : (CERTIFICATE_ERRORS[code] ?? code);
    } else {
      verifyError = code?.message ?? 'not verified';
    }
  }
  return {
    version: socket.getProtocol() ?? '',
    cipher: cipher?.standardName ?? cipher?.name ?? '',
    subject: hasCert ? distinguishedName(cert.subject) : '',
    issuer: hasCert ? distinguishedName(cert.issuer) : '',
    validTo: hasCert ? isoDate(cert.valid_to) : '',
    verified: socket.authorized,
    verifyError,
    insecure,
  };
}
