import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamingEscaper, escapeDisplayLines, escapeDisplayText, escapeServerText, plainCrlfLineEnds } from '../../src/render/escape.js';
import { PlainLines } from '../../src/render/plain-lines.js';
import { wireLike } from '../support/wire-like-bytes.js';

const esc = (bytes: Buffer | string): string =>
  escapeServerText(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);

/** Anything that could drive a terminal or reorder a display: must never survive escaping. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

describe('escapeServerText', () => {
  it('shows ESC-based sequences (CSI, OSC) as text', () => {
    expect(esc('* OK \x1b[31mred\x1b[0m')).toBe('* OK \\x1b[31mred\\x1b[0m');
    expect(esc('\x1b]0;title\x07* OK')).toBe('\\x1b]0;title\\x07* OK');
    expect(esc('\x1b[2J\x1b[H')).toBe('\\x1b[2J\\x1b[H');
  });

  it('escapes C1 controls whether sent as UTF-8 (U+009B) or as a raw byte (0x9b), each as what it is', () => {
    expect(esc(Buffer.from([0xc2, 0x9b, 0x33, 0x31, 0x6d]))).toBe('\\u{9b}31m');
    expect(esc(Buffer.from([0x9b, 0x33, 0x31, 0x6d]))).toBe('\\x9b31m');
    expect(esc('\u0085\u009d')).toBe('\\u{85}\\u{9d}');
  });

  it('writes a backslash that would read as an escape as \\x5c, and leaves every other one', () => {
    // The text of a server that quotes a Windows path: not an ESC, not a U+202E.
    expect(esc('* OK [ALERT] quota file C:\\x1b\\u{202e} full')).toBe('* OK [ALERT] quota file C:\\x5cx1b\\x5cu{202e} full');
    expect(esc('"C:\\\\x41"')).toBe('"C:\\\\x5cx41"');
    expect(esc('\\x5c')).toBe('\\x5cx5c');
    expect(esc('\\\x1b')).toBe('\\\\x1b');
    for (const text of ['\\Seen \\Deleted', '\\x1B', '\\xg1', '\\x4', 'a\\', '\\u{}', '\\u{1234567}', '\\u202e', '\\U{202e}', 'C:\\xampp']) {
      expect(esc(text)).toBe(text);
    }
  });

  it('escapes NUL, TAB, CR, LF, DEL and the rest of C0', () => {
    expect(esc('a\x00b')).toBe('a\\x00b');
    expect(esc('a\tb\rc\nd\x7f\x08')).toBe('a\\x09b\\x0dc\\x0ad\\x7f\\x08');
    for (let b = 0; b < 0x20; b++) {
      expect(esc(Buffer.from([b]))).toBe(`\\x${b.toString(16).padStart(2, '0')}`);
    }
  });

  it('escapes each byte of invalid UTF-8 and decodes the valid sequences around it', () => {
    expect(esc(Buffer.from([0xff, 0xfe, 0x41]))).toBe('\\xff\\xfeA');
    // Truncated 3-byte sequence, then ASCII.
    expect(esc(Buffer.from([0xe2, 0x82, 0x41]))).toBe('\\xe2\\x82A');
    // Overlong "/" and an encoded surrogate are not UTF-8.
    expect(esc(Buffer.from([0xc0, 0xaf]))).toBe('\\xc0\\xaf');
    expect(esc(Buffer.from([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80');
    // Beyond U+10FFFF.
    expect(esc(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe('\\xf4\\x90\\x80\\x80');
    // Latin-1 "Grüße" next to UTF-8 "€" and an ESC.
    const mixed = Buffer.concat([Buffer.from('Gr'), Buffer.from([0xfc]), Buffer.from('\u00dfe €\x1b')]);
    expect(esc(mixed)).toBe('Gr\\xfcße €\\x1b');
  });

  it('escapes bidi and format controls that can spoof a display', () => {
    expect(esc('A001 \u202eKO\u202c')).toBe('A001 \\u{202e}KO\\u{202c}');
    expect(esc('\u200e\u200f\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\u061c')).toBe(
      '\\u{200e}\\u{200f}\\u{2066}\\u{2067}\\u{2068}\\u{2069}\\u{2028}\\u{2029}\\u{feff}\\u{61c}',
    );
  });

  it('leaves valid text alone: non-ASCII, emoji, backslashes of IMAP flags', () => {
    for (const text of [
      '* OK Grüße',
      '* OK Привет',
      '* 1 FETCH (FLAGS (\\Seen \\Answered))',
      '* LIST () "/" "日本語"',
      '* OK 👩‍💻 ready',
      'plain ASCII ~!@#$%^&*()_+{}|:"<>?',
    ]) {
      expect(esc(text)).toBe(text);
    }
  });

  it('never lets a control or spoofing character through, for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(esc(Buffer.from(bytes))).not.toMatch(UNSAFE);
      }),
    );
  });

  it('is the identity on valid UTF-8 without controls', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => {
        const safe = text.replace(new RegExp(UNSAFE.source, 'g'), '');
        expect(esc(safe)).toBe(safe);
      }),
    );
  });
});

describe('escapeDisplayText', () => {
  it('escapes strings like server bytes, and lone surrogates too', () => {
    expect(escapeDisplayText('a001 LOGIN \x1b[2Jjoe')).toBe('a001 LOGIN \\x1b[2Jjoe');
    expect(escapeDisplayText('x\ud800y\udc00')).toBe('x\\u{d800}y\\u{dc00}');
    expect(escapeDisplayText('ok 😀 \u202e')).toBe('ok 😀 \\u{202e}');
    expect(escapeDisplayText('\\Seen')).toBe('\\Seen');
  });
});

describe('escapeDisplayLines', () => {
  it('is escapeDisplayText of each line between the two strings, for any lines', () => {
    // Mostly printable ASCII (the one-test path), with now and then a character that must be escaped.
    const piece = fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 12 }) },
      { weight: 1, arbitrary: fc.constantFrom('\n', '\r', '\x1b[2J', '\x7f', '\u009b', 'é', '\u202e', '\ud800', '😀', '\t') },
    );
    const line = fc.array(piece, { maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.constantFrom(['#   ', '\n'], ['\x1b[2m#   ', '\x1b[22m\n'], ['', '']), (lines, [before, after]) => {
        expect(escapeDisplayLines(lines, before!, after!)).toBe(lines.map((l) => before! + escapeDisplayText(l) + after!).join(''));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('StreamingEscaper', () => {
  const fixtures: Buffer[] = [
    Buffer.from('Grüße aus Köln — Привет, 日本語, 😀👩‍💻\r\n', 'utf8'),
    Buffer.from('\x1b]0;title\x07\u009b31m\u202eabc', 'utf8'),
    Buffer.from([0x41, 0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x41, 0xed, 0xa0, 0x80, 0xf4]),
    Buffer.from([0xe0, 0xa0, 0x80, 0xe0, 0x80, 0xf0, 0x90, 0x80, 0x80, 0xf0, 0x8f, 0xf4, 0x8f, 0xbf, 0xbf, 0xc2]),
    Buffer.from('C:\\x1b \\\\x41 \\u{202e} \\u{1} \\x4g \\Seen \\u{1234567}\\', 'utf8'),
  ];

  function streamed(bytes: Buffer, cuts: number[]): string {
    const escaper = new StreamingEscaper();
    let out = '';
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      out += escaper.push(bytes.subarray(from, cut));
      from = cut;
    }
    return out + escaper.flush();
  }

  it('matches escapeServerText for every split of the fixtures', () => {
    for (const bytes of fixtures) {
      const whole = escapeServerText(bytes);
      for (let i = 0; i <= bytes.length; i++) {
        for (let j = i; j <= bytes.length; j++) {
          expect(streamed(bytes, [i, j])).toBe(whole);
        }
      }
    }
  });

  it('matches escapeServerText one byte at a time', () => {
    for (const bytes of fixtures) {
      const cuts = Array.from({ length: bytes.length }, (_, i) => i);
      expect(streamed(bytes, cuts)).toBe(escapeServerText(bytes));
    }
  });

  it('matches escapeServerText for random bytes and random splits', () => {
    const utf8ish = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => Uint8Array.from(Buffer.from(s, 'utf8'))),
      wireLike.map((b) => Uint8Array.from(b)),
    );
    fc.assert(
      fc.property(utf8ish, fc.array(fc.nat(), { maxLength: 8 }), (raw, rawCuts) => {
        const bytes = Buffer.from(raw);
        const cuts = rawCuts.map((c) => c % (bytes.length + 1)).sort((a, b) => a - b);
        expect(streamed(bytes, cuts)).toBe(escapeServerText(bytes));
      }),
    );
  });

  it('holds back at most 3 bytes of a UTF-8 sequence', () => {
    const escaper = new StreamingEscaper();
    expect(escaper.push(Buffer.from([0x41, 0xf0, 0x9f, 0x98]))).toBe('A');
    expect(escaper.push(Buffer.from([0x80]))).toBe('😀');
    expect(escaper.push(Buffer.from([0xe2]))).toBe('');
    expect(escaper.flush()).toBe('\\xe2');
    expect(escaper.flush()).toBe('');
  });

  it('holds back a backslash and at most 8 octets after it, until they are an escape or not', () => {
    const escaper = new StreamingEscaper();
    expect(escaper.push(Buffer.from('C:\\x1'))).toBe('C:');
    expect(escaper.idle).toBe(false);
    expect(escaper.push(Buffer.from('b and \\u{20'))).toBe('\\x5cx1b and ');
    expect(escaper.push(Buffer.from('2e'))).toBe('');
    expect(escaper.push(Buffer.from('} \\Seen'))).toBe('\\x5cu{202e} \\Seen');
    expect(escaper.push(Buffer.from('\\u{1234'))).toBe('');
    expect(escaper.push(Buffer.from('567}'))).toBe('\\u{1234567}');
    expect(escaper.push(Buffer.from('\\x4'))).toBe('');
    expect(escaper.flush()).toBe('\\x4');
    expect(escaper.idle).toBe(true);
  });
});

describe('plainCrlfLineEnds, the fast path for literal text', () => {
  /** What it must say, by the escaping itself: the CRLFs' offsets when each line between them shows as it is, or null. */
  function reference(bytes: Buffer): number[] | null {
    const lines: Buffer[] = [];
    const crs: number[] = [];
    let from = 0;
    for (let crlf = bytes.indexOf('\r\n'); crlf >= 0; crlf = bytes.indexOf('\r\n', from)) {
      lines.push(bytes.subarray(from, crlf));
      crs.push(crlf);
      from = crlf + 2;
    }
    lines.push(bytes.subarray(from));
    const plain = lines.every((l) => escapeServerText(l) === l.toString('utf8') && Buffer.from(l.toString('utf8'), 'utf8').equals(l));
    // A backslash at the end may become an escape with the next piece: that piece decides, not this one.
    const undecided = /\\(?:x[0-9a-f]?|u(?:\{[0-9a-f]{0,6})?)?$/.test(bytes.toString('latin1'));
    return plain && !undecided ? crs : null;
  }

  const lines = PlainLines.shared() as PlainLines;
  const marks = { start: Buffer.from('S: '), end: Buffer.from('\n'), empty: Buffer.from('S:\n') };

  /** The CRLFs' offsets as plainCrlfLineEnds reports them, or null. */
  function lineEnds(bytes: Buffer): number[] | null {
    const count = plainCrlfLineEnds(bytes, lines, marks);
    return count < 0 ? null : Array.from({ length: count }, (_, k) => lines.crAt(k));
  }

  it('runs here: Node.js has WebAssembly with SIMD', () => {
    expect(lines).not.toBeNull();
  });

  // Mostly text, so that the plain case is common; every kind of byte that needs escaping now and then.
  const piece = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom('abc', 'QUJDREVGR0hJSktMTU5PUFFSU1RVVld', ' ', '\r\n', 'Grüße', 'Привет', '😀', '\\Seen', '~', 'C:\\', 'x1', 'b', 'u{', '}') },
    {
      weight: 2,
      arbitrary: fc.constantFrom('\r', '\n', '\n\r', '\t', '\0', '\x1b[31m', '\x7f', '\x1f', '\u0085', '\u009b', '\u202e', '\u2028', '\ufeff', '\u061c'),
    },
  );
  const rawByte = fc.constantFrom(0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xff).map((b) => Buffer.from([b]));
  const text = fc.array(fc.oneof({ weight: 9, arbitrary: piece.map((p) => Buffer.from(p, 'utf8')) }, { weight: 1, arbitrary: rawByte }), { maxLength: 60 });

  it('agrees with escaping each line, whatever the length and the place of the bytes (it reads sixteen at a time)', () => {
    fc.assert(
      fc.property(text, fc.nat(7), (parts, offset) => {
        const bytes = Buffer.concat(parts);
        // A view at an odd place of a larger buffer, as the framer hands out pieces of socket reads.
        const holder = Buffer.alloc(offset + bytes.length + 5, 0x1b);
        bytes.copy(holder, offset);
        const view = holder.subarray(offset, offset + bytes.length);
        expect(lineEnds(view)).toEqual(reference(bytes));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes long plain text, and finds one byte to escape anywhere in it', () => {
    const line = Buffer.from('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n');
    const body = Buffer.concat(Array.from({ length: 40 }, () => line));
    expect(lineEnds(body)).toEqual(Array.from({ length: 40 }, (_, i) => i * line.length + line.length - 2));
    for (let at = 0; at < body.length; at += 13) {
      for (const bad of [0x00, 0x1b, 0x7f, 0x0a, 0x0d, 0x09]) {
        const copy = Buffer.from(body);
        if (copy[at] === bad || (bad === 0x0d && copy[at + 1] === 0x0a)) continue;
        copy[at] = bad;
        // The CR of a CRLF replaced by an LF, or an LF by a CR: a lone line end either way.
        expect(lineEnds(copy), `0x${bad.toString(16)} at ${at}`).toBeNull();
      }
    }
    expect(lineEnds(body.subarray(0, body.length - 1))).toBeNull();
  });
});
