/**
 * The shell as a newcomer meets it, in a real terminal (tmux) against the sandbox: a URL with a user,
 * a password and a mailbox logs in and opens it read-only, the password nowhere on the screen, in
 * .state or in the history; the README's habit words are caught; after DELE and RSET, Tab offers every
 * message again; a POP3 reply's latency stays off its "." line.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { SANDBOX_USERS } from '../../src/sandbox/users.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';
import { startTerminal, tmuxAvailable, type Terminal } from '../support/tmux.js';

const PASSWORD = 'Looking-Glass-9';
let sandbox: Sandbox;
let terminals: Terminal[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    listen: plainLoopbackListeners(),
    seed: [...exampleSeed(), { user: 'alice', mailboxes: exampleSeed().find((a) => a.user === 'joe')?.mailboxes ?? [] }],
    users: [...SANDBOX_USERS, { name: 'alice', password: PASSWORD, source: 'this test' }],
    version: 'test',
  });
});

afterAll(async () => {
  await sandbox?.close();
});

afterEach(() => {
  for (const t of terminals) t.close();
  terminals = [];
});

function shell(argv: string[], vars: Record<string, string> = {}): { t: Terminal; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-newcomer-'));
  const state = join(dir, 'state');
  const t = startTerminal(argv, { HOME: dir, XDG_STATE_HOME: state, ...vars });
  terminals.push(t);
  return { t, state };
}

const hostOf = (i: number) => (sandbox.listeners[i] as { url: string }).url.replace(/^\w+:\/\//, '');

describe.skipIf(!tmuxAvailable())('the shell for a newcomer (tmux, sandbox)', () => {
  it('imap://alice:PASSWORD@host/INBOX: logged in, INBOX read-only, the password nowhere; habit words caught', async () => {
    const host = hostOf(0);
    const { t, state } = shell([`imap://alice:${PASSWORD}@${host}/INBOX`]);
    await t.waitForCursorLine(new RegExp(`^imap alice@${host.replace(/\./g, '\\.')} INBOX \\[ro\\] A003>$`), 'the prompt in INBOX, read-only');
    for (const word of ['quit', 'help', 'clear']) {
      t.type(word);
      t.press('Enter');
    }
    await t.waitFor(/# not sent: "clear" is no IMAP command/, 'the last habit word caught');
    t.type('.state');
    t.press('Enter');
    await t.waitFor(/^target +imap:\/\//m, '.state');
    t.type('LOGOUT');
    t.press('Enter');
    expect(await t.exitStatus()).toBe(0);
    const screen = t.screen();
    expect(screen).toContain('C: A001 LOGIN alice <secret>');
    expect(screen).toContain('C: A002 EXAMINE INBOX');
    expect(screen).toContain('S: A002 OK [READ-ONLY] EXAMINE completed');
    expect(screen).toContain('# not sent: "quit" is no IMAP command (the server would refuse it); LOGOUT ends the session (Ctrl-D or .quit sends it for you)');
    expect(screen).toContain('# not sent: "help" is no IMAP command (the server would refuse it); .help lists the commands, .help NAME tells of one');
    expect(screen).not.toMatch(/C: A\d+ (quit|help|clear)/i);
    expect(screen).toContain('C: A003 LOGOUT');
    expect(screen).not.toContain('not valid in the not-authenticated state');
    expect(screen).not.toContain(PASSWORD);
    expect(readFileSync(join(state, 'mailwire', 'history-imap'), 'utf8')).not.toContain(PASSWORD);
  });

  it('POP3: QUIT goes out; after DELE and RSET, Tab offers every message again; the latency is not on the "." line', async () => {
    const { t } = shell([`pop3://mrose@${hostOf(1)}`]);
    await t.waitFor(/POP3 password:$/m, 'the password question');
    t.type('tanstaaf');
    t.press('Enter');
    await t.waitForCursorLine(/TRANSACTION.*>$/, 'logged in');
    t.type('LIST');
    t.press('Enter');
    await t.waitFor(/^# \d+ ms for the whole reply$/m, 'the latency of LIST');
    t.type('DELE 1');
    t.press('Enter');
    await t.waitFor(/S: \+OK message 1 deleted/, 'DELE');
    t.type('RETR ');
    t.press('Tab');
    await t.waitForCursorLine(/> RETR 2 ?$/, 'only message 2 offered');
    t.press('C-u');
    t.type('RSET');
    t.press('Enter');
    await t.waitFor(/C: RSET\nS: \+OK/, 'RSET');
    t.type('RETR ');
    t.press('Tab');
    // Two Tabs in one read would be a paste: the first would go into the line instead of completing.
    await t.waitUntilRead();
    t.press('Tab');
    await t.waitFor(/^1 +2$/m, 'both messages offered again');
    t.press('C-u');
    t.type('QUIT');
    t.press('Enter');
    expect(await t.exitStatus()).toBe(0);
    const screen = t.screen();
    expect(screen).toMatch(/^S: \.$/m);
    expect(screen).not.toMatch(/^S: \. /m);
    expect(screen).toMatch(/C: QUIT\nS: \+OK/);
  });
});
