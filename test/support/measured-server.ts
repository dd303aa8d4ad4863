/**
 * Runs one of mailwire's servers (`mailwire sandbox`, `mailwire serve`) as a child process, finds its
 * URLs in what it prints, and reports its peak memory (resident set, KiB) once it has been stopped
 * with SIGTERM: for tests that check what hostile clients can make a server hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/mailwire.js', import.meta.url));
const PRELOAD =
  'data:text/javascript,process.on("exit",()=>process.stderr.write("\\nMAXRSS "+process.resourceUsage().maxRSS+"\\n"))';

export interface MeasuredServer {
  /** Ports by URL scheme (imap, pop3, ...), as printed. */
  ports: Map<string, number>;
  output(): string;
  /** SIGTERM, then the peak resident set in KiB and the exit code. */
  stop(): Promise<{ maxRssKiB: number; code: number | null; stderr: string }>;
}

export function startMeasuredServer(argv: string[]): Promise<MeasuredServer> {
  const child: ChildProcess = spawn(process.execPath, ['--import', PRELOAD, BIN, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer): void => {
      stdout += c.toString();
      // Both commands print a line naming how they stop once they listen.
      if (!/Ctrl-C stops/.test(stdout)) return;
      child.stdout?.off('data', onData);
      child.stdout?.on('data', (more: Buffer) => (stdout += more.toString()));
      const ports = new Map<string, number>();
      for (const m of stdout.matchAll(/\b(imaps?|pop3s?):\/\/[^\s:]+:(\d+)/g)) ports.set(m[1] as string, Number(m[2]));
      resolve({
        ports,
        output: () => stdout,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await closed;
          const m = /\nMAXRSS (\d+)\n/.exec(stderr);
          return { maxRssKiB: m ? Number(m[1]) : Number.NaN, code, stderr: stderr.replace(/\nMAXRSS \d+\n/, '') };
        },
      });
    };
    child.stdout?.on('data', onData);
    void closed.then((code) => reject(new Error(`the server ended (${code}) before listening:\n${stdout}\n${stderr}`)));
  });
}
