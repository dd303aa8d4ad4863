/**
 * Auto tags against a real Dovecot (docs/auto-tags.md): commands mailwire had never heard of, typos
 * and X-words get a tag of mailwire's; a tag of the user's is kept when the line clearly starts with
 * one; a blank line sends nothing, except the empty line that ends APPEND after its literal.
 */
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';

describeDovecot('auto tags against Dovecot', (dovecot) => {
  it('tags ACL commands, typos and X-words itself, and keeps the tags the user typed', async () => {
    const r = await runMain(
      [`imap://127.0.0.1:${dovecot().imapPort}`, '-c', 'LOGIN joe', '-c', 'MYRIGHTS INBOX', '-c', 'GETACL INBOX', '-c', 'LISTRIGHTS INBOX joe', '-c', 'SELCT INBOX', '-c', 'fetc 1 flags', '-c', 'XAPPLEPUSHSERVICE aps-version 2', '-c', 'a1 MYRIGHTS INBOX', '-c', 'abc NOOP', '-c', 'LOGOUT'],
      { vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password } },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/C: A002 MYRIGHTS INBOX\nS: \* MYRIGHTS INBOX \w+\nS: A002 OK /);
    expect(r.stdout).toMatch(/C: A003 GETACL INBOX\nS: \* ACL INBOX /);
    expect(r.stdout).toMatch(/C: A004 LISTRIGHTS INBOX joe\nS: \* LISTRIGHTS INBOX joe /);
    expect(r.stdout).toMatch(/C: A005 SELCT INBOX\nS: A005 BAD /);
    expect(r.stdout).toMatch(/C: A006 fetc 1 flags\nS: A006 BAD /);
    expect(r.stdout).toMatch(/C: A007 XAPPLEPUSHSERVICE aps-version 2\nS: A007 BAD /);
    expect(r.stdout).toMatch(/C: a1 MYRIGHTS INBOX\nS: \* MYRIGHTS INBOX \w+\nS: a1 OK /);
    expect(r.stdout).toMatch(/C: abc NOOP\nS: abc OK /);
    expect(r.stdout).toMatch(/C: A008 LOGOUT\n/);
    expect(r.stdout).not.toMatch(/S: (MYRIGHTS|SELCT|fetc|GETACL) BAD/);
    expect(r.code).toBe(0);
  });

  it('sends nothing for a blank line, but ends APPEND with the empty line after its literal', async () => {
    const message = 'Subject: blank lines\r\n\r\nhi\r\n';
    const stdin = ['LOGIN joe', '', '   ', `APPEND INBOX {${message.length}}`, 'Subject: blank lines', '', 'hi', '', 'NOOP', 'LOGOUT', ''].join('\n');
    const r = await runMain([`imap://127.0.0.1:${dovecot().imapPort}`], { stdin, vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/Null command|BAD/);
    expect(r.stdout).toMatch(/S: A001 OK .*\nC: A002 APPEND INBOX \{28\}\n/);
    expect(r.stdout).toMatch(/S: A002 OK \[APPENDUID \d+ \d+\] Append completed/);
    expect(r.stdout).toMatch(/C: A003 NOOP\nS: A003 OK /);
  });
});
