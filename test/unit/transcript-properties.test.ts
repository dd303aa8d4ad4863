/**
 * Properties of the transcript format, over random input (fast-check): parsing never fails but with
 * its own documented error, and never hangs; CRLF and LF files read the same; what serializeTranscript
 * writes parses back to the same lines; the pattern parser takes any line. The same over text with
 * any characters (U+2028, lone CRs and surrogates, escapes, literal markers, holes), and for what reads
 * a parsed transcript next: the script builder and lint never throw, patterns match what they stand for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MATCH_RULES,
  parseTranscript,
  serializeTranscript,
  TranscriptFormatError,
  type Transcript,
  type TranscriptLine,
} from '../../src/transcript/format.js';
import { lintTranscript } from '../../src/transcript/lint.js';
import {
  escapePatternText,
  matchPattern,
  parsePattern,
  patternText,
  substitutePattern,
  UnboundCaptureError,
} from '../../src/transcript/pattern.js';
import { buildScript } from '../../src/transcript/script.js';

/** Lines shaped like transcripts: protocol lines, directives, comments, and anything at all. */
const transcriptLine = fc.oneof(
  fc.tuple(fc.constantFrom('C:', 'S:', 'S?:', 'S!:', 'C: ', 'S: '), fc.string({ maxLength: 40 })).map(([p, t]) => `${p}${t}`),
  fc.tuple(fc.constantFrom('protocol', 'target', 'tls', 'recorded', 'secret', 'match', 'note', 'bogus'), fc.string({ maxLength: 20 })).map(
    ([d, v]) => `# ${d}: ${v}`,
  ),
  fc.constantFrom('# mailwire transcript v1', '# mailwire transcript v9', '...', '<open connection>', 'S: <wait for connection on TCP port 110>', ''),
  fc.string({ maxLength: 40 }),
);

const transcriptText = fc.array(transcriptLine, { maxLength: 30 });

/** What parsing gives, or the error's message: both must be the same for equivalent inputs. */
function outcome(source: string): Transcript | string {
  try {
    return parseTranscript(source);
  } catch (error) {
    if (error instanceof TranscriptFormatError) return `error: ${error.message}`;
    throw error;
  }
}

describe('parseTranscript over random input', () => {
  it('never throws anything but TranscriptFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), transcriptText.map((l) => l.join('\n'))), (source) => {
        outcome(source);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a file with CRLF line endings as the same file with LF', () => {
    fc.assert(
      fc.property(transcriptText, (lines) => {
        const lf = `${lines.join('\n')}\n`;
        const crlf = `${lines.join('\r\n')}\r\n`;
        expect(outcome(crlf)).toEqual(outcome(lf));
      }),
      { numRuns: 500 },
    );
  });

  it('parses back what serializeTranscript writes, to the same lines and directives', () => {
    fc.assert(
      fc.property(transcriptText, (lines) => {
        const first = outcome(`${lines.join('\n')}\n`);
        if (typeof first === 'string') return;
        const again = outcome(serializeTranscript(first));
        expect(typeof again).toBe('object');
        const strip = (t: Transcript) => ({
          directives: { ...t.directives, secrets: t.directives.secrets.map(({ user, secret }) => ({ user, secret })) },
          lines: t.lines.map(({ direction, expectation, text, rules }) => ({ direction, expectation, text, rules })),
        });
        expect(strip(again as Transcript)).toEqual(strip(first));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parsePattern over random input', () => {
  it('takes any line without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parsePattern(text);
      }),
      { numRuns: 1000 },
    );
  });
});

// --- generators ---------------------------------------------------------------------------------

/** Characters that mean something to the format, the patterns or the protocols' framers. */
const specialUnit = fc.constantFrom(
  ...'SC?!:# $$${}()[]"\\+-~*.<>0123456789aAxX'.split(''),
  ' ', '\t', '\r', '\x00', '\x1b', '\u00e9', '\u202e', '\ud83d\ude00', '\ud800',
);
const anyUnit = fc.oneof(specialUnit, fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));

/** Lines that look like transcript lines: prefixes, directives, literal markers, patterns. */
const lineLike = fc.oneof(
  fc.string({ unit: anyUnit, maxLength: 40 }),
  fc
    .tuple(
      fc.constantFrom('S: ', 'C: ', 'S?: ', 'S!: ', 'C?: ', 'S:', 'C:', '# ', '#', ''),
      fc.constantFrom('', '* ', '+ ', 'A1 ', '+OK ', '-ERR ', '. ', '..'),
      fc.string({ unit: anyUnit, maxLength: 30 }),
      fc.constantFrom('', ' {5}', ' {0}', ' {3+}', ' {1099511627776}', ' {-1}', ' {x}', ' $', ' $uid', ' $$'),
    )
    .map((parts) => parts.join('')),
  fc
    .tuple(
      fc.constantFrom('protocol', 'target', 'tls', 'recorded', 'secret', 'match', 'other', 'PROTOCOL'),
      fc.constantFrom('imap', 'pop3', 'smtp', 'none', 'starttls', 'implicit', 'ordered no-extra', 'unordered, extra', 'bogus', '', 'joe', 'joe s3cret'),
    )
    .map(([key, value]) => `# ${key}: ${value}`),
  fc.constantFrom('# mailwire transcript v1', '# mailwire transcript v2', 'C: <open connection>', '...', ''),
);

const lineEnd = fc.constantFrom('\n', '\r\n');

/** A source text made of such lines, each ended by LF or CRLF at random, the last one maybe not at all. */
const transcriptSource = fc
  .tuple(fc.array(fc.tuple(lineLike, lineEnd), { maxLength: 30 }), fc.boolean())
  .map(([lines, ended]) => {
    const text = lines.map(([l, e]) => l + e).join('');
    return ended || lines.length === 0 ? text : text.slice(0, text.endsWith('\r\n') ? -2 : -1);
  });

/** Parses, or returns the TranscriptFormatError it must fail with (anything else fails the test). */
function parseOrFormatError(source: string): Transcript | TranscriptFormatError {
  try {
    return parseTranscript(source);
  } catch (error) {
    expect(error).toBeInstanceOf(TranscriptFormatError);
    const e = error as TranscriptFormatError;
    expect(e.lineNo).toBeGreaterThanOrEqual(1);
    expect(e.lineNo).toBeLessThanOrEqual(source.split('\n').length);
    expect(e.message).not.toBe('');
    return e;
  }
}

// --- parsing any text ---------------------------------------------------------------------------

describe('parseTranscript over text with any characters', () => {
  it('returns a transcript or throws TranscriptFormatError with a line number in the file, for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 400 }), (source) => {
        parseOrFormatError(source);
      }),
      { numRuns: 500 },
    );
  });

  it('does the same for text built from transcript-like lines; every line it keeps has a direction and a number in the file', () => {
    fc.assert(
      fc.property(transcriptSource, (source) => {
        const t = parseOrFormatError(source);
        if (t instanceof TranscriptFormatError) return;
        const count = source.split('\n').length;
        for (const line of t.lines) {
          expect(['C', 'S']).toContain(line.direction);
          expect(line.lineNo).toBeGreaterThanOrEqual(1);
          expect(line.lineNo).toBeLessThanOrEqual(count);
          expect(line.text).not.toContain('\n');
          if (line.direction === 'C') expect(line.expectation).toBe('required');
        }
        // Line numbers only go up: the file's order is kept.
        const numbers = t.lines.map((l) => l.lineNo);
        expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same result whatever mix of CRLF and LF ends the lines', () => {
    const cleanLine = lineLike.map((l) => l.replace(/\r+$/, ''));
    fc.assert(
      fc.property(fc.array(fc.tuple(cleanLine, lineEnd), { maxLength: 30 }), fc.boolean(), (lines, lastEnded) => {
        const withLf = lines.map(([l]) => `${l}\n`).join('');
        const mixed = lines.map(([l, e], i) => (i === lines.length - 1 && !lastEnded ? l : l + e)).join('');
        const a = parseOrFormatError(withLf);
        const b = parseOrFormatError(mixed);
        if (a instanceof TranscriptFormatError || b instanceof TranscriptFormatError) {
          expect(b).toBeInstanceOf(TranscriptFormatError);
          expect(a).toBeInstanceOf(TranscriptFormatError);
          const [ea, eb] = [a as TranscriptFormatError, b as TranscriptFormatError];
          expect([eb.lineNo, eb.message]).toEqual([ea.lineNo, ea.message]);
          return;
        }
        expect(b).toEqual(a);
        for (const protocol of ['imap', 'pop3'] as const) expect(buildScript(b.lines, protocol)).toEqual(buildScript(a.lines, protocol));
      }),
      { numRuns: 300 },
    );
  });

  it('feeds the script builder and lint, which take whatever it returns without throwing', () => {
    fc.assert(
      fc.property(transcriptSource, fc.constantFrom('imap', 'pop3' as const), (source, protocol) => {
        const t = parseOrFormatError(source);
        if (t instanceof TranscriptFormatError) return;
        const steps = buildScript(t.lines, protocol);
        // Every kept line lands in exactly one step, in file order.
        expect(steps.flatMap((s) => s.lines)).toEqual(t.lines);
        const findings = lintTranscript(t, { protocol });
        for (const f of findings) expect(f.message).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });
});

describe('lint over any input', () => {
  /** IMAP- and POP3-shaped pieces, UTF-8 of every plane, lone surrogates, controls, and literals. */
  const piece = fc.oneof(
    fc.constantFrom('a1 ', '* ', '+ ', '+OK ', '-ERR ', 'OK ', '[', ']', '(', ')', '{3}', '~{2}', '"', '\\', ' ', 'FETCH', 'LIST', 'APOP mrose ', 'AUTH PLAIN', 'DONE', '...', '$', '$$', '<secret>'),
    fc.string({ unit: 'binary', maxLength: 8 }),
    fc.string({ unit: fc.constantFrom('\ud800', '\udfff', '\u202e', '\x1b', '\x00', '\u0085', 'é', 'Ж', '𝄞'), maxLength: 4 }),
  );
  const line = fc.tuple(fc.constantFrom('C: ', 'S: ', 'S?: ', '# state: ', '# secret: mrose ', '', '[...] '), fc.array(piece, { maxLength: 8 })).map(([p, parts]) => p + parts.join(''));
  const source = fc.tuple(fc.constantFrom('# protocol: imap\n', '# protocol: pop3\n', ''), fc.array(line, { maxLength: 20 })).map(([h, ls]) => h + ls.join('\n'));

  it('never throws, and every message is well-formed text that encodes to UTF-8 and back', () => {
    fc.assert(
      fc.property(source, fc.constantFrom('imap', 'pop3', undefined), (text, protocol) => {
        const t = parseOrFormatError(text);
        if (t instanceof TranscriptFormatError) return;
        for (const f of lintTranscript(t, protocol ? { protocol } : {})) {
          expect(f.message).not.toBe('');
          // No lone surrogate: every UTF-16 high surrogate is followed by a low one, and vice versa.
          expect(f.message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
          expect(Buffer.from(f.message, 'utf8').toString('utf8')).toBe(f.message);
          // Nothing a terminal would act on: controls and bidi overrides are escaped.
          expect(f.message).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
      { numRuns: 500 },
    );
  });
});

// --- written and read again ---------------------------------------------------------------------

/** Display text as mailwire writes it: one line, no CR or LF (those are written as \x0d, \x0a). */
const displayText = fc.string({ unit: fc.oneof(specialUnit, fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 40 }).map((t) => t.replace(/[\r\n]/g, ''));
const directiveValue = fc.string({ unit: fc.constantFrom(...'abcxyz019:/.@-_ '.split('')), minLength: 1, maxLength: 20 }).map((v) => v.trim()).filter((v) => v !== '');
const word = fc.string({ unit: fc.constantFrom(...'abcjoemrose019@._-'.split('')), minLength: 1, maxLength: 12 });

const transcriptValue: fc.Arbitrary<Transcript> = fc
  .record({
    protocol: fc.option(fc.constantFrom('imap', 'pop3' as const), { nil: undefined }),
    target: fc.option(directiveValue, { nil: undefined }),
    tls: fc.option(fc.constantFrom('none', 'starttls', 'implicit' as const), { nil: undefined }),
    recorded: fc.option(directiveValue, { nil: undefined }),
    secrets: fc.uniqueArray(fc.record({ user: word, secret: fc.option(directiveValue, { nil: null }) }), { selector: (s) => s.user, maxLength: 3 }),
    lines: fc.array(
      fc.record({
        direction: fc.constantFrom('C', 'S' as const),
        expectation: fc.constantFrom('required', 'optional', 'forbidden' as const),
        text: displayText,
        rules: fc.record({ ordered: fc.boolean(), extra: fc.boolean() }),
      }),
      { maxLength: 25 },
    ),
  })
  .map(({ protocol, target, tls, recorded, secrets, lines }) => ({
    version: 1,
    directives: {
      ...(protocol ? { protocol } : {}),
      ...(target ? { target } : {}),
      ...(tls ? { tls } : {}),
      ...(recorded ? { recorded } : {}),
      secrets: secrets.map((s) => ({ lineNo: 0, ...s })),
    },
    lines: lines
      // Only server lines may be optional or forbidden; RFC 1939's TCP pseudo-lines are skipped on reading,
      // and so is a line of dots or an ellipsis in a hand-written IMAP transcript (an elision).
      .filter((l) => !/^<(?:wait for [^>]*|open connection|close connection)>$/i.test(l.text))
      .filter((l) => protocol === 'pop3' || recorded !== undefined || !/^\s*[[(]?[.\s…]*[\])]?\s*$/.test(l.text) || !(l.text.includes('…') || l.text.split('.').length > 2))
      .map((l, i) => ({ ...l, lineNo: i, expectation: l.direction === 'C' ? 'required' : l.expectation })),
    notes: [],
  }));

/** What a line means, without where it stood in the file. */
const meaning = (lines: TranscriptLine[]) => lines.map(({ direction, expectation, text, rules }) => ({ direction, expectation, text, rules }));

describe('serializeTranscript then parseTranscript', () => {
  it('gives back the same lines, match rules and directives', () => {
    fc.assert(
      fc.property(transcriptValue, (t) => {
        const again = parseTranscript(serializeTranscript(t));
        expect(again.version).toBe(1);
        expect(meaning(again.lines)).toEqual(meaning(t.lines));
        const { secrets, ...rest } = again.directives;
        const { secrets: wanted, ...wantedRest } = t.directives;
        expect(rest).toEqual(wantedRest);
        expect(secrets.map(({ user, secret }) => ({ user, secret }))).toEqual(wanted.map(({ user, secret }) => ({ user, secret })));
        expect(again.notes).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('is stable: writing what was read writes the same file', () => {
    fc.assert(
      fc.property(transcriptValue, (t) => {
        const once = serializeTranscript(t);
        expect(serializeTranscript(parseTranscript(once))).toBe(once);
      }),
      { numRuns: 200 },
    );
  });

  it('starts every written file with the default match rules in force', () => {
    const t = parseTranscript(serializeTranscript({ version: 1, directives: { secrets: [] }, lines: [{ lineNo: 1, direction: 'S', expectation: 'required', text: 'x', rules: DEFAULT_MATCH_RULES }], notes: [] }));
    expect(t.lines[0]?.rules).toEqual(DEFAULT_MATCH_RULES);
  });
});

// --- patterns -----------------------------------------------------------------------------------

/** One IMAP-ish value a hole stands for: an atom, a quoted string, or a parenthesized group. */
const atom = fc.string({ unit: fc.constantFrom(...'abcXYZ0129.-:\\*%+<>/'.split('')), minLength: 1, maxLength: 8 });
const quoted = fc.string({ unit: fc.constantFrom(...'ab c()[]$'.split('')), maxLength: 8 }).map((s) => `"${s}"`);
const group = fc.array(fc.oneof(atom, quoted), { maxLength: 3 }).map((items) => `(${items.join(' ')})`);
const value = fc.oneof(atom, quoted, group);

describe('patterns on any text', () => {
  it('parsePattern never fails, and escaped text reads back as itself and matches only itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 60 }), fc.string({ unit: anyUnit, maxLength: 60 }), (text, other) => {
        parsePattern(text);
        const p = parsePattern(escapePatternText(text));
        expect(p.hasHoles).toBe(false);
        expect(patternText(p)).toBe(text);
        expect(matchPattern(p, text, new Map())).toEqual({ ok: true, captured: [] });
        if (other !== text) expect(matchPattern(p, other, new Map()).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('matchPattern and substitutePattern on random patterns and lines: a verdict, or UnboundCaptureError, nothing else', () => {
    fc.assert(
      fc.property(fc.string({ unit: anyUnit, maxLength: 60 }), fc.string({ unit: anyUnit, maxLength: 80 }), (source, text) => {
        const p = parsePattern(source);
        const r = matchPattern(p, text, new Map([['uid', '1']]));
        if (!r.ok) {
          expect(r.at).toBeGreaterThanOrEqual(0);
          expect(r.at).toBeLessThanOrEqual(text.length);
        }
        try {
          substitutePattern(p, new Map());
        } catch (error) {
          expect(error).toBeInstanceOf(UnboundCaptureError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a line with some of its values turned into named holes matches the line, capturing those values', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(value, fc.boolean()), { minLength: 1, maxLength: 8 }), (items) => {
        const line = items.map(([v]) => v).join(' ');
        const pattern = items.map(([v, hole], i) => (hole ? `$v${i}` : escapePatternText(v))).join(' ');
        const wanted = items.flatMap(([v, hole], i) => (hole ? [[`v${i}`, v]] : []));
        expect(matchPattern(parsePattern(pattern), line, new Map())).toEqual({ ok: true, captured: wanted });
        // And the captures put back into the pattern give the line.
        expect(substitutePattern(parsePattern(pattern), new Map(wanted as Array<[string, string]>))).toBe(line);
      }),
      { numRuns: 500 },
    );
  });
});
