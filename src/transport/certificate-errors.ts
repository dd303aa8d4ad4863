/**
 * OpenSSL's certificate verification results, apart from the handshake's summary (tls-summary.ts) so
 * that telling a connection error from a certificate error does not load node:tls and node:crypto
 * into every run: a plain TCP session never needs them.
 */

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
