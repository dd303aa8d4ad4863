/**
 * Certificate chains for the tests of what a server sends, made with the openssl command line once per
 * test process and length: a self-signed root, intermediate CAs each signed by the one above, and a
 * server certificate for localhost / 127.0.0.1 / ::1 signed by the last. EC P-256 keys, which openssl
 * makes in milliseconds, so a chain of 20 costs little.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertChain {
  dir: string;
  /** The server certificate alone (PEM file). */
  leafFile: string;
  leafKeyFile: string;
  leafKey: string;
  /** The server certificate followed by every intermediate, what a server should send (PEM file). */
  withIntermediatesFile: string;
  withIntermediates: string;
  /** The server certificate alone, as PEM text. */
  leaf: string;
  /** The root alone (PEM file). */
  rootFile: string;
  /** The root and every intermediate: a --ca with which OpenSSL completes a chain sent short. */
  caFile: string;
  /** Subjects as mailwire writes them, the server's first, the root's last. */
  subjects: string[];
}

const cached = new Map<number, CertChain>();

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
const CA_EXTENSIONS = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n';

/** A chain of `length` certificates (at least 3): root, length - 2 intermediates, server certificate. */
export function certChain(length: number): CertChain {
  const known = cached.get(length);
  if (known) return known;
  if (length < 3) throw new Error('a chain with an intermediate has at least 3 certificates');
  const dir = mkdtempSync(join(tmpdir(), `mailwire-chain-${length}-`));
  writeFileSync(join(dir, 'ca.ext'), CA_EXTENSIONS);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  openssl(['req', '-x509', ...EC, '-days', '30', '-keyout', 'ca0.key', '-out', 'ca0.pem', '-subj', '/CN=mailwire chain root CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  const subjects = ['CN=mailwire chain root CA'];
  const sign = (name: string, subject: string, issuer: string, extensions: string, serial: number) => {
    openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject], dir);
    openssl(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(serial),
      '-days', '30', '-out', `${name}.pem`, '-extfile', extensions], dir);
  };
  const intermediates = length - 2;
  for (let i = 1; i <= intermediates; i++) {
    const name = intermediates === 1 ? 'mailwire chain intermediate CA' : `mailwire chain intermediate CA ${i}`;
    sign(`ca${i}`, `/CN=${name}`, `ca${i - 1}`, 'ca.ext', 1000 + i);
    subjects.unshift(`CN=${name}`);
  }
  sign('server', '/CN=localhost/O=mailwire chain tests', `ca${intermediates}`, 'server.ext', 2000);
  subjects.unshift('CN=localhost, O=mailwire chain tests');
  const read = (file: string) => readFileSync(join(dir, file), 'utf8');
  const below = Array.from({ length: intermediates }, (_, k) => read(`ca${intermediates - k}.pem`));
  writeFileSync(join(dir, 'with-intermediates.pem'), [read('server.pem'), ...below].join(''));
  writeFileSync(join(dir, 'ca-bundle.pem'), [read('ca0.pem'), ...below].join(''));
  const chain: CertChain = {
    dir,
    leafFile: join(dir, 'server.pem'),
    leafKeyFile: join(dir, 'server.key'),
    leafKey: read('server.key'),
    leaf: read('server.pem'),
    withIntermediatesFile: join(dir, 'with-intermediates.pem'),
    withIntermediates: read('with-intermediates.pem'),
    rootFile: join(dir, 'ca0.pem'),
    caFile: join(dir, 'ca-bundle.pem'),
    subjects,
  };
  cached.set(length, chain);
  return chain;
}
