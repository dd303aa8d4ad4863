/**
 * Measuring commands side by side: each case runs mailwire and its raw reference alternately, N
 * times, reading their output through a pipe the same way, and keeps wall time and peak memory.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Sample {
  ms: number;
  /** Peak resident set of the measured process, KiB (NaN when it cannot report it). */
  maxRssKiB: number;
  outputOctets: number;
  code: number | null;
  stderr: string;
}

export interface Stats {
  median: number;
  min: number;
  max: number;
}

export function stats(values: number[]): Stats {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number };
}

/** The measured processes get a plain environment, not the test runner's (which sets NODE_OPTIONS & co). */
export const CLEAN_ENV: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' };

/**
 * Runs a command under GNU time (peak memory from the kernel's rusage, the same way for every
 * command, node or not), feeding `stdin` and consuming stdout through a pipe; times it to its exit.
 * GNU time is also the parent that launches it: a node process launched straight from the test
 * runner's worker showed a peak memory many times what the same command shows from a shell.
 */
export function runTimed(command: string, args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', 'MAXRSS %M', command, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? CLEAN_ENV });
    let outputOctets = 0;
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (outputOctets += c.length));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const m = /MAXRSS (\d+)\s*$/.exec(stderr);
      if (code !== 0) {
        reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`));
        return;
      }
      resolve({ ms, maxRssKiB: m ? Number(m[1]) : Number.NaN, outputOctets, code, stderr });
    });
    child.stdin.end(options.stdin ?? '');
  });
}

/** GNU time (Debian package "time"). */
export const GNU_TIME = '/usr/bin/time';

export function requireGnuTime(): void {
  if (!existsSync(GNU_TIME)) throw new Error('the benchmarks need GNU time: apt-get install time');
}
