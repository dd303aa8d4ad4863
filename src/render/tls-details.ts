/**
 * The TLS details of a connection as lines of text, for `--show-certs` (under the TLS summary) and for
 * the shell's TLS meta command: protocol, cipher, ALPN, SNI, the whole chain (subject, issuer, names,
 * validity with days left, key, SHA-256 fingerprint) as the server sent it and what the local trust
 * store added to it, a warning for each intermediate the server left out, certificates sent twice or
 * out of order, and the verdict with its
 * reasons in plain words, in the language of the words given (English by default; the reasons OpenSSL
 * gives stay as it words them). Pure: the facts and a date in, lines out (no "#" prefix, no colors; names from the server escaped).
 */
import type { TlsKey } from '../protocol/explain/catalogues/tls-en.js';
import { sayWith } from '../protocol/explain/said.js';
import { certificateProblemTexts, compressIpv6, daysBetween, daysUntil, shownAltName, type CertificateFacts, type TlsDetails } from '../protocol/tls/certificates.js';
import { chainOrigins } from '../protocol/tls/chain-origins.js';
import { escapeDisplayText } from './escape.js';
import { ENGLISH_WORDS, type TlsWords } from './session-words.js';

const e = escapeDisplayText;

export type { TlsWords } from './session-words.js';

const ENGLISH: TlsWords = ENGLISH_WORDS.tls;

function key(c: CertificateFacts, w: TlsWords): string {
  const parts = [c.keyType ? e(c.keyType) : w.text('tls.key.unknown')];
  if (c.keyBits !== null) parts.push(w.text('tls.key.bits', { n: c.keyBits }));
  if (c.curve) parts.push(w.text('tls.key.curve', { curve: e(c.curve) }));
  return parts.join(', ');
}

function validity(c: CertificateFacts, now: Date, w: TlsWords): string {
  const from = c.validFrom.slice(0, 10);
  const to = c.validTo.slice(0, 10);
  const left = daysBetween(now, c.validTo);
  let state: string;
  if (new Date(c.validFrom) > now) state = w.text('tls.valid.not-yet', { n: daysUntil(now, c.validFrom) });
  else if (new Date(c.validTo) < now) state = w.text('tls.valid.expired', { n: -left });
  else state = w.text('tls.valid.left', { n: left });
  return w.text('tls.valid', { from, to, state });
}

/** A certificate's role in the verified chain. */
function role(index: number, c: CertificateFacts, count: number): TlsKey {
  if (index === 0) return 'tls.role.server';
  if (c.selfSigned) return 'tls.role.root';
  return index === count - 1 ? 'tls.role.ca' : 'tls.role.intermediate';
}

/**
 * A sent certificate's role: its role in the verified chain when it is part of it; by what it is
 * otherwise, the server may send certificates no chain uses, and a self-signed one outside the chain
 * is not its root.
 */
function sentRole(index: number, c: CertificateFacts, chain: readonly CertificateFacts[], chainIndex: number): TlsKey {
  if (chain.length > 0) {
    if (chainIndex >= 0) return role(chainIndex, c, chain.length);
    return c.ca ? 'tls.role.other-ca' : 'tls.role.not-ca';
  }
  if (index === 0) return 'tls.role.server';
  if (c.selfSigned) return 'tls.role.root';
  return c.ca ? 'tls.role.intermediate' : 'tls.role.not-ca';
}

/** The lines of one certificate: numbered `n`, in `roleKey`. */
function certificateLines(c: CertificateFacts, n: number, roleKey: TlsKey, now: Date, w: TlsWords): string[] {
  if (c.unreadable) return [w.text('tls.certificate.unreadable', { n }), `  SHA-256: ${e(c.sha256)}`];
  const values = { n, role: w.text(roleKey), subject: e(c.subject) };
  const lines = [w.text(c.selfSigned ? 'tls.certificate.self-signed' : 'tls.certificate', values)];
  lines.push(`  ${w.text('tls.issuer', { issuer: e(c.issuer) })}`);
  if (c.altNames.length > 0) lines.push(`  ${w.text('tls.names', { names: c.altNames.map((n) => e(shownAltName(n.replace(/^IP Address:(.*)$/, (_m, ip: string) => `IP Address:${compressIpv6(ip)}`)))).join(', ') })}`);
  lines.push(`  ${validity(c, now, w)}`);
  lines.push(`  ${w.text('tls.key', { key: key(c, w) })}`);
  lines.push(`  SHA-256: ${e(c.sha256)}`);
  return lines;
}

/**
 * The chain as the server sent it, then what the local trust store added to verify it, and a warning
 * for each intermediate the server left out (chain-origins.ts).
 */
function sentChainLines(details: TlsDetails, sent: Extract<TlsDetails['sent'], { kind: 'sent' }>, now: Date, w: TlsWords): string[] {
  const lines: string[] = [];
  const origins = chainOrigins(details.chain, sent.certificates);
  const count = sent.certificates.length + sent.omitted;
  if (count === 0) lines.push(w.text('tls.certificate.none'));
  else lines.push(w.text('tls.sent', { n: count }));
  sent.certificates.forEach((c, i) => {
    lines.push(...certificateLines(c, i + 1, sentRole(i, c, details.chain, origins.chainIndex[i] ?? -1), now, w));
    const first = origins.duplicates.get(i);
    if (first !== undefined) lines.push(`  ${w.text('tls.sent.duplicate', { n: first + 1 })}`);
    if (origins.notInChain.includes(i) && details.chain.length > 0) lines.push(`  ${w.text('tls.sent.not-in-chain')}`);
    if (origins.outOfOrder.includes(i)) lines.push(`  ${w.text('tls.sent.not-certifying', { n: i })}`);
  });
  if (sent.omitted > 0) lines.push(w.text('tls.sent.omitted', { n: sent.omitted }));
  if (origins.leafNotFirst) lines.push(w.text('tls.sent.leaf-not-first', { subject: e((details.chain[0] as CertificateFacts).subject) }));
  if (origins.outOfOrder.length > 0) {
    lines.push(details.protocol === 'TLSv1.3' ? w.text('tls.sent.order.should') : w.text('tls.sent.order.must', { protocol: e(details.protocol) }));
  }
  if (origins.fromStore.length > 0) {
    lines.push(w.text('tls.store'));
    origins.fromStore.forEach((index, k) => {
      const c = details.chain[index] as CertificateFacts;
      lines.push(...certificateLines(c, sent.certificates.length + k + 1, role(index, c, details.chain.length), now, w));
    });
  }
  for (const c of origins.missingIntermediates) lines.push(w.text('tls.store.missing-intermediate', { subject: e(c.subject) }));
  if (origins.missingIntermediates.length > 0) lines.push(`  ${w.text('tls.store.send-chain')}`);
  return lines;
}

/** What is known of the sent chain when the chain shown is OpenSSL's alone. */
function sentChainNote(sent: TlsDetails['sent'], w: TlsWords): string | null {
  switch (sent.kind) {
    case 'sent':
      return null;
    case 'none':
      return w.text('tls.sent.none');
    case 'not-watched':
      return w.text('tls.sent.not-watched');
    case 'unreadable':
      return w.text('tls.sent.unknown', { reason: w.text(`tls.sent.problem.${sent.problem}`), detail: e(sent.detail) });
  }
}

/**
 * Lines describing `details`; `now` (default: the moment of the handshake) is what "days left" are
 * counted from.
 */
export function formatTlsDetails(details: TlsDetails, now: Date = new Date(details.at), w: TlsWords = ENGLISH): string[] {
  const lines: string[] = [];
  lines.push(w.text('tls.protocol', { protocol: e(details.protocol), cipher: e(details.cipher) }));
  const offered = details.alpnOffered.length > 0 ? w.text('tls.alpn.offered', { names: details.alpnOffered.map(e).join(', ') }) : w.text('tls.alpn.none-offered');
  const chosen = details.alpn ? w.text('tls.alpn.chosen', { name: e(details.alpn) }) : w.text('tls.alpn.none-chosen');
  lines.push(`ALPN: ${offered}, ${chosen}`);
  lines.push(details.sni === null ? w.text('tls.sni.none') : w.text('tls.sni.sent', { name: e(details.sni) }));
  lines.push(details.clientCertificate === null ? w.text('tls.client-certificate.none') : w.text('tls.client-certificate.sent', { name: e(details.clientCertificate) }));
  if (details.sent.kind === 'sent') {
    lines.push(...sentChainLines(details, details.sent, now, w));
  } else {
    details.chain.forEach((c, i) => lines.push(...certificateLines(c, i + 1, role(i, c, details.chain.length), now, w)));
    if (details.chain.length === 0) lines.push(w.text('tls.certificate.none'));
    const note = sentChainNote(details.sent, w);
    if (note !== null && details.chain.length > 0) lines.push(note);
  }
  const checked = w.text(details.nameMatches ? 'tls.name.among' : 'tls.name.not-among', { name: e(details.checkedName) });
  const problems = certificateProblemTexts(details, now);
  if (details.verified) {
    lines.push(w.text('tls.verification.ok', { checked }));
  } else {
    lines.push(w.text(details.insecure ? 'tls.verification.failed-insecure' : 'tls.verification.failed', { checked }));
    for (const p of problems) lines.push(`  ${e(sayWith(p, (k, values) => w.text(k, values)))}`);
  }
  return lines;
}
