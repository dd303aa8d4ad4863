/**
 * mailwire proxy's edges without a mail server: the command line refuses what it must, and a server
 * that cannot be reached gets the client a BYE / -ERR with the reason, said on the terminal too.
 */
import { connect as tcpConnect, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startProxy } from '../../src/proxy/proxy-server.js';
import type { SessionEvent } from '../../src/session/events.js';
import { connect } from '../../src/transport/connection.js';
import { runMain } from '../support/cli.js';

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Connects to the proxy and reads until it closes. */
function readAll(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = tcpConnect(port, '127.0.0.1');
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString()));
  });
}

describe('mailwire proxy command line', () => {
  it('refuses a listening address other than loopback without --allow-remote (exit 2)', async () => {
    const r = await runMain(['proxy', '--listen', 'imap://0.0.0.0:0', '--target', 'imap://127.0.0.1:143']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a loopback address');
    expect(r.stderr).toContain('--allow-remote');
  });

  it('refuses two protocols and --starttls with implicit TLS (exit 2)', async () => {
    const mixed = await runMain(['proxy', '--listen', 'imap://127.0.0.1:0', '--target', 'pop3://127.0.0.1']);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain('relays one protocol');
    const both = await runMain(['proxy', '--listen', 'imap://127.0.0.1:0', '--target', 'imaps://127.0.0.1', '--starttls']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--starttls cannot be used with implicit TLS');
  });

  it('has examples in --help', async () => {
    const r = await runMain(['proxy', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('mailwire proxy --listen imap://127.0.0.1:1143 --target imaps://mail.example.org');
  });
});

describe('a server that cannot be reached', () => {
  for (const protocol of ['imap', 'pop3'] as const) {
    it(`gets the ${protocol} client ${protocol === 'imap' ? '* BYE' : '-ERR'} with the reason, and the terminal says it`, async () => {
      const port = await closedPort();
      const events: SessionEvent[] = [];
      const proxy = await startProxy({
        listen: { host: '127.0.0.1', port: 0, implicitTls: false },
        certificate: null,
        target: { protocol, host: '127.0.0.1', port, url: `${protocol}://127.0.0.1:${port}`, tlsMode: 'none', tls: { insecure: false } },
        setup: { timeoutMs: 5000, connect },
        recordDir: null,
        insecure: false,
        limits: { maxConnections: 100, maxLineOctets: 65536, maxPendingOutputOctets: 64 * 1024 * 1024, maxIdleMs: 30 * 60_000, maxTimeBeforeLoginMs: 3 * 60_000 },
        view: (_n, event) => void events.push(event),
        now: () => new Date(),
      });
      try {
        const got = await readAll(proxy.port);
        expect(got).toMatch(protocol === 'imap' ? /^\* BYE \[UNAVAILABLE\] mailwire proxy: .*refused.*\r\n$/ : /^-ERR \[SYS\/TEMP\] mailwire proxy: .*refused.*\r\n$/);
        await proxy.idle();
        expect(events.some((e) => e.kind === 'notice' && e.level === 'error' && /refused/.test(e.text))).toBe(true);
      } finally {
        await proxy.close();
      }
    });
  }
});
