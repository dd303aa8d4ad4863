/**
 * What a plain session loads, counted rather than timed: the built command runs against Dovecot with
 * a preload that logs every file it loads (test/support/module-log/). Start-up cost is mostly
 * loading modules, so what a session does not use must not be loaded: the option parser (commander
 * and node:child_process under it) for a plain command line of a session or a replay, the parsers of the decoded views for
 * responses that have none, the POP3 session for IMAP, COMPRESS's deflate link (and node:zlib) for a
 * session that does not compress. Each case also runs a session that does load them, so a broken log
 * cannot pass for a lean start; and that one shows the built command's lazy loading at work.
 * The command loads the bundle of dist/bundle/ (scripts/bundle.mjs), whose chunks.json says which of
 * our modules each of its files holds: a file loaded stands for those modules, all of which it runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeDovecot } from '../support/dovecot.js';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../support/module-log/register.mjs', import.meta.url));

/** Runs the built command with the module log; its exit code, output and the modules it loaded. */
function loadedModules(argv: string[], stdin = '', vars: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string; modules: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), 'mailwire-modules-')), 'modules.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...argv], {
      env: { PATH: process.env.PATH, MAILWIRE_MODULE_LOG: log, ...vars },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter((m) => m !== ''))];
      resolve({ code, stdout, stderr, modules });
    });
    child.stdin.end(stdin);
  });
}

/** What scripts/bundle.mjs says of each file of the bundle: the modules it holds, the files it imports. */
const CHUNKS = JSON.parse(readFileSync(new URL('../../dist/bundle/chunks.json', import.meta.url), 'utf8')) as Record<string, { modules: string[]; imports: string[] }>;

/**
 * Our own modules among them, as paths under dist/ (`session/runner.js`): those each loaded file of the
 * bundle holds, and those of the files it imports, which are loaded and run with it (the bundle is
 * CommonJS, so require()'s cache lists them too; counting them from chunks.json keeps the result from
 * hanging on how the log sees them). A module of dist/ loaded outside the bundle counts as itself.
 */
function own(modules: string[]): string[] {
  const found: string[] = [];
  const pending: string[] = [];
  for (const m of modules) {
    if (m.includes('/dist/bundle/')) pending.push(m.slice(m.indexOf('/dist/bundle/') + '/dist/bundle/'.length));
    else if (m.includes('/dist/')) found.push(m.slice(m.indexOf('/dist/') + '/dist/'.length));
  }
  const seen = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    const chunk = CHUNKS[file];
    if (chunk === undefined) throw new Error(`dist/bundle/${file} is not in dist/bundle/chunks.json`);
    found.push(...chunk.modules);
    pending.push(...chunk.imports);
  }
  return found;
}
const commanderIn = (modules: string[]) => modules.some((m) => m.includes('/node_modules/commander/'));

/** The decoded views and their parsers (ENVELOPE, BODYSTRUCTURE, values, MIME words, modified UTF-7). */
const DECODING = ['protocol/imap/decoded-views.js', 'protocol/imap/values.js', 'protocol/imap/envelope.js', 'protocol/imap/bodystructure.js', 'protocol/mime/encoded-words.js', 'protocol/imap/mutf7.js'];

/** What only a POP3 session, or only COMPRESS=DEFLATE (RFC 4978), needs. */
const POP3_SESSION = 'session/pop3-session.js';
const DEFLATE = ['transport/deflate-link.js', 'transport/deflate-output.js', 'transport/inflate-input.js'];
const zlibIn = (modules: string[]) => modules.includes('builtin:zlib') || modules.includes('node:zlib');
/** What only TLS needs: the client, and the reading of the certificates the server sends. */
const TLS_CLIENT = ['transport/tls-client.js', 'transport/handshake-watch.js', 'protocol/tls/sent-chain-reader.js', 'protocol/tls/tls13-record-protection.js'];
const tlsIn = (modules: string[]) => modules.some((m) => ['builtin:tls', 'node:tls', 'builtin:crypto', 'node:crypto'].includes(m));

/** The Russian words of a session's own lines, of TLS details and of replay's reasons. */
const RUSSIAN = ['protocol/explain/catalogues/notices-ru.js', 'render/session-words-ru.js', 'protocol/explain/catalogues/tls-ru.js', 'protocol/explain/catalogues/replay-ru.js', 'transcript/replay-words-ru.js'];

const MESSAGE = ['From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.org>', 'To: joe@example.org', 'Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5n?=', '', 'Hallo.', ''].join('\r\n');

describeDovecot('the modules a plain session loads', (dovecot) => {
  it('an IMAP session from a plain command line loads no commander and no node:child_process', async () => {
    const run = await loadedModules([`imap://127.0.0.1:${dovecot().imapPort}`, '--timeout', '20'], 'a1 NOOP\r\na2 LOGOUT\r\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('S: a2 OK');
    expect(commanderIn(run.modules)).toBe(false);
    expect(run.modules).not.toContain('builtin:child_process');
    // Latencies are timed with process.hrtime: the global performance loads node:perf_hooks (about 1 ms).
    expect(run.modules).not.toContain('builtin:perf_hooks');
    // node:fs/promises only for a {file:PATH} literal (about 1 ms).
    expect(run.modules).not.toContain('builtin:fs/promises');
    expect(own(run.modules)).not.toContain('cli/options.js');
    expect(own(run.modules).filter((m) => DECODING.includes(m))).toEqual([]);
    expect(own(run.modules)).not.toContain(POP3_SESSION);
    expect(own(run.modules).filter((m) => DEFLATE.includes(m))).toEqual([]);
    expect(zlibIn(run.modules)).toBe(false);
    // node:tls, node:crypto and the TLS client (with the reader of the sent chain) only for TLS.
    expect(own(run.modules).filter((m) => TLS_CLIENT.includes(m))).toEqual([]);
    expect(tlsIn(run.modules)).toBe(false);
    // The word catalogues (over 100 KB of text) only for explanations, the shell and other languages.
    const catalogues = ['protocol/explain/words.js', 'protocol/explain/catalogues/en.js', 'protocol/explain/catalogues/ru.js', 'protocol/explain/catalogues/lint-en.js', 'protocol/explain/catalogues/lint-ru.js'];
    expect(own(run.modules).filter((m) => catalogues.includes(m))).toEqual([]);
    // Nor the Russian words of the session's own lines, of TLS or of replay: only a run in Russian loads them.
    expect(own(run.modules).filter((m) => RUSSIAN.includes(m))).toEqual([]);
    // The log does see what a session loads.
    expect(own(run.modules)).toContain('session/runner.js');
    expect(run.modules).toContain('builtin:net');
  });

  it('a session in Russian loads the Russian words of its own lines, and no more: not the catalogues of the explanations', async () => {
    const run = await loadedModules([`imap://127.0.0.1:${dovecot().imapPort}`, '--timeout', '20', '--lang', 'ru'], 'a1 NOOP\r\na2 LOGOUT\r\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# установлено соединение с imap:\/\//m);
    expect(own(run.modules)).toContain('protocol/explain/catalogues/notices-ru.js');
    expect(own(run.modules)).toContain('render/session-words-ru.js');
    expect(own(run.modules)).not.toContain('protocol/explain/catalogues/replay-ru.js');
    expect(own(run.modules).filter((m) => ['protocol/explain/words.js', 'protocol/explain/catalogues/en.js', 'protocol/explain/catalogues/ru.js'].includes(m))).toEqual([]);
    expect(commanderIn(run.modules)).toBe(false);
  });

  it('a session over implicit TLS that shows the chain loads the TLS client and the reader of the sent chain, and works', async () => {
    const run = await loadedModules([`imaps://127.0.0.1:${dovecot().imapsPort}`, '--ca', dovecot().caFile, '--show-certs', '--timeout', '20'], 'a1 LOGOUT\r\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('#   the server sent 1 certificate:');
    expect(own(run.modules).filter((m) => TLS_CLIENT.includes(m)).sort()).toEqual([...TLS_CLIENT].sort());
    expect(tlsIn(run.modules)).toBe(true);
  });

  it('help, and a command line only commander can read, load commander', async () => {
    const help = await loadedModules(['--help']);
    expect(help.code).toBe(0);
    expect(commanderIn(help.modules)).toBe(true);
    const unusual = await loadedModules([`--timeout=20`, `imap://127.0.0.1:${dovecot().imapPort}`], 'a1 LOGOUT\r\n');
    expect(unusual.code).toBe(0);
    expect(unusual.stdout).toContain('S: a1 OK');
    expect(commanderIn(unusual.modules)).toBe(true);
  });

  it('a session that fetches BODY[] loads no decoded view; one that fetches an ENVELOPE to decode loads them, and shows it', async () => {
    dovecot().deliver('joe', MESSAGE);
    const vars = { MAILWIRE_PASSWORD: dovecot().users.joe.password };
    const imap = `imap://127.0.0.1:${dovecot().imapPort}`;
    const body = await loadedModules([imap, '-c', 'LOGIN joe', '-c', 'EXAMINE INBOX', '-c', 'FETCH 1 (FLAGS BODY.PEEK[])', '-c', 'LOGOUT'], '', vars);
    expect(body.code).toBe(0);
    expect(body.stdout).toContain('Subject: =?UTF-8?B?w5xiZXJ3ZWlzdW5n?=');
    expect(own(body.modules).filter((m) => DECODING.includes(m))).toEqual([]);
    const envelope = await loadedModules([imap, '-c', 'LOGIN joe', '-c', 'EXAMINE INBOX', '-c', 'FETCH 1 ENVELOPE', '-c', 'LOGOUT'], '', vars);
    expect(envelope.code).toBe(0);
    expect(envelope.stdout).toMatch(/#   subject: Überweisung\n/);
    // Loaded by require(): the log sees the bundle's decoded-views.js in require's cache.
    expect(own(envelope.modules)).toContain('protocol/imap/decoded-views.js');
    // Loading the views by require() prints nothing on stderr.
    expect(envelope.stderr).toBe('');
  });

  it('a replay from a plain command line loads no commander either', async () => {
    const imap = `imap://127.0.0.1:${dovecot().imapPort}`;
    const file = join(mkdtempSync(join(tmpdir(), 'mailwire-modules-')), 'noop.txt');
    const recorded = await loadedModules([imap, '-c', 'NOOP', '-c', 'LOGOUT', '--record', file]);
    expect(recorded.code).toBe(0);
    const replay = await loadedModules(['replay', file, '--target', imap, '--timeout', '20']);
    expect(replay.stdout).toMatch(/^PASS /);
    expect(replay.code).toBe(0);
    expect(commanderIn(replay.modules)).toBe(false);
    expect(own(replay.modules)).toContain('transcript/replay.js');
    expect(own(replay.modules).filter((m) => RUSSIAN.includes(m))).toEqual([]);
    expect(own(replay.modules)).not.toContain(POP3_SESSION);
    expect(own(replay.modules).filter((m) => DEFLATE.includes(m))).toEqual([]);
    expect(zlibIn(replay.modules)).toBe(false);
    const help = await loadedModules(['replay', '--help']);
    expect(help.code).toBe(0);
    expect(commanderIn(help.modules)).toBe(true);
  });

  it('a POP3 session loads the POP3 session, and a session that compresses loads the deflate link and zlib, and works', async () => {
    const pop3 = await loadedModules([`pop3://127.0.0.1:${dovecot().pop3Port}`, '--timeout', '20'], 'CAPA\r\nQUIT\r\n');
    expect(pop3.code).toBe(0);
    expect(pop3.stdout).toMatch(/S: \+OK/);
    expect(own(pop3.modules)).toContain(POP3_SESSION);
    expect(zlibIn(pop3.modules)).toBe(false);
    const vars = { MAILWIRE_PASSWORD: dovecot().users.joe.password };
    const imap = `imap://127.0.0.1:${dovecot().imapPort}`;
    const compressed = await loadedModules([imap, '-c', 'LOGIN joe', '-c', 'COMPRESS DEFLATE', '-c', 'SELECT INBOX', '-c', 'LOGOUT'], '', vars);
    expect(compressed.code).toBe(0);
    expect(compressed.stdout).toMatch(/# COMPRESS: DEFLATE in force both ways/);
    expect(compressed.stdout).toMatch(/S: A003 OK \[READ-WRITE\]/);
    expect(compressed.stdout).toMatch(/S: A004 OK Logout completed/);
    // Loaded by require(): the log sees the bundle's deflate-link.js in require's cache, and zlib under it.
    expect(own(compressed.modules)).toContain('transport/deflate-link.js');
    expect(zlibIn(compressed.modules)).toBe(true);
    expect(own(compressed.modules)).not.toContain(POP3_SESSION);
    expect(compressed.stderr).toBe('');
  });
});

/**
 * Node.js's own modules loaded by the built command, with stdin read from a file: process.stdin is
 * then a file stream, which loads node's fs streams when it is made. From process.moduleLoadList,
 * which sees built-in modules that no require() of ours loads.
 */
function builtinsWithFileStdin(argv: string[], stdin: string): { status: number | null; stdout: string; builtins: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'mailwire-modules-'));
  const input = join(dir, 'stdin.txt');
  writeFileSync(input, stdin);
  const fd = openSync(input, 'r');
  const preload = `data:text/javascript,process.on("exit",()=>process.stderr.write("\\n"+process.moduleLoadList.join("\\n")))`;
  try {
    const run = spawnSync(process.execPath, ['--import', preload, BIN, ...argv], { stdio: [fd, 'pipe', 'pipe'], env: { PATH: process.env.PATH }, encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, builtins: run.stderr.split('\n') };
  } finally {
    closeSync(fd);
  }
}

describeDovecot('what a run that never reads stdin leaves unmade', (dovecot) => {
  it('mailwire --version makes no stdin stream; a session reading its commands from stdin does', () => {
    const version = builtinsWithFileStdin(['--version'], 'a1 LOGOUT\r\n');
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(version.builtins).not.toContain('NativeModule internal/fs/streams');
    const session = builtinsWithFileStdin([`imap://127.0.0.1:${dovecot().imapPort}`, '--timeout', '20'], 'a1 LOGOUT\r\n');
    expect(session.status).toBe(0);
    expect(session.stdout).toContain('S: a1 OK');
    expect(session.builtins).toContain('NativeModule internal/fs/streams');
  });
});
