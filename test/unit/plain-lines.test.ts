import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlainLines, type LineMarks } from '../../src/render/plain-lines.js';

const ASSEMBLE = fileURLToPath(new URL('../../scripts/assemble-wasm.mjs', import.meta.url));
const lines = PlainLines.shared() as PlainLines;

/** What wholeLines must write: each line between the first and the last CRLF with its marks. */
function expected(text: Buffer, marks: LineMarks): Buffer {
  const parts = text.toString('latin1').split('\r\n').slice(1, -1);
  return Buffer.concat(parts.map((line) => (line === '' ? marks.empty : Buffer.concat([marks.start, Buffer.from(line, 'latin1'), marks.end]))));
}

/** The kernel's output for `text` (plain: no control but its CRLFs), written at `at` after `at` octets of 0xee. */
function written(text: Buffer, marks: LineMarks, at = 0): Buffer {
  const count = lines.scan(text, marks);
  expect(count).toBeGreaterThanOrEqual(0);
  const perLine = Math.max(marks.start.length + marks.end.length, marks.empty.length);
  const out = lines.output(at + text.length + (count + 1) * perLine);
  out.fill(0xee, 0, at);
  const end = count > 0 ? lines.wholeLines(at, count) : at;
  expect(out.subarray(0, at).every((b) => b === 0xee)).toBe(true);
  return Buffer.from(out.subarray(at, end));
}

const marksOf = (start: string, end: string, empty: string): LineMarks => ({ start: Buffer.from(start), end: Buffer.from(end), empty: Buffer.from(empty) });

describe('PlainLines, the literal fast path in WebAssembly', () => {
  it('is what plain-lines.wat assembles to', () => {
    const check = spawnSync(process.execPath, [ASSEMBLE, '--check'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('writes each line with its marks, whatever the lengths of the lines and of the marks', () => {
    const line = fc.oneof(fc.constant(''), fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', '~', '\x80', '\xff'), maxLength: 100 }));
    const mark = fc.string({ unit: fc.constantFrom('S', ':', ' ', '\x1b', '[', 'm', '3', '\n'), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), mark, mark, mark, fc.nat(20), (texts, start, end, empty, at) => {
        const text = Buffer.from(texts.join('\r\n'), 'latin1');
        const marks = marksOf(start, end, empty);
        expect(written(text, marks, at).toString('latin1')).toBe(expected(text, marks).toString('latin1'));
      }),
      { numRuns: 2000 },
    );
  });

  it('takes a piece larger than any before (its memory grows), and smaller ones after it', () => {
    const marks = marksOf('S: ', '\n', 'S:\n');
    const line = Buffer.from('QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n');
    const small = Buffer.concat([Buffer.from('head\r\n'), line, Buffer.from('\r\ntail')]);
    const big = Buffer.concat([Buffer.from('x\r\n'), ...Array.from({ length: 40_000 }, () => line), Buffer.from('\r\n')]);
    // Compared with equals(): a deep comparison of megabytes, octet by octet, takes seconds.
    expect(written(small, marks).equals(expected(small, marks))).toBe(true);
    expect(written(big, marks).equals(expected(big, marks))).toBe(true);
    expect(written(small, marks).equals(expected(small, marks))).toBe(true);
    expect(lines.scan(big, marks)).toBe(40_002);
    expect(lines.crAt(40_001)).toBe(big.length - 2);
  });

  it('serves renderers with marks of their own in turn', () => {
    const plain = marksOf('S: ', '\n', 'S:\n');
    const colored = marksOf('\x1b[2mS: \x1b[22m\x1b[38;5;244m', '\x1b[39m\n', '\x1b[2mS:\x1b[22m\n');
    const text = Buffer.from('a\r\nfirst line\r\n\r\nthird\r\nz');
    for (let round = 0; round < 3; round++) {
      expect(written(text, plain)).toEqual(expected(text, plain));
      expect(written(text, colored)).toEqual(expected(text, colored));
    }
  });
});
