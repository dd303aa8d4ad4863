/**
 * The proxy's own certificate when none is given (--listen-cert, --listen-key): made for the run with
 * the `openssl` command (node:crypto cannot make an X.509 certificate), self-signed for localhost,
 * 127.0.0.1 and ::1, its key in a private temporary folder (0700) removed when the proxy stops. The
 * SHA-256 fingerprint is printed so that a client's "unknown certificate" can be checked by eye.
 * Without `openssl` on PATH the proxy asks for the options instead.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MailwireError } from '../errors.js';
import { fileErrorText } from '../file-errors.js';

export interface RunCertificate {
  certFile: string;
  keyFile: string;
  /** SHA-256 fingerprint, "AB:CD:...". */
  fingerprint: string;
  /** Removes the files (a no-op for a certificate that was given). */
  dispose(): void;
}

/** The SHA-256 fingerprint of a PEM certificate file. @throws MailwireError('file') */
export function certificateFingerprint(certFile: string): string {
  try {
    return new X509Certificate(readFileSync(certFile)).fingerprint256;
  } catch (error) {
    throw new MailwireError('file', `cannot read certificate ${certFile}: ${fileErrorText(error)}`);
  }
}

/** Makes a certificate for this run. @throws MailwireError('usage') when openssl cannot make one */
export function makeRunCertificate(): RunCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-proxy-'));
  const certFile = join(dir, 'cert.pem');
  const keyFile = join(dir, 'key.pem');
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '7',
        '-subj', '/CN=mailwire proxy', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'],
      { stdio: 'ignore', timeout: 20_000 },
    );
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the openssl command is not installed' : 'openssl failed';
    throw new MailwireError('usage', `cannot make a certificate for the proxy (${why}): give --listen-cert FILE --listen-key FILE`);
  }
  return { certFile, keyFile, fingerprint: certificateFingerprint(certFile), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
