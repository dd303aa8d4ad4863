/**
 * A certificate refused because it is the sandbox's own: its CA ships with mailwire, so the one
 * thing to say is which --ca to add. Recognised by the leaf's SHA-256 fingerprint, since the sandbox
 * certificate is fixed (see sandbox/certs/).
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { MailwireError } from '../errors.js';
import { SANDBOX_CA_FILE, SANDBOX_CERT_FILE } from '../sandbox/sandbox-files.js';
import type { TlsSummary } from '../protocol/tls/summary.js';

let sandboxFingerprint: string | null | undefined;

function sandboxCertificateSha256(): string | null {
  if (sandboxFingerprint === undefined) {
    try {
      sandboxFingerprint = new X509Certificate(readFileSync(SANDBOX_CERT_FILE)).fingerprint256;
    } catch {
      sandboxFingerprint = null;
    }
  }
  return sandboxFingerprint;
}

/**
 * The error to report: a refused sandbox certificate gets a sentence naming the --ca to add instead
 * of the general advice (the TLS summary above it has already said why it was refused); any other
 * error as it is.
 */
export function withSandboxTrustAdvice(error: unknown): unknown {
  if (!(error instanceof MailwireError) || error.code !== 'certificate') return error;
  const summary = (error as { summary?: TlsSummary }).summary;
  const leaf = summary?.details?.chain[0];
  if (!summary || !leaf || summary.details?.chainError === null || leaf.sha256 !== sandboxCertificateSha256()) return error;
  const where = /^certificate of (\S+)/.exec(error.message)?.[1] ?? 'the server';
  const advice = new MailwireError(
    'certificate',
    `certificate of ${where} not trusted: it is mailwire's sandbox certificate, whose CA ships with mailwire: add --ca ${SANDBOX_CA_FILE} (mailwire demo does)`,
  );
  return Object.assign(advice, { summary });
}
