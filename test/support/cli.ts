/**
 * Runs mailwire's main() in-process with a fake Env (HTTPie's model): standard input from a string,
 * standard output and error captured, the environment variables given. And the real binary, for
 * what only a process shows (exit status, stderr, nothing hanging).
 */
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliRun {
  stdin?: string | Buffer;
  vars?: Record<string, string | undefined>;
  stdoutIsTTY?: boolean;
  /** The working folder mailwire sees (Env.cwd); the process's own by default. */
  cwd?: string;
}

export async function runMain(argv: string[], opts: CliRun = {}): Promise<CliResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, {
    stdin: Readable.from(opts.stdin === undefined ? [] : [Buffer.from(opts.stdin)]),
    stdout,
    stderr,
    stdinIsTTY: false,
    stdoutIsTTY: opts.stdoutIsTTY ?? false,
    vars: opts.vars ?? {},
    now: () => performance.now(),
    homedir: '/nonexistent',
    cwd: opts.cwd ?? process.cwd(),
  });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));

/** Spawns the built command (npm test builds dist/ first). */
export function runBinary(argv: string[], opts: CliRun & { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...argv], {
      env: { PATH: process.env.PATH, ...opts.vars },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mailwire ${argv.join(' ')} did not exit within ${opts.timeoutMs ?? 20000} ms`));
    }, opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    child.stdin.end(opts.stdin ?? '');
  });
}
