/**
 * Throwaway certificates for tests, made with the openssl command line: a CA and a server
 * certificate signed by it for "localhost" / 127.0.0.1 / ::1, plus a self-signed one. Made once per
 * test process, in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  /** CA certificate (PEM file path) that signed serverCert. */
  caFile: string;
  caPem: string;
  /** Server certificate signed by the CA, for localhost, 127.0.0.1 and ::1. */
  serverCertFile: string;
  serverKeyFile: string;
  serverCert: string;
  serverKey: string;
  /** A self-signed certificate for localhost (not signed by the CA). */
  selfSignedCertFile: string;
  selfSignedKeyFile: string;
  selfSignedCert: string;
  selfSignedKey: string;
}

let cached: TestCerts | undefined;

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Creates (once per process) and returns the test certificates. */
export function testCerts(): TestCerts {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-certs-'));
  const san = 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1';
  writeFileSync(join(dir, 'server.ext'), `${san}\nbasicConstraints=CA:FALSE\n`);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', 'ca.key',
    '-out', 'ca.pem', '-subj', '/CN=mailwire test CA', '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', '/CN=localhost/O=mailwire tests'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-days', '30', '-out', 'server.pem', '-extfile', 'server.ext'], dir);
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-keyout', 'self.key',
    '-out', 'self.pem', '-subj', '/CN=localhost/O=self-signed', '-addext', san], dir);
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  cached = {
    dir,
    caFile: join(dir, 'ca.pem'),
    caPem: read('ca.pem'),
    serverCertFile: join(dir, 'server.pem'),
    serverKeyFile: join(dir, 'server.key'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    selfSignedCertFile: join(dir, 'self.pem'),
    selfSignedKeyFile: join(dir, 'self.key'),
    selfSignedCert: read('self.pem'),
    selfSignedKey: read('self.key'),
  };
  return cached;
}
