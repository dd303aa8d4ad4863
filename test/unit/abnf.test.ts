/**
 * The ABNF recogniser (RFC 5234): repetitions, options, case rules, num-vals, `=/`, native rules,
 * unordered alternatives, and where a failing input stops making sense. And that matches(), which
 * passes over what cannot begin where it would be tried, says what trying everything says.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABNF_CORE_RULES, AbnfSyntaxError, Grammar } from '../../src/protocol/abnf.js';
import { IMAP_EXTENSION_GRAMMARS } from '../../src/protocol/imap/grammar-extension-table.js';
import { IMAP_RULES, imapExtensionsAnnounced, imapGrammar, imapGrammars } from '../../src/protocol/imap/grammar.js';
import { pop3Grammar } from '../../src/protocol/pop3/grammar.js';

describe('Grammar', () => {
  const g = new Grammar(
    `${ABNF_CORE_RULES}
greeting = "OK" SP 1*3DIGIT [SP word] ; a comment, with a "quote"
word     = 1*(%x61-7A)
exact    = %s"Ab" / %x0D.0A
either   = "a" / "ab"
pair     = either "b"
`,
  );

  it('matches repetitions with bounds, options and case-insensitive strings', () => {
    expect(g.match('greeting', 'ok 12').ok).toBe(true);
    expect(g.match('greeting', 'OK 123 abc').ok).toBe(true);
    expect(g.match('greeting', 'OK 1234').ok).toBe(false);
    expect(g.match('greeting', 'OK').ok).toBe(false);
  });

  it('keeps %s strings case-sensitive and reads dotted num-vals', () => {
    expect(g.match('exact', 'Ab').ok).toBe(true);
    expect(g.match('exact', 'ab').ok).toBe(false);
    expect(g.match('exact', '\r\n').ok).toBe(true);
  });

  it('tries every alternative (ABNF alternatives are not ordered)', () => {
    // A PEG would take "a" for `either` and fail on the second "b".
    expect(g.match('pair', 'abb').ok).toBe(true);
    expect(g.match('pair', 'ab').ok).toBe(true);
  });

  it('says how far the input made sense and what would have been accepted there', () => {
    const r = g.match('greeting', 'OK x');
    expect(r).toMatchObject({ ok: false, furthest: 3 });
    expect(r.expected).toContain('DIGIT');
  });

  it('adds alternatives with =/, takes native rules, and refuses broken grammars', () => {
    const counted = new Grammar(`${ABNF_CORE_RULES}\nv = "a"\nv =/ "b"\nlit = "{" n "}"\n`, {
      n: (input, pos) => (/\d/.test(input[pos] ?? '') ? [pos + 1] : []),
    });
    expect(counted.match('v', 'b').ok).toBe(true);
    expect(counted.match('lit', '{7}').ok).toBe(true);
    expect(() => new Grammar('a = b')).toThrow(AbnfSyntaxError);
    expect(() => new Grammar('a = "x"\na = "y"')).toThrow(/defined twice/);
    expect(() => new Grammar('a =/ "x"')).toThrow(/not defined yet/);
    expect(() => new Grammar('a = ( "x"')).toThrow(/missing "\)"/);
  });
});

describe('the IMAP grammar (RFC 3501 §9)', () => {
  const g = imapGrammar();
  const ok = (rule: string, text: string) => g.match(rule, `${text}\r\n`).ok;

  it('accepts what RFC 3501 prints and Dovecot sends', () => {
    expect(ok('greeting', '* OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.')).toBe(true);
    expect(ok('response-tagged', 'A002 OK [READ-WRITE] Select completed (0.003 + 0.000 + 0.002 secs).')).toBe(true);
    expect(ok('mailwire-untagged', '* 1 FETCH (BODY[HEADER] {5}\r\nabc\r\n)')).toBe(true);
    expect(ok('mailwire-untagged', '* LIST (\\HasNoChildren) "." INBOX')).toBe(true);
    expect(ok('mailwire-untagged', '* OK [APPENDUID 1795737331 2] Append completed.')).toBe(true);
    expect(ok('command', 'a003 fetch 12 full')).toBe(true);
    expect(ok('command', 'A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man')).toBe(true);
    expect(ok('command', 'A001 AUTHENTICATE PLAIN AGpvZQBwYXNzd29yZA==')).toBe(true);
  });

  it('refuses what RFC 3501 does not allow', () => {
    expect(ok('response-tagged', 'A142 LIST Completed')).toBe(false);
    expect(ok('continue-req', '+')).toBe(false);
    expect(ok('mailwire-untagged', '* 4 FETCH (...)')).toBe(false);
    // The literal's count is checked: 5 announced, 3 given.
    expect(ok('mailwire-untagged', '* 1 FETCH (BODY[] {5}\r\nabc)')).toBe(false);
    // Earlier alternatives take priority: PERMANENTFLAGS is no generic code, and "*" is no flag.
    expect(ok('mailwire-coded-text', '[PERMANENTFLAGS (\\Deleted \\Seen *)] Limited')).toBe(false);
    expect(ok('mailwire-coded-text', '[PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited')).toBe(true);
    expect(ok('mailwire-coded-text', '[UIDVALIDITY 0] nope')).toBe(false);
    expect(ok('mailwire-coded-text', '[HIGHESTMODSEQ 1] a code RFC 3501 does not name')).toBe(true);
  });
});

describe('the IMAP extensions, a table keyed by capability', () => {
  it('builds a grammar of any one row (with what it builds on), and of none', () => {
    expect(() => imapGrammars(new Set())).not.toThrow();
    for (const e of IMAP_EXTENSION_GRAMMARS) {
      expect(() => imapGrammars(new Set([e.name])), e.name).not.toThrow();
      expect(e.capabilities.length, e.name).toBeGreaterThan(0);
      expect(e.source, e.name).toMatch(/^RFC \d+ §\d|^https:\/\//);
    }
  });

  it('reads a row\'s syntax only with the row', () => {
    const line = '* 1 FETCH (EMAILID (M6d99ac3275bb4e) THREADID NIL)\r\n';
    expect(imapGrammars(new Set(['OBJECTID'])).rev1.matches(IMAP_RULES.untagged, line)).toBe(true);
    expect(imapGrammars(new Set(['PREVIEW'])).rev1.matches(IMAP_RULES.untagged, line)).toBe(false);
    expect(imapGrammars(new Set(['OBJECTID'])).rev2.matches(IMAP_RULES.untagged, line)).toBe(true);
  });

  it('takes the capabilities that announce a row, IMAP4rev2\'s implied ones and valued forms included', () => {
    expect([...imapExtensionsAnnounced(['IMAP4rev1', 'APPENDLIMIT=35651584', 'X-GM-EXT-1', 'COMPRESS=DEFLATE', 'THREAD=REFERENCES', 'QRESYNC'])].sort()).toEqual(['APPENDLIMIT', 'COMPRESS', 'CONDSTORE', 'THREAD', 'X-GM-EXT-1']);
    expect([...imapExtensionsAnnounced(['IMAP4rev2'])]).toEqual(['BINARY']);
    expect([...imapExtensionsAnnounced(['IMAP4rev1', 'QUOTA=RES-STORAGE', 'METADATA-SERVER'])].sort()).toEqual(['METADATA', 'QUOTA']);
  });
});

describe('the POP3 grammar (RFC 2449 §3, RFC 1939)', () => {
  const g = pop3Grammar();
  const ok = (rule: string, text: string) => g.match(rule, `${text}\r\n`).ok;

  it('reads replies with spaces in their text, and response codes', () => {
    expect(ok('single-line', '+OK 2 320')).toBe(true);
    expect(ok('single-line', '-ERR [IN-USE] Do you have another POP session running?')).toBe(true);
    expect(ok('greeting', '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>')).toBe(true);
    expect(ok('single-line', '+0K typo')).toBe(false);
  });

  it('checks each command\'s arguments', () => {
    expect(ok('pop3-command', 'APOP mrose c4c9334bac560ecc979e58001b3e22fb')).toBe(true);
    expect(ok('pop3-command', 'APOP mrose C4C9334BAC560ECC979E58001B3E22FB')).toBe(false);
    expect(ok('pop3-command', 'RETR 0')).toBe(false);
    expect(ok('pop3-command', 'TOP 1 10')).toBe(true);
    expect(ok('pop3-command', 'PASS a pass phrase')).toBe(true);
    expect(ok('scan-listing', '2 200')).toBe(true);
    expect(ok('uid-listing', '2 QhdPYR:00WBw1Ph7x7')).toBe(true);
  });
});

describe('matches(): start sets and runs of octets give what trying everything gives', () => {
  /** The lines of the RFC examples in transcripts/rfc/<protocol>/, without their `C: ` / `S: `. */
  function exampleLines(protocol: 'imap' | 'pop3'): string[] {
    const folder = new URL(`../../transcripts/rfc/${protocol}/`, import.meta.url);
    const lines = readdirSync(folder)
      .flatMap((file) => readFileSync(new URL(file, folder), 'utf8').split('\n'))
      .filter((line) => /^[CS]: /.test(line))
      .map((line) => line.slice(3));
    return [...new Set(lines)];
  }

  /** Each line against each rule, as it is, then edited: octets put in, taken out, or replaced. */
  function agrees(grammar: Grammar, rules: readonly string[], lines: readonly string[]): void {
    let matched = 0;
    for (const line of lines) {
      for (const rule of rules) {
        const input = `${line}\r\n`;
        const reference = grammar.match(rule, input, { startSets: false }).ok;
        expect(grammar.matches(rule, input), `${rule}: ${line}`).toBe(reference);
        if (reference) matched++;
      }
    }
    // The examples are mostly good lines, so both answers are tried often.
    expect(matched).toBeGreaterThan(lines.length / 2);
    const edit = fc.record({
      line: fc.constantFrom(...lines),
      rule: fc.constantFrom(...rules),
      at: fc.nat(),
      cut: fc.nat(3),
      put: fc.array(fc.constantFrom(' ', '(', ')', '[', ']', '{', '}', '"', '\\', '*', '%', '0', '9', 'a', 'Z', '\r', '\n', '\x00', '\xff', '+', '-', '.', ':', '<'), { maxLength: 3 }),
    });
    fc.assert(
      fc.property(edit, ({ line, rule, at, cut, put }) => {
        const i = at % (line.length + 1);
        const input = `${line.slice(0, i)}${put.join('')}${line.slice(i + cut)}\r\n`;
        expect(grammar.matches(rule, input)).toBe(grammar.match(rule, input, { startSets: false }).ok);
      }),
      { numRuns: 3000 },
    );
  }

  it('on a grammar of optional prefixes, empty strings and runs, with every short input', () => {
    const g = new Grammar(
      `${ABNF_CORE_RULES}
top    = pre / run / "z" / empty "q" / nested / ("k" / "") "m" / *empty "l" / 1*(*SP "w")
pre    = ["x"] *SP "y" / [ALPHA] DIGIT
run    = 2*3("a" / "B") / 1*%x30-32 "."
empty  = ""
nested = "(" *(top / SP) ")"
`,
    );
    const octets = ['x', 'y', ' ', 'a', 'B', 'b', '0', '3', '.', 'z', 'q', '(', ')', 'X', 'k', 'm', 'l', 'w'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...octets), { maxLength: 7 }), (chars) => {
        const input = chars.join('');
        expect(g.matches('top', input)).toBe(g.match('top', input, { startSets: false }).ok);
      }),
      { numRuns: 4000 },
    );
  });

  const imapRules = Object.values(IMAP_RULES);

  it('IMAP4rev1, on the RFC examples and edits of them', () => {
    agrees(imapGrammars().rev1, imapRules, exampleLines('imap'));
  });

  it('IMAP4rev2, on the same', () => {
    agrees(imapGrammars().rev2, imapRules, exampleLines('imap'));
  });

  it('POP3, on the RFC examples and edits of them', () => {
    agrees(pop3Grammar(), ['greeting', 'single-line', 'pop3-command', 'scan-listing', 'uid-listing'], exampleLines('pop3'));
  });

  it('match() reports a line that does not match as trying everything does', () => {
    const g = imapGrammar();
    for (const input of ['a1 FETCH 1:* (FLAGS\r\n', 'a1 LOGIN joe\r\n', '* 3 EXISTS extra\r\n']) {
      expect(g.match('command', input)).toEqual(g.match('command', input, { startSets: false }));
      expect(g.match('command', input).ok).toBe(false);
    }
  });
});
