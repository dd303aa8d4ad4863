/**
 * Other people's clients, for testing mailwire's servers with software that is not mailwire: curl
 * (imap://, pop3://) and Python's imaplib and poplib. Like the Dovecot fixture, a test block that
 * needs one skips loudly when it is missing, and fails instead when CI is set (.ci/run installs them).
 */
import { execFile, execFileSync } from 'node:child_process';
import { describe } from 'vitest';
import { describeMissing } from './real-server.js';

function has(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** describe() when every command is on PATH; else a loud skip (or, under CI, a failure). */
export function describeWithClients(name: string, commands: readonly string[], body: () => void): void {
  const missing = commands.filter((c) => !has(c));
  if (missing.length === 0) {
    describe(name, body);
    return;
  }
  describeMissing(name, `"${name}" needs ${missing.join(' and ')} (Debian: apt-get install ${missing.join(' ')})`, 'has the clients it tests with', body);
}

export interface ClientRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a client to its end (no shell), with a time limit so a hung client fails the test. Its
 * environment is PATH and LANG, and `vars` (e.g. a HOME of its own for mbsync); `input` is its
 * standard input.
 */
export function runClient(command: string, args: readonly string[], timeoutMs = 20_000, vars: Record<string, string> = {}, input?: string): Promise<ClientRun> {
  return new Promise((resolve) => {
    const child = execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, env: { PATH: process.env['PATH'], LANG: 'C.UTF-8', ...vars } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}
