/**
 * The replay, lint and serve commands as a user runs them: help, exit codes, the test-runner report,
 * --jobs, --junit, errors in one line.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { serveConnection } from '../../src/transcript/serve-runner.js';
import { listen, type Listener } from '../../src/transport/server.js';
import { runMain } from '../support/cli.js';

const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));
const APOP = join(SHIPPED, 'rfc/pop3/rfc1939-sec10-apop-session.txt');

const listeners: Listener[] = [];
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()));
});

/** Serves one transcript to every client that connects; returns its URL. */
async function serving(path: string): Promise<string> {
  const transcript = parseTranscript(readFileSync(path, 'utf8'));
  const protocol = transcript.directives.protocol ?? 'imap';
  const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
    void serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: () => performance.now(), onReport: () => undefined });
  });
  listeners.push(listener);
  return `${protocol}://127.0.0.1:${listener.port}`;
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mailwire-cli-'));
}

describe('help', () => {
  it('mailwire --help names the four commands; each has its own --help', async () => {
    const main = await runMain(['--help']);
    expect(main.stdout).toMatch(/replay +play transcripts against a server/);
    expect(main.stdout).toMatch(/learn +find the values a server changes between two runs/);
    expect(main.stdout).toMatch(/lint +check transcripts offline/);
    expect(main.stdout).toMatch(/serve +play the server side of a transcript/);
    for (const command of ['replay', 'learn', 'lint', 'serve']) {
      const r = await runMain([command, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: mailwire ${command} `));
      expect(r.stdout).toContain('docs/transcripts.md');
    }
  });
});

describe('mailwire learn', () => {
  it('shows examples in --help; exits 2 without a second run, 9 for a file that cannot be read or runs of two protocols', async () => {
    const help = await runMain(['learn', '--help']);
    expect(help.stdout).toContain('mailwire learn run1.txt run2.txt --write');
    const usage = await runMain(['learn', APOP]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("mailwire learn: missing required argument 'second' (see mailwire learn --help)\n");
    const missing = await runMain(['learn', APOP, '/nonexistent/t.txt']);
    expect(missing.code).toBe(9);
    expect(missing.stderr).toBe('mailwire: cannot read /nonexistent/t.txt: no such file or folder\n');
    const dir = tmp();
    const imap = join(dir, 'imap.txt');
    const pop3 = join(dir, 'pop3.txt');
    writeFileSync(imap, '# mailwire transcript v1\n# protocol: imap\nS: * OK ready\n');
    writeFileSync(pop3, '# mailwire transcript v1\n# protocol: pop3\nS: +OK ready\n');
    const mixed = await runMain(['learn', imap, pop3]);
    expect(mixed.code).toBe(9);
    expect(mixed.stderr).toBe(`mailwire: ${imap} is IMAP and ${pop3} is POP3: not two runs of one session\n`);
    const same = await runMain(['learn', imap, imap]);
    expect(same).toEqual({ code: 0, stdout: 'nothing to learn: the runs agree on every value\n', stderr: '' });
  });
});

describe('mailwire lint', () => {
  it('reports findings with file, line, severity and rule, a summary, and exits 1', async () => {
    const r = await runMain(['lint', join(SHIPPED, 'seed')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${join(SHIPPED, 'seed/imap-list-create-rename-delete.txt')}:9: error [grammar] not a response-tagged`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('11 transcripts: 4 errors, 4 notes');
  });

  it('finds and reads a transcript whose name is not UTF-8, and shows the name with \\xNN', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'sub'));
    // "café.txt" in Latin-1: the octet 0xE9 alone is not UTF-8.
    const name = Buffer.concat([Buffer.from(join(dir, 'sub', 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]);
    copyFileSync(APOP, name);
    // And a folder of such a name, with a transcript in it.
    const folder = Buffer.concat([Buffer.from(join(dir, 'd')), Buffer.from([0xe9])]);
    mkdirSync(folder);
    copyFileSync(APOP, Buffer.concat([folder, Buffer.from('/a.txt')]));
    const r = await runMain(['lint', '--no-notes', dir]);
    expect(r.stdout).toBe('2 transcripts: 0 errors, 8 notes\n');
    expect(r.code).toBe(0);
    const notes = await runMain(['lint', dir]);
    expect(notes.stdout).toContain(`${join(dir, 'sub', 'caf')}\\xe9.txt:10: note [format]`);
    expect(notes.stdout).toContain(`${join(dir, 'd')}\\xe9/a.txt:10: note [format]`);
    expect(notes.stdout).not.toContain('\ufffd');
  });

  it('exits 0 when there are notes only, and --no-notes leaves them out', async () => {
    const r = await runMain(['lint', APOP]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/:10: note \[format\] <wait for connection on TCP port 110> stands for a TCP event/);
    const quiet = await runMain(['lint', '--no-notes', APOP]);
    expect(quiet.stdout).toBe('1 transcript: 0 errors, 4 notes\n');
  });

  it('exits 9 for a file that cannot be read, 2 for a bad option', async () => {
    const missing = await runMain(['lint', '/nonexistent/t.txt']);
    expect(missing.code).toBe(9);
    expect(missing.stderr).toBe('mailwire: cannot read /nonexistent/t.txt: no such file or folder\n');
    const bad = await runMain(['lint', '--frobnicate', APOP]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mailwire lint: unknown option '--frobnicate' \(see mailwire lint --help\)$/m);
  });

  it('speaks the language asked for: findings, severities and the summary in Russian with --lang ru or a Russian locale', async () => {
    const r = await runMain(['lint', '--lang', 'ru', join(SHIPPED, 'seed')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${join(SHIPPED, 'seed/imap-list-create-rename-delete.txt')}:9: ошибка [grammar] не соответствует правилу response-tagged формального синтаксиса: в столбце 6 ожидается одно из: "OK", "NO", "BAD"; найдено "LIST Completed"`,
    );
    expect(r.stdout).toContain(`${join(SHIPPED, 'seed/pop3-apop-session.txt')}:12: ошибка [apop] дайджест APOP не равен MD5("<1896.697270952@dbc.ca.us>" + объявленный секрет пользователя mrose); должен быть 1b3432654bbbf8f116b8e5cf7890d5fd`);
    expect(r.stdout).toContain(`${join(SHIPPED, 'seed/imap-capability-starttls-login.txt')}:11: замечание [format] не строка протокола (нет «S:» или «C:»): (TLS negotiation follows; further commands go over TLS)`);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('11 файлов: 4 ошибки, 4 замечания');
    for (const line of lines.slice(0, -1)) {
      expect(line).toMatch(/: (ошибка|замечание) \[[a-z-]+\] .*[а-яё]/);
      expect(line).not.toMatch(/\] (not|the|an?|no) /);
    }
    const byLocale = await runMain(['lint', join(SHIPPED, 'seed')], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(byLocale.stdout).toBe(r.stdout);
    const asked = await runMain(['lint', '--lang', 'en', join(SHIPPED, 'seed')], { vars: { LANG: 'ru_RU.UTF-8' } });
    expect(asked.stdout.trimEnd().split('\n').at(-1)).toBe('11 transcripts: 4 errors, 4 notes');
    const one = await runMain(['lint', '--lang', 'ru', '--no-notes', APOP]);
    expect(one.stdout).toBe('1 файл: 0 ошибок, 4 замечания\n');
  });

  it('reports a transcript in a newer format version as an error, naming the line', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'v9.txt'), '# mailwire transcript v9\nS: +OK\n');
    const r = await runMain(['lint', join(dir, 'v9.txt')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('v9.txt: error [format] line 1: written in transcript format v9; this mailwire reads v1');
    const ru = await runMain(['lint', '--lang', 'ru', join(dir, 'v9.txt')]);
    expect(ru.stdout).toContain('v9.txt: ошибка [format] строка 1: файл в формате записи v9, а эта версия mailwire читает v1');
  });
});

describe('mailwire replay', () => {
  it('runs a folder with --jobs, reports in the order given, writes JUnit XML', async () => {
    const url = await serving(APOP);
    const dir = tmp();
    for (const name of ['a', 'b', 'c', 'd']) copyFileSync(APOP, join(dir, `${name}.txt`));
    const junit = join(dir, 'junit.xml');
    const r = await runMain(['replay', dir, '--target', url, '--jobs', '4', '--junit', junit]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS .*a\.txt \((\d+ ms|\d+\.\d+ s)\)\nPASS .*b\.txt \((\d+ ms|\d+\.\d+ s)\)\nPASS .*c\.txt \((\d+ ms|\d+\.\d+ s)\)\nPASS .*d\.txt \((\d+ ms|\d+\.\d+ s)\)\n4 passed, 0 failed\n$/);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuite name="mailwire replay" tests="4" failures="0" errors="0" /);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(4);
  });

  it('fails a changed transcript with exit 1, the diff in the report and in the JUnit failure', async () => {
    const url = await serving(APOP);
    const dir = tmp();
    const changed = join(dir, 'changed.txt');
    writeFileSync(changed, readFileSync(APOP, 'utf8').replace('S: +OK 2 320', 'S: +OK 3 320'));
    const junit = join(dir, 'junit.xml');
    const r = await runMain(['replay', changed, '--target', url, '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${changed}:16: the reply differs at line 16: expected "3 320"\n    - S: +OK 3 320   (transcript line 16)\n    + S: +OK 2 320   (server)\n             ^\n`);
    expect(readFileSync(junit, 'utf8')).toContain(
      '<failure message="the reply differs at line 16: expected &quot;3 320&quot;; transcript line 16: &quot;S: +OK 3 320&quot;; server: &quot;S: +OK 2 320&quot;" type="mismatch">',
    );
  });

  it('replays a transcript whose name is not UTF-8, named with \\xNN in the report and the JUnit file', async () => {
    const url = await serving(APOP);
    const dir = tmp();
    copyFileSync(APOP, Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.txt')]));
    const junit = join(tmp(), 'junit.xml');
    const r = await runMain(['replay', dir, '--target', url, '--junit', junit]);
    expect(r.stdout).toContain(`PASS ${dir}/caf\\xe9.txt (`);
    expect(r.code).toBe(0);
    expect(readFileSync(junit, 'utf8')).toContain(`name="${dir}/caf\\xe9.txt"`);
  });

  it('names both lines in the JUnit failure for a changed untagged value, escaped, the secret never', async () => {
    const dir = tmp();
    const served = join(dir, 'served.txt');
    const session = (count: number) =>
      [
        '# mailwire transcript v1',
        '# protocol: imap',
        '# secret: joe hunter2',
        'S: * OK ready',
        'C: A1 LOGIN joe <secret>',
        'S: A1 OK in',
        'C: A2 SELECT "a&b"',
        'S: * 4 EXISTS',
        `S: * OK [X-NOTE <1@h>] "a&b" ${count}`,
        'S: A2 OK done',
        '',
      ].join('\n');
    writeFileSync(served, session(4));
    const url = await serving(served);
    const changed = join(dir, 'changed.txt');
    writeFileSync(changed, session(5));
    const junit = join(dir, 'junit.xml');
    const r = await runMain(['replay', changed, '--target', url, '--junit', junit]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('    - S: * OK [X-NOTE <1@h>] "a&b" 5   (transcript line 9)\n    + S: * OK [X-NOTE <1@h>] "a&b" 4   (server)\n');
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain(
      '; transcript line 9: &quot;S: * OK [X-NOTE &lt;1@h&gt;] &quot;a&amp;b&quot; 5&quot;; server: &quot;S: * OK [X-NOTE &lt;1@h&gt;] &quot;a&amp;b&quot; 4&quot;" type="mismatch">',
    );
    expect(xml).toMatch(/<failure message="line 9 was not received before the command completed/);
    expect(xml).not.toContain('hunter2');
  });

  it('colors the report on a terminal (FORCE_COLOR), never the transcript text', async () => {
    const url = await serving(APOP);
    const r = await runMain(['replay', APOP, '--target', url], { vars: { FORCE_COLOR: '1' } });
    expect(r.stdout).toMatch(/^(\x1b\[\d+m)+PASS\x1b\[/);
    expect(r.stdout).toContain(' rfc1939-sec10-apop-session.txt '.trim());
  });

  it('--verbose shows the live session under the result', async () => {
    const url = await serving(APOP);
    const r = await runMain(['replay', APOP, '--target', url, '--verbose']);
    expect(r.stdout).toMatch(/^PASS .*\n {4}# connected to pop3:\/\/127\.0\.0\.1:\d+, plain TCP\n {4}S: \+OK POP3 server ready/);
  });

  it('a connection refused is exit 3, one ERROR line, and a summary', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const r = await runMain(['replay', APOP, '--target', `pop3://127.0.0.1:${port}`]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^ERROR .*rfc1939-sec10-apop-session\.txt \((\d+ ms|\d+\.\d+ s)\)\n {4}.*refused.*\n0 passed, 1 failed \(1 could not run\)\n$/);
  });

  it('usage errors: no target anywhere (exit 2), a protocol that contradicts the transcript', async () => {
    const r = await runMain(['replay', APOP]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('names no "# target:"; give --target URL');
    const other = await runMain(['replay', APOP, '--target', 'imap://127.0.0.1:1']);
    expect(other.code).toBe(2);
    expect(other.stdout).toContain('is a POP3 transcript, and imap://127.0.0.1:1 is IMAP');
    const jobs = await runMain(['replay', APOP, '--jobs', '0']);
    expect(jobs.code).toBe(2);
  });

  it('uses the transcript\'s own "# target:" when no --target is given', async () => {
    const url = await serving(APOP);
    const dir = tmp();
    const file = join(dir, 'with-target.txt');
    writeFileSync(file, `# target: ${url}\n${readFileSync(APOP, 'utf8')}`);
    const r = await runMain(['replay', file]);
    expect(r.code).toBe(0);
  });

  it('a <secret> with nobody to give it is an input error (exit 9), named with its line', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 't'));
    const file = join(dir, 't', 'login.txt');
    writeFileSync(file, '# protocol: imap\n# secret: joe\nS: * OK ready\nC: a1 LOGIN joe <secret>\nS: a1 OK in\n');
    const url = await serving(file);
    const r = await runMain(['replay', file, '--target', url]);
    expect(r.code).toBe(9);
    expect(r.stdout).toContain('line 4 needs the secret of joe: give it with "# secret: joe SECRET" or MAILWIRE_PASSWORD, or at the prompt when standard input is a terminal');
    const given = await runMain(['replay', file, '--target', url], { vars: { MAILWIRE_PASSWORD: 'pw' } });
    expect(given.code).toBe(0);
  });
});
