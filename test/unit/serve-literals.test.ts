/**
 * serve reads a client's command with literals as an IMAP server does (RFC 3501 §4.3, §7.5): a "+"
 * for each synchronizing literal, the literal's octets, then the whole command judged. A password
 * sent as a literal meets the transcript's `<secret>` or quoted string as the string it is, never
 * through its `{8}`. Pure: the sans-io TranscriptServer, client bytes in, bytes out, each playbook
 * fed whole and one octet at a time.
 */
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { TranscriptServer, type ServeAction } from '../../src/transcript/serve.js';

const sent = (actions: ServeAction[]) => actions.flatMap((a) => (a.type === 'send' ? [a.bytes.toString('utf8')] : [])).join('');
const clock = () => new Date('2026-12-03T12:00:00Z');

function imap(lines: string[]): TranscriptServer {
  const server = new TranscriptServer(parseTranscript(['# protocol: imap', ...lines, ''].join('\n')), { protocol: 'imap', clock });
  server.start();
  return server;
}

/** A playbook: the client's bytes, and what serve must have sent back once they are in. */
type Turn = [client: string, server: string | RegExp];

function play(lines: string[], turns: Turn[], split: 'whole' | 'octets'): TranscriptServer {
  const server = imap(lines);
  for (const [client, expected] of turns) {
    const bytes = Buffer.from(client, 'utf8');
    const chunks = split === 'whole' ? [bytes] : [...bytes].map((b) => Buffer.from([b]));
    const out = chunks.map((c) => sent(server.receive(c))).join('');
    if (typeof expected === 'string') expect(out).toBe(expected);
    else expect(out).toMatch(expected);
  }
  return server;
}

const GREETING = 'S: * OK IMAP4rev1 ready';

describe.each(['whole', 'octets'] as const)('a LOGIN password sent as a literal, fed %s', (split) => {
  it('meets a recorded `LOGIN joe <secret>`: "+" first, the tagged OK only after the literal', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed', 'C: a2 LOGOUT', 'S: * BYE', 'S: a2 OK LOGOUT completed'];
    const server = play(lines, [
      ['x1 LOGIN joe {8}\r\n', /^\+ .*\r\n$/],
      ['p@ss wd!', ''],
      ['\r\n', 'x1 OK LOGIN completed\r\n'],
      ['x2 LOGOUT\r\n', '* BYE\r\nx2 OK LOGOUT completed\r\n'],
    ], split);
    expect(server.mismatches).toBe(0);
    expect(server.done).toBe(true);
  });

  it('the literal is not read as a command: data that looks like one is the password still', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed'];
    const server = play(lines, [
      ['x1 LOGIN joe {11}\r\n', /^\+ /],
      ['x9 LOGOUT\r\n\r\n', 'x1 OK LOGIN completed\r\n'],
    ], split);
    expect(server.mismatches).toBe(0);
  });

  it('a non-synchronizing literal (LITERAL+, RFC 7888) gets no "+"', () => {
    const server = play([GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed'], [
      ['x1 LOGIN joe {6+}\r\nsecret\r\n', 'x1 OK LOGIN completed\r\n'],
    ], split);
    expect(server.mismatches).toBe(0);
  });

  it('meets a quoted password written in the transcript, and refuses another one', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe "tanstaaf"', 'S: a1 OK LOGIN completed'];
    const wrong = play(lines, [
      ['x1 LOGIN joe {5}\r\n', /^\+ /],
      ['wrong\r\n', /^x1 BAD mailwire serve: expected/],
      ['x2 LOGIN joe {8}\r\n', /^\+ /],
      ['tanstaaf\r\n', 'x2 OK LOGIN completed\r\n'],
    ], split);
    expect(wrong.mismatches).toBe(1);
  });

  it('meets a recording whose password was a literal of another length', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe {8}', 'S: + Ready for literal data', 'C: <secret>', 'C:', 'S: a1 OK LOGIN completed'];
    const server = play(lines, [
      ['x1 LOGIN joe {11}\r\n', '+ Ready for literal data\r\n'],
      ['another one\r\n', 'x1 OK LOGIN completed\r\n'],
    ], split);
    expect(server.mismatches).toBe(0);
  });
});

describe.each(['whole', 'octets'] as const)('`<secret>` is one argument, written as the client writes it (RFC 3501 §4.3), fed %s', (split) => {
  const LOGIN = [GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed', 'C: a2 LOGOUT', 'S: * BYE', 'S: a2 OK LOGOUT completed'];
  const LOGOUT: Turn = ['x2 LOGOUT\r\n', '* BYE\r\nx2 OK LOGOUT completed\r\n'];

  it('meets the user name and the password quoted', () => {
    const server = play(LOGIN, [['x1 LOGIN "joe" "password"\r\n', 'x1 OK LOGIN completed\r\n'], LOGOUT], split);
    expect(server.mismatches).toBe(0);
    expect(server.done).toBe(true);
  });

  it('meets the user name and the password as literals, synchronizing or not (RFC 7888)', () => {
    const sync = play(LOGIN, [['x1 LOGIN {3}\r\n', /^\+ .*\r\n$/], ['joe {8}\r\n', /^\+ .*\r\n$/], ['password\r\n', 'x1 OK LOGIN completed\r\n'], LOGOUT], split);
    expect(sync.mismatches).toBe(0);
    const plus = play(LOGIN, [['x1 LOGIN {3+}\r\njoe {8+}\r\npassword\r\n', 'x1 OK LOGIN completed\r\n'], LOGOUT], split);
    expect(plus.mismatches).toBe(0);
  });

  it('meets a quoted password with a space in it, and a number', () => {
    expect(play(LOGIN, [['x1 LOGIN joe "pass word"\r\n', 'x1 OK LOGIN completed\r\n']], split).mismatches).toBe(0);
    expect(play(LOGIN, [['x1 LOGIN "joe" 12345678\r\n', 'x1 OK LOGIN completed\r\n']], split).mismatches).toBe(0);
  });

  it('still refuses another user name, however written', () => {
    const server = play(LOGIN, [['x1 LOGIN "bob" "password"\r\n', /^x1 BAD mailwire serve: expected/], ['x2 LOGIN {3}\r\n', /^\+ /], ['bob "password"\r\n', /^x2 BAD mailwire serve: expected/]], split);
    expect(server.mismatches).toBe(2);
  });

  it('does not swallow what follows it: more arguments, the rest of a literal, a literal whose count was short', () => {
    const server = play(LOGIN, [
      ['x1 LOGIN joe password EXTRA\r\n', /^x1 BAD mailwire serve: expected/],
      ['x2 LOGIN joe {8}\r\n', /^\+ /],
      ['password EXTRA ARGS\r\n', /^x2 BAD mailwire serve: expected/],
      ['x3 LOGIN joe {4}\r\n', /^\+ /],
      ['password\r\n', /^x3 BAD mailwire serve: expected/],
      ['x4 LOGIN "joe" "pass"word\r\n', /^x4 BAD mailwire serve: expected/],
      ['x5 LOGIN joe "password" "EXTRA"\r\n', /^x5 BAD mailwire serve: expected/],
      // The transcript waits at the LOGIN: a right one goes on.
      ['x6 LOGIN joe password\r\n', 'x6 OK LOGIN completed\r\n'],
      LOGOUT,
    ], split);
    expect(server.mismatches).toBe(5);
    expect(server.done).toBe(true);
  });

  it('in the middle of a line, as an initial response (RFC 4959), is one argument too', () => {
    const lines = [GREETING, 'C: a1 AUTHENTICATE PLAIN <secret>', 'S: a1 OK Logged in'];
    expect(play(lines, [['x1 AUTHENTICATE PLAIN AGpvZQBwdw==\r\n', 'x1 OK Logged in\r\n']], split).mismatches).toBe(0);
    expect(play(lines, [['x1 AUTHENTICATE PLAIN AGpvZQBwdw== MORE\r\n', /^x1 BAD /]], split).mismatches).toBe(1);
    const both = [GREETING, 'C: a1 LOGIN <secret> <secret>', 'S: a1 OK done'];
    expect(play(both, [['x1 LOGIN "joe" {2+}\r\npw\r\n', 'x1 OK done\r\n']], split).mismatches).toBe(0);
    expect(play(both, [['x1 LOGIN joe pw x\r\n', /^x1 BAD /]], split).mismatches).toBe(1);
  });

  it('reports the client line with its password masked', () => {
    const server = imap(LOGIN);
    const reports = server.receive(Buffer.from('x1 LOGIN joe hunter22 EXTRA\r\n')).flatMap((a) => (a.type === 'report' ? [JSON.stringify(a.report)] : []));
    expect(reports.join('\n')).toContain('mismatch');
    expect(reports.join('\n')).not.toContain('hunter22');
  });
});

describe('a client that sends literal after literal', () => {
  it('is refused once the command passes what any transcript line holds, and the transcript waits', () => {
    const server = imap([GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed']);
    const chunk = 'x'.repeat(60_000);
    let out = sent(server.receive(Buffer.from('x1 LOGIN joe {60000}\r\n')));
    for (let i = 0; i < 3 && !out.includes('BAD'); i++) out += sent(server.receive(Buffer.from(`${chunk} {60000}\r\n`)));
    expect(out).toMatch(/\r\nx1 BAD mailwire serve: command longer than/);
    expect(server.mismatches).toBe(1);
    // Refused before its "+": the client sends no literal, and its next command is read as one.
    expect(sent(server.receive(Buffer.from('x2 LOGIN joe "pw"\r\n')))).toBe('x2 OK LOGIN completed\r\n');
  });
});

describe('a client password in what serve reports', () => {
  it('is shown as <secret>, sent quoted, as a literal, or with PASS', () => {
    const reports = (server: TranscriptServer, chunks: string[]) =>
      chunks.flatMap((c) => server.receive(Buffer.from(c))).flatMap((a) => (a.type === 'report' ? [JSON.stringify(a.report)] : []));
    const expectsOther = ['S: * OK ready', 'C: a1 LOGIN bob "other"', 'S: a1 OK done'];
    const literal = reports(imap(expectsOther), ['x1 LOGIN joe {8}\r\n', 'hunter22\r\n']);
    const quoted = reports(imap(expectsOther), ['x2 LOGIN joe "hunter33"\r\n']);
    const pop3 = new TranscriptServer(parseTranscript('# protocol: pop3\nS: +OK ready\nC: USER bob\nS: +OK\nC: PASS <secret>\nS: +OK\n'), { protocol: 'pop3', clock });
    pop3.start();
    const pass = reports(pop3, ['USER joe\r\n', 'PASS hunter55\r\n']);
    for (const [shown, password] of [[literal, 'hunter22'], [quoted, 'hunter33']] as const) {
      expect(shown.join('\n'), password).toMatch(/LOGIN joe <secret>/);
      expect(shown.join('\n')).not.toContain(password);
    }
    expect(pass.join('\n')).toMatch(/USER joe/);
    expect(pass.join('\n')).not.toContain('hunter55');
  });
});

describe('a tag that is no tag (RFC 3501 §9)', () => {
  it('is refused untagged, not echoed: a control byte in it would go back changed', () => {
    const server = imap([GREETING, 'C: a1 NOOP', 'S: a1 OK NOOP completed']);
    const out = server.receive(Buffer.from('\x1b[31m NOOP\r\n'));
    expect(sent(out)).toMatch(/^\* BAD mailwire serve: /);
    expect(sent(out)).not.toContain('\x1b');
    expect(server.mismatches).toBe(1);
    for (const bad of ['a+1', 'a(1', 'a*', 'é1']) {
      expect(sent(imap([GREETING, 'C: a1 NOOP', 'S: a1 OK NOOP completed']).receive(Buffer.from(`${bad} NOOP\r\n`))), bad).toMatch(/^\* BAD /);
    }
    // A tag of any printable ASCII the RFC allows is answered with itself.
    for (const good of ['x]1', 'A.001', "~!#$&'"]) {
      expect(sent(imap([GREETING, 'C: a1 NOOP', 'S: a1 OK NOOP completed']).receive(Buffer.from(`${good} NOOP\r\n`))), good).toBe(`${good} OK NOOP completed\r\n`);
    }
  });
});

/** Every report serve made, as JSON, and the bytes it sent, for each client chunk. */
function playReports(lines: string[], chunks: string[]): { server: TranscriptServer; replies: string[]; reports: Array<{ kind: string; message: string; expected: string | null; received: string | null }> } {
  const server = new TranscriptServer(parseTranscript(['# protocol: imap', ...lines, ''].join('\n')), { protocol: 'imap', clock });
  const reports: Array<{ kind: string; message: string; expected: string | null; received: string | null }> = [];
  const take = (actions: ServeAction[]): string => {
    for (const a of actions) if (a.type === 'report') reports.push(a.report);
    return sent(actions);
  };
  take(server.start());
  return { server, replies: chunks.map((c) => take(server.receive(Buffer.from(c, 'utf8')))), reports };
}

describe('a transcript\'s literal, sent by the client as a quoted string or an atom (RFC 3501 §4.3)', () => {
  // RFC 3501 §7.5, as transcripts/rfc/imap holds it: two synchronizing literals, each with its "+".
  const RFC = [
    'C: A001 LOGIN {11}',
    'S: + Ready for additional command text',
    'C: FRED FOOBAR {7}',
    'S: + Ready for additional command text',
    'C: fat man',
    'S: A001 OK LOGIN completed',
    'C: A002 LOGOUT',
    'S: * BYE',
    'S: A002 OK LOGOUT completed',
  ];
  const LOGOUT = ['x2 LOGOUT\r\n', '* BYE\r\nx2 OK LOGOUT completed\r\n'] as const;

  it('is met as the same command; no "+" is sent, and a note names the transcript\'s "+" lines not sent', () => {
    const p = playReports(RFC, ['x1 LOGIN "FRED FOOBAR" "fat man"\r\n', LOGOUT[0]]);
    expect(p.replies).toEqual(['x1 OK LOGIN completed\r\n', LOGOUT[1]]);
    expect(p.server.mismatches).toBe(0);
    expect(p.server.done).toBe(true);
    const notes = p.reports.filter((r) => r.kind === 'note' && /read whole/.test(r.message));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.message).toMatch(/the "\+" lines 3, 5 were not sent/);
  });

  it('one string a literal, the other quoted: a "+" (the transcript\'s) for the literal the client sends, and only for it', () => {
    const first = playReports(RFC, ['x1 LOGIN {11}\r\n', 'FRED FOOBAR "fat man"\r\n', LOGOUT[0]]);
    expect(first.replies).toEqual(['+ Ready for additional command text\r\n', 'x1 OK LOGIN completed\r\n', LOGOUT[1]]);
    expect(first.reports.find((r) => r.kind === 'note' && /read whole/.test(r.message))?.message).toMatch(/the "\+" of line 5 was not sent/);
    const second = playReports(RFC, ['x1 LOGIN "FRED FOOBAR" {7}\r\n', 'fat man\r\n', LOGOUT[0]]);
    expect(second.replies).toEqual(['+ Ready for additional command text\r\n', 'x1 OK LOGIN completed\r\n', LOGOUT[1]]);
    for (const p of [first, second]) expect(p.server.mismatches).toBe(0);
  });

  it('non-synchronizing literals (LITERAL+, RFC 7888) get no "+", where the transcript\'s had one', () => {
    const p = playReports(RFC, ['x1 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n', LOGOUT[0]]);
    expect(p.replies).toEqual(['x1 OK LOGIN completed\r\n', LOGOUT[1]]);
    expect(p.server.mismatches).toBe(0);
  });

  it('a `<secret>` literal meets a quoted password or an atom, and a LITERAL+ one gets no "+"', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe {8}', 'S: + Ready for literal data', 'C: <secret>', 'C:', 'S: a1 OK LOGIN completed', 'C: a2 LOGOUT', 'S: * BYE', 'S: a2 OK LOGOUT completed'];
    for (const login of ['x1 LOGIN joe "hunter 2"\r\n', 'x1 LOGIN joe {7+}\r\nhunter2\r\n', 'x1 LOGIN "joe" hunter2\r\n', 'x1 login JOE {7+}\r\nhunter2\r\n']) {
      const p = playReports(lines, [login, LOGOUT[0]]);
      expect(p.replies, login).toEqual(['x1 OK LOGIN completed\r\n', LOGOUT[1]]);
      expect(p.server.mismatches, login).toBe(0);
      expect(p.reports.map((r) => JSON.stringify(r)).join('\n')).not.toMatch(/hunter/);
    }
  });

  it('a literal mailbox name meets the name as an atom or quoted, INBOX in any case', () => {
    const lines = [GREETING, 'C: a1 SELECT {5}', 'S: + go ahead', 'C: INBOX', 'S: * 0 EXISTS', 'S: a1 OK [READ-WRITE] SELECT completed'];
    for (const select of ['x1 SELECT INBOX\r\n', 'x1 select "inbox"\r\n', 'x1 SELECT {5}\r\ninbox\r\n']) {
      const p = playReports(lines, [select]);
      expect(p.replies.join(''), select).toBe(`${select.includes('{') ? '+ go ahead\r\n' : ''}* 0 EXISTS\r\nx1 OK [READ-WRITE] SELECT completed\r\n`);
      expect(p.server.mismatches, select).toBe(0);
    }
    const sent = [GREETING, 'C: a1 SELECT {4}', 'S: + go ahead', 'C: Sent', 'S: a1 OK SELECT completed'];
    expect(playReports(sent, ['x1 SELECT "Sent"\r\n']).replies).toEqual(['x1 OK SELECT completed\r\n']);
    // A quoted name keeps its case (only INBOX is any case, RFC 3501 §5.1).
    expect(playReports(sent, ['x1 SELECT "sent"\r\n']).replies).toEqual([expect.stringMatching(/^x1 BAD /)]);
  });

  it('another value is refused, shown read whole with the password masked; the transcript waits at the command', () => {
    const p = playReports(RFC, ['x1 LOGIN "FRED FOOBAR" "thin man"\r\n', 'x2 LOGIN {11}\r\n', 'FRED FOOBAR "hunter2"\r\n', 'x3 LOGIN "FRED FOOBAR" "fat man"\r\n']);
    expect(p.replies[0]).toMatch(/^x1 BAD mailwire serve: expected "C: A001 LOGIN \{11\}"/);
    expect(p.replies[1]).toBe('+ Ready for additional command text\r\n');
    expect(p.replies[2]).toMatch(/^x2 BAD /);
    expect(p.replies[3]).toBe('x3 OK LOGIN completed\r\n');
    expect(p.server.mismatches).toBe(2);
    const mismatches = p.reports.filter((r) => r.kind === 'mismatch');
    expect(mismatches[0]?.expected).toBe('C: A001 LOGIN "FRED FOOBAR" "fat man"');
    expect(mismatches[0]?.message).toMatch(/lines 2-6 read whole/);
    expect(mismatches.map((r) => r.received)).toEqual(['C: x1 LOGIN "FRED FOOBAR" <secret>', 'C: x2 LOGIN "FRED FOOBAR" <secret>']);
  });

  it('the other way round, a "+" the transcript does not show is sent for the client\'s literal, and noted', () => {
    const lines = [GREETING, 'C: a1 LOGIN joe <secret>', 'S: a1 OK LOGIN completed'];
    const p = playReports(lines, ['x1 LOGIN {3}\r\n', 'joe {7}\r\n', 'hunter2\r\n']);
    expect(p.replies).toEqual(['+ Ready for literal data\r\n', '+ Ready for literal data\r\n', 'x1 OK LOGIN completed\r\n']);
    expect(p.reports.map((r) => r.message)).toEqual([
      'the command of line 3 met read whole, the client sending its strings otherwise than the transcript (RFC 3501 §4.3): a "+" the transcript does not show was sent for 2 synchronizing literals of the client\'s',
    ]);
  });

  it('a literal larger than all the transcript\'s command holds is refused at once, before its "+"', () => {
    const p = playReports(RFC, ['x1 LOGIN {300000}\r\n']);
    expect(p.replies[0]).toMatch(/^x1 BAD mailwire serve: expected "C: A001 LOGIN \{11\}"/);
    expect(p.server.mismatches).toBe(1);
  });

  it('another command is refused at once, before its literal, as before', () => {
    const p = playReports(RFC, ['x1 SELECT {5}\r\n', 'x2 LOGIN "FRED FOOBAR" "fat man"\r\n']);
    expect(p.replies).toEqual([expect.stringMatching(/^x1 BAD /), 'x2 OK LOGIN completed\r\n']);
  });
});

describe.each(['whole', 'octets'] as const)('client octets judged in the display form the transcript is written in, fed %s', (split) => {
  // A recording writes the text `C:\x41` as `C:\x5cx41`, and the octet 0xff as `\xff`.
  const lines = [GREETING, 'C: a1 SEARCH SUBJECT "C:\\\\x5cx41 \\xff"', 'S: * SEARCH 1', 'S: a1 OK SEARCH completed', 'C: a2 APPEND INBOX {6}', 'S: + go', 'C: \\x5cx1b', 'C:', 'S: a2 OK APPEND completed'];

  it('meets the octets the lines stand for, and not an "A" for the text that only looks like one', () => {
    const server = imap(lines);
    const feed = (bytes: Buffer) => (split === 'whole' ? [bytes] : [...bytes].map((b) => Buffer.from([b]))).map((c) => sent(server.receive(c))).join('');
    expect(feed(Buffer.concat([Buffer.from('x0 SEARCH SUBJECT "C:\\\\A '), Buffer.from([0xff]), Buffer.from('"\r\n')]))).toMatch(/^x0 BAD /);
    expect(feed(Buffer.concat([Buffer.from('x1 SEARCH SUBJECT "C:\\\\x41 '), Buffer.from([0xff]), Buffer.from('"\r\n')]))).toBe('* SEARCH 1\r\nx1 OK SEARCH completed\r\n');
    expect(feed(Buffer.from('x2 APPEND INBOX {6}\r\n'))).toBe('+ go\r\n');
    expect(feed(Buffer.from('\\x1b\r\n\r\n'))).toBe('x2 OK APPEND completed\r\n');
    expect(server.mismatches).toBe(1);
  });
});
