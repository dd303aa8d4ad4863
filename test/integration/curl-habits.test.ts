/**
 * curl's habits, as a newcomer brings them: a user, a password and ;AUTH= in the URL (RFC 5092 §3.2,
 * RFC 2384 §4), a mailbox path opened with EXAMINE, -u USER:PASSWORD, -v. Each is followed or refused
 * with a message, never ignored; a password given this way works, is warned about, and is written
 * nowhere. Against the sandbox, started here with a user whose password nothing else contains.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CA_FILE } from '../../src/sandbox/sandbox-files.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { SANDBOX_USERS } from '../../src/sandbox/users.js';
import { exampleSeed } from '../support/sandbox-harness.js';
import { runMain } from '../support/cli.js';

const USER = 'alice';
const PASSWORD = 'wonder land%"7';
const IN_URL = encodeURIComponent(PASSWORD);

let sandbox: Sandbox;
let imap = '';
let imaps = '';
let pop3 = '';

beforeAll(async () => {
  const joe = exampleSeed().find((a) => a.user === 'joe');
  const mrose = exampleSeed().find((a) => a.user === 'mrose');
  sandbox = await startSandbox({
    listen: [
      { protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 0 },
      { protocol: 'imap', tls: 'implicit', host: '127.0.0.1', port: 0 },
      { protocol: 'pop3', tls: 'plain', host: '127.0.0.1', port: 0 },
    ],
    seed: [
      { user: USER, mailboxes: joe?.mailboxes ?? [] },
      { user: 'mrose', mailboxes: mrose?.mailboxes ?? [] },
    ],
    users: [{ name: USER, password: PASSWORD, source: 'this test' }, ...SANDBOX_USERS],
    version: 'test',
  });
  [imap, imaps, pop3] = sandbox.listeners.map((l) => l.url.replace(/^\w+:\/\//, '')) as [string, string, string];
});

afterAll(async () => {
  await sandbox?.close();
});

function expectNowhere(...texts: string[]): void {
  for (const text of texts) {
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain(IN_URL);
    expect(text).not.toContain('wonder');
  }
}

describe('a user, a password and a mailbox in the URL', () => {
  it('logs in, opens the mailbox read-only with EXAMINE, warns about the password and writes it nowhere', async () => {
    const record = join(mkdtempSync(join(tmpdir(), 'mailwire-url-')), 'session.txt');
    const r = await runMain([`imap://${USER}:${IN_URL}@${imap}/INBOX`, '--record', record, '-c', 'FETCH 1 FLAGS', '-c', 'LOGOUT']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain(`C: A001 LOGIN ${USER} <secret>`);
    expect(lines).toContain('S: A001 OK LOGIN completed');
    expect(lines).toContain('C: A002 EXAMINE INBOX');
    expect(lines).toContain('S: A002 OK [READ-ONLY] EXAMINE completed');
    expect(lines).toContain('C: A003 FETCH 1 FLAGS');
    expect(r.stderr).toMatch(/^mailwire: warning: the password in the URL is kept in your shell's history/);
    const recorded = readFileSync(record, 'utf8');
    expect(recorded).toContain(`# target: imap://${imap}\n`);
    expect(recorded).toContain(`C: A001 LOGIN ${USER} <secret>`);
    expectNowhere(r.stdout, r.stderr, recorded);
  });

  it('a mailbox name is percent-decoded and sent in modified UTF-7, quoted when it must be', async () => {
    const r = await runMain([`imap://${USER}:${IN_URL}@${imap}/saved-messages`, '-c', 'LOGOUT']);
    expect(r.stdout).toContain('C: A002 EXAMINE saved-messages\n');
    const odd = await runMain([`imap://${USER}:${IN_URL}@${imap}/Entw%C3%BCrfe%20alt`, '-c', 'LOGOUT']);
    expect(odd.stdout).toContain('C: A002 EXAMINE "Entw&APw-rfe alt"\n');
    expect(odd.stdout).toMatch(/S: A002 NO/);
  });

  it('a user alone asks for the password (MAILWIRE_PASSWORD in a script), without a warning', async () => {
    const r = await runMain([`imap://${USER}@${imap}`, '-c', 'LOGOUT'], { vars: { MAILWIRE_PASSWORD: PASSWORD } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('S: A001 OK LOGIN completed\n');
    expectNowhere(r.stdout);
  });

  it(';AUTH=PLAIN runs AUTHENTICATE PLAIN, masked', async () => {
    const r = await runMain([`imap://${USER};AUTH=PLAIN@${imap}`, '-c', 'LOGOUT'], { vars: { MAILWIRE_PASSWORD: PASSWORD } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/C: A\d+ AUTHENTICATE PLAIN <secret>\n/);
    expect(r.stdout).toMatch(/S: A\d+ OK/);
    expectNowhere(r.stdout);
  });

  it('POP3: a user logs in with USER and PASS, ;AUTH=+APOP with APOP (RFC 2384 §4)', async () => {
    const user = await runMain([`pop3://${USER}:${IN_URL}@${pop3}`, '-c', 'STAT', '-c', 'QUIT']);
    expect(user.code, user.stderr).toBe(0);
    expect(user.stdout).toContain(`C: USER ${USER}\n`);
    expect(user.stdout).toContain('C: PASS <secret>\n');
    expect(user.stdout).toMatch(/C: STAT\nS: \+OK 5 /);
    expectNowhere(user.stdout);
    const apop = await runMain([`pop3://mrose;AUTH=+APOP@${pop3}`, '-c', 'STAT', '-c', 'QUIT'], { vars: { MAILWIRE_PASSWORD: 'tanstaaf' } });
    expect(apop.stdout).toMatch(/C: APOP mrose [0-9a-f]{32}\nS: \+OK mrose's maildrop has 2 messages/);
  });

  it.each([
    [`imap://${USER}:${IN_URL}@HOST/INBOX;UID=1`, /nothing deeper \(;UID=, ;SECTION=, ;UIDVALIDITY=\).*send FETCH with -c/],
    [`imap://HOST/INBOX?SUBJECT%20x`, /a search in the URL \(\?\.\.\.\) is not run.*-c 'SEARCH \.\.\.'/],
    [`pop3://${USER}:${IN_URL}@HOST/1`, /pop3:\/\/ takes no path \(RFC 2384 §3\).*-c 'RETR 1'/],
    [`imap://${USER};AUTH=GSSAPI@HOST`, /;AUTH=GSSAPI .* is not a login mailwire runs: PLAIN, LOGIN/],
    [`pop3://${USER};AUTH=+KERBEROS@HOST`, /;AUTH=\+KERBEROS .* is not a login mailwire runs: .*\+APOP or \*/],
    [`imap://HOST/INBOX`, /logs in, but as whom\? .*imap:\/\/USER@HOST.* -u USER/],
    [`imap://${USER}:${IN_URL}@HOST:99999`, /invalid port "99999"/],
  ])('%s is refused with a message that says why, and no password', async (url, message) => {
    const r = await runMain([url.replace('HOST', imap.split(':')[0] as string), '-c', 'LOGOUT']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    if (url.includes(IN_URL)) expect(r.stderr).toContain(`${USER}:<secret>@`);
    expectNowhere(r.stderr);
  });
});

describe('-u and -v as in curl', () => {
  it('-u USER:PASSWORD is split at the first colon, logs in, and is warned about', async () => {
    const r = await runMain([`imap://${imap}`, '-u', `${USER}:${PASSWORD}`, '-c', 'LOGOUT']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`C: A001 LOGIN ${USER} <secret>\nS: A001 OK LOGIN completed\n`);
    expect(r.stderr).toMatch(/^mailwire: warning: the password in -u USER:PASSWORD is kept/);
    expectNowhere(r.stdout, r.stderr);
  });

  it('-u USER alone stays the user of the logins typed (AUTHENTICATE PLAIN), with no login of its own', async () => {
    const r = await runMain([`imap://${imap}`, '-u', USER, '-c', 'AUTHENTICATE PLAIN', '-c', 'LOGOUT'], { vars: { MAILWIRE_PASSWORD: PASSWORD } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout, r.stdout).toMatch(/^C: A001 AUTHENTICATE PLAIN <secret>$/m);
    expect(r.stdout).not.toContain('LOGIN');
  });

  it('a URL user and a different -u user contradict each other', async () => {
    const r = await runMain([`imap://joe@${imap}`, '-u', 'mrose', '-c', 'LOGOUT']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mailwire: the URL logs in as joe and -u as mrose: give one (see mailwire --help)\n');
  });

  it('-v shows the TLS details and each reply\'s latency, also into a pipe', async () => {
    const plain = await runMain([`imaps://${imaps}`, '--ca', SANDBOX_CA_FILE, '-c', 'LOGOUT']);
    expect(plain.stdout).not.toMatch(/ms\)$/m);
    expect(plain.stdout).not.toContain('#   certificate 1 (server)');
    const verbose = await runMain([`imaps://${imaps}`, '--ca', SANDBOX_CA_FILE, '-v', '-c', 'LOGOUT']);
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('#   certificate 1 (server): CN=localhost, O=mailwire sandbox');
    expect(verbose.stdout).toMatch(/^S: A001 OK LOGOUT completed \(\d+ ms\)$/m);
    const long = await runMain([`imaps://${imaps}`, '--verbose', '--ca', SANDBOX_CA_FILE, '-c', 'LOGOUT']);
    expect(long.stdout).toContain('#   certificate 1 (server): CN=localhost, O=mailwire sandbox');
  });
});
