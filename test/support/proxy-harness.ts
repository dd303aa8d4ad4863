/**
 * mailwire proxy in front of a test Dovecot, for tests that put real clients through it: the proxy
 * listens on a free loopback port (plain or implicit TLS, with the test certificate), reaches the
 * server plain, with STARTTLS or implicit TLS, records each connection into a temp folder, and keeps
 * every event it shows with its connection's number. replayPasses() plays a recording against
 * another (fresh) Dovecot and expects PASS.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { startProxy, type ProxyServer } from '../../src/proxy/proxy-server.js';
import type { SessionEvent, TlsMode } from '../../src/session/events.js';
import { connect } from '../../src/transport/connection.js';
import { testCerts } from './certs.js';
import { runMain } from './cli.js';
import type { DovecotServer } from './dovecot.js';

export interface StartedProxy {
  proxy: ProxyServer;
  /** The folder the recordings go to. */
  dir: string;
  /** Every event shown, with the number of its connection. */
  events: Array<{ n: number; event: SessionEvent }>;
}

export interface ProxyLegs {
  protocol: 'imap' | 'pop3';
  /** The server's leg. */
  server: 'plain' | 'implicit' | 'starttls';
  /** The client's leg: plain (STARTTLS offered) or implicit TLS. */
  client: 'plain' | 'implicit';
  /** --no-compress. */
  noCompress?: boolean;
}

/** Starts a proxy to `dovecot`; the caller closes it (proxy.close()). */
export async function proxyToDovecot(dovecot: DovecotServer, legs: ProxyLegs): Promise<StartedProxy> {
  const { protocol, server, client } = legs;
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-proxy-'));
  const events: StartedProxy['events'] = [];
  const certs = testCerts();
  const port = protocol === 'imap' ? (server === 'implicit' ? dovecot.imapsPort : dovecot.imapPort) : server === 'implicit' ? dovecot.pop3sPort : dovecot.pop3Port;
  const tlsMode: TlsMode = server === 'plain' ? 'none' : server;
  const proxy = await startProxy({
    listen: { host: '127.0.0.1', port: 0, implicitTls: client === 'implicit' },
    certificate: { certFile: certs.serverCertFile, keyFile: certs.serverKeyFile },
    target: { protocol, host: '127.0.0.1', port, url: `${protocol}${server === 'implicit' ? 's' : ''}://127.0.0.1:${port}`, tlsMode, tls: { insecure: false, caPaths: [dovecot.caFile], servername: 'localhost' } },
    setup: { timeoutMs: 10_000, connect },
    recordDir: dir,
    insecure: false,
    followCompress: legs.noCompress !== true,
    limits: { maxConnections: 100, maxLineOctets: 65536, maxPendingOutputOctets: 64 * 1024 * 1024, maxIdleMs: 30 * 60_000, maxTimeBeforeLoginMs: 3 * 60_000 },
    view: (n, event) => void events.push({ n, event }),
    now: () => new Date(),
  });
  return { proxy, dir, events };
}

/**
 * A proxy with plain legs to a server on loopback `port` (an in-process fake or sandbox), with the
 * time limits a test sets and every event it shows kept; the caller closes it.
 */
export async function plainProxyTo(
  protocol: 'imap' | 'pop3',
  port: number,
  limits: { maxIdleMs: number; maxTimeBeforeLoginMs: number },
  recordDir: string,
): Promise<{ proxy: ProxyServer; events: SessionEvent[] }> {
  const events: SessionEvent[] = [];
  const proxy = await startProxy({
    listen: { host: '127.0.0.1', port: 0, implicitTls: false },
    certificate: null,
    target: { protocol, host: '127.0.0.1', port, url: `${protocol}://127.0.0.1:${port}`, tlsMode: 'none', tls: { insecure: false } },
    setup: { timeoutMs: 5000, connect },
    recordDir,
    insecure: false,
    limits: { maxConnections: 100, maxLineOctets: 65536, maxPendingOutputOctets: 64 * 1024 * 1024, ...limits },
    view: (_n, event) => void events.push(event),
    now: () => new Date(),
  });
  return { proxy, events };
}

/** The recordings in `dir`, in order of connection. */
export function recordingsIn(dir: string): string[] {
  const connection = (name: string): number => Number(/-(\d+)\.txt$/.exec(name)?.[1] ?? 0);
  return readdirSync(dir)
    .sort((a, b) => connection(a) - connection(b))
    .map((name) => join(dir, name));
}

/** Replays `file` against `fresh` (its IMAP or POP3 port, plain unless `extra` says otherwise) and expects PASS. */
export async function replayPasses(file: string, target: string, fresh: DovecotServer, password: string, extra: string[] = []): Promise<void> {
  const r = await runMain(['replay', file, '--target', target, '--ca', fresh.caFile, '--servername', 'localhost', ...extra], { vars: { MAILWIRE_PASSWORD: password } });
  expect(r.stdout + r.stderr, file).toMatch(/^PASS /);
  expect(r.code).toBe(0);
}

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));

/** `mailwire proxy` run as a process of its own, with a capped heap, its live view read through a pipe. */
export interface ProxyProcess {
  port: number;
  /** Octets of live view read so far. */
  viewed: () => number;
  stderr: () => string;
  /** Its peak resident set so far, KiB (VmHWM). */
  peakRssKiB: () => number;
  /** Stops it with SIGTERM; resolves with its exit code. */
  stop: () => Promise<number | null>;
}

/**
 * Starts `mailwire proxy` to imap://127.0.0.1:`targetPort` in a process whose V8 heap is capped at
 * `heapMiB`; resolves once it listens. `slowView`: the live view is read as a slow terminal would,
 * pausing after each chunk, so that the proxy must hold both legs back. Killed at the end of the
 * test whatever its assertions say: a proxy left running would outlive the test run.
 */
export async function startProxyProcess(targetPort: number, options: { heapMiB: number; record?: string; slowView?: boolean }): Promise<ProxyProcess> {
  const args = ['proxy', '--listen', 'imap://127.0.0.1:0', '--target', `imap://127.0.0.1:${targetPort}`, '--no-color'];
  if (options.record !== undefined) args.push('--record', options.record);
  const proc = spawn(process.execPath, [`--max-old-space-size=${options.heapMiB}`, BIN, ...args], { env: { PATH: process.env['PATH'] } });
  let viewed = 0;
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exit = new Promise<number | null>((resolve) => proc.on('close', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let head = '';
    proc.stdout.on('data', (c: Buffer) => {
      viewed += c.length;
      if (options.slowView) {
        proc.stdout.pause();
        setTimeout(() => proc.stdout.resume(), 2);
      }
      if (head.length < 4096) head += c.toString();
      const m = /^# proxy on imap:\/\/127\.0\.0\.1:(\d+) /m.exec(head);
      if (m) resolve(Number(m[1]));
    });
    proc.on('close', () => reject(new Error(`mailwire proxy exited early: ${stderr}`)));
  });
  onTestFinished(() => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
  });
  return {
    port,
    viewed: () => viewed,
    stderr: () => stderr,
    peakRssKiB: () => Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1]),
    stop: () => {
      proc.kill('SIGTERM');
      return exit;
    },
  };
}
