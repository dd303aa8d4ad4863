import { describe, expect, it } from 'vitest';
import type { Span } from '../../src/render/roles.js';
import { makeStyler } from '../../src/render/theme.js';

const spans: Span[] = [
  { role: 'tag', text: 'a002' },
  { role: 'text', text: ' ' },
  { role: 'status-ok', text: 'OK' },
  { role: 'text', text: ' ' },
  { role: 'response-code', text: '[READ-WRITE]' },
  { role: 'text', text: ' SELECT completed' },
];

describe('makeStyler', () => {
  it('gives plain text at level 0', () => {
    expect(makeStyler(0)(spans)).toBe('a002 OK [READ-WRITE] SELECT completed');
  });

  it('colors styled spans at levels 1-3 and leaves plain text alone', () => {
    for (const level of [1, 2, 3] as const) {
      const out = makeStyler(level)(spans);
      expect(out).toContain('\x1b[');
      expect(out.replace(/\x1b\[[0-9;]*m/g, '')).toBe('a002 OK [READ-WRITE] SELECT completed');
      expect(out).toContain(' SELECT completed');
    }
  });

  it('uses the 16 basic colors at level 1', () => {
    const out = makeStyler(1)([{ role: 'status-ok', text: 'OK' }]);
    expect(out).toMatch(/\x1b\[32m/);
    expect(out).not.toMatch(/\x1b\[38;/);
  });
});
