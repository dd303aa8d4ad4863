/**
 * Transcript files are untrusted input: a colleague's, a bug report's, a repository's. For each case
 * that once broke, replay and lint answer with a finding or a documented exit code, never an internal
 * error, and do work bounded by the file's size.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { lintTranscript } from '../../src/transcript/lint.js';
import { runMain } from '../support/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mailwire-transcripts-'));

function file(name: string, content: string | Buffer): string {
  const path = join(tmp(), name);
  writeFileSync(path, content);
  return path;
}

describe('lint never fails inside', () => {
  it('a UID FETCH of 500 UIDs (and 5,000) is checked, no error', () => {
    for (const n of [500, 5000]) {
      const uids = Array.from({ length: n }, (_, i) => i * 2 + 1).join(',');
      const findings = lintTranscript(parseTranscript(`# protocol: imap\nC: a1 UID FETCH ${uids} (FLAGS)\nS: a1 OK done\n`));
      expect(findings).toEqual([]);
    }
    const bad = lintTranscript(parseTranscript(`# protocol: imap\nC: a1 UID FETCH 1,2,,3 (FLAGS)\nS: a1 OK done\n`));
    expect(bad.map((f) => `${f.lineNo}:${f.severity}:${f.rule}`)).toEqual(['2:error:grammar']);
  });

  it('commands and responses nested thousands deep: a note that the line was not checked', async () => {
    const path = file(
      'deep.txt',
      [
        '# protocol: imap',
        `C: a1 SEARCH ${'NOT '.repeat(5000)}ALL`,
        'S: a1 OK done',
        `C: a2 SEARCH ${'('.repeat(5000)}ALL${')'.repeat(5000)}`,
        `S: * STATUS x (${'('.repeat(5000)})`,
        'S: a2 OK done',
        '',
      ].join('\n'),
    );
    const r = await runMain(['lint', path]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`${path}:2: note [grammar] not checked against the formal syntax: nested more than 400 rules deep`);
    expect(r.stdout).toContain(`${path}:4: note [grammar] not checked against the formal syntax: nested more than 400 rules deep`);
    expect(r.stdout).toMatch(new RegExp(`${path.replace(/[.]/g, '\\.')}:5: (error|note) \\[grammar\\]`));
  });
});

describe('replay of what is no transcript', () => {
  it.each([
    ['an empty file', ''],
    ['a plain text', 'Dear colleague,\nplease find the session below.\n\nRegards\n'],
    ['random bytes', randomBytes(64 * 1024)],
    ['comments only', '# mailwire transcript v1\n# protocol: imap\n# target: imap://127.0.0.1:1\n'],
  ])('%s: an invalid transcript (exit 9), not a pass', async (_name, content) => {
    const path = file('t.txt', content);
    const r = await runMain(['replay', path, '--target', 'imap://127.0.0.1:1']);
    expect(r.code).toBe(9);
    expect(r.stdout).toContain(`${path} is not a transcript: it has no "C:" or "S:" line`);
    expect(r.stdout).toMatch(/0 passed, 1 failed \(1 could not run\)\n$/);
  });
});
