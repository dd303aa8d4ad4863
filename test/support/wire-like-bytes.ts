/** Test data shared by the tests of the display form and of the escapers that write it. */
import fc from 'fast-check';

/** Bytes rich in what the display form writes specially: backslashes, escape-like text, controls, C1, invalid UTF-8. */
export const wireLike = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...'\\\\\\xu{}0129abcfgAF :"'.split('')).map((c) => Buffer.from(c, 'latin1')) },
      { weight: 1, arbitrary: fc.constantFrom('\x1b', '\r', '\n', '\t', '\0', '\x7f', '\u0085', '\u009b', '\u202e', '\ufeff', 'é', '😀').map((c) => Buffer.from(c, 'utf8')) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b)) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => Buffer.concat(parts));
