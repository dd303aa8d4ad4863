/**
 * Against a real Dovecot, in scripted use: decoded views beside the raw lines (mUTF-7 names, MIME
 * encoded-words in ENVELOPE, BODYSTRUCTURE trees), never in a recorded transcript; and literals
 * computed from files with {file:PATH}.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';

const MESSAGE = [
  'From: =?UTF-8?B?QW5kcsOp?= <andre@example.org>',
  'To: joe@example.org',
  'Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?Q?K=F6ln?=',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b1"',
  '',
  '--b1',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'hello',
  '--b1',
  'Content-Type: application/pdf; name="=?UTF-8?B?UmVjaG51bmfigqwucGRm?="',
  "Content-Disposition: attachment; filename*=utf-8''Rechnung%E2%82%AC.pdf",
  'Content-Transfer-Encoding: base64',
  '',
  'AAAA',
  '--b1--',
  '',
].join('\r\n');

describeDovecot('decoded views and {file:} literals against Dovecot', (dovecot) => {
  const imap = () => `imap://127.0.0.1:${dovecot().imapPort}`;
  const vars = () => ({ MAILWIRE_PASSWORD: dovecot().users.joe.password });

  it('shows a mailbox name in modified UTF-7 decoded under the LIST line, and only there', async () => {
    const r = await runMain([imap(), '-c', 'LOGIN joe', '-c', 'CREATE "Entw&APw-rfe"', '-c', 'LIST "" *', '-c', 'LOGOUT'], { vars: vars() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/S: \* LIST \([^)]*\) "[./]" "?Entw&APw-rfe"?\n#   mailbox: Entwürfe\n/);
    expect(r.stdout.match(/#   mailbox:/g)).toHaveLength(1);
  });

  it('decodes ENVELOPE encoded-words and draws the BODYSTRUCTURE tree; --no-decode and --record leave them out', async () => {
    dovecot().deliver('joe', MESSAGE);
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-decoded-'));
    const record = join(dir, 'session.txt');
    const args = [imap(), '-c', 'LOGIN joe', '-c', 'EXAMINE INBOX', '-c', 'FETCH 1 (ENVELOPE BODYSTRUCTURE)', '-c', 'LOGOUT'];
    const r = await runMain([...args, '--record', record], { vars: vars() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '#   subject: Grüße aus Köln',
        '#   from: André <andre@example.org>',
        '#   BODYSTRUCTURE of message 1:',
        '#     multipart/mixed; boundary=b1',
        '#       [1] text/plain; charset=utf-8, 7bit, 5 octets, 0 lines',
        '#       [2] application/pdf; name="Rechnung€.pdf", base64, 4 octets, attachment; filename="Rechnung€.pdf"',
        'S: A003 OK Fetch completed',
      ].join('\n'),
    );
    // The raw line is there too, untouched.
    expect(r.stdout).toContain('"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= aus =?ISO-8859-1?Q?K=F6ln?="');
    const recorded = readFileSync(record, 'utf8');
    expect(recorded).toContain('=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=');
    expect(recorded).not.toContain('#   ');

    const plain = await runMain([...args, '--no-decode'], { vars: vars() });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('S: * 1 FETCH (ENVELOPE (');
    expect(plain.stdout).not.toContain('#   ');
  });

  it('APPENDs a file with {file:PATH}: the literal size computed, the octets sent as they are', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-file-'));
    const crlf = 'Subject: from a file\r\n\r\nHello from {file:}.\r\n';
    writeFileSync(join(dir, 'msg.eml'), crlf);
    writeFileSync(join(dir, 'unix.eml'), 'Subject: unix\n\nbare LF\n');
    const r = await runMain(
      [imap(), '-c', 'LOGIN joe', '-c', 'CREATE files', '-c', 'APPEND files {file:msg.eml}', '-c', 'APPEND files (\\Seen) {file:./unix.eml}', '-c', 'STATUS files (MESSAGES)', '-c', 'LOGOUT'],
      { vars: vars(), cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`# {file:msg.eml}: ${Buffer.byteLength(crlf)} octets, sent as a literal\nC: A003 APPEND files {${Buffer.byteLength(crlf)}}\nS: + OK\nC: Subject: from a file\n`);
    expect(r.stdout).toMatch(/S: A003 OK \[APPENDUID \d+ 1\]/);
    expect(r.stdout).toMatch(/# warning: \.\/unix\.eml has lines ending in a bare LF; RFC 5322 §2\.3 .*\nC: A004 APPEND files \(\\Seen\) \{23\}\nS: \+ OK\nC: Subject: unix\\x0a\\x0abare LF\\x0a\n/);
    expect(r.stdout).toMatch(/S: \* STATUS files \(MESSAGES 2\)/);
  });

  it('stops with exit 9 and sends nothing of the command when the file cannot be read', async () => {
    const r = await runMain([imap(), '-c', 'LOGIN joe', '-c', 'APPEND INBOX {file:/nonexistent/msg.eml}', '-c', 'LOGOUT'], { vars: vars() });
    expect(r.code).toBe(9);
    expect(r.stderr).toBe('mailwire: cannot read {file:/nonexistent/msg.eml}: no such file or folder; nothing sent\n');
    expect(r.stdout).not.toContain('C: A002');
  });
});
