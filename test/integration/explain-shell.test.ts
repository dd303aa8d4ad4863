/**
 * The shell's .explain, driven in a real terminal (tmux) against the built-in sandbox as a teacher
 * would: explanations turned on mid-session in Russian (from LANG), the state they lead to, the state
 * diagram under .state, off again, and the Russian .help.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTerminal, tmuxAvailable } from '../support/tmux.js';

describe.skipIf(!tmuxAvailable())('.explain in the shell (tmux)', () => {
  it('turns explanations on and off mid-session; words in the language of LANG', async () => {
    const home = mkdtempSync(join(tmpdir(), 'mailwire-explain-tty-'));
    const t = startTerminal(['demo', '--no-color'], { HOME: home, XDG_STATE_HOME: join(home, 'state'), LANG: 'ru_RU.UTF-8' });
    try {
      await t.waitForCursorLine(/^imap 127\.0\.0\.1:\d+ не аутентифицирован A001>$/, 'the first prompt, its state in Russian');
      // Off at first: the greeting has no explanation under it. The banners are in Russian too.
      expect(t.screen()).not.toMatch(/^# {3}приветствие/m);
      expect(t.screen()).toMatch(/^# песочница mailwire на imap:\/\/127\.0\.0\.1:\d+: всё в памяти и пропадёт, когда сеанс закончится\n# попробуйте: LOGIN joe password/m);
      expect(t.screen()).toMatch(/^# оболочка mailwire: Tab дополняет, \.help — список команд, Ctrl-D завершает сеанс$/m);
      t.type('.explain');
      t.press('Enter');
      await t.waitFor(/^пояснения включены$/m, '.explain says it is on');
      t.type('LOGIN joe password');
      t.press('Enter');
      await t.waitFor(/^# {3}теперь состояние «Аутентифицирован» \(Authenticated\) \(RFC 3501 §3\)$/m, 'the state after LOGIN');
      expect(t.screen()).toMatch(/^C: A001 LOGIN joe <secret>\n# {3}вход под именем joe; пароль передаётся открытым текстом, поэтому только через TLS \(RFC 3501 §6\.2\.3\)$/m);
      t.type('SELECT INBOX');
      t.press('Enter');
      await t.waitFor(/^# {3}теперь состояние «Выбран» \(Selected\): почтовый ящик INBOX, чтение и запись \(RFC 3501 §3\)$/m, 'the state after SELECT');
      expect(t.screen()).toMatch(/^S: \* 5 EXISTS\n# {3}в почтовом ящике 5 сообщений \(RFC 3501 §7\.3\.1\)$/m);
      expect(t.screen()).toMatch(/^S: \* OK \[UIDVALIDITY \d+\] UIDs valid\n# {3}UID действительны, пока UIDVALIDITY равно \d+; если оно изменится/m);
      // .state: the facts, then the state machine with Selected marked and the SELECT that entered it.
      t.type('.state');
      t.press('Enter');
      await t.waitFor(/┃ «Выбран» \(Selected\) +┃ ◀ текущее состояние, переход по команде A002 SELECT$/m, 'the diagram under .state');
      const screen = t.screen();
      expect(screen).toMatch(/^состояние +«Выбран» \(Selected\) INBOX \[rw\]$/m);
      expect(screen).toMatch(/^Состояния сеанса IMAP \(RFC 3501 §3\)\n {2}┌─+┐\n {2}│ «Не аутентифицирован» \(Not Authenticated\) │$/m);
      expect(screen.match(/┃ «/g)).toHaveLength(1);
      t.type('.explain off');
      t.press('Enter');
      await t.waitFor(/^пояснения выключены$/m, '.explain says it is off');
      t.type('NOOP');
      t.press('Enter');
      await t.waitFor(/^S: A003 OK NOOP completed/m, 'NOOP');
      expect(t.screen()).not.toMatch(/^C: A003 NOOP\n#/m);
      t.type('.help');
      t.press('Enter');
      await t.waitFor(/^Команды IMAP4 \(RFC 3501 и расширения\); подробнее — \.help КОМАНДА:$/m, 'the Russian .help');
      expect(t.screen()).toMatch(/^ {2}\.explain \[on\|off\] +под каждой строкой — что она значит здесь/m);
      t.type('LOGOUT');
      t.press('Enter');
      expect(await t.exitStatus()).toBe(0);
    } finally {
      t.close();
    }
  });
});
