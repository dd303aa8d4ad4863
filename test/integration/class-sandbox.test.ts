/**
 * `mailwire sandbox --students N` as a teacher runs it: a class of real clients (Python's imaplib
 * and poplib, one thread per student, all logged in at once) working through the lecture's
 * sessions, each on their own account and each seeing the lecture's numbers; the roster (mode
 * 0600) and the live log (one line per command, no password) it leaves; and, on the sandbox's
 * sessions, that accounts are apart, that the lecture's FETCH answers every student as the lecture's
 * transcript shows it, and that one student's wrong passwords slow that student alone.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { makeClass } from '../../src/sandbox/class-roster.js';
import { readLectureMailboxes } from '../../src/sandbox/lecture-seed.js';
import { MailStore } from '../../src/sandbox/mail-store.js';
import { UserDirectory, type SandboxUser } from '../../src/sandbox/users.js';
import { FailedLogins } from '../../src/transport/server-limits.js';
import { describeWithClients, runClient } from '../support/external-clients.js';
import { imapConnection, pop3Connection, SANDBOX_NOW, type SandboxWorld } from '../support/sandbox-harness.js';
import { runBinary, runMain } from '../support/cli.js';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const CLIENTS = fileURLToPath(new URL('../fixtures/sandbox-clients/', import.meta.url));
const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));

/** A class world on the sandbox's sessions: `count` students with the lecture's mailboxes. */
function classWorld(count: number): SandboxWorld & { students: SandboxUser[] } {
  const students = makeClass(count);
  const lecture = readLectureMailboxes();
  const store = new MailStore(
    students.map((s) => ({ user: s.name, mailboxes: lecture })),
    { firstUidValidity: Math.floor(SANDBOX_NOW.getTime() / 1000), quotaLimitKb: 10 * 1024 },
  );
  return { store, users: new UserDirectory(students), students };
}

/** The C: line and the untagged S: lines of a lecture transcript. */
function lectureExchange(file: string): { command: string; untagged: string[] } {
  const lines = readFileSync(join(SEED, file), 'utf8').split('\n');
  const command = (lines.find((l) => l.startsWith('C: ')) as string).slice(3);
  return { command, untagged: lines.filter((l) => l.startsWith('S: * ')).map((l) => l.slice(3)) };
}

function login(world: SandboxWorld & { students: SandboxUser[] }, name: string) {
  const c = imapConnection(world);
  const password = world.students.find((s) => s.name === name)?.password as string;
  expect(c.send(`L1 LOGIN ${name} ${password}`)).toEqual(['L1 OK LOGIN completed']);
  return c;
}

describe('a class sandbox\'s accounts', () => {
  it('every student sees the lecture\'s FETCH as transcripts/seed/imap-fetch.txt shows it, and the lecture\'s UIDs after', () => {
    const world = classWorld(30);
    const fetch = lectureExchange('imap-fetch.txt');
    expect(fetch.untagged).toEqual(['* 2 FETCH (UID 34 INTERNALDATE " 1-Oct-2010 21:21:42 +0400" RFC822.SIZE 743)']);
    const seen: string[][] = [];
    for (const name of ['student01', 'student30']) {
      const c = login(world, name);
      const select = c.send('S1 SELECT INBOX');
      expect(select).toContain('* 3 EXISTS');
      expect(select).toContain('* OK [UIDNEXT 36] Predicted next UID');
      const answer = c.send(fetch.command);
      expect(answer.slice(0, -1)).toEqual(fetch.untagged);
      // The lecture's UID FETCH names the same message by its UID, first, as the slide (and Dovecot, and Cyrus) put it.
      const byUid = c.send(lectureExchange('imap-uid-fetch.txt').command);
      const envelope = /ENVELOPE (\(.*\))\)$/.exec(lectureExchange('imap-uid-fetch.txt').untagged[0] as string)?.[1] as string;
      expect(byUid[0]).toBe(`* 2 FETCH (UID 34 ENVELOPE ${envelope})`);
      // The lecture's STORE, EXPUNGE and COPY: message 2 goes, message 1 (UID 15) is copied to UID 36.
      expect(c.send('A278 STORE 2 +FLAGS \\Deleted')[0]).toBe('* 2 FETCH (FLAGS (\\Deleted \\Seen))');
      expect(c.send('A279 EXPUNGE')).toEqual(['* 2 EXPUNGE', 'A279 OK EXPUNGE completed']);
      const copy = c.send('A282 COPY 1 INBOX');
      expect(copy.slice(0, 2)).toEqual(['* 3 EXISTS', '* 1 RECENT']);
      expect(copy[2]).toMatch(/^A282 OK \[COPYUID \d+ 15 36\] COPY completed$/);
      seen.push([...select, ...answer, ...byUid, ...copy]);
    }
    // The same numbers, UIDVALIDITY included, for the first student and the last.
    expect(seen[1]).toEqual(seen[0]);
  });

  it('are apart: a student cannot log in as another, see another\'s mailboxes, or change them', () => {
    const world = classWorld(3);
    const [one, two] = world.students as [SandboxUser, SandboxUser];
    expect(imapConnection(world).send(`X LOGIN student02 ${one.password}`)).toEqual(['X NO [AUTHENTICATIONFAILED] Authentication failed.']);
    const pop = pop3Connection(world);
    expect(pop.send('USER student02', `PASS ${one.password}`)[1]).toBe('-ERR [AUTH] Authentication failed.');

    const a = login(world, 'student01');
    // student01 empties their INBOX, fills saved-messages, makes a mailbox.
    a.send('S SELECT INBOX');
    expect(a.send('D STORE 1:* +FLAGS.SILENT (\\Deleted)', 'E EXPUNGE').at(-1)).toBe('E OK EXPUNGE completed');
    expect(a.send('C CREATE student01-only').at(-1)).toBe('C OK CREATE completed');
    // Nothing names another user's mailboxes: no "other users" namespace (RFC 2342), no such name.
    expect(a.send('N NAMESPACE')[0]).toBe('* NAMESPACE (("" "/")) NIL NIL');
    expect(a.send('L LIST "" "*"')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', '* LIST (\\HasNoChildren) "/" saved-messages', '* LIST (\\HasNoChildren) "/" student01-only', 'L OK LIST completed']);
    for (const name of ['student02', 'student02/INBOX', '~student02/INBOX', '#user/student02']) {
      expect(a.send(`T SELECT "${name}"`).at(-1)).toMatch(/^T NO /);
    }

    // student02 still has the lecture's INBOX, as seeded, over IMAP and POP3.
    const b = imapConnection(world);
    expect(b.send(`L2 LOGIN student02 ${two.password}`)).toEqual(['L2 OK LOGIN completed']);
    expect(b.send('L LIST "" "*"')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', '* LIST (\\HasNoChildren) "/" saved-messages', 'L OK LIST completed']);
    expect(b.send('S STATUS INBOX (MESSAGES UIDNEXT)')[0]).toBe('* STATUS INBOX (MESSAGES 3 UIDNEXT 36)');
    const p = pop3Connection(world);
    expect(p.send('USER student02', `PASS ${two.password}`)[1]).toMatch(/^\+OK student02's maildrop has 3 messages \(\d+ octets\)$/);
  });

  it('one student\'s wrong passwords slow that student only: counted checks, every classmate logs in at once', () => {
    const world = classWorld(32);
    let checks = 0;
    const check = world.users.checkPassword.bind(world.users);
    world.users.checkPassword = (name, password) => {
      checks++;
      return check(name, password);
    };
    const now = () => SANDBOX_NOW; // the clock stands still: a wait once begun lasts the whole test
    const failedLogins = new FailedLogins();
    const guesser = imapConnection(world, { failedLogins, now });
    const answers = Array.from({ length: 20 }, (_, i) => guesser.send(`G${i} LOGIN student05 guess${i}`)[0]);
    // README: after 3 in a row, attempts fail unchecked.
    expect(answers.filter((l) => / NO \[AUTHENTICATIONFAILED\] /.test(l as string))).toHaveLength(3);
    expect(answers.filter((l) => / NO \[UNAVAILABLE\] Too many failed logins for this user/.test(l as string))).toHaveLength(17);
    expect(checks).toBe(3);
    // Even the right password waits now, over IMAP and POP3 alike.
    const right = world.students[4]?.password as string;
    expect(imapConnection(world, { failedLogins, now }).send(`R LOGIN student05 ${right}`)[0]).toMatch(/^R NO \[UNAVAILABLE\] /);
    expect(pop3Connection(world, { failedLogins, now }).send('USER student05', `PASS ${right}`)[1]).toMatch(/^-ERR \[SYS\/TEMP\] Too many failed logins/);
    // The other 31 log in at the first try, checked once each, none told to wait.
    checks = 0;
    for (const s of world.students.filter((x) => x.name !== 'student05')) {
      expect(imapConnection(world, { failedLogins, now }).send(`A LOGIN ${s.name} ${s.password}`)).toEqual(['A OK LOGIN completed']);
    }
    expect(checks).toBe(31);
  });
});

describe('mailwire sandbox --students: bad input', () => {
  it('a count that is not 1 to 999, --roster without --students, an unwritable roster: one line and the documented exit code', async () => {
    const cases: [string[], number, string][] = [
      [['--students', '0'], 2, 'mailwire sandbox: --students 0: a class sandbox holds 1 to 999 students (see mailwire sandbox --help)\n'],
      [['--students', 'abc'], 2, 'mailwire sandbox: --students abc: expected a number of students, 1 to 999 (see mailwire sandbox --help)\n'],
      [['--students', '10000'], 2, 'mailwire sandbox: --students 10000: a class sandbox holds 1 to 999 students (see mailwire sandbox --help)\n'],
      [['--roster', 'x.txt'], 2, 'mailwire sandbox: --roster goes with --students N (see mailwire sandbox --help)\n'],
      [['--students', '3', '--roster', '/nonexistent-folder/roster.txt', '--listen', 'imap://127.0.0.1:0'], 9, 'mailwire: cannot write the roster /nonexistent-folder/roster.txt: no such file or folder\n'],
      [['--students', '3', '--log', '/nonexistent-folder/class.log', '--listen', 'imap://127.0.0.1:0'], 9, 'mailwire: cannot write the log /nonexistent-folder/class.log: no such file or folder\n'],
    ];
    for (const [args, code, stderr] of cases) {
      const r = await runMain(['sandbox', ...args]);
      expect(r.stderr, args.join(' ')).toBe(stderr);
      expect(r.code, args.join(' ')).toBe(code);
    }
  });
});

describe('mailwire sandbox --students: the policy', () => {
  let proc: ChildProcessWithoutNullStreams | null = null;
  afterEach(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    proc = null;
  });

  /** Starts the sandbox; returns its IMAP URL and the first student's password. */
  async function start(args: string[]): Promise<{ url: string; password: string; child: ChildProcessWithoutNullStreams }> {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-class-'));
    const child = spawn(process.execPath, [BIN, 'sandbox', '--students', '2', '--listen', 'imap://127.0.0.1:0', '--log', join(dir, 'log'), ...args], { env: { PATH: process.env['PATH'] }, cwd: dir });
    proc = child;
    let stdout = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Ctrl-C stops the sandbox.')) resolve();
      });
      child.on('close', () => reject(new Error('the sandbox ended')));
    });
    // The roster went to the default place in the working folder.
    expect(stdout).toContain(`roster (the students' passwords, mode 0600): ${join(dir, 'mailwire-roster.txt')}`);
    const password = /^student01 {2}(\S+)$/m.exec(readFileSync(join(dir, 'mailwire-roster.txt'), 'utf8'))?.[1] as string;
    return { url: /imap:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0] as string, password, child };
  }

  it('is the class policy (no SETQUOTA for students) unless --policy says otherwise', async () => {
    const setquota = async (args: string[]) => {
      const { url, password, child } = await start(args);
      const r = await runBinary([url, '-c', `LOGIN student01 ${password}`, '-c', 'SETQUOTA "" (STORAGE 512)', '-c', 'LOGOUT']);
      child.kill('SIGTERM');
      expect(r.stdout).not.toContain(password);
      return r.stdout.split('\n').find((l) => l.startsWith('S: A002 ')) as string;
    };
    expect(await setquota([])).toBe('S: A002 NO [NOPERM] Quotas are set by the teacher in this sandbox');
    expect(await setquota(['--policy', 'open'])).toBe('S: A002 OK SETQUOTA completed');
  });
});

describeWithClients('a class of 36 real clients at once (Python imaplib and poplib)', ['python3'], () => {
  let proc: ChildProcessWithoutNullStreams | null = null;
  afterEach(() => {
    if (proc && proc.exitCode === null) proc.kill('SIGKILL');
    proc = null;
  });

  it('each works through the lecture\'s sessions on their own account and sees the same numbers; the roster is 0600; the log has one line per command and no password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-class-'));
    const rosterFile = join(dir, 'roster.txt');
    const logFile = join(dir, 'class.log');
    const child = spawn(process.execPath, [BIN, 'sandbox', '--students', '36', '--roster', rosterFile, '--log', logFile, '--listen', 'imap://127.0.0.1:0', '--listen', 'pop3://127.0.0.1:0', '--no-tls'], { env: { PATH: process.env['PATH'] }, cwd: dir });
    proc = child;
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exit = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const banner = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
        if (stdout.includes('Ctrl-C stops the sandbox.')) resolve(stdout);
      });
      child.on('close', () => reject(new Error(`the sandbox ended: ${stderr}`)));
    });
    expect(banner).toContain(`roster (the students' passwords, mode 0600): ${rosterFile}`);
    expect(banner).toContain(`log: one line per command, secrets masked: ${logFile}`);
    expect(banner).toContain('class: 36 students, student01 .. student36');
    const imapPort = /imap:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1] as string;
    const pop3Port = /pop3:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1] as string;

    expect(statSync(rosterFile).mode & 0o777).toBe(0o600);
    expect(statSync(logFile).mode & 0o777).toBe(0o600);
    const accounts = readFileSync(rosterFile, 'utf8')
      .split('\n')
      .flatMap((l) => /^(student\d\d) {2}([2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4})$/.exec(l)?.slice(1, 3) ?? [])
      .reduce<[string, string][]>((pairs, v, i, all) => (i % 2 === 0 ? [...pairs, [v, all[i + 1] as string]] : pairs), []);
    expect(accounts.map(([n]) => n)).toEqual(Array.from({ length: 36 }, (_, i) => `student${String(i + 1).padStart(2, '0')}`));
    expect(new Set(accounts.map(([, p]) => p)).size).toBe(36);
    // The passwords are in the roster only: not on the terminal.
    for (const [, password] of accounts) expect(stdout + stderr).not.toContain(password);

    const r = await runClient('python3', [join(CLIENTS, 'class_students.py'), '127.0.0.1', imapPort, pop3Port], 120_000, {}, JSON.stringify(accounts));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const results = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(results).toHaveLength(36);
    for (const result of results) expect(result['error'], String(result['name'])).toBeUndefined();
    const first = results[0] as Record<string, unknown>;
    expect(first['login']).toBe('OK');
    expect(first['fetch']).toEqual(['2 (UID 34 INTERNALDATE " 1-Oct-2010 21:21:42 +0400" RFC822.SIZE 743)']);
    expect((first['select'] as unknown[])[1]).toEqual(['3']);
    expect(first['uidnext']).toEqual(['36']);
    expect(first['expunge']).toEqual(['2']);
    expect(String((first['append'] as string[][])[1])).toMatch(/^\[APPENDUID \d+ 1\] APPEND completed$/);
    expect(first['pass']).toMatch(/^\+OK NAME's maildrop has 2 messages \(\d+ octets\)$/);
    expect(first['quit']).toBe('+OK mailwire sandbox POP3 server signing off (1 message left)');
    // Every student saw exactly what the first saw.
    for (const result of results) expect({ ...result, name: '' }).toEqual({ ...first, name: '' });

    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    const log = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    for (const [, password] of accounts) expect(log.join('\n')).not.toContain(password);
    const line = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (imap|pop3)#(\d+) (\S+) C: (.*)$/;
    expect(log.filter((l) => !line.test(l))).toEqual([]);
    // Per connection, the commands in order: one line each.
    const byConnection = new Map<string, { user: string; commands: string[] }>();
    for (const l of log) {
      const [, protocol, id, user, text] = line.exec(l) as unknown as string[];
      const key = `${protocol}#${id}`;
      const entry = byConnection.get(key) ?? { user: '-', commands: [] };
      if (user !== '-') entry.user = user as string;
      const words = (text as string).split(' ');
      entry.commands.push(protocol === 'imap' ? (words[1] === 'UID' ? `UID ${words[2]}` : (words[1] as string)) : (words[0] as string));
      byConnection.set(key, entry);
    }
    const imap = [...byConnection].filter(([k]) => k.startsWith('imap'));
    const pop3 = [...byConnection].filter(([k]) => k.startsWith('pop3'));
    expect(imap).toHaveLength(36);
    expect(pop3).toHaveLength(36);
    // imaplib asks for CAPABILITY itself on connecting.
    for (const [, c] of imap) expect(c.commands).toEqual(['CAPABILITY', 'LOGIN', 'SELECT', 'FETCH', 'UID FETCH', 'STORE', 'EXPUNGE', 'APPEND', 'LOGOUT']);
    for (const [, c] of pop3) expect(c.commands).toEqual(['USER', 'PASS', 'STAT', 'LIST', 'RETR', 'DELE', 'QUIT']);
    expect(new Set(imap.map(([, c]) => c.user))).toEqual(new Set(accounts.map(([n]) => n)));
    expect(log.filter((l) => / C: \S+ LOGIN /.test(l)).every((l) => / LOGIN student\d\d <secret>$/.test(l))).toBe(true);
    expect(log.filter((l) => / C: PASS /.test(l)).every((l) => l.endsWith(' C: PASS <secret>'))).toBe(true);
  });
});
