/**
 * Clients that hold a connection without using it, over real sockets: a silent one, one that drips
 * a byte at a time, one that sends commands but never logs in. mailwire's servers take the slot back
 * with the goodbye the protocol defines (IMAP BYE, POP3 -ERR), and a client that goes on using its
 * connection keeps it. The limits are set to a second or two; what is asserted is what the client
 * got and that the connection closed, never how long it took.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { parseTranscript } from '../../src/transcript/format.js';
import type { ServeReport } from '../../src/transcript/serve.js';
import { MAX_REPORTS_SHOWN, serveConnection, type ServedConnection } from '../../src/transcript/serve-runner.js';
import { CLOSE_GRACE_MS, listen, type Listener } from '../../src/transport/server.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';
import { startOkServer } from '../support/ok-server.js';
import { plainProxyTo } from '../support/proxy-harness.js';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/', import.meta.url));

/** What a client got, and whether the server closed the connection before the client gave up. */
interface Talk {
  text: string;
  closedByServer: boolean;
}

/**
 * Connects, sends each piece `everyMs` apart (the first at once), and reads until the server closes
 * or `giveUpMs` passes (then the client closes, and the result says the server did not).
 */
/** `mailwire serve FILE --once` with the arguments given: its port once it listens, its output so far, its exit. */
async function serveOnce(args: readonly string[]): Promise<{ port: number; out(): string; exited: Promise<number | null>; child: ReturnType<typeof spawn> }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--once', '--no-color'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /# serving .* on imap:\/\/127\.0\.0\.1:(\d+) for one connection\n/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', () => reject(new Error(`serve exited early: ${out}`)));
  });
  return { port, out: () => out, exited, child };
}

function talk(port: number, pieces: readonly string[], everyMs: number, giveUpMs = 10_000): Promise<Talk> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let i = 0;
    const timers: NodeJS.Timeout[] = [];
    const finish = (closedByServer: boolean): void => {
      for (const t of timers) clearTimeout(t);
      socket.destroy();
      resolve({ text, closedByServer });
    };
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.once('connect', () => {
      const next = (): void => {
        if (i >= pieces.length || socket.destroyed) return;
        socket.write(pieces[i++] as string);
        timers.push(setTimeout(next, everyMs));
      };
      next();
    });
    timers.push(setTimeout(() => finish(false), giveUpMs));
  });
}

describe('the server transport', () => {
  it('a connection the server closes is let go though the client never closes its side', async () => {
    let serverClosed: () => void = () => undefined;
    const closed = new Promise<'let go'>((resolve) => (serverClosed = () => resolve('let go')));
    const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
      conn.onClose(serverClosed);
      conn.write(Buffer.from('* BYE go away\r\n'));
      conn.close();
    });
    // allowHalfOpen: the client's side stays open after the server's FIN, as a hostile client keeps it.
    const socket = connect({ port: listener.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    try {
      const held = new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), CLOSE_GRACE_MS + 10_000).unref());
      expect(await Promise.race([closed, held])).toBe('let go');
      expect(text).toBe('* BYE go away\r\n');
    } finally {
      socket.destroy();
      await listener.close();
    }
  });
});

describe('the sandbox', () => {
  let sandbox: Sandbox | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
  const start = async (limits: { maxIdleMs: number; maxTimeBeforeLoginMs: number }): Promise<{ imap: number; pop3: number }> => {
    sandbox = await startSandbox({ listen: plainLoopbackListeners(), seed: exampleSeed(), version: 'test', limits });
    const port = (protocol: string): number => sandbox?.listeners.find((l) => l.spec.protocol === protocol)?.port as number;
    return { imap: port('imap'), pop3: port('pop3') };
  };

  it('a silent IMAP client that never logs in gets "* BYE Autologout" and is closed', async () => {
    const { imap } = await start({ maxIdleMs: 60_000, maxTimeBeforeLoginMs: 1000 });
    const r = await talk(imap, [], 0);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toMatch(/^\* OK .*\r\n\* BYE Autologout; took too long to log in\r\n$/);
  });

  it('commands before login do not keep the connection: the time to log in runs from connecting', async () => {
    const { imap } = await start({ maxIdleMs: 60_000, maxTimeBeforeLoginMs: 1000 });
    const r = await talk(imap, Array.from({ length: 40 }, (_, i) => `a${i} NOOP\r\n`), 200);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toContain('a0 OK NOOP completed');
    expect(r.text).toMatch(/\* BYE Autologout; took too long to log in\r\n$/);
  });

  it('a logged-in client dripping a command a byte at a time is idle: BYE, closed', async () => {
    const { imap } = await start({ maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 });
    const drip = [...'a2 NOOP and more and more and more and more\r\n'];
    const r = await talk(imap, ['a1 LOGIN joe password\r\n', ...drip], 150);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toContain('a1 OK LOGIN completed');
    expect(r.text).not.toContain('a2 ');
    expect(r.text).toMatch(/\* BYE Autologout; idle for too long\r\n$/);
  });

  it('a partial literal does not count as use either', async () => {
    const { imap } = await start({ maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 });
    const r = await talk(imap, ['a1 LOGIN joe password\r\n', 'a2 APPEND INBOX {400+}\r\n', ...Array.from({ length: 60 }, () => 'xxxxx')], 150);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toMatch(/\* BYE Autologout; idle for too long\r\n$/);
  });

  it('a client that sends complete commands keeps its connection past the limit', async () => {
    const { imap } = await start({ maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 });
    const r = await talk(imap, ['a1 LOGIN joe password\r\n', ...Array.from({ length: 12 }, (_, i) => `n${i} NOOP\r\n`), 'z LOGOUT\r\n'], 250);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toContain('n11 OK NOOP completed');
    expect(r.text).toMatch(/\* BYE .*\r\nz OK LOGOUT completed\r\n$/);
    expect(r.text).not.toContain('Autologout');
  });

  it('POP3: a silent client gets -ERR, and a logged-in one idle too long as well', async () => {
    const { pop3 } = await start({ maxIdleMs: 1000, maxTimeBeforeLoginMs: 1000 });
    const silent = await talk(pop3, [], 0);
    expect(silent.closedByServer).toBe(true);
    expect(silent.text).toMatch(/^\+OK .*\r\n-ERR Autologout; took too long to log in\r\n$/);
    const idle = await talk(pop3, ['USER joe\r\n', 'PASS password\r\n', 'DELE 1\r\n'], 100);
    expect(idle.closedByServer).toBe(true);
    expect(idle.text).toMatch(/\+OK message 1 deleted\r\n-ERR Autologout; idle for too long\r\n$/);
    // RFC 1939 §6: no QUIT, no UPDATE state: message 1 is still there.
    const again = await talk(pop3, ['USER joe\r\n', 'PASS password\r\n', 'STAT\r\n', 'QUIT\r\n'], 100);
    expect(again.text).toContain("+OK joe's maildrop has 5 messages");
  });
});

describe('serve', () => {
  const open: Listener[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close()));
  });

  async function serve(path: string, maxIdleMs: number): Promise<{ port: number; reports: ServeReport[]; served: Promise<ServedConnection> }> {
    const transcript = parseTranscript(readFileSync(path, 'utf8'));
    const reports: ServeReport[] = [];
    let done: (s: ServedConnection) => void = () => undefined;
    const served = new Promise<ServedConnection>((resolve) => (done = resolve));
    const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
      void serveConnection(conn, transcript, { protocol: 'imap', clock: () => new Date(), now: () => performance.now(), maxIdleMs, onReport: (r) => reports.push(r) }).then(done);
    });
    open.push(listener);
    return { port: listener.port, reports, served };
  }

  it('a client that sends half a command and stops fails, and is told why', async () => {
    const s = await serve(`${FIXTURES}imap/rfc3501-6.2.3-login.txt`, 1000);
    const r = await talk(s.port, ['a001 LOGIN SM'], 0);
    expect(r.closedByServer).toBe(true);
    expect(r.text).toMatch(/\* BYE Autologout; idle for too long \(mailwire serve: 1 s; the transcript waits at line 4\)\r\n$/);
    const served = await s.served;
    expect(served.passed).toBe(false);
    expect(s.reports.at(-1)?.message).toBe('the client sent no complete line for 1 s (--max-idle); the transcript waits at line 4');
  });

  it('a client pipelining thousands of stray lines gets a bounded report, with what was left out counted', async () => {
    const s = await serve(`${FIXTURES}imap/rfc3501-6.2.3-login.txt`, 60_000);
    await talk(s.port, ['x BOGUS\r\n'.repeat(5000), 'y LOGOUT\r\n'], 300, 3000);
    const served = await s.served;
    expect(served.mismatches).toBeGreaterThan(MAX_REPORTS_SHOWN);
    expect(s.reports.filter((r) => r.kind === 'mismatch').length).toBeLessThanOrEqual(MAX_REPORTS_SHOWN + 1);
    expect(served.reportsLeftOut).toBeGreaterThan(0);
  });

  it('serve --once with a client that never speaks: FAIL, exit 1', async () => {
    const serve = await serveOnce([`${FIXTURES}imap/rfc3501-6.2.3-login.txt`, '--max-idle', '1']);
    try {
      const r = await talk(serve.port, [], 0);
      expect(r.closedByServer).toBe(true);
      expect(await serve.exited).toBe(1);
      const out = serve.out();
      expect(out).toContain('the client sent no complete line for 1 s (--max-idle); the transcript waits at line 4');
      expect(out).toMatch(/\nFAIL connection 1 from 127\.0\.0\.1:\d+ /);
    } finally {
      serve.child.kill();
    }
  });

  it('serve --once: one client pipelining 5000 stray lines makes a report of a few KiB, not megabytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-idle-'));
    const file = join(dir, 'noop.txt');
    writeFileSync(file, '# protocol: imap\nS: * OK ready\nC: a1 LOGOUT\nS: * BYE bye\nS: a1 OK done\n');
    const serve = await serveOnce([file]);
    try {
      await talk(serve.port, ['x BOGUS\r\n'.repeat(5000), 'a1 LOGOUT\r\n'], 300);
      expect(await serve.exited).toBe(1);
      const out = serve.out();
      expect(out).toMatch(/# connection 1: \d+ more reports left out \(the first 20 mismatches and notes are shown\)\n/);
      expect(out).toMatch(/FAIL connection 1 from .*5000 client lines did not match/);
      expect(out.length).toBeLessThan(32 * 1024);
    } finally {
      serve.child.kill();
    }
  });
});

describe('the proxy', () => {
  it('IMAP: a client that does not log in in time gets BYE; the server leg is closed, the live view says why', async () => {
    const server = await startOkServer('imap');
    const { proxy, events } = await plainProxyTo('imap', server.port, { maxIdleMs: 60_000, maxTimeBeforeLoginMs: 1000 }, mkdtempSync(join(tmpdir(), 'mailwire-idle-')));
    try {
      const r = await talk(proxy.port, ['a1 NOOP\r\n', 'a2 NOOP\r\n', 'a3 NOOP\r\n', 'a4 NOOP\r\n', 'a5 NOOP\r\n', 'a6 NOOP\r\n'], 300);
      expect(r.closedByServer).toBe(true);
      expect(r.text).toMatch(/^\* OK fake ready\r\na1 OK done\r\n(?:a\d OK done\r\n)*\* BYE Autologout; took too long to log in\r\n$/);
      await server.closed;
      await proxy.idle();
      expect(events.at(-1)).toEqual({ kind: 'closed', reason: 'closed by the proxy: the client did not log in within 1 s (--max-time-before-login)' });
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('POP3: a logged-in client idle too long gets -ERR; both legs close; what was recorded is kept', async () => {
    const server = await startOkServer('pop3');
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-idle-'));
    const { proxy, events } = await plainProxyTo('pop3', server.port, { maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 }, dir);
    try {
      const r = await talk(proxy.port, ['USER joe\r\n', 'PASS secret\r\n', 'STA'], 100);
      expect(r.closedByServer).toBe(true);
      expect(r.text).toBe('+OK fake ready\r\n+OK done\r\n+OK done\r\n-ERR Autologout; idle for too long\r\n');
      await server.closed;
      await proxy.idle();
      expect(events.at(-1)).toEqual({ kind: 'closed', reason: 'closed by the proxy: the client sent no complete command for 1 s (--max-idle)' });
      const recording = readFileSync(proxy.recordings[0] as string, 'utf8');
      expect(recording).toContain('C: USER joe\n');
      expect(recording).toContain('C: PASS <secret>\nS: +OK done\n');
      expect(recording).toContain('# connection closed: closed by the proxy: the client sent no complete command for 1 s (--max-idle)\n');
      // The goodbye is the proxy's own: the recording holds what passed between client and server.
      expect(recording).not.toContain('Autologout');
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
