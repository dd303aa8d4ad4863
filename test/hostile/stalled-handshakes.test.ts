/**
 * Clients that hold a TLS handshake open without finishing it: silent TCP connections to an imaps or
 * pop3s listener, a STARTTLS / STLS whose ClientHello never comes (or comes in part). Such a
 * connection takes a slot (--max-connections) from the moment it is accepted, is ended by the same
 * time limits as any other, and gives its slot back when it ends, whoever closes first. Limits of a
 * second or two over loopback sockets; what is asserted is who was admitted and that the server
 * closed the connection, never how long it took.
 */
import { createServer, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startProxy, type ProxyServer } from '../../src/proxy/proxy-server.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import type { ServerLimits } from '../../src/transport/server-limits.js';
import { connect as connectToServer } from '../../src/transport/connection.js';
import { CLOSE_GRACE_MS } from '../../src/transport/server.js';
import { testCerts } from '../support/certs.js';
import { exampleSeed } from '../support/sandbox-harness.js';
import { destroyAll, PARTIAL_CLIENT_HELLO, WireClient } from '../support/wire-client.js';

afterEach(() => destroyAll());

/** Long enough for a time limit, the grace and the close after it: a server that holds on past it has failed. */
const WAIT_FOR_CLOSE_MS = CLOSE_GRACE_MS + 8000;

/** Tries a new client until it is greeted (a slot came free) or `ms` pass; returns what the last one got. */
async function admittedWithin(connect: () => WireClient, greeting: RegExp, ms: number): Promise<string> {
  const giveUp = Date.now() + ms;
  for (;;) {
    const c = connect();
    await c.until(/\r\n/).catch(() => undefined);
    c.close();
    if (greeting.test(c.text) || Date.now() > giveUp) return c.text;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the sandbox', () => {
  let sandbox: Sandbox | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
  const start = async (limits: Partial<ServerLimits>): Promise<Record<'imap' | 'imaps' | 'pop3' | 'pop3s', number>> => {
    const certs = testCerts();
    sandbox = await startSandbox({
      listen: [
        { protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 0 },
        { protocol: 'imap', tls: 'implicit', host: '127.0.0.1', port: 0 },
        { protocol: 'pop3', tls: 'plain', host: '127.0.0.1', port: 0 },
        { protocol: 'pop3', tls: 'implicit', host: '127.0.0.1', port: 0 },
      ],
      tls: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile },
      seed: exampleSeed(),
      version: 'test',
      limits,
    });
    const port = (protocol: string, tls: string): number => sandbox?.listeners.find((l) => l.spec.protocol === protocol && l.spec.tls === tls)?.port as number;
    return { imap: port('imap', 'plain'), imaps: port('imap', 'implicit'), pop3: port('pop3', 'plain'), pop3s: port('pop3', 'implicit') };
  };

  it('silent connections to imaps take their slots before any handshake, and lose them at the time limit', async () => {
    const ports = await start({ maxConnections: 3, maxIdleMs: 2000, maxTimeBeforeLoginMs: 2000 });
    const silent = [WireClient.plain(ports.imaps), WireClient.plain(ports.imaps), WireClient.plain(ports.pop3s)];
    silent[2]?.send(PARTIAL_CLIENT_HELLO);
    await Promise.all(silent.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
    const fourth = WireClient.tls(ports.imaps);
    await fourth.until(/\r\n/);
    expect(fourth.text).toBe('* BYE [LIMIT] Too many connections; try again later\r\n');
    for (const c of silent) expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(await admittedWithin(() => WireClient.tls(ports.imaps), /^\* OK /, 5000)).toMatch(/^\* OK /);
  });

  it('STARTTLS and STLS with no ClientHello, or half of one: the time limit closes the connection', async () => {
    const ports = await start({ maxConnections: 2, maxIdleMs: 1000, maxTimeBeforeLoginMs: 2000 });
    const imap = WireClient.plain(ports.imap);
    await imap.until(/^\* OK /);
    imap.send('a STARTTLS\r\n');
    const pop3 = WireClient.plain(ports.pop3);
    await pop3.until(/^\+OK /);
    pop3.send('STLS\r\n');
    await imap.until(/a OK /);
    await pop3.until(/\r\n\+OK /);
    pop3.send(PARTIAL_CLIENT_HELLO);
    expect(await imap.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(await pop3.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(await admittedWithin(() => WireClient.plain(ports.imap), /^\* OK /, 5000)).toMatch(/^\* OK /);
  });

  it('clients that stall after STARTTLS and then close their side give their slots back', async () => {
    const ports = await start({ maxConnections: 2, maxIdleMs: 1000, maxTimeBeforeLoginMs: 2000 });
    for (let i = 0; i < 2; i++) {
      const c = WireClient.plain(ports.imap);
      await c.until(/^\* OK /);
      c.send('a STARTTLS\r\n');
      await c.until(/a OK /);
      // Past the time limit, then the client goes away on its own.
      await new Promise((resolve) => setTimeout(resolve, 3000));
      c.close();
    }
    expect(await admittedWithin(() => WireClient.plain(ports.imap), /^\* OK /, WAIT_FOR_CLOSE_MS)).toMatch(/^\* OK /);
  });
});

describe('the proxy', () => {
  /** A server that greets and says OK to every line. */
  async function okServer(): Promise<{ port: number; close(): Promise<void> }> {
    const sockets = new Set<Socket>();
    const server = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.write('* OK fake ready\r\n');
      socket.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('latin1').split('\r\n').slice(0, -1)) socket.write(`${line.split(' ')[0]} OK done\r\n`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as { port: number }).port,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          server.close(() => resolve());
        }),
    };
  }

  let proxy: ProxyServer | null = null;
  let server: { close(): Promise<void> } | null = null;
  afterEach(async () => {
    await proxy?.close();
    await server?.close();
    proxy = server = null;
  });

  async function start(implicitTls: boolean, maxConnections: number): Promise<number> {
    const target = await okServer();
    server = target;
    const certs = testCerts();
    proxy = await startProxy({
      listen: { host: '127.0.0.1', port: 0, implicitTls },
      certificate: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile },
      target: { protocol: 'imap', host: '127.0.0.1', port: target.port, url: `imap://127.0.0.1:${target.port}`, tlsMode: 'none', tls: { insecure: false } },
      setup: { timeoutMs: 5000, connect: connectToServer },
      recordDir: null,
      insecure: false,
      limits: { maxConnections, maxLineOctets: 65536, maxPendingOutputOctets: 64 * 1024 * 1024, maxIdleMs: 1000, maxTimeBeforeLoginMs: 2000 },
      view: () => undefined,
      now: () => new Date(),
    });
    return proxy.port;
  }

  it('silent connections to its TLS listener count against --max-connections and are closed at the time limit', async () => {
    const port = await start(true, 2);
    const silent = [WireClient.plain(port), WireClient.plain(port)];
    silent[1]?.send(PARTIAL_CLIENT_HELLO);
    await Promise.all(silent.map((c) => new Promise((resolve) => c.socket.once('connect', resolve))));
    const third = WireClient.tls(port);
    await third.until(/\r\n/);
    expect(third.text).toMatch(/^\* BYE \[LIMIT\] mailwire proxy: too many connections\r\n/);
    for (const c of silent) expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(await admittedWithin(() => WireClient.tls(port), /^\* OK fake ready/, 5000)).toMatch(/^\* OK fake ready/);
  });

  it('a STARTTLS answered by the proxy with no ClientHello after it: closed at the time limit, the slot free again', async () => {
    const port = await start(false, 1);
    const c = WireClient.plain(port);
    await c.until(/^\* OK fake ready\r\n/);
    c.send('a STARTTLS\r\n');
    await c.until(/a OK /);
    expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(await admittedWithin(() => WireClient.plain(port), /^\* OK fake ready/, 5000)).toMatch(/^\* OK fake ready/);
  });
});
