/**
 * mailwire against a real Dovecot POP3 server: USER/PASS, APOP computed from the greeting, multi-line
 * LIST/RETR/UIDL/CAPA, dot-stuffing, STLS (flag and typed), implicit TLS.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';

describeDovecot('mailwire against Dovecot POP3', (dovecot) => {
  const pop3 = () => `pop3://127.0.0.1:${dovecot().pop3Port}`;
  const pop3s = () => `pop3s://127.0.0.1:${dovecot().pop3sPort}`;

  it('logs in with APOP: digest computed from the greeting timestamp and shown as sent', async () => {
    const r = await runMain([pop3(), '-c', 'APOP mrose', '-c', 'STAT', '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const timestamp = /S: \+OK .*(<[^>]+>)/.exec(r.stdout)?.[1] as string;
    expect(timestamp).toBeDefined();
    const digest = createHash('md5').update(`${timestamp}tanstaaf`).digest('hex');
    expect(r.stdout).toContain(`C: APOP mrose ${digest}\nS: +OK Logged in.`);
    expect(r.stdout).not.toContain('tanstaaf');
  });

  it('reads multi-line replies (CAPA, LIST, UIDL, RETR, TOP) and shows dot lines as on the wire, on screen as in the recording', async () => {
    const message = 'From: a@example.org\r\nSubject: dots\r\n\r\nfirst\r\n.\r\n..two dots\r\n.x\r\nlast\r\n';
    dovecot().deliver('joe', message);
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-pop3-'));
    const file = join(dir, 'pop3.txt');
    const r = await runMain([pop3(), '--record', file], {
      stdin: 'CAPA\nUSER joe\nPASS\nLIST\nUIDL\nRETR 1\nTOP 1 0\nLIST 1\nQUIT\n',
      vars: { MAILWIRE_PASSWORD: dovecot().users.joe.password },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: CAPA\nS: \+OK\nS: CAPA\nS: TOP\nS: UIDL\nS: RESP-CODES\nS: PIPELINING\n[\s\S]*S: STLS\n[\s\S]*?S: \.\n/);
    expect(r.stdout).toContain('C: PASS <secret>\nS: +OK Logged in.');
    expect(r.stdout).toMatch(/C: LIST\nS: \+OK 1 messages:\nS: 1 \d+\nS: \.\nC: UIDL\nS: \+OK\nS: 1 \S+\nS: \.\n/);
    // On screen as on the wire: the body's lone "." is "..", never like the "." that ends the reply.
    expect(r.stdout).toMatch(/C: RETR 1\nS: \+OK \d+ octets\nS: From: a@example.org\nS: Subject: dots\nS:\nS: first\nS: \.\.\nS: \.\.\.two dots\nS: \.\.x\nS: last\nS: \.\n/);
    expect(r.stdout).toMatch(/C: TOP 1 0\nS: \+OK\nS: From: a@example.org\nS: Subject: dots\nS:\nS: \.\n/);
    expect(r.stdout).toMatch(/C: LIST 1\nS: \+OK 1 \d+\nC: QUIT/);
    // In the recording the same.
    const recorded = readFileSync(file, 'utf8');
    expect(recorded).toMatch(/S: first\nS: \.\.\nS: \.\.\.two dots\nS: \.\.x\nS: last\nS: \.\n/);
    expect(recorded).not.toContain(dovecot().users.joe.password);
  });

  it('upgrades with --starttls (STLS after CAPA) and verifies the certificate', async () => {
    const r = await runMain([pop3(), '--starttls', '--ca', dovecot().caFile, '-c', 'CAPA', '-c', 'QUIT'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: STLS\nS: \+OK Begin TLS negotiation now\.?\n# TLS: TLSv1\.[23] .*certificate verified\n/);
    const afterTls = r.stdout.slice(r.stdout.indexOf('# TLS:'));
    expect(afterTls).toMatch(/C: CAPA\nS: \+OK\n/);
    expect(afterTls).not.toMatch(/S: STLS\n/);
  });

  it('upgrades when STLS is typed, and talks implicit TLS on pop3s://', async () => {
    const typed = await runMain([pop3(), '--ca', dovecot().caFile, '-c', 'STLS', '-c', 'USER joe', '-c', 'QUIT'], {});
    expect(typed.code).toBe(0);
    expect(typed.stdout).toMatch(/C: STLS\nS: \+OK .*\n# TLS: .*certificate verified\nC: USER joe\nS: \+OK/);
    const implicit = await runMain([pop3s(), '--ca', dovecot().caFile, '-c', 'QUIT'], {});
    expect(implicit.code).toBe(0);
    expect(implicit.stdout).toMatch(/^# connected to pop3s:\/\/127\.0\.0\.1:\d+, TLS\n# TLS: .*certificate verified\nS: \+OK /);
  });

  it('refuses an untrusted certificate on pop3s:// (exit 5)', async () => {
    const r = await runMain([pop3s(), '-c', 'QUIT'], {});
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(/not trusted/);
  });

  // Last: Dovecot delays later logins from the same address after a failed one (auth penalty).
  it('shows a wrong APOP secret as the server refuses it, exit 0 (a reply is a reply)', async () => {
    const r = await runMain([pop3(), '-c', 'APOP mrose', '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'wrong' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/C: APOP mrose [0-9a-f]{32}\nS: -ERR /);
  });
});
