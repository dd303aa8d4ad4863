import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { colorLevelFor } from '../../src/cli/colors.js';
import { VERSION } from '../../src/cli/version.js';

describe('colorLevelFor', () => {
  const tty = { noColorFlag: false, stdoutIsTTY: true };
  const pipe = { noColorFlag: false, stdoutIsTTY: false };

  it('colors a terminal and not a pipe', () => {
    expect(colorLevelFor({ ...tty, vars: {} })).toBe(1);
    expect(colorLevelFor({ ...pipe, vars: {} })).toBe(0);
  });

  it('honours --no-color over everything', () => {
    expect(colorLevelFor({ ...tty, noColorFlag: true, vars: { FORCE_COLOR: '3' } })).toBe(0);
  });

  it('honours NO_COLOR (any non-empty value) on a terminal', () => {
    expect(colorLevelFor({ ...tty, vars: { NO_COLOR: '1' } })).toBe(0);
    expect(colorLevelFor({ ...tty, vars: { NO_COLOR: '' } })).toBe(1);
  });

  it('honours FORCE_COLOR on a pipe, with its levels', () => {
    expect(colorLevelFor({ ...pipe, vars: { FORCE_COLOR: '' } })).toBe(1);
    expect(colorLevelFor({ ...pipe, vars: { FORCE_COLOR: '1' } })).toBe(1);
    expect(colorLevelFor({ ...pipe, vars: { FORCE_COLOR: '2' } })).toBe(2);
    expect(colorLevelFor({ ...pipe, vars: { FORCE_COLOR: '3' } })).toBe(3);
    expect(colorLevelFor({ ...tty, vars: { FORCE_COLOR: '0' } })).toBe(0);
    expect(colorLevelFor({ ...tty, vars: { FORCE_COLOR: 'false' } })).toBe(0);
  });

  it('reads the terminal depth from TERM and COLORTERM', () => {
    expect(colorLevelFor({ ...tty, vars: { TERM: 'xterm-256color' } })).toBe(2);
    expect(colorLevelFor({ ...tty, vars: { COLORTERM: 'truecolor' } })).toBe(3);
    expect(colorLevelFor({ ...tty, vars: { TERM: 'dumb' } })).toBe(0);
  });
});

describe('version', () => {
  it('is the one in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(VERSION).toBe(pkg.version);
  });
});
