/**
 * A mismatch as replay and serve report it: the transcript's line, the received one, a caret where
 * they part. A received line of 64 KiB is shown around that place, 1,000 characters of it (a real
 * server's CAPABILITY line runs past 400), with how many were left out before and after: one report
 * line stays readable in a terminal or a CI log.
 */
import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/render/roles.js';
import { mismatchSpans } from '../../src/transcript/report.js';

const plain = (lines: Span[][]) => lines.map((spans) => spans.map((s) => s.text).join(''));

describe('mismatchSpans', () => {
  it('shows a short received line whole, with the caret under where it parts', () => {
    const [, , received, caret] = plain(mismatchSpans('t.txt', { line: null, expected: 'S: a1 OK done', received: 'S: a1 NO done', reason: 'differs', at: 3 }));
    expect(received).toBe('    + S: a1 NO done   (server)');
    expect(caret?.indexOf('^')).toBe(received?.indexOf('NO'));
  });

  it('cuts a long line around where it parts, saying how much is left out on each side', () => {
    const long = `C: a1 LOGIN ${'x'.repeat(30_000)}Y${'z'.repeat(30_000)}`;
    const at = long.indexOf('Y') - 2;
    const [, , received, caret] = plain(mismatchSpans('t.txt', { line: null, expected: 'C: a1 LOGIN joe', received: long, reason: 'differs', at }, 'client'));
    expect(received?.length).toBeLessThan(1100);
    expect(received).toMatch(/^ {4}\+ \(\d+ characters\) …x+Yz+… \(\d+ more characters\) {3}\(client\)$/);
    const [before, after] = [...(received as string).matchAll(/\((\d+) (?:more )?characters\)/g)].map((m) => Number(m[1]));
    expect((before as number) + 1000 + (after as number)).toBe(long.length);
    // The caret still points at the octet where the lines part.
    expect(received?.[caret?.indexOf('^') as number]).toBe('Y');
  });

  it('cuts a long line with no known place at its start, and never between the halves of a character', () => {
    // 9 characters, then pairs: the 1,000th character is the first half of one.
    const long = `S: * OK x${'😀'.repeat(1000)}`;
    const [, received] = plain(mismatchSpans('t.txt', { line: null, expected: null, received: long, reason: 'extra' }));
    expect(received).toMatch(/^ {4}\+ S: \* OK x(?:😀){495}… \(505 more characters\) {3}\(server\)$/u);
    expect(received).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
