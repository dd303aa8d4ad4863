import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ImapFramer } from '../../src/protocol/imap/framer.js';
import { parseFetchPlainItems, plainValue } from '../../src/protocol/imap/plain-values.js';
import {
  endsAtom,
  ENDS_ATOM,
  ImapSyntaxError,
  parseFetchItems,
  parseImapLine,
  parseImapValues,
  serializeImapValue,
  valueText,
  type ImapValue,
} from '../../src/protocol/imap/values.js';
import { readRfcTranscript, rfcTranscriptFiles } from '../support/rfc-transcript.js';

/** A compact view of values for assertions: atoms and numbers as is, strings quoted, NIL, lists as arrays. */
function view(v: ImapValue): unknown {
  switch (v.type) {
    case 'atom':
      return v.section ? { [v.value]: v.section.map(view), ...(v.partial ? { partial: v.partial } : {}) } : v.value;
    case 'number':
      return v.value;
    case 'string':
      return `"${v.value.toString('utf8')}"`;
    case 'literal-ref':
      return `{${v.size}}`;
    case 'nil':
      return null;
    case 'list':
      return v.items.map(view);
  }
}

/** Frames server bytes into responses: segments and literals, as the session sees them. */
function responses(bytes: Buffer): Array<{ segments: Buffer[]; literals: Buffer[] }> {
  const out: Array<{ segments: Buffer[]; literals: Buffer[] }> = [];
  let current: { segments: Buffer[]; literals: Buffer[] } | null = null;
  let pieces: Buffer[] = [];
  for (const f of new ImapFramer().push(bytes)) {
    if (f.type === 'segment') {
      if (f.first || !current) {
        current = { segments: [], literals: [] };
        out.push(current);
      }
      current.segments.push(f.bytes);
    } else if (f.type === 'literal-data') pieces.push(f.bytes);
    else if (f.type === 'literal-end') {
      current?.literals.push(Buffer.concat(pieces));
      pieces = [];
    }
  }
  return out;
}

describe('parseImapValues', () => {
  it('reads the RFC 3501 §8 FETCH FULL response: envelope, addresses, body structure', () => {
    const t = readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt');
    const fetch = responses(t.server).find((r) => r.segments[0]?.toString().startsWith('* 12 FETCH (FLAGS'));
    expect(fetch).toBeDefined();
    const values = parseImapValues(fetch!.segments, fetch!.literals).map(view);
    expect(values.slice(0, 3)).toEqual(['*', 12, 'FETCH']);
    const items = values[3] as unknown[];
    expect(items.slice(0, 6)).toEqual(['FLAGS', ['\\Seen'], 'INTERNALDATE', '"17-Jul-1996 02:44:25 -0700"', 'RFC822.SIZE', 4286]);
    const envelope = items[7] as unknown[];
    expect(envelope[1]).toBe('"IMAP4rev1 WG mtg summary and minutes"');
    expect(envelope[2]).toEqual([['"Terry Gray"', null, '"gray"', '"cac.washington.edu"']]);
    expect(envelope[6]).toEqual([
      [null, null, '"minutes"', '"CNRI.Reston.VA.US"'],
      ['"John Klensin"', null, '"KLENSIN"', '"MIT.EDU"'],
    ]);
    expect(items[9]).toEqual(['"TEXT"', '"PLAIN"', ['"CHARSET"', '"US-ASCII"'], null, null, '"7BIT"', 3028, 92]);
  });

  it('takes a literal by its octets and goes on after it (RFC 3501 §8 BODY[HEADER] {342})', () => {
    const t = readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt');
    const fetch = responses(t.server).find((r) => r.literals.length === 1)!;
    const values = parseImapValues(fetch.segments, fetch.literals);
    const list = values[3] as Extract<ImapValue, { type: 'list' }>;
    expect(view(list.items[0] as ImapValue)).toEqual({ BODY: ['HEADER'] });
    const literal = list.items[1] as Extract<ImapValue, { type: 'string' }>;
    expect(literal.form).toBe('literal');
    expect(literal.value.length).toBe(342);
    expect(literal.value.toString()).toMatch(/^Date: Wed, 17 Jul 1996/);
  });

  it('parses every RFC IMAP server response without a syntax error', () => {
    for (const file of rfcTranscriptFiles('imap')) {
      for (const r of responses(readRfcTranscript('imap', file).server)) {
        const text = r.segments[0]?.toString('latin1') ?? '';
        // Status responses carry resp-text (free text, with "[CODE]"), not values: only data is parsed.
        if (/^(\S+) (OK|NO|BAD|BYE|PREAUTH)\b/i.test(text) || text.startsWith('+')) continue;
        expect(() => parseImapValues(r.segments, r.literals), `${file}: ${text}`).not.toThrow();
      }
    }
  });

  it('reads sections and partials in commands and responses', () => {
    expect(parseImapLine('BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)]<0.100> BODY[]<10> BODY[1.2.MIME]').map(view)).toEqual([
      { 'BODY.PEEK': ['HEADER.FIELDS', ['SUBJECT', 'FROM']], partial: { offset: 0, length: 100 } },
      { BODY: [], partial: { offset: 10 } },
      { BODY: ['1.2.MIME'] },
    ]);
  });

  it('keeps sequence sets, wildcards and flags as atoms, and NIL apart from "NIL"', () => {
    expect(parseImapLine('1:* 2,4:7 % INBOX/* \\Seen \\* NIL "NIL" nil').map(view)).toEqual([
      '1:*',
      '2,4:7',
      '%',
      'INBOX/*',
      '\\Seen',
      '\\*',
      null,
      '"NIL"',
      null,
    ]);
  });

  it('unescapes quoted strings (RFC 3501 §4.3)', () => {
    const [v] = parseImapLine('"say \\"hi\\" \\\\ bye"');
    expect(valueText(v as ImapValue)).toBe('say "hi" \\ bye');
  });

  it('turns a literal that was not kept into a literal-ref', () => {
    const values = parseImapValues([Buffer.from('* 1 FETCH (BODY[] ~{5000000}'), Buffer.from(')')], [null]);
    expect(view(values[3] as ImapValue)).toEqual([{ BODY: [] }, '{5000000}']);
    expect((values[3] as Extract<ImapValue, { type: 'list' }>).items[1]).toMatchObject({ binary: true });
  });

  it.each([
    ['(a b', /never closed/],
    ['a b)', /unbalanced/],
    ['"open', /unterminated quoted/],
    ['"bad \\x escape"', /bad escape/],
    ['BODY[TEXT', /never closed/],
    ['BODY[]<1.x>', /bad partial/],
    ['a {5} b', /unexpected/],
  ])('reports %j as a syntax error with its offset', (text, message) => {
    expect(() => parseImapLine(text)).toThrow(message);
    try {
      parseImapLine(text);
    } catch (error) {
      expect(error).toBeInstanceOf(ImapSyntaxError);
      expect((error as ImapSyntaxError).offset).toBeGreaterThanOrEqual(0);
    }
  });

  it('never throws anything but ImapSyntaxError on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          parseImapValues([Buffer.from(bytes)], []);
        } catch (error) {
          if (!(error instanceof ImapSyntaxError)) throw error;
        }
      }),
    );
  });
});

describe('atom-specials', () => {
  it('are looked up as endsAtom tells them, for every octet (RFC 3501 §9 atom-specials less the wildcards and "\\")', () => {
    for (let c = 0; c < 256; c++) expect(ENDS_ATOM[c] === 1).toBe(endsAtom(c));
    expect([...'(){ %*"\\]['].map((ch) => ENDS_ATOM[ch.charCodeAt(0)])).toEqual([1, 1, 1, 1, 0, 0, 1, 0, 1, 1]);
  });
});

describe('parseFetchItems, the FETCH data of decoded views, built only where wanted', () => {
  type Options = { start?: number; maxNesting?: number };

  /** The reference: the whole response parsed, the wanted items' values picked from its list. */
  function reference(segments: Buffer[], literals: Array<Buffer | null>, wanted: (name: string) => boolean, options: Options = {}): unknown {
    let values: ImapValue[];
    try {
      values = parseImapValues(segments, literals, options);
    } catch (error) {
      if (error instanceof ImapSyntaxError) return 'syntax error';
      throw error;
    }
    const list = values[0];
    if (list?.type !== 'list') return [];
    const items: unknown[] = [];
    for (let i = 0; i + 1 < list.items.length; i += 2) {
      const key = list.items[i] as ImapValue;
      const name = key.type === 'atom' && key.section === undefined ? key.value.toUpperCase() : '';
      if (wanted(name)) items.push([name, view(list.items[i + 1] as ImapValue)]);
    }
    return items;
  }

  function lazily(segments: Buffer[], literals: Array<Buffer | null>, wanted: (name: string) => boolean, options: Options = {}): unknown {
    try {
      return parseFetchItems(segments, literals, wanted, options).map((i) => [i.name, view(i.value)]);
    } catch (error) {
      if (error instanceof ImapSyntaxError) return 'syntax error';
      throw error;
    }
  }

  // FETCH-like text: names, lists, strings with escapes, sections, literals, and the odd broken piece.
  const token = fc.constantFrom(
    '(', ')', '(', ')', ' ', ' ', ' ', 'ENVELOPE', 'BODYSTRUCTURE', 'body', 'FLAGS', 'UID', '42', 'NIL', '"a b"',
    '"q\\"x"', '"\\\\"', '"bad\\e"', '"open', '\\Seen', 'BODY[HEADER.FIELDS (SUBJECT)]', 'BODY[]<0>', 'BODY[', ']', '[',
    '<1.2>', '{3}\r\nabc', '~{2}\r\n\x00\x01', '{5}', '{', '~', '((', '))',
    // Names read in place must read as parseValue reads them: NIL through a non-ASCII letter, numbers.
    'N\u0131L', 'nil', '007', 'b\u00e9', '12345678901234567890',
  );
  const response = fc.array(token, { maxLength: 30 }).map((t) => `(${t.join('')}`);
  const names = fc.subarray(['ENVELOPE', 'BODYSTRUCTURE', 'BODY', 'FLAGS', 'UID', '', 'B\u00c9']);

  it('agrees with parsing everything, syntax errors included, for any nesting bound', () => {
    fc.assert(
      fc.property(response, names, fc.boolean(), fc.integer({ min: 1, max: 4 }), (text, wantedNames, closed, maxNesting) => {
        const framed = responses(Buffer.from(`* 1 FETCH ${text}${closed ? ')' : ''}\r\n`, 'utf8'))[0];
        if (!framed) return;
        const options = { start: '* 1 FETCH '.length, maxNesting };
        const wanted = (name: string) => wantedNames.includes(name);
        expect(lazily(framed.segments, framed.literals, wanted, options)).toEqual(reference(framed.segments, framed.literals, wanted, options));
      }),
      { numRuns: 3000 },
    );
  });

  it('passes over a literal, a section or a partial the way it reads them', () => {
    for (const text of ['(X ~{2}\r\n\x00\x01 UID 5)', '(X {2}\r\nab UID 5)', '(X (a ~{2}\r\n\x00\x01) UID 5)', '(X BODY[HEADER.FIELDS (A B)]<0> UID 5)', '(X (BODY[] "a") UID 5)', '(X ~a UID 5)']) {
      const framed = responses(Buffer.from(`* 1 FETCH ${text}\r\n`, 'latin1'))[0]!;
      const options = { start: '* 1 FETCH '.length };
      const wanted = (name: string) => name === 'UID';
      expect(lazily(framed.segments, framed.literals, wanted, options)).toEqual(reference(framed.segments, framed.literals, wanted, options));
      expect(lazily(framed.segments, framed.literals, wanted, options)).toEqual([['UID', 5]]);
    }
  });

  it('in the plain form, gives the plain form of what it gives in the general form, syntax errors included', () => {
    // Atoms whose upper case is NIL only through a non-ASCII letter (U+0131 dotless i) read as NIL too.
    const plainToken = fc.oneof(token, fc.constantFrom('nil', 'Nil', 'N\u0131L', '007', '12345678901234567890', '-1', 'x\u00e9', '"caf\u00e9"'));
    const plainResponse = fc.array(plainToken, { maxLength: 30 }).map((t) => `(${t.join('')}`);
    const attempt = <T>(parse: () => T): T | 'syntax error' => {
      try {
        return parse();
      } catch (error) {
        if (error instanceof ImapSyntaxError) return 'syntax error';
        throw error;
      }
    };
    fc.assert(
      fc.property(plainResponse, names, fc.boolean(), fc.integer({ min: 1, max: 4 }), (text, wantedNames, closed, maxNesting) => {
        const framed = responses(Buffer.from(`* 1 FETCH ${text}${closed ? ')' : ''}\r\n`, 'utf8'))[0];
        if (!framed) return;
        const options = { start: '* 1 FETCH '.length, maxNesting };
        const wanted = (name: string) => wantedNames.includes(name);
        const general = attempt(() => parseFetchItems(framed.segments, framed.literals, wanted, options).map((i) => ({ name: i.name, value: plainValue(i.value) })));
        expect(attempt(() => parseFetchPlainItems(framed.segments, framed.literals, wanted, options))).toEqual(general);
      }),
      { numRuns: 3000 },
    );
  });

  it('in the plain form, reads a wanted list as the general form does, however deep and whatever it holds', () => {
    // Lists read in one loop must match those read value by value: nesting at the bound, NIL and
    // numbers in any spelling, non-ASCII atoms, escapes, sections, literals, unbalanced brackets.
    const inner = fc.constantFrom(
      '(', '(', '(', ')', ')', ')', ' ', ' ', '"a b"', '""', '"q\\"x"', '"caf\u00e9"', 'NIL', 'nil', 'N\u0131L', '0', '007',
      '123456789012345', '1234567890123456', '12345678901234567890', 'b\u00e9', 'x', '\\Seen', 'BODY[]', ']', '~', '{3}\r\nabc', '"open',
    );
    const attempt = <T>(parse: () => T): T | 'syntax error' => {
      try {
        return parse();
      } catch (error) {
        if (error instanceof ImapSyntaxError) return 'syntax error';
        throw error;
      }
    };
    fc.assert(
      fc.property(fc.array(inner, { maxLength: 25 }), fc.integer({ min: 1, max: 6 }), (tokens, maxNesting) => {
        const framed = responses(Buffer.from(`* 1 FETCH (UID 1 BODYSTRUCTURE (${tokens.join('')}) FLAGS ())\r\n`, 'utf8'))[0];
        if (!framed) return;
        const options = { start: '* 1 FETCH '.length, maxNesting };
        const wanted = (name: string) => name === 'BODYSTRUCTURE';
        const general = attempt(() => parseFetchItems(framed.segments, framed.literals, wanted, options).map((i) => ({ name: i.name, value: plainValue(i.value) })));
        expect(attempt(() => parseFetchPlainItems(framed.segments, framed.literals, wanted, options))).toEqual(general);
      }),
      { numRuns: 3000 },
    );
  });

  it('names items as parseValue reads them: NIL and numbers are no names, in any spelling', () => {
    const framed = responses(Buffer.from('* 1 FETCH (nil "a" 007 "b" N\u0131L "c" b\u00e9 "d" Uid 5)\r\n', 'utf8'))[0]!;
    const options = { start: '* 1 FETCH '.length };
    const wanted = (name: string) => name === '' || name === 'B\u00c9' || name === 'UID';
    expect(lazily(framed.segments, framed.literals, wanted, options)).toEqual(reference(framed.segments, framed.literals, wanted, options));
    expect(lazily(framed.segments, framed.literals, wanted, options)).toEqual([['', '"a"'], ['', '"b"'], ['', '"c"'], ['B\u00c9', '"d"'], ['UID', 5]]);
  });

  it('gives the items of the RFC 3501 §8 FETCH FULL response that were asked for', () => {
    const t = readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt');
    const fetch = responses(t.server).find((r) => r.segments[0]?.toString().startsWith('* 12 FETCH (FLAGS'));
    const options = { start: '* 12 FETCH '.length };
    const wanted = (name: string) => name === 'BODY' || name === 'INTERNALDATE';
    const items = lazily(fetch!.segments, fetch!.literals, wanted, options);
    expect(items).toEqual(reference(fetch!.segments, fetch!.literals, wanted, options));
    expect((items as unknown[]).map((i) => (i as unknown[])[0])).toEqual(['INTERNALDATE', 'BODY']);
  });
});

describe('serializeImapValue', () => {
  it('round-trips through the parser', () => {
    const text = '(FLAGS (\\Seen) BODY[HEADER.FIELDS (SUBJECT)]<0.10> "quoted \\"x\\"" NIL 42 ())';
    const [v] = parseImapLine(text);
    expect(serializeImapValue(v as ImapValue)).toBe(text);
  });

  it('writes strings a quoted string cannot hold as literals', () => {
    const v: ImapValue = { type: 'string', value: Buffer.from('line1\r\nline2'), form: 'quoted' };
    expect(serializeImapValue(v)).toBe('{12}\r\nline1\r\nline2');
  });
});
