/**
 * Replay sends the octets a transcript's client lines stand for, escapes turned back into octets:
 * `\x5c` a backslash (so that `\x5cx41` goes as the four characters `\x41`), `\x09` a TAB, `\xff` the
 * octet 0xff (not U+FFFD), in IMAP commands, in answers to a "+", and in POP3 commands. In-process
 * fakes: they show what arrived, octet for octet.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

const dir = mkdtempSync(join(tmpdir(), 'mailwire-replay-octets-'));
let server: FakeServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** Writes a transcript and replays it against the fake; returns the result. */
async function replay(name: string, lines: string[], target: string): Promise<Awaited<ReturnType<typeof runMain>>> {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return runMain(['replay', file, '--target', target]);
}

describe('replay sends what the transcript shows, octet for octet', () => {
  it('IMAP: a command and the answer to a "+"', async () => {
    let answering = false;
    server = await startFakeServer({
      greeting: '* OK ready',
      onLine: (line, conn) => {
        if (answering) conn.write('a1 OK done\r\n');
        else conn.write(/^a1 AUTHENTICATE/.test(line) ? '+\r\n' : `${tagOf(line)} OK done\r\n`);
        answering = /^a1 AUTHENTICATE/.test(line);
      },
    });
    const r = await replay('imap.txt', ['S: * OK ready', 'C: a1 AUTHENTICATE X-TEST', 'S: +', 'C: abc\\xff\\x5cx41', 'S: a1 OK done', 'C: a2 NOOP \\xff C:\\\\x5cx1b \\x09', 'S: a2 OK done'], server.url('imap'));
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
    expect(server.received).toEqual(['a1 AUTHENTICATE X-TEST', 'abc\xff\\x41', 'a2 NOOP \xff C:\\\\x1b \t']);
  });

  it('POP3: a command', async () => {
    server = await startFakeServer({
      greeting: '+OK ready',
      onLine: (line, conn) => {
        conn.write(line === 'QUIT' ? '+OK bye\r\n' : '+OK\r\n');
        if (line === 'QUIT') conn.socket.end();
      },
    });
    const r = await replay('pop3.txt', ['# protocol: pop3', 'S: +OK ready', 'C: NOOP C:\\x5cx41 \\x09 \\xff', 'S: +OK', 'C: QUIT', 'S: +OK bye'], server.url('pop3'));
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
    expect(server.received).toEqual(['NOOP C:\\x41 \t \xff', 'QUIT']);
  });
});
