/**
 * TLS laid bare, against TLS servers on 127.0.0.1 with certificates made for each failure: the reason
 * in plain words for an expired, not yet valid, self-signed, unknown-CA and wrong-host certificate
 * (exit 5), the whole chain with --show-certs, --insecure's warning in the recorded header, --ca
 * folders, client certificates and SASL EXTERNAL, --tls-min/--tls-max, --ciphers and ALPN.
 */
import { mkdtempSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { testCerts } from '../support/certs.js';
import { tlsCases } from '../support/tls-cases.js';

const certs = testCerts();
const cases = tlsCases();
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An IMAPS server: greets, answers NOOP, LOGOUT and AUTHENTICATE EXTERNAL (by the client certificate's CN). */
async function imapsServer(options: TlsOptions): Promise<{ url: string; port: number; seen: Array<{ cn: string | null; protocol: string | null }> }> {
  const seen: Array<{ cn: string | null; protocol: string | null }> = [];
  const server = createServer(options, (socket: TLSSocket) => {
    socket.on('error', () => undefined);
    const peer = socket.getPeerCertificate();
    const cn = peer && socket.authorized ? (peer.subject?.CN as string | undefined) ?? null : null;
    seen.push({ cn, protocol: socket.getProtocol() });
    socket.write('* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=EXTERNAL] test server ready\r\n');
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const [tag, command] = line.split(' ');
        if (/^AUTHENTICATE$/i.test(command ?? '')) socket.write(cn ? `${tag} OK [CAPABILITY IMAP4rev1] ${cn} logged in by certificate\r\n` : `${tag} NO [AUTHENTICATIONFAILED] no client certificate\r\n`);
        else if (/^LOGOUT$/i.test(command ?? '')) socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else socket.write(`${tag} OK done\r\n`);
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `imaps://127.0.0.1:${port}`, port, seen };
}

describe('certificate failures, each with its reason (exit 5)', () => {
  it('expired: says until when, and how long ago', async () => {
    const { url } = await imapsServer({ cert: cases.expired.cert, key: cases.expired.key });
    const r = await runMain([url, '--ca', certs.caFile, '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /^mailwire: certificate of 127\.0\.0\.1:\d+ not trusted: expired: the certificate CN=localhost, O=expired was valid until 2020-02-01 \(\d+ days ago\) \(use --ca FILE to trust its CA, or --insecure\)\n$/,
    );
    // The refused certificate is still summarised in the transcript.
    expect(r.stdout).toMatch(/^# TLS: TLSv1\.3 \S+, subject CN=localhost, O=expired, issuer CN=mailwire test CA, expires 2020-02-01, certificate NOT verified \(expired: /);
  });

  it('not yet valid: says from when, and to check the clocks', async () => {
    const { url } = await imapsServer({ cert: cases.notYetValid.cert, key: cases.notYetValid.key });
    const r = await runMain([url, '--ca', certs.caFile, '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/not trusted: not yet valid: the certificate CN=localhost, O=not yet valid is valid from 2099-01-01 \(in \d+ days\); check the clocks of both machines/);
  });

  it('self-signed: says nobody vouches for it', async () => {
    const { url } = await imapsServer({ cert: certs.selfSignedCert, key: certs.selfSignedKey });
    const r = await runMain([url, '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/not trusted: self-signed: CN=localhost, O=self-signed is signed by itself, so no CA vouches for it \(use --ca FILE/);
  });

  it('unknown CA: names the issuer nobody here trusts', async () => {
    const { url } = await imapsServer({ cert: cases.unknownCa.cert, key: cases.unknownCa.key });
    const r = await runMain([url, '--ca', certs.caFile, '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/not trusted: unknown issuer: CN=unknown CA, which signed the certificate, is not a trusted CA/);
  });

  it('wrong host: lists the names the certificate does cover', async () => {
    const { url } = await imapsServer({ cert: cases.wrongHost.cert, key: cases.wrongHost.key });
    const r = await runMain([url, '--ca', certs.caFile, '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /^mailwire: certificate of 127\.0\.0\.1:\d+ is not for that name: wrong host: the certificate is for mail\.example\.org, imap\.example\.org, not for 127\.0\.0\.1 \(use --servername NAME/,
    );
    const named = await runMain([url, '--ca', certs.caFile, '--servername', 'imap.example.org', '-c', 'NOOP']);
    expect(named.code).toBe(0);
  });

  it('tells both problems when a certificate is self-signed and for another name', async () => {
    const { url } = await imapsServer({ cert: certs.selfSignedCert, key: certs.selfSignedKey });
    const r = await runMain([url, '--servername', 'mail.example.org', '-c', 'NOOP']);
    expect(r.stderr).toMatch(/self-signed: .*; wrong host: the certificate is for localhost, 127\.0\.0\.1, ::1, not for mail\.example\.org/);
  });
});

describe('--show-certs', () => {
  it('shows protocol, cipher, ALPN, SNI, every certificate of the chain and the verdict', async () => {
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey });
    const r = await runMain([url, '--ca', certs.caFile, '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    const block = r.stdout.split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4));
    expect(block[0]).toMatch(/^protocol TLSv1\.3, cipher TLS_\w+$/);
    expect(block).toContain('ALPN: none offered, none chosen');
    expect(block).toContain('SNI: none sent (an IP address is not sent by SNI)');
    expect(block).toContain('client certificate: none sent');
    expect(block).toContain('certificate 1 (server): CN=localhost, O=mailwire tests');
    expect(block).toContain('  issuer: CN=mailwire test CA');
    expect(block).toContain('  names: DNS:localhost, IP Address:127.0.0.1, IP Address:::1');
    expect(block).toContain('  key: RSA, 2048 bits');
    expect(block.some((l) => /^ {2}valid: \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \((29|30) days left\)$/.test(l))).toBe(true);
    expect(block.some((l) => /^ {2}SHA-256: ([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(l))).toBe(true);
    expect(block).toContain('certificate 2 (root CA): CN=mailwire test CA (self-signed)');
    expect(block).toContain('verification: OK (chain trusted, 127.0.0.1 is among the certificate\'s names)');
  });

  it('shows the refused chain and every reason when verification fails', async () => {
    const { url } = await imapsServer({ cert: cases.expired.cert, key: cases.expired.key });
    const r = await runMain([url, '--ca', certs.caFile, '--servername', 'mail.example.org', '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/#   certificate 1 \(server\): CN=localhost, O=expired\n#     issuer: CN=mailwire test CA\n[\s\S]*#     valid: 2020-01-01 to 2020-02-01 \(EXPIRED \d+ days ago\)/);
    expect(r.stdout).toMatch(/#   verification: FAILED \(mail\.example\.org is NOT among the certificate's names\)\n#     expired: .*\n#     wrong host: the certificate is for localhost, 127\.0\.0\.1, ::1, not for mail\.example\.org\n/);
  });
});

describe('--insecure', () => {
  it('goes on, says why the certificate was not verified, and the recording\'s header warns', async () => {
    const { url } = await imapsServer({ cert: cases.wrongHost.cert, key: cases.wrongHost.key });
    const record = join(mkdtempSync(join(tmpdir(), 'mailwire-insecure-')), 'session.txt');
    const r = await runMain([url, '--insecure', '--record', record, '-c', 'NOOP']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/certificate NOT verified \(unknown issuer: .*; wrong host: the certificate is for mail\.example\.org, imap\.example\.org, not for 127\.0\.0\.1\), accepted with --insecure/);
    const lines = readFileSync(record, 'utf8').split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '# mailwire transcript v1',
      '# protocol: imap',
      `# target: ${url}`,
      '# tls: implicit',
      expect.stringMatching(/^# recorded: /),
      '# WARNING: recorded with --insecure: the server certificate was not verified, the server may not be who it claims',
    ]);
  });
});

describe('trust, client certificates and EXTERNAL', () => {
  it('--ca takes a folder of certificates', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'mailwire-ca-folder-'));
    copyFileSync(cases.unknownCaFile, join(folder, 'other.crt'));
    copyFileSync(certs.caFile, join(folder, 'test-ca.pem'));
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey });
    expect((await runMain([url, '--ca', folder, '-c', 'NOOP'])).code).toBe(0);
    // A certificate whose file name is not UTF-8 (0xE9 alone) is found and read too.
    const latin1 = mkdtempSync(join(tmpdir(), 'mailwire-ca-latin1-'));
    copyFileSync(certs.caFile, Buffer.concat([Buffer.from(join(latin1, 'ca')), Buffer.from([0xe9]), Buffer.from('.pem')]));
    expect((await runMain([url, '--ca', latin1, '-c', 'NOOP'])).code).toBe(0);
    const empty = mkdtempSync(join(tmpdir(), 'mailwire-ca-empty-'));
    const r = await runMain([url, '--ca', empty, '-c', 'NOOP']);
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/^mailwire: CA folder .* holds no PEM certificate/);
  });

  it('presents --cert/--key, and AUTHENTICATE EXTERNAL logs in by it', async () => {
    const { url, seen } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey, requestCert: true, rejectUnauthorized: false, ca: certs.caPem });
    const r = await runMain([url, '--ca', certs.caFile, '--cert', cases.clientJoe.certFile, '--key', cases.clientJoe.keyFile, '--show-certs', '-c', 'AUTHENTICATE EXTERNAL', '-c', 'LOGOUT']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(seen[0]?.cn).toBe('joe');
    expect(r.stdout).toContain('#   client certificate: sent CN=joe, O=mailwire tests');
    // RFC 4959 §3: an empty initial response is "=".
    expect(r.stdout).toContain('C: A001 AUTHENTICATE EXTERNAL =\nS: A001 OK [CAPABILITY IMAP4rev1] joe logged in by certificate');
  });

  it('refuses EXTERNAL without a client certificate, sending nothing (exit 10)', async () => {
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey });
    const r = await runMain([url, '--ca', certs.caFile, '-c', 'AUTHENTICATE EXTERNAL']);
    expect(r.code).toBe(10);
    expect(r.stderr).toBe('mailwire: EXTERNAL logs in with a TLS client certificate: give --cert FILE (and --key FILE); nothing sent\n');
  });

  it('says when --key is missing from the --cert file, or --key comes without --cert', async () => {
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey });
    const noKey = await runMain([url, '--cert', cases.clientJoe.certFile, '-c', 'NOOP']);
    expect(noKey.code).toBe(9);
    expect(noKey.stderr).toMatch(/holds no private key: give it with --key FILE/);
    const keyOnly = await runMain([url, '--key', cases.clientJoe.keyFile, '-c', 'NOOP']);
    expect(keyOnly.code).toBe(2);
    // A key that is not the certificate's: said before connecting, in plain words (exit 9).
    const mismatch = await runMain([url, '--cert', cases.clientJoe.certFile, '--key', certs.serverKeyFile, '-c', 'NOOP']);
    expect(mismatch.code).toBe(9);
    expect(mismatch.stderr).toBe(`mailwire: client key ${certs.serverKeyFile} is not the private key of certificate ${cases.clientJoe.certFile}\n`);
  });
});

describe('versions, ciphers, ALPN', () => {
  it('--tls-max 1.2 with --ciphers picks that version and cipher', async () => {
    const { url, seen } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey });
    const r = await runMain([url, '--ca', certs.caFile, '--tls-max', '1.2', '--ciphers', 'ECDHE-RSA-AES128-GCM-SHA256', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/# TLS: TLSv1\.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, /);
    expect(seen[0]?.protocol).toBe('TLSv1.2');
  });

  it('--tls-max 1.1 alone works against a server that speaks no more (Node.js\'s own least is 1.2)', async () => {
    const { url, seen } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey, minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    const r = await runMain([url, '--ca', certs.caFile, '--tls-max', '1.1', '-c', 'NOOP']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/# TLS: TLSv1\.1 /);
    expect(seen[0]?.protocol).toBe('TLSv1.1');
  });

  it('says plainly when no version is acceptable to both sides', async () => {
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey, minVersion: 'TLSv1.3' });
    const r = await runMain([url, '--ca', certs.caFile, '--tls-max', 'TLSv1.2', '-c', 'NOOP']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed: .*\(no TLS version both sides accept: see --tls-min and --tls-max\)/);
  });

  it('refuses a bad version and a min above the max (exit 2)', async () => {
    expect((await runMain(['imaps://127.0.0.1:1', '--tls-min', '1.4'])).code).toBe(2);
    const r = await runMain(['imaps://127.0.0.1:1', '--tls-min', '1.3', '--tls-max', '1.2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tls-min TLSv1\.3 is above --tls-max TLSv1\.2/);
  });

  it('offers --alpn and shows what the server chose', async () => {
    const { url } = await imapsServer({ cert: certs.serverCert, key: certs.serverKey, ALPNProtocols: ['imap'] });
    const r = await runMain([url, '--ca', certs.caFile, '--alpn', 'imap,pop3', '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('#   ALPN: offered imap, pop3, server chose imap');
  });
});
