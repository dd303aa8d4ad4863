/**
 * The TLS details of a connection as lines of text, for `--show-certs` (under the TLS summary) and for
 * the shell's TLS meta command: protocol, cipher, ALPN, SNI, the whole chain (subject, issuer, names,
 * validity with days left, key, SHA-256 fingerprint) and the verdict with its reasons in plain words.
 * Pure: the facts and a date in, lines out (no "#" prefix, no colors; names from the server escaped).
 */
import { certificateProblems, compressIpv6, daysBetween, type CertificateFacts, type TlsDetails } from '../protocol/tls/certificates.js';
import { escapeDisplayText } from './escape.js';

const e = escapeDisplayText;

function key(c: CertificateFacts): string {
  const parts = [c.keyType || 'unknown key type'];
  if (c.keyBits !== null) parts.push(`${c.keyBits} bits`);
  if (c.curve) parts.push(`curve ${c.curve}`);
  return parts.join(', ');
}

function validity(c: CertificateFacts, now: Date): string {
  const from = c.validFrom.slice(0, 10);
  const to = c.validTo.slice(0, 10);
  const left = daysBetween(now, c.validTo);
  let state: string;
  if (new Date(c.validFrom) > now) state = `NOT YET VALID: starts in ${daysBetween(now, c.validFrom) + 1} days`;
  else if (new Date(c.validTo) < now) state = `EXPIRED ${-left} day${-left === 1 ? '' : 's'} ago`;
  else state = `${left} day${left === 1 ? '' : 's'} left`;
  return `${from} to ${to} (${state})`;
}

function role(index: number, c: CertificateFacts, count: number): string {
  if (index === 0) return 'server';
  if (c.selfSigned) return 'root CA';
  return index === count - 1 ? 'CA' : 'intermediate CA';
}

/**
 * Lines describing `details`; `now` (default: the moment of the handshake) is what "days left" are
 * counted from.
 */
export function formatTlsDetails(details: TlsDetails, now: Date = new Date(details.at)): string[] {
  const lines: string[] = [];
  lines.push(`protocol ${e(details.protocol)}, cipher ${e(details.cipher)}`);
  const offered = details.alpnOffered.length > 0 ? `offered ${details.alpnOffered.map(e).join(', ')}` : 'none offered';
  lines.push(`ALPN: ${offered}, ${details.alpn ? `server chose ${e(details.alpn)}` : 'none chosen'}`);
  lines.push(`SNI: ${details.sni === null ? 'none sent (an IP address is not sent by SNI)' : `sent ${e(details.sni)}`}`);
  lines.push(`client certificate: ${details.clientCertificate === null ? 'none sent' : `sent ${e(details.clientCertificate)}`}`);
  details.chain.forEach((c, i) => {
    lines.push(`certificate ${i + 1} (${role(i, c, details.chain.length)}): ${e(c.subject)}${c.selfSigned ? ' (self-signed)' : ''}`);
    lines.push(`  issuer: ${e(c.issuer)}`);
    if (c.altNames.length > 0) lines.push(`  names: ${c.altNames.map((n) => e(n.replace(/^IP Address:(.*)$/, (_m, ip: string) => `IP Address:${compressIpv6(ip)}`))).join(', ')}`);
    lines.push(`  valid: ${validity(c, now)}`);
    lines.push(`  key: ${key(c)}`);
    lines.push(`  SHA-256: ${c.sha256}`);
  });
  if (details.chain.length === 0) lines.push('certificate: none sent by the server');
  const checked = `${e(details.checkedName)} ${details.nameMatches ? 'is' : 'is NOT'} among the certificate's names`;
  const problems = certificateProblems(details, now);
  if (details.verified) {
    lines.push(`verification: OK (chain trusted, ${checked})`);
  } else {
    lines.push(`verification: FAILED (${checked})${details.insecure ? ', went on because of --insecure' : ''}`);
    for (const p of problems) lines.push(`  ${e(p)}`);
  }
  return lines;
}
