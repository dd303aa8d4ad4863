/**
 * ReadHolds: a leg paused for several reasons reads again only when the last one ends.
 */
import { describe, expect, it } from 'vitest';
import { ReadHolds } from '../../src/proxy/read-holds.js';

describe('ReadHolds', () => {
  it('pauses on the first reason, resumes after the last, and ignores repeats and unknown releases', () => {
    const calls: string[] = [];
    const holds = new ReadHolds(() => calls.push('pause'), () => calls.push('resume'));
    holds.hold('peer-output');
    holds.hold('view-output');
    holds.hold('peer-output');
    holds.release('peer-output');
    expect(calls).toEqual(['pause']);
    expect(holds.holds('view-output')).toBe(true);
    holds.release('view-output');
    holds.release('view-output');
    expect(calls).toEqual(['pause', 'resume']);
    holds.release('peer-output');
    holds.hold('view-output');
    expect(calls).toEqual(['pause', 'resume', 'pause']);
  });
});
