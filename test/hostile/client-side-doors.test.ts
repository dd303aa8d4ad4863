/**
 * The client against a hostile server, beyond framing (hostile-servers.test.ts): values nested
 * thousands deep, secrets and escapes that would leave by a side door (history, files the user made
 * before). Each case broke once; the test shows it stays fixed.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseImapLine } from '../../src/protocol/imap/values.js';
import { historyEntry } from '../../src/shell/history.js';
import { parseRawEscapes } from '../../src/shell/raw-escapes.js';
import { runMain } from '../support/cli.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fake(options: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(options);
  servers.push(s);
  return s;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-doors-'));

describe('values nested deeper than any real one', () => {
  it('a LIST reply with 5,000 nested "(" is shown as sent and the session goes on (exit 0)', async () => {
    const deep = `* LIST ${'('.repeat(5000)} "/" INBOX`;
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${deep}\r\n${tagOf(l)} OK done\r\n`) });
    const r = await runMain([server.url('imap'), '-c', 'LIST "" *', '-c', 'NOOP'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`S: ${deep}\nS: A001 OK done\n`);
    expect(r.stdout).toContain('S: A002 OK done\n');
  });

  it('the value parser refuses depth past its bound with a syntax error, not the stack', () => {
    expect(() => parseImapLine(`${'('.repeat(100_000)}`)).toThrow(/nested deeper than 256/);
    expect(() => parseImapLine(`BODY${'['.repeat(100_000)}`)).toThrow(/nested deeper than 256/);
    // Real values are far from the bound.
    expect(parseImapLine(`${'('.repeat(200)}x${')'.repeat(200)}`)).toHaveLength(1);
  });
});

describe('the history file keeps no password a raw send carried', () => {
  /** The octets a history entry would send again, as the shell's .raw reads them. */
  const resent = (entry: string | null) => (entry === null ? '' : parseRawEscapes(entry.replace(/^\s*\.raw\s+/i, '')).toString('latin1'));

  it.each([
    ['.raw a2 LOGIN joe hunter2\\r\\n'],
    ['.raw a1 NOOP\\r\\na2 LOGIN joe hunter2\\r\\n'],
    ['.raw a2 LOGIN joe\\x20hunter2\\r\\n'],
    ['.raw a2 LOGIN\\tjoe hunter2\\r\\n'],
    ['.RAW a2 LOGIN joe hunter2\\r\\n'],
    ['.raw a2 LOGIN joe {7}\\r\\nhunter2\\r\\n'],
    ['.raw a2 LOGIN joe "hunter2"\\r\\n'],
    ['.raw a2 AUTHENTICATE PLAIN AGpvZQBodW50ZXIy\\r\\n'],
  ])('IMAP %s', (typed) => {
    const entry = historyEntry('imap', typed, 'command');
    expect(entry).not.toContain('hunter2');
    expect(entry).not.toContain('AGpvZQBodW50ZXIy');
    expect(resent(entry)).not.toContain('hunter2');
  });

  it.each([['.raw PASS hunter2\\r\\n'], ['.raw USER joe\\r\\nPASS hunter2\\r\\n'], ['.raw PASS\\x20hunter2\\r\\n'], ['.raw APOP joe hunter2\\r\\n']])('POP3 %s', (typed) => {
    const entry = historyEntry('pop3', typed, 'command');
    expect(entry).not.toContain('hunter2');
    expect(resent(entry)).not.toContain('hunter2');
  });

  it('what holds no secret is kept so that it sends the same octets again', () => {
    for (const typed of ['.raw a1 NOOP\\r\\n', '.raw a1 SELECT "Entw\\xfcrfe"\\r\\n', '.raw a1 NOOP\\r\\na2 CAPABILITY\\r\\n', '.raw back\\\\slash\\t\\0']) {
      const entry = historyEntry('imap', typed, 'command');
      expect(resent(entry)).toBe(parseRawEscapes(typed.slice('.raw '.length)).toString('latin1'));
    }
  });
});

describe('a recording into a file that exists', () => {
  it('--record makes an existing 0644 file 0600, as a new one is', async () => {
    const server = await fake({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${tagOf(l)} OK done\r\n`) });
    const file = join(tmp(), 'old.txt');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const r = await runMain([server.url('imap'), '--record', file, '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
