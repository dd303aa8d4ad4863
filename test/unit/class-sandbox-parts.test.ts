/**
 * The parts of a class sandbox: student names and passwords, the roster and where it is written
 * (mode 0600 from creation, never clobbered by default), the live log's lines (secrets masked by
 * the functions --record uses, every byte escaped, long commands cut with a note) and its writer,
 * which drops lines rather than let a slow stream hold the server.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { BoundedLogWriter } from '../../src/cli/bounded-log-writer.js';
import { openLogFile, writeRoster } from '../../src/cli/roster-file.js';
import { maskImapSecrets } from '../../src/protocol/imap/request.js';
import { maskPop3Secrets } from '../../src/protocol/pop3/commands.js';
import { formatCommandLogLine, MAX_SHOWN_OCTETS } from '../../src/render/command-log-line.js';
import { makeClass, MAX_STUDENTS, parseStudentCount, PASSWORD_ALPHABET, rosterText, studentName, studentPassword } from '../../src/sandbox/class-roster.js';
import type { LoggedCommand } from '../../src/sandbox/command-log.js';

describe('students and their passwords', () => {
  it('are named student01 .. studentNN, with three digits from 100 students on', () => {
    expect(makeClass(30).map((s) => s.name)).toEqual(Array.from({ length: 30 }, (_, i) => `student${String(i + 1).padStart(2, '0')}`));
    expect(studentName(1, 9)).toBe('student01');
    expect(studentName(7, 100)).toBe('student007');
    expect(studentName(999, MAX_STUDENTS)).toBe('student999');
  });

  it('get passwords of three groups of four, from an alphabet without look-alikes, all different', () => {
    expect(PASSWORD_ALPHABET).not.toMatch(/[01ilo]/);
    const passwords = makeClass(MAX_STUDENTS).map((s) => s.password);
    for (const p of passwords) expect(p).toMatch(/^[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}-[2-9a-hjkmnp-z]{4}$/);
    expect(new Set(passwords).size).toBe(MAX_STUDENTS);
    // Every character of the alphabet is drawn, and only those.
    expect(new Set(passwords.join('').replaceAll('-', ''))).toEqual(new Set(PASSWORD_ALPHABET));
    let n = 0;
    expect(studentPassword(() => n++ % PASSWORD_ALPHABET.length)).toBe('2345-6789-abcd');
  });

  it('--students takes 1 to 999; anything else is a usage error of one line', () => {
    expect(parseStudentCount('30')).toBe(30);
    expect(parseStudentCount('999')).toBe(999);
    for (const bad of ['0', 'abc', '10000', '1000', '-3', '2.5', '']) {
      expect(() => parseStudentCount(bad), bad).toThrow(/^--students .*: (expected a number of students, 1 to 999|a class sandbox holds 1 to 999 students)$/);
    }
  });

  it('the roster lists every student with their password, and the servers', () => {
    const students = makeClass(3);
    const text = rosterText(students, { started: new Date('2026-12-03T23:40:12Z'), urls: ['imap://0.0.0.0:1143', 'pop3://0.0.0.0:1110'] });
    expect(text.split('\n')[0]).toBe('mailwire class sandbox, started 2026-12-03 23:40 UTC: 3 student accounts');
    expect(text).toContain('  imap://0.0.0.0:1143\n  pop3://0.0.0.0:1110\n');
    for (const s of students) expect(text).toContain(`\n${s.name}  ${s.password}\n`);
  });
});

describe('the roster and log files', () => {
  it('the default roster never overwrites one that is there: the next free name is taken; each is 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-roster-'));
    expect(writeRoster('first\n', undefined, dir)).toBe(join(dir, 'mailwire-roster.txt'));
    expect(writeRoster('second\n', undefined, dir)).toBe(join(dir, 'mailwire-roster-2.txt'));
    expect(readFileSync(join(dir, 'mailwire-roster.txt'), 'utf8')).toBe('first\n');
    for (const f of ['mailwire-roster.txt', 'mailwire-roster-2.txt']) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
  });

  it('--roster FILE replaces FILE with a new 0600 file, even when the old one was 0644', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-roster-'));
    const file = join(dir, 'class.txt');
    writeFileSync(file, 'old passwords\n', { mode: 0o644 });
    const before = statSync(file).ino;
    expect(writeRoster('new passwords\n', 'class.txt', dir)).toBe(file);
    expect(readFileSync(file, 'utf8')).toBe('new passwords\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(file).ino).not.toBe(before);
  });

  it('a roster that cannot be written is a file error of one line', () => {
    expect(() => writeRoster('x', '/nonexistent-folder/roster.txt', '/')).toThrow('cannot write the roster /nonexistent-folder/roster.txt: no such file or folder');
  });

  it('the log file is appended to and made 0600', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-log-'));
    const file = join(dir, 'class.log');
    writeFileSync(file, 'earlier\n', { mode: 0o644 });
    const { stream } = openLogFile(file, dir);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await new Promise<void>((resolve) => stream.end('later\n', resolve));
    expect(readFileSync(file, 'utf8')).toBe('earlier\nlater\n');
  });
});

const at = new Date('2026-12-03T23:41:07.512Z');
const line = (command: LoggedCommand, user: string | null = null) => formatCommandLogLine({ at, connection: 17, user, command });
const imap = (...segments: string[]) => line({ protocol: 'imap', kind: 'command', segments: segments.filter((_, i) => i % 2 === 0).map((s) => Buffer.from(s, 'latin1')), literals: segments.filter((_, i) => i % 2 === 1).map((s) => Buffer.from(s, 'latin1')) });
const pop3 = (text: string, kind: 'command' | 'auth-response' = 'command') => line({ protocol: 'pop3', kind, line: Buffer.from(text, 'latin1') });

describe('a line of the live log', () => {
  it('says when, which connection, who and what', () => {
    expect(line({ protocol: 'imap', kind: 'command', segments: [Buffer.from('a3 SELECT INBOX')], literals: [] }, 'student07')).toBe('2026-12-03T23:41:07.512Z imap#17 student07 C: a3 SELECT INBOX');
    expect(pop3('STAT')).toBe('2026-12-03T23:41:07.512Z pop3#17 - C: STAT');
  });

  it('masks secrets as --record does: LOGIN (atom, quoted, with spaces, literal), AUTHENTICATE, PASS, APOP, AUTH', () => {
    const text = (l: string) => l.slice(l.indexOf(' C: ') + 4);
    for (const l of ['a1 LOGIN joe password', 'a1 LOGIN "joe" "pass word"', 'a1 AUTHENTICATE PLAIN AGpvZQBwYXNzd29yZA==']) {
      expect(text(imap(l))).toBe(maskImapSecrets(l).masked);
      expect(text(imap(l))).toMatch(/<secret>$/);
    }
    expect(text(imap('a1 LOGIN {3}', 'joe', ' {8}', 'password', ''))).toBe('a1 LOGIN {3}\\x0d\\x0ajoe {8}\\x0d\\x0a<secret>');
    expect(text(imap('a1 LOGIN joe {8}', 'password', ''))).toBe('a1 LOGIN joe {8}\\x0d\\x0a<secret>');
    expect(text(line({ protocol: 'imap', kind: 'continuation', command: 'AUTHENTICATE', line: Buffer.from('AGpvZQBwYXNzd29yZA==') }))).toBe('<secret>');
    expect(text(line({ protocol: 'imap', kind: 'continuation', command: 'AUTHENTICATE', line: Buffer.from('*') }))).toBe('*');
    expect(text(line({ protocol: 'imap', kind: 'continuation', command: 'IDLE', line: Buffer.from('DONE') }))).toBe('DONE');
    for (const l of ['PASS my secret', 'APOP mrose tanstaaf', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb', 'AUTH PLAIN AGpvZQBwYXNzd29yZA==']) {
      expect(text(pop3(l))).toBe(maskPop3Secrets(l).masked);
    }
    expect(text(pop3('PASS my secret'))).toBe('PASS <secret>');
    expect(text(pop3('APOP mrose tanstaaf'))).toBe('APOP mrose <secret>');
    expect(text(pop3('AGpvZQBwYXNzd29yZA==', 'auth-response'))).toBe('<secret>');
  });

  it('escapes every byte: controls, invalid UTF-8, a terminal escape in a user name', () => {
    expect(imap('a1 SELECT "\x1b]0;owned\x07"')).toMatch(/ C: a1 SELECT "\\x1b\]0;owned\\x07"$/);
    expect(pop3('USER \xff\xfe')).toMatch(/ C: USER \\xff\\xfe$/);
    expect(line({ protocol: 'pop3', kind: 'command', line: Buffer.from('STAT') }, 'a\x1bb')).toContain(' a\\x1bb C: ');
  });

  it('shows at most MAX_SHOWN_OCTETS of a command, then how many more there were; a long secret is masked whole and not counted', () => {
    const message = `Subject: ${'x'.repeat(5000)}\r\n\r\nbody\r\n`;
    const appended = imap(`a4 APPEND saved-messages {${message.length}}`, message, '');
    expect(appended).toMatch(new RegExp(` C: a4 APPEND saved-messages \\{${message.length}\\}\\\\x0d\\\\x0aSubject: x+ … \\(\\d+ more octets\\)$`));
    const shown = appended.slice(appended.indexOf(' C: ') + 4, appended.indexOf(' …'));
    expect(shown).toHaveLength(MAX_SHOWN_OCTETS + 3 * 2); // CRLF as \x0d\x0a: 6 characters for 2 octets
    const long = 'p'.repeat(3000);
    expect(imap(`a1 LOGIN joe ${long}`)).toMatch(/ C: a1 LOGIN joe <secret>$/);
    expect(pop3(`PASS ${long}`)).toMatch(/ C: PASS <secret>$/);
    expect(imap(`a1 LOGIN ${'u'.repeat(600)} secret`)).not.toContain('secret');
  });
});

/** A stream that takes writes and never finishes them until told: a terminal paused with Ctrl-S. */
class StalledStream extends Writable {
  private held: (() => void)[] = [];
  written: string[] = [];
  constructor() {
    super({ highWaterMark: 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.written.push(chunk.toString());
    this.held.push(done);
  }
  release(): void {
    const held = this.held;
    this.held = [];
    for (const done of held) done();
  }
}

describe('the log writer', () => {
  it('drops lines while too much waits, keeps memory bounded, and says how many were dropped once the stream drains', async () => {
    const stream = new StalledStream();
    const writer = new BoundedLogWriter(stream, true, 64 * 1024);
    const text = 'x'.repeat(99);
    for (let i = 0; i < 10_000; i++) writer.write(text);
    expect(stream.writableLength).toBeLessThanOrEqual(64 * 1024 + 100);
    const kept = Math.ceil((64 * 1024) / 100);
    expect(writer.droppedLines).toBe(10_000 - kept);
    // Let it all through: the note comes once the stream has drained.
    for (let i = 0; i < 1000 && (stream.writableLength > 0 || writer.droppedLines > 0); i++) {
      stream.release();
      await new Promise((r) => setImmediate(r));
    }
    stream.release();
    expect(stream.written.filter((w) => w === `${text}\n`)).toHaveLength(kept);
    expect(stream.written.at(-1)).toBe(`… ${10_000 - kept} lines of the log dropped: it was written more slowly than commands came\n`);
  });
});
