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
  /** Every error lint reports in transcripts/, by file: the RFCs' and the slides' own mistakes. */
  const EXPECTED: Record<string, string[]> = {
    'rfc/imap/rfc2177-3-idle.txt': ['11:response-code', '21:grammar', '35:grammar'],
    'rfc/imap/rfc3501-6.2.2-authenticate-gssapi.txt': ['10:grammar'],
    'rfc/imap/rfc3501-6.4.4-search.txt': ['12:sync-literal'],
    'rfc/imap/rfc3501-6.4.5-fetch.txt': ['5:grammar', '6:grammar', '7:grammar'],
    'rfc/imap/rfc3501-7.1.3-bad.txt': ['5:grammar', '7:grammar'],
    'seed/imap-list-create-rename-delete.txt': ['9:grammar', '13:grammar'],
    'seed/imap-select-status.txt': ['13:response-code', '14:response-code', '15:response-code', '17:response-code'],
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
    expect(apop?.message).toBe('the APOP digest is not MD5("<1896.697270952@dbc.ca.us>" + the declared secret of mrose): that is 1b3432654bbbf8f116b8e5cf7890d5fd');
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
