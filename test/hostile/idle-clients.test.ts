/**
 * Clients that hold a connection without using it, over real sockets: a silent one, one that drips
 * a byte at a time, one that sends commands but never logs in. mailwire's servers take the slot back
 * with the goodbye the protocol defines (IMAP BYE, POP3 -ERR), and a client that goes on using its
 * connection keeps it. The limits are set to a second or two; what is asserted is what the client
 * got and that the connection closed, never how long it took.
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { CLOSE_GRACE_MS, listen } from '../../src/transport/server.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';

/** What a client got, and whether the server closed the connection before the client gave up. */
interface Talk {
  text: string;
  closedByServer: boolean;
}

/**
 * Connects, sends each piece `everyMs` apart (the first at once), and reads until the server closes
 * or `giveUpMs` passes (then the client closes, and the result says the server did not).
 */
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
