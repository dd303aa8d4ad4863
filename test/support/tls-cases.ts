/**
 * Certificates for each way verification fails, made with the openssl command line once per test
 * process: expired, not yet valid, for another host, from an unknown CA (plus the self-signed one of
 * certs.ts), and a client certificate for joe signed by the test CA (SASL EXTERNAL). `openssl ca`
 * is used because it is the one tool of OpenSSL 3.0 that sets validity dates in the past or future.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testCerts } from './certs.js';

export interface CertPair {
  cert: string;
  key: string;
  certFile: string;
  keyFile: string;
}

export interface TlsCases {
  dir: string;
  /** Signed by the test CA for localhost/127.0.0.1/::1, valid 2020-01-01 to 2020-02-01. */
  expired: CertPair;
  /** Signed by the test CA, valid from 2099-01-01. */
  notYetValid: CertPair;
  /** Signed by the test CA for mail.example.org and imap.example.org only. */
  wrongHost: CertPair;
  /** Signed by "CN=unknown CA", which nobody trusts. */
  unknownCa: CertPair;
  /** The unknown CA itself (a file --ca can take). */
  unknownCaFile: string;
  /** Client certificate CN=joe, signed by the test CA (extendedKeyUsage clientAuth). */
  clientJoe: CertPair;
}

let cached: TlsCases | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const CA_CONFIG = `[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = anything
copy_extensions = copy
unique_subject = no
email_in_dn = no
[ anything ]
commonName = supplied
organizationName = optional
`;

/** Creates (once per process) and returns the certificates. */
export function tlsCases(): TlsCases {
  if (cached) return cached;
  const base = testCerts();
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-tls-cases-'));
  writeFileSync(join(dir, 'ca.cnf'), CA_CONFIG);
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '1000\n');
  const caKey = join(base.dir, 'ca.key');

  const pair = (name: string): CertPair => ({
    cert: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    key: readFileSync(join(dir, `${name}.key`), 'utf8'),
    certFile: join(dir, `${name}.pem`),
    keyFile: join(dir, `${name}.key`),
  });

  /** A key and CSR for `subject`, signed by `ca` with `extensions`, valid between the dates. */
  const issue = (name: string, subject: string, extensions: string, ca: { cert: string; key: string }, start: string, end: string) => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    openssl(['ca', '-batch', '-config', 'ca.cnf', '-cert', ca.cert, '-keyfile', ca.key, '-in', `${name}.csr`, '-out', `${name}.pem`,
      '-startdate', start, '-enddate', end, '-extfile', `${name}.ext`, '-notext'], dir);
    return pair(name);
  };
  const server = 'basicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n';
  const localhost = `subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\n${server}`;
  const ca = { cert: base.caFile, key: caKey };
  const now = new Date();
  const inDays = (days: number) => `${new Date(now.getTime() + days * 86_400_000).toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;

  const expired = issue('expired', '/CN=localhost/O=expired', localhost, ca, '20200101000000Z', '20200201000000Z');
  const notYetValid = issue('not-yet-valid', '/CN=localhost/O=not yet valid', localhost, ca, '20990101000000Z', '20991231000000Z');
  const wrongHost = issue('wrong-host', '/CN=mail.example.org', `subjectAltName=DNS:mail.example.org,DNS:imap.example.org\n${server}`, ca, inDays(-1), inDays(30));
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', 'unknown-ca.key', '-out', 'unknown-ca.pem',
    '-subj', '/CN=unknown CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const unknownCa = issue('unknown-ca-leaf', '/CN=localhost/O=unknown CA leaf', localhost, { cert: 'unknown-ca.pem', key: 'unknown-ca.key' }, inDays(-1), inDays(30));
  const clientJoe = issue('client-joe', '/CN=joe/O=mailwire tests', 'basicConstraints=CA:FALSE\nextendedKeyUsage=clientAuth\n', ca, inDays(-1), inDays(30));
  cached = { dir, expired, notYetValid, wrongHost, unknownCa, unknownCaFile: join(dir, 'unknown-ca.pem'), clientJoe };
  return cached;
}
