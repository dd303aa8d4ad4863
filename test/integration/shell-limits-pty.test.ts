/**
 * Two promises of the shell, driven through a real terminal (tmux) as a person would:
 *  - `--max-time` bounds the whole session however the server trickles its data (exit 4, with its
 *    own message), where `--timeout`, an idle limit, is reset by every byte; and without
 *    `--max-time` a shell session, IDLE included, lasts as long as the user wants (README, --help).
 *    No real server trickles one byte a second or an untagged line a second without end, so these
 *    run against an in-process fake server.
 *  - a password typed in a `.raw` line reaches the server (real Dovecot) but not the history file.
 * Nothing here asserts a duration: only what the screen shows and how mailwire exits.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDovecot } from '../support/dovecot.js';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';
import { startTerminal, tmuxAvailable, type Terminal } from '../support/tmux.js';

const describeTmux = tmuxAvailable() ? describe : describe.skip;

let terminals: Terminal[] = [];
let servers: FakeServer[] = [];
let timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const t of terminals) t.close();
  for (const timer of timers) clearInterval(timer);
  await Promise.all(servers.map((s) => s.close()));
  terminals = [];
  servers = [];
  timers = [];
});

function shell(argv: string[]): { t: Terminal; state: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-shell-'));
  const state = join(dir, 'state');
  const t = startTerminal(argv, { HOME: dir, XDG_STATE_HOME: state });
  terminals.push(t);
  return { t, state };
}

/**
 * A server that answers NOOP with a response trickled one byte a second, never complete, and IDLE
 * with "+ idling" and then one untagged EXISTS a second until DONE.
 */
async function tricklingServer(): Promise<FakeServer> {
  const server = await startFakeServer({
    greeting: '* OK trickling server ready',
    onLine: (line, conn) => {
      const [tag, command] = [tagOf(line), (line.split(' ')[1] ?? '').toUpperCase()];
      if (command === 'NOOP') {
        let sent = 0;
        const text = '* OK this line never ends';
        timers.push(setInterval(() => conn.write(text[sent++ % text.length] as string), 1000));
      } else if (command === 'IDLE') {
        conn.write('+ idling\r\n');
        let count = 0;
        const timer = setInterval(() => conn.write(`* ${++count} EXISTS\r\n`), 1000);
        timers.push(timer);
        (conn as { idle?: { tag: string; timer: NodeJS.Timeout } }).idle = { tag, timer };
      } else if (line.toUpperCase() === 'DONE') {
        const idle = (conn as { idle?: { tag: string; timer: NodeJS.Timeout } }).idle;
        if (idle) clearInterval(idle.timer);
        conn.write(`${idle?.tag ?? '*'} OK IDLE terminated\r\n`);
      } else if (command === 'LOGOUT') {
        conn.write(`* BYE bye\r\n${tag} OK LOGOUT completed\r\n`);
        conn.socket.end();
      } else {
        conn.write(`${tag} OK done\r\n`);
      }
    },
  });
  servers.push(server);
  return server;
}

describeTmux('the shell in a terminal: --max-time bounds the whole session, and only when given', () => {
  it('--max-time ends a session whose server trickles a byte a second (exit 4), which --timeout never does', { timeout: 120_000 }, async () => {
    const server = await tricklingServer();
    const { t } = shell([server.url('imap'), '--timeout', '2', '--max-time', '5']);
    await t.waitForCursorLine(/A001>$/, 'the first prompt');
    t.type('NOOP');
    t.press('Enter');
    await t.waitFor(/C: A001 NOOP/, 'the command sent');
    // The bytes of the answer keep coming, each well within --timeout 2 (the shell shows a line only
    // when it is whole, so the screen shows none): only --max-time can end this.
    expect(await t.exitStatus()).toBe(4);
    const screen = t.screen();
    expect(screen).toContain('the session took longer than --max-time 5 s; stopped');
    expect(screen).not.toMatch(/within 2 s \(--timeout\)/);
  });

  it('without --max-time, an IDLE with a line a second lasts until the user ends it, and so does the shell', { timeout: 120_000 }, async () => {
    const server = await tricklingServer();
    const { t } = shell([server.url('imap'), '--timeout', '2']);
    await t.waitForCursorLine(/A001>$/, 'the first prompt');
    t.type('IDLE');
    t.press('Enter');
    // Eight seconds of IDLE: longer than the --max-time of the case above, four times --timeout.
    await t.waitFor(/\* 8 EXISTS/, 'IDLE going on, a line a second');
    expect(t.screen()).not.toMatch(/\[mailwire exited/);
    t.type('DONE');
    t.press('Enter');
    await t.waitFor(/A001 OK IDLE terminated/, 'IDLE ended by the user');
    await t.waitForCursorLine(/A002>$/, 'the next prompt');
    t.press('C-d');
    expect(await t.exitStatus()).toBe(0);
    expect(server.received).toContain('DONE');
  });
});

if (tmuxAvailable()) {
  describeDovecot('the shell in a terminal, against Dovecot: a .raw password', (dovecot) => {
    it('.raw a2 LOGIN user password logs in, and the history file keeps the line without the password', { timeout: 120_000 }, async () => {
      const { imapPort } = dovecot();
      const { t, state } = shell([`imap://127.0.0.1:${imapPort}`]);
      await t.waitForCursorLine(/A001>$/, 'the first prompt');
      t.type('.raw a2 LOGIN mrose tanstaaf\\r\\n');
      t.press('Enter');
      await t.waitFor(/a2 OK/, 'Dovecot accepting the login sent raw');
      t.type('.raw a3 LOGOUT\\r\\n');
      t.press('Enter');
      await t.waitFor(/a3 OK/, 'the logout sent raw');
      t.press('C-d');
      await t.exitStatus();
      const history = readFileSync(join(state, 'mailwire', 'history-imap'), 'utf8');
      expect(history).toContain('.raw a2 LOGIN mrose');
      expect(history).toContain('.raw a3 LOGOUT\\r\\n');
      expect(history).not.toContain('tanstaaf');
    });
  });
}
