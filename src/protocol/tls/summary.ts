/**
 * The facts of a finished TLS handshake in one record: what the transport gathers from the socket
 * (transport/tls-summary.ts), what sessions show as a 'tls' event and what render/ lays out. Plain
 * data, so every layer that speaks of a handshake can depend on it.
 */
import type { CertificateProblem, TlsDetails } from './certificates.js';

/** One line summarising a finished TLS handshake. */
export interface TlsSummary {
  /** e.g. "TLSv1.3" */
  version: string;
  /** e.g. "TLS_AES_256_GCM_SHA384" */
  cipher: string;
  /** Peer certificate subject as "CN=...,O=..." or "" when the server sent none. */
  subject: string;
  issuer: string;
  /** Peer certificate notAfter, ISO 8601, or "" when unknown. */
  validTo: string;
  /** "verified", "NOT verified (--insecure): <reason>" style outcome. */
  verified: boolean;
  /** Why verification failed (only meaningful when verified is false), e.g. "self-signed certificate". */
  verifyError: string;
  /** The same reasons as data (certificates.ts), for a display that words them in its language. */
  verifyProblems?: CertificateProblem[];
  /** True when --insecure was in force (the handshake went on whatever the verification said). */
  insecure: boolean;
  /** Everything else about the handshake: ALPN, SNI, the whole chain, the reasons (--show-certs, the TLS meta command). */
  details?: TlsDetails;
}
