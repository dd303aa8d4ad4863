/**
 * Clients that go on talking after mailwire's servers have said goodbye (an autologout at a time
 * limit): the close has a grace period in which the client may still send, and none of it may be
 * carried out, relayed or recorded. A POP3 QUIT after the -ERR must not reach UPDATE (nothing marked
 * for deletion is deleted), an IMAP EXPUNGE after the BYE must not expunge, and a proxy must not put
 * a QUIT in a recording that replay would then send to a real server. Limits of a second over
 * loopback sockets; what is asserted is what happened to the mail and the recordings.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { CLOSE_GRACE_MS } from '../../src/transport/server.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';
import { destroyAll, WireClient } from '../support/wire-client.js';
import { startOkServer } from '../support/ok-server.js';
import { plainProxyTo } from '../support/proxy-harness.js';

afterEach(() => destroyAll());

/** Long enough for the grace and the close after it; a server that holds on past it has failed. */
const WAIT_FOR_CLOSE_MS = CLOSE_GRACE_MS + 5000;

describe('the sandbox, after its autologout', () => {
  let sandbox: Sandbox | null = null;
  afterEach(async () => {
    await sandbox?.close();
    sandbox = null;
  });
  const start = async (): Promise<{ imap: number; pop3: number }> => {
    sandbox = await startSandbox({ listen: plainLoopbackListeners(), seed: exampleSeed(), version: 'test', limits: { maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 } });
    const port = (protocol: string): number => sandbox?.listeners.find((l) => l.spec.protocol === protocol)?.port as number;
    return { imap: port('imap'), pop3: port('pop3') };
  };

  it('POP3: DELE, the -ERR Autologout, then QUIT: the QUIT is not carried out and the message is still there', async () => {
    const { pop3 } = await start();
    const c = WireClient.plain(pop3);
    await c.until(/^\+OK /);
    c.send('USER joe\r\nPASS password\r\nDELE 1\r\n');
    await c.until(/message 1 deleted\r\n/);
    await c.until(/-ERR Autologout; idle for too long\r\n$/);
    c.send('QUIT\r\n');
    c.socket.end();
    expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(c.text).not.toMatch(/Autologout[^]*\+OK/);

    const again = WireClient.plain(pop3);
    await again.until(/^\+OK /);
    again.send('USER joe\r\nPASS password\r\n');
    await again.until(/\+OK joe's maildrop has 5 messages/);
  });

  it('POP3: DELE and QUIT held behind the command rate when the -ERR Autologout comes are not carried out', async () => {
    sandbox = await startSandbox({ listen: plainLoopbackListeners(), seed: exampleSeed(), version: 'test', limits: { maxIdleMs: 500, maxTimeBeforeLoginMs: 60_000, commandsPerSecondPerUser: 1 } });
    const pop3 = sandbox.listeners.find((l) => l.spec.protocol === 'pop3')?.port as number;
    const c = WireClient.plain(pop3);
    await c.until(/^\+OK /);
    c.send('USER joe\r\nPASS password\r\n');
    await c.until(/maildrop has 5 messages/);
    // One command a second after a burst of two: the session holds the QUIT, read and not yet run,
    // past the idle limit (which counts from when it was read).
    c.send('DELE 1\r\nNOOP\r\nQUIT\r\n');
    await c.until(/-ERR Autologout; idle for too long\r\n$/);
    // The session's next turn, with the QUIT, would come after the goodbye, within the close's grace.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);

    const again = WireClient.plain(pop3);
    await again.until(/^\+OK /);
    again.send('USER joe\r\nPASS password\r\n');
    await again.until(/\+OK joe's maildrop has 5 messages/);
  });

  it('IMAP: STORE \\Deleted and EXPUNGE after the BYE are not carried out', async () => {
    const { imap } = await start();
    const c = WireClient.plain(imap);
    await c.until(/^\* OK /);
    c.send('a1 LOGIN joe password\r\na2 SELECT INBOX\r\n');
    await c.until(/a2 OK /);
    const exists = /\* (\d+) EXISTS/.exec(c.text)?.[1];
    await c.until(/\* BYE Autologout; idle for too long\r\n$/);
    c.send('a3 STORE 1:* +FLAGS (\\Deleted)\r\na4 EXPUNGE\r\n');
    c.socket.end();
    expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
    expect(c.text).not.toContain('a3 ');

    const again = WireClient.plain(imap);
    await again.until(/^\* OK /);
    again.send('b1 LOGIN joe password\r\nb2 SELECT INBOX\r\nb3 LOGOUT\r\n');
    await again.until(/b3 OK /);
    expect(/\* (\d+) EXISTS/.exec(again.text)?.[1]).toBe(exists);
    expect(again.text).not.toContain('\\Deleted)');
  });
});

describe('the proxy, after its autologout', () => {
  const proxyTo = async (protocol: 'imap' | 'pop3', port: number, recordDir: string) =>
    (await plainProxyTo(protocol, port, { maxIdleMs: 1000, maxTimeBeforeLoginMs: 60_000 }, recordDir)).proxy;

  it('POP3: a QUIT after the -ERR Autologout is neither relayed nor recorded', async () => {
    const server = await startOkServer('pop3');
    const proxy = await proxyTo('pop3', server.port, mkdtempSync(join(tmpdir(), 'mailwire-goodbye-')));
    try {
      const c = WireClient.plain(proxy.port);
      await c.until(/^\+OK fake ready\r\n/);
      c.send('USER joe\r\nPASS secret\r\nDELE 1\r\n');
      await c.until(/-ERR Autologout; idle for too long\r\n$/);
      c.send('QUIT\r\n');
      c.socket.end();
      expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
      await proxy.idle();
      expect(server.lines).toEqual(['USER joe', 'PASS secret', 'DELE 1']);
      const recording = readFileSync(proxy.recordings[0] as string, 'utf8');
      expect(recording).toContain('C: DELE 1\n');
      expect(recording).not.toContain('QUIT');
    } finally {
      await proxy.close();
      await server.close();
    }
  });

  it('IMAP: lines and a literal sent after the BYE are not recorded', async () => {
    const server = await startOkServer('imap');
    const proxy = await proxyTo('imap', server.port, mkdtempSync(join(tmpdir(), 'mailwire-goodbye-')));
    try {
      const c = WireClient.plain(proxy.port);
      await c.until(/^\* OK fake ready\r\n/);
      c.send('a1 LOGIN joe secret\r\n');
      await c.until(/\* BYE Autologout; idle for too long\r\n$/);
      c.send('a2 APPEND INBOX {11+}\r\nhello world\r\na3 LOGOUT\r\n');
      c.socket.end();
      expect(await c.serverCloses(WAIT_FOR_CLOSE_MS)).toBe(true);
      await proxy.idle();
      expect(server.lines).toEqual(['a1 LOGIN joe secret']);
      const recording = readFileSync(proxy.recordings[0] as string, 'utf8');
      expect(recording).toContain('C: a1 LOGIN joe <secret>\n');
      expect(recording).not.toMatch(/a2|hello|a3/);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
