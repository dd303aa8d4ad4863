/**
 * mailwire against a real Dovecot IMAP server: plain, STARTTLS (flag and typed), implicit TLS,
 * certificates, LOGIN, SELECT, APPEND with a synchronizing literal, FETCH of a large message.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { readRfcTranscript } from '../support/rfc-transcript.js';

describeDovecot('mailwire against Dovecot IMAP', (dovecot) => {
  const imap = () => `imap://127.0.0.1:${dovecot().imapPort}`;
  const imaps = () => `imaps://127.0.0.1:${dovecot().imapsPort}`;
  const password = () => ({ MAILWIRE_PASSWORD: dovecot().users.joe.password });

  it('logs in over plain TCP, selects INBOX, logs out', async () => {
    const r = await runMain([imap(), '-c', 'LOGIN joe', '-c', 'SELECT INBOX', '-c', 'LOGOUT'], { vars: password() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# connected to imap:\/\/127\.0\.0\.1:\d+, plain TCP\n/);
    expect(r.stdout).toMatch(/S: \* OK \[CAPABILITY IMAP4rev1 .*\] Dovecot .*ready/);
    expect(r.stdout).toContain('C: A001 LOGIN joe <secret>');
    expect(r.stdout).toMatch(/S: A001 OK .*Logged in/);
    expect(r.stdout).toMatch(/S: \* OK \[UIDVALIDITY \d+\]/);
    expect(r.stdout).toMatch(/S: A002 OK \[READ-WRITE\] Select completed/);
    expect(r.stdout).toMatch(/S: \* BYE Logging out\nS: A003 OK Logout completed/);
    expect(r.stdout).not.toContain(dovecot().users.joe.password);
  });

  it('upgrades with --starttls and verifies the certificate against --ca', async () => {
    const r = await runMain([imap(), '--starttls', '--ca', dovecot().caFile, '-c', 'CAPABILITY', '-c', 'LOGOUT'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: A00\d STARTTLS\nS: A00\d OK Begin TLS negotiation now\.?\n# TLS: TLSv1\.[23] \S+, subject CN=localhost.*, issuer CN=mailwire test CA, expires \d{4}-\d\d-\d\d, certificate verified\n/);
    // After TLS, Dovecot no longer offers STARTTLS: the CAPABILITY we sent ran over TLS.
    const afterTls = r.stdout.slice(r.stdout.indexOf('# TLS:'));
    expect(afterTls).toMatch(/S: \* CAPABILITY IMAP4rev1 /);
    expect(afterTls).not.toMatch(/S: \* CAPABILITY .*STARTTLS/);
  });

  it('upgrades when STARTTLS is typed in the session', async () => {
    const r = await runMain([imap(), '--ca', dovecot().caFile, '-c', 'STARTTLS', '-c', 'LOGIN joe', '-c', 'LOGOUT'], { vars: password() });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: A001 STARTTLS\nS: A001 OK .*\n# TLS: .*certificate verified\nC: A002 LOGIN joe <secret>\nS: A002 OK/);
  });

  it('talks implicit TLS on imaps://', async () => {
    const r = await runMain([imaps(), '--ca', dovecot().caFile, '-c', 'NOOP'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# connected to imaps:\/\/127\.0\.0\.1:\d+, TLS\n# TLS: TLSv1\.[23] .*certificate verified\nS: \* OK /);
  });

  it('refuses the certificate without --ca (exit 5), and says NOT verified with --insecure', async () => {
    const refused = await runMain([imaps(), '-c', 'NOOP'], {});
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/^mailwire: certificate of 127\.0\.0\.1:\d+ not trusted: .*\(use --ca FILE to trust its CA, or --insecure\)\n$/);
    const insecure = await runMain([imaps(), '--insecure', '-c', 'NOOP'], {});
    expect(insecure.code).toBe(0);
    expect(insecure.stdout).toMatch(/# TLS: .*certificate NOT verified \(.+\).*--insecure/);
    const starttls = await runMain([imap(), '--starttls', '-c', 'NOOP'], {});
    expect(starttls.code).toBe(5);
  });

  it('APPENDs the RFC 3501 §6.3.11 message with a synchronizing literal and fetches it back', async () => {
    const rfc = readRfcTranscript('imap', 'rfc3501-6.3.11-append.txt')
      .lines.filter((l) => l.direction === 'C')
      .map((l) => l.text);
    const input = ['LOGIN joe', 'CREATE saved-messages', ...rfc, 'SELECT saved-messages', 'FETCH 1 (RFC822.SIZE BODY[])', 'LOGOUT'].join('\n');
    const r = await runMain([imap()], { stdin: `${input}\n`, vars: password() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The literal went out only after the server's "+".
    expect(r.stdout).toMatch(/C: A003 APPEND saved-messages \(\\Seen\) \{310\}\nS: \+ OK\nC: Date: Mon, 7 Feb 1994 21:52:25 -0800 \(PST\)\n/);
    expect(r.stdout).toMatch(/S: A003 OK \[APPENDUID \d+ 1\] Append completed/);
    expect(r.stdout).toMatch(/S: \* 1 FETCH \(RFC822\.SIZE 310 BODY\[\] \{310\}\nS: Date: Mon, 7 Feb 1994/);
    expect(r.stdout).toMatch(/S: Hello Joe, do you think we can meet at 3:30 tomorrow\?\nS: \)\nS: A005 OK Fetch completed/);
  });

  it('fetches a 4 MB message whole, literal by octet count, and records it', async () => {
    const lines = Array.from({ length: 60_000 }, (_, i) => `line ${String(i).padStart(6, '0')} ${'.'.repeat(50)}`);
    const body = `From: a@example.org\r\nSubject: big\r\n\r\n${lines.join('\r\n')}\r\n`;
    dovecot().deliver('joe', body);
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-dovecot-'));
    const file = join(dir, 'big.txt');
    const r = await runMain([imap(), '--record', file], {
      stdin: 'LOGIN joe\nEXAMINE INBOX\nFETCH * BODY.PEEK[]\nLOGOUT\n',
      vars: password(),
    });
    expect(r.code).toBe(0);
    const size = Buffer.byteLength(body);
    expect(r.stdout).toContain(`FETCH (BODY[] {${size}}`);
    expect(r.stdout).toContain('S: line 059999 ....');
    expect(r.stdout).toMatch(/S: A003 OK Fetch completed/);
    const recorded = readFileSync(file, 'utf8');
    expect(recorded.split('\n').filter((l) => l.startsWith('S: line ')).length).toBe(60_000);
    expect(recorded).not.toContain(dovecot().users.joe.password);
  });

  it('warns about a command outside its state but sends it, and shows the server answer', async () => {
    const r = await runMain([imap(), '-c', 'SELECT INBOX'], {});
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/# warning: SELECT is not valid in the not-authenticated state/);
    expect(r.stdout).toMatch(/S: A001 BAD .*|S: A001 NO .*/);
  });
});
