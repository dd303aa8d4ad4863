/**
 * The shell in Russian, driven in a real terminal (tmux) against the built-in sandbox: the prompts
 * of a literal typed by hand and of IDLE, the shell's own remarks (a literal to type, a word typed out
 * of habit, an unknown shell command, Ctrl-C) and the session's warnings, with no English left in them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

describe.skipIf(!tmuxAvailable())('the shell in Russian (tmux)', () => {
  it('prompts for a literal and for IDLE, and remarks, in Russian', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mailwire-ru-shell-'));
    const t = startTerminal(['demo', '--no-color'], { HOME: home, XDG_STATE_HOME: join(home, 'state'), LANG: 'ru_RU.UTF-8' });
    try {
      await t.waitForCursorLine(/^imap 127\.0\.0\.1:\d+ не аутентифицирован A001>$/, 'the first prompt');
      expect(t.screen()).toMatch(/^# установлено соединение с imap:\/\/127\.0\.0\.1:\d+, обычный TCP$/m);
      t.type('quit');
      t.press('Enter');
      await t.waitFor(/^# не отправлено: «quit» — не команда IMAP \(сервер её отверг бы\); сеанс завершает LOGOUT \(Ctrl-D или \.quit отправят её за вас\)$/m, 'the habit word');
      t.type('.nosuch');
      t.press('Enter');
      await t.waitFor(/^# ошибка: неизвестная команда оболочки \.nosuch \(список — \.help; строку, начинающуюся с «\.», набирают с «\.\.»\)$/m, 'an unknown shell command');
      t.press('C-c');
      await t.waitFor(/^# сеанс завершают Ctrl-D или \.quit \(LOGOUT\/QUIT\)$/m, 'Ctrl-C on an empty line');
      t.type('LOGIN joe password');
      t.press('Enter');
      await t.waitForCursorLine(/^imap joe@127\.0\.0\.1:\d+ аутентифицирован A002>$/, 'logged in');
      t.type('APPEND INBOX {5}');
      t.press('Enter');
      await t.waitFor(/^# литерал \{5\}: наберите его 5 октетов \(каждая строка считается вместе с CRLF\); пока литерал не набран целиком, ничего не отправляется, Ctrl-C отменяет команду$/m, 'the literal to type');
      await t.waitForCursorLine(/^литерал \{5\}, осталось 5 октетов>$/, 'the literal prompt');
      t.type('abc');
      t.press('Enter');
      await t.waitForCursorLine(/^литерал набран; Enter завершает команду, или наберите её продолжение>$/, 'the literal done');
      t.press('Enter');
      await t.waitFor(/^S: A002 OK \[APPENDUID /m, 'APPEND completed');
      t.type('SELECT INBOX');
      t.press('Enter');
      await t.waitFor(/^S: A003 OK \[READ-WRITE\]/m, 'SELECT');
      t.type('IDLE');
      t.press('Enter');
      await t.waitForCursorLine(/^imap joe@127\.0\.0\.1:\d+ INBOX \[rw\] IDLE, завершает DONE>$/, 'the IDLE prompt');
      t.type('DONE');
      t.press('Enter');
      await t.waitFor(/^S: A004 OK /m, 'IDLE done');
      t.type('LOGOUT');
      t.press('Enter');
      expect(await t.exitStatus()).toBe(0);
      const screen = t.screen();
      expect(screen).not.toMatch(/^# (?:connected to|warning:|not sent:|literal|unknown shell command|Ctrl-D or)/m);
      expect(screen).not.toMatch(/octets left|DONE ends it|literal done/);
    } finally {
      t.close();
    }
  });
});
