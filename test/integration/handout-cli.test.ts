/**
 * `mailwire handout`: the command line around the page builder. It writes the page where -o says,
 * picks the language as the rest of mailwire does, and turns every mistake (no -o, a file that cannot
 * be read or is no transcript, a page that cannot be written) into one line and a documented exit code.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBinary, runMain } from '../support/cli.js';

const SEED = fileURLToPath(new URL('../../transcripts/seed/', import.meta.url));
const APOP = join(SEED, 'pop3-apop-session.txt');
const work = mkdtempSync(join(tmpdir(), 'mailwire-handout-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('mailwire handout', () => {
  it('writes one page for a folder of transcripts, a section each, and says so', async () => {
    const out = join(work, 'lecture.html');
    const r = await runMain(['handout', SEED, '-o', out, '--lang', 'en']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`11 transcripts -> ${out}\n`);
    const page = readFileSync(out, 'utf8');
    expect(page.match(/<section class="session"/g)).toHaveLength(11);
    expect(page).toContain('<html lang="en">');
  });

  it('takes the language from LC_ALL, LC_MESSAGES, LANG when --lang is not given', async () => {
    const lang = async (vars: Record<string, string>) => {
      const r = await runMain(['handout', APOP, '-o', '-'], { vars });
      expect(r.code).toBe(0);
      return /<html lang="(\w+)">/.exec(r.stdout)?.[1];
    };
    expect(await lang({ LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(await lang({ LANG: 'ru_RU.UTF-8', LC_ALL: 'C' })).toBe('en');
    expect(await lang({ LC_MESSAGES: 'ru_RU.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ru');
    expect(await lang({})).toBe('en');
  });

  it('says what it wrote in the page\'s language', async () => {
    const out = join(work, 'lecture-ru.html');
    const r = await runMain(['handout', SEED, '-o', out, '--lang', 'ru']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`11 записей сеансов → ${out}\n`);
    expect(readFileSync(out, 'utf8')).toContain('<span class="severity">ошибка</span> <span class="rule">[apop]</span> дайджест APOP не равен MD5(');
  });

  it('without -o is a usage error (2)', async () => {
    const r = await runMain(['handout', APOP]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mailwire handout: where should the page go? give -o FILE (or -o - for standard output) (see mailwire handout --help)\n');
  });

  it('refuses to write the page over one of its transcripts (2)', async () => {
    const copy = join(work, 'copy.txt');
    writeFileSync(copy, readFileSync(APOP));
    const r = await runMain(['handout', copy, '-o', copy]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^mailwire handout: -o .*copy\.txt is one of the transcripts: it would be overwritten/);
    expect(readFileSync(copy)).toEqual(readFileSync(APOP));
  });

  it('a transcript that cannot be read, or is none, is an input error (9), in one line', async () => {
    const missing = await runMain(['handout', join(work, 'nope.txt'), '-o', join(work, 'x.html')]);
    expect(missing.code).toBe(9);
    expect(missing.stderr).toBe(`mailwire: cannot read ${join(work, 'nope.txt')}: no such file or folder\n`);
    const prose = join(work, 'prose.txt');
    writeFileSync(prose, 'Dear class,\nplease read RFC 3501.\n');
    const none = await runMain(['handout', prose, '-o', join(work, 'x.html')]);
    expect(none.code).toBe(9);
    expect(none.stderr).toMatch(/^mailwire: .*prose\.txt: no transcript: not one "C:" or "S:" line\n$/);
  });

  it('a page that cannot be written is an input error (9), in one line', async () => {
    const intoMissingFolder = await runMain(['handout', APOP, '-o', join(work, 'no-such-folder', 'x.html')]);
    expect(intoMissingFolder.code).toBe(9);
    expect(intoMissingFolder.stderr).toMatch(/^mailwire: cannot write .*no-such-folder\/x\.html: no such file or folder\n$/);
    const folder = join(work, 'a-folder');
    mkdirSync(folder);
    const ontoFolder = await runMain(['handout', APOP, '-o', folder]);
    expect(ontoFolder.code).toBe(9);
    expect(ontoFolder.stderr).toMatch(/^mailwire: cannot write .*a-folder: it is a folder\n$/);
  });

  it('the installed command exits with the same codes', async () => {
    const ok = await runBinary(['handout', APOP, '-o', join(work, 'bin.html'), '--lang', 'ru'], { timeoutMs: 60_000 });
    expect(ok.code, ok.stderr).toBe(0);
    expect(readFileSync(join(work, 'bin.html'), 'utf8')).toContain('Как читать записи сеансов');
    const bad = await runBinary(['handout', APOP], { timeoutMs: 60_000 });
    expect(bad.code).toBe(2);
  });
});
