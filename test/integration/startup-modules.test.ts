/**
 * What a plain session loads, counted rather than timed: the built command runs against Dovecot with
 * a preload that logs every module it loads (test/support/module-log/). Start-up cost is mostly
 * loading modules, so what a session does not use must not be loaded: the option parser (commander
 * and node:child_process under it) for a plain command line. Each case also runs a command line
 * that does load it, so a broken log cannot pass for a lean start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeDovecot } from '../support/dovecot.js';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../support/module-log/register.mjs', import.meta.url));

/** Runs the built command with the module log; its exit code, output and the modules it loaded. */
function loadedModules(argv: string[], stdin = ''): Promise<{ code: number | null; stdout: string; modules: string[] }> {
  const log = join(mkdtempSync(join(tmpdir(), 'mailwire-modules-')), 'modules.txt');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', PRELOAD, BIN, ...argv], {
      env: { PATH: process.env.PATH, MAILWIRE_MODULE_LOG: log },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const modules = [...new Set(readFileSync(log, 'utf8').split('\n').filter((m) => m !== ''))];
      resolve({ code, stdout, modules });
    });
    child.stdin.end(stdin);
  });
}

/** Our own modules among them, as paths under dist/ (`session/runner.js`). */
const own = (modules: string[]) => modules.filter((m) => m.includes('/dist/')).map((m) => m.slice(m.indexOf('/dist/') + 6));
const commanderIn = (modules: string[]) => modules.some((m) => m.includes('/node_modules/commander/'));

describeDovecot('the modules a plain session loads', (dovecot) => {
  it('an IMAP session from a plain command line loads no commander and no node:child_process', async () => {
    const run = await loadedModules([`imap://127.0.0.1:${dovecot().imapPort}`, '--timeout', '20'], 'a1 NOOP\r\na2 LOGOUT\r\n');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('S: a2 OK');
    expect(commanderIn(run.modules)).toBe(false);
    expect(run.modules).not.toContain('builtin:child_process');
    expect(own(run.modules)).not.toContain('cli/options.js');
    // The log does see what a session loads.
    expect(own(run.modules)).toContain('session/runner.js');
    expect(run.modules).toContain('builtin:net');
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
});
