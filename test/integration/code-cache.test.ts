/**
 * The bundle's code caches (bin/code-cache.js, made by scripts/code-cache.mjs at build time). A run
 * must take them: one V8 refuses costs the whole saving and says nothing, so each file's fate is read
 * from the loader itself, through a preload. And a run must never take one that does not belong to
 * its file: V8 checks a cache against the source's length only, so a file edited to the same length
 * would run its old code.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Node.js 22 and later have a compile cache of their own: the command leaves their loader alone. */
const OWN_COMPILE_CACHE = 'enableCompileCache' in nodeModule;
const REPORT = fileURLToPath(new URL('../support/code-cache-report.cjs', import.meta.url));
const OWN_CACHE_PRELOAD = fileURLToPath(new URL('../support/own-compile-cache.cjs', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  /** Each bundle file loaded, by name, and what became of its cache: 'taken', 'rejected' or 'none'. */
  caches: Record<string, string>;
}

/** Runs the command of the package at `root` with the report preload. */
function run(root: string, argv: string[], vars: Record<string, string> = {}, preloads: string[] = []): Run {
  const report = join(mkdtempSync(join(tmpdir(), 'mailwire-cache-')), 'report.json');
  const child = spawnSync(process.execPath, [...preloads.flatMap((p) => ['--require', p]), '--require', REPORT, join(root, 'bin', 'mailwire.js'), ...argv], {
    env: { PATH: process.env.PATH, HOME: tmpdir(), MAILWIRE_CACHE_REPORT: report, ...vars },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 30_000,
  });
  const caches = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Record<string, string>) : {};
  return { status: child.status, stdout: child.stdout, caches };
}

const IMAP_SESSION = ['demo', '-c', 'a1 LOGIN joe password', '-c', 'a2 SELECT INBOX', '-c', 'a3 FETCH 1:* (ENVELOPE BODYSTRUCTURE)', '-c', 'a4 LOGOUT'];
const POP3_SESSION = ['demo', 'pop3', '-c', 'USER mrose', '-c', 'PASS tanstaaf', '-c', 'RETR 1', '-c', 'QUIT'];

/** A copy of the built package (what it ships; node_modules linked) to spoil. */
function packageCopy(): string {
  const root = mkdtempSync(join(tmpdir(), 'mailwire-package-'));
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'dist', 'bundle'), join(root, 'dist', 'bundle'), { recursive: true, preserveTimestamps: true });
  cpSync(join(ROOT, 'sandbox'), join(root, 'sandbox'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

/** The bundle file (its name) whose text holds `text`. */
function fileHolding(root: string, text: string): string {
  const dir = join(root, 'dist', 'bundle');
  const found = readdirSync(dir).filter((name) => name.endsWith('.js') && readFileSync(join(dir, name), 'utf8').includes(text));
  if (found.length !== 1) throw new Error(`${found.length} bundle files hold ${JSON.stringify(text)}`);
  return found[0] as string;
}

describe.skipIf(OWN_COMPILE_CACHE)('the code caches', () => {
  it('are taken, every one, by an IMAP and a POP3 session', () => {
    for (const session of [IMAP_SESSION, POP3_SESSION]) {
      const { status, stdout, caches } = run(ROOT, session);
      expect(status).toBe(0);
      expect(stdout).toContain('OK');
      const names = Object.keys(caches);
      // The entry, the chunk every run loads, the session's and the protocol's: not just any file.
      expect(names).toContain('main.js');
      expect(names.some((name) => name.startsWith('session-'))).toBe(true);
      expect(names).toContain(session.includes('pop3') ? 'pop3-session.js' : 'decoded-views.js');
      expect(Object.entries(caches).filter(([, fate]) => fate !== 'taken')).toEqual([]);
    }
  });

  it('are still taken by a session that reads past the 4 MiB after which V8 gets a flag set', () => {
    // read-garbage.ts sets V8's --expose-gc at that point; the caches were read before it, at load.
    const body = 'x'.repeat(76) + '\r\n';
    const literal = body.repeat(Math.ceil((5 * 1024 * 1024) / body.length));
    const dir = mkdtempSync(join(tmpdir(), 'mailwire-maildir-'));
    writeFileSync(join(dir, 'big.eml'), `Subject: big\r\n\r\n${literal}`);
    const { status, stdout, caches } = run(ROOT, ['demo', '--maildir', dir, '-c', 'a1 LOGIN joe password', '-c', 'a2 SELECT INBOX', '-c', 'a3 FETCH 1 BODY[]', '-c', 'a4 LOGOUT']);
    expect(status).toBe(0);
    expect(stdout.length).toBeGreaterThan(literal.length);
    expect(caches['main.js']).toBe('taken');
    expect(Object.entries(caches).filter(([, fate]) => fate !== 'taken')).toEqual([]);
  });

  it('are not read with MAILWIRE_DEBUG, where Node.js compiles the files to read their source maps', () => {
    const { status, caches } = run(ROOT, ['--version'], { MAILWIRE_DEBUG: '1' });
    expect(status).toBe(0);
    expect(caches).toEqual({});
  });

  it('are not used where Node.js has a compile cache of its own (22 and later), and the run is right', () => {
    const { status, stdout, caches } = run(ROOT, IMAP_SESSION, {}, [OWN_CACHE_PRELOAD]);
    expect(status).toBe(0);
    expect(stdout).toContain('a4 OK');
    expect(caches).toEqual({});
  });

  it('are not taken when they do not belong to the file', () => {
    const root = packageCopy();
    // A file edited to the same length: V8 would take the old cache, and run the old text.
    const help = 'Start the built-in sandbox';
    const edited = fileHolding(root, help);
    const path = join(root, 'dist', 'bundle', edited);
    writeFileSync(path, readFileSync(path, 'utf8').replace(help, 'Start the built-in SANDBOX'));
    const later = new Date(Date.now() + 60_000);
    utimesSync(path, later, later);
    // A cache that is not V8's at all.
    // The session chunk, the one with a cache: session-explainer-*.js may sort before it, by its hash.
    const bundled = readdirSync(join(root, 'dist', 'bundle'));
    const session = bundled.find((name) => /^session-.*\.js$/.test(name) && bundled.includes(`${name}.cache`)) as string;
    writeFileSync(join(root, 'dist', 'bundle', `${session}.cache`), Buffer.alloc(4096, 0x5a));

    const help1 = run(root, ['demo', '--help']);
    expect(help1.status).toBe(0);
    expect(help1.stdout).toContain('Start the built-in SANDBOX');
    expect(help1.caches[edited]).toBe('none');

    const { status, stdout, caches } = run(root, IMAP_SESSION);
    expect(status).toBe(0);
    expect(stdout).toContain('a4 OK');
    expect(caches[session]).toBe('rejected');
    expect(caches['main.js']).toBe('taken');
  });
});
