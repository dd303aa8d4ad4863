/**
 * The transcript format: RFC example files parse as they are; directives, optional and forbidden
 * lines, notes for what is not protocol data; display escapes back to wire bytes.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseTranscript,
  protocolLineParts,
  serializeTranscript,
  TranscriptFormatError,
  TranscriptParser,
  wireBytes,
} from '../../src/transcript/format.js';
import { rfcTranscriptFiles } from '../support/rfc-transcript.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/', import.meta.url));

describe('parseTranscript', () => {
  it('reads every RFC example as it is, protocol from its directive, elisions as notes', () => {
    for (const protocol of ['imap', 'pop3'] as const) {
      for (const file of rfcTranscriptFiles(protocol)) {
        const t = parseTranscript(readFileSync(`${FIXTURES}${protocol}/${file}`, 'utf8'));
        expect(t.directives.protocol, file).toBe(protocol);
        expect(t.version, file).toBeNull();
        expect(t.lines.length, file).toBeGreaterThan(0);
      }
    }
  });

  it('keeps S:/C: lines with their numbers, bare prefixes as empty lines, and reports other lines', () => {
    const t = parseTranscript(readFileSync(`${FIXTURES}imap/rfc2177-3-idle.txt`, 'utf8'));
    expect(t.lines[0]).toMatchObject({ lineNo: 7, direction: 'C', text: 'A001 SELECT INBOX', expectation: 'required' });
    expect(t.notes.map((n) => n.lineNo)).toEqual([15, 19, 27, 30]);
    expect(t.notes[0]?.message).toMatch(/not a protocol line.*\.\.\.time passes/);
    const append = parseTranscript(readFileSync(`${FIXTURES}imap/rfc3501-6.3.11-append.txt`, 'utf8'));
    expect(append.lines.filter((l) => l.text === '').map((l) => l.direction)).toEqual(['C', 'C']);
  });

  it('reads a line of dots as data where it can be data: POP3 dot-stuffing and recordings; as an elision in a hand-written IMAP excerpt', () => {
    // RFC 1939 §3: body lines "." and ".." go on the wire as ".." and "...".
    const pop3 = parseTranscript('# protocol: pop3\nC: RETR 1\nS: +OK\nS: ..\nS: ...\nS: .\n');
    expect(pop3.lines.map((l) => l.text)).toEqual(['RETR 1', '+OK', '..', '...', '.']);
    expect(pop3.notes).toEqual([]);
    const recorded = parseTranscript('# mailwire transcript v1\n# protocol: imap\n# recorded: 2026-12-03T10:00:00Z\nC: A1 FETCH 1 BODY[]\nS: * 1 FETCH (BODY[] {5}\nS: ...\nS: )\nS: A1 OK done\n');
    expect(recorded.lines.map((l) => l.text)).toContain('...');
    expect(recorded.notes).toEqual([]);
    const excerpt = parseTranscript('# protocol: imap\nC: A1 FETCH 1:* (FLAGS)\nS: ...\nS: A1 OK done\n');
    expect(excerpt.lines.map((l) => l.text)).toEqual(['A1 FETCH 1:* (FLAGS)', 'A1 OK done']);
    expect(excerpt.notes[0]).toMatchObject({ lineNo: 3, elision: true });
  });

  it('skips the RFC 1939 §10 TCP pseudo-lines with a note', () => {
    const t = parseTranscript(readFileSync(`${FIXTURES}pop3/rfc1939-sec10-apop-session.txt`, 'utf8'));
    expect(t.lines[0]?.text).toBe('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>');
    expect(t.lines.at(-1)?.text).toBe("+OK dewey POP3 server signing off (maildrop empty)");
    expect(t.notes.filter((n) => /TCP event/.test(n.message))).toHaveLength(4);
  });

  it('keeps a trailing space (RFC 5034 "S: + ") and a CR before LF does not count', () => {
    const t = parseTranscript('S: + \r\nC: dGVzdA==\r\n');
    expect(t.lines.map((l) => l.text)).toEqual(['+ ', 'dGVzdA==']);
  });

  it('keeps a line that holds U+2028, U+2029 or a lone CR: they are characters of the line, not line ends', () => {
    const t = parseTranscript('C: a1 LOGIN "a\u2028b" "c\u2029d"\nS: x\ry\r\n');
    expect(t.lines.map((l) => l.text)).toEqual(['a1 LOGIN "a\u2028b" "c\u2029d"', 'x\ry']);
    expect(t.notes).toEqual([]);
  });

  it('reads directives: protocol, target, tls, secrets (with and without a value), match rules from where they stand', () => {
    const t = parseTranscript(
      [
        '# mailwire transcript v1',
        '# protocol: POP3',
        '# target: pop3://127.0.0.1:110',
        '# tls: starttls',
        '# secret: mrose tanstaaf',
        '# secret: joe',
        '# note: anything else is a comment',
        '# TLS: TLSv1.3 (a remark, not a directive)',
        'S: +OK ready',
        '# match: ordered no-extra',
        'S?: maybe',
        'S!: never',
      ].join('\n'),
    );
    expect(t.version).toBe(1);
    expect(t.directives).toMatchObject({ protocol: 'pop3', target: 'pop3://127.0.0.1:110', tls: 'starttls' });
    expect(t.directives.secrets).toEqual([
      { lineNo: 5, user: 'mrose', secret: 'tanstaaf' },
      { lineNo: 6, user: 'joe', secret: null },
    ]);
    expect(t.lines.map((l) => [l.expectation, l.rules.ordered, l.rules.extra])).toEqual([
      ['required', false, true],
      ['optional', true, false],
      ['forbidden', true, false],
    ]);
  });

  it('refuses a newer format version and nonsense directive values, naming the line', () => {
    expect(() => parseTranscript('# mailwire transcript v2\nS: +OK\n')).toThrow(TranscriptFormatError);
    expect(() => parseTranscript('# mailwire transcript v2\n')).toThrow(/format v2; this mailwire reads v1/);
    try {
      parseTranscript('S: +OK\n# tls: sideways\n');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(TranscriptFormatError);
      expect((error as TranscriptFormatError).lineNo).toBe(2);
    }
    expect(() => parseTranscript('# match: sideways\n')).toThrow(/unknown rule "sideways"/);
    // A protocol mailwire does not play is noted, not fatal: the file is still a transcript.
    const smtp = parseTranscript('# protocol: smtp (a mail submission)\nS: 220 ready\n');
    expect(smtp.directives).toMatchObject({ otherProtocol: 'smtp' });
    expect(smtp.notes[0]?.message).toMatch(/mailwire plays imap and pop3 only/);
  });

  it('notes "C?:" as no line kind, and "S:x" without a space as no protocol line', () => {
    const t = parseTranscript('C?: NOOP\nS:x\n');
    expect(t.lines).toEqual([]);
    expect(t.notes).toHaveLength(2);
  });

  it('serializes back to a file that parses to the same lines and directives', () => {
    const source = '# protocol: imap\n# secret: joe\nC: a1 LOGIN joe <secret>\nS: a1 OK done\n# match: ordered\nS?: * 1 EXISTS\n';
    const t = parseTranscript(source);
    const again = parseTranscript(serializeTranscript(t));
    expect(again.lines.map((l) => [l.lineNo > 0, l.direction, l.expectation, l.text, l.rules])).toEqual(
      t.lines.map((l) => [true, l.direction, l.expectation, l.text, l.rules]),
    );
    expect(again.directives).toEqual({ ...t.directives, secrets: [{ ...t.directives.secrets[0], lineNo: 3 }] });
  });
});

describe('wireBytes', () => {
  it('turns the display escapes back into bytes and leaves IMAP flags alone', () => {
    expect(wireBytes('a\\x09b\\x1b[31m')).toEqual(Buffer.from('a\tb\x1b[31m', 'latin1'));
    expect(wireBytes('\\xff\\xfe')).toEqual(Buffer.from([0xff, 0xfe]));
    expect(wireBytes('x\\u{202e}y')).toEqual(Buffer.from('x\u202ey', 'utf8'));
    expect(wireBytes('(\\Seen \\Deleted \\Xyz)').toString()).toBe('(\\Seen \\Deleted \\Xyz)');
    expect(wireBytes('Grüße').toString('utf8')).toBe('Grüße');
    expect(wireBytes('\\x5cx41').toString('latin1')).toBe('\\x41');
  });
});

describe('a line read by hand, as the regular expressions read it', () => {
  // The reference: the expressions the lines were read with before.
  const PROTOCOL_LINE = /^([CS])([?!]?):(?: (.*))?$/s;
  const referenceParts = (line: string) => {
    const m = PROTOCOL_LINE.exec(line);
    return m ? { direction: m[1], mark: m[2] ?? '', text: m[3] ?? '' } : null;
  };
  const referenceElision = (line: string, pop3: boolean) => {
    const prefixed = /^[CS]:/.test(line);
    if (prefixed && pop3) return false;
    const first = (prefixed ? line.slice(2) : line).trimStart()[0];
    if (first !== '.' && first !== '…' && first !== '[' && first !== '(') return false;
    const rest = line.replace(/^[CS]:/, '').trim().replace(/^[[(]/, '').replace(/[\])]$/, '');
    return /^[.\s…]*$/.test(rest) && (rest.includes('…') || rest.split('.').length > 2);
  };
  // Prefixes, white space of every kind (U+00A0, U+2028, U+FEFF among them), dots and brackets.
  const piece = fc.constantFrom('C', 'S', '?', '!', ':', ' ', '\t', '\r', '\u00a0', '\u2028', '\u2029', '\ufeff', '\u3000', '.', '…', '[', ']', '(', ')', 'x', '\ud800', '#');
  const line = fc.oneof(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), fc.string({ unit: 'binary', maxLength: 12 }));

  it('splits a protocol line into direction, mark and text as PROTOCOL_LINE did (fast-check)', () => {
    fc.assert(
      fc.property(line, (l) => {
        expect(protocolLineParts(l)).toEqual(referenceParts(l));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells an elision apart as before (fast-check)', () => {
    fc.assert(
      fc.property(line, fc.boolean(), (l, pop3) => {
        if (l.trim() === '' || l.startsWith('#')) return;
        const parsed = parseTranscript(`# protocol: ${pop3 ? 'pop3' : 'imap'}\n${l.replaceAll('\n', ' ')}\n`);
        const elision = parsed.notes.some((n) => n.elision === true);
        expect(elision).toBe(referenceElision(l.replaceAll('\n', ' ').replace(/\r$/, ''), pop3));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('TranscriptParser: the shortcut for plain lines', () => {
  // "C: " and "S: " weighted up, so that a run offers the shortcut about a thousand lines, well over
  // the 300 asserted below (with all prefixes alike it took 275 to 345, and sometimes failed).
  const prefix = fc.oneof(
    { arbitrary: fc.constantFrom('C: ', 'S: '), weight: 2 },
    { arbitrary: fc.constantFrom('C: ', 'S: ', 'S?: ', 'S!: ', 'C:', 'S:', 'C:  ', 'c: ', '# ', ''), weight: 1 },
  );
  const start = fc.constantFrom('a', 'Z', '0', '*', '+', '.', '…', '[', '(', '<', ' ', '\t', '\u00a0', '-', 'é', '');
  const rest = fc.oneof(fc.constantFrom('', 'a1 NOOP', '..', ' OK done ', '... ', 'open connection>', 'wait for it>', ']', '\r', ' \r'), fc.string({ maxLength: 12 }));
  const raw = fc.tuple(prefix, start, rest).map(([p, s, r]) => p + s + r);
  /** What the parsers are told first: none, a recording, POP3, a match rule. */
  const heads = fc.constantFrom([], ['# recorded: 2026-12-04'], ['# protocol: pop3'], ['# protocol: imap', '# match: unordered']);

  it('gives for every line it takes what the general reading gives', () => {
    let taken = 0;
    fc.assert(
      fc.property(heads, fc.array(raw, { minLength: 1, maxLength: 8 }), (head, lines) => {
        const fast = new TranscriptParser();
        const general = new TranscriptParser();
        head.forEach((h, i) => {
          fast.line(h, i + 1);
          general.anyLine(h, i + 1);
        });
        lines.forEach((line, i) => {
          const lineNo = head.length + i + 1;
          const shortcut = fast.plainLine(line, lineNo);
          const reference = general.anyLine(line, lineNo);
          if (shortcut === undefined) return;
          taken++;
          expect(shortcut, JSON.stringify(line)).toEqual(reference);
        });
      }),
      { numRuns: 1000 },
    );
    expect(taken).toBeGreaterThan(300);
  });

  it('takes the lines of a replayed session and leaves elisions, TCP events and marks to the general reading', () => {
    const parser = new TranscriptParser();
    for (const line of ['C: a1 NOOP', 'S: a1 OK done\r', 'S: * 3 EXISTS', 'S: + go ahead']) expect(parser.plainLine(line, 1)).toBeDefined();
    for (const line of ['S: ...', 'C: <open connection>', 'S?: * 1 RECENT', 'C:  a1 NOOP', 'S: [...]', '# protocol: imap']) expect(parser.plainLine(line, 1)).toBeUndefined();
  });

  it('reads a line where it stands in a run of lines as it reads the line cut out (fast-check)', () => {
    // Runs of lines as the reader decodes them, cut anywhere: a line's end may fall inside its
    // prefix, before or after a CR, or at the start of the next line.
    const run = fc.array(fc.oneof(raw, fc.constantFrom('C: a1 NOOP', 'S: a1 OK\r', 'C: x', 'C: ', 'S:')), { maxLength: 4 }).map((lines) => lines.join('\n'));
    fc.assert(
      fc.property(run, fc.nat(), fc.nat(), (source, a, b) => {
        const start = a % (source.length + 1);
        const end = start + (b % (source.length - start + 1));
        const parser = new TranscriptParser();
        expect(parser.plainLineIn(source, start, end, 7)).toEqual(parser.plainLine(source.slice(start, end), 7));
      }),
      { numRuns: 1000 },
    );
  });
});
