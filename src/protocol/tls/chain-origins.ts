/**
 * Where each certificate of the verified chain came from: sent by the server, or added by the client
 * from its own trust store (--ca, the system's CAs). A root may well come from the store: that is what
 * trusting it means, and RFC 8446 §4.4.2 (as RFC 5246 §7.4.2 before it) lets the server leave it out.
 * An intermediate CA may not: a client that lacks it cannot build the chain, and this is the fault
 * that works in a browser (which fetches the missing certificate) and fails in mail clients. Also
 * what the sent list says of itself: certificates sent twice, and the order. RFC 5246 §7.4.2 (TLS
 * 1.2, as RFC 2246 and RFC 4346 before it): "The sender's certificate MUST come first in the list.
 * Each following certificate MUST directly certify the one preceding it." RFC 8446 §4.4.2 (TLS 1.3)
 * keeps the first MUST and makes the second a SHOULD, and asks clients to be "prepared to handle
 * potentially extraneous certificates and arbitrary orderings ... with the exception of the end-entity
 * certificate which MUST be first". Pure: certificates are matched by their SHA-256 fingerprints, and
 * "certifies" is read from names (the one before names this one as its issuer, and is not self-signed).
 */
import type { CertificateFacts } from './certificates.js';

export interface ChainOrigins {
  /** Positions in the verified chain of the certificates the server did not send. */
  fromStore: number[];
  /** Of those, the ones no client can do without: neither the server's own nor a self-signed root. */
  missingIntermediates: CertificateFacts[];
  /** Positions in the sent list of certificates that are not part of the verified chain. */
  notInChain: number[];
  /** Position in the verified chain of each sent certificate, by its position in the sent list; -1 when not in it. */
  chainIndex: number[];
  /** For each sent certificate sent before too, its position in the sent list and that of its first sending. */
  duplicates: Map<number, number>;
  /** Whether the server's own certificate (the verified chain's first) is not the first sent, when both are known. */
  leafNotFirst: boolean;
  /** Positions in the sent list (from 1) of certificates that do not directly certify the one sent before them. */
  outOfOrder: number[];
}

/** Whether `issuer` directly certifies `c`, as far as names tell. */
function certifies(issuer: CertificateFacts, c: CertificateFacts): boolean {
  return !c.selfSigned && !c.unreadable && !issuer.unreadable && c.issuer === issuer.subject;
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
  const chainIndex = sent.map((c) => chain.findIndex((k) => k.sha256 === c.sha256));
  const duplicates = new Map<number, number>();
  const firstSent = new Map<string, number>();
  sent.forEach((c, i) => {
    const first = firstSent.get(c.sha256);
    if (first === undefined) firstSent.set(c.sha256, i);
    else duplicates.set(i, first);
  });
  const leafNotFirst = chain.length > 0 && sent.length > 0 && (sent[0] as CertificateFacts).sha256 !== (chain[0] as CertificateFacts).sha256;
  const outOfOrder: number[] = [];
  for (let i = 1; i < sent.length; i++) {
    if (!certifies(sent[i] as CertificateFacts, sent[i - 1] as CertificateFacts)) outOfOrder.push(i);
  }
  return { fromStore, missingIntermediates, notInChain, chainIndex, duplicates, leafNotFirst, outOfOrder };
}
