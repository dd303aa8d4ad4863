/**
 * The display form (protocol/display-form.ts) read back by wireBytes gives the octets it shows, for
 * any octets and any text sent; two lines' display forms joined are the display form of the whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayForm, displayFormOfText, joinDisplayForms, wireBytes } from '../../src/protocol/display-form.js';
import { wireLike } from '../support/wire-like-bytes.js';

/** Anything that could drive a terminal or reorder a display: must never survive. */
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/;

const esc = (bytes: Buffer | string): string => displayForm(typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);

describe('the display form reads back as the octets it shows', () => {
  it('for any bytes, escapeServerText and back', () => {
    fc.assert(
      fc.property(fc.oneof(wireLike, fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b))), (bytes) => {
        expect(wireBytes(esc(bytes)).equals(bytes)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('for any text sent as UTF-8, displayFormOfText and back; as escapeServerText writes its octets', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'\\xu{}01abfg\x1b\u0085\u202e\ud800\udc00é'.split('')), maxLength: 30 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    fc.assert(
      fc.property(text, (t) => {
        const sent = Buffer.from(t, 'utf8');
        expect(wireBytes(displayFormOfText(t)).equals(sent)).toBe(true);
        expect(displayFormOfText(t)).not.toMatch(UNSAFE);
        if (!/[\ud800-\udfff]/.test(t)) expect(displayFormOfText(t)).toBe(esc(sent));
      }),
      { numRuns: 3000 },
    );
  });

  it('joinDisplayForms of two lines\' display forms is the display form of the two as one line', () => {
    const whole = fc.array(fc.constantFrom(...'\\xu{}01abfg'.split(''), '\x1b', 'é'), { maxLength: 14 }).map((c) => c.join(''));
    fc.assert(
      fc.property(whole, whole, (a, b) => {
        expect(joinDisplayForms(displayFormOfText(a), displayFormOfText(b))).toBe(displayFormOfText(a + b));
      }),
      { numRuns: 3000 },
    );
    expect(joinDisplayForms('C:\\x4', '1 rest')).toBe('C:\\x5cx41 rest');
    expect(joinDisplayForms('C:\\x5cx41', '1')).toBe('C:\\x5cx411');
  });
});

