/**
 * Where each certificate of the verified chain came from: sent by the server, or added by the client
 * from its own trust store (--ca, the system's CAs). A root may well come from the store: that is what
 * trusting it means, and RFC 8446 §4.4.2 (as RFC 5246 §7.4.2 before it) lets the server leave it out.
 * An intermediate CA may not: a client that lacks it cannot build the chain, and this is the fault
 * that works in a browser (which fetches the missing certificate) and fails in mail clients. Pure:
 * certificates are matched by their SHA-256 fingerprints.
 */
import type { CertificateFacts } from './certificates.js';

export interface ChainOrigins {
  /** Positions in the verified chain of the certificates the server did not send. */
  fromStore: number[];
  /** Of those, the ones no client can do without: neither the server's own nor a self-signed root. */
  missingIntermediates: CertificateFacts[];
  /** Positions in the sent list of certificates that are not part of the verified chain. */
  notInChain: number[];
}

/** Compares the chain OpenSSL verified with the certificates the server sent. */
export function chainOrigins(chain: readonly CertificateFacts[], sent: readonly CertificateFacts[]): ChainOrigins {
  const sentPrints = new Set(sent.map((c) => c.sha256));
  const chainPrints = new Set(chain.map((c) => c.sha256));
  const fromStore: number[] = [];
  const missingIntermediates: CertificateFacts[] = [];
  chain.forEach((c, i) => {
    if (sentPrints.has(c.sha256)) return;
    fromStore.push(i);
    if (i > 0 && !c.selfSigned) missingIntermediates.push(c);
  });
  const notInChain: number[] = [];
  sent.forEach((c, i) => {
    if (!chainPrints.has(c.sha256)) notInChain.push(i);
  });
  return { fromStore, missingIntermediates, notInChain };
}
