/**
 * lint's findings in the reader's language: every rule on a transcript made to break it, worded in
 * Russian with the lecture's terms and the right plural forms, values from the transcript kept as
 * they are; every finding lint gives on the shipped transcripts and the RFC fixtures has no English
 * sentence left in it; English stays the default, word for word.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINT_EN, type LintKey } from '../../src/protocol/explain/catalogues/lint-en.js';
import { parseTranscript, TranscriptFormatError, type TranscriptLine } from '../../src/transcript/format.js';
import { describeFailure, uncheckedFailure } from '../../src/transcript/lint-grammar.js';
import { lintText, lintWords, type LintText } from '../../src/transcript/lint-text.js';
import { lintTranscript, type Finding } from '../../src/transcript/lint.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function lintRu(text: string): Finding[] {
  return lintTranscript(parseTranscript(text), { language: 'ru' });
}

/** The message of the first finding of `rule`, in Russian. */
function ru(text: string, rule: string): string {
  const f = lintRu(text).find((x) => x.rule === rule);
  if (!f) throw new Error(`no ${rule} finding`);
  return f.message;
}

/** Every key a text is worded from, nested texts included. */
function keysOf(text: LintText, into = new Set<string>()): Set<string> {
  into.add(text.key);
  for (const value of Object.values(text.values ?? {})) {
    if (Array.isArray(value)) for (const t of value) keysOf(t as LintText, into);
    else if (typeof value === 'object') keysOf(value as LintText, into);
  }
  return into;
}

/** The values a text takes from the transcript and the protocol (tags, rule names, quoted text): not words of the catalogue. */
function valuesOf(text: LintText, into: string[] = []): string[] {
  for (const value of Object.values(text.values ?? {})) {
    if (typeof value === 'string') into.push(value);
    else if (Array.isArray(value)) for (const t of value) valuesOf(t as LintText, into);
    else if (typeof value === 'object') valuesOf(value as LintText, into);
  }
  return into;
}

/** Words of an English sentence (lower case and whole, so that RFC 2119's "MUST NOT" and tokens such as "not-authenticated" pass). */
const ENGLISH = /(?<![\w-])(the|is|not|no|of|and|an?|in|by|for|to|its|line|lines|expected|found|column|checked|session|transcript|server|command|literal|octets)(?![\w-])/;

/** A finding's words, the values it quotes taken out: Cyrillic, and no English sentence. */
function expectRussian(f: Finding): void {
  let words = f.message;
  for (const value of valuesOf(f.text).sort((a, b) => b.length - a.length)) if (value !== '') words = words.replaceAll(value, ' ');
  expect(words, f.message).toMatch(/[а-яё]/i);
  expect(words, f.message).not.toMatch(ENGLISH);
}

/** A transcript for each kind of finding, the rule it breaks. */
const BROKEN: Record<string, { rule: string; text: string }> = {
  'grammar: a tagged response without a status': { rule: 'grammar', text: '# protocol: imap\nS: * OK ready\nC: a1 LOGIN joe pw\nS: a1 LOGIN Completed\n' },
  'grammar: a rule with "an" in English': { rule: 'grammar', text: '# protocol: pop3\nS: +OK ready\nC: USER joe\nS: +OK\nC: PASS pw\nS: +OK\nC: UIDL\nS: +OK\nS: 1\nS: .\n' },
  'grammar: a line nested too deep to check': { rule: 'grammar', text: `# protocol: imap\nC: a1 SEARCH ${'NOT '.repeat(5000)}ALL\nS: a1 OK done\n` },
  'grammar: IDLE not ended by DONE': { rule: 'grammar', text: '# protocol: imap\nC: a1 IDLE\nS: + idling\nC: STOP\nS: a1 OK done\n' },
  'grammar: an AUTHENTICATE answer that is no base64': { rule: 'grammar', text: '# protocol: imap\nC: a1 AUTHENTICATE PLAIN\nS: + \nC: not base64!\nS: a1 NO\n' },
  'grammar: a POP3 SASL challenge that is no base64': { rule: 'grammar', text: '# protocol: pop3\nS: +OK ready\nC: AUTH PLAIN\nS: + not base64!\n' },
  'revision: a session that does not show its revision': { rule: 'revision', text: '# protocol: imap\nC: a1 SELECT INBOX\nS: * OK [UIDVALIDITY 1]\nS: a1 OK done\n' },
  'revision: a session that shows itself IMAP4rev1': { rule: 'revision', text: '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe pw\nS: a1 OK [UNAVAILABLE]\n' },
  'response-code: IMAP4rev1': { rule: 'response-code', text: '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe pw\nS: a1 OK [READ-WRITE\n' },
  'response-code: IMAP4rev2': { rule: 'response-code', text: '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev2] ready\nC: a1 LOGIN joe pw\nS: a1 OK [READ-WRITE\n' },
  'state: SELECT before a login': { rule: 'state', text: '# protocol: imap\nS: * OK ready\nC: a1 SELECT INBOX\nS: a1 NO not now\n' },
  'state: NOOP after LOGOUT': { rule: 'state', text: '# protocol: imap\nS: * OK ready\nC: a1 LOGOUT\nS: * BYE\nS: a1 OK\nC: a2 NOOP\nS: a2 OK\n' },
  'state: STAT before a POP3 login': { rule: 'state', text: '# protocol: pop3\nS: +OK ready\nC: STAT\nS: -ERR not yet\n' },
  'state: STAT in POP3 UPDATE': { rule: 'state', text: '# protocol: pop3\nS: +OK ready\nC: USER joe\nS: +OK\nC: PASS pw\nS: +OK\nC: QUIT\nS: +OK bye\nC: STAT\nS: -ERR\n' },
  'state: no IMAP state': { rule: 'state', text: '# protocol: imap\n# state: transaction\nC: a1 NOOP\nS: a1 OK\n' },
  'state: no POP3 state': { rule: 'state', text: '# protocol: pop3\n# state: selected\nC: STAT\nS: +OK 1 2\n' },
  'capability: IDLE not announced': { rule: 'capability', text: '# protocol: imap\nS: * OK ready\nC: a0 CAPABILITY\nS: * CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\nS: a0 OK done\nC: a1 IDLE\nS: a1 BAD no\n' },
  'capability: LOGIN under LOGINDISABLED': { rule: 'capability', text: '# protocol: imap\nS: * OK ready\nC: a0 CAPABILITY\nS: * CAPABILITY IMAP4rev1 LOGINDISABLED\nS: a0 OK done\nC: a1 LOGIN joe pw\nS: a1 NO disabled\n' },
  'capability: syntax of an extension not announced': { rule: 'capability', text: '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1] in\nC: a2 SELECT INBOX\nS: a2 OK done\nC: a3 FETCH 1 (X-GM-MSGID)\nS: * 1 FETCH (X-GM-MSGID 1278455344230334865)\nS: a3 OK done\n' },
  'capability: syntax of two extensions not announced, on one line': { rule: 'capability', text: '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe pw\nS: a1 OK [CAPABILITY IMAP4rev1] in\nC: a2 SELECT INBOX\nS: a2 OK done\nC: a3 FETCH 1 (PREVIEW EMAILID)\nS: a3 OK done\n' },
  'capability: STLS not in CAPA': { rule: 'capability', text: '# protocol: pop3\nS: +OK ready\nC: CAPA\nS: +OK\nS: USER\nS: .\nC: STLS\nS: -ERR\n' },
  'expunge: during FETCH': { rule: 'expunge', text: '# protocol: imap\nS: * OK ready\nC: a1 LOGIN joe pw\nS: a1 OK\nC: a2 SELECT INBOX\nS: a2 OK\nC: a3 FETCH 1:2 FLAGS\nS: * 2 EXPUNGE\nS: a3 OK\n' },
  'expunge: with no command in progress': { rule: 'expunge', text: '# protocol: imap\nS: * OK ready\nC: a1 LOGIN joe pw\nS: a1 OK\nC: a2 SELECT INBOX\nS: a2 OK\nS: * 2 EXPUNGE\n' },
  'expunge: before a command is all sent': { rule: 'expunge', text: '# protocol: imap\nS: * OK ready\nC: a1 LOGIN joe pw\nS: a1 OK\nC: a2 SELECT INBOX\nS: a2 OK\nC: a3 APPEND INBOX {3}\nS: + go on\nS: * 2 EXPUNGE\nC: abc\nS: a3 OK\n' },
  'tag: a completion no command asked for': { rule: 'tag', text: '# protocol: imap\nC: a1 NOOP\nS: a2 OK done\n' },
  'tag: a tag still in use': { rule: 'tag', text: '# protocol: imap\nC: a1 IDLE\nS: + idling\nC: DONE\nC: a1 NOOP\nS: a1 OK done\n' },
  'literal-count: a response literal not complete': { rule: 'literal-count', text: '# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {100}\nS: abc\n' },
  'literal-count: a client literal cut short by the server': { rule: 'literal-count', text: '# protocol: imap\nC: a1 APPEND x {10+}\nC: abc\nS: a1 OK done\n' },
  'literal-count: a client literal the file ends in': { rule: 'literal-count', text: '# protocol: imap\nC: a1 APPEND x {10+}\nC: abc\n' },
  'literal-count: a count that ends inside a line': { rule: 'literal-count', text: '# protocol: imap\nC: a1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {8}\nS: abcdefghij\nS: )\nS: a1 OK done\n' },
  'sync-literal: data before the "+"': { rule: 'sync-literal', text: '# protocol: imap\nC: a1 LOGIN {3}\nC: joe secret\nS: a1 OK done\n' },
  'continuation: a "+" before any command': { rule: 'continuation', text: '# protocol: imap\nS: + hello\nC: a1 NOOP\nS: a1 OK\n' },
  'continuation: an answer to "+" not checked': { rule: 'continuation', text: '# protocol: imap\nC: a1 XFOO\nS: + more\nC: bar\nS: a1 OK\n' },
  'completion: a command never completed': { rule: 'completion', text: '# protocol: imap\nC: a1 IDLE\nS: + idling\n' },
  'apop: a wrong digest': { rule: 'apop', text: '# protocol: pop3\nS: +OK ready <1.2@x>\n# secret: mrose tanstaaf\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\nS: +OK\n' },
  'apop: no secret declared': { rule: 'apop', text: '# protocol: pop3\nS: +OK ready <1.2@x>\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\nS: +OK\n' },
  'apop: a secret line without the secret': { rule: 'apop', text: '# protocol: pop3\n# secret: mrose\nS: +OK ready <1.2@x>\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\nS: +OK\n' },
  'apop: a greeting without a timestamp': { rule: 'apop', text: '# protocol: pop3\nS: +OK ready\nC: APOP mrose c4c9334bac560ecc979e58001b3e22fb\nS: -ERR\n' },
  'line-length: a command': { rule: 'line-length', text: `# protocol: pop3\nS: +OK ready\nC: USER ${'x'.repeat(260)}\nS: -ERR too long\n` },
  'line-length: a reply line': { rule: 'line-length', text: `# protocol: pop3\nS: +OK ready\nC: USER joe\nS: -ERR ${'x'.repeat(600)}\n` },
  'multiline: a listing the next command cuts short': { rule: 'multiline', text: '# protocol: pop3\nS: +OK ready\nC: USER joe\nS: +OK\nC: PASS pw\nS: +OK\nC: LIST\nS: +OK 1 messages\nS: 1 120\nC: QUIT\nS: +OK bye\n' },
  'command: a POP3 command nobody knows': { rule: 'command', text: '# protocol: pop3\nS: +OK ready\nC: XYZ\nS: -ERR\n' },
  'elision: a line that elides part of itself': { rule: 'elision', text: '# protocol: imap\nC: a1 FETCH 1 FULL\nS: * 1 FETCH (FLAGS (\\Seen) ...)\nS: a1 OK done\n' },
  'format: elisions, remarks, "C?:", TCP events': { rule: 'format', text: '# protocol: pop3\nS: <wait for connection on TCP port 110>\nS: +OK ready\n...\nhello there\nC?: NOOP\nC: QUIT\nS: +OK\n' },
  'format and protocol: another protocol': { rule: 'protocol', text: '# protocol: sasl (messages on their own)\nC: n,,n=user,r=x\n' },
  'protocol: no "# protocol:" line': { rule: 'protocol', text: 'S: * OK ready\nC: a1 NOOP\nS: a1 OK\n' },
  'pattern: a capture used before it is set, a bare "$"': { rule: 'pattern', text: '# protocol: imap\nC: a1 UID FETCH $uid FLAGS\nS: a1 OK $\nC: a2 NOOP $\nS: a2 OK\n' },
};

describe('lint in Russian: each kind of finding', () => {
  it.each(Object.entries(BROKEN))('%s', (_name, { rule, text }) => {
    const findings = lintRu(text);
    expect(findings.map((f) => f.rule)).toContain(rule);
    for (const f of findings) expectRussian(f);
  });

  it('words every message of the catalogue that a finding can say', () => {
    const used = new Set<string>();
    for (const { text } of Object.values(BROKEN)) for (const f of lintRu(text)) keysOf(f.text, used);
    // What a transcript can hardly show: said by the grammar's reader directly.
    const at: TranscriptLine = { lineNo: 1, direction: 'C', expectation: 'required', text: 'x', rules: { ordered: false, extra: true } };
    const rare = [describeFailure('command', 'abc', 3, []).text, uncheckedFailure(at, { kind: 'steps', max: 1_000_000 }).text];
    for (const t of rare) {
      keysOf(t, used);
      expect(lintWords(t, 'ru')).toMatch(/[а-яё]/);
    }
    // The directives the format cannot read: mailwire lint words them (test/integration/transcript-cli.test.ts).
    for (const bad of ['# mailwire transcript v9', '# tls: maybe', '# secret:', '# match: sorted', '# state: busy']) {
      try {
        parseTranscript(`${bad}\nS: +OK\n`);
        throw new Error(`${bad} was read`);
      } catch (error) {
        if (!(error instanceof TranscriptFormatError)) throw error;
        keysOf(error.text, used);
        expect(lintWords(error.text, 'ru')).toMatch(/[а-яё]/);
      }
    }
    // The command's own lines: its severities, the summary, a format error's line.
    const own: LintKey[] = ['lint.severity.error', 'lint.severity.note', 'lint.summary', 'lint.at-line'];
    expect(Object.keys(LINT_EN).filter((k) => !used.has(k) && !own.includes(k as LintKey))).toEqual([]);
  });

  it('says the grammar\'s finding as a teacher would: the rule, the column, what was expected, what was found', () => {
    const seed = readFileSync(join(ROOT, 'transcripts/seed/imap-list-create-rename-delete.txt'), 'utf8');
    expect(lintRu(seed).find((f) => f.rule === 'grammar')?.message).toBe(
      'не соответствует правилу response-tagged формального синтаксиса: в столбце 6 ожидается одно из: "OK", "NO", "BAD"; найдено "LIST Completed"',
    );
    expect(ru(BROKEN['revision: a session that does not show its revision']?.text ?? '', 'revision')).toBe(
      'RFC 9051 (IMAP4rev2) это допускает, RFC 3501 — нет, а по сеансу не видно, по какой версии IMAP он идёт: текст начинается с «[», но это не код отклика, за которым идут SP и текст (RFC 3501 §7.1, §9 resp-text): в столбце 21 ожидается SP; найден конец строки',
    );
    expect(ru(BROKEN['grammar: an AUTHENTICATE answer that is no base64']?.text ?? '', 'grammar')).toBe(
      'ответ клиента в AUTHENTICATE — это base64 или «*» (RFC 3501 §6.2.2): не ответ в base64 по формальному синтаксису: в столбце 4 ожидается одно из: ALPHA, DIGIT, "+", "/", "="; найдено " base64!"',
    );
  });

  it('names states as the state diagram does, with the RFC section and the states a command is valid in', () => {
    expect(ru(BROKEN['state: SELECT before a login']?.text ?? '', 'state')).toBe(
      'команда SELECT недопустима в состоянии «Не аутентифицирован» (RFC 3501 §6.3.1: только в состояниях «Аутентифицирован», «Выбран»)',
    );
    expect(ru(BROKEN['state: STAT in POP3 UPDATE']?.text ?? '', 'state')).toBe('команда STAT недопустима в состоянии UPDATE (RFC 1939 §5: только в состоянии TRANSACTION)');
  });

  it('says APOP\'s digest and the directive that checks it', () => {
    const seed = readFileSync(join(ROOT, 'transcripts/seed/pop3-apop-session.txt'), 'utf8');
    expect(lintRu(seed).find((f) => f.rule === 'apop')?.message).toBe(
      'дайджест APOP не равен MD5("<1896.697270952@dbc.ca.us>" + объявленный секрет пользователя mrose); должен быть 1b3432654bbbf8f116b8e5cf7890d5fd',
    );
    expect(ru(BROKEN['apop: no secret declared']?.text ?? '', 'apop')).toBe(
      'дайджест APOP не проверен: секрет для mrose не объявлен; со строкой «# secret: mrose СЕКРЕТ» lint сверит его с меткой времени из приветствия (RFC 1939 §7)',
    );
  });

  it('counts octets in the plural forms of Russian', () => {
    const short = (size: number, held: number) => lintWords(lintText('lint.literal.short', { literal: `{${size}}`, size, held }), 'ru');
    expect(short(1, 0)).toBe('литерал {1} объявляет 1 октет, а в строках записи их 0');
    expect(short(3, 2)).toBe('литерал {3} объявляет 3 октета, а в строках записи их 2');
    expect(short(25, 5)).toBe('литерал {25} объявляет 25 октетов, а в строках записи их 5');
    expect(short(21, 5)).toBe('литерал {21} объявляет 21 октет, а в строках записи их 5');
    expect(ru(BROKEN['literal-count: a client literal cut short by the server']?.text ?? '', 'literal-count')).toBe(
      'литерал {10} из строки 2 не закончен, а сервер уже отвечает: в его строках только 5 октетов',
    );
    expect(ru(BROKEN['line-length: a command']?.text ?? '', 'line-length')).toBe('команда длиной 267 октетов: RFC 2449 §4 допускает не больше 255, вместе с CRLF');
  });

  it('keeps transcript text as lint shows it in English: escaped where unsafe', () => {
    const idle = lintRu('# protocol: imap\nC: a1 IDLE\nS: + idling\nC: Stopp\u202e!\nS: a1 OK\n').find((f) => f.rule === 'grammar');
    expect(idle?.message).toBe('IDLE завершается строкой DONE (RFC 2177 §3), а не "Stopp\\u{202e}!"');
    const german = lintRu('# protocol: imap\nC: a1 NOOP Grüße\x1b[31m und so weiter und so fort\nS: a1 OK\n').find((f) => f.rule === 'grammar');
    expect(german?.message).toContain('найдено " Grüße\\x1b[31m und so…"');
  });
});

describe('lint in Russian: no finding left in English', () => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.txt')) files.push(join(dir, e.name));
    }
  };
  walk('transcripts');
  walk('test/fixtures/rfc');

  it('lints the shipped transcripts and the RFC fixtures', () => {
    expect(files.filter((f) => f.startsWith('transcripts/seed/'))).toHaveLength(11);
    expect(files.filter((f) => f.startsWith('test/fixtures/rfc/')).length).toBeGreaterThan(50);
  });

  it.each(files.sort())('%s', (file) => {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const en = lintTranscript(parseTranscript(text));
    const ruFindings = lintTranscript(parseTranscript(text), { language: 'ru' });
    // The same findings, worded otherwise.
    expect(ruFindings.map((f) => `${f.lineNo}:${f.severity}:${f.rule}`)).toEqual(en.map((f) => `${f.lineNo}:${f.severity}:${f.rule}`));
    for (const f of ruFindings) expectRussian(f);
  });
});

describe('lint in English, as before', () => {
  it('words findings in English by default and when asked', () => {
    const seed = readFileSync(join(ROOT, 'transcripts/seed/imap-select-status.txt'), 'utf8');
    const byDefault = lintTranscript(parseTranscript(seed));
    expect(lintTranscript(parseTranscript(seed), { language: 'en' })).toEqual(byDefault);
    expect(byDefault.map((f) => f.message)).toContain(
      'RFC 9051 (IMAP4rev2) allows this and RFC 3501 does not; the session does not show which it speaks: the text starts with "[" but is no response code followed by SP and text (RFC 3501 §7.1, §9 resp-text): at column 17, expected SP; found the end of the line',
    );
  });

  it('keeps the English of each kind of finding', () => {
    const en = (name: string, rule: string) => lintTranscript(parseTranscript(BROKEN[name]?.text ?? '')).find((f) => f.rule === rule)?.message;
    expect(en('state: SELECT before a login', 'state')).toBe('SELECT is not valid in the not-authenticated state (RFC 3501 §6.3.1: authenticated, selected)');
    expect(en('state: STAT in POP3 UPDATE', 'state')).toBe('STAT is not valid in the UPDATE state (RFC 1939 §5: TRANSACTION)');
    expect(en('sync-literal: data before the "+"', 'sync-literal')).toBe(
      'literal data sent before the server\'s "+" for the synchronizing literal {3} of line 2 (RFC 3501 §7.5); {3+} needs LITERAL+ (RFC 7888)',
    );
    expect(en('literal-count: a response literal not complete', 'literal-count')).toBe(
      "the response's literal is not complete: the lines after its {n} hold fewer octets than it announces",
    );
    expect(en('grammar: an AUTHENTICATE answer that is no base64', 'grammar')).toBe(
      'an AUTHENTICATE answer is base64 or "*" (RFC 3501 §6.2.2): not a base64 answer (formal syntax): at column 4, expected ALPHA, DIGIT, "+", "/", "="; found " base64!"',
    );
    expect(en('grammar: a line nested too deep to check', 'grammar')).toBe('not checked against the formal syntax: nested more than 400 rules deep');
  });
});
