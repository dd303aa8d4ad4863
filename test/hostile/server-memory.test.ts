/**
 * mailwire's servers as separate processes, against hostile clients over real sockets: what they
 * hold is measured as the server process's peak resident set, never by time. A client that
 * pipelines FETCH 1:* BODY[] and never reads, or sends a literal of hundreds of megabytes, leaves
 * the server's memory bounded while other clients go on being served; and the defaults admit 200
 * clients at once on one address and one user (a class).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMeasuredServer, type MeasuredServer } from '../support/measured-server.js';

/** Node and mailwire's own code take ~60-80 MB; anything a client made the server hold comes on top. */
const SERVER_BOUND_KIB = 160 * 1024;
const MiB = 1024 * 1024;

let running: MeasuredServer[] = [];
afterEach(async () => {
  await Promise.all(running.map((s) => s.stop()));
  running = [];
});

async function server(argv: string[]): Promise<MeasuredServer> {
  const s = await startMeasuredServer(argv);
  running.push(s);
  return s;
}

async function stop(s: MeasuredServer): Promise<{ maxRssKiB: number; code: number | null }> {
  running = running.filter((r) => r !== s);
  return s.stop();
}

/** A line-reading client: waits for a line matching `until`, and can stop reading altogether. */
class Client {
  private buffer = '';
  private waiters: Array<() => void> = [];
  readonly socket: Socket;
  constructor(port: number) {
    this.socket = connect(port, '127.0.0.1');
    this.socket.on('error', () => undefined);
    this.socket.on('data', (c: Buffer) => {
      this.buffer += c.toString('latin1');
      // Only what a test waits for is worth keeping.
      if (this.buffer.length > 1_000_000) this.buffer = this.buffer.slice(-100_000);
      for (const w of this.waiters.splice(0)) w();
    });
  }
  async waitFor(pattern: RegExp): Promise<string> {
    for (;;) {
      const m = pattern.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return m[0];
      }
      await new Promise<void>((resolve, reject) => {
        this.waiters.push(resolve);
        this.socket.once('close', () => reject(new Error(`closed while waiting for ${pattern}; got ${this.buffer.slice(-300)}`)));
      });
    }
  }
  send(text: string | Buffer): void {
    this.socket.write(text);
  }
  close(): void {
    this.socket.destroy();
  }
}

describe('mailwire sandbox under hostile clients', () => {
  it('a client that pipelines FETCH 1:* BODY[] and never reads: the server stays bounded and serves another client', async () => {
    const s = await server(['sandbox', '--no-tls', '--listen', 'imap://127.0.0.1:0']);
    const port = s.ports.get('imap') as number;
    const hog = new Client(port);
    await hog.waitFor(/\* OK .*\r\n/);
    hog.send('a LOGIN joe password\r\n');
    await hog.waitFor(/a OK .*\r\n/);
    // A 4 MiB message makes each FETCH 1:* BODY[] 4 MiB of output: 100 of them would be 400 MiB.
    const message = `Subject: big\r\n\r\n${'x'.repeat(78)}\r\n`.repeat((4 * MiB) / 96);
    hog.send(`b APPEND INBOX {${message.length}+}\r\n${message}\r\n`);
    await hog.waitFor(/b OK .*\r\n/);
    hog.send('c SELECT INBOX\r\n');
    await hog.waitFor(/c OK .*\r\n/);
    hog.send('f FETCH 6 BODY.PEEK[]\r\n'.repeat(100));
    await hog.waitFor(/\* 6 FETCH/);
    hog.socket.pause();

    const other = new Client(port);
    await other.waitFor(/\* OK .*\r\n/);
    other.send('x LOGIN mrc secret\r\ny SELECT INBOX\r\nz LOGOUT\r\n');
    await other.waitFor(/z OK LOGOUT completed\r\n/);
    other.close();
    hog.close();
    const { maxRssKiB } = await stop(s);
    console.log(`peak resident set of the server: ${maxRssKiB} KiB`);
    expect(maxRssKiB).toBeLessThan(SERVER_BOUND_KIB);
  });

  it('200 clients at once on one address, all as joe: every one is served', async () => {
    const s = await server(['sandbox', '--no-tls', '--listen', 'imap://127.0.0.1:0']);
    const port = s.ports.get('imap') as number;
    const clients = Array.from({ length: 200 }, () => new Client(port));
    await Promise.all(clients.map((c) => c.waitFor(/\* OK .*\r\n/)));
    for (const c of clients) c.send('a LOGIN joe password\r\nb SELECT INBOX\r\nc FETCH 1:* (FLAGS UID)\r\nd LOGOUT\r\n');
    const done = await Promise.all(clients.map((c) => c.waitFor(/d OK LOGOUT completed\r\n/)));
    expect(done).toHaveLength(200);
    for (const c of clients) c.close();
  });

  it('one connection more than --max-connections is told the server is full; those before it are not', async () => {
    const s = await server(['sandbox', '--no-tls', '--listen', 'pop3://127.0.0.1:0', '--listen', 'imap://127.0.0.1:0', '--max-connections', '3']);
    const imap = s.ports.get('imap') as number;
    const pop3 = s.ports.get('pop3') as number;
    const first = [new Client(imap), new Client(pop3), new Client(imap)];
    await Promise.all(first.map((c) => c.waitFor(/^[*+]\s?OK.*\r\n/)));
    const full = new Client(imap);
    expect(await full.waitFor(/.*\r\n/)).toBe('* BYE [LIMIT] Too many connections; try again later\r\n');
    const fullPop = new Client(pop3);
    expect(await fullPop.waitFor(/.*\r\n/)).toBe('-ERR [SYS/TEMP] Too many connections; try again later\r\n');
    (first[0] as Client).send('a LOGOUT\r\n');
    await (first[0] as Client).waitFor(/a OK/);
    await new Promise<void>((resolve) => (first[0] as Client).socket.once('close', () => resolve()));
    // The server hears of the close a moment after the client: a new connection is admitted once it has.
    let greeting = '';
    const tried: Client[] = [];
    for (let attempt = 0; attempt < 200 && !greeting.startsWith('* OK'); attempt++) {
      const again = new Client(imap);
      tried.push(again);
      greeting = await again.waitFor(/.*\r\n/);
    }
    expect(greeting).toMatch(/^\* OK \[CAPABILITY/);
    for (const c of [...first, full, fullPop, ...tried]) c.close();
  });
});

describe('mailwire serve under hostile clients', () => {
  it('a client literal of 200 MiB is not kept: the server stays bounded and reports the mismatch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-serve-hostile-'));
    const file = join(dir, 'append.transcript');
    writeFileSync(file, ['# protocol: imap', 'S: * OK ready', 'C: a1 APPEND INBOX {5}', 'S: + Ready', 'C: hello', 'S: a1 OK APPEND completed', 'C: a2 LOGOUT', 'S: * BYE', 'S: a2 OK LOGOUT completed', ''].join('\n'));
    const s = await server(['serve', file, '--no-color']);
    const port = s.ports.get('imap') as number;
    const c = new Client(port);
    await c.waitFor(/\* OK ready\r\n/);
    const size = 200 * MiB;
    c.send(`a1 APPEND INBOX {${size}+}\r\n`);
    const piece = Buffer.alloc(MiB, 0x61);
    for (let sent = 0; sent < size; sent += piece.length) {
      if (!c.socket.write(piece)) await new Promise<void>((resolve) => c.socket.once('drain', () => resolve()));
    }
    c.send('\r\n');
    // The announced size differs from the transcript's: the command is refused, its literal dropped as it comes.
    expect(await c.waitFor(/a1 BAD .*\r\n/)).toMatch(/^a1 BAD mailwire serve: expected "C: a1 APPEND INBOX \{5\}"/);
    c.close();
    const { maxRssKiB } = await stop(s);
    console.log(`peak resident set of the server: ${maxRssKiB} KiB`);
    expect(maxRssKiB).toBeLessThan(SERVER_BOUND_KIB);
  });
});
