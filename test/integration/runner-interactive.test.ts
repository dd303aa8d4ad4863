/**
 * The runner's interactive use (what the shell drives) against in-process fake servers, which show
 * exactly what reached the wire and when: commands pipelined as typed, nothing sent while a
 * synchronizing literal waits for "+", SASL responses held until the challenge, raw sends matched to
 * their completions, and a polite end that ends IDLE before LOGOUT.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MailwireError } from '../../src/errors.js';
import type { SessionEvent } from '../../src/session/events.js';
import { SessionRunner } from '../../src/session/runner.js';
import { connect } from '../../src/transport/connection.js';
import { startFakeServer, tagOf, type FakeConnection, type FakeServer } from '../support/fake-server.js';

let servers: FakeServer[] = [];
let runners: SessionRunner[] = [];
afterEach(async () => {
  for (const r of runners) r.destroy();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  runners = [];
});

/** `show` stands in for the terminal and the recording: by default it keeps every event. */
async function session(
  protocol: 'imap' | 'pop3',
  greeting: string,
  onLine: (line: string, conn: FakeConnection) => void,
  secret: string | null = 'pw',
  show?: (event: SessionEvent) => boolean,
) {
  const server = await startFakeServer({ greeting, onLine });
  servers.push(server);
  const events: SessionEvent[] = [];
  const runner = new SessionRunner({
    protocol,
    host: '127.0.0.1',
    port: server.port,
    url: server.url(protocol),
    tlsMode: 'none',
    tls: { insecure: false },
    timeoutMs: 5000,
    connect,
    show:
      show ??
      ((e) => {
        events.push(e);
        return true;
      }),
    onOutputDrain: () => undefined,
    getSecret: async () => secret,
    now: () => performance.now(),
  });
  runners.push(runner);
  await runner.open();
  return { server, runner, events };
}

/** Waits until `check` holds, checking whenever the event loop turns; fails after a generous deadline. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const text = (events: SessionEvent[]) =>
  events
    .map((e) => (e.kind === 'client-line' ? `C: ${e.text}` : e.kind === 'imap-segment' ? `S: ${e.bytes.toString()}` : e.kind === 'notice' ? `# ${e.text}` : ''))
    .filter((l) => l !== '');

describe('interactive IMAP', () => {
  it('sends commands as typed, without waiting for completions (RFC 3501 §5.5 pipelining)', async () => {
    const pending: string[] = [];
    const { server, runner, events } = await session('imap', '* OK ready', (line) => pending.push(tagOf(line)));
    await runner.sendTyped(Buffer.from('NOOP'));
    await runner.sendTyped(Buffer.from('CAPABILITY'));
    await until(() => server.received.length === 2, 'both commands on the wire');
    expect(server.received).toEqual(['A001 NOOP', 'A002 CAPABILITY']);
    expect(runner.waitingCommands().map((w) => `${w.tag} ${w.name}`)).toEqual(['A001 NOOP', 'A002 CAPABILITY']);
    expect(text(events)).toEqual(['S: * OK ready', 'C: A001 NOOP', 'C: A002 CAPABILITY']);
  });

  it('sends nothing else while a synchronizing literal waits for the server\'s "+" (RFC 3501 §7.5)', async () => {
    let conn: FakeConnection | null = null;
    const { server, runner } = await session('imap', '* OK ready', (line, c) => {
      conn = c;
      if (line === 'hello') c.write('A001 OK APPEND completed\r\n');
      else if (/^A002 /.test(line)) c.write('A002 OK NOOP completed\r\n');
    });
    const append = runner.sendTyped({ segments: [Buffer.from('APPEND INBOX {5}'), Buffer.from('')], literals: [{ marker: { size: 5, binary: false, nonSynchronizing: false }, data: Buffer.from('hello') }] });
    await append;
    expect(runner.sendBlocker()).toBe('the server\'s "+" for a literal');
    const noop = runner.sendTyped(Buffer.from('NOOP'));
    await until(() => server.received.length === 1, 'the APPEND line');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received).toEqual(['A001 APPEND INBOX {5}']);
    (conn as unknown as FakeConnection).write('+ go ahead\r\n');
    await noop;
    await until(() => server.received.length === 3, 'literal and NOOP');
    expect(server.received).toEqual(['A001 APPEND INBOX {5}', 'hello', 'A002 NOOP']);
  });

  it('holds a line typed after AUTHENTICATE (a mechanism mailwire does not run) until the challenge, then sends it as the (masked) response', async () => {
    let conn: FakeConnection | null = null;
    const { server, runner, events } = await session('imap', '* OK ready', (line, c) => {
      conn = c;
      if (line === 'AGpvZQBwYXNz') c.write('A001 OK done\r\n');
    });
    await runner.sendTyped(Buffer.from('AUTHENTICATE X-PRIVATE'));
    const response = runner.sendTyped(Buffer.from('AGpvZQBwYXNz'));
    await until(() => server.received.length === 1, 'AUTHENTICATE');
    expect(runner.sendBlocker()).toBe('A001 AUTHENTICATE to finish');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received).toEqual(['A001 AUTHENTICATE X-PRIVATE']);
    (conn as unknown as FakeConnection).write('+ \r\n');
    await response;
    await until(() => runner.waitingCommands().length === 0, 'completion');
    expect(server.received).toEqual(['A001 AUTHENTICATE X-PRIVATE', 'AGpvZQBwYXNz']);
    expect(text(events)).toContain('C: <secret>');
  });

  it('asks for LOGIN\'s password, and reports a refused prompt as an input error without sending', async () => {
    const { server, runner, events } = await session('imap', '* OK ready', () => undefined, null);
    await expect(runner.sendTyped(Buffer.from('LOGIN joe'))).rejects.toThrow(MailwireError);
    await runner.sendTyped(Buffer.from('NOOP'));
    await until(() => server.received.length === 1, 'NOOP');
    expect(server.received).toEqual(['A001 NOOP']);
    expect(text(events)).not.toContain('LOGIN');
  });

  it('matches the completion of a raw tagged command to it, and shows the raw line masked', async () => {
    const { runner, events } = await session('imap', '* OK ready', (line, c) => c.write(`${tagOf(line)} OK fine\r\n`));
    runner.sendRaw(Buffer.from('r1 LOGIN joe secret\r\nr2 NOOP'));
    await until(() => events.some((e) => e.kind === 'imap-segment' && e.bytes.toString() === 'r1 OK fine'), 'r1 completion');
    const shown = text(events);
    expect(shown).toContain('C: r1 LOGIN joe <secret>');
    expect(shown).toContain('C: r2 NOOP');
    expect(shown).toContain('# raw send ended without CRLF: the server is still reading that line');
    expect(shown.some((l) => /no command in progress/.test(l))).toBe(false);
    const completion = events.find((e) => e.kind === 'imap-segment' && e.bytes.toString() === 'r1 OK fine');
    expect(completion).toMatchObject({ latencyMs: expect.any(Number) });
  });

  it('ends politely: DONE for a running IDLE, then LOGOUT, then the close', async () => {
    const { server, runner } = await session('imap', '* OK ready', (line, c) => {
      if (/^A001 IDLE$/.test(line)) c.write('+ idling\r\n');
      if (line === 'DONE') c.write('A001 OK IDLE terminated\r\n');
      if (/^A002 LOGOUT$/.test(line)) {
        c.write('* BYE bye\r\nA002 OK LOGOUT completed\r\n');
        c.socket.end();
      }
    });
    await runner.sendTyped(Buffer.from('IDLE'));
    await until(() => runner.session.awaitingContinuationResponse, '+ idling');
    await runner.finish();
    await runner.whenClosed();
    expect(server.received).toEqual(['A001 IDLE', 'DONE', 'A002 LOGOUT']);
    expect(runner.error).toBeNull();
    await expect(runner.sendTyped(Buffer.from('NOOP'))).rejects.toThrow(MailwireError);
  });
});

describe('interactive POP3', () => {
  it('sends one command at a time: the next waits for the reply (RFC 1939 has no pipelining)', async () => {
    let conn: FakeConnection | null = null;
    const { server, runner } = await session('pop3', '+OK ready <1.2@x>', (_line, c) => {
      conn = c;
    });
    await runner.sendTyped(Buffer.from('STAT'));
    const second = runner.sendTyped(Buffer.from('NOOP'));
    await until(() => server.received.length === 1, 'STAT');
    await new Promise((r) => setTimeout(r, 50));
    expect(server.received).toEqual(['STAT']);
    expect(runner.sendBlocker()).toBe('the reply to STAT');
    (conn as unknown as FakeConnection).write('+OK 0 0\r\n');
    await second;
    await until(() => server.received.length === 2, 'NOOP');
    expect(server.received).toEqual(['STAT', 'NOOP']);
  });

  it('computes APOP from the greeting with the secret asked for, and frames a raw LIST as multi-line', async () => {
    const { server, runner, events } = await session('pop3', '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>', (line, c) => {
      if (line.startsWith('APOP')) c.write('+OK maildrop has 1 message\r\n');
      if (line === 'LIST') c.write('+OK 1 messages\r\n1 120\r\n.\r\n');
    }, 'tanstaaf');
    await runner.sendTyped(Buffer.from('APOP mrose'));
    await until(() => runner.session.state === 'transaction', 'login');
    expect(server.received).toEqual(['APOP mrose c4c9334bac560ecc979e58001b3e22fb']);
    runner.sendRaw(Buffer.from('LIST\r\n'));
    await until(() => events.some((e) => e.kind === 'pop3-end'), 'end of LIST');
    expect(events.filter((e) => e.kind === 'pop3-body-line').map((e) => (e as { bytes: Buffer }).bytes.toString())).toEqual(['1 120']);
  });
});

describe('a failure to show', () => {
  it('ends the session as mailwire\'s own error (a --record file that takes no more), not as a bug out of a socket handler', async () => {
    let shown = 0;
    const full = new MailwireError('file', 'cannot write transcript t.txt: no space left on the device');
    // The greeting shows; the first line the server sends after a command does not.
    const { server, runner } = await session('imap', '* OK ready', (line, conn) => conn.write(`* 1 EXISTS\r\n${tagOf(line)} OK done\r\n`), null, (e) => {
      if (e.kind === 'imap-segment' && ++shown > 1) throw full;
      return true;
    });
    const lines = [Buffer.from('NOOP'), Buffer.from('NOOP')];
    await expect(runner.runScript({ next: async () => lines.shift() ?? null })).rejects.toBe(full);
    // Nothing more was sent once the show failed: the connection was given up.
    expect(server.received).toEqual(['A001 NOOP']);
    await until(() => runner.isClosed, 'the connection closed');
  });
});
