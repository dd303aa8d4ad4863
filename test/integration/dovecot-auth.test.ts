/**
 * Logins mailwire runs itself, against a real Dovecot: every password mechanism Dovecot offers, over
 * IMAP AUTHENTICATE (with SASL-IR) and POP3 AUTH, each base64 line shown raw (or masked) with its
 * decoded content beside it; and the failures explained in plain words.
 */
import { expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';

const MECHANISMS = ['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'] as const;

/** joe's password is "password": it must not appear, except in mailwire's own words about it. */
function withoutOwnWords(stdout: string): string {
  return stdout.replaceAll('the server knows the password', '').replaceAll('needs a password', '');
}

describeDovecot('logins mailwire runs, against Dovecot', (dovecot) => {
  const imap = () => `imap://127.0.0.1:${dovecot().imapPort}`;
  const pop3 = () => `pop3://127.0.0.1:${dovecot().pop3Port}`;
  const joe = () => ({ MAILWIRE_PASSWORD: dovecot().users.joe.password });

  it.each(MECHANISMS)('IMAP AUTHENTICATE %s logs joe in, and nothing secret is shown', async (mechanism) => {
    const r = await runMain([imap(), '--user', 'joe', '-c', `AUTHENTICATE ${mechanism}`, '-c', 'SELECT INBOX', '-c', 'LOGOUT'], { vars: joe() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/S: A001 OK .*Logged in/);
    expect(r.stdout).toMatch(/S: A002 OK \[READ-WRITE\] Select completed/);
    expect(withoutOwnWords(r.stdout)).not.toContain('password');
    expect(r.stdout).not.toContain(Buffer.from('password').toString('base64').slice(0, 8));
    expect(r.stdout).not.toMatch(/login failed/);
  });

  it('IMAP PLAIN goes in the command line (SASL-IR), masked, and is shown decoded', async () => {
    const r = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE PLAIN', '-c', 'LOGOUT'], { vars: joe() });
    expect(r.stdout).toContain('C: A001 AUTHENTICATE PLAIN <secret>\n# PLAIN client: \\x00joe\\x00<secret>\nS: A001 OK');
  });

  it('IMAP SCRAM-SHA-256: the four messages, the proof masked, the server signature verified', async () => {
    const r = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE SCRAM-SHA-256', '-c', 'LOGOUT'], { vars: joe() });
    const lines = r.stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('C: A001 AUTHENTICATE SCRAM-SHA-256 '));
    const exchange = lines.slice(at, at + 9);
    const [command, clientFirst, challenge, serverFirst, proof, clientFinal, final, serverFinal, verified] = exchange as string[];
    const ir = (command as string).split(' ')[4] as string;
    expect(Buffer.from(ir, 'base64').toString('utf8')).toMatch(/^n,,n=joe,r=[A-Za-z0-9+/]{24}$/);
    expect(clientFirst).toBe(`# SCRAM-SHA-256 client-first: ${Buffer.from(ir, 'base64').toString('utf8')}`);
    expect(challenge).toMatch(/^S: \+ [A-Za-z0-9+/=]+$/);
    expect(serverFirst).toMatch(/^# SCRAM-SHA-256 server-first: r=[^,]+,s=[^,]+,i=\d+$/);
    expect(proof).toBe('C: <secret>');
    expect(clientFinal).toMatch(/^# SCRAM-SHA-256 client-final: c=biws,r=[^,]+,p=<secret>$/);
    expect(final).toMatch(/^S: \+ [A-Za-z0-9+/=]+$/);
    expect(serverFinal).toMatch(/^# SCRAM-SHA-256 server-final: v=[A-Za-z0-9+/=]+$/);
    expect(verified).toBe('# SCRAM-SHA-256: server signature verified: the server knows the password');
    expect(lines[at + 9]).toBe('C:');
    expect(lines[at + 10]).toMatch(/^S: A001 OK /);
  });

  it('IMAP LOGIN and CRAM-MD5: the server speaks first, its prompts shown decoded', async () => {
    const login = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE LOGIN', '-c', 'LOGOUT'], { vars: joe() });
    expect(login.stdout).toMatch(
      /C: A001 AUTHENTICATE LOGIN\nS: \+ VXNlcm5hbWU6\n# LOGIN server: Username:\nC: am9l\n# LOGIN client: joe\nS: \+ UGFzc3dvcmQ6\n# LOGIN server: Password:\nC: <secret>\n# LOGIN client: <secret>\nS: A001 OK/,
    );
    const cram = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE CRAM-MD5', '-c', 'LOGOUT'], { vars: joe() });
    expect(cram.stdout).toMatch(/C: A001 AUTHENTICATE CRAM-MD5\nS: \+ \S+\n# CRAM-MD5 server: <[^>]+@[^>]+>\nC: <secret>\n# CRAM-MD5 client: joe <secret>\nS: A001 OK/);
  });

  it.each(MECHANISMS)('POP3 AUTH %s logs joe in', async (mechanism) => {
    const r = await runMain([pop3(), '-u', 'joe', '-c', `AUTH ${mechanism}`, '-c', 'STAT', '-c', 'QUIT'], { vars: joe() });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // mailwire asked CAPA first, to know the mechanisms.
    expect(r.stdout).toMatch(/C: CAPA\nS: \+OK\nS: CAPA\n[\s\S]*S: SASL PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256/);
    expect(r.stdout).toMatch(new RegExp(`C: AUTH ${mechanism}[\\s\\S]*S: \\+OK Logged in\\.\\nC: STAT\\nS: \\+OK 0 0`));
    expect(withoutOwnWords(r.stdout)).not.toContain('password');
  });

  it('POP3 SCRAM-SHA-1 verifies the server signature', async () => {
    const r = await runMain([pop3(), '-u', 'mrose', '-c', 'AUTH SCRAM-SHA-1', '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.stdout).toMatch(/C: AUTH SCRAM-SHA-1 \S+\n# SCRAM-SHA-1 client-first: n,,n=mrose,r=\S+\nS: \+ \S+\n# SCRAM-SHA-1 server-first: /);
    expect(r.stdout).toContain('# SCRAM-SHA-1: server signature verified: the server knows the password\nC:\nS: +OK Logged in.');
  });

  it('explains a wrong password in plain words (IMAP [AUTHENTICATIONFAILED], POP3 -ERR [AUTH]), exit 0', async () => {
    const wrong = { MAILWIRE_PASSWORD: 'wrong' };
    const scram = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE SCRAM-SHA-256', '-c', 'LOGOUT'], { vars: wrong });
    expect(scram.code).toBe(0);
    expect(scram.stdout).toMatch(/S: A001 NO \[AUTHENTICATIONFAILED\] Authentication failed\.\n# warning: login failed: wrong user name or password, or this account may not log in this way \(\[AUTHENTICATIONFAILED\], RFC 5530\)\n/);
    const login = await runMain([imap(), '-c', 'LOGIN joe', '-c', 'LOGOUT'], { vars: wrong });
    expect(login.stdout).toMatch(/S: A001 NO \[AUTHENTICATIONFAILED\] .*\n# warning: login failed: wrong user name or password/);
    const pop = await runMain([pop3(), '-u', 'joe', '-c', 'AUTH PLAIN', '-c', 'QUIT'], { vars: wrong });
    expect(pop.stdout).toMatch(/S: -ERR \[AUTH\] Authentication failed\.\n# warning: login failed: wrong user name or password, or the login itself is refused \(RFC 3206 \[AUTH\]\)\n/);
  });

  it('refuses a mechanism the server does not offer, naming those it does, before asking for a secret (exit 10)', async () => {
    const r = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE XOAUTH2'], { vars: {} });
    expect(r.code).toBe(10);
    expect(r.stderr).toMatch(/^mailwire: the server does not offer AUTHENTICATE XOAUTH2: it offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256 before TLS; it may offer more after STARTTLS: use --starttls or type STARTTLS first; nothing sent\n$/);
    expect(r.stdout).not.toContain('C: A001 AUTHENTICATE');
    const pop = await runMain([pop3(), '--user', 'joe', '-c', 'AUTH OAUTHBEARER'], { vars: {} });
    expect(pop.code).toBe(10);
    expect(pop.stderr).toMatch(/the server does not offer AUTH OAUTHBEARER: it offers PLAIN LOGIN CRAM-MD5 SCRAM-SHA-1 SCRAM-SHA-256/);
  });

  it('needs a user name and a secret when nobody can be asked (exit 9)', async () => {
    const noUser = await runMain([imap(), '-c', 'AUTHENTICATE PLAIN'], { vars: joe() });
    expect(noUser.code).toBe(9);
    expect(noUser.stderr).toBe('mailwire: PLAIN needs a user name: give --user NAME\n');
    const noSecret = await runMain([imap(), '--user', 'joe', '-c', 'AUTHENTICATE SCRAM-SHA-1'], { vars: {} });
    expect(noSecret.code).toBe(9);
    expect(noSecret.stderr).toMatch(/SCRAM-SHA-1 needs a password: .*MAILWIRE_PASSWORD/);
  });

  it('sends AUTHENTICATE with a typed initial response as is, and explains the NO', async () => {
    const ir = Buffer.from('\0joe\0nope').toString('base64');
    const r = await runMain([imap(), '-c', `AUTHENTICATE PLAIN ${ir}`, '-c', 'LOGOUT'], {});
    expect(r.stdout).toContain('C: A001 AUTHENTICATE PLAIN <secret>');
    expect(r.stdout).toMatch(/# warning: login failed: wrong user name or password/);
  });
});
