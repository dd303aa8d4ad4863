/**
 * mailwire's servers as separate processes, against hostile clients over real sockets: what they
 * hold is measured as the server process's peak resident set, never by time. A client that
 * pipelines FETCH 1:* BODY[] and never reads, or sends a literal of hundreds of megabytes, leaves
 * the server's memory bounded while other clients go on being served; and the defaults admit 200
 * clients at once on one address and one user (a class).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startMeasuredServer, type MeasuredServer } from '../support/measured-server.js';
import { PatternClient } from '../support/pattern-client.js';

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

describe('mailwire sandbox under hostile clients', () => {
  it('a client that pipelines FETCH 1:* BODY[] and never reads: the server stays bounded and serves another client', async () => {
    const s = await server(['sandbox', '--no-tls', '--listen', 'imap://127.0.0.1:0']);
    const port = s.ports.get('imap') as number;
    const hog = new PatternClient(port);
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

    const other = new PatternClient(port);
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
    const clients = Array.from({ length: 200 }, () => new PatternClient(port));
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
    const first = [new PatternClient(imap), new PatternClient(pop3), new PatternClient(imap)];
    await Promise.all(first.map((c) => c.waitFor(/^[*+]\s?OK.*\r\n/)));
    const full = new PatternClient(imap);
    expect(await full.waitFor(/.*\r\n/)).toBe('* BYE [LIMIT] Too many connections; try again later\r\n');
    const fullPop = new PatternClient(pop3);
    expect(await fullPop.waitFor(/.*\r\n/)).toBe('-ERR [SYS/TEMP] Too many connections; try again later\r\n');
    (first[0] as PatternClient).send('a LOGOUT\r\n');
    await (first[0] as PatternClient).waitFor(/a OK/);
    await new Promise<void>((resolve) => (first[0] as PatternClient).socket.once('close', () => resolve()));
    // The server hears of the close a moment after the client: a new connection is admitted once it has.
    let greeting = '';
    const tried: PatternClient[] = [];
    for (let attempt = 0; attempt < 200 && !greeting.startsWith('* OK'); attempt++) {
      const again = new PatternClient(imap);
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
    const c = new PatternClient(port);
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
