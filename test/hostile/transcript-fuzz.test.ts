/**
 * A bounded fuzzing pass over what reads transcript files: the parser, lint, and replay against the
 * built-in sandbox. Inputs are the shipped transcripts, mutated the way a hostile or broken file is
 * (lines dropped, doubled, swapped between client and server, huge literal counts, nesting thousands
 * deep, control bytes, long runs of blanks), and random text. A fixed seed and a fixed number of runs
 * keep it to some tens of seconds and make a failure reproducible. What must hold: the parser throws
 * nothing but its format error, lint returns findings, replay ends with a documented exit code and
 * never an internal error.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox/sandbox-server.js';
import { parseTranscript, TranscriptFormatError, type Transcript } from '../../src/transcript/format.js';
import { lintTranscript } from '../../src/transcript/lint.js';
import { runMain } from '../support/cli.js';
import { exampleSeed, plainLoopbackListeners } from '../support/sandbox-harness.js';

const SHIPPED = fileURLToPath(new URL('../../transcripts/', import.meta.url));

function shippedTranscripts(dir = SHIPPED): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...shippedTranscripts(path));
    else if (name.endsWith('.txt')) out.push(readFileSync(path, 'utf8'));
  }
  return out;
}

const SOURCES = shippedTranscripts();

/** What a hostile file puts into a line. */
const hostilePiece = fc.oneof(
  fc.constantFrom('{4000000000}', '{99999999999999999999}', '~{4000000000}', '{4000000000+}', '<secret>', '$', '$x', '$$', '\\x1b]0;t\\x07', '\u202e', '\r', '\t'),
  fc.integer({ min: 500, max: 5000 }).map((n) => '('.repeat(n)),
  fc.integer({ min: 500, max: 5000 }).map((n) => 'NOT '.repeat(n)),
  fc.integer({ min: 1000, max: 50_000 }).map((n) => ' '.repeat(n) + 'x'),
  fc.integer({ min: 100, max: 3000 }).map((n) => Array.from({ length: n }, (_, i) => i + 1).join(',')),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

type Mutation = (lines: string[]) => string[];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((i) => (ls: string[]) => ls.filter((_, j) => j !== i % Math.max(ls.length, 1))),
  fc.nat().map((i) => (ls: string[]) => ls.flatMap((l, j) => (j === i % Math.max(ls.length, 1) ? [l, l] : [l]))),
  fc.nat().map((i) => (ls: string[]) => ls.map((l, j) => (j === i % Math.max(ls.length, 1) ? l.replace(/^([CS]):/, (_, d: string) => `${d === 'C' ? 'S' : 'C'}:`) : l))),
  fc.tuple(fc.nat(), fc.nat(), hostilePiece).map(([i, at, piece]) => (ls: string[]) =>
    ls.map((l, j) => (j === i % Math.max(ls.length, 1) ? l.slice(0, at % (l.length + 1)) + piece + l.slice(at % (l.length + 1)) : l)),
  ),
  fc.tuple(fc.nat(), fc.constantFrom('C', 'S'), hostilePiece).map(([i, d, piece]) => (ls: string[]) => [...ls.slice(0, i % (ls.length + 1)), `${d}: ${piece}`, ...ls.slice(i % (ls.length + 1))]),
  fc.nat().map((i) => (ls: string[]) => ls.slice(0, i % (ls.length + 1))),
);

const hostileTranscript: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...SOURCES), fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([text, ms]) => ms.reduce((ls, m) => m(ls), text.split('\n')).join('\n')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2000 }) },
  { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom('C: ', 'S: ', 'S?: ', 'S!: ', '# match: ', '# secret: ', ''), fc.string({ maxLength: 80 })).map(([p, t]) => p + t), { maxLength: 30 }).map((ls) => ls.join('\n')) },
);

/** Parses as mailwire does, or null for a file it refuses as a whole (a documented error). */
function parsed(text: string): Transcript | null {
  try {
    return parseTranscript(text);
  } catch (error) {
    if (error instanceof TranscriptFormatError) return null;
    throw error;
  }
}

describe('fuzzing the transcript readers (fixed seed, bounded runs)', () => {
  it('parse and lint: only the format error, never anything else', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(hostileTranscript, (text) => {
        const t = parsed(text);
        if (t === null) return;
        for (const f of lintTranscript(t)) {
          expect(['error', 'note']).toContain(f.severity);
          expect(typeof f.message).toBe('string');
        }
        lintTranscript(t, { protocol: t.directives.protocol === 'pop3' ? 'imap' : 'pop3' });
      }),
      { seed: 20261203, numRuns: 250 },
    );
  });

  describe('replay against the sandbox', () => {
    let sandbox: Sandbox;
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-fuzz-'));
    beforeAll(async () => {
      sandbox = await startSandbox({
        listen: plainLoopbackListeners(),
        seed: exampleSeed(),
        version: '0.0.0-test',
      });
    });
    afterAll(async () => {
      await sandbox?.close();
    });

    /** Exit codes replay documents: passed, failed, and the codes of a transcript that could not run. */
    const DOCUMENTED = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10];

    it('ends every replay with a documented exit code, never an internal error', { timeout: 180_000 }, async () => {
      const urls = sandbox.listeners.map((l) => (l as { url: string }).url);
      let n = 0;
      await fc.assert(
        fc.asyncProperty(hostileTranscript, async (text) => {
          const file = join(dir, `t${n++}.txt`);
          writeFileSync(file, text);
          const t = parsed(text);
          const url = t?.directives.protocol === 'pop3' ? urls[1] : urls[0];
          const r = await runMain(['replay', file, '--target', url as string, '--timeout', '2', '--no-color'], { vars: { MAILWIRE_PASSWORD: 'password' } });
          expect(r.stderr).not.toMatch(/internal error/);
          expect(DOCUMENTED).toContain(r.code);
        }),
        { seed: 20261203, numRuns: 40 },
      );
    });
  });
});
