/**
 * The state diagram: every state of the machine in its box, in the RFC's order, the moves labelled
 * with their commands, the current state (and only it) in a heavy box with the command that entered
 * it; the state names of the chosen language; plain text without colors, the roles styled with them.
 */
import { describe, expect, it } from 'vitest';
import { commandThatMoved } from '../../src/protocol/explain/state-machine.js';
import { stateDiagramLines } from '../../src/render/state-diagram.js';
import { makeStyler } from '../../src/render/theme.js';

const plain = (lines: ReturnType<typeof stateDiagramLines>) => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

describe('state diagram', () => {
  it('draws POP3 in English, TRANSACTION current, entered by PASS', () => {
    expect(plain(stateDiagramLines({ protocol: 'pop3', state: 'transaction', language: 'en', movedBy: 'PASS' }))).toBe(
      [
        'POP3 session states (RFC 1939 §3)',
        '  ┌───────────────┐',
        '  │ AUTHORIZATION │',
        '  └───────────────┘',
        '     │ PASS, APOP, AUTH',
        '     ▼',
        '  ┏━━━━━━━━━━━━━━━┓',
        '  ┃ TRANSACTION   ┃ ◀ current state, entered by PASS',
        '  ┗━━━━━━━━━━━━━━━┛',
        '     │ QUIT',
        '     ▼',
        '  ┌───────────────┐',
        '  │ UPDATE        │',
        '  └───────────────┘',
      ].join('\n'),
    );
  });

  it('draws IMAP in Russian with the lecture\'s terms, the ways back (CLOSE, UNAUTHENTICATE), LOGOUT from any state', () => {
    const text = plain(stateDiagramLines({ protocol: 'imap', state: 'selected', language: 'ru', movedBy: 'A003 SELECT' }));
    expect(text.split('\n')).toEqual([
      'Состояния сеанса IMAP (RFC 3501 §3)',
      '  ┌───────────────────────────────────────────┐',
      '  │ «Не аутентифицирован» (Not Authenticated) │',
      '  └───────────────────────────────────────────┘',
      '     │ LOGIN, AUTHENTICATE    ▲ UNAUTHENTICATE',
      '     ▼                        │',
      '  ┌───────────────────────────────────────────┐',
      '  │ «Аутентифицирован» (Authenticated)        │',
      '  └───────────────────────────────────────────┘',
      '     │ SELECT, EXAMINE    ▲ CLOSE, UNSELECT',
      '     ▼                    │',
      '  ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓',
      '  ┃ «Выбран» (Selected)                       ┃ ◀ текущее состояние, переход по команде A003 SELECT',
      '  ┗━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┛',
      '     │ LOGOUT из любого состояния',
      '     ▼',
      '  ┌───────────────────────────────────────────┐',
      '  │ «Выход» (Logout)                          │',
      '  └───────────────────────────────────────────┘',
    ]);
  });

  it.each(['en', 'ru'] as const)('%s: exactly one heavy box, on the current state; the mark without a command when none is known', (language) => {
    for (const [protocol, states] of [
      ['imap', ['not-authenticated', 'authenticated', 'selected', 'logout']],
      ['pop3', ['authorization', 'transaction', 'update']],
    ] as const) {
      for (const state of states) {
        const lines = plain(stateDiagramLines({ protocol, state, language })).split('\n');
        const heavy = lines.filter((l) => l.includes('┃'));
        expect(heavy, `${protocol} ${state}`).toHaveLength(1);
        expect(heavy[0]).toMatch(language === 'en' ? /◀ current state$/ : /◀ текущее состояние$/);
        // Every box is as wide as the widest name: the right edges line up.
        const edges = new Set(lines.filter((l) => /[│┃] .*[│┃]/.test(l)).map((l) => l.lastIndexOf(l.includes('┃') ? '┃' : '│')));
        expect(edges.size).toBe(1);
      }
    }
  });

  it('before the greeting no state is current, and it says so', () => {
    const text = plain(stateDiagramLines({ protocol: 'imap', state: 'greeting', language: 'ru' }));
    expect(text).not.toContain('┃');
    expect(text.split('\n').at(-1)).toBe('подключение: сервер ещё не прислал приветствие');
    expect(plain(stateDiagramLines({ protocol: 'pop3', state: 'unknown', language: 'en' })).split('\n').at(-1)).toBe(
      'the state is not known yet: the transcript starts mid-session',
    );
  });

  it('escapes the command that came from the wire or a file', () => {
    const text = plain(stateDiagramLines({ protocol: 'pop3', state: 'transaction', language: 'en', movedBy: 'PASS\u001b[2J' }));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('entered by PASS\\x1b[2J');
  });

  it('colors by role: the current state styled, the plain text unchanged at level 0', () => {
    const lines = stateDiagramLines({ protocol: 'pop3', state: 'update', language: 'en' });
    const current = lines.find((l) => l.some((s) => s.role === 'state-current' && s.text.includes('UPDATE')));
    expect(current).toBeDefined();
    expect(makeStyler(0)(current!)).toBe('  ┃ UPDATE        ┃ ◀ current state');
    expect(makeStyler(1)(current!)).toMatch(/\u001b\[\d+m/);
  });
});

describe('the command that entered a state', () => {
  it('is the latest command the machine gives for the move, tag and name only', () => {
    expect(commandThatMoved('imap', 'not-authenticated', 'authenticated', ['A001 CAPABILITY', 'A002 LOGIN joe <secret>', 'A003 NOOP'])).toBe('A002 LOGIN');
    expect(commandThatMoved('imap', 'selected', 'authenticated', ['A004 select INBOX', 'A005 close'])).toBe('A005 close');
    expect(commandThatMoved('imap', 'selected', 'logout', ['A006 LOGOUT'])).toBe('A006 LOGOUT');
    expect(commandThatMoved('pop3', 'authorization', 'transaction', ['USER mrose', 'PASS <secret>'])).toBe('PASS');
    // RFC 8437 §5's transition (7), from either state where a user is logged in.
    expect(commandThatMoved('imap', 'selected', 'not-authenticated', ['A004 SELECT INBOX', 'A005 UNAUTHENTICATE'])).toBe('A005 UNAUTHENTICATE');
    expect(commandThatMoved('imap', 'authenticated', 'not-authenticated', ['A002 UNAUTHENTICATE'])).toBe('A002 UNAUTHENTICATE');
    // A PREAUTH greeting or a BYE moves without a command.
    expect(commandThatMoved('imap', 'not-authenticated', 'logout', ['A001 NOOP'])).toBeNull();
  });
});
