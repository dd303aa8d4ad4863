/**
 * Everything `--record` writes lints clean: sessions recorded against a real Dovecot (IMAP with the
 * extensions it offers, POP3 with every way of logging in, SASL challenges written "+ $"), against a
 * real Cyrus (ACL, METADATA, QUOTA, CONDSTORE/QRESYNC, ESEARCH, LIST-EXTENDED, BINARY, SORT/THREAD,
 * OBJECTID, PREVIEW, APPENDLIMIT)
 * and against mailwire's own sandbox (`mailwire demo`), then `mailwire lint` on each recording: no error.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeCyrus } from '../support/cyrus.js';
import { describeDovecot } from '../support/dovecot.js';

const MESSAGE = 'From: Fred Foobar <foobar@example.org>\r\nSubject: Grüße aus Köln\r\nDate: Mon, 7 Feb 1994 21:52:25 -0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nТело сообщения\r\n';

const dir = mkdtempSync(join(tmpdir(), 'mailwire-lint-rec-'));

/** Records a session from stdin lines, then lints the recording: every finding, and the exit code. */
async function recordAndLint(target: string, name: string, lines: string[], args: string[] = [], vars: Record<string, string> = {}): Promise<{ file: string; lint: string }> {
  const file = join(dir, `${name}.txt`);
  const rec = await runMain([...(target === 'demo' ? ['demo'] : [target]), '--record', file, ...args], { stdin: `${lines.join('\n')}\n`, vars });
  expect(rec.code, rec.stderr).toBe(0);
  const lint = await runMain(['lint', file]);
  expect(lint.stdout.trimEnd().split('\n').at(-1), `${lint.stdout}\n${readFileSync(file, 'utf8')}`).toMatch(/^1 transcript: 0 errors/);
  expect(lint.code).toBe(0);
  return { file, lint: lint.stdout };
}

describeDovecot('lint on what --record writes from Dovecot', (dovecot) => {
  const imap = () => `imap://127.0.0.1:${dovecot().imapPort}`;
  const pop3 = () => `pop3://127.0.0.1:${dovecot().pop3Port}`;

  it('an IMAP session over the commands and extensions Dovecot offers', async () => {
    dovecot().deliver('joe', MESSAGE);
    await recordAndLint(
      imap(),
      'imap-extensions',
      [
        'CAPABILITY',
        'ID ("name" "mailwire")',
        'LOGIN joe',
        'ENABLE CONDSTORE QRESYNC',
        'NAMESPACE',
        'LIST "" "*"',
        'LIST (SUBSCRIBED) "" "*" RETURN (CHILDREN STATUS (MESSAGES UNSEEN))',
        'CREATE Archive',
        'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)',
        'SELECT INBOX (CONDSTORE)',
        'FETCH 1:* (FLAGS UID MODSEQ) (CHANGEDSINCE 0)',
        'FETCH 1 (ENVELOPE BODYSTRUCTURE INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])',
        'FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])',
        // PREVIEW (RFC 8970), which Dovecot 2.3 announces
        'FETCH 1 (PREVIEW)',
        'FETCH 1 BODY[TEXT]',
        'SEARCH RETURN (MIN MAX COUNT) ALL',
        'UID SEARCH SUBJECT "Grüße"',
        'SORT (DATE) UTF-8 ALL',
        'THREAD REFERENCES UTF-8 ALL',
        'STORE 1 +FLAGS.SILENT (\\Flagged)',
        'UID COPY 1 Archive',
        'UID MOVE 1 Archive',
        'UNSELECT',
        'LOGOUT',
      ],
      [],
      { MAILWIRE_PASSWORD: dovecot().users.joe.password },
    );
  });

  it.each([
    ['APOP', ['APOP mrose', 'CAPA', 'STAT', 'LIST', 'UIDL', 'TOP 1 0', 'RETR 1', 'QUIT'], [] as string[]],
    ['USER and PASS', ['USER mrose', 'PASS', 'STAT', 'QUIT'], []],
    ['AUTH PLAIN', ['AUTH PLAIN', 'STAT', 'QUIT'], ['--user', 'mrose']],
    ['AUTH LOGIN', ['AUTH LOGIN', 'STAT', 'QUIT'], ['--user', 'mrose']],
    ['AUTH CRAM-MD5', ['AUTH CRAM-MD5', 'STAT', 'QUIT'], ['--user', 'mrose']],
    ['AUTH SCRAM-SHA-256', ['AUTH SCRAM-SHA-256', 'STAT', 'QUIT'], ['--user', 'mrose']],
  ])('a POP3 session logged in with %s: its SASL challenges ("+ $") and the TRANSACTION state after them', async (name, lines, args) => {
    dovecot().deliver('mrose', MESSAGE);
    const { file } = await recordAndLint(pop3(), `pop3-${name.replace(/\W+/g, '-')}`, lines, args, { MAILWIRE_PASSWORD: 'tanstaaf' });
    if (name === 'AUTH CRAM-MD5' || name === 'AUTH SCRAM-SHA-256') expect(readFileSync(file, 'utf8')).toMatch(/\nS: \+ \$\n/);
  });

  it.each([
    ['AUTHENTICATE PLAIN', ['AUTHENTICATE PLAIN', 'LOGOUT']],
    ['AUTHENTICATE CRAM-MD5', ['AUTHENTICATE CRAM-MD5', 'LOGOUT']],
    ['AUTHENTICATE SCRAM-SHA-1', ['AUTHENTICATE SCRAM-SHA-1', 'LOGOUT']],
    ['LOGIN with a literal password', ['LOGIN mrose {8}', 'tanstaaf', 'LOGOUT']],
  ])('an IMAP login with %s', async (name, lines) => {
    await recordAndLint(imap(), `imap-${name.replace(/\W+/g, '-')}`, lines, ['--user', 'mrose'], { MAILWIRE_PASSWORD: 'tanstaaf' });
  });
});

describeCyrus('lint on what --record writes from Cyrus', (cyrus) => {
  it('an IMAP session over the extensions Cyrus offers', async () => {
    await cyrus().deliver('joe', MESSAGE);
    await recordAndLint(
      `imap://127.0.0.1:${cyrus().imapPort}`,
      'cyrus-imap',
      [
        'CAPABILITY',
        'ID ("name" "mailwire")',
        'LOGIN joe',
        'CAPABILITY',
        'ENABLE CONDSTORE QRESYNC',
        'NAMESPACE',
        'LIST "" "*"',
        'LIST (SUBSCRIBED) "" "*" RETURN (CHILDREN STATUS (MESSAGES UNSEEN))',
        'CREATE Archive',
        'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN HIGHESTMODSEQ)',
        // OBJECTID (RFC 8474), STATUS=SIZE, APPENDLIMIT (RFC 7889: Cyrus 3.6 announces it, and refuses the item)
        'STATUS INBOX (MESSAGES SIZE MAILBOXID)',
        'STATUS INBOX (APPENDLIMIT)',
        'SELECT INBOX (CONDSTORE)',
        'FETCH 1:* (FLAGS UID MODSEQ) (CHANGEDSINCE 1)',
        'FETCH 1 (ENVELOPE BODYSTRUCTURE INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])',
        'FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])',
        // OBJECTID's EMAILID and THREADID, PREVIEW (RFC 8970)
        'FETCH 1 (EMAILID THREADID PREVIEW)',
        'UID SEARCH EMAILID M1',
        'SEARCH RETURN (MIN MAX COUNT) ALL',
        'SORT (DATE) UTF-8 ALL',
        'THREAD REFERENCES UTF-8 ALL',
        'STORE 1 (UNCHANGEDSINCE 100) +FLAGS.SILENT (\\Flagged)',
        'UID COPY 1 Archive',
        'GETQUOTAROOT INBOX',
        'GETACL INBOX',
        'MYRIGHTS INBOX',
        'LISTRIGHTS INBOX anyone',
        'GETMETADATA INBOX /private/comment',
        'SETMETADATA INBOX (/private/comment "Grüße")',
        'GETMETADATA (DEPTH 1) INBOX (/private/comment)',
        'UNSELECT',
        'LOGOUT',
      ],
      [],
      { MAILWIRE_PASSWORD: cyrus().users.joe.password },
    );
  });

  it('a POP3 session', async () => {
    await cyrus().deliver('mrose', MESSAGE);
    await recordAndLint(`pop3://127.0.0.1:${cyrus().pop3Port}`, 'cyrus-pop3', ['CAPA', 'USER mrose', 'PASS', 'STAT', 'LIST', 'UIDL', 'RETR 1', 'QUIT'], [], { MAILWIRE_PASSWORD: 'tanstaaf' });
  });
});

describe('lint on what --record writes from the sandbox', () => {
  it('an IMAP session of mailwire demo', async () => {
    await recordAndLint('demo', 'sandbox-imap', [
      'CAPABILITY',
      'LOGIN joe password',
      'LIST "" "*"',
      'SELECT INBOX',
      'FETCH 1:* (FLAGS ENVELOPE BODYSTRUCTURE)',
      'SEARCH ALL',
      'APPEND INBOX {12+}',
      'Subject: x',
      '',
      'IDLE',
      'DONE',
      'LOGOUT',
    ]);
  });

  it('a POP3 session of mailwire demo pop3', async () => {
    await recordAndLint('demo', 'sandbox-pop3', ['USER joe', 'PASS password', 'STAT', 'LIST', 'UIDL', 'RETR 1', 'QUIT'], ['pop3']);
  });
});
