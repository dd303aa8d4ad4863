/**
 * The chain as the server sent it, against real servers: Dovecot sending its certificate with the
 * intermediate and without it (the mistake that works in a browser and fails in mail clients), over
 * TLS 1.2 and TLS 1.3, implicit and STARTTLS, IMAP and POP3; a chain of 20 certificates from a
 * Node.js TLS server; and the bytes of real OpenSSL handshakes read by the pure reader, cut at every
 * byte. Each run gives mailwire --ca with the root and the intermediates, so that OpenSSL completes
 * the chain either way and only the sent chain can tell the two apart.
 */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import { connect as tlsConnect, createServer as createTlsServer, type TLSSocket, type TlsOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { SentChainReader } from '../../src/protocol/tls/sent-chain-reader.js';
import { connect } from '../../src/transport/connection.js';
import { SocketStream } from '../../src/transport/socket-stream.js';
import { certChain } from '../support/chain-certs.js';
import { splitsOf } from '../support/chunking.js';
import { runMain } from '../support/cli.js';
import { tlsCases } from '../support/tls-cases.js';
import { describeDovecot } from '../support/dovecot.js';

const STORE_HEADING = "not sent by the server, added from the local trust store (--ca, the system's CAs):";

/** The DER of each certificate of a PEM text, in its order. */
function derOf(pem: string): Buffer[] {
  return (pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []).map((block) => new X509Certificate(block).raw);
}

/** The lines of the --show-certs block, without "#   ". */
function detailsBlock(stdout: string): string[] {
  return stdout.split('\n').filter((l) => l.startsWith('#   ')).map((l) => l.slice(4));
}

/** What one real handshake showed: the server's bytes in the chunks they came in, and the client's key log. */
interface CapturedHandshake {
  chunks: Buffer[];
  keylog: string[];
  protocol: string | null;
  cipher: string;
}

/**
 * Runs a handshake between Node.js's TLS server (with `server` options) and client over loopback,
 * the client reading the server through a SocketStream as the handshake watch does, and records
 * the server's bytes up to the end of the handshake and every key log line.
 */
async function captureHandshake(server: TlsOptions, client: { maxVersion?: 'TLSv1.2' | 'TLSv1.3'; ciphers?: string } = {}): Promise<CapturedHandshake> {
  const tlsServer = createTlsServer(server, (socket) => {
    socket.on('error', () => undefined);
    socket.end();
  });
  tlsServer.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  try {
    const port = (tlsServer.address() as AddressInfo).port;
    const raw = tcpConnect({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => raw.once('connect', resolve).once('error', reject));
    const stream = new SocketStream(raw);
    const chunks: Buffer[] = [];
    stream.watcher = (chunk) => chunks.push(Buffer.from(chunk));
    const socket = tlsConnect({ socket: stream, rejectUnauthorized: false, ...client });
    const keylog: string[] = [];
    socket.on('keylog', (line: Buffer) => keylog.push(line.toString('latin1')));
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));
    stream.watcher = null;
    const result = { chunks, keylog, protocol: socket.getProtocol(), cipher: socket.getCipher().standardName };
    socket.destroy();
    return result;
  } finally {
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
}

describe('real handshakes, read by the sent-chain reader wherever their bytes are cut', () => {
  const chain = certChain(3);
  const sentDers = derOf(chain.withIntermediates);

  // Cut at every byte for one suite of each version; for the other suites whole, and into single bytes.
  it.each([
    ['TLS 1.2', 'every byte', {}, { maxVersion: 'TLSv1.2' as const }],
    ['TLS 1.3, TLS_AES_256_GCM_SHA384', 'every byte', {}, {}],
    ['TLS 1.3, TLS_AES_128_GCM_SHA256', 'whole and byte by byte', {}, { ciphers: 'TLS_AES_128_GCM_SHA256' }],
    ['TLS 1.3, TLS_CHACHA20_POLY1305_SHA256', 'whole and byte by byte', {}, { ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }],
    ['TLS 1.3, TLS_AES_128_CCM_SHA256', 'whole and byte by byte', { ciphers: 'TLS_AES_128_CCM_SHA256' }, { ciphers: 'TLS_AES_128_CCM_SHA256' }],
    ['TLS 1.3, TLS_AES_128_CCM_8_SHA256', 'whole and byte by byte', { ciphers: 'TLS_AES_128_CCM_8_SHA256' }, { ciphers: 'TLS_AES_128_CCM_8_SHA256' }],
  ])('%s, cut at %s', async (label, cuts, server: TlsOptions, client) => {
    const captured = await captureHandshake({ cert: chain.withIntermediates, key: chain.leafKey, ...server }, client);
    expect(`${captured.protocol} ${captured.cipher}`).toContain(label.startsWith('TLS 1.2') ? 'TLSv1.2' : label.slice('TLS 1.3, '.length));
    const whole = Buffer.concat(captured.chunks);
    const splits = [...splitsOf(whole)].filter((s) => cuts === 'every byte' || !s.label.startsWith('split'));
    // Compared as text: thousands of deep comparisons of Buffers would take seconds.
    const expected = JSON.stringify({ kind: 'sent', certificates: sentDers.map((d) => d.toString('hex')), omitted: 0 });
    for (const { label: cut, chunks } of splits) {
      const reader = new SentChainReader();
      for (const chunk of chunks) reader.serverBytes(chunk);
      for (const line of captured.keylog) reader.keylog(line);
      const result = reader.end();
      const got = JSON.stringify(result.kind === 'sent' ? { ...result, certificates: result.certificates.map((d) => d.toString('hex')) } : result);
      if (got !== expected) expect(got, cut).toBe(expected);
    }
  });
});

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

/** An IMAPS server that greets and answers every command OK (LOGOUT with BYE), serving `cert`. */
async function imapsServer(options: TlsOptions): Promise<string> {
  const server = createTlsServer(options, (socket: TLSSocket) => {
    socket.on('error', () => undefined);
    socket.write('* OK test server ready\r\n');
    socket.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString('latin1').split('\r\n').filter((l) => l !== '')) {
        const [tag, command] = line.split(' ');
        if (/^LOGOUT$/i.test(command ?? '')) socket.end(`* BYE\r\n${tag} OK bye\r\n`);
        else socket.write(`${tag} OK done\r\n`);
      }
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `imaps://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('a chain sent out of order, with repeats and an unrelated CA, from a Node.js TLS server', () => {
  const chain = certChain(3);
  const [leaf, intermediate] = chain.withIntermediates.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----\n/g) as [string, string];
  const root = readFileSync(chain.rootFile, 'utf8');
  const unrelated = readFileSync(tlsCases().unknownCaFile, 'utf8');
  const [server, inter, rootSubject] = chain.subjects as [string, string, string];

  it('TLS 1.2, leaf then root then intermediate: each break named and a warning (RFC 5246 §7.4.2)', async () => {
    const url = await imapsServer({ cert: leaf + root + intermediate, key: chain.leafKey });
    const r = await runMain([url, '--ca', chain.rootFile, '--tls-max', '1.2', '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block).toContain('the server sent 3 certificates:');
    expect(block).toContain(`certificate 2 (root CA): ${rootSubject} (self-signed)`);
    expect(block).toContain(`certificate 3 (intermediate CA): ${inter}`);
    expect(block.filter((l) => l.includes('does not directly certify'))).toEqual(['  does not directly certify certificate 1, sent before it', '  does not directly certify certificate 2, sent before it']);
    expect(block).toContain('WARNING: the certificates are not in the order TLSv1.2 requires: each following certificate MUST directly certify the one before it (RFC 5246 §7.4.2); clients that take the list as sent may fail to verify');
    expect(block.at(-1)).toMatch(/^verification: OK/);
  });

  it('TLS 1.3, with a repeat of each and an unrelated self-signed CA: duplicates named, the stranger outside the chain, a note only', async () => {
    const url = await imapsServer({ cert: leaf + unrelated + intermediate + leaf + intermediate + root, key: chain.leafKey });
    const r = await runMain([url, '--ca', chain.rootFile, '--tls-max', '1.3', '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block).toContain('the server sent 6 certificates:');
    const after = (heading: string) => block.slice(block.indexOf(heading) + 1, block.findIndex((l, k) => k > block.indexOf(heading) && !l.startsWith('  ')));
    expect(block.indexOf('certificate 2 (a CA outside this chain): CN=unknown CA (self-signed)')).toBeGreaterThan(0);
    expect(after('certificate 2 (a CA outside this chain): CN=unknown CA (self-signed)')).toContain('  not part of the verified chain');
    expect(after(`certificate 4 (server): ${server}`)).toContain('  duplicate of certificate 1');
    expect(after(`certificate 5 (intermediate CA): ${inter}`)).toContain('  duplicate of certificate 3');
    expect(block.filter((l) => l.startsWith('WARNING'))).toEqual([]);
    expect(block.filter((l) => l.startsWith('note:'))).toHaveLength(1);
    expect(block.at(-1)).toMatch(/^verification: OK/);
  });
});

describe('a chain of 20 certificates from a Node.js TLS server', () => {
  const chain = certChain(20);
  const intermediates = chain.subjects.slice(1, -1);

  it.each([['1.3'], ['1.2']])('TLS %s: sent with its 18 intermediates, only the root comes from the store', async (version) => {
    const url = await imapsServer({ cert: chain.withIntermediates, key: chain.leafKey });
    const r = await runMain([url, '--ca', chain.rootFile, '--tls-max', version, '--show-certs', '-c', 'NOOP']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block[0]).toMatch(new RegExp(`^protocol TLSv${version.replace('.', '\\.')}, `));
    expect(block).toContain('the server sent 19 certificates:');
    intermediates.forEach((subject, i) => expect(block).toContain(`certificate ${i + 2} (intermediate CA): ${subject}`));
    expect(block.slice(block.indexOf(STORE_HEADING))).toContain('certificate 20 (root CA): CN=mailwire chain root CA (self-signed)');
    expect(block.filter((l) => l.startsWith('WARNING'))).toEqual([]);
    expect(block.at(-1)).toMatch(/^verification: OK/);
  });

  it.each([['1.3'], ['1.2']])('TLS %s: sent alone, each of the 18 intermediates is warned of', async (version) => {
    const url = await imapsServer({ cert: chain.leaf, key: chain.leafKey });
    const r = await runMain([url, '--ca', chain.caFile, '--tls-max', version, '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block).toContain('the server sent 1 certificate:');
    const store = block.slice(block.indexOf(STORE_HEADING));
    intermediates.forEach((subject, i) => expect(store).toContain(`certificate ${i + 2} (intermediate CA): ${subject}`));
    expect(store).toContain('certificate 20 (root CA): CN=mailwire chain root CA (self-signed)');
    expect(block.filter((l) => l.startsWith('WARNING'))).toEqual(
      intermediates.map((subject) => `WARNING: the server did not send the intermediate certificate ${subject}; clients that do not have it will fail to verify`),
    );
  });
});

describe('the handshake is watched only when asked (TlsOptions.watchSentChain)', () => {
  it('implicit TLS: not watched by default, watched when asked', async () => {
    const chain = certChain(3);
    const port = Number(new URL(await imapsServer({ cert: chain.leaf, key: chain.leafKey })).port);
    const sentOf = async (watchSentChain: boolean) => {
      const conn = await connect({ host: '127.0.0.1', port, implicitTls: true, tls: { insecure: false, caPaths: [chain.caFile], watchSentChain } });
      conn.destroy();
      return conn.tls?.details?.sent;
    };
    expect(await sentOf(false)).toEqual({ kind: 'not-watched' });
    expect(await sentOf(true)).toMatchObject({ kind: 'sent', certificates: [{ subject: 'CN=localhost, O=mailwire chain tests' }], omitted: 0 });
  });
});

/** How each Dovecot case connects: URL, options and a command, by protocol, TLS mode and version. */
const DOVECOT_CASES = [
  ['IMAP, implicit TLS, TLS 1.3', 'imaps', '1.3'],
  ['IMAP, implicit TLS, TLS 1.2', 'imaps', '1.2'],
  ['IMAP, STARTTLS, TLS 1.3', 'imap', '1.3'],
  ['IMAP, STARTTLS, TLS 1.2', 'imap', '1.2'],
  ['POP3, implicit TLS, TLS 1.3', 'pop3s', '1.3'],
  ['POP3, STLS, TLS 1.2', 'pop3', '1.2'],
] as const;

type Scheme = (typeof DOVECOT_CASES)[number][1];

function dovecotArgs(ports: { imapPort: number; imapsPort: number; pop3Port: number; pop3sPort: number }, scheme: Scheme, version: string, caFile: string): string[] {
  const port = { imaps: ports.imapsPort, imap: ports.imapPort, pop3s: ports.pop3sPort, pop3: ports.pop3Port }[scheme];
  const starttls = scheme === 'imap' || scheme === 'pop3' ? ['--starttls'] : [];
  const command = scheme.startsWith('imap') ? 'NOOP' : 'CAPA';
  return [`${scheme}://127.0.0.1:${port}`, ...starttls, '--ca', caFile, '--tls-max', version, '--show-certs', '-c', command];
}

describeDovecot('Dovecot sending its certificate and the intermediate', (dovecot) => {
  it.each(DOVECOT_CASES)('%s: 2 certificates sent, the root from the store, no warning', async (_label, scheme, version) => {
    const r = await runMain(dovecotArgs(dovecot(), scheme, version, dovecot().caFile));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block[0]).toMatch(new RegExp(`^protocol TLSv${version.replace('.', '\\.')}, `));
    const sent = block.slice(block.indexOf('the server sent 2 certificates:'), block.indexOf(STORE_HEADING));
    expect(sent).toContain('certificate 1 (server): CN=localhost, O=mailwire chain tests');
    expect(sent).toContain('certificate 2 (intermediate CA): CN=mailwire chain intermediate CA');
    expect(block.slice(block.indexOf(STORE_HEADING))).toContain('certificate 3 (root CA): CN=mailwire chain root CA (self-signed)');
    expect(block.join('\n')).not.toContain('WARNING');
    expect(block.at(-1)).toMatch(/^verification: OK/);
  });
}, { chain: 'with-intermediate' });

describeDovecot('Dovecot sending its certificate without the intermediate', (dovecot) => {
  it.each(DOVECOT_CASES)('%s: 1 certificate sent, the intermediate from the store, and a warning', async (_label, scheme, version) => {
    const r = await runMain(dovecotArgs(dovecot(), scheme, version, dovecot().caFile));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const block = detailsBlock(r.stdout);
    expect(block[0]).toMatch(new RegExp(`^protocol TLSv${version.replace('.', '\\.')}, `));
    const sent = block.slice(block.indexOf('the server sent 1 certificate:'), block.indexOf(STORE_HEADING));
    expect(sent).toContain('certificate 1 (server): CN=localhost, O=mailwire chain tests');
    const store = block.slice(block.indexOf(STORE_HEADING));
    expect(store).toContain('certificate 2 (intermediate CA): CN=mailwire chain intermediate CA');
    expect(store).toContain('certificate 3 (root CA): CN=mailwire chain root CA (self-signed)');
    expect(block).toContain('WARNING: the server did not send the intermediate certificate CN=mailwire chain intermediate CA; clients that do not have it will fail to verify');
    expect(block.at(-1)).toMatch(/^verification: OK/);
  });

  it('a client with the root alone fails, and the details show why: one certificate sent', async () => {
    const r = await runMain([`imaps://127.0.0.1:${dovecot().imapsPort}`, '--ca', certChain(3).rootFile, '--show-certs', '-c', 'NOOP']);
    expect(r.code).toBe(5);
    const block = detailsBlock(r.stdout);
    expect(block).toContain('the server sent 1 certificate:');
    expect(block).not.toContain(STORE_HEADING);
    expect(block).toContain('  unknown issuer: CN=mailwire chain intermediate CA, which signed the certificate, is not a trusted CA (a private CA, or the server does not send its intermediate certificate)');
  });
}, { chain: 'leaf-only' });
