/**
 * mailwire proxy in front of a test Dovecot, for tests that put real clients through it: the proxy
 * listens on a free loopback port (plain or implicit TLS, with the test certificate), reaches the
 * server plain, with STARTTLS or implicit TLS, records each connection into a temp folder, and keeps
 * every event it shows with its connection's number. replayPasses() plays a recording against
 * another (fresh) Dovecot and expects PASS.
 */
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
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
    limits: { maxConnections: 100, maxLineOctets: 65536, maxPendingOutputOctets: 64 * 1024 * 1024 },
    view: (n, event) => void events.push({ n, event }),
    now: () => new Date(),
  });
  return { proxy, dir, events };
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
