/**
 * The transport against in-process servers on 127.0.0.1 (and ::1 where the host has IPv6): plain
 * TCP, implicit TLS with the test CA, certificate failures and --insecure, STARTTLS with plaintext
 * injected after the OK, and every way a connection fails.
 */
import { EventEmitter, once } from 'node:events';
import { connect as netConnect, createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, TLSSocket } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { MailwireError } from '../../src/errors.js';
import { connect, type Connection, type ConnectOptions } from '../../src/transport/connection.js';
import { PlaintextFilter, serverRecordStartsAt } from '../../src/transport/plaintext-filter.js';
import { testCerts } from '../support/certs.js';

const certs = testCerts();
const servers: Server[] = [];
const connections: Connection[] = [];

afterEach(async () => {
  for (const c of connections.splice(0)) c.destroy();
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          (s as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          s.close(() => resolve());
        }),
    ),
  );
});

/** Starts `server` on an ephemeral port of `host` and returns the port. */
async function listen(server: Server, host = '127.0.0.1'): Promise<number> {
  servers.push(server);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });
  (server as Server & { closeAllConnections: () => void }).closeAllConnections = () => {
    for (const s of sockets) s.destroy();
  };
  server.listen(0, host);
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

function options(port: number, extra: Partial<ConnectOptions> = {}): ConnectOptions {
  return { host: '127.0.0.1', port, implicitTls: false, tls: { insecure: false }, timeoutMs: 5000, ...extra };
}

async function open(opts: ConnectOptions): Promise<Connection> {
  const conn = await connect(opts);
  connections.push(conn);
  return conn;
}

/** What a connection delivered: all text so far, waits for more, and the close. */
class Received {
  text = '';
  chunks: string[] = [];
  readonly closed: Promise<MailwireError | null>;
  private waiters: Array<() => void> = [];

  constructor(conn: Connection) {
    conn.onData((chunk) => {
      this.chunks.push(chunk.toString('latin1'));
      this.text += chunk.toString('latin1');
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => conn.onClose(resolve));
  }

  async waitFor(needle: string): Promise<void> {
    while (!this.text.includes(needle)) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

async function failure(promise: Promise<unknown>): Promise<MailwireError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MailwireError);
    return error as MailwireError;
  }
  throw new Error('expected a MailwireError, got success');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An IMAPS-style server with the CA-signed certificate (or `cert`/`key`) that greets and echoes. */
function greetingTlsServer(cert = certs.serverCert, key = certs.serverKey) {
  const sni: Array<string | false | null> = [];
  const server = createTlsServer({ cert, key }, (s) => {
    sni.push(s.servername);
    s.write('* OK IMAP4rev1 ready\r\n');
    s.pipe(s);
  });
  return { server, sni };
}

describe('plain TCP', () => {
  it('connects, echoes and closes cleanly', async () => {
    const port = await listen(createTcpServer((s) => s.pipe(s)));
    const conn = await open(options(port));
    expect(conn.remoteAddress).toBe('127.0.0.1');
    expect(conn.tls).toBeNull();
    const got = new Received(conn);
    conn.write(Buffer.from('a NOOP\r\n'));
    await got.waitFor('a NOOP\r\n');
    conn.close();
    expect(await got.closed).toBeNull();
  });

  it('closes a TLS connection cleanly', async () => {
    const port = await listen(greetingTlsServer().server);
    const conn = await open(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } }));
    const got = new Received(conn);
    await got.waitFor('ready\r\n');
    conn.close();
    expect(await got.closed).toBeNull();
  });

  it('reports a close by the server (FIN) as clean', async () => {
    const port = await listen(createTcpServer((s) => s.end('* BYE bye\r\n')));
    const got = new Received(await open(options(port)));
    expect(await got.closed).toBeNull();
    expect(got.text).toBe('* BYE bye\r\n');
  });

  it('reports a reset by the server as broken', async () => {
    const port = await listen(
      createTcpServer((s) => {
        s.write('* OK ready\r\n');
        setTimeout(() => s.resetAndDestroy(), 50);
      }),
    );
    const got = new Received(await open(options(port)));
    const error = await got.closed;
    expect(error?.code).toBe('broken');
    expect(error?.message).toBe('connection reset by server');
  });

  it('works over IPv6 (::1)', async (ctx) => {
    const server = createTcpServer((s) => s.pipe(s));
    let port: number;
    try {
      port = await listen(server, '::1');
    } catch {
      ctx.skip();
      return;
    }
    const conn = await open(options(port, { host: '::1' }));
    expect(conn.remoteAddress).toBe('::1');
    const got = new Received(conn);
    conn.write(Buffer.from('x\r\n'));
    await got.waitFor('x\r\n');
  });
});

describe('connect failures', () => {
  it('connection refused', async () => {
    const server = createTcpServer();
    const port = await listen(server);
    servers.pop();
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(connect(options(port)));
    expect(error.code).toBe('connect');
    expect(error.message).toBe(`connection refused by 127.0.0.1:${port}`);
  });

  it('unknown host', async () => {
    const error = await failure(connect(options(143, { host: 'nosuch.invalid' })));
    expect(error.code).toBe('dns');
    expect(error.message).toMatch(/^cannot resolve host nosuch\.invalid/);
  });

  it('missing --ca file', async () => {
    const error = await failure(connect(options(143, { tls: { insecure: false, caPaths: ['/nonexistent/ca.pem'] } })));
    expect(error.code).toBe('file');
    expect(error.message).toBe('cannot read CA file /nonexistent/ca.pem: no such file or folder');
  });

  it('times out when the TLS handshake never finishes', async () => {
    // Accepts the TCP connection, then says nothing: the ClientHello goes unanswered.
    const port = await listen(createTcpServer(() => {}));
    const started = Date.now();
    const error = await failure(
      connect(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] }, timeoutMs: 300 })),
    );
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`TLS handshake with 127.0.0.1:${port} did not finish within 0.3 s (--timeout)`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('server closing during the handshake', async () => {
    const port = await listen(createTcpServer((s) => s.once('data', () => s.end())));
    const error = await failure(connect(options(port, { implicitTls: true })));
    expect(error.code).toBe('tls');
    expect(error.message).toBe(`connection to 127.0.0.1:${port} closed during the TLS handshake`);
  });

  it('TLS to a plaintext server', async () => {
    const port = await listen(createTcpServer((s) => s.write('* OK IMAP4rev1 ready, plaintext\r\n')));
    const error = await failure(connect(options(port, { implicitTls: true })));
    expect(error.code).toBe('tls');
    expect(error.message).toMatch(new RegExp(`^TLS handshake with 127\\.0\\.0\\.1:${port} failed: `));
  });
});

describe('implicit TLS', () => {
  it('verifies the chain with --ca and the IP address against the certificate', async () => {
    const { server, sni } = greetingTlsServer();
    const port = await listen(server);
    const conn = await open(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } }));
    const got = new Received(conn);
    await got.waitFor('* OK IMAP4rev1 ready\r\n');
    const summary = conn.tls;
    expect(summary).not.toBeNull();
    expect(summary?.version).toMatch(/^TLSv1\.[23]$/);
    expect(summary?.cipher).toMatch(/^TLS_/);
    expect(summary?.subject).toBe('CN=localhost, O=mailwire tests');
    expect(summary?.issuer).toBe('CN=mailwire test CA');
    expect(summary?.validTo).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(summary).toMatchObject({ verified: true, verifyError: '', insecure: false });
    // No SNI for an IP address (RFC 6066 §3).
    expect(sni).toEqual([false]);
    conn.write(Buffer.from('a LOGOUT\r\n'));
    await got.waitFor('a LOGOUT\r\n');
  });

  it('sends the host name as SNI', async () => {
    const { server, sni } = greetingTlsServer();
    const port = await listen(server);
    const conn = await open(options(port, { host: 'localhost', implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } }));
    expect(conn.tls?.verified).toBe(true);
    await new Received(conn).waitFor('* OK');
    expect(sni).toEqual(['localhost']);
  });

  it('refuses a certificate from an unknown CA', async () => {
    const port = await listen(greetingTlsServer().server);
    const error = await failure(connect(options(port, { implicitTls: true })));
    expect(error.code).toBe('certificate');
    expect(error.message).toBe(
      `certificate of 127.0.0.1:${port} not trusted: unknown issuer: CN=mailwire test CA, which signed the certificate, is not a trusted CA (a private CA, or the server does not send its intermediate certificate) (use --ca FILE to trust its CA, or --insecure)`,
    );
  });

  it('refuses a self-signed certificate', async () => {
    const port = await listen(greetingTlsServer(certs.selfSignedCert, certs.selfSignedKey).server);
    const error = await failure(connect(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } })));
    expect(error.code).toBe('certificate');
    expect(error.message).toMatch(/self-signed: CN=localhost, O=self-signed is signed by itself/);
    expect(error.message).toMatch(/\(use --ca FILE to trust its CA, or --insecure\)$/);
  });

  it('accepts a self-signed certificate with --insecure, and says it was not verified', async () => {
    const port = await listen(greetingTlsServer(certs.selfSignedCert, certs.selfSignedKey).server);
    const conn = await open(options(port, { implicitTls: true, tls: { insecure: true } }));
    expect(conn.tls).toMatchObject({
      verified: false,
      verifyError: 'self-signed: CN=localhost, O=self-signed is signed by itself, so no CA vouches for it',
      insecure: true,
      subject: 'CN=localhost, O=self-signed',
      issuer: 'CN=localhost, O=self-signed',
    });
    const got = new Received(conn);
    await got.waitFor('* OK');
  });

  it('refuses a certificate for another name', async () => {
    const port = await listen(greetingTlsServer().server);
    const error = await failure(
      connect(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile], servername: 'wrong.example' } })),
    );
    expect(error.code).toBe('certificate');
    expect(error.message).toMatch(new RegExp(`^certificate of 127\\.0\\.0\\.1:${port} is not for that name: .*wrong\\.example`));
    expect(error.message).toMatch(/--servername NAME/);
  });

  it('keeps the host name mismatch as the reason under --insecure', async () => {
    const port = await listen(greetingTlsServer().server);
    const conn = await open(
      options(port, { implicitTls: true, tls: { insecure: true, caPaths: [certs.caFile], servername: 'wrong.example' } }),
    );
    expect(conn.tls?.verified).toBe(false);
    expect(conn.tls?.verifyError).toBe('wrong host: the certificate is for localhost, 127.0.0.1, ::1, not for wrong.example');
  });

  it('reports a reset after the handshake as broken', async () => {
    const server = createTcpServer((raw) => {
      const s = new TLSSocket(raw, { isServer: true, cert: certs.serverCert, key: certs.serverKey });
      s.on('error', () => {});
      s.on('secure', () => {
        s.write('* OK ready\r\n');
        setTimeout(() => raw.resetAndDestroy(), 50);
      });
    });
    const port = await listen(server);
    const got = new Received(await open(options(port, { implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } })));
    await got.waitFor('* OK ready\r\n');
    const error = await got.closed;
    expect(error?.code).toBe('broken');
    expect(error?.message).toBe('connection reset by server');
  });

  it('works over IPv6 (::1), checking the address against the certificate', async (ctx) => {
    let port: number;
    try {
      port = await listen(greetingTlsServer().server, '::1');
    } catch {
      ctx.skip();
      return;
    }
    const conn = await open(options(port, { host: '::1', implicitTls: true, tls: { insecure: false, caPaths: [certs.caFile] } }));
    expect(conn.remoteAddress).toBe('::1');
    expect(conn.tls?.verified).toBe(true);
  });
});

/**
 * A STARTTLS server: greets, and on "a STARTTLS" answers `ok`. Once the client's ClientHello is in
 * (so the client has certainly called startTls()), it writes each of `then` in plaintext, a pause
 * apart, and only then takes up TLS on the same socket: what a man in the middle could do.
 */
function startTlsServer(ok: string, then: string[], tlsKey = { cert: certs.serverCert, key: certs.serverKey }) {
  const secured: Array<{ secure: TLSSocket; raw: Socket }> = [];
  const server = createTcpServer((s) => {
    s.write('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n');
    const onData = async (chunk: Buffer) => {
      if (!chunk.toString().includes('a STARTTLS')) return;
      // Stop reading: the client's ClientHello must be left for the TLS socket (which reads what the
      // plain socket holds).
      s.off('data', onData);
      s.pause();
      s.write(ok);
      await once(s, 'readable');
      for (const text of then) {
        await sleep(40);
        s.write(text);
      }
      await sleep(40);
      const secure = new TLSSocket(s, { isServer: true, ...tlsKey });
      secure.on('error', () => {});
      secure.on('secure', () => {
        secured.push({ secure, raw: s });
        secure.write('* OK over TLS\r\n');
        secure.pipe(secure);
      });
    };
    s.on('data', onData);
  });
  return { server, secured };
}

describe('STARTTLS', () => {
  it('discards plaintext that arrives after the OK and upgrades', async () => {
    const { server } = startTlsServer('a OK Begin TLS now\r\n', ['* OK injected\r\n', '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n']);
    const port = await listen(server);
    const conn = await open(options(port, { tls: { insecure: false, caPaths: [certs.caFile] } }));
    const got = new Received(conn);
    await got.waitFor('* OK [CAPABILITY');
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK Begin TLS now\r\n');
    const before = got.text.length;
    const { summary, discardedBytes } = await conn.startTls();
    expect(discardedBytes).toBe('* OK injected\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n'.length);
    expect(summary).toMatchObject({ verified: true, insecure: false, subject: 'CN=localhost, O=mailwire tests' });
    expect(conn.tls).toEqual(summary);
    await got.waitFor('* OK over TLS\r\n');
    conn.write(Buffer.from('b NOOP\r\n'));
    await got.waitFor('b NOOP\r\n');
    expect(got.text.slice(before)).toBe('* OK over TLS\r\nb NOOP\r\n');
    conn.close();
    expect(await got.closed).toBeNull();
  });

  it('reports the server closing or resetting the upgraded connection', async () => {
    const { server, secured } = startTlsServer('a OK Begin TLS\r\n', []);
    const port = await listen(server);
    for (const ending of ['end', 'reset'] as const) {
      const conn = await open(options(port, { tls: { insecure: false, caPaths: [certs.caFile] } }));
      const got = new Received(conn);
      conn.write(Buffer.from('a STARTTLS\r\n'));
      await got.waitFor('a OK Begin TLS\r\n');
      await conn.startTls();
      await got.waitFor('* OK over TLS\r\n');
      const { secure, raw } = secured.at(-1) as { secure: TLSSocket; raw: Socket };
      if (ending === 'end') {
        secure.end('* BYE\r\n');
        expect(await got.closed).toBeNull();
        expect(got.text.endsWith('* OK over TLS\r\n* BYE\r\n')).toBe(true);
      } else {
        raw.resetAndDestroy();
        const error = await got.closed;
        expect(error?.code).toBe('broken');
        expect(error?.message).toBe('connection reset by server');
      }
    }
  });

  it('never delivers injected bytes after startTls(), however they are split', async () => {
    // One write: the injection usually shares the OK's chunk (the session drops those), but TCP may split it.
    const { server } = startTlsServer('a OK Begin TLS\r\n* OK injected\r\n', []);
    const port = await listen(server);
    const conn = await open(options(port, { tls: { insecure: false, caPaths: [certs.caFile] } }));
    const got = new Received(conn);
    await got.waitFor('ready\r\n');
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK Begin TLS\r\n');
    const before = got.text.length;
    const { discardedBytes } = await conn.startTls();
    await got.waitFor('* OK over TLS\r\n');
    expect(got.text.slice(before)).toBe('* OK over TLS\r\n');
    const deliveredWithOk = got.text.slice(0, before).includes('* OK injected\r\n');
    expect(deliveredWithOk ? 0 : '* OK injected\r\n'.length).toBe(discardedBytes);
  });

  it('checks the certificate on the upgrade too', async () => {
    const { server } = startTlsServer('a OK go\r\n', [], { cert: certs.selfSignedCert, key: certs.selfSignedKey });
    const port = await listen(server);
    const conn = await open(options(port, { tls: { insecure: false, caPaths: [certs.caFile] } }));
    const got = new Received(conn);
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK go\r\n');
    const error = await failure(conn.startTls());
    expect(error.code).toBe('certificate');
    expect(error.message).toMatch(/self-signed: CN=localhost, O=self-signed is signed by itself/);
    expect(await got.closed).toBe(error);
  });

  it('rejects when the server closes instead of taking up TLS', async () => {
    const port = await listen(
      createTcpServer((s) => {
        s.on('data', () => {
          s.write('a OK Begin TLS\r\n');
          setTimeout(() => s.end(), 40);
        });
      }),
    );
    const conn = await open(options(port));
    const got = new Received(conn);
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK Begin TLS\r\n');
    const error = await failure(conn.startTls());
    expect(error.code).toBe('tls');
    // The server answered the ClientHello with its OK line again, in plain text: said, and how much.
    expect(error.message).toBe(`connection to 127.0.0.1:${port} closed during the TLS handshake (after its OK the server sent 16 octets of plain text, dropped, and no TLS: is it speaking TLS?)`);
    expect(await got.closed).toBe(error);
  });

  it('rejects when the server resets during the handshake', async () => {
    const port = await listen(
      createTcpServer((s) => {
        s.once('data', () => {
          s.write('a OK Begin TLS\r\n');
          s.once('data', () => s.resetAndDestroy()); // the ClientHello
        });
      }),
    );
    const conn = await open(options(port));
    const got = new Received(conn);
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK Begin TLS\r\n');
    const error = await failure(conn.startTls());
    expect(error.code).toBe('tls');
    expect(error.message).toBe(`connection to 127.0.0.1:${port} closed during the TLS handshake`);
    expect(await got.closed).toBe(error);
  });

  it.each([
    ['answers the ClientHello in plain text', (s: Socket) => s.on('data', () => s.write('a OK Begin TLS\r\n')), ' (after its OK the server sent 16 octets of plain text, dropped, and no TLS: is it speaking TLS?)'],
    ['sends nothing at all', (s: Socket) => s.once('data', () => s.write('a OK Begin TLS\r\n')), ''],
  ] as const)('times out when the server never takes up TLS: it %s', async (_what, serve, note) => {
    const port = await listen(createTcpServer(serve));
    const conn = await open(options(port, { timeoutMs: 300 }));
    const got = new Received(conn);
    conn.write(Buffer.from('a STARTTLS\r\n'));
    await got.waitFor('a OK Begin TLS\r\n');
    const error = await failure(conn.startTls());
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`TLS handshake with 127.0.0.1:${port} did not finish within 0.3 s (--timeout)${note}`);
  });
});

function readAll(stream: PlaintextFilter): Buffer[] {
  const chunks: Buffer[] = [];
  for (let b = stream.read() as Buffer | null; b !== null; b = stream.read() as Buffer | null) chunks.push(b);
  return chunks;
}

describe('where plaintext ends (PlaintextFilter)', () => {
  const serverHello = Buffer.from([0x16, 0x03, 0x03, 0x00, 0x7a, 0x02, 0x00]);
  const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);

  it('recognises a ServerHello record and an alert record', () => {
    expect(serverRecordStartsAt(serverHello, 0)).toBe('yes');
    expect(serverRecordStartsAt(alert, 0)).toBe('yes');
    const text = Buffer.concat([Buffer.from('* OK injected\r\n'), serverHello]);
    const first = [...text.keys()].find((i) => serverRecordStartsAt(text, i) !== 'no');
    expect(first).toBe(15);
  });

  it('drops the same plaintext wherever the chunks split', () => {
    const injected = Buffer.from('* OK injected\r\n\x16\x03\x03 not a record\r\n');
    const wire = Buffer.concat([injected, serverHello, Buffer.from('rest of the handshake')]);
    const splits = [...Array(wire.length + 1).keys()].map((i) => [wire.subarray(0, i), wire.subarray(i)]);
    splits.push([...wire].map((b) => Buffer.from([b])));
    for (const chunks of splits) {
      // Only what the filter uses of a net.Socket: events, flow control.
      const raw = Object.assign(new EventEmitter(), { pause() {}, resume() {}, destroy() {} });
      const filter = new PlaintextFilter(raw as unknown as Socket);
      const out: Buffer[] = [];
      filter.on('data', (b: Buffer) => out.push(b));
      for (const chunk of chunks) if (chunk.length > 0) raw.emit('data', chunk);
      filter.read(0);
      expect(filter.discarded).toBe(injected.length);
      expect(Buffer.concat([...out, ...readAll(filter)])).toEqual(wire.subarray(injected.length));
    }
  });

  it('waits for more bytes on a prefix, and refuses other records', () => {
    for (let n = 1; n < 6; n++) expect(serverRecordStartsAt(serverHello.subarray(0, n), 0)).toBe('maybe');
    expect(serverRecordStartsAt(Buffer.from([0x17, 0x03, 0x03, 0x00, 0x10, 0x00]), 0)).toBe('no');
    expect(serverRecordStartsAt(Buffer.from([0x16, 0x03, 0x03, 0x00, 0x10, 0x01]), 0)).toBe('no');
  });
});

describe('PlaintextFilter when the server has closed first', () => {
  it('drops what TLS still writes after the server\'s FIN instead of failing with "write after end"', async () => {
    const server = createTcpServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const raw = netConnect((server.address() as AddressInfo).port, '127.0.0.1');
      const filter = new PlaintextFilter(raw);
      const errors: Error[] = [];
      filter.on('error', (e) => errors.push(e));
      filter.resume();
      // The server's FIN: with allowHalfOpen false the socket ends its own half too.
      await new Promise<void>((resolve) => raw.once('end', () => setImmediate(resolve)));
      expect(raw.writableEnded).toBe(true);
      // What a TLS socket on the filter writes at that moment: a close_notify alert, a deflate flush.
      const written = await new Promise<Error | null | undefined>((resolve) => filter.write(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00]), resolve));
      await new Promise((r) => setImmediate(r));
      expect(written ?? null).toBeNull();
      expect(errors).toEqual([]);
      raw.destroy();
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
