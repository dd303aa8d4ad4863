/**
 * `mailwire step`: scripted (standard input not a terminal) it shows every exchange of the lecture's
 * transcripts explained, with the state diagram at each change of state; in a real terminal (tmux)
 * it waits for Enter and stops at q, as a teacher at a projector would drive it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runMain } from '../support/cli.js';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));
const APOP = join(SEED, 'pop3-apop-session.txt');

describe('mailwire step, scripted', () => {
  it('walks the POP3 session in Russian: 8 steps, each line explained, the diagram when APOP enters TRANSACTION', async () => {
    const r = await runMain(['step', APOP, '--lang', 'ru'], { stdin: '' });
    expect(r.code).toBe(0);
    expect(r.stdout.match(/^— шаг \d+ из 8 —$/gm)).toHaveLength(8);
    expect(r.stdout).toMatch(
      /^— шаг 2 из 8 —\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\n# {3}вход под именем mrose; дайджест c4c9334bac560ecc979e58001b3e22fb должен быть равен MD5\("<1896\.697270952@dbc\.ca\.us>" \+ секрет\)/m,
    );
    expect(r.stdout).toMatch(/^ {2}┃ «Транзакция» \(TRANSACTION\) +┃ ◀ текущее состояние, переход по команде APOP$/m);
    expect(r.stdout).toMatch(/^ {2}┃ «Обновление» \(UPDATE\) +┃ ◀ текущее состояние, переход по команде QUIT$/m);
    // A step that does not change the state draws no diagram: three diagrams (greeting, APOP, QUIT).
    expect(r.stdout.match(/^Состояния сеанса POP3/gm)).toHaveLength(3);
    // Every protocol line of the step output has its explanation under it, but the message text.
    const lines = r.stdout.split('\n');
    lines.forEach((l, i) => {
      if (/^[CS]: /.test(l) && !/^S: <body of message/.test(l)) expect(lines[i + 1], l).toMatch(/^# {3}\S/);
    });
    expect(r.stdout).not.toContain('\u001b');
  });

  it.each(readdirSync(SEED).filter((f) => f.endsWith('.txt')))('steps through the lecture\'s %s in both languages', async (file) => {
    for (const lang of ['en', 'ru']) {
      const r = await runMain(['step', join(SEED, file), '--lang', lang], { stdin: '' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(lang === 'en' ? /^— step 1 of \d+ —$/m : /^— шаг 1 из \d+ —$/m);
      // Every command a step shows is explained (literal data lines are not commands).
      const lines = r.stdout.split('\n');
      lines.forEach((l, i) => {
        if (/^C: (?:[A-Za-z]+\d+ [A-Z]+|[A-Z]{4}(?: |$))/.test(l)) expect(lines[i + 1], `${file}: ${l}`).toMatch(/^# {3}\S/);
      });
    }
  });

  it('a file that cannot be read, a bad --auto and a bad --timeout are one-line errors with their exit codes', async () => {
    const missing = await runMain(['step', join(SEED, 'nothing-here.txt')], { stdin: '' });
    expect(missing.code).toBe(9);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    const auto = await runMain(['step', APOP, '--auto', 'soon'], { stdin: '' });
    expect(auto.code).toBe(2);
    expect(auto.stderr).toMatch(/--auto takes seconds/);
    // --timeout reads as every command's --timeout does, with the same bound and words.
    for (const value of ['soon', '99999999']) {
      const timeout = await runMain(['step', APOP, '--sandbox', '--timeout', value], { stdin: '' });
      const session = await runMain(['imap://127.0.0.1:1', '--timeout', value], { stdin: '' });
      expect(timeout.code).toBe(2);
      expect(timeout.stderr.replace('mailwire step:', 'mailwire:').replace('mailwire step --help', 'mailwire --help')).toBe(session.stderr);
    }
  });
});

describe.skipIf(!tmuxAvailable())('mailwire step in a terminal (tmux)', () => {
  it('waits for Enter between steps and quits at q', async () => {
    const t = startTerminal(['step', APOP, '--no-color'], { LANG: 'en_US.UTF-8' });
    try {
      await t.waitFor(/^— step 1 of 8 —$/m, 'the first step');
      await t.waitFor(/\[Enter or Space: next, q: quit\]/, 'the key hint');
      expect(t.screen()).not.toMatch(/step 2 of 8/);
      t.press('Enter');
      await t.waitFor(/┃ TRANSACTION +┃ ◀ current state, entered by APOP$[^]*\[Enter or Space: next, q: quit\]/m, 'step 2, its diagram and the hint');
      expect(t.screen()).not.toMatch(/step 3 of 8/);
      // The first step's hint went when Enter was pressed: the session and its explanations stay, the hint does not.
      expect(t.screen().match(/\[Enter or Space: next, q: quit\]/g)).toHaveLength(1);
      expect(t.screen()).toMatch(/^ {2}│ UPDATE +│\n {2}└─+┘\n\n— step 2 of 8 —$/m);
      t.press('Space');
      await t.waitFor(/^— step 3 of 8 —\nC: LIST$/m, 'step 3 after Space');
      t.type('q');
      expect(await t.exitStatus()).toBe(0);
      expect(t.screen()).not.toMatch(/step 4 of 8/);
    } finally {
      t.close();
    }
  });
});
