/**
 * `mailwire step FILE --target URL` and `--sandbox`: the transcript's commands go to a real server
 * (Dovecot started by the test, or the built-in sandbox in-process), the server's own answers are
 * shown explained, and where they differ from the transcript the step marks it. Scripted (standard
 * input not a terminal) it runs straight through; in tmux it waits for Enter and quits at q.
 */
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { startFakeServer } from '../support/fake-server.js';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mailwire-step-live-'));

function transcriptFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('mailwire step --sandbox, scripted', () => {
  it('logs in first for a fragment, shows the sandbox\'s own answers explained, and marks where they differ', async () => {
    const r = await runMain(['step', join(SEED, 'imap-select-status.txt'), '--sandbox', '--lang', 'en'], { stdin: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^live: each command goes to the built-in sandbox at imap:\/\/127\.0\.0\.1:\d+/m);
    expect(r.stdout).toMatch(/^the transcript starts in the middle of a session: mailwire logs in as joe first$/m);
    expect(r.stdout).toMatch(/^— setup \(not in the transcript\) —\nC: W1 LOGIN "joe" <secret>$/m);
    // The sandbox's INBOX (5 messages), not the slide's 172, with its explanation under it.
    expect(r.stdout).toMatch(/^S: \* 5 EXISTS\n# {3}the mailbox holds 5 messages \(RFC 3501 §7\.3\.1\)$/m);
    expect(r.stdout).not.toMatch(/^S: \* 172 EXISTS/m);
    expect(r.stdout).toMatch(/^≠ the server's answer differs from the transcript \(line 11 was not received/m);
    expect(r.stdout).toMatch(/^ {2}- S: \* 172 EXISTS {3}\(transcript, line 11\)\n {2}\+ S: \* 5 EXISTS {3}\(server\)$/m);
    expect(r.stdout).toMatch(/┃ Selected +┃ ◀ current state, entered by A142 SELECT$/m);
    expect(r.stdout).toMatch(/^— step 3 of 3 —\nC: A143 STATUS INBOX \(MESSAGES UIDNEXT\)\n/m);
    expect(r.stdout).toMatch(/^the server's answers differed from the transcript in 2 steps of 3$/m);
    expect(r.stdout).not.toMatch(/LOGIN "joe" "password"/);
  });

  it('steps the lecture\'s POP3 session in Russian: the sandbox\'s timestamp, its digest, the messages\' real text', async () => {
    const r = await runMain(['step', join(SEED, 'pop3-apop-session.txt'), '--sandbox', '--lang', 'ru'], { stdin: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^вживую: каждая команда уходит во встроенную песочницу на pop3:\/\/127\.0\.0\.1:\d+/m);
    expect(r.stdout).toMatch(/^S: \+OK POP3 server ready <\d+\.\d+\.\d+@mailwire-sandbox>$/m);
    expect(r.stdout).toMatch(/^≠ ответ сервера отличается от записанного /m);
    expect(r.stdout).toMatch(/^ {2}- S: \+OK POP3 server ready <1896\.697270952@dbc\.ca\.us> {3}\(в записи, строка 11\)$/m);
    // The digest is computed again from the declared secret and the live timestamp, and logs in.
    expect(r.stdout).toMatch(/^C: APOP mrose [0-9a-f]{32}\n# {3}вход под именем mrose; дайджест [0-9a-f]{32} должен быть равен MD5\("<\d+\.\d+\.\d+@mailwire-sandbox>" \+ секрет\)/m);
    expect(r.stdout).not.toContain('c4c9334bac560ecc979e58001b3e22fb');
    expect(r.stdout).toMatch(/^S: \+OK mrose's maildrop has 2 messages \(320 octets\)$/m);
    expect(r.stdout).toMatch(/^S: From: dewey@dbc\.mtview\.ca\.us$/m);
    expect(r.stdout).toMatch(/┃ «Транзакция» \(TRANSACTION\) +┃ ◀ текущее состояние, переход по команде APOP$/m);
    expect(r.stdout).toMatch(/^ответы сервера отличались от записанных в 4 шагах из 8$/m);
  });

  it.each(readdirSync(SEED).filter((f) => f.endsWith('.txt')))('the lecture\'s %s steps to its end against the sandbox', async (file) => {
    const r = await runMain(['step', join(SEED, file), '--sandbox', '--lang', 'en'], { stdin: '' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const steps = [...r.stdout.matchAll(/^— step (\d+) of (\d+) —$/gm)];
    expect(steps.length).toBeGreaterThan(1);
    const last = steps.at(-1) as RegExpMatchArray;
    expect(last[1]).toBe(last[2]);
    expect(r.stdout).toMatch(/^the server(?: answered as the transcript shows|'s answers differed from the transcript in \d+ steps? of \d+)/m);
    // Every command shown was answered by the sandbox with a completion of its own tag.
    for (const m of r.stdout.matchAll(/^C: ([A-Za-z]+\d+) [A-Z]/gm)) expect(r.stdout, `${file}: ${m[1]}`).toMatch(new RegExp(`^S: ${m[1]} (?:OK|NO|BAD) `, 'm'));
  });

  it('a connection that breaks mid-way: what was shown stays, one line on stderr, exit 7', async () => {
    const server = await startFakeServer({
      greeting: '* OK fake ready',
      onLine: (line, conn) => {
        const [tag, command] = line.split(' ');
        if (/^NOOP$/i.test(command ?? '')) conn.write(`${tag} OK NOOP done\r\n`);
        else conn.socket.destroy();
      },
    });
    try {
      const file = transcriptFile('broken.txt', ['# protocol: imap', 'S: * OK fake ready', 'C: a1 NOOP', 'S: a1 OK NOOP done', 'C: a2 CAPABILITY', 'S: * CAPABILITY IMAP4rev1', 'S: a2 OK done', 'C: a3 LOGOUT', 'S: * BYE', 'S: a3 OK bye']);
      const r = await runMain(['step', file, '--target', server.url('imap'), '--lang', 'en'], { stdin: '' });
      expect(r.code).toBe(7);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^mailwire: .*clos/);
      expect(r.stdout).toMatch(/^— step 2 of 4 —\nC: a1 NOOP\n#.*\nS: a1 OK NOOP done$/m);
      expect(r.stdout).toMatch(/^C: a2 CAPABILITY$/m);
      expect(r.stdout).toMatch(/^ {2}- S: \* CAPABILITY IMAP4rev1 {3}\(transcript, line 6\)\n {2}\+ \(nothing\)/m);
      expect(r.stdout).not.toMatch(/a3 LOGOUT/);
    } finally {
      await server.close();
    }
  });

  it('live options without --target or --sandbox, and both at once, are usage errors', async () => {
    const file = join(SEED, 'imap-fetch.txt');
    const a = await runMain(['step', file, '--starttls'], { stdin: '' });
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--starttls is for a live step/);
    const b = await runMain(['step', file, '--sandbox', '--target', 'imap://127.0.0.1:1'], { stdin: '' });
    expect(b.code).toBe(2);
    const c = await runMain(['step', file, '--target', 'pop3://127.0.0.1:1'], { stdin: '' });
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/is a IMAP transcript|is an? IMAP transcript/);
  });
});

describeDovecot('mailwire step --target against Dovecot', (dovecot) => {
  it('sends each command to Dovecot and shows its answers; a different EXISTS is marked; the password from the environment goes to the target named', async () => {
    dovecot().deliver('joe', 'From: a@example.org\r\nSubject: one\r\n\r\nbody\r\n');
    const file = transcriptFile('dovecot-imap.txt', [
      '# protocol: imap',
      '# target: imap://192.0.2.1:143',
      'S: * OK $',
      'C: A1 LOGIN joe <secret>',
      'S: A1 OK $',
      'C: A2 SELECT INBOX',
      'S: * 172 EXISTS',
      'S: A2 OK [READ-WRITE] $',
      'C: A3 LOGOUT',
      'S: * BYE $',
      'S: A3 OK $',
    ]);
    const r = await runMain(['step', file, '--target', `imap://127.0.0.1:${dovecot().imapPort}`, '--lang', 'en'], {
      stdin: '',
      vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^S: \* OK \[CAPABILITY [^\]]*\] Dovecot \(Debian\) ready\.$/m);
    expect(r.stdout).toMatch(/^C: A1 LOGIN joe <secret>$/m);
    expect(r.stdout).toMatch(/^S: A1 OK \[CAPABILITY [^\]]*\] Logged in$/m);
    expect(r.stdout).toMatch(/^S: \* 1 EXISTS\n# {3}the mailbox holds 1 message \(RFC 3501 §7\.3\.1\)$/m);
    expect(r.stdout).toMatch(/^ {2}- S: \* 172 EXISTS {3}\(transcript, line 7\)\n {2}\+ S: \* 1 EXISTS {3}\(server\)$/m);
    expect(r.stdout).toMatch(/^S: \* OK \[UIDVALIDITY \d+\] UIDs valid$/m);
    expect(r.stdout).toMatch(/┃ Logout +┃ ◀ current state, entered by A3 LOGOUT$/m);
    expect(r.stdout).toMatch(/^the server's answers differed from the transcript in 1 step of 4$/m);
    expect(r.stdout).not.toMatch(new RegExp(`LOGIN joe ${dovecot().users.joe.password}`));
  });

  it('logs in first as the --user given when a fragment starts logged in, the password from the environment, and selects INBOX', async () => {
    for (const subject of ['one', 'two']) dovecot().deliver('joe', `From: a@example.org\r\nSubject: ${subject}\r\n\r\nbody\r\n`);
    const target = `imap://127.0.0.1:${dovecot().imapPort}`;
    const r = await runMain(['step', join(SEED, 'imap-fetch.txt'), '--target', target, '--user', 'joe', '--lang', 'en'], {
      stdin: '',
      vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^the transcript starts in the middle of a session: mailwire logs in as joe first$/m);
    expect(r.stdout).toMatch(/^— setup \(not in the transcript\) —\nC: W1 LOGIN "joe" <secret>$/m);
    expect(r.stdout).toMatch(/^S: W1 OK \[CAPABILITY [^\]]*\] Logged in$/m);
    expect(r.stdout).toMatch(/^S: W2 OK \[READ-WRITE\] Select completed/m);
    // The fragment's own FETCH is answered from the selected mailbox, not refused for want of one.
    expect(r.stdout).toMatch(/^S: \* 2 FETCH \(UID \d+ INTERNALDATE "[^"]+" RFC822\.SIZE \d+\)$/m);
    expect(r.stdout).not.toMatch(/^S: \S+ (?:BAD|NO) /m);
    expect(r.stdout).not.toMatch(/LOGIN "joe" (?!<secret>$)/m);

    const without = await runMain(['step', join(SEED, 'imap-fetch.txt'), '--target', target], { stdin: '' });
    expect(without.code).toBe(2);
    expect(without.stderr).toMatch(/imap-fetch\.txt starts in the middle of a session, after a login: give the user to log in as first with --user \(see mailwire step --help\)\n$/);
    expect(without.stdout).toBe('');
  });

  it('steps the lecture\'s POP3 session against Dovecot in Russian: its greeting, a new APOP digest, its own replies', async () => {
    const r = await runMain(['step', join(SEED, 'pop3-apop-session.txt'), '--target', `pop3://127.0.0.1:${dovecot().pop3Port}`, '--lang', 'ru'], { stdin: '' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^вживую: каждая команда уходит на pop3:\/\/127\.0\.0\.1:\d+/m);
    expect(r.stdout).toMatch(/^S: \+OK Dovecot \(Debian\) ready\. <[^>]+>$/m);
    expect(r.stdout).toMatch(/^C: APOP mrose [0-9a-f]{32}$/m);
    expect(r.stdout).toMatch(/^S: \+OK Logged in\.$/m);
    expect(r.stdout).toMatch(/^≠ ответ сервера отличается от записанного /m);
    expect(r.stdout).toMatch(/┃ «Транзакция» \(TRANSACTION\) +┃ ◀ текущее состояние, переход по команде APOP$/m);
    expect(r.stdout).toMatch(/^ответы сервера отличались от записанных в \d+ шаг(?:е|ах) из 8$/m);
  });
});

describe.skipIf(!tmuxAvailable())('mailwire step --sandbox in a terminal (tmux)', () => {
  it('English: waits for Enter between steps, the live answer and its mark on screen, quits at q', async () => {
    const t = startTerminal(['step', join(SEED, 'imap-select-status.txt'), '--sandbox', '--no-color'], { LANG: 'en_US.UTF-8' });
    try {
      await t.waitFor(/^— step 1 of 3 —$/m, 'the first step');
      await t.waitFor(/\[Enter or Space: next, q: quit\]/, 'the key hint');
      expect(t.screen()).not.toMatch(/A142 SELECT/);
      t.press('Enter');
      await t.waitFor(/^ {2}\+ S: \* 5 EXISTS {3}\(server\)$/m, 'step 2, the live EXISTS marked');
      expect(t.screen()).toMatch(/^— setup \(not in the transcript\) —$/m);
      expect(t.screen()).not.toMatch(/A143 STATUS/);
      t.type('q');
      expect(await t.exitStatus()).toBe(0);
      expect(t.screen()).not.toMatch(/A143 STATUS/);
    } finally {
      t.close();
    }
  });

  it('Russian: the POP3 session, Space to go on, to the end', async () => {
    const t = startTerminal(['step', join(SEED, 'pop3-apop-session.txt'), '--sandbox', '--no-color'], { LANG: 'ru_RU.UTF-8' });
    try {
      await t.waitFor(/^— шаг 1 из 8 —$/m, 'the first step');
      await t.waitFor(/\[Enter или пробел — дальше, q — выход\]/, 'the key hint');
      expect(t.screen()).toMatch(/^≠ ответ сервера отличается от записанного /m);
      for (let i = 2; i <= 8; i++) {
        t.press('Space');
        await t.waitFor(new RegExp(`^— шаг ${i} из 8 —$`, 'm'), `step ${i}`);
      }
      await t.waitFor(/^ответы сервера отличались от записанных в 4 шагах из 8$/m, 'the summary');
      expect(await t.exitStatus()).toBe(0);
    } finally {
      t.close();
    }
  });
});
