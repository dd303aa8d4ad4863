/**
 * The facts of a finished TLS handshake as a TlsSummary: protocol, cipher, who the certificate names,
 * and whether it verified. Formatting it for people is `render/`'s job.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';
import { certificateProblemTexts, englishProblem, type CertificateFacts, type SentChainFacts, type TlsDetails } from '../protocol/tls/certificates.js';
import type { SentChainResult } from '../protocol/tls/sent-chain-reader.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import { CERTIFICATE_ERRORS } from './certificate-errors.js';

export { CERTIFICATE_ERRORS, isCertificateErrorCode } from './certificate-errors.js';

/** "CN=localhost, O=mailwire tests": the common name first, then the rest in certificate order. */
export function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  const parts: string[] = [];
  const entries = Object.entries(name as unknown as Record<string, string | string[] | undefined>);
  entries.sort(([a], [b]) => (a === 'CN' ? -1 : b === 'CN' ? 1 : 0));
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${key}=${escapeDnValue(v)}`);
  }
  return parts.join(', ');
}

/**
 * A value of a distinguished name with what would split it escaped as RFC 4514 §2.4 writes it: ","
 * "+" '"' and "\\" after a backslash, and an edge space, so that "CN=a, O=Bank" written by the
 * certificate into its CN does not read as two attributes. (";" "<" ">", which the RFC also escapes,
 * split nothing in mailwire's ", "-joined form, and an escape sequence from the server stays whole.)
 */
function escapeDnValue(value: string): string {
  return value.replace(/[,+"\\]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
}

/** "Mar 12 12:00:00 2026 GMT" -> "2026-03-12"; "" when absent or unreadable. */
export function isoDate(opensslDate: string | undefined): string {
  if (!opensslDate) return '';
  const date = new Date(opensslDate);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString().slice(0, 10);
}

/** Node's key type names as people write them. */
const KEY_TYPES: Readonly<Record<string, string>> = {
  rsa: 'RSA',
  'rsa-pss': 'RSA-PSS',
  dsa: 'DSA',
  ec: 'EC',
  ed25519: 'Ed25519',
  ed448: 'Ed448',
  x25519: 'X25519',
  x448: 'X448',
  dh: 'DH',
};

/** A full ISO 8601 date from OpenSSL's "Mar 12 12:00:00 2026 GMT"; "" when unreadable. */
function isoDateTime(opensslDate: string | undefined): string {
  const date = new Date(opensslDate ?? '');
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** The facts of one certificate; the key's type comes from the DER, which PeerCertificate does not name. */
export function certificateFacts(cert: PeerCertificate): CertificateFacts {
  let keyType = '';
  let keyBits: number | null = cert.bits ?? null;
  let curve: string | null = (cert as PeerCertificate & { asn1Curve?: string }).asn1Curve ?? null;
  let selfSigned = distinguishedName(cert.subject) === distinguishedName(cert.issuer);
  let ca = (cert as PeerCertificate & { ca?: boolean }).ca ?? false;
  try {
    const x509 = new X509Certificate(cert.raw);
    const key = x509.publicKey;
    keyType = KEY_TYPES[key.asymmetricKeyType ?? ''] ?? key.asymmetricKeyType ?? '';
    keyBits ??= key.asymmetricKeyDetails?.modulusLength ?? null;
    curve ??= key.asymmetricKeyDetails?.namedCurve ?? null;
    // Self-signed means signed by its own key, not merely a subject equal to the issuer.
    selfSigned = x509.checkIssued(x509) && x509.verify(key);
    ca = x509.ca;
  } catch {
    // A certificate Node cannot parse keeps what PeerCertificate said.
  }
  return {
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    altNames: cert.subjectaltname ? subjectAltNames(cert.subjectaltname) : [],
    validFrom: isoDateTime(cert.valid_from),
    validTo: isoDateTime(cert.valid_to),
    keyType,
    keyBits,
    curve,
    sha256: cert.fingerprint256 ?? '',
    serial: cert.serialNumber ?? '',
    selfSigned,
    ca,
  };
}

/**
 * The most certificates of a chain walked: OpenSSL's own verification depth (100 by default), so that
 * a chain it verified is shown whole (a cap of 16 cut a 20-certificate chain silently, and the
 * diagnosis then named the wrong CA), and a hostile one still costs a bounded walk.
 */
const MAX_CHAIN = 100;

/**
 * The chain as OpenSSL built it: the leaf, then each issuer, until a root issues itself. OpenSSL takes
 * the issuers from what the server sent and from the local trust store alike (sentChainFacts tells
 * which is which).
 */
function peerChain(socket: TLSSocket): DetailedPeerCertificate[] {
  const chain: DetailedPeerCertificate[] = [];
  let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  while (cert && Object.keys(cert).length > 0 && !chain.includes(cert) && chain.length < MAX_CHAIN) {
    chain.push(cert);
    if (cert.issuerCertificate === cert || cert.fingerprint256 === cert.issuerCertificate?.fingerprint256) break;
    cert = cert.issuerCertificate;
  }
  return chain;
}

/** "AB:CD:...", as Node.js writes a certificate's fingerprint256. */
function fingerprint256(der: Buffer): string {
  return (createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g) ?? []).join(':');
}

/** The facts of a certificate the server sent, from its DER; only its fingerprint when it does not parse. */
function sentCertificateFacts(der: Buffer): CertificateFacts {
  try {
    return certificateFacts(new X509Certificate(der).toLegacyObject());
  } catch {
    const sha256 = fingerprint256(der);
    return { subject: '', issuer: '', altNames: [], validFrom: '', validTo: '', keyType: '', keyBits: null, curve: null, sha256, serial: '', selfSigned: false, ca: false, unreadable: true };
  }
}

/** What the handshake watch saw, as facts; 'not-watched' when nobody watched. */
export function sentChainFacts(sent: SentChainResult | null): SentChainFacts {
  if (sent === null) return { kind: 'not-watched' };
  switch (sent.kind) {
    case 'sent':
      return { kind: 'sent', certificates: sent.certificates.map(sentCertificateFacts), omitted: sent.omitted };
    case 'none':
      return { kind: 'none' };
    case 'unreadable':
      return { kind: 'unreadable', problem: sent.problem, detail: sent.detail };
    case 'pending':
      return { kind: 'unreadable', problem: 'incomplete', detail: 'the handshake watch did not end' };
  }
}

/** What the handshake was set up with, for the details. */
export interface HandshakeSetup {
  insecure: boolean;
  /** The name the certificate must carry. */
  name: string;
  /** The name sent by SNI, or null. */
  sni: string | null;
  alpnOffered: string[];
  /** Subject of the client certificate presented, or null. */
  clientCertificate: string | null;
}

/**
 * Summarises a socket that has just emitted 'secureConnect' (when `authorized` and
 * `authorizationError` are final), with the full details: the chain, what the server sent of it
 * (`sent`, from a handshake watch, or null), the name check (done here too, since Node skips it when
 * the chain already failed) and the reasons in plain words.
 */
export function summarizeTls(socket: TLSSocket, setup: HandshakeSetup, sent: SentChainResult | null = null, now: Date = new Date()): TlsSummary {
  const cipher = socket.getCipher() as (ReturnType<TLSSocket['getCipher']> & { standardName?: string }) | undefined;
  const chain = peerChain(socket);
  const leaf = chain[0];
  const code = socket.authorizationError as unknown as string | Error | undefined | null;
  const codeText = typeof code === 'string' ? code : (code?.message ?? null);
  const nameMatches = leaf !== undefined && checkServerIdentity(setup.name, leaf) === undefined;
  const details: TlsDetails = {
    protocol: socket.getProtocol() ?? '',
    cipher: cipher?.standardName ?? cipher?.name ?? '',
    alpnOffered: setup.alpnOffered,
    alpn: typeof socket.alpnProtocol === 'string' ? socket.alpnProtocol : null,
    sni: setup.sni,
    checkedName: setup.name,
    nameMatches,
    chain: chain.map(certificateFacts),
    sent: sentChainFacts(sent),
    verified: socket.authorized,
    // The name check's own code is reported through nameMatches.
    chainError: socket.authorized || codeText === 'ERR_TLS_CERT_ALTNAME_INVALID' ? null : (codeText ?? 'not verified'),
    clientCertificate: setup.clientCertificate,
    insecure: setup.insecure,
    at: now.toISOString(),
  };
  const problems = socket.authorized ? [] : certificateProblemTexts(details, now);
  return {
    version: details.protocol,
    cipher: details.cipher,
    subject: leaf ? distinguishedName(leaf.subject) : '',
    issuer: leaf ? distinguishedName(leaf.issuer) : '',
    validTo: leaf ? isoDate(leaf.valid_to) : '',
    verified: socket.authorized,
    verifyError: problems.map(englishProblem).join('; '),
    ...(problems.length > 0 ? { verifyProblems: problems } : {}),
    insecure: setup.insecure,
    details,
  };
}

/**
 * The entries of Node.js's subjectaltname text ("DNS:a, DNS:b, IP Address:127.0.0.1"). Since the fix
 * of CVE-2021-44532, Node writes a name holding a comma, a quote or a control as a JSON string
 * (DNS:"evil, DNS:example.org" is one name): such a value is read as JSON, so that no name can pose
 * as two and the name is shown as it is, escaped by the renderer as every certificate field is.
 */
export function subjectAltNames(text: string): string[] {
  const names: string[] = [];
  let at = 0;
  while (at < text.length) {
    const colon = text.indexOf(':', at);
    const comma = text.indexOf(', ', at);
    // TYPE:"..." within this entry: one JSON string, commas and all.
    if (colon >= 0 && (comma < 0 || colon < comma) && text[colon + 1] === '"') {
      const end = jsonStringEnd(text, colon + 1);
      try {
        names.push(text.slice(at, colon + 1) + (JSON.parse(text.slice(colon + 1, end)) as string));
      } catch {
        names.push(text.slice(at, end));
      }
      at = end + 2;
      continue;
    }
    // Anything else (an entry without "TYPE:" too) is kept whole, up to the next separator.
    const end = comma < 0 ? text.length : comma;
    names.push(text.slice(at, end));
    at = end + 2;
  }
  return names;
}

/** The end (after the closing quote) of the JSON string that starts at `start`; the text's end if unclosed. */
function jsonStringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
