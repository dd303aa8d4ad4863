/**
 * Transcript files are untrusted input: a colleague's, a bug report's, a repository's. For each case
 * that once broke, replay and lint answer with a finding or a documented exit code, never an internal
 * error, and do work bounded by the file's size.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseTranscript } from '../../src/transcript/format.js';
import { lintTranscript } from '../../src/transcript/lint.js';
import { runMain } from '../support/cli.js';
import { runMeasured } from '../support/measured-run.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-transcripts-'));

function file(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

describe('lint never fails inside', () => {
  it('a UID FETCH of 500 UIDs (and 5,000) is checked, no error', () => {
    for (const n of [500, 5000]) {
      const uids = Array.from({ length: n }, (_, i) => i * 2 + 1).join(',');
      const findings = lintTranscript(parseTranscript(`# protocol: imap\nC: a1 UID FETCH ${uids} (FLAGS)\nS: a1 OK done\n`));
      expect(findings).toEqual([]);
    }
    const bad = lintTranscript(parseTranscript(`# protocol: imap\nC: a1 UID FETCH 1,2,,3 (FLAGS)\nS: a1 OK done\n`));
    expect(bad.map((f) => `${f.lineNo}:${f.severity}:${f.rule}`)).toEqual(['2:error:grammar']);
  });

  it('commands and responses nested thousands deep: a note that the line was not checked', async () => {
    const path = file(
      'deep.txt',
      [
        '# protocol: imap',
        `C: a1 SEARCH ${'NOT '.repeat(5000)}ALL`,
        'S: a1 OK done',
        `C: a2 SEARCH ${'('.repeat(5000)}ALL${')'.repeat(5000)}`,
        `S: * STATUS x (${'('.repeat(5000)})`,
        'S: a2 OK done',
        '',
      ].join('\n'),
    );
    const r = await runMain(['lint', path]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${path}:2: note [grammar] not checked against the formal syntax: nested more than 400 rules deep`);
    expect(r.stdout).toContain(`${path}:4: note [grammar] not checked against the formal syntax: nested more than 400 rules deep`);
    expect(r.stdout).toMatch(new RegExp(`${path.replace(/[.]/g, '\\.')}:5: (error|note) \\[grammar\\]`));
  });
});

describe('replay of what is no transcript', () => {
  it.each([
    ['an empty file', ''],
    ['a plain text', 'Dear colleague,\nplease find the session below.\n\nRegards\n'],
    ['random bytes', randomBytes(64 * 1024)],
    ['comments only', '# mailwire transcript v1\n# protocol: imap\n# target: imap://127.0.0.1:1\n'],
  ])('%s: an invalid transcript (exit 9), not a pass', async (_name, content) => {
    const path = file('t.txt', content);
    const r = await runMain(['replay', path, '--target', 'imap://127.0.0.1:1']);
    expect(r.code).toBe(9);
    expect(r.stdout).toContain(`${path} is not a transcript: it has no "C:" or "S:" line`);
    expect(r.stdout).toMatch(/0 passed, 1 failed \(1 could not run\)\n$/);
  });
});

describe('a transcript cannot steal a password', () => {
  /** A server that takes any LOGIN; what it received tells where the password went. */
  async function loginServer(): Promise<FakeServer> {
    const s = await startFakeServer({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${tagOf(l)} OK done\r\n`) });
    servers.push(s);
    return s;
  }
  const transcript = (server: FakeServer, secretLine = '# secret: joe') =>
    file('t.txt', `# mailwire transcript v1\n# protocol: imap\n# target: ${server.url('imap')}\n${secretLine}\nS: * OK ready\nC: a1 LOGIN joe <secret>\nS: a1 OK done\n`);
  const sent = (server: FakeServer) => server.received.join('\n');

  it('MAILWIRE_PASSWORD does not go to the "# target:" of the file: refused (exit 9), saying how', async () => {
    const server = await loginServer();
    const path = transcript(server);
    const r = await runMain(['replay', path], { vars: { MAILWIRE_PASSWORD: 'hunter2' } });
    expect(r.code).toBe(9);
    expect(sent(server)).not.toContain('hunter2');
    expect(r.stdout).toContain(`${path} names its own target, ${server.url('imap')}: mailwire sends your secret only to a server you chose; give --target ${server.url('imap')}, or trust the host with --trust-host 127.0.0.1 (or MAILWIRE_TRUSTED_HOSTS)`);
    const token = await runMain(['replay', path], { vars: { MAILWIRE_TOKEN: 'tok', MAILWIRE_PASSWORD: 'hunter2' } });
    expect(token.code).toBe(9);
    expect(sent(server)).not.toContain('hunter2');
  });

  it.each([
    ['--target', (s: FakeServer) => ['--target', s.url('imap')], {}],
    ['--trust-host HOST', () => ['--trust-host', '127.0.0.1'], {}],
    ['--trust-host HOST:PORT among others', (s: FakeServer) => ['--trust-host', `mail.example.org, 127.0.0.1:${s.port}`], {}],
    ['MAILWIRE_TRUSTED_HOSTS', () => [], { MAILWIRE_TRUSTED_HOSTS: '127.0.0.1' }],
  ] as const)('a server the user chose gets it: %s', async (_name, args, vars) => {
    const server = await loginServer();
    const r = await runMain(['replay', transcript(server), ...args(server)], { vars: { MAILWIRE_PASSWORD: 'hunter2', ...vars } });
    expect(r.code).toBe(0);
    expect(server.received).toContain('a1 LOGIN joe "hunter2"');
  });

  it('a trusted host on another port is not the same server', async () => {
    const server = await loginServer();
    const r = await runMain(['replay', transcript(server), '--trust-host', `127.0.0.1:${server.port === 1 ? 2 : server.port - 1}`], { vars: { MAILWIRE_PASSWORD: 'hunter2' } });
    expect(r.code).toBe(9);
    expect(sent(server)).not.toContain('hunter2');
    const bad = await runMain(['replay', transcript(server), '--trust-host', 'a/b'], {});
    expect(bad.code).toBe(2);
  });

  it('the secret written in the file is the file\'s own: it goes to the file\'s target', async () => {
    const server = await loginServer();
    const r = await runMain(['replay', transcript(server, '# secret: joe filepw')], { vars: { MAILWIRE_PASSWORD: 'hunter2' } });
    expect(r.code).toBe(0);
    expect(server.received).toContain('a1 LOGIN joe "filepw"');
    expect(sent(server)).not.toContain('hunter2');
  });

  /** main() with a terminal for standard input that answers `typed`. */
  async function atTerminal(argv: string[], typed: string, vars: Record<string, string>): Promise<{ code: number; stderr: string }> {
    const stdin = Object.assign(Readable.from([Buffer.from(typed)]), { isTTY: true });
    const stdout = new PassThrough().resume();
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (c: Buffer) => (err += c.toString()));
    const code = await main(argv, { stdin, stdout, stderr, stdinIsTTY: true, stdoutIsTTY: false, vars, now: () => performance.now(), homedir: '/nonexistent', cwd: process.cwd() });
    return { code, stderr: err };
  }

  it('at a terminal the user is asked first; only a yes sends it', async () => {
    const server = await loginServer();
    const path = transcript(server);
    const no = await atTerminal(['replay', path], '\n', { MAILWIRE_PASSWORD: 'hunter2' });
    expect(no.stderr).toContain(`${path} names its own target, ${server.url('imap')}. Send your secrets there? [y/N] `);
    expect(no.code).toBe(9);
    expect(sent(server)).not.toContain('hunter2');
    const yes = await atTerminal(['replay', path], 'y\n', { MAILWIRE_PASSWORD: 'hunter2' });
    expect(yes.code).toBe(0);
    expect(server.received).toContain('a1 LOGIN joe "hunter2"');
  });
});

/** Peak memory allowed for a mailwire process reading a hostile transcript (Node itself takes ~50 MB). */
const MEMORY_BOUND_KIB = 160 * 1024;

describe('huge counts and long lines in a transcript cost what the file costs', () => {
  it('replay of APPEND {4000000000} the file does not hold: refused (exit 9), nothing allocated for it', { timeout: 60_000 }, async () => {
    const server = await startFakeServer({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${tagOf(l)} NO [TOOBIG] too big\r\n`) });
    servers.push(server);
    const path = file('append.txt', '# protocol: imap\nS: * OK ready\nC: a1 APPEND INBOX {4000000000}\nS: a1 NO [TOOBIG] too big\n');
    const r = await runMeasured(['replay', path, '--target', server.url('imap')], { cpuSeconds: 30 });
    expect(r.code).toBe(9);
    expect(r.stdoutTail).toContain('line 3: the transcript stops inside a literal of 4000000000 octets; replay makes up at most 16777216 octets the transcript does not hold');
    expect(r.maxRssKiB).toBeLessThan(MEMORY_BOUND_KIB);
  });

  it('a <secret> line after LOGIN {4000000000}: lint and replay allocate nothing for it', { timeout: 60_000 }, async () => {
    const path = file('login.txt', '# protocol: imap\n# secret: joe pw\nS: * OK ready\nC: a1 LOGIN joe {4000000000}\nC: <secret>\nS: a1 OK done\n');
    const lint = await runMeasured(['lint', path], { cpuSeconds: 30 });
    expect(lint.code).toBe(1);
    expect(lint.stdoutTail).toContain('[literal-count]');
    expect(lint.maxRssKiB).toBeLessThan(MEMORY_BOUND_KIB);
    const server = await startFakeServer({ greeting: '* OK ready', onLine: (l, conn) => conn.write(`${tagOf(l)} NO no\r\n`) });
    servers.push(server);
    const replay = await runMeasured(['replay', path, '--target', server.url('imap')], { cpuSeconds: 30 });
    expect(replay.code).toBe(9);
    expect(replay.maxRssKiB).toBeLessThan(MEMORY_BOUND_KIB);
  });

  it('a 200 KB APOP line of blanks is replayed and linted in linear time (a CPU-time bound, not a clock)', { timeout: 120_000 }, async () => {
    const server = await startFakeServer({
      greeting: '+OK <1.2@example.org>',
      onLine: (l, conn) => conn.write(/^QUIT/i.test(l) ? '+OK bye\r\n' : '-ERR no\r\n'),
    });
    servers.push(server);
    // What the masking of secrets used to scan once per blank: 26 s of CPU for this line.
    const line = `APOP mrose x${' '.repeat(200_000)}y`;
    const path = file('apop.txt', `# protocol: pop3\n# secret: mrose tanstaaf\nS: +OK <1.2@example.org>\nC: ${line}\nS: -ERR no\n`);
    const replay = await runMeasured(['replay', path, '--target', server.url('pop3'), '--verbose'], { cpuSeconds: 10 });
    expect(replay.code).toBe(0);
    const lint = await runMeasured(['lint', path], { cpuSeconds: 10 });
    expect(lint.code).not.toBeNull();
    expect(lint.stderr).toBe('');
  });
});

describe('lint of a long transcript', () => {
  it('runs in a V8 heap of 24 MiB: its memory is bounded by an exchange, not by the file', { timeout: 180_000 }, async () => {
    // 60,000 lines, 2 MB: read whole into objects, this took about 0.7 KB a line (V8 gave up, out of
    // heap). Read a chunk at a time and linted exchange by exchange, it needs a few MiB whatever the
    // line count. Every 500th exchange has a bad response: the findings still come, in line order.
    const out = ['# protocol: imap', 'S: * OK [CAPABILITY IMAP4rev1] ready', 'C: a1 LOGIN joe <secret>', 'S: a1 OK done', 'C: a2 SELECT INBOX', 'S: a2 OK done'];
    for (let i = 3; out.length < 60_000; i++) out.push(`C: a${i} FETCH 1 (FLAGS)`, `S: * 1 FETCH (FLAGS (\\Seen${i % 500 === 0 ? '' : ')'})`, `S: a${i} OK done`);
    const path = file('long.txt', `${out.join('\n')}\n`);
    const r = await runMeasured(['lint', '--no-notes', path], { nodeOptions: ['--max-old-space-size=24'], cpuSeconds: 120 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdoutTail).toContain('long.txt:59999: error [grammar]');
    expect(r.stdoutTail).toMatch(/1 transcript: 40 errors, 0 notes\n$/);
  });
});

