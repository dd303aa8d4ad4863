/**
 * The LIST/LSUB pattern matcher (RFC 3501 §6.3.8) against the plain definition of "*" and "%",
 * over any short pattern and name; and its work, counted, for the patterns that made a backtracking
 * matcher run for minutes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MailboxPattern } from '../../src/sandbox/mailbox-pattern.js';

/** The definition, by recursion over both strings (fine for the short strings of the property). */
function definition(pattern: string, name: string): boolean {
  if (pattern === '') return name === '';
  const [p, rest] = [pattern[0] as string, pattern.slice(1)];
  if (p === '*' || p === '%') {
    for (let i = 0; i <= name.length; i++) {
      if (p === '%' && name.slice(0, i).includes('/')) break;
      if (definition(rest, name.slice(i))) return true;
    }
    return false;
  }
  return name[0] === p && definition(rest, name.slice(1));
}

const alphabet = fc.constantFrom('a', 'b', '/', '*', '%', 'é', '😀');
const nameAlphabet = fc.constantFrom('a', 'b', '/', 'é', '😀');

describe('mailbox patterns', () => {
  it('match as "*" and "%" are defined, for any pattern and name', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 9 }), fc.array(nameAlphabet, { maxLength: 9 }), (p, n) => {
        const pattern = p.join('');
        const name = n.join('');
        expect(new MailboxPattern(pattern).matches(name)).toBe(definition(pattern, name));
      }),
      { numRuns: 3000, seed: 12 },
    );
  });

  it('find the matching superiors of a name in one pass', () => {
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 7 }), fc.array(nameAlphabet, { maxLength: 9 }), (p, n) => {
        const pattern = p.join('');
        const name = n.join('');
        const parts = name.split('/');
        const superiors = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/')).filter((s) => s !== '');
        expect(new MailboxPattern(pattern).matchingSuperiors(name)).toEqual(superiors.filter((s) => definition(pattern, s)));
      }),
      { numRuns: 2000, seed: 13 },
    );
  });

  it('spend work proportional to name length times pattern words on "*%*%*%*%*%*%Z"', () => {
    for (const pairs of [6, 50, 500]) {
      const pattern = `${'*%'.repeat(pairs)}Z`;
      for (const length of [40, 400, 4000]) {
        const matcher = new MailboxPattern(pattern);
        expect(matcher.matches('a'.repeat(length))).toBe(false);
        // Runs of wildcards collapse to one: the automaton has 3 states, one word.
        expect(matcher.steps).toBeLessThanOrEqual(2 * (length + 1));
      }
    }
    const alternating = `${'%a'.repeat(1000)}Z`;
    const matcher = new MailboxPattern(alternating);
    expect(matcher.matches('a'.repeat(3000))).toBe(false);
    const words = Math.ceil(2002 / 32);
    expect(matcher.steps).toBeLessThanOrEqual(2 * words * 3001);
  });
});
