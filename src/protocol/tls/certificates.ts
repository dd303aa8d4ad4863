/**
 * What a TLS handshake showed, as plain data (the transport gathers it, `render/tls-details.ts` lays
 * it out), and why a certificate was not trusted, in plain words: expired, not yet valid, self-signed,
 * unknown issuer, or made out for other names than the one checked. Pure: facts and a date in,
 * sentences out (as data, worded in English here and in the reader's language by render/tls-details.ts).
 */
import { TLS_EN, type TlsKey } from '../explain/catalogues/tls-en.js';
import { said, sayIn, type Said } from '../explain/said.js';
import type { SentChainProblem } from './sent-chain-reader.js';

/** One certificate of the chain. */
export interface CertificateFacts {
  /** "CN=localhost, O=mailwire tests" */
  subject: string;
  issuer: string;
  /** subjectAltName entries as OpenSSL writes them: "DNS:localhost", "IP Address:127.0.0.1". */
  altNames: string[];
  /** ISO 8601. */
  validFrom: string;
  validTo: string;
  /** "RSA", "EC", "Ed25519", "RSA-PSS", ... or "" when unknown. */
  keyType: string;
  /** Key size in bits (RSA modulus, EC field size), or null. */
  keyBits: number | null;
  /** EC curve name ("prime256v1"), or null. */
  curve: string | null;
  /** SHA-256 fingerprint, "AB:CD:...". */
  sha256: string;
  /** Serial number in hex. */
  serial: string;
  /** Issued by itself (subject = issuer, and its own key signs it). */
  selfSigned: boolean;
  /** A CA certificate (basicConstraints CA:TRUE). */
  ca: boolean;
  /** Sent by the server but not an X.509 certificate that can be read: only its fingerprint is known. */
  unreadable?: true;
}

/**
 * The certificates the server itself sent in its Certificate message (RFC 8446 §4.4.2, RFC 5246
 * §7.4.2), in its order: what `chain` cannot tell, since OpenSSL completes it from the local trust
 * store. 'none': the handshake had none (a resumed session); 'unreadable': the handshake was watched
 * but could not be read (`detail` says where, in English); 'not-watched': nobody looked.
 */
export type SentChainFacts =
  | { kind: 'sent'; certificates: CertificateFacts[]; omitted: number }
  | { kind: 'none' }
  | { kind: 'unreadable'; problem: SentChainProblem; detail: string }
  | { kind: 'not-watched' };

/** Everything about one handshake: what was negotiated, the chain, and the verdict. */
export interface TlsDetails {
  /** "TLSv1.3" */
  protocol: string;
  /** IANA name, "TLS_AES_256_GCM_SHA384". */
  cipher: string;
  /** Protocols offered by ALPN (RFC 7301), and the one the server chose (null: none). */
  alpnOffered: string[];
  alpn: string | null;
  /** The name sent by SNI (RFC 6066 §3), or null (none is sent for an IP address). */
  sni: string | null;
  /** The name the certificate was checked against (--servername, else the host). */
  checkedName: string;
  /** Whether the leaf certificate covers checkedName (RFC 6125). */
  nameMatches: boolean;
  /** The chain as verified, leaf first, up to the root when one was found (sent or from the local trust store). */
  chain: CertificateFacts[];
  /** What the server sent of it (and of other certificates). */
  sent: SentChainFacts;
  /** The chain and the name verified. */
  verified: boolean;
  /** OpenSSL's (or Node's) code for the chain problem, e.g. "CERT_HAS_EXPIRED"; null when the chain is fine. */
  chainError: string | null;
  /** Subject of the client certificate we presented, or null. */
  clientCertificate: string | null;
  /** --insecure was in force: the session went on whatever the verdict. */
  insecure: boolean;
  /** When the handshake finished (ISO 8601): days left are counted from here. */
  at: string;
}

const DAY_MS = 86_400_000;

/**
 * Whole days from `now` to `date`, negative when past, counted as a calendar of whole days would: a
 * day and a half ago is 1 day ago, a day and a half left is 1 day left (the part of a day is dropped).
 */
export function daysBetween(now: Date, date: string): number {
  return Math.trunc((new Date(date).getTime() - now.getTime()) / DAY_MS);
}

/** Days until `date` begins, a part of a day counting as one: what starts in 12 hours starts in 1 day. */
export function daysUntil(now: Date, date: string): number {
  return Math.ceil((new Date(date).getTime() - now.getTime()) / DAY_MS);
}

/** "2026-03-12" from an ISO 8601 date. */
function day(iso: string): string {
  return iso.slice(0, 10);
}

/** "12 days ago", "in 3 days", "today". */
function relative(days: number): CertificateProblem {
  if (days === 0) return said('tls.problem.when.today');
  const n = Math.abs(days);
  return days < 0 ? said('tls.problem.when.ago', { n }) : said('tls.problem.when.in', { n });
}

/** RFC 5952 §4: OpenSSL writes "0:0:0:0:0:0:0:1"; people write "::1". */
export function compressIpv6(address: string): string {
  const groups = address.split(':');
  if (groups.length !== 8 || !groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return address;
  const short = groups.map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && short[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return short.join(':');
  return `${short.slice(0, best.start).join(':')}::${short.slice(best.start + best.length).join(':')}`;
}

/** The names a certificate is for: its DNS and IP subjectAltNames, else its CN (RFC 6125 §6.4.4). */
export function certificateNames(cert: CertificateFacts): string[] {
  const names = cert.altNames
    .map((n) => {
      const m = /^(DNS|IP Address):(.*)$/.exec(n);
      if (!m) return undefined;
      return m[1] === 'IP Address' ? compressIpv6(m[2] ?? '') : m[2];
    })
    .filter((n): n is string => n !== undefined && n !== '');
  if (names.length > 0) return names;
  const cn = /(?:^|, )CN=((?:[^,\\]|\\.)*)/.exec(cert.subject)?.[1];
  return cn ? [cn.replace(/\\(.)/g, '$1')] : [];
}

/** A reason a certificate was not trusted, as data: a key of tls-en.ts (and tls-ru.ts) and its values. */
export type CertificateProblem = Said<TlsKey>;

/** OpenSSL's verification codes read in words, given the chain they are about. */
function chainProblem(d: TlsDetails, now: Date): CertificateProblem | null {
  const leaf = d.chain[0];
  const last = d.chain[d.chain.length - 1];
  const code = d.chainError;
  if (code === null) return null;
  const which = (c: CertificateFacts) => said(c === leaf ? 'tls.problem.which.leaf' : 'tls.problem.which.chain', { subject: c.subject });
  switch (code) {
    case 'CERT_HAS_EXPIRED': {
      const expired = d.chain.find((c) => daysBetween(now, c.validTo) < 0 || new Date(c.validTo) < now) ?? leaf;
      return expired ? said('tls.problem.expired', { which: which(expired), date: day(expired.validTo), when: relative(daysBetween(now, expired.validTo)) }) : said('tls.problem.expired.bare');
    }
    case 'CERT_NOT_YET_VALID': {
      const early = d.chain.find((c) => new Date(c.validFrom) > now) ?? leaf;
      return early ? said('tls.problem.not-yet-valid', { which: which(early), date: day(early.validFrom), when: relative(daysUntil(now, early.validFrom)) }) : said('tls.problem.not-yet-valid.bare');
    }
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return leaf ? said('tls.problem.self-signed', { subject: leaf.subject }) : said('tls.problem.self-signed.unnamed');
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return last ? said('tls.problem.unknown-root', { subject: last.subject }) : said('tls.problem.unknown-root.unnamed');
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE': {
      const issuer = last?.issuer ?? said('tls.problem.its-issuer');
      const signed = last === leaf ? said('tls.problem.the-certificate') : (last?.subject ?? said('tls.problem.the-chain'));
      return said('tls.problem.unknown-issuer', { issuer, signed });
    }
    case 'CERT_REVOKED':
      return said('tls.problem.revoked');
    case 'CERT_SIGNATURE_FAILURE':
      return said('tls.problem.bad-signature');
    case 'INVALID_CA':
      return said('tls.problem.invalid-ca');
    case 'INVALID_PURPOSE':
      return said('tls.problem.wrong-purpose');
    default:
      return said('tls.problem.other', { code });
  }
}

/**
 * Why the certificate was not trusted, as data; [] when it was. A chain problem and a name problem
 * are both told: OpenSSL stops at the first, but a reader fixing one wants to know of the other.
 */
export function certificateProblemTexts(d: TlsDetails, now: Date = new Date(d.at)): CertificateProblem[] {
  const problems: CertificateProblem[] = [];
  const chain = chainProblem(d, now);
  if (chain) problems.push(chain);
  const leaf = d.chain[0];
  if (!d.nameMatches && leaf) {
    const names = certificateNames(leaf);
    const onlyCn = leaf.altNames.length === 0 && names.length > 0;
    if (onlyCn && isIpAddress(d.checkedName) && names.some((n) => compressIpv6(n) === compressIpv6(d.checkedName))) {
      // RFC 6125 §6.2.1 (RFC 9525 §6.3): an IP address is checked against iPAddress subjectAltNames only.
      problems.push(said('tls.problem.wrong-host.cn-only', { name: d.checkedName }));
    } else if (names.length > 0) {
      problems.push(said('tls.problem.wrong-host', { names: names.map(shownName).join(', '), name: d.checkedName }));
    } else {
      problems.push(said('tls.problem.wrong-host.no-names', { name: d.checkedName }));
    }
  }
  if (!d.verified && problems.length === 0) problems.push(said('tls.problem.not-verified'));
  return problems;
}

/** A problem in English: what errors and the recording say. */
export function englishProblem(problem: CertificateProblem): string {
  return sayIn('en', TLS_EN, problem);
}

/** Why the certificate was not trusted, in English; [] when it was. */
export function certificateProblems(d: TlsDetails, now: Date = new Date(d.at)): string[] {
  return certificateProblemTexts(d, now).map(englishProblem);
}

/**
 * A certificate name as a list shows it: quoted as a JSON string when it holds what would make it
 * read as more than one ("a, DNS:b"), a quote, a backslash or an edge space (CVE-2021-44532).
 */
export function shownName(name: string): string {
  return /[,"\\]|^\s|\s$/.test(name) ? JSON.stringify(name) : name;
}

/** A subjectAltName entry ("DNS:x") as a list shows it: its value quoted as shownName quotes it. */
export function shownAltName(entry: string): string {
  const colon = entry.indexOf(':');
  return colon < 0 ? shownName(entry) : `${entry.slice(0, colon + 1)}${shownName(entry.slice(colon + 1))}`;
}

/** An IPv4 address in dotted form, or an IPv6 one (it has colons, which no host name has). */
function isIpAddress(name: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(name) || name.includes(':');
}
