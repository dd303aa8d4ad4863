/**
 * Secrets never reach what mailwire writes: for every way mailwire logs in, a password made for that
 * run alone is looked for — as typed, in base64, and inside a SASL PLAIN message — in standard
 * output, standard error, the --record transcript, and (through the real shell) the history file
 * and the screen. Against a real Dovecot, with a user of its own for each case.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { startTerminal, tmuxAvailable, type Terminal } from '../support/tmux.js';

/** A password no other run uses, with characters that need quoting in IMAP. */
function uniquePassword(): string {
  return `Pw-${randomBytes(6).toString('hex')} "q"\\`;
}

/** Every form in which a password could leak. */
function leakForms(user: string, password: string): string[] {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  return [password, password.slice(3, 15), b64(password), b64(`\0${user}\0${password}`), b64(`${user}\0${user}\0${password}`)];
}

function expectNoLeak(where: string, text: string, user: string, password: string): void {
  for (const form of leakForms(user, password)) expect(text.includes(form), `${JSON.stringify(form)} found in ${where}:\n${text}`).toBe(false);
}

/** An IMAP literal of the password's octets, laid out as input lines (the RFC 3501 §7.5 way). */
function literalLines(user: string, password: string, plus: boolean): string[] {
  return [`LOGIN ${user} {${Buffer.byteLength(password)}${plus ? '+' : ''}}`, password];
}

const quoted = (p: string) => `"${p.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

type Case = { name: string; protocol: 'imap' | 'pop3'; user?: boolean; lines: (user: string, password: string) => string[] };

const IMAP_LOGOUT = 'LOGOUT';
const CASES: Case[] = [
  { name: 'IMAP LOGIN with the password typed (quoted)', protocol: 'imap', lines: (u, p) => [`LOGIN ${u} ${quoted(p)}`, IMAP_LOGOUT] },
  { name: 'IMAP LOGIN with the password asked', protocol: 'imap', lines: (u) => [`LOGIN ${u}`, IMAP_LOGOUT] },
  { name: 'IMAP LOGIN with the password as a literal', protocol: 'imap', lines: (u, p) => [...literalLines(u, p, false), IMAP_LOGOUT] },
  { name: 'IMAP LOGIN with the password as a LITERAL+', protocol: 'imap', lines: (u, p) => [...literalLines(u, p, true), IMAP_LOGOUT] },
  {
    name: 'IMAP AUTHENTICATE PLAIN with the initial response typed',
    protocol: 'imap',
    lines: (u, p) => [`AUTHENTICATE PLAIN ${Buffer.from(`\0${u}\0${p}`).toString('base64')}`, IMAP_LOGOUT],
  },
  ...['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-1', 'SCRAM-SHA-256'].map(
    (mech): Case => ({ name: `IMAP AUTHENTICATE ${mech} run by mailwire`, protocol: 'imap', user: true, lines: () => [`AUTHENTICATE ${mech}`, IMAP_LOGOUT] }),
  ),
  { name: 'POP3 USER and PASS typed', protocol: 'pop3', lines: (u, p) => [`USER ${u}`, `PASS ${p}`, 'QUIT'] },
  { name: 'POP3 PASS asked', protocol: 'pop3', lines: (u) => [`USER ${u}`, 'PASS', 'QUIT'] },
  { name: 'POP3 APOP with the digest computed', protocol: 'pop3', lines: (u) => [`APOP ${u}`, 'QUIT'] },
  ...['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'].map(
    (mech): Case => ({ name: `POP3 AUTH ${mech} run by mailwire`, protocol: 'pop3', user: true, lines: () => [`AUTH ${mech}`, 'QUIT'] }),
  ),
];

/** A user of its own for each case, and one for the shell: name and a password nobody else has. */
const ACCOUNTS = [...CASES.map((_, i) => i), CASES.length].map((i) => ({ user: `secret${i}`, password: uniquePassword() }));

describeDovecot('no secret in anything mailwire writes', (dovecot) => {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-secrets-'));
  beforeAll(() => dovecot().addUsers(ACCOUNTS));

  it.each(CASES.map((c, i) => ({ ...c, account: ACCOUNTS[i] as { user: string; password: string } })))('$name', async ({ protocol, user: askUser, lines, account }) => {
    const { user, password } = account;
    const port = protocol === 'imap' ? dovecot().imapPort : dovecot().pop3Port;
    const file = join(dir, `${user}.txt`);
    const r = await runMain([`${protocol}://127.0.0.1:${port}`, '--record', file, ...(askUser ? ['--user', user] : [])], {
      stdin: `${lines(user, password).join('\n')}\n`,
      vars: { MAILWIRE_PASSWORD: password },
    });
    expect(r.code, r.stderr).toBe(0);
    // The login really happened: a leak test of a failed login proves little.
    expect(r.stdout).toMatch(protocol === 'imap' ? /S: \S+ OK .*Logged in/ : /S: \+OK Logged in/);
    expectNoLeak('stdout', r.stdout, user, password);
    expectNoLeak('stderr', r.stderr, user, password);
    expectNoLeak('the recording', readFileSync(file, 'utf8'), user, password);
  });

  let terminals: Terminal[] = [];
  afterEach(() => {
    for (const t of terminals) t.close();
    terminals = [];
  });

  it.runIf(tmuxAvailable())('the shell: screen and history after LOGIN typed whole, LOGIN asked, and POP3 PASS', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const state = join(home, 'state');
    const env = { HOME: home, XDG_STATE_HOME: state };

    const { user, password } = ACCOUNTS[CASES.length] as { user: string; password: string };
    const imap = startTerminal([`imap://127.0.0.1:${dovecot().imapPort}`], env);
    terminals.push(imap);
    await imap.waitForCursorLine(/A001>$/, 'the IMAP prompt');
    imap.type(`LOGIN ${user} ${quoted(password)}`);
    imap.press('Enter');
    await imap.waitFor(/A001 OK .*Logged in/, 'the typed LOGIN');
    imap.type('LOGOUT');
    imap.press('Enter');
    await imap.waitFor(/\[mailwire exited 0\]/, 'the end of the first session');
    const screen1 = imap.screen();

    const again = startTerminal([`imap://127.0.0.1:${dovecot().imapPort}`], env);
    terminals.push(again);
    await again.waitForCursorLine(/A001>$/, 'the IMAP prompt');
    again.type(`LOGIN ${user}`);
    again.press('Enter');
    await again.waitFor(new RegExp(`IMAP password for ${user}:$`, 'm'), 'the password question');
    again.type(password);
    again.press('Enter');
    await again.waitFor(/A001 OK .*Logged in/, 'the asked LOGIN');
    again.press('C-d');
    await again.waitFor(/\[mailwire exited 0\]/, 'the end of the second session');
    const screen2 = again.screen();

    const pop3 = startTerminal([`pop3://127.0.0.1:${dovecot().pop3Port}`], env);
    terminals.push(pop3);
    await pop3.waitForCursorLine(/>$/, 'the POP3 prompt');
    pop3.type(`USER ${user}`);
    pop3.press('Enter');
    await pop3.waitFor(/S: \+OK( \(\d+ ms\))?\s*$/m, 'USER accepted');
    pop3.type(`PASS ${password}`);
    pop3.press('Enter');
    await pop3.waitFor(/\+OK Logged in/, 'PASS typed whole');
    pop3.press('C-d');
    await pop3.waitFor(/\[mailwire exited 0\]/, 'the end of the POP3 session');
    const screen3 = pop3.screen();

    // The shell never echoes an asked secret, and shows a typed one only where the terminal itself
    // echoed the keys (the input line), never in what mailwire prints: its C: lines are masked.
    for (const [name, screen] of [['first screen', screen1], ['second screen', screen2], ['third screen', screen3]] as const) {
      const printed = screen.split('\n').filter((l) => /^(C:|S:|#)/.test(l)).join('\n');
      expectNoLeak(`${name} (mailwire's lines)`, printed, user, password);
    }
    expectNoLeak('the asked-password screen', screen2, user, password);
    const historyDir = join(state, 'mailwire');
    expect(existsSync(historyDir)).toBe(true);
    for (const f of readdirSync(historyDir)) expectNoLeak(`history file ${f}`, readFileSync(join(historyDir, f), 'utf8'), user, password);
  });
});
