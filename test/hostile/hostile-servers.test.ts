/**
 * Hostile and broken servers: for each case mailwire stays responsive, says clearly what happened,
 * keeps memory bounded (nothing is allocated for an announced size), exits with the documented code,
 * and keeps the recording up to that point.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';
import { runMeasured } from '../support/measured-run.js';

/** Peak memory allowed for a mailwire process, whatever the server sends (Node itself takes ~50 MB). */
const MEMORY_BOUND_KIB = 160 * 1024;

let servers: FakeServer[] = [];
let rawServers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(rawServers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  servers = [];
  rawServers = [];
});

async function fake(options: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(options);
  servers.push(s);
  return s;
}

/** A server that, on the first command, streams `total` octets from `make` with back-pressure. */
async function streamingServer(greeting: string, head: string, total: number, chunk: Buffer, then: 'close' | string): Promise<number> {
  const server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    socket.write(greeting);
    socket.once('data', () => {
      socket.write(head);
      let sent = 0;
      const pump = () => {
        while (sent < total) {
          const piece = chunk.subarray(0, Math.min(chunk.length, total - sent));
          sent += piece.length;
          if (!socket.write(piece)) return void socket.once('drain', pump);
        }
        if (then === 'close') socket.destroy();
        else socket.write(then);
      };
      pump();
    });
  });
  rawServers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-hostile-'));

describe('hostile servers', () => {
  it('a 100 MB line without CRLF: protocol error at the 16 MiB cap (exit 8), memory bounded', { timeout: 60_000 }, async () => {
    const port = await streamingServer('* OK ready\r\n', '* OK ', 100 * 1024 * 1024, Buffer.alloc(1 << 20, 0x41), 'close');
    const dir = tmp();
    const r = await runMeasured([`imap://127.0.0.1:${port}`, '--record', join(dir, 'r.txt'), '-c', 'NOOP']);
    expect(r.code).toBe(8);
    expect(r.stderr).toMatch(/^mailwire: .*16777216 octets.*\n$/);
    expect(r.maxRssKiB).toBeLessThan(MEMORY_BOUND_KIB);
    expect(readFileSync(join(dir, 'r.txt'), 'utf8')).toContain('C: A001 NOOP\n');
  });

  it('a literal announcing 2^40 octets: nothing allocated for it, shown as it streams, broken when the server stops (exit 7)', { timeout: 60_000 }, async () => {
    const line = Buffer.from(`${'x'.repeat(62)}\r\n`);
    const chunk = Buffer.concat(Array.from({ length: 1024 }, () => line));
    const port = await streamingServer('* OK ready\r\n', '* 1 FETCH (BODY[] {1099511627776}\r\n', 64 * 1024 * 1024, chunk, 'close');
    const r = await runMeasured([`imap://127.0.0.1:${port}`, '-c', 'FETCH 1 BODY[]']);
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/^mailwire: connection closed in the middle of a literal \(67108864 of 1099511627776 octets received\)\n$/);
    expect(r.stdoutOctets).toBeGreaterThan(64 * 1024 * 1024);
    expect(r.maxRssKiB).toBeLessThan(MEMORY_BOUND_KIB);
  });

  it('a POP3 reply of 10^6 lines streams through (exit 0): memory as for 10^5 lines', { timeout: 90_000 }, async () => {
    const lines = Buffer.from(Array.from({ length: 1000 }, (_, i) => `${i + 1} 1234\r\n`).join(''));
    const list = async (thousands: number) => {
      const port = await streamingServer('+OK ready\r\n', `+OK ${thousands * 1000} messages\r\n`, lines.length * thousands, lines, '.\r\n');
      return runMeasured([`pop3://127.0.0.1:${port}`, '-c', 'LIST']);
    };
    const small = await list(100);
    const large = await list(1000);
    expect(large.code).toBe(0);
    expect(large.stdoutTail).toMatch(/S: 1000 1234\nS: \.\n$/);
    expect(large.stdoutOctets).toBeGreaterThan(1_000_000 * 'S: 1 1234\n'.length);
    // Holding 10^6 lines (a buffer view and an event object each) would cost some 150 MB more; the
    // margin below that absorbs how lazily the garbage collector runs on a loaded machine.
    expect(large.maxRssKiB - small.maxRssKiB).toBeLessThan(100 * 1024);
  });

  it('a close mid-multi-line POP3 reply keeps what came in the recording (exit 7)', async () => {
    const server = await fake({
      greeting: '+OK ready',
      onLine: (_l, conn) => {
        conn.write('+OK 120 octets\r\nSubject: half\r\n');
        setTimeout(() => conn.socket.destroy(), 20);
      },
    });
    const file = join(tmp(), 'pop3.txt');
    const r = await runMain([server.url('pop3'), '--record', file, '-c', 'RETR 1'], {});
    expect(r.code).toBe(7);
    expect(readFileSync(file, 'utf8')).toMatch(/C: RETR 1\nS: \+OK 120 octets\nS: Subject: half\n# connection closed in the middle of the multi-line reply to RETR\n$/);
  });

  it.each([
    ['{-5}', '* OK text {-5}'],
    ['{abc}', '* OK text {abc}'],
    ['{ 5}', '* 1 FETCH (BODY[] { 5}'],
  ])('a malformed literal length %s is shown as text, not trusted (exit 0)', async (_name, line) => {
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${line}\r\n${tagOf(l)} OK done\r\n`) });
    const r = await runMain([server.url('imap'), '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`S: ${line}\nS: A001 OK done`);
  });

  it('a continuation nobody asked for, a tag never sent, replies after BYE: warned about, session goes on', async () => {
    const server = await fake({
      greeting: '* OK ready',
      onLine: (l, conn) => {
        if (/LOGOUT/i.test(l)) {
          conn.write(`* BYE bye\r\n* 3 EXISTS\r\n${tagOf(l)} OK done\r\n* 4 EXISTS\r\n`);
          setTimeout(() => conn.socket.end(), 20);
        } else conn.write(`+ unasked\r\nZZZ9 OK spoofed\r\n${tagOf(l)} OK done\r\n`);
      },
    });
    const r = await runMain([server.url('imap'), '-c', 'NOOP', '-c', 'LOGOUT'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/S: \+ unasked\n# warning: continuation request \("\+"\) that no command asked for\n/);
    expect(r.stdout).toMatch(/S: ZZZ9 OK spoofed\n# warning: tagged reply for "ZZZ9", a tag no command in progress has\n/);
    expect(r.stdout).toContain('S: * BYE bye\nS: * 3 EXISTS\nS: A002 OK done\nS: * 4 EXISTS\n');
  });

  it('a server that closes in the middle of the TLS handshake (exit 5, one line)', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.once('data', () => socket.destroy());
    });
    rawServers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const r = await runMain([`imaps://127.0.0.1:${port}`, '-c', 'NOOP'], {});
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/^mailwire: connection to 127\.0\.0\.1:\d+ closed during the TLS handshake\n$/);
  });

  it('a server that never stops sending one line cannot starve the timeout of a stalled reply', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: () => undefined });
    const file = join(tmp(), 'stall.txt');
    const r = await runMain([server.url('imap'), '--timeout', '0.3', '--record', file, '-c', 'NOOP'], {});
    expect(r.code).toBe(4);
    expect(readFileSync(file, 'utf8')).toMatch(/C: A001 NOOP\n# error: no reply to "NOOP" within 0\.3 s/);
  });
});
