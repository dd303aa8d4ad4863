/**
 * Transcripts as regression tests against a real Dovecot: a session recorded today replays against
 * another, freshly started Dovecot (new mailboxes, new UIDVALIDITY, new APOP timestamp, new timings);
 * a changed reply fails with exit 1 and a diff naming the line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot, startDovecot, type DovecotServer } from '../support/dovecot.js';
import { startFakeServer, type FakeServer } from '../support/fake-server.js';

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
    expect(r.stdout).toMatch(new RegExp(`^PASS ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\((\\d+ ms|\\d+\\.\\d+ s)\\)\\n1 passed, 0 failed\\n$`));
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

  it('reads a POP3 recording with pipelined commands (RFC 2449 §6.6): lint finds nothing, and it replays', async () => {
    // The APOP session above, its commands written as a client that pipelines sends them: all four,
    // then the four replies, in order (as mailwire proxy records such a client).
    const recordedLines = readFileSync(join(dir, 'pop3.txt'), 'utf8').split('\n');
    const firstCommand = recordedLines.findIndex((l) => l.startsWith('C: APOP'));
    const quit = recordedLines.findIndex((l) => l === 'C: QUIT');
    const commands: string[] = [];
    const replies: string[] = [];
    for (const l of recordedLines.slice(firstCommand, quit)) (l.startsWith('C: ') ? commands : replies).push(l);
    expect(commands).toEqual([expect.stringMatching(/^C: APOP mrose /), 'C: STAT', 'C: UIDL', 'C: RETR 1']);
    const file = join(dir, 'pop3-pipelined.txt');
    writeFileSync(file, [...recordedLines.slice(0, firstCommand), ...commands, ...replies, ...recordedLines.slice(quit)].join('\n'));
    const lint = await runMain(['lint', file], {});
    expect(lint.stdout).toContain('1 transcript: 0 errors, 0 notes');
    expect(lint.code).toBe(0);
    const r = await runMain(['replay', file, '--target', `pop3://127.0.0.1:${fresh.pop3Port}`], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(r.stdout).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  it('records text that holds `\\x1b` and `\\u{202e}` so that it replays as it was: a password, a quoted SEARCH string, an ID value, a subject', async () => {
    // Not a byte ESC anywhere: the four characters backslash, x, 1, b (a Windows path, say).
    const account = { user: 'bslash', password: 'pa\\x41ss' };
    await Promise.all([recorded().addUsers([account]), fresh.addUsers([account])]);
    const message = 'From: Fred Foobar <foobar@example.org>\r\nSubject: quota file C:\\x1b\\u{202e} full\r\n\r\nThe quota file is full.\r\n';
    recorded().deliver(account.user, message);
    fresh.deliver(account.user, message);
    const file = join(dir, 'backslashes.txt');
    const lines = ['LOGIN bslash', 'SELECT INBOX', 'SEARCH SUBJECT "C:\\\\x1b"', 'FETCH 1 BODY.PEEK[HEADER.FIELDS (SUBJECT)]', 'ID ("name" "C:\\\\x41")', 'LOGOUT'];
    const rec = await runMain([`imap://127.0.0.1:${recorded().imapPort}`, '--record', file], { stdin: `${lines.join('\n')}\n`, vars: { MAILWIRE_PASSWORD: account.password } });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    // On screen as in the file: each such backslash written \x5c, so that no text reads as an ESC.
    expect(rec.stdout).toContain('S: Subject: quota file C:\\x5cx1b\\x5cu{202e} full\n');
    const transcript = readFileSync(file, 'utf8');
    expect(transcript).toContain('C: A003 SEARCH SUBJECT "C:\\\\x5cx1b"\nS: * SEARCH 1\n');
    expect(transcript).toContain('S: Subject: quota file C:\\x5cx1b\\x5cu{202e} full\n');
    expect(transcript).toContain('C: A005 ID ("name" "C:\\\\x5cx41")\n');
    expect(transcript).not.toContain(account.password);
    // Replayed, the server gets the same octets: the login, the search that finds the message, the ID.
    const r = await runMain(['replay', file, '--target', `imap://127.0.0.1:${fresh.imapPort}`], { vars: { MAILWIRE_PASSWORD: account.password } });
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });

  /**
   * Every way mailwire logs in. Add a row when a new one comes: it is recorded, the recording is
   * searched for the secret in every form it could leak in, and then replayed against the fresh server.
   * mrose's secret ("tanstaaf") is used throughout: joe's ("password") is a word mailwire's own
   * remarks use.
   */
  const LOGINS: Array<{ name: string; protocol: 'imap' | 'pop3'; user: 'joe' | 'mrose'; args?: string[]; lines: string[]; replayArgs?: string[] }> = [
    { name: 'IMAP LOGIN user, password asked', protocol: 'imap', user: 'mrose', lines: ['LOGIN mrose', 'LOGOUT'] },
    { name: 'IMAP LOGIN typed in full', protocol: 'imap', user: 'mrose', lines: ['a1 LOGIN mrose tanstaaf', 'a2 LOGOUT'] },
    { name: 'IMAP LOGIN with a quoted password', protocol: 'imap', user: 'mrose', lines: ['LOGIN "mrose" "tanstaaf"', 'LOGOUT'] },
    { name: 'IMAP LOGIN with the password as a literal', protocol: 'imap', user: 'mrose', lines: ['LOGIN mrose {8}', 'tanstaaf', 'LOGOUT'] },
    { name: 'IMAP LOGIN with the password as a LITERAL+', protocol: 'imap', user: 'mrose', lines: ['LOGIN mrose {8+}', 'tanstaaf', 'LOGOUT'] },
    { name: 'IMAP AUTHENTICATE PLAIN with a typed initial response', protocol: 'imap', user: 'mrose', lines: [`AUTHENTICATE PLAIN ${Buffer.from('\0mrose\0tanstaaf').toString('base64')}`, 'LOGOUT'], replayArgs: ['--user', 'mrose'] },
    { name: 'IMAP AUTHENTICATE PLAIN run by mailwire', protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTHENTICATE PLAIN', 'LOGOUT'] },
    { name: 'IMAP AUTHENTICATE LOGIN run by mailwire', protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTHENTICATE LOGIN', 'LOGOUT'] },
    { name: 'IMAP AUTHENTICATE CRAM-MD5 run by mailwire', protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTHENTICATE CRAM-MD5', 'LOGOUT'] },
    { name: 'IMAP AUTHENTICATE SCRAM-SHA-1 run by mailwire', protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTHENTICATE SCRAM-SHA-1', 'LOGOUT'] },
    { name: 'IMAP AUTHENTICATE SCRAM-SHA-256 run by mailwire', protocol: 'imap', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTHENTICATE SCRAM-SHA-256', 'LOGOUT'] },
    { name: 'POP3 USER and PASS, password asked', protocol: 'pop3', user: 'mrose', lines: ['USER mrose', 'PASS', 'QUIT'] },
    { name: 'POP3 PASS typed in full', protocol: 'pop3', user: 'mrose', lines: ['USER mrose', 'PASS tanstaaf', 'QUIT'] },
    { name: 'POP3 APOP computed by mailwire', protocol: 'pop3', user: 'mrose', lines: ['APOP mrose', 'QUIT'] },
    { name: 'POP3 AUTH PLAIN with a typed initial response', protocol: 'pop3', user: 'mrose', lines: [`AUTH PLAIN ${Buffer.from('\0mrose\0tanstaaf').toString('base64')}`, 'QUIT'], replayArgs: ['--user', 'mrose'] },
    { name: 'POP3 AUTH PLAIN run by mailwire', protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTH PLAIN', 'QUIT'] },
    { name: 'POP3 AUTH LOGIN run by mailwire', protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTH LOGIN', 'QUIT'] },
    { name: 'POP3 AUTH CRAM-MD5 run by mailwire', protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTH CRAM-MD5', 'QUIT'] },
    { name: 'POP3 AUTH SCRAM-SHA-256 run by mailwire', protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'], lines: ['AUTH SCRAM-SHA-256', 'QUIT'] },
  ];

  /** The forms a password could leak in: as it is, base64, and inside a PLAIN message. */
  function leakForms(user: string, password: string): string[] {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    return [password, b64(password), b64(`\0${user}\0${password}`), b64(`${user}\0${user}\0${password}`), `${user}\0${password}`];
  }

  it.each(LOGINS)('$name: the recording holds no secret, and replays against a fresh Dovecot', async ({ protocol, user, args = [], lines, replayArgs = [] }) => {
    const password = recorded().users[user].password;
    const port = (d: DovecotServer) => (protocol === 'imap' ? d.imapPort : d.pop3Port);
    const file = join(dir, `login-${LOGINS.findIndex((l) => l.lines === lines)}.txt`);
    const rec = await runMain([`${protocol}://127.0.0.1:${port(recorded())}`, '--record', file, ...args], {
      stdin: `${lines.join('\n')}\n`,
      vars: { MAILWIRE_PASSWORD: password },
    });
    expect(rec.stderr).toBe('');
    expect(rec.code).toBe(0);
    expect(rec.stdout).toMatch(protocol === 'imap' ? /S: \S+ OK .*(Logged in|Authenticated)/i : /S: \+OK (Logged in|Authenticated)/i);
    expect(rec.stdout).not.toMatch(/# warning: /);
    const transcript = readFileSync(file, 'utf8');
    for (const leak of leakForms(user, password)) expect(transcript, `${leak} in ${transcript}`).not.toContain(leak);
    // APOP's digest is no secret (it is good for one greeting only); everything else is masked.
    expect(transcript).toMatch(/<secret>|\nC: APOP mrose [0-9a-f]{32}\n/);

    const r = await runMain(['replay', file, '--target', `${protocol}://127.0.0.1:${port(fresh)}`, ...replayArgs], { vars: { MAILWIRE_PASSWORD: password } });
    expect(r.stdout + r.stderr).toMatch(/^PASS /);
    expect(r.code).toBe(0);
  });
});

/**
 * Bearer tokens, which Dovecot cannot take here (it would need an OAuth 2.0 back end): a fake server
 * that checks the token. The token must not be in the recording, and the recording replays with it.
 */
describe('recording and replaying OAuth logins', () => {
  const TOKEN = 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg';
  const servers: FakeServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((x) => x.close()));
  });
  const b64 = (t: string) => Buffer.from(t, 'utf8').toString('base64');
  const unb64 = (t: string) => Buffer.from(t, 'base64').toString('utf8');

  it.each([
    ['XOAUTH2', `user=someuser@example.com\x01auth=Bearer ${TOKEN}\x01\x01`],
    ['OAUTHBEARER', `n,a=someuser@example.com,\x01host=127.0.0.1\x01port=PORT\x01auth=Bearer ${TOKEN}\x01\x01`],
  ])('IMAP %s: no token in the recording, and the recording replays with MAILWIRE_TOKEN', async (mechanism, expected) => {
    let port = 0;
    const server = await startFakeServer({
      greeting: `* OK [CAPABILITY IMAP4rev1 AUTH=${mechanism} SASL-IR] fake ready`,
      onLine: (line, conn) => {
        const [tag, command, mech, ir] = line.split(' ');
        if (/^LOGOUT$/i.test(command ?? '')) {
          conn.write(`* BYE bye\r\n${tag} OK LOGOUT done\r\n`);
          conn.socket.end();
        } else if (/^AUTHENTICATE$/i.test(command ?? '') && mech === mechanism) {
          const ok = unb64(ir ?? '') === expected.replace('PORT', String(port));
          conn.write(`${tag} ${ok ? 'OK Welcome' : 'NO [AUTHENTICATIONFAILED] bad token'}\r\n`);
        } else {
          conn.write(`${tag} BAD what\r\n`);
        }
      },
    });
    servers.push(server);
    port = server.port;
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-oauth-'));
    const file = join(dir, `${mechanism}.txt`);
    const rec = await runMain([server.url('imap'), '--user', 'someuser@example.com', '--record', file, '-c', `AUTHENTICATE ${mechanism}`, '-c', 'LOGOUT'], { vars: { MAILWIRE_TOKEN: TOKEN } });
    expect(rec.stdout).toMatch(/S: A001 OK Welcome/);
    const transcript = readFileSync(file, 'utf8');
    for (const leak of [TOKEN, b64(TOKEN), b64(expected.replace('PORT', String(port)))]) expect(transcript).not.toContain(leak);
    expect(transcript).toContain('# secret: someuser@example.com\n');
    const r = await runMain(['replay', file, '--target', server.url('imap')], { vars: { MAILWIRE_TOKEN: TOKEN } });
    expect(r.stdout).toMatch(/^PASS /);
    const wrong = await runMain(['replay', file, '--target', server.url('imap')], { vars: { MAILWIRE_TOKEN: 'expired' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('+ S: A001 NO [AUTHENTICATIONFAILED] bad token');
  });
});
