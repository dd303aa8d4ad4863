/**
 * The shell on a pseudo-terminal that says it has no size: script(1) run where there is no terminal
 * (a CI job, a cron script) gives its pty 0 columns and 0 rows. Completion lists and hints must still
 * move the cursor by real numbers: a width of 0 once made "ESC[InfinityA" of a cursor movement.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));

describe('the shell on a terminal of no size', () => {
  it('lists completions and ends with Ctrl-D, writing no "Infinity" or "NaN"', async () => {
    // script(1) with its standard input a pipe: the pty it makes has 0 columns.
    const child = spawn('script', ['-qec', `${process.execPath} ${BIN} demo`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'mailwire-no-size-')), TERM: 'xterm' } });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    const seen = () => Buffer.concat(out).toString('utf8');
    const waitFor = async (pattern: RegExp, what: string) => {
      const deadline = Date.now() + 15_000;
      while (!pattern.test(seen())) {
        if (Date.now() > deadline) throw new Error(`never showed ${what}:\n${seen()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const ended = new Promise<number | null>((resolve) => child.on('close', resolve));
    await waitFor(/A001(\x1b\[[0-9;]*m)*> /, 'the prompt');
    // Tab twice on an empty line lists every command; then a word's completions.
    for (const keys of ['\t', '\t', 'S', '\t', '\t']) {
      child.stdin.write(keys);
      await new Promise((r) => setTimeout(r, 150));
    }
    await waitFor(/SELECT/, 'the completions');
    child.stdin.write('\x15\x04');
    expect(await ended).toBe(0);
    expect(seen()).not.toMatch(/Infinity|NaN/);
  });
});
