/**
 * STARTTLS (or imaps) to the sandbox without --ca: the refused certificate is explained once (the TLS
 * summary says why, the error line says what to do), and since the certificate is the sandbox's own,
 * the error names the --ca to add. The recording keeps the error.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CA_FILE } from '../../src/sandbox/sandbox-files.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { exampleSeed } from '../support/sandbox-harness.js';
import { runMain } from '../support/cli.js';

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({
    listen: [
      { protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 0 },
      { protocol: 'pop3', tls: 'implicit', host: '127.0.0.1', port: 0 },
    ],
    seed: exampleSeed(),
    version: 'test',
  });
});

afterAll(async () => {
  await sandbox?.close();
});

const count = (text: string, what: string) => text.split(what).length - 1;

describe('the sandbox certificate without --ca', () => {
  it('STARTTLS: each failure printed once, and the --ca to add named', async () => {
    const url = (sandbox.listeners[0] as { url: string }).url;
    const record = join(mkdtempSync(join(tmpdir(), 'mailwire-trust-')), 's.txt');
    const r = await runMain([url, '--starttls', '--record', record, '-c', 'LOGOUT']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/^# TLS: .*certificate NOT verified \(unknown issuer: /m);
    expect(r.stdout).not.toContain('# connection closed');
    expect(count(r.stdout + r.stderr, 'unknown issuer')).toBe(1);
    expect(r.stderr).toBe(
      `mailwire: certificate of ${url.replace(/^imap:\/\//, '')} not trusted: it is mailwire's sandbox certificate, whose CA ships with mailwire: add --ca ${SANDBOX_CA_FILE} (mailwire demo does)\n`,
    );
    expect(readFileSync(record, 'utf8')).toContain(`# error: certificate of ${url.replace(/^imap:\/\//, '')} not trusted: it is mailwire's sandbox certificate`);
    // With that --ca, it works.
    const trusted = await runMain([url, '--starttls', '--ca', SANDBOX_CA_FILE, '-c', 'LOGOUT']);
    expect(trusted.code, trusted.stderr).toBe(0);
  });

  it('implicit TLS (pop3s) too', async () => {
    const url = (sandbox.listeners[1] as { url: string }).url;
    const r = await runMain([url, '-c', 'QUIT']);
    expect(r.code).toBe(5);
    expect(count(r.stdout + r.stderr, 'unknown issuer')).toBe(1);
    expect(r.stderr).toContain(`add --ca ${SANDBOX_CA_FILE}`);
  });
});
