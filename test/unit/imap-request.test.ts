import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findImapCommand, IMAP_COMMANDS } from '../../src/protocol/imap/commands.js';
import {
  analyzeImapLine,
  analyzeImapLineWordByWord,
  imapLineMayHoldSecret,
  isIdleDone,
  readCommonImapLine,
  literalIsSecret,
  maskImapCommand,
  maskImapContinuationResponse,
  maskImapSecrets,
  TagAllocator,
  trailingLiteral,
} from '../../src/protocol/imap/request.js';
import { SECRET_PLACEHOLDER } from '../../src/protocol/secret-placeholder.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/imap/', import.meta.url));

interface CommandLine {
  file: string;
  text: string;
}

/**
 * The client lines of an RFC transcript that start a command. Literal data (counted in octets, each
 * shown line with its CRLF), text going on after a literal, AUTHENTICATE responses, IDLE's DONE and
 * the RFC's "..." placeholders are walked over the way a server would read them.
 */
function commandLines(file: string): { commands: CommandLine[]; dones: number; saslResponses: number } {
  const commands: CommandLine[] = [];
  let dones = 0;
  let saslResponses = 0;
  let literalLeft = 0;
  let continuing = false;
  let authenticating: string | null = null;
  const goOn = (text: string) => {
    const marker = trailingLiteral(text);
    literalLeft = marker?.size ?? 0;
    continuing = marker !== null && marker.size === 0;
  };
  for (const raw of readFileSync(FIXTURES + file, 'utf8').split('\n')) {
    if (raw === 'S:' || raw.startsWith('S: ')) {
      if (authenticating !== null && raw.startsWith(`S: ${authenticating} `)) authenticating = null;
      continue;
    }
    if (raw !== 'C:' && !raw.startsWith('C: ')) continue;
    const text = raw.slice(3);
    if (literalLeft > 0) {
      const octets = Buffer.byteLength(text) + 2;
      if (octets <= literalLeft) {
        literalLeft -= octets;
        continuing = literalLeft === 0;
      } else {
        goOn(text.slice(literalLeft));
      }
      continue;
    }
    if (continuing) {
      goOn(text);
      continue;
    }
    if (authenticating !== null) {
      saslResponses++;
      continue;
    }
    if (isIdleDone(text)) {
      dones++;
      continue;
    }
    if (text.startsWith('...')) continue;
    commands.push({ file, text });
    const a = analyzeImapLine(text);
    if (a.literal) goOn(text);
    if (a.command === 'AUTHENTICATE') authenticating = a.tag;
  }
  return { commands, dones, saslResponses };
}

const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.txt'));
const allCommands = files.flatMap((f) => commandLines(f).commands);

describe('analyzeImapLine over the RFC examples', () => {
  it('walks the fixtures the way a server reads them', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(allCommands.length).toBeGreaterThan(80);
    expect(commandLines('rfc2177-3-idle.txt')).toMatchObject({ dones: 2 });
    expect(commandLines('rfc2177-3-idle.txt').commands.map((c) => c.text)).toEqual([
      'A001 SELECT INBOX',
      'A002 IDLE',
      'A003 FETCH 4 ALL',
      'A004 IDLE',
      'A005 FETCH 3 ALL',
      'A006 IDLE',
    ]);
    expect(commandLines('rfc3501-6.2.2-authenticate-gssapi.txt')).toMatchObject({ saslResponses: 3 });
    expect(commandLines('rfc3501-6.3.11-append.txt').commands.map((c) => c.text)).toEqual(['A003 APPEND saved-messages (\\Seen) {310}']);
    expect(commandLines('rfc3501-7.5-continuation-literals.txt').commands.map((c) => c.text)).toEqual([
      'A001 LOGIN {11}',
      'A044 BLURDYBLOOP {102856}',
    ]);
  });

  it.each(allCommands.map((c) => [c.file, c.text] as const))('%s: %s keeps the RFC tag', (_file, text) => {
    const words = text.split(' ');
    const a = analyzeImapLine(text);
    expect(a.tag).toBe(words[0]);
    const expected = (words[1] ?? '').toUpperCase();
    expect(a.command).toBe(expected === 'UID' ? `UID ${(words[2] ?? '').toUpperCase()}` : expected);
    // RFC 3501 §7.5 uses BLURDYBLOOP as a command the server does not know.
    if (expected !== 'BLURDYBLOOP') expect(findImapCommand(expected), text).toBeDefined();
  });

  it.each(allCommands.filter((c) => !c.text.includes('BLURDYBLOOP')).map((c) => [c.file, c.text] as const))(
    '%s: %s without its tag gets one from mailwire',
    (_file, text) => {
      const untagged = text.slice(text.indexOf(' ') + 1);
      const tagged = analyzeImapLine(text);
      expect(analyzeImapLine(untagged)).toEqual({ ...tagged, tag: null });
    },
  );

  it('reads the literal markers of the examples', () => {
    const literal = (text: string) => analyzeImapLine(text).literal;
    expect(literal('A003 APPEND saved-messages (\\Seen) {310}')).toEqual({ size: 310, nonSynchronizing: false, binary: false });
    expect(literal('A001 LOGIN {11+}')).toEqual({ size: 11, nonSynchronizing: true, binary: false });
    expect(literal('A284 SEARCH CHARSET UTF-8 TEXT {6}')).toEqual({ size: 6, nonSynchronizing: false, binary: false });
    expect(literal('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toBeNull();
  });
});

describe('analyzeImapLine on what users type', () => {
  it('adds no tag of its own to a line that starts with a command', () => {
    expect(analyzeImapLine('select inbox')).toEqual({ tag: null, command: 'SELECT', args: 'inbox', literal: null });
    expect(analyzeImapLine('  select   inbox')).toEqual({ tag: null, command: 'SELECT', args: 'inbox', literal: null });
    expect(analyzeImapLine('CAPABILITY')).toEqual({ tag: null, command: 'CAPABILITY', args: '', literal: null });
  });

  it('joins UID and its command', () => {
    expect(analyzeImapLine('UID fetch 1:* FLAGS')).toMatchObject({ tag: null, command: 'UID FETCH', args: '1:* FLAGS' });
    expect(analyzeImapLine('a7 uid move 42:69 foo')).toMatchObject({ tag: 'a7', command: 'UID MOVE', args: '42:69 foo' });
    expect(analyzeImapLine('UID')).toMatchObject({ tag: null, command: 'UID', args: '' });
  });

  it('takes an unknown first word shaped like a tag as the tag, a single unknown word as a command', () => {
    expect(analyzeImapLine('t1 FROBNICATE x')).toMatchObject({ tag: 't1', command: 'FROBNICATE', args: 'x' });
    expect(analyzeImapLine('FROBNICATE')).toMatchObject({ tag: null, command: 'FROBNICATE', args: '' });
    expect(analyzeImapLine('')).toEqual({ tag: null, command: '', args: '', literal: null });
  });

  it('treats X<atom> words as commands, unless a command follows (then it is a tag)', () => {
    expect(analyzeImapLine('XPIG-LATIN')).toMatchObject({ tag: null, command: 'XPIG-LATIN' });
    expect(analyzeImapLine('XLIST "" *')).toMatchObject({ tag: null, command: 'XLIST', args: '"" *' });
    expect(analyzeImapLine('X1 NOOP')).toMatchObject({ tag: 'X1', command: 'NOOP' });
  });

  // docs/auto-tags.md: the rule, line by line. [line, tag kept (null: mailwire tags it), command]
  const TAG_TABLE: Array<[string, string | null, string]> = [
    // Commands of the IANA registry, known or not before, typed without a tag.
    ['MYRIGHTS INBOX', null, 'MYRIGHTS'],
    ['GETACL INBOX', null, 'GETACL'],
    ['LISTRIGHTS INBOX joe', null, 'LISTRIGHTS'],
    ['SETACL INBOX joe +lr', null, 'SETACL'],
    ['DELETEACL INBOX joe', null, 'DELETEACL'],
    ['GENURLAUTH "imap://joe@h/INBOX/;uid=20;urlauth=submit+joe" INTERNAL', null, 'GENURLAUTH'],
    ['RESETKEY', null, 'RESETKEY'],
    ['URLFETCH "imap://h/INBOX"', null, 'URLFETCH'],
    ['GETMETADATA "" /shared/comment', null, 'GETMETADATA'],
    ['NOTIFY NONE', null, 'NOTIFY'],
    ['UNAUTHENTICATE', null, 'UNAUTHENTICATE'],
    ['REPLACE 1 INBOX {20}', null, 'REPLACE'],
    ['ESEARCH IN (PERSONAL) ALL', null, 'ESEARCH'],
    ['SORT (DATE) UTF-8 ALL', null, 'SORT'],
    ['THREAD REFERENCES UTF-8 ALL', null, 'THREAD'],
    ['XLIST "" "*"', null, 'XLIST'],
    // Words nobody listed, typos included: still commands.
    ['SCAN "" "*" hello', null, 'SCAN'],
    ['SELCT INBOX', null, 'SELCT'],
    ['fetc 1 flags', null, 'FETC'],
    ['XAPPLEPUSHSERVICE aps-version 2 aps-account-id 0715A26B', null, 'XAPPLEPUSHSERVICE'],
    ['BLURDYBLOOP', null, 'BLURDYBLOOP'],
    // UID is a command.
    ['UID FETCH 1 (FLAGS)', null, 'UID FETCH'],
    ['UID REPLACE 4 INBOX {20}', null, 'UID REPLACE'],
    // The user's own tag: a command follows it, or it is shaped like a tag (a digit, a dot).
    ['a1 MYRIGHTS INBOX', 'a1', 'MYRIGHTS'],
    ['X1 NOOP', 'X1', 'NOOP'],
    ['abc NOOP', 'abc', 'NOOP'],
    ['a1 FOO x', 'a1', 'FOO'],
    ['x.1 SELCT INBOX', 'x.1', 'SELCT'],
    ['A044 BLURDYBLOOP {102856}', 'A044', 'BLURDYBLOOP'],
    ['tag UID FETCH 1 FLAGS', 'tag', 'UID FETCH'],
  ];

  it.each(TAG_TABLE)('%s: tag %s, command %s', (line, tag, command) => {
    expect(analyzeImapLine(line)).toMatchObject({ tag, command });
  });

  it('counts what the server\'s CAPABILITY names as commands', () => {
    // Without the capability FROB reads as the user's tag before a command word; with it, as a command.
    expect(analyzeImapLine('FROB XLIST')).toMatchObject({ tag: 'FROB', command: 'XLIST' });
    expect(analyzeImapLine('FROB XLIST', ['IMAP4rev1', 'FROB'])).toMatchObject({ tag: null, command: 'FROB', args: 'XLIST' });
    // A capability shaped like a tag never becomes a command.
    expect(analyzeImapLine('IMAP4rev1 NOOP', ['IMAP4rev1'])).toMatchObject({ tag: 'IMAP4rev1', command: 'NOOP' });
  });

  it('finds literal markers at the end of the line only, outside quoted strings', () => {
    expect(analyzeImapLine('APPEND saved-messages (\\Seen) {310}').literal).toEqual({ size: 310, nonSynchronizing: false, binary: false });
    expect(analyzeImapLine('APPEND saved-messages (\\Seen) {310+}').literal).toEqual({ size: 310, nonSynchronizing: true, binary: false });
    expect(analyzeImapLine('APPEND saved-messages ~{5}').literal).toEqual({ size: 5, nonSynchronizing: false, binary: true });
    expect(analyzeImapLine('APPEND saved-messages ~{5+}').literal).toEqual({ size: 5, nonSynchronizing: true, binary: true });
    expect(analyzeImapLine('SEARCH TEXT "ends in {5}"').literal).toBeNull();
    expect(analyzeImapLine('SEARCH TEXT "still open {5}').literal).toBeNull();
    expect(analyzeImapLine('SEARCH TEXT "a\\" {5}').literal).toBeNull();
    expect(analyzeImapLine('SEARCH TEXT "a\\"b" {5}').literal).toEqual({ size: 5, nonSynchronizing: false, binary: false });
    expect(analyzeImapLine('SEARCH TEXT "a\\\\" {5}').literal).toEqual({ size: 5, nonSynchronizing: false, binary: false });
    expect(analyzeImapLine('SEARCH TEXT {5} x').literal).toBeNull();
    expect(analyzeImapLine('APPEND x {0}').literal).toEqual({ size: 0, nonSynchronizing: false, binary: false });
    expect(analyzeImapLine('APPEND x {99999999999999999999}').literal).toBeNull();
    expect(analyzeImapLine('APPEND x {-1}').literal).toBeNull();
  });

  it('knows IDLE\'s DONE is no command (RFC 2177 §3)', () => {
    expect(isIdleDone('DONE')).toBe(true);
    expect(isIdleDone(' done ')).toBe(true);
    expect(isIdleDone('A1 DONE')).toBe(false);
    expect(isIdleDone('DONE now')).toBe(false);
  });
});

/** TagAllocator as it was first written: every tag kept, upper-cased, and each candidate looked up by its text. */
class ReferenceTagAllocator {
  private counter = 1;
  private readonly used = new Set<string>();
  constructor(
    private readonly prefix = 'A',
    private readonly width = 3,
  ) {}
  peek(): string {
    return this.format(this.firstFree());
  }
  next(): string {
    const n = this.firstFree();
    this.counter = n + 1;
    const tag = this.format(n);
    this.markUsed(tag);
    return tag;
  }
  markUsed(tag: string): void {
    this.used.add(tag.toUpperCase());
  }
  private firstFree(): number {
    let n = this.counter;
    while (this.used.has(this.format(n).toUpperCase())) n++;
    return n;
  }
  private format(n: number): string {
    return `${this.prefix}${String(n).padStart(this.width, '0')}`;
  }
}

describe('readCommonImapLine, the one-pass reading of the lines sent most', () => {
  const names = IMAP_COMMANDS.flatMap((spec) => [spec.name, spec.name.toLowerCase(), spec.name[0] + spec.name.slice(1).toLowerCase()]);
  const word = fc.oneof(
    { arbitrary: fc.constantFrom(...names), weight: 3 },
    { arbitrary: fc.constantFrom('a1', 'A001', 'x.7', '7', '.', 'X1', 'XLIST', 'xyz', 'SELCT', 'UID', 'uid', 'logın', 'ſelect', 'NOOPé', 'a1\u00a0', 'INBOX', '{5}', '{5+}', '"a b"', '(FLAGS)', 'SCAN'), weight: 3 },
    { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
  );
  const line = fc.tuple(fc.array(word, { maxLength: 5 }), fc.constantFrom(' ', ' ', ' ', '  ', '\t'), fc.constantFrom('', '', ' ', '\t')).map(([words, blank, edge]) => edge + words.join(blank));
  const capabilities = fc.constantFrom([], ['IMAP4REV1'], ['IMAP4REV1', 'SCAN', 'XYZ', 'A1', 'SELCT'], ['X.7', 'SELCT=1']);

  it('gives for every line it takes what analyzeImapLine gives, whatever the capabilities, and the table entry of its command', () => {
    let taken = 0;
    fc.assert(
      fc.property(line, capabilities, (text, caps) => {
        const common = readCommonImapLine(text);
        expect(analyzeImapLine(text, caps)).toEqual(analyzeImapLineWordByWord(text, caps));
        if (common === undefined) return;
        taken++;
        const { spec, ...analysis } = common;
        expect(analysis, JSON.stringify(text)).toEqual(analyzeImapLineWordByWord(text, caps));
        expect(spec).toBe(findImapCommand(analysis.command));
      }),
      { numRuns: 3000 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it('takes tagged and untagged commands of the table, and leaves UID, X<atom>, unknown words and odd blanks to analyzeImapLine', () => {
    expect(readCommonImapLine('a1 NOOP')).toMatchObject({ tag: 'a1', command: 'NOOP', args: '', literal: null });
    expect(readCommonImapLine('A7 fetch 1:* FLAGS')).toMatchObject({ tag: 'A7', command: 'FETCH', args: '1:* FLAGS' });
    expect(readCommonImapLine('select inbox')).toMatchObject({ tag: null, command: 'SELECT', args: 'inbox' });
    expect(readCommonImapLine('a2 APPEND x {5}')).toMatchObject({ tag: 'a2', command: 'APPEND', literal: { size: 5, nonSynchronizing: false, binary: false } });
    for (const text of ['a1 UID FETCH 1 FLAGS', 'UID FETCH 1 FLAGS', 'XFOO x', 'a1 XFOO', 'SELCT INBOX', 'a1  NOOP', ' NOOP', 'a1\tNOOP', 'a1', '', 'SCAN x', 'ſelect INBOX']) {
      expect(readCommonImapLine(text), JSON.stringify(text)).toBeUndefined();
    }
  });
});

describe('TagAllocator', () => {
  it('hands out the same tags as one that keeps every tag typed, for any tags typed in between', () => {
    const typed = fc.oneof(
      fc.integer({ min: 0, max: 1200 }).map((n) => `A${String(n).padStart(3, '0')}`),
      fc.integer({ min: 0, max: 1200 }).map((n) => `a${n}`),
      fc.integer({ min: 0, max: 40 }).map((n) => `a0${n}`),
      // Prefixes with digit runs of any length, leading zeros and past 15 digits, where the count turns inexact.
      fc.tuple(fc.constantFrom('A', 'a', 't', 'ss', 'SS', ''), fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 18 })).map(([p, d]) => p + d),
      fc.tuple(fc.constantFrom('A', 'a', 't', 'ss', ''), fc.nat({ max: 5 }), fc.nat({ max: 70 })).map(([p, zeros, n]) => p + '0'.repeat(zeros) + String(n)),
      fc.constantFrom('A', 'a', 'A00', 'A0000', 'A001x', 'B001', 'x.1', 'ä001', 'A\u0661\u0662\u0663', 'A1e3', 'A 001', 'A+001', 'A99999999999999999999', 'ß1', 'ß', 'ﬀ1'),
      fc.string({ maxLength: 6 }),
    );
    const op = fc.oneof(typed.map((tag) => ({ mark: tag })), fc.constant({ mark: null }));
    const prefixes = fc.constantFrom(['A', 3] as const, ['t', 2] as const, ['ss', 1] as const, ['', 4] as const);
    fc.assert(
      fc.property(prefixes, fc.array(op, { maxLength: 60 }), ([prefix, width], ops) => {
        const tags = new TagAllocator(prefix, width);
        const reference = new ReferenceTagAllocator(prefix, width);
        for (const o of ops) {
          expect(tags.peek()).toBe(reference.peek());
          if (o.mark === null) expect(tags.next()).toBe(reference.next());
          else {
            tags.markUsed(o.mark);
            reference.markUsed(o.mark);
          }
        }
        expect(tags.next()).toBe(reference.next());
      }),
      { numRuns: 1000 },
    );
  });

  it('counts A001, A002, ... and peeks without taking', () => {
    const tags = new TagAllocator();
    expect(tags.peek()).toBe('A001');
    expect(tags.peek()).toBe('A001');
    expect(tags.next()).toBe('A001');
    expect(tags.next()).toBe('A002');
  });

  it('skips tags the user typed, whatever their case', () => {
    const tags = new TagAllocator();
    tags.markUsed('A001');
    tags.markUsed('a002');
    tags.markUsed('A004');
    expect(tags.peek()).toBe('A003');
    expect(tags.next()).toBe('A003');
    expect(tags.next()).toBe('A005');
  });

  it('never hands out the same tag twice and goes past A999', () => {
    const tags = new TagAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) seen.add(tags.next());
    expect(seen.size).toBe(1000);
    expect(tags.next()).toBe('A1001');
  });
});

describe('masking IMAP secrets', () => {
  it('masks LOGIN\'s password as an atom', () => {
    expect(maskImapSecrets('a001 LOGIN SMITH SESAME')).toEqual({ masked: `a001 LOGIN SMITH ${SECRET_PLACEHOLDER}`, secretFound: true });
    expect(maskImapSecrets('login joe password')).toEqual({ masked: 'login joe <secret>', secretFound: true });
  });

  it('masks LOGIN\'s password as a quoted string, escapes included (RFC 3501 §4.3)', () => {
    expect(maskImapSecrets('A001 LOGIN "FRED FOOBAR" "fat man"').masked).toBe('A001 LOGIN "FRED FOOBAR" <secret>');
    const line = String.raw`LOGIN "jo\"e" "p\\a\"s s"`;
    const { masked, secretFound } = maskImapSecrets(line);
    expect(masked).toBe(String.raw`LOGIN "jo\"e" <secret>`);
    expect(secretFound).toBe(true);
    expect(masked).not.toContain('s s');
  });

  it('masks everything after the user name, however the password was typed', () => {
    expect(maskImapSecrets('LOGIN joe my pass word').masked).toBe('LOGIN joe <secret>');
    expect(maskImapSecrets('LOGIN joe "unterminated pass').masked).toBe('LOGIN joe <secret>');
    expect(maskImapSecrets('LOGIN joe').secretFound).toBe(false);
    expect(maskImapSecrets('LOGIN').secretFound).toBe(false);
  });

  it('leaves a literal marker visible and says which literal is the password', () => {
    expect(maskImapSecrets('a1 LOGIN fred {6}')).toEqual({ masked: 'a1 LOGIN fred {6}', secretFound: false });
    expect(literalIsSecret('a1 LOGIN fred {6}', 0)).toBe(true);
    // RFC 3501 §7.5: user name and password both as literals.
    expect(maskImapSecrets('A001 LOGIN {11}')).toEqual({ masked: 'A001 LOGIN {11}', secretFound: false });
    expect(literalIsSecret('A001 LOGIN {11}', 0)).toBe(false);
    expect(literalIsSecret('A001 LOGIN {11}', 1)).toBe(true);
    expect(literalIsSecret('A001 LOGIN {11}', 1, [' {7}', ''])).toBe(true);
    expect(maskImapCommand(['A001 LOGIN {11+}', ' {7+}', ''])).toMatchObject({
      segments: ['A001 LOGIN {11+}', ' {7+}', ''],
      literalSecret: [false, true],
      secretFound: false,
    });
    // Only LOGIN's literals are secret.
    expect(literalIsSecret('A003 APPEND saved-messages (\\Seen) {310}', 0)).toBe(false);
    expect(literalIsSecret('A284 SEARCH CHARSET UTF-8 TEXT {6}', 0)).toBe(false);
  });

  it('masks a password typed after a literal user name', () => {
    expect(maskImapSecrets(' "pw"', { earlierSegments: ['LOGIN {4}'] })).toEqual({ masked: ' <secret>', secretFound: true });
    expect(maskImapSecrets(' {7}', { earlierSegments: ['A001 LOGIN {11}'] })).toEqual({ masked: ' {7}', secretFound: false });
    expect(maskImapSecrets('', { earlierSegments: ['A001 LOGIN {11}', ' {7}'] })).toEqual({ masked: '', secretFound: false });
    const whole = maskImapCommand(['LOGIN {4}', ' secret']);
    expect(whole.segments).toEqual(['LOGIN {4}', ' <secret>']);
    expect(whole.segmentSecret).toEqual([false, true]);
  });

  it('masks AUTHENTICATE\'s initial response (SASL-IR, RFC 4959 §3) but not "="', () => {
    expect(maskImapSecrets('A01 AUTHENTICATE PLAIN dGVzdAB0ZXN0AHRlc3Q=')).toEqual({
      masked: 'A01 AUTHENTICATE PLAIN <secret>',
      secretFound: true,
    });
    expect(maskImapSecrets('AUTHENTICATE PLAIN dGVzdA==').masked).toBe('AUTHENTICATE PLAIN <secret>');
    expect(maskImapSecrets('A01 AUTHENTICATE EXTERNAL =')).toEqual({ masked: 'A01 AUTHENTICATE EXTERNAL =', secretFound: false });
    expect(maskImapSecrets('A001 AUTHENTICATE GSSAPI')).toEqual({ masked: 'A001 AUTHENTICATE GSSAPI', secretFound: false });
  });

  it('masks AUTHENTICATE responses whole, except "*" and an empty line', () => {
    expect(maskImapContinuationResponse('AUTHENTICATE', 'dGVzdAB0ZXN0AHRlc3Q=')).toEqual({ masked: '<secret>', secretFound: true });
    expect(maskImapContinuationResponse('AUTHENTICATE', '*')).toEqual({ masked: '*', secretFound: false });
    expect(maskImapContinuationResponse('AUTHENTICATE', '')).toEqual({ masked: '', secretFound: false });
    expect(maskImapContinuationResponse('IDLE', 'DONE')).toEqual({ masked: 'DONE', secretFound: false });
  });

  it('leaves other commands alone', () => {
    for (const text of allCommands.map((c) => c.text).filter((t) => !/ (LOGIN|login|AUTHENTICATE) /.test(t))) {
      expect(maskImapSecrets(text), text).toEqual({ masked: text, secretFound: false });
    }
    expect(maskImapSecrets('SELECT "pass word"').secretFound).toBe(false);
  });

  it('never shows a LOGIN password, however it is quoted', () => {
    const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
    const password = fc.string({ unit: fc.constantFrom('a', 'Z', '9', ' ', '"', '\\', '{', '}', '(', ')', '*', '%', '+', '~'), minLength: 1 });
    fc.assert(
      fc.property(fc.constantFrom('', 'a1 '), fc.constantFrom('joe', '"j o\\"e"'), password, (tag, user, pw) => {
        const line = `${tag}LOGIN ${user} ${quote(pw)}`;
        const { masked, secretFound } = maskImapSecrets(line);
        expect(secretFound).toBe(true);
        expect(masked).toBe(`${tag}LOGIN ${user} ${SECRET_PLACEHOLDER}`);
      }),
    );
  });
});

describe('imapLineMayHoldSecret (the session skips masking where it says false)', () => {
  /** Words that make up command lines: every command of the table in three cases, tags, arguments. */
  const names = IMAP_COMMANDS.flatMap((spec) => [spec.name, spec.name.toLowerCase(), spec.name[0] + spec.name.slice(1).toLowerCase()]);
  const word = fc.oneof(
    fc.constantFrom(...names),
    fc.constantFrom('a1', 'A001', 'x.7', 'UID', 'uid', 'logın', 'LOGİN', 'auThenticate', 'ſelect', 'PLAIN', '=', '*', '{5}', '{5+}', '~{3}', '"pass word"', '"a\\"b"', '(FLAGS UID)', 'joe'),
    fc.string({ maxLength: 8 }),
  );
  const line = fc.tuple(fc.array(word, { maxLength: 6 }), fc.constantFrom(' ', '  ', '\t', ' \t')).map(([words, blank]) => words.join(blank));

  it('is false only for lines that masking leaves as they are', () => {
    let skipped = 0;
    fc.assert(
      fc.property(line, (text) => {
        if (imapLineMayHoldSecret(text)) return;
        skipped++;
        const reference = maskImapCommand([text]);
        expect(reference.segments).toEqual([text]);
        expect(reference.secretFound).toBe(false);
        expect(reference.literalSecret.every((secret) => !secret)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(skipped).toBeGreaterThan(100);
  });

  it('reads a line of ASCII as it reads the line upper-cased (the shortcut that skips the copy)', () => {
    const secretNames = IMAP_COMMANDS.filter((spec) => spec.secretArgsFrom !== undefined).map((spec) => spec.name.toUpperCase());
    let ascii = 0;
    fc.assert(
      fc.property(line, (text) => {
        if (!/[^\x00-\x7f]/.test(text)) ascii++;
        const upper = text.toUpperCase();
        expect(imapLineMayHoldSecret(text), JSON.stringify(text)).toBe(secretNames.some((name) => upper.includes(name)));
      }),
      { numRuns: 2000 },
    );
    expect(ascii).toBeGreaterThan(500);
  });

  it('is true for every command line with a secret, whatever the case (dotless i included)', () => {
    for (const text of ['a1 LOGIN joe pw', 'login joe pw', 'a1 logın joe pw', 'AUTHENTICATE PLAIN dGVzdA==', 'a UID LOGIN x y']) {
      expect(imapLineMayHoldSecret(text), text).toBe(true);
    }
    expect(maskImapCommand(['a1 logın joe pw']).secretFound).toBe(true);
    for (const text of ['a1 NOOP', 'SELECT INBOX', 'UID FETCH 1:* (FLAGS)', 'a2 STATUS log (MESSAGES)']) expect(imapLineMayHoldSecret(text), text).toBe(false);
  });
});
