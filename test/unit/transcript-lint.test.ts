/**
 * lint: what it finds in the RFC examples and the course slides' sessions (known mistakes and
 * elisions), and each rule on a transcript made to break it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { lintTranscript, type Finding } from '../../src/transcript/lint.js';

const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));

function lint(text: string): Finding[] {
  return lintTranscript(parseTranscript(text));
}

function errors(text: string): string[] {
  return lint(text)
    .filter((f) => f.severity === 'error')
    .map((f) => `${f.lineNo}:${f.rule}`);
}

function lintFile(path: string): Finding[] {
  return lintTranscript(parseTranscript(readFileSync(join(SHIPPED, path), 'utf8')));
}

describe('lint over the shipped transcripts', () => {
  /**
   * Every error lint reports in transcripts/, by file: the RFCs' errata and the slides' mistakes, each
   * explained in a note of its file. Elisions and IMAP4rev2-only syntax are notes, not errors.
   */
  const EXPECTED: Record<string, string[]> = {
    'rfc/imap/rfc2342-5-namespace-ex5.txt': ['5:grammar'],
    'rfc/imap/rfc3501-6.2.2-authenticate-gssapi.txt': ['10:grammar'],
    'rfc/imap/rfc3501-6.4.4-search.txt': ['12:sync-literal'],
    'rfc/imap/rfc4314-2.1.1-obsolete-rights-ex3.txt': ['5:tag'],
    'rfc/imap/rfc4314-3.4-listrights.txt': ['10:grammar'],
    'rfc/imap/rfc4314-4-rights-required-perform-ex2.txt': ['9:grammar', '10:grammar', '11:grammar', '16:grammar'],
    'rfc/imap/rfc4315-3-additional-codes.txt': ['5:sync-literal'],
    'rfc/imap/rfc4978-3-compress-ex1.txt': ['4:response-code'],
    'rfc/imap/rfc4978-3-compress-ex2.txt': ['7:tag'],
    'rfc/imap/rfc4978-3-compress-ex3.txt': ['4:response-code'],
    'rfc/imap/rfc5464-4.2.1-maxsize-getmetadata-option.txt': ['5:grammar'],
    'rfc/imap/rfc5464-4.2.2-depth-getmetadata-option.txt': ['5:grammar'],
    'rfc/imap/rfc5464-4.4.1-metadata-values-ex2.txt': ['5:grammar'],
    'rfc/imap/rfc5464-4.4.1-metadata-values-ex3.txt': ['4:grammar'],
    'rfc/imap/rfc5819-3-examples-ex1.txt': ['5:grammar'],
    'rfc/imap/rfc5819-3-examples-ex2.txt': ['5:grammar', '6:grammar'],
    'rfc/imap/rfc7162-3.1.3-store-uid-store-ex8.txt': ['6:grammar'],
    'rfc/imap/rfc7162-3.1.3-store-uid-store-ex9.txt': ['6:grammar'],
    'rfc/imap/rfc7162-6-updated-synchronization-sequence-ex1.txt': ['14:tag'],
    'rfc/imap/rfc9051-6.2.2-authenticate-ex1.txt': ['7:grammar'],
    'rfc/imap/rfc9051-6.2.2-authenticate-ex3.txt': ['8:grammar'],
    'rfc/imap/rfc9051-6.3.10-namespace-ex5.txt': ['5:grammar'],
    'rfc/imap/rfc9051-6.3.9.8-list-examples-ex23.txt': ['5:grammar'],
    'rfc/imap/rfc9051-6.3.9.8-list-examples-ex24.txt': ['6:grammar'],
    'rfc/imap/rfc9051-6.4.4.4-examples-showing-use-ex6.txt': ['8:sync-literal', '9:response-code'],
    'rfc/imap/rfc9051-7.1-server-generic-status-ex10.txt': ['6:tag'],
    'rfc/imap/rfc9051-7.3.1-list-ex2.txt': ['5:grammar'],
    'seed/imap-list-create-rename-delete.txt': ['9:grammar', '13:grammar'],
    'seed/imap-select-status.txt': ['17:response-code'],
    'seed/pop3-apop-session.txt': ['12:apop'],
  };

  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(SHIPPED, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.txt')) files.push(join(dir, e.name));
    }
  };
  walk('');

  it.each(files.sort())('%s', (file) => {
    const found = lintFile(file)
      .filter((f) => f.severity === 'error')
      .map((f) => `${f.lineNo}:${f.rule}`);
    expect(found).toEqual(EXPECTED[file] ?? []);
  });

  it('explains a finding: the rule, the column, what was expected, what was found', () => {
    const [f] = lintFile('seed/imap-list-create-rename-delete.txt').filter((x) => x.severity === 'error');
    expect(f?.message).toBe('not a response-tagged (formal syntax): at column 6, expected "OK", "NO", "BAD"; found "LIST Completed"');
    const apop = lintFile('seed/pop3-apop-session.txt').find((x) => x.rule === 'apop');
    expect(apop?.message).toBe('the APOP digest is not MD5("<1896.697270952@dbc.ca.us>" + the declared secret of mrose); it should be 1b3432654bbbf8f116b8e5cf7890d5fd');
  });

  it('every RFC example that is no erratum lints without an error; an erratum is explained in its file', () => {
    const rfc = files.filter((f) => f.startsWith('rfc/imap/'));
    expect(rfc.length).toBeGreaterThanOrEqual(337);
    const extracted = /^rfc\/imap\/rfc(9051|5256|4731|5258|5819|3516|7162|9208|5464|4314|2971|2342|4315|4978)-/;
    expect(rfc.filter((f) => extracted.test(f))).toHaveLength(289);
    for (const file of rfc) {
      if (!(file in EXPECTED) || !extracted.test(file)) continue;
      expect(readFileSync(join(SHIPPED, file), 'utf8'), file).toMatch(/^# note: errat(um|a)\b/m);
    }
  });

  it('reads what was an error before IMAP4rev2 as a note: a code without text, an elided FETCH', () => {
    const notes = (file: string) => lintFile(file).filter((f) => f.rule === 'revision' || f.rule === 'elision').map((f) => `${f.lineNo}:${f.rule}`);
    expect(notes('rfc/imap/rfc2177-3-idle.txt')).toEqual(['11:revision', '21:elision', '35:elision']);
    expect(notes('seed/imap-select-status.txt')).toEqual(['13:revision', '14:revision', '15:revision']);
    expect(notes('rfc/imap/rfc3501-6.4.5-fetch.txt')).toEqual(['5:elision', '6:elision', '7:elision']);
  });

  it('checks RFC 1939\'s own APOP digest against the declared secret and finds it right', () => {
    expect(lintFile('rfc/pop3/rfc1939-sec10-apop-session.txt').filter((f) => f.rule === 'apop')).toEqual([]);
  });

  it('reports elisions and TCP pseudo-lines as notes, which do not count as errors', () => {
    const notes = lintFile('rfc/pop3/rfc1939-sec10-apop-session.txt').filter((f) => f.severity === 'note');
    expect(notes.map((n) => n.rule)).toEqual(['format', 'format', 'format', 'format']);
  });
});

describe('lint rules', () => {
  it('tag: a completion no command asked for, and a tag reused while in use', () => {
    expect(errors('# protocol: imap\nC: a1 NOOP\nS: a2 OK done\n')).toEqual(['3:tag']);
    expect(errors('# protocol: imap\nC: a1 IDLE\nS: + idling\nC: DONE\nC: a1 NOOP\nS: a1 OK done\n')).toEqual(['5:tag']);
  });

  it('literal-count: a server literal whose lines hold fewer octets than announced', () => {
    expect(errors('# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {10}\nS: abc\nC: a2 NOOP\n')).toContain('3:literal-count');
  });

  it('literal-count: a client literal that is not complete when the server speaks', () => {
    expect(errors('# protocol: imap\nC: a1 APPEND x {10+}\nC: abc\nS: a1 OK done\n')).toContain('4:literal-count');
  });

  it('literal-count: a count that ends the literal inside a line whose rest does not read on', () => {
    // A server literal two octets short: its last line's end is read as the response going on.
    const short = lint('# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {8}\nS: abcdefghij\nS: )\nS: a1 OK done\n');
    expect(short.filter((f) => f.severity === 'error').map((f) => `${f.lineNo}:${f.rule}`)).toContain('4:literal-count');
    expect(short.find((f) => f.rule === 'literal-count')?.message).toMatch(/^the literal \{8\} of line 3 ends in this line, after "abcdefgh", and the rest does not read on \(.*\): is its count right\? \(RFC 3501 §4\.3\)$/);
    // A client literal one octet short ends between the CR and the LF of its line.
    expect(errors('# protocol: imap\nC: a1 APPEND x {4+}\nC: abc\nC:\nS: a1 OK done\n')).toContain('3:literal-count');
    // A server literal too long swallows the completion: where it ends, the rest does not read on.
    expect(errors('# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {12}\nS: abc\nS: )\nS: a1 OK done\nC: a2 NOOP\nS: a2 OK done\n')).toContain('6:literal-count');
    // RFC 3501 §7.5's layout, a literal that ends inside a line that reads on, is no error.
    expect(errors('# protocol: imap\nC: A001 LOGIN {11+}\nC: FRED FOOBAR {7+}\nC: fat man\nS: A001 OK LOGIN completed\n')).toEqual([]);
    expect(errors('# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {3}\nS: abc)\nS: a1 OK done\n')).toEqual([]);
  });

  it('sync-literal: literal data before the "+", but not with {n+}', () => {
    expect(errors('# protocol: imap\nC: a1 LOGIN {3}\nC: joe secret\nS: a1 OK done\n')).toEqual(['3:sync-literal']);
    expect(errors('# protocol: imap\nC: a1 LOGIN {3+}\nC: joe secret\nS: a1 OK done\n')).toEqual([]);
  });

  it('state: SELECT before a login, FETCH with no mailbox selected', () => {
    const greeted = '# protocol: imap\nS: * OK ready\n';
    expect(errors(`${greeted}C: a1 SELECT INBOX\nS: a1 NO not now\n`)).toEqual(['3:state']);
    expect(errors(`${greeted}C: a1 LOGIN joe pw\nS: a1 OK yes\nC: a2 FETCH 1 FLAGS\nS: a2 BAD no mailbox\n`)).toEqual(['5:state']);
    // Without a greeting the state is unknown: nothing to say.
    expect(errors('# protocol: imap\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n')).toEqual([]);
  });

  it('capability: LOGIN under LOGINDISABLED, IDLE the server does not offer; STARTTLS voids what was announced', () => {
    const caps = '# protocol: imap\nS: * OK ready\nC: a0 CAPABILITY\nS: * CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\nS: a0 OK done\n';
    expect(errors(`${caps}C: a1 LOGIN joe pw\nS: a1 NO disabled\n`)).toEqual(['6:capability']);
    expect(errors(`${caps}C: a1 STARTTLS\nS: a1 OK go\nC: a2 LOGIN joe pw\nS: a2 OK in\n`)).toEqual([]);
    expect(errors(`${caps}C: a1 IDLE\nS: a1 BAD no\n`)).toEqual(['6:state', '6:capability']);
  });

  it('capability: what the server listed before a login holds after it only if listed again (RFC 3501 §6.2.3)', () => {
    const before = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\n';
    // Logged in without a word on capabilities: MOVE may well be offered now.
    expect(errors(`${before}C: a1 LOGIN joe pw\nS: a1 OK in\nC: a2 SELECT INBOX\nS: a2 OK done\nC: a3 MOVE 1 x\nS: a3 OK moved\n`)).toEqual([]);
    // Listed again in the login's reply (Dovecot's way), without MOVE: held to it.
    expect(errors(`${before}C: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1 IDLE] in\nC: a2 SELECT INBOX\nS: a2 OK done\nC: a3 MOVE 1 x\nS: a3 OK moved\n`)).toEqual(['7:capability']);
    expect(errors(`${before}C: a1 LOGIN joe pw\nS: * CAPABILITY IMAP4rev1 IDLE\nS: a1 OK in\nC: a2 SELECT INBOX\nS: a2 OK done\nC: a3 MOVE 1 x\nS: a3 OK moved\n`)).toEqual(['8:capability']);
  });

  it('state: UNAUTHENTICATE goes back to Not Authenticated (RFC 8437 §3), where LOGIN is valid and CHECK is not', () => {
    const offered = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] in\n';
    const after = 'C: a2 SELECT INBOX\nS: a2 OK [READ-WRITE] done\nC: a3 UNAUTHENTICATE\nS: a3 OK back\nC: a4 CHECK\nS: a4 BAD no mailbox\nC: a5 LOGIN joe pw\nS: a5 OK in\n';
    expect(lint(`${offered}${after}`).filter((f) => f.severity === 'error').map((f) => `${f.lineNo}:${f.rule}`)).toEqual(['9:state']);
    // A BAD (RFC 8437 §3: the only failure it has) moves nothing.
    expect(errors(`${offered}C: a2 UNAUTHENTICATE\nS: a2 BAD not now\nC: a3 LOGIN joe pw\nS: a3 BAD in already\n`)).toEqual(['7:state']);
    // A server that did not announce it.
    expect(errors('# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1 IDLE] in\nC: a2 UNAUTHENTICATE\nS: a2 BAD unknown\n')).toEqual(['5:capability']);
  });

  it('state: after UNAUTHENTICATE what ENABLE turned on is off (RFC 8437 §4.1), and the capabilities are void unless listed again', () => {
    const login = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT UNAUTHENTICATE] ready\nC: a1 LOGIN joe pw\nS: a1 OK in\n';
    const enabled = 'C: a2 ENABLE UTF8=ACCEPT\nS: * ENABLED UTF8=ACCEPT\nS: a2 OK done\n';
    const rules = (text: string) => lint(text).filter((f) => f.rule !== 'completion').map((f) => `${f.lineNo}:${f.severity}:${f.rule}`);
    expect(rules(`${login}${enabled}C: a3 SELECT "Grüße"\nS: a3 OK done\n`)).toEqual([]);
    expect(rules(`${login}${enabled}C: a3 UNAUTHENTICATE\nS: a3 OK back\nC: a4 LOGIN joe pw\nS: a4 OK in\nC: a5 SELECT "Grüße"\nS: a5 OK done\n`)).toEqual(['12:note:revision']);
    // Listed again in the reply, without IDLE: held to it; not listed, nothing is known.
    const caps = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 IDLE UNAUTHENTICATE] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1 IDLE UNAUTHENTICATE] in\n';
    expect(errors(`${caps}C: a2 UNAUTHENTICATE\nS: a2 OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] back\nC: a3 LOGIN joe pw\nS: a3 OK in\nC: a4 IDLE\nS: a4 BAD no\n`)).toEqual([]);
    expect(errors(`${caps}C: a2 UNAUTHENTICATE\nS: a2 OK [CAPABILITY IMAP4rev1 UNAUTHENTICATE] back\nC: a3 IDLE\nS: a3 BAD no\n`)).toEqual(['7:state', '7:capability']);
  });

  it('expunge: not during FETCH, STORE or SEARCH, nor with no command in progress (RFC 3501 §7.4.1, RFC 9051 §7.5.1)', () => {
    const selected = '# protocol: imap\nS: * OK ready\nC: a1 LOGIN joe pw\nS: a1 OK in\nC: a2 SELECT INBOX\nS: * 3 EXISTS\nS: a2 OK [READ-WRITE] done\n';
    const expunges = (text: string) => lint(`${selected}${text}`).filter((f) => f.rule === 'expunge').map((f) => `${f.lineNo}:${f.severity}`);
    expect(expunges('C: a3 FETCH 1:3 (FLAGS)\nS: * 1 FETCH (FLAGS (\\Seen))\nS: * 2 EXPUNGE\nS: a3 OK done\n')).toEqual(['10:error']);
    expect(expunges('C: a3 STORE 1 +FLAGS (\\Deleted)\nS: * 1 EXPUNGE\nS: a3 OK done\n')).toEqual(['9:error']);
    expect(expunges('C: a3 SEARCH ALL\nS: * 1 EXPUNGE\nS: * SEARCH 1\nS: a3 OK done\n')).toEqual(['9:error']);
    // After the completion, with nothing in progress.
    expect(expunges('C: a3 NOOP\nS: a3 OK done\nS: * 1 EXPUNGE\n')).toEqual(['10:error']);
    // Their UID forms are other commands (the RFC's note); NOOP, EXPUNGE, MOVE, IDLE may get one.
    for (const command of ['UID FETCH 1:* (FLAGS)', 'UID STORE 4 +FLAGS (\\Seen)', 'UID SEARCH ALL', 'NOOP', 'EXPUNGE', 'MOVE 1 Trash', 'CHECK']) {
      expect(expunges(`C: a3 ${command}\nS: * 1 EXPUNGE\nS: a3 OK done\n`), command).toEqual([]);
    }
    expect(expunges('C: a3 IDLE\nS: + idling\nS: * 1 EXPUNGE\nC: DONE\nS: a3 OK done\n')).toEqual([]);
    // Pipelined: a FETCH in progress forbids it, whatever else is.
    expect(expunges('C: a3 NOOP\nC: a4 FETCH 1 FLAGS\nS: * 1 EXPUNGE\nS: a3 OK done\nS: a4 OK done\n')).toEqual(['10:error']);
    // A command is not in progress until the server has all of it (the negotiation of a literal).
    expect(expunges('C: a3 APPEND INBOX {3}\nS: + go on\nS: * 1 EXPUNGE\nC: abc\nS: a3 OK done\n')).toEqual(['10:error']);
    expect(expunges('C: a3 NOOP\nC: a4 APPEND INBOX {3}\nS: + go on\nS: * 1 EXPUNGE\nC: abc\nS: a3 OK done\nS: a4 OK done\n')).toEqual([]);
    // Without the greeting, or after an elision, what is in progress is not known: only FETCH, STORE, SEARCH.
    expect(errors('# protocol: imap\nS: * 1 EXPUNGE\nC: a1 NOOP\nS: a1 OK done\nS: * 2 EXPUNGE\n')).toEqual([]);
    expect(expunges('...\nS: * 1 EXPUNGE\nC: a3 FETCH 1 FLAGS\nS: * 1 EXPUNGE\nS: a3 OK done\n')).toEqual(['11:error']);
  });

  it('grammar: IDLE is ended by DONE, AUTHENTICATE answers are base64', () => {
    expect(errors('# protocol: imap\nC: a1 IDLE\nS: + idling\nC: STOP\nS: a1 OK done\n')).toEqual(['4:grammar']);
    expect(errors('# protocol: imap\nC: a1 AUTHENTICATE PLAIN\nS: + \nC: not base64!\nS: a1 NO\n')).toContain('4:grammar');
  });

  it('multiline: a POP3 multi-line reply the next command cuts short', () => {
    expect(errors('# protocol: pop3\nS: +OK ready\nC: USER joe\nS: +OK\nC: PASS pw\nS: +OK\nC: LIST\nS: +OK 1 messages\nS: 1 120\nC: QUIT\nS: +OK bye\n')).toContain('8:multiline');
  });

  it('state and line-length for POP3: STAT before a login, a command over 255 octets', () => {
    expect(errors('# protocol: pop3\nS: +OK ready\nC: STAT\nS: -ERR not yet\n')).toEqual(['3:state']);
    expect(errors(`# protocol: pop3\nS: +OK ready\nC: USER ${'x'.repeat(260)}\nS: -ERR too long\n`)).toEqual(['3:line-length']);
  });

  it('grammar of POP3 listings: LIST, UIDL and STAT replies', () => {
    const login = '# protocol: pop3\nS: +OK ready\nC: USER joe\nS: +OK\nC: PASS pw\nS: +OK\n';
    expect(errors(`${login}C: STAT\nS: +OK two messages\nC: UIDL\nS: +OK\nS: 1\nS: .\n`)).toEqual(['8:grammar', '11:grammar']);
  });

  it('pattern: a capture used in a client line before a server line sets it', () => {
    expect(errors('# protocol: imap\nC: a1 UID FETCH $uid FLAGS\nS: a1 OK $\n')).toContain('2:pattern');
    expect(errors('# protocol: imap\nC: a0 UID SEARCH ALL\nS: * SEARCH $uid\nS: a0 OK $\nC: a1 UID FETCH $uid FLAGS\nS: a1 OK $\n')).toEqual([]);
  });

  it('leaves a transcript of another protocol alone, with a note', () => {
    const f = lint('# protocol: sasl (messages on their own)\nC: n,,n=user,r=x\n');
    expect(f.filter((x) => x.severity === 'error')).toEqual([]);
    expect(f.map((x) => x.message)).toContain('a sasl transcript is no IMAP or POP3 session: not checked');
  });
});

describe('lint: IMAP4rev1 and IMAP4rev2', () => {
  const rev1 = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\n';
  const rev2 = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev2] ready\n';
  const both = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 IMAP4rev2] ready\n';
  const rules = (text: string) => lint(text).filter((f) => f.rule !== 'completion').map((f) => `${f.lineNo}:${f.severity}:${f.rule}`);

  it('accepts the syntax of either when the session does not show which it speaks, with a note for IMAP4rev2-only syntax', () => {
    expect(rules('# protocol: imap\nC: a1 SELECT INBOX\nS: * OK [UIDVALIDITY 1]\nS: a1 OK done\n')).toEqual(['3:note:revision']);
    expect(rules('# protocol: imap\nC: a1 LIST "" *\nS: * LIST () "/" INBOX ("OLDNAME" ("inbox"))\nS: a1 OK done\n')).toEqual([]);
  });

  it('notes IMAP4rev2-only syntax in a session that shows itself IMAP4rev1, and the other way round', () => {
    const f = lint(`${rev1}C: a1 LOGIN joe pw\nS: a1 OK [UNAVAILABLE]\n`).filter((x) => x.rule === 'revision');
    expect(f.map((x) => `${x.lineNo}:${x.severity}`)).toEqual(['4:note']);
    expect(f[0]?.message).toMatch(/^RFC 9051 \(IMAP4rev2\) allows this and RFC 3501 does not, in a session that shows itself IMAP4rev1 \(line 2\)/);
    expect(rules(`${rev2}C: a1 LOGIN joe pw\nS: a1 OK [UNAVAILABLE]\n`)).toEqual([]);
    expect(rules(`${rev2}C: a1 LOGIN joe pw\nS: a1 OK in\nC: a2 LSUB "" *\nS: a2 OK done\n`)).toEqual(['5:note:revision']);
  });

  it('follows ENABLE IMAP4rev2 in a server that offers both', () => {
    expect(rules(`${both}C: a1 LOGIN joe pw\nS: a1 OK in\nC: a2 NOOP\nS: a2 OK [UNAVAILABLE]\n`)).toEqual(['6:note:revision']);
    expect(rules(`${both}C: a1 LOGIN joe pw\nS: a1 OK in\nC: a2 ENABLE IMAP4rev2\nS: * ENABLED IMAP4rev2\nS: a2 OK [UNAVAILABLE]\n`)).toEqual([]);
  });

  it('reads UTF-8 in quoted strings after ENABLE UTF8=ACCEPT (RFC 6855) in an IMAP4rev1 session', () => {
    const login = '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 ENABLE UTF8=ACCEPT] ready\nC: a1 LOGIN joe pw\nS: a1 OK in\n';
    expect(rules(`${login}C: a2 SELECT "Grüße"\nS: a2 OK done\n`)).toEqual(['5:note:revision']);
    expect(rules(`${login}C: a2 ENABLE UTF8=ACCEPT\nS: * ENABLED UTF8=ACCEPT\nS: a2 OK done\nC: a3 SELECT "Grüße"\nS: a3 OK done\n`)).toEqual([]);
  });

  it('knows the registered extensions: ESEARCH, LIST-EXTENDED, LIST-STATUS, BINARY, CONDSTORE/QRESYNC, STATUS DELETED, METADATA, ACL, THREAD', () => {
    const selected = '# protocol: imap\n# state: selected\n';
    const lines = [
      'C: a1 SEARCH RETURN (MIN COUNT) FLAGGED\nS: * ESEARCH (TAG "a1") MIN 2 COUNT 3\nS: a1 OK done',
      'C: a1 LIST (SUBSCRIBED) "" "*" RETURN (CHILDREN STATUS (MESSAGES))\nS: * LIST (\\Subscribed \\HasNoChildren) "/" INBOX\nS: * STATUS INBOX (MESSAGES 17)\nS: a1 OK done',
      'C: a1 FETCH 1 (BINARY.PEEK[1] BINARY.SIZE[1])\nS: * 1 FETCH (BINARY[1] ~{3}\nS: abc BINARY.SIZE[1] 3)\nS: a1 OK done',
      'C: a1 SELECT INBOX (CONDSTORE)\nS: * OK [HIGHESTMODSEQ 715194045007] Highest\nS: a1 OK [READ-WRITE] done',
      'C: a1 FETCH 1:* (FLAGS) (CHANGEDSINCE 3 VANISHED)\nS: * VANISHED (EARLIER) 41,43:116\nS: * 1 FETCH (FLAGS () MODSEQ (4))\nS: a1 OK done',
      'C: a1 STATUS INBOX (DELETED DELETED-STORAGE)\nS: * STATUS INBOX (DELETED 2 DELETED-STORAGE 120)\nS: a1 OK done',
      'C: a1 GETMETADATA (MAXSIZE 1024) INBOX (/shared/comment)\nS: * METADATA INBOX (/shared/comment "hi")\nS: a1 OK done',
      'C: a1 GETACL INBOX\nS: * ACL INBOX Fred rwipsldexta\nS: a1 OK done',
      'C: a1 THREAD REFERENCES UTF-8 ALL\nS: * THREAD (2)(3 6 (4 23)(44 7 96))\nS: a1 OK done',
    ];
    for (const l of lines) expect(errors(`${selected}${l}\n`), l).toEqual([]);
  });
});

describe('lint: extensions the server announces (a table keyed by capability)', () => {
  const selected = (capabilities: string) =>
    `# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1 ${capabilities}] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1 ${capabilities}] in\nC: a2 SELECT INBOX\nS: a2 OK [READ-WRITE] done\n`;
  const findings = (text: string) => lint(text).filter((f) => f.rule !== 'completion').map((f) => `${f.lineNo}:${f.severity}:${f.rule}`);

  it.each([
    ['APPENDLIMIT=35651584', 'C: a3 STATUS INBOX (MESSAGES APPENDLIMIT)\nS: * STATUS INBOX (MESSAGES 3 APPENDLIMIT NIL)\nS: a3 OK done\nC: a4 STATUS Sent (APPENDLIMIT)\nS: * STATUS Sent (APPENDLIMIT 257890)\nS: a4 OK done'],
    ['OBJECTID', 'C: a3 STATUS INBOX (MAILBOXID)\nS: * STATUS INBOX (MAILBOXID (F2212ea87-6097-4256-9d51-71338625))\nS: a3 OK done\nC: a4 FETCH 1:2 (EMAILID THREADID)\nS: * 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9))\nS: * 2 FETCH (EMAILID (M00000002) THREADID NIL)\nS: a4 OK done\nC: a5 UID SEARCH EMAILID M6d99ac3275bb4e\nS: * SEARCH 1\nS: a5 OK done\nC: a6 NOOP\nS: * OK [MAILBOXID (F2212ea87-6097-4256-9d51-71338625)] Ok\nS: a6 OK done'],
    ['PREVIEW', 'C: a3 FETCH 1:2 (RFC822.SIZE PREVIEW (LAZY))\nS: * 1 FETCH (RFC822.SIZE 5647 PREVIEW "Preview text!")\nS: * 2 FETCH (PREVIEW NIL RFC822.SIZE 40)\nS: a3 OK done'],
    ['X-GM-EXT-1', 'C: a3 FETCH 1:2 (X-GM-MSGID X-GM-THRID X-GM-LABELS)\nS: * 1 FETCH (X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 X-GM-LABELS (\\Inbox \\Sent Important "Muy Importante"))\nS: * 2 FETCH (X-GM-MSGID 1278455344230334866 X-GM-THRID 1266894439832287888 X-GM-LABELS ())\nS: a3 OK Success\nC: a4 STORE 1 +X-GM-LABELS (foo)\nS: * 1 FETCH (X-GM-LABELS (\\Inbox foo))\nS: a4 OK Success\nC: a5 STORE 1 -X-GM-LABELS.SILENT \\Inbox\nS: a5 OK Success\nC: a6 SEARCH X-GM-RAW "has:attachment in:unread"\nS: * SEARCH 1\nS: a6 OK Success\nC: a7 UID SEARCH X-GM-THRID 1266894439832287888\nS: * SEARCH 4 5\nS: a7 OK Success'],
    ['UNAUTHENTICATE', 'C: a3 UNAUTHENTICATE\nS: a3 OK done'],
  ])('%s: its syntax, when announced', (capabilities, lines) => {
    expect(findings(`${selected(capabilities)}${lines}\n`)).toEqual([]);
  });

  it('says which extension a line needs when the server did not announce it', () => {
    const f = lint(`${selected('ID')}C: a3 FETCH 1 (EMAILID)\nS: * 1 FETCH (EMAILID (M6d99ac3275bb4e))\nS: a3 OK done\n`).filter((x) => x.rule === 'capability');
    expect(f.map((x) => `${x.lineNo}:${x.severity}`)).toEqual(['7:error', '8:error']);
    expect(f[0]?.message).toBe("this is the syntax of OBJECTID (RFC 8474 §7), which the server's last CAPABILITY (line 4) does not list");
    // Not known (no capabilities shown, or void since): every extension is read.
    expect(findings('# protocol: imap\n# state: selected\nC: a3 FETCH 1 (EMAILID X-GM-MSGID PREVIEW)\nS: * 1 FETCH (EMAILID (M1) X-GM-MSGID 1 PREVIEW "")\nS: a3 OK done\n')).toEqual([]);
    // A command of an extension not announced is said once, naming the command.
    expect(findings(`${selected('ID')}C: a3 UNAUTHENTICATE\nS: a3 BAD unknown\n`)).toEqual(['7:error:capability']);
  });

  it('names every extension a line needs when it needs more than one the server did not announce', () => {
    const f = lint(`${selected('IDLE')}C: a3 FETCH 1 (PREVIEW EMAILID)\nS: * 1 FETCH (PREVIEW "x" EMAILID (M1))\nS: a3 OK done\n`);
    expect(f.map((x) => `${x.lineNo}:${x.severity}:${x.rule}`)).toEqual(['7:error:capability', '8:error:capability']);
    expect(f[0]?.message).toBe("this is the syntax of these extensions together: OBJECTID (RFC 8474 §7), PREVIEW (RFC 8970 §6); the server's last CAPABILITY (line 4) lists none of them");
    // Only those it needs: one of the two announced leaves the other, said as one.
    const one = lint(`${selected('PREVIEW')}C: a3 FETCH 1 (PREVIEW EMAILID)\nS: a3 OK done\n`);
    expect(one.map((x) => x.message)).toEqual(["this is the syntax of OBJECTID (RFC 8474 §7), which the server's last CAPABILITY (line 4) does not list"]);
    // Three at once, and a line no extension makes read stays a grammar error.
    const three = lint(`${selected('IDLE')}C: a3 FETCH 1 (PREVIEW EMAILID X-GM-MSGID)\nS: a3 OK done\n`);
    expect(three[0]?.message).toContain('OBJECTID (RFC 8474 §7), PREVIEW (RFC 8970 §6), X-GM-EXT-1 (');
    expect(lint(`${selected('IDLE')}C: a3 FETCH 1 (PREVIEW EMAILID BOGUS)\nS: a3 OK done\n`).map((x) => x.rule)).toEqual(['grammar']);
  });

  it('quotes the transcript as written: a hole as "$", a dollar sign as "$$", never the stand-ins it was checked with', () => {
    const [hole] = lint(`${selected('X-GM-EXT-1')}C: a3 FETCH 1 (X-GM-THRID)\nS: * 1 FETCH (BOGUS $ X-GM-THRID $)\nS: a3 OK done\n`).filter((x) => x.rule === 'grammar');
    expect(hole?.message).toMatch(/at column 12, .*; found "BOGUS \$ X-GM-THRID \$\)"$/);
    const [angle] = lint(`${selected('X-GM-EXT-1')}C: a3 NOOP\nS: * 1 FETCH (FLAGS ($$Junk) BAD <$>)\nS: a3 OK done\n`).filter((x) => x.rule === 'grammar');
    expect(angle?.message).toMatch(/at column 27, .*; found "BAD <\$>\)"$/);
    // Columns count the line as written, a hole and "<secret>" as they are written too.
    const [after] = lint(`${selected('ID')}C: a3 LOGIN $$joe <secret> x\nS: a3 BAD done\n`).filter((x) => x.rule === 'grammar');
    expect(after?.message).toMatch(/at column 24, .*; found " x"$/);
  });
});

describe('lint: fragments and elisions', () => {
  it('reads a first line that is no greeting as a fragment\'s: the state is unknown', () => {
    expect(errors('# protocol: imap\nS: * CAPABILITY IMAP4rev1 IDLE\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n')).toEqual([]);
    expect(errors('# protocol: imap\nS: * OK [UNSEEN 3] first unseen\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n')).toEqual([]);
  });

  it('makes the state unknown again after an elision', () => {
    const greeted = '# protocol: imap\nS: * OK ready\n';
    expect(errors(`${greeted}C: a1 FETCH 1 FLAGS\nS: a1 BAD no\n`)).toEqual(['3:state']);
    expect(errors(`${greeted}[...]\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n`)).toEqual([]);
    expect(errors(`${greeted}...\nS: a0 OK [READ-WRITE] done\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n`)).toEqual([]);
    expect(errors('# protocol: pop3\nS: +OK ready\n...\nC: STAT\nS: +OK 1 2\n')).toEqual([]);
  });

  it('takes the state a "# state:" directive declares', () => {
    expect(errors('# protocol: imap\n# state: authenticated\nC: a1 FETCH 1 FLAGS\nS: a1 BAD no\n')).toEqual(['3:state']);
    expect(errors('# protocol: imap\nS: * OK ready\n# state: selected\nC: a1 FETCH 1 FLAGS\nS: a1 OK done\n')).toEqual([]);
    expect(errors('# protocol: pop3\n# state: transaction\nC: USER joe\nS: -ERR\n')).toEqual(['3:state']);
    expect(errors('# protocol: pop3\n# state: selected\nC: STAT\nS: +OK 1 2\n')).toEqual(['2:state']);
  });

  it('does not take a fragment\'s first completions for strays, but still a wrong tag after a command', () => {
    expect(errors('# protocol: imap\nS: * 3 EXISTS\nS: a0 OK done\nC: a1 NOOP\nS: a2 OK done\n')).toEqual(['5:tag']);
  });
});

describe('lint: what mailwire records, and messages', () => {
  it('accepts the POP3 SASL challenge the recorder patterns as "+ $", and the state after it', () => {
    const t = '# protocol: pop3\nS: +OK ready\nC: AUTH CRAM-MD5\nS: + $\nC: am9lIGUzY2Q=\nS: +OK in\nC: STAT\nS: +OK 1 2\nC: QUIT\nS: +OK bye\n';
    expect(errors(t)).toEqual([]);
    expect(errors('# protocol: pop3\nS: +OK ready\nC: AUTH PLAIN\nS: + not base64!\n')).toEqual(['4:grammar']);
  });

  it('says when an APOP digest is not checked, and which directive would check it', () => {
    const f = lint('# protocol: pop3\nS: +OK ready <1.2@x>\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\nS: +OK\n').filter((x) => x.rule === 'apop');
    expect(f.map((x) => x.severity)).toEqual(['note']);
    expect(f[0]?.message).toContain('"# secret: mrose SECRET"');
  });

  it('shows non-ASCII text as the user wrote it, escaped only where unsafe, never cut inside a character', () => {
    const [cyrillic] = lint('# protocol: imap\nC: a1 NOOP Тело сообщения\nS: a1 OK\n').filter((x) => x.rule === 'grammar');
    expect(cyrillic?.message).toContain('found " Тело сообщения"');
    const [german] = lint('# protocol: imap\nC: a1 NOOP Grüße\x1b[31m und so weiter und so fort\nS: a1 OK\n').filter((x) => x.rule === 'grammar');
    expect(german?.message).toContain('found " Grüße\\x1b[31m und so…"');
    const [idle] = lint('# protocol: imap\nC: a1 IDLE\nS: + idling\nC: Stopp\u202e!\nS: a1 OK\n').filter((x) => x.rule === 'grammar');
    expect(idle?.message).toBe('IDLE is ended by "DONE" (RFC 2177 §3), not "Stopp\\u{202e}!"');
  });
});

