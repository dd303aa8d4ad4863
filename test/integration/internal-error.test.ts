/**
 * A bug in the built command: one line on stderr and exit code 1, escaped like every other error;
 * with MAILWIRE_DEBUG set, the stack follows, escaped too, and names the TypeScript sources
 * (bin/mailwire.js turns on the bundle's source maps). The bug is made by a preload that throws from
 * the first write to standard output, inside main() or from the event loop after it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/cli/exit-codes.js';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../support/internal-error/throw-on-write.mjs', import.meta.url));
const MAIN_SOURCE = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

function runWithBug(when: 'now' | 'later', debug: boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, '--version'], {
      env: { PATH: process.env.PATH, THROW_ON_WRITE: when, ...(debug ? { MAILWIRE_DEBUG: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('latin1')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('latin1')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** C0 and C1 controls but the line feed, and DEL: none may reach the terminal. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

/** The line of src/cli/main.ts that writes the version: where the preload's error is thrown from. */
function versionWriteLine(): number {
  return readFileSync(MAIN_SOURCE, 'utf8').split('\n').findIndex((line) => line.includes('env.stdout.write(`${VERSION}\\n`)')) + 1;
}

describe('an internal error (a bug)', () => {
  it('inside main(): one line, escaped, exit code 1', async () => {
    const r = await runWithBug('now', false);
    expect(r.code).toBe(ExitCode.Internal);
    expect(r.stderr).toBe('mailwire: internal error: boom \\x1b[31mred\\x1b]0;title\\x07 (set MAILWIRE_DEBUG=1 for details)\n');
  });

  it('inside main(), with MAILWIRE_DEBUG: the stack, escaped, naming the TypeScript sources', async () => {
    const r = await runWithBug('now', true);
    expect(r.code).toBe(ExitCode.Internal);
    expect(r.stderr).not.toMatch(CONTROL);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('mailwire: internal error: boom \\x1b[31mred\\x1b]0;title\\x07');
    expect(lines[1]).toBe('TypeError: boom \\x1b[31mred\\x1b]0;title\\x07');
    expect(versionWriteLine()).toBeGreaterThan(0);
    expect(r.stderr).toContain(`at main (${MAIN_SOURCE}:${versionWriteLine()}:`);
    expect(r.stderr).not.toContain('dist/bundle/');
  });

  it('from the event loop, past main(): one line, escaped, exit code 1', async () => {
    const r = await runWithBug('later', false);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.code).toBe(ExitCode.Internal);
    expect(r.stderr).toBe('mailwire: internal error: late \\x1b[2J\\u{9b}0m (set MAILWIRE_DEBUG=1 for details)\n');
  });

  it('from the event loop, with MAILWIRE_DEBUG: the stack, escaped', async () => {
    const r = await runWithBug('later', true);
    expect(r.code).toBe(ExitCode.Internal);
    expect(r.stderr).not.toMatch(CONTROL);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual(['mailwire: internal error: late \\x1b[2J\\u{9b}0m', 'RangeError: late \\x1b[2J\\u{9b}0m']);
    expect(r.stderr).toContain(PRELOAD);
  });
});
