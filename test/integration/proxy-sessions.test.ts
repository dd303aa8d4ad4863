/**
 * mailwire proxy with several connections at once and with what recordings are for: the `mailwire
 * proxy` command's live view marks each line with its connection, each connection is recorded on its
 * own, and every recording replays against a fresh Dovecot; serve plays a proxy recording to the
 * same real client, which gets the recorded answers; a LOGIN whose password is a literal is recorded
 * consistently (lint finds nothing, replay supplies the secret).
 */
import { spawn } from 'node:child_process';
import { connect as connectTcp } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ProxyServer } from '../../src/proxy/proxy-server.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { listen } from '../../src/transport/server.js';
import { testCerts } from '../support/certs.js';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { proxyToDovecot, recordingsIn, replayPasses, startProxyProcess } from '../support/proxy-harness.js';

const CLIENTS = fileURLToPath(new URL('../fixtures/proxy-clients/', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const message = (n: number): string => `From: Fred Foobar <foobar@example.org>\r\nSubject: note ${n}\r\n\r\nNote number ${n}.\r\n`;

async function python(script: string, args: string[]): Promise<unknown> {
  const r = await runClient('python3', [join(CLIENTS, script), ...args]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as unknown;
}

/** `mailwire proxy ARGS` as a process of its own; resolves with its port once it listens. */
async function startProxyCommand(args: string[]): Promise<{ port: number; stop: () => Promise<{ code: number | null; stdout: string; stderr: string }> }> {
  const proc = spawn(process.execPath, [BIN, 'proxy', ...args], { env: { PATH: process.env['PATH'] } });
  let stdout = '';
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => proc.on('close', (code) => resolve({ code, stdout, stderr })));
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      const m = /^# proxy on imap:\/\/127\.0\.0\.1:(\d+) /m.exec(stdout);
      if (m) resolve(Number(m[1]));
    });
    proc.on('close', () => reject(new Error(`mailwire proxy exited early: ${stderr}`)));
  });
  return {
    port,
    stop: () => {
      proc.kill('SIGTERM');
      return exit;
    },
  };
}

describeWithClients('mailwire proxy: several connections, serve, literal passwords', ['python3'], () => {
  describeDovecot('proxy sessions against Dovecot', (recorded) => {
    let fresh: DovecotServer;
    const proxies: ProxyServer[] = [];

    beforeAll(async () => {
      fresh = await startDovecot();
      for (const n of [1, 2]) {
        recorded().deliver('joe', message(n));
        fresh.deliver('joe', message(n));
      }
    });
    afterAll(async () => {
      for (const p of proxies) await p.close();
      await fresh?.stop();
    });

    it('two imaplib connections at once through `mailwire proxy`: each line of the live view is marked, each recording holds one connection, both replay', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mailwire-proxy-'));
      const certs = testCerts();
      const proxy = await startProxyCommand([
        '--listen', 'imap://127.0.0.1:0', '--target', `imap://127.0.0.1:${recorded().imapPort}`,
        '--listen-cert', certs.serverCertFile, '--listen-key', certs.serverKeyFile, '--record', dir, '--no-color',
      ]);
      const outs = (await python('imaplib_two_at_once.py', ['127.0.0.1', String(proxy.port), 'joe', recorded().users.joe.password])) as Array<Record<string, unknown>>;
      const done = await proxy.stop();
      expect(done.stderr).toBe('');
      expect(done.code).toBe(0);
      expect(outs.map((o) => o['fetch'])).toEqual([['OK', 'Subject: note 1'], ['OK', 'Subject: note 2']]);
      expect(outs.map((o) => o['logout'])).toEqual(['BYE', 'BYE']);

      // Once the second connection is open, every line says whose it is; the commands all came after.
      const lines = done.stdout.split('\n');
      const commands = lines.filter((l) => /C: \S+ (LOGIN|EXAMINE|FETCH|NOOP|LOGOUT)\b/.test(l));
      expect(commands).toHaveLength(10);
      expect(commands.every((l) => /^\[[12]\] C: /.test(l))).toBe(true);
      expect(lines.filter((l) => l.startsWith('[1] ')).length).toBeGreaterThan(5);
      expect(lines.filter((l) => l.startsWith('[2] ')).length).toBeGreaterThan(5);
      expect(done.stdout).not.toContain(recorded().users.joe.password);

      const files = recordingsIn(dir);
      expect(files).toHaveLength(2);
      const [first, second] = files.map((f) => readFileSync(f, 'utf8')) as [string, string];
      expect(first).toContain('S: Subject: note 1');
      expect(first).not.toContain('note 2');
      expect(second).toContain('S: Subject: note 2');
      expect(second).not.toContain('note 1');
      for (const file of files) await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });

    it('serve plays a proxy recording to the client that was recorded: imaplib gets the recorded answers', async () => {
      const { proxy, dir } = await proxyToDovecot(recorded(), { protocol: 'imap', server: 'plain', client: 'plain' });
      proxies.push(proxy);
      const args = (port: number): string[] => ['127.0.0.1', String(port), 'joe', recorded().users.joe.password];
      const live = (await python('imaplib_proxy.py', args(proxy.port))) as Record<string, unknown>;
      await proxy.idle();
      const [file] = recordingsIn(dir) as [string];

      const transcript = parseTranscript(readFileSync(file, 'utf8'));
      const reports: ServeReport[] = [];
      const served: Array<Promise<ServedConnection>> = [];
      const secrets = new Map([['joe', recorded().users.joe.password]]);
      const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
        served.push(serveConnection(conn, transcript, { protocol: 'imap', clock: () => new Date(), now: () => performance.now(), secrets, onReport: (r) => reports.push(r) }));
      });
      try {
        const replayed = (await python('imaplib_proxy.py', args(listener.port))) as Record<string, unknown>;
        await Promise.all(served);
        // The same answers, from the recording instead of the server (the proxy offered STARTTLS; serve shows what the server said).
        expect({ ...replayed, caps: null }).toEqual({ ...live, caps: null });
        expect(replayed['fetch']).toEqual(['OK', 'Subject: note 1\r\n\r\n']);
        expect(reports.filter((r) => r.kind === 'mismatch')).toEqual([]);
      } finally {
        await listener.close();
      }
      await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });

    it('a 30 MB message through `mailwire proxy` whose heap is capped at 48 MB: the live view and both legs hold each other back, nothing piles up', async () => {
      // Before the view said when its pipe was full, the proxy queued the rendered message for it
      // and ran out of a heap this size.
      // A user of its own, so that joe's mailbox stays as the fresh Dovecot's for the replays.
      await recorded().addUsers([{ user: 'bigmail', password: 'bigmail' }]);
      recorded().deliver('bigmail', `From: big@example.org\r\nSubject: thirty megabytes\r\n\r\n${'All work and no play makes Jack a dull boy, said the proxy.\r\n'.repeat(500_000)}`);
      const proxy = await startProxyProcess(recorded().imapPort, { heapMiB: 48 });
      const got = await new Promise<number>((resolve, reject) => {
        let octets = 0;
        const socket = connectTcp(proxy.port, '127.0.0.1', () => socket.write('a1 LOGIN bigmail bigmail\r\na2 EXAMINE INBOX\r\na3 FETCH 1 BODY.PEEK[]\r\na4 LOGOUT\r\n'));
        socket.on('data', (c: Buffer) => (octets += c.length));
        socket.on('error', reject);
        socket.on('close', () => resolve(octets));
      });
      expect(got).toBeGreaterThan(30_000_000);
      const peak = proxy.peakRssKiB();
      expect(await proxy.stop()).toBe(0);
      expect(proxy.stderr()).toBe('');
      expect(proxy.viewed()).toBeGreaterThan(30_000_000);
      expect(peak / 1024).toBeLessThan(160);
    }, 120_000);

    it('a LOGIN password sent as a literal is recorded as <secret> standing for the literal: lint finds nothing, replay supplies the secret', async () => {
      const { proxy, dir, events } = await proxyToDovecot(recorded(), { protocol: 'imap', server: 'plain', client: 'plain' });
      proxies.push(proxy);
      const out = (await python('imaplib_literal_login.py', ['127.0.0.1', String(proxy.port), 'joe', recorded().users.joe.password])) as Record<string, unknown>;
      expect(out['login']).toBe('OK');
      expect(out['logout']).toBe('BYE');
      await proxy.idle();
      const [file] = recordingsIn(dir) as [string];
      const transcript = readFileSync(file, 'utf8');
      expect(transcript).not.toContain(recorded().users.joe.password);
      expect(transcript).toMatch(/C: \S+ LOGIN joe \{\d+\}\n# secret: joe\nS: \+ .*\nC: <secret>\nC:\n/);
      expect(events.some((e) => e.event.kind === 'client-line' && e.event.text.includes(recorded().users.joe.password))).toBe(false);
      const lint = await runMain(['lint', file]);
      expect(lint.stdout).toContain('0 errors');
      expect(lint.code).toBe(0);
      await replayPasses(file, `imap://127.0.0.1:${fresh.imapPort}`, fresh, fresh.users.joe.password);
    });
  });
});
