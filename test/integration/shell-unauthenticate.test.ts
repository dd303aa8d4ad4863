/**
 * The shell after UNAUTHENTICATE (RFC 8437), in a real terminal (tmux): the prompt goes back to
 * "not authenticated" with nobody named, .state says so, and the next LOGIN draws no warning. Neither
 * Dovecot 2.3 nor Cyrus 3.6 offers UNAUTHENTICATE, so the server is an in-process fake that answers as
 * RFC 8437 §3 says.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeServer, tagOf, type FakeServer } from '../support/fake-server.js';
import { startTerminal, tmuxAvailable, type Terminal } from '../support/tmux.js';

const CAPABILITIES = 'IMAP4rev1 UNSELECT UNAUTHENTICATE';

let server: FakeServer | null = null;
let terminal: Terminal | null = null;
afterEach(async () => {
  terminal?.close();
  terminal = null;
  await server?.close();
  server = null;
});

describe.skipIf(!tmuxAvailable())('the shell after UNAUTHENTICATE (tmux)', () => {
  it('names nobody in the prompt and in .state, and takes the next LOGIN as valid', async () => {
    server = await startFakeServer({
      greeting: `* OK [CAPABILITY ${CAPABILITIES}] ready`,
      onLine: (line, conn) => {
        const tag = tagOf(line);
        const command = (line.split(' ')[1] ?? '').toUpperCase();
        if (command === 'LOGIN') conn.write(`${tag} OK [CAPABILITY ${CAPABILITIES}] Logged in\r\n`);
        else if (command === 'SELECT') conn.write(`* 2 EXISTS\r\n${tag} OK [READ-WRITE] done\r\n`);
        else if (command === 'UNAUTHENTICATE') conn.write(`${tag} OK [CAPABILITY ${CAPABILITIES}] back to not authenticated\r\n`);
        else if (command === 'LOGOUT') {
          conn.write(`* BYE bye\r\n${tag} OK done\r\n`);
          conn.socket.end();
        } else if (command !== '') conn.write(`${tag} OK done\r\n`);
      },
    });
    const home = mkdtempSync(join(tmpdir(), 'mailwire-unauth-tty-'));
    const t = startTerminal([server.url('imap'), '--no-color'], { HOME: home, XDG_STATE_HOME: join(home, 'state'), LANG: 'en_US.UTF-8' });
    terminal = t;
    const host = `127.0.0.1:${server.port}`;
    await t.waitForCursorLine(new RegExp(`^imap ${host} not authenticated A001>$`), 'the first prompt');
    t.type('LOGIN joe pw');
    t.press('Enter');
    await t.waitForCursorLine(new RegExp(`^imap joe@${host} authenticated A002>$`), 'the prompt after LOGIN');
    t.type('SELECT INBOX');
    t.press('Enter');
    await t.waitForCursorLine(new RegExp(`^imap joe@${host} INBOX \\[rw\\] A003>$`), 'the prompt after SELECT');
    t.type('UNAUTHENTICATE');
    t.press('Enter');
    await t.waitForCursorLine(new RegExp(`^imap ${host} not authenticated A004>$`), 'the prompt after UNAUTHENTICATE');
    t.type('.state');
    t.press('Enter');
    await t.waitFor(/┃ Not Authenticated +┃ ◀ current state, entered by A003 UNAUTHENTICATE$/m, 'the diagram under .state');
    expect(t.screen()).toMatch(/^user +-$/m);
    t.type('LOGIN kim pw');
    t.press('Enter');
    await t.waitForCursorLine(new RegExp(`^imap kim@${host} authenticated A005>$`), 'the prompt after the second LOGIN');
    expect(t.screen()).not.toMatch(/not valid in/);
    t.type('LOGOUT');
    t.press('Enter');
    expect(await t.exitStatus()).toBe(0);
  });
});
