/**
 * The facts of a handshake written out by hand, for tests of what is said of them (the details, the
 * problems, in each language): a certificate and a connection that hold, each field overridable.
 */
import type { CertificateFacts, TlsDetails } from '../../src/protocol/tls/certificates.js';

export const cert = (c: Partial<CertificateFacts>): CertificateFacts => ({
  subject: 'CN=mail.example.org',
  issuer: 'CN=Example Intermediate',
  altNames: ['DNS:mail.example.org'],
  validFrom: '2026-01-01T00:00:00.000Z',
  validTo: '2027-01-01T00:00:00.000Z',
  keyType: 'EC',
  keyBits: 256,
  curve: 'prime256v1',
  sha256: 'AA:BB',
  serial: '01',
  selfSigned: false,
  ca: false,
  ...c,
});

export const details = (d: Partial<TlsDetails>): TlsDetails => ({
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_128_GCM_SHA256',
  alpnOffered: [],
  alpn: null,
  sni: 'mail.example.org',
  checkedName: 'mail.example.org',
  nameMatches: true,
  chain: [cert({})],
  sent: { kind: 'not-watched' },
  verified: false,
  chainError: null,
  clientCertificate: null,
  insecure: false,
  at: '2026-06-01T00:00:00.000Z',
  ...d,
});
