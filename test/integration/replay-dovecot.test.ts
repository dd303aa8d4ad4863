/**
 * Transcripts as regression tests against a real Dovecot: a session recorded today replays against
 * another, freshly started Dovecot (new mailboxes, new UIDVALIDITY, new APOP timestamp, new timings);
 * a changed reply fails with exit 1 and a diff naming the line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';

const MESSAGE = 'From: Fred Foobar <foobar@example.org>\r\nSubject: afternoon meeting\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\n\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n';

describeDovecot('replay against Dovecot', (recorded) => {
  let fresh: DovecotServer;
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-replay-'));

  beforeAll(async () => {
    fresh = await startDovecot();
  });
  afterAll(async () => {
    await fresh?.stop();
  });

  /** Gives the same mailbox to both servers, as a test fixture would. */
  function deliverBoth(user: 'joe' | 'mrose', message: string): void {
    recorded().deliver(user, message);
    fresh.deliver(user, message);
  }

  it('records an IMAP session with patterns for what a server will not repeat, and no secret', async () => {
    deliverBoth('joe', MESSAGE);
    const file = join(dir, 'imap.txt');
    const rec = await runMain([`imap://127.0.0.1:${recorded().imapPort}`, '--record', file], {
      stdin: [
        'LOGIN joe',
        'SELECT INBOX',
        'FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE BODY[HEADER.FIELDS (SUBJECT)])',
        'STATUS INBOX (MESSAGES UIDVALIDITY)',
        'APPEND INBOX (\\Seen) {21}',
        'Subject: appended',
        '',
        '',
        'UID SEARCH ALL',
        'LOGOUT',
        '',
      ].join('\n'),
      vars: { MAILWIRE_PASSWORD: recorded().users.joe.password },
    });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    const transcript = readFileSync(file, 'utf8');
    expect(transcript).toContain('# secret: joe\nC: A001 LOGIN joe <secret>\n');
    expect(transcript).toMatch(/S: \* OK \[UIDVALIDITY \$uidvalidity\] /);
    expect(transcript).toMatch(/S: \* STATUS INBOX \(MESSAGES 1 UIDVALIDITY \$uidvalidity\)/);
    expect(transcript).toMatch(/INTERNALDATE \$ /);
    expect(transcript).toMatch(/S: A002 OK \[READ-WRITE\] Select completed \$\.\n/);
    expect(transcript).toMatch(/\[APPENDUID \$uidvalidity 2\]/);
    expect(transcript).not.toContain(recorded().users.joe.password);
  });

  it('fails with exit 1 and a diff naming the line when one expected reply is changed', async () => {
    const file = join(dir, 'imap.txt');
    const changed = join(dir, 'imap-changed.txt');
    const lines = readFileSync(file, 'utf8').split('\n');
    // The LOGIN completion: the replay stops there, before anything changes the fresh mailbox.
    const at = lines.findIndex((l) => /^S: A001 OK .* Logged in$/.test(l));
    expect(at).toBeGreaterThan(0);
    lines[at] = (lines[at] as string).replace('Logged in', 'Logged on');
    writeFileSync(changed, lines.join('\n'));
    const r = await runMain(['replay', changed, '--target', `imap://127.0.0.1:${fresh.imapPort}`], { vars: { MAILWIRE_PASSWORD: fresh.users.joe.password } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL ${changed}`);
    expect(r.stdout).toContain(`${changed}:${at + 1}: `);
    expect(r.stdout).toMatch(new RegExp(`\\n {4}- S: A001 OK \\[CAPABILITY [^\\]]*\\] Logged on {3}\\(transcript line ${at + 1}\\)\\n {4}\\+ S: A001 OK \\[CAPABILITY [^\\]]*\\] Logged in {3}\\(server\\)\\n {6,}\\^\\n`));
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
  });

  it('replays the recording against a fresh Dovecot (new UIDVALIDITY, new dates and timings): it passes', async () => {
    const file = join(dir, 'imap.txt');
    const r = await runMain(['replay', file, '--target', `imap://127.0.0.1:${fresh.imapPort}`], { vars: { MAILWIRE_PASSWORD: fresh.users.joe.password } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^PASS ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(\\d+ ms\\)\\n1 passed, 0 failed\\n$`));
    expect(r.code).toBe(0);
  });

  it('records a POP3 APOP session, then replays it: the digest is recomputed from the new greeting', async () => {
    deliverBoth('mrose', MESSAGE);
    const file = join(dir, 'pop3.txt');
    const rec = await runMain([`pop3://127.0.0.1:${recorded().pop3Port}`, '--record', file, '-c', 'APOP mrose', '-c', 'STAT', '-c', 'UIDL', '-c', 'RETR 1', '-c', 'QUIT'], {
      vars: { MAILWIRE_PASSWORD: 'tanstaaf' },
    });
    expect(rec.code).toBe(0);
    const transcript = readFileSync(file, 'utf8');
    expect(transcript).toMatch(/S: \+OK Dovecot .*<\$>\n# secret: mrose\nC: APOP mrose [0-9a-f]{32}\n/);
    expect(transcript).toMatch(/C: UIDL\nS: \+OK\nS: 1 \$\nS: \.\n/);
    const r = await runMain(['replay', file, '--target', `pop3://127.0.0.1:${fresh.pop3Port}`], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });
});
