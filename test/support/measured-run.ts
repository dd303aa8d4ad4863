/**
 * Runs the built mailwire binary and reports its peak memory (resident set, KiB) along with its exit
 * code and output, for tests that check memory stays bounded whatever the server sends.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const PRELOAD =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))';

export interface MeasuredRun {
  code: number | null;
  /** Peak resident set size in KiB. */
  maxRssKiB: number;
  /** Octets written to stdout (the output itself is not kept: it may be huge). */
  stdoutOctets: number;
  /** The last 4 KiB of stdout. */
  stdoutTail: string;
  stderr: string;
}

/**
 * @param options.cpuSeconds - a limit on the CPU time of the process (ulimit -t): work that should be
 *   linear in the input is checked by a bound on resources, never by a clock; past it the process is
 *   killed (SIGXCPU/SIGKILL) and `code` is null.
 * @param options.nodeOptions - flags for node itself, e.g. `--max-old-space-size=24` to bound the V8
 *   heap: work that should run in bounded memory then fails (V8 aborts, `code` null) if it does not.
 */
export function runMeasured(
  argv: string[],
  options: { stdin?: string; env?: Record<string, string>; cpuSeconds?: number; nodeOptions?: string[] } = {},
): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const command = [process.execPath, ...(options.nodeOptions ?? []), '--import', PRELOAD, BIN, ...argv];
    const [file, args] =
      options.cpuSeconds === undefined ? [command[0] as string, command.slice(1)] : ['sh', ['-c', `ulimit -t ${options.cpuSeconds} && exec "$@"`, 'sh', ...command]];
    const child = spawn(file, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { PATH: process.env.PATH ?? '', ...options.env },
    });
    let stdoutOctets = 0;
    let tail = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdoutOctets += c.length;
      tail = (tail + c.toString('utf8')).slice(-4096);
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /\nMAXRSS (\d+)\n/.exec(stderr);
      resolve({
        code,
        maxRssKiB: m ? Number(m[1]) : Number.NaN,
        stdoutOctets,
        stdoutTail: tail,
        stderr: stderr.replace(/\nMAXRSS \d+\n/, ''),
      });
    });
    child.stdin.end(options.stdin ?? '');
  });
}
