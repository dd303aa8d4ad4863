/**
 * Secrets never reach what mailwire writes: for every way mailwire logs in, a password made for that
 * run alone is looked for — as typed, in base64, and inside a SASL PLAIN message — in standard
 * output, standard error, the --record transcript, what replaying that transcript prints and writes
 * (--verbose, --junit), and (through the real shell) the history file and the screen. Against a real
 * Dovecot, with a user of its own for each case; bearer tokens, which Dovecot cannot check here,
 * against an in-process fake server, with a token of their own.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { describeDovecot } from '../support/dovecot.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';
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
/** Text for `.raw`, whose escapes start with a backslash: each backslash typed twice. */
const rawText = (text: string) => text.replace(/\\/g, '\\\\');

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
  { name: 'IMAP LOGIN sent with .raw', protocol: 'imap', lines: (u, p) => [`.raw a1 LOGIN ${u} ${rawText(quoted(p))}\\r\\n`, IMAP_LOGOUT] },
  { name: 'POP3 USER and PASS typed', protocol: 'pop3', lines: (u, p) => [`USER ${u}`, `PASS ${p}`, 'QUIT'] },
  { name: 'POP3 PASS sent with .raw', protocol: 'pop3', lines: (u, p) => [`USER ${u}`, `.raw PASS ${rawText(p)}\\r\\n`, 'QUIT'] },
  { name: 'POP3 PASS asked', protocol: 'pop3', lines: (u) => [`USER ${u}`, 'PASS', 'QUIT'] },
  { name: 'POP3 APOP with the digest computed', protocol: 'pop3', lines: (u) => [`APOP ${u}`, 'QUIT'] },
  ...['PLAIN', 'LOGIN', 'CRAM-MD5', 'SCRAM-SHA-256'].map(
    (mech): Case => ({ name: `POP3 AUTH ${mech} run by mailwire`, protocol: 'pop3', user: true, lines: () => [`AUTH ${mech}`, 'QUIT'] }),
  ),
];

/** A user of its own for each case, and two for the shell: name and a password nobody else has. */
const ACCOUNTS = [...CASES.map((_, i) => i), CASES.length, CASES.length + 1].map((i) => ({ user: `secret${i}`, password: uniquePassword() }));

/**
 * Replays a recording with everything replay can print or write switched on (the live session with
 * --verbose, a JUnit file), and looks for the secret there too.
 */
async function expectReplayWithoutLeak(file: string, target: string, user: string, secret: string, vars: Record<string, string>, forms: string[]): Promise<void> {
  const junit = `${file}.junit.xml`;
  const r = await runMain(['replay', file, '--target', target, '--user', user, '--verbose', '--junit', junit], { vars });
  expect(r.stdout, r.stderr).toMatch(/^PASS /);
  expect(r.code).toBe(0);
  // The live session is there to be searched: the login's own lines, indented under the result.
  expect(r.stdout).toMatch(/\n {4}C: \S*\s*(LOGIN|AUTHENTICATE|AUTH|USER|APOP) /i);
  for (const [where, text] of [['replay stdout', r.stdout], ['replay stderr', r.stderr], ['the JUnit file', readFileSync(junit, 'utf8')]] as const) {
    for (const form of forms) expect(text.includes(form), `${JSON.stringify(form)} (of ${JSON.stringify(secret)}) found in ${where}:\n${text}`).toBe(false);
  }
}

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
    await expectReplayWithoutLeak(file, `${protocol}://127.0.0.1:${port}`, user, password, { MAILWIRE_PASSWORD: password }, leakForms(user, password));
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

  it.runIf(tmuxAvailable())('the shell: screen and history after AUTHENTICATE PLAIN asked and POP3 PASS asked', async () => {
    const home = mkdtempSync(join(dir, 'home-'));
    const state = join(home, 'state');
    const env = { HOME: home, XDG_STATE_HOME: state };
    const { user, password } = ACCOUNTS[CASES.length + 1] as { user: string; password: string };

    const imap = startTerminal([`imap://127.0.0.1:${dovecot().imapPort}`], env);
    terminals.push(imap);
    await imap.waitForCursorLine(/A001>$/, 'the IMAP prompt');
    imap.type('AUTHENTICATE PLAIN');
    imap.press('Enter');
    await imap.waitForCursorLine(/^PLAIN user name:$/, 'the user name question');
    imap.type(user);
    imap.press('Enter');
    await imap.waitForCursorLine(new RegExp(`^PLAIN password for ${user}:$`), 'the password question');
    imap.type(password);
    imap.press('Enter');
    await imap.waitFor(/A001 OK .*Logged in/, 'the PLAIN login');
    imap.press('C-d');
    await imap.waitFor(/\[mailwire exited 0\]/, 'the end of the IMAP session');
    expectNoLeak('the AUTHENTICATE screen', imap.screen(), user, password);

    const pop3 = startTerminal([`pop3://127.0.0.1:${dovecot().pop3Port}`], env);
    terminals.push(pop3);
    await pop3.waitForCursorLine(/>$/, 'the POP3 prompt');
    pop3.type(`USER ${user}`);
    pop3.press('Enter');
    await pop3.waitFor(/S: \+OK( \(\d+ ms\))?\s*$/m, 'USER accepted');
    pop3.type('PASS');
    pop3.press('Enter');
    await pop3.waitFor(/POP3 password:$/m, 'the password question');
    pop3.type(password);
    pop3.press('Enter');
    await pop3.waitFor(/\+OK Logged in/, 'PASS asked');
    pop3.press('C-d');
    await pop3.waitFor(/\[mailwire exited 0\]/, 'the end of the POP3 session');
    expectNoLeak('the PASS screen', pop3.screen(), user, password);

    const historyDir = join(state, 'mailwire');
    expect(readdirSync(historyDir).sort()).toEqual(['history-imap', 'history-pop3']);
    for (const f of readdirSync(historyDir)) expectNoLeak(`history file ${f}`, readFileSync(join(historyDir, f), 'utf8'), user, password);
  });
});

/**
 * Bearer tokens (XOAUTH2, OAUTHBEARER), from MAILWIRE_TOKEN: a fake server that accepts only the
 * run's own token, so a leak test of a refused login cannot pass by accident. Each case has a token of
 * its own, looked for as it is, in base64, and as the SASL message the server received.
 */
describe('no bearer token in anything mailwire writes', () => {
  const servers: FakeServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-token-secrets-'));
  afterAll(async () => {
    await Promise.all(servers.map((x) => x.close()));
  });
  const unb64 = (t: string) => Buffer.from(t, 'base64').toString('utf8');

  /** A server for one protocol that takes AUTH(ENTICATE) with an initial response or after a "+". */
  async function tokenServer(protocol: 'imap' | 'pop3', mechanism: string, token: string): Promise<FakeServer> {
    let pending: string | null = null;
    const accepts = (message: string) => message.includes(`auth=Bearer ${token}\x01\x01`);
    const server = await startFakeServer({
      greeting: protocol === 'imap' ? `* OK [CAPABILITY IMAP4rev1 AUTH=${mechanism} SASL-IR] fake ready` : '+OK fake POP3 ready',
      onLine: (line, conn) => {
        const ok = (yes: boolean) =>
          conn.write(protocol === 'imap' ? `${pending ?? tagOf(line)} ${yes ? 'OK Welcome' : 'NO [AUTHENTICATIONFAILED] bad token'}\r\n` : yes ? '+OK Welcome\r\n' : '-ERR bad token\r\n');
        if (pending !== null) {
          ok(accepts(unb64(line)));
          pending = null;
          return;
        }
        const words = line.split(' ');
        const [command, mech, ir] = protocol === 'imap' ? words.slice(1) : words;
        if (/^(LOGOUT|QUIT)$/i.test(command ?? '')) {
          conn.write(protocol === 'imap' ? `* BYE bye\r\n${tagOf(line)} OK LOGOUT done\r\n` : '+OK bye\r\n');
          conn.socket.end();
        } else if (/^(AUTHENTICATE|AUTH)$/i.test(command ?? '') && mech?.toUpperCase() === mechanism) {
          if (ir !== undefined && ir !== '=') {
            ok(accepts(unb64(ir)));
          } else {
            pending = protocol === 'imap' ? tagOf(line) : '';
            conn.write('+ \r\n');
          }
        } else if (/^CAPA$/i.test(command ?? '')) {
          conn.write(`+OK\r\nSASL ${mechanism}\r\n.\r\n`);
        } else {
          conn.write(protocol === 'imap' ? `${tagOf(line)} BAD what\r\n` : '-ERR what\r\n');
        }
      },
    });
    servers.push(server);
    return server;
  }

  const TOKEN_CASES = (['imap', 'pop3'] as const).flatMap((protocol) => ['XOAUTH2', 'OAUTHBEARER'].map((mechanism) => ({ protocol, mechanism })));

  it.each(TOKEN_CASES)('$protocol $mechanism', async ({ protocol, mechanism }) => {
    const token = `ya29.${randomBytes(12).toString('base64url')}`;
    const user = 'someuser@example.com';
    const server = await tokenServer(protocol, mechanism, token);
    const file = join(dir, `${protocol}-${mechanism}.txt`);
    const command = protocol === 'imap' ? `AUTHENTICATE ${mechanism}` : `AUTH ${mechanism}`;
    const r = await runMain([server.url(protocol), '--user', user, '--record', file, '-c', command, '-c', protocol === 'imap' ? 'LOGOUT' : 'QUIT'], {
      vars: { MAILWIRE_TOKEN: token },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/S: (A001 OK|\+OK) Welcome/);
    // The SASL message as the server received it (base64), whatever the mechanism put around the token.
    const sent = server.received.filter((l) => unb64(l.split(' ').at(-1) ?? '').includes(token));
    expect(sent.length).toBeGreaterThan(0);
    const forms = [token, Buffer.from(token).toString('base64'), ...sent.map((l) => l.split(' ').at(-1) as string)];
    for (const [where, text] of [['stdout', r.stdout], ['stderr', r.stderr], ['the recording', readFileSync(file, 'utf8')]] as const) {
      for (const form of forms) expect(text.includes(form), `${JSON.stringify(form)} found in ${where}:\n${text}`).toBe(false);
    }
    await expectReplayWithoutLeak(file, server.url(protocol), user, token, { MAILWIRE_TOKEN: token }, forms);
  });
});
