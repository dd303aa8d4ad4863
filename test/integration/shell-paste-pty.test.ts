/**
 * A long line pasted into the shell at a real terminal (tmux): it reaches the server whole, the
 * screen shows it once, and the prompt comes back for the next command.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

describe.skipIf(!tmuxAvailable())('pasting into the shell (tmux)', () => {
  it('sends a pasted 20,000-character SEARCH whole, then takes the next command', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mailwire-paste-tty-'));
    const t = startTerminal(['demo'], { HOME: home, XDG_STATE_HOME: join(home, 'state') });
    try {
      await t.waitForCursorLine(/not authenticated A001>$/, 'the first prompt');
      t.type('LOGIN joe password');
      t.press('Enter');
      await t.waitForCursorLine(/authenticated A002>$/, 'the prompt after LOGIN');
      t.type('SELECT INBOX');
      t.press('Enter');
      await t.waitForCursorLine(/INBOX \[rw\] A003>$/, 'the prompt after SELECT');
      const needle = `${'pasted'.repeat(3333)}!!`;
      t.paste(`SEARCH TEXT "${needle}"`);
      t.press('Enter');
      await t.waitFor(/^S: A003 OK SEARCH completed/m, 'the SEARCH completion');
      const screen = t.screen();
      expect(screen).toContain(`C: A003 SEARCH TEXT "${needle}"`);
      expect(screen.split(needle).length - 1).toBe(2); // as typed at the prompt, and as sent
      await t.waitForCursorLine(/INBOX \[rw\] A004>$/, 'the next prompt');
      t.type('LOGOUT');
      t.press('Enter');
      expect(await t.exitStatus()).toBe(0);
    } finally {
      t.close();
    }
  });
});
