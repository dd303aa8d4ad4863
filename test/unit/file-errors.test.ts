/** The reasons of failed file operations, in words (file-errors.ts). */
import { mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileErrorText } from '../../src/file-errors.js';

/** The error a file operation throws. */
function thrown(operation: () => unknown): unknown {
  try {
    operation();
  } catch (error) {
    return error;
  }
  throw new Error('the operation did not fail');
}

describe('fileErrorText', () => {
  it('says in words what the system\'s codes mean, for errors the system really gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-file-errors-'));
    expect(fileErrorText(thrown(() => readFileSync(join(dir, 'nope'))))).toBe('no such file or folder');
    expect(fileErrorText(thrown(() => readFileSync(dir)))).toBe('it is a folder');
    expect(fileErrorText(thrown(() => readFileSync(join(dir, 'nope', 'x'))))).toBe('no such file or folder');
    const full = openSync('/dev/full', 'w');
    expect(fileErrorText(thrown(() => writeSync(full, 'x')))).toBe('no space left on the device');
  });

  it('leaves an unknown code to Node.js\'s words, and a non-error as text', () => {
    const odd = Object.assign(new Error('something odd'), { code: 'EWHATEVER' });
    expect(fileErrorText(odd)).toBe('something odd');
    expect(fileErrorText('plain')).toBe('plain');
    expect(fileErrorText(null)).toBe('null');
  });
});
