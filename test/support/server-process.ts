/**
 * What the real-server fixtures (dovecot.ts, cyrus.ts) do alike with a server's master process:
 * watch it (its output, its death, killed if the test process exits first), wait until each of
 * its four listeners greets, and stop it with every child it left. What differs between servers
 * (config, accounts, how to find an instance's processes, what to show when it fails) stays in
 * each fixture and comes in as arguments.
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import type { MailPorts } from './real-server.js';

export const START_TIMEOUT_MS = 20_000;
export const STOP_TIMEOUT_MS = 10_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

export function lookupIds(name: string): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    return undefined;
  }
}

export function hasCommand(name: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)));
}

/** Whether a process runs; a zombie (dead, not yet reaped by its new parent) does not. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    // proc(5): the state follows the parenthesized command name, which may itself hold ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    // No /proc (macOS): kill(0) was all we could ask. With /proc: it ended just now.
    return !existsSync('/proc/self/stat');
  }
}

/**
 * Instance folders (in the temp folder, named `prefix`...) whose test process died without stop()
 * (SIGKILL, a crashed worker): each folder records its owner's pid in owner.pid, and that process
 * is gone.
 */
export function abandonedInstances(prefix: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(tmpdir()).filter((e) => e.startsWith(prefix));
  } catch {
    return [];
  }
  return entries
    .map((entry) => join(tmpdir(), entry))
    .filter((dir) => {
      try {
        const owner = Number(readFileSync(join(dir, 'owner.pid'), 'utf8'));
        return owner > 0 && !isAlive(owner);
      } catch {
        // Someone else's folder, or one being removed right now.
        return false;
      }
    });
}

/** Masters started by this process, killed if the process exits without calling stop(). */
const liveMasters = new Set<ChildProcess>();
let exitHookInstalled = false;
function killMastersOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A master takes its children down with it when it gets SIGTERM.
  process.once('exit', () => {
    for (const master of liveMasters) master.kill('SIGTERM');
  });
}

/** A master process being watched. */
export interface WatchedMaster {
  master: ChildProcess;
  /** The last 4,000 characters it wrote to stdout and stderr. */
  output: () => string;
  /** How it ended ("exited with code 1", "could not be started: ..."), or undefined while it runs. */
  exited: () => string | undefined;
  /** Rejects when it ends: raced against a greeting awaited on a port it never bound. */
  died: Promise<never>;
}

/**
 * Watches a master just spawned with stdout and stderr piped. It is killed if the test process
 * exits without stopMaster(), and does not keep the test worker alive by itself.
 */
export function watchMaster(master: ChildProcess, server: string): WatchedMaster {
  liveMasters.add(master);
  killMastersOnExit();
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4_000);
  };
  master.stdout?.on('data', collect);
  master.stderr?.on('data', collect);
  let exited: string | undefined;
  const died = new Promise<never>((_resolve, reject) => {
    master.once('exit', (code, signal) => {
      exited = `exited with ${signal ?? `code ${code}`}`;
      liveMasters.delete(master);
      reject(new Error(`${server} ${exited}`));
    });
    master.once('error', (error) => {
      exited = `could not be started: ${error.message}`;
      reject(error);
    });
  });
  died.catch(() => undefined);
  master.unref();
  (master.stdout as Socket | null)?.unref?.();
  (master.stderr as Socket | null)?.unref?.();
  return { master, output: () => output, exited: () => exited, died };
}

/**
 * Reads lines from a fresh connection until its greeting: the first line `skip` does not pass
 * over (Dovecot may first say it is waiting for its authentication process).
 */
function readGreeting(socket: Socket, timeoutMs: number, skip: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no greeting within ${timeoutMs} ms`)), timeoutMs);
    const finish = (error: Error | undefined, line?: string) => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.destroy();
      if (error) reject(error);
      else resolve(line ?? '');
    };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\r\n')) >= 0) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (!skip(line)) return finish(undefined, line);
      }
    });
    socket.once('error', (error) => finish(error));
    socket.once('close', () => finish(new Error('connection closed before the greeting')));
  });
}

/** How long a listener may refuse connections after another of the same master greeted. */
const UNBOUND_AFTER_MS = 5_000;

/** Ports were taken between choosing them and the server binding them: the caller tries new ones. */
export class BindFailure extends Error {}

export interface GreetingWait {
  server: string;
  watched: WatchedMaster;
  ports: MailPorts;
  caFile: string;
  /** What to show when the start fails: the master's output, logs, where the config is. */
  describe: () => string;
  /** Where the config is, for the error messages. */
  config: string;
  skipLine?: (line: string) => boolean;
}

/** Resolves once imap, imaps, pop3 and pop3s have each greeted as the tests need. */
export async function waitForGreetings(wait: GreetingWait): Promise<void> {
  const { server, watched, ports } = wait;
  const listeners: Array<[keyof MailPorts, boolean]> = [['imap', false], ['imaps', true], ['pop3', false], ['pop3s', true]];
  const pending = new Map(listeners);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError = '';
  /** When the first listener greeted: a master binds all of them at start, so one still refusing long after lost its port. */
  let firstGreeting: number | null = null;
  while (pending.size > 0) {
    const exited = watched.exited();
    if (exited !== undefined) {
      const description = wait.describe();
      if (/Address already in use/i.test(`${watched.output()}\n${description}`)) throw new BindFailure(`${server} could not bind its ports:\n${description}`);
      throw new Error(`${server} ${exited} during startup (config ${wait.config}):\n${description}`);
    }
    if (Date.now() > deadline) {
      watched.master.kill('SIGTERM');
      throw new Error(`${server} did not greet on ${[...pending.keys()].join(', ')} within ${START_TIMEOUT_MS / 1000} s (last error: ${lastError}; config ${wait.config}):\n${wait.describe()}`);
    }
    for (const [name, tls] of [...pending]) {
      let greeting: string;
      try {
        const socket = tls
          ? tlsConnect({ host: '127.0.0.1', port: ports[name], servername: 'localhost', ca: readFileSync(wait.caFile) })
          : netConnect({ host: '127.0.0.1', port: ports[name] });
        greeting = await Promise.race([readGreeting(socket, 5_000, wait.skipLine ?? (() => false)), watched.died]);
      } catch (error) {
        // Not listening yet (ECONNREFUSED) or still starting up: try again shortly.
        lastError = `${name}: ${(error as Error).message}`;
        // A port taken between freeMailPorts() and the bind (by another listener, or as the source port
        // of a connection: the same kernel range) fails one service alone, and Cyrus says so only to a
        // syslog there is not: the caller tries new ports, as for an exit with "Address already in use".
        if (firstGreeting !== null && /ECONNREFUSED/.test(lastError) && Date.now() - firstGreeting > UNBOUND_AFTER_MS) {
          // Gone before the caller starts another in the same folder (its pid file, its locks).
          watched.master.kill('SIGTERM');
          await Promise.race([watched.died.catch(() => undefined), sleep(STOP_TIMEOUT_MS)]);
          throw new BindFailure(`${server} did not listen on ${name} ${UNBOUND_AFTER_MS / 1000} s after its other ports greeted (${lastError}):\n${wait.describe()}`);
        }
        continue;
      }
      const expected = name.startsWith('imap') ? '* OK' : '+OK';
      // RFC 1939 §7: APOP needs the timestamp in the greeting; without it the auth config is wrong.
      const apopMissing = name === 'pop3' && !/<[^>]+>/.test(greeting);
      if (!greeting.startsWith(expected) || apopMissing) {
        watched.master.kill('SIGTERM');
        throw new Error(`${server}'s ${name} greeting is not what the tests need${apopMissing ? ' (no APOP timestamp)' : ''}: ${JSON.stringify(greeting)}\n${wait.describe()}`);
      }
      pending.delete(name);
      firstGreeting ??= Date.now();
    }
    if (pending.size > 0) await sleep(50);
  }
}

/** Stops a master (TERM, then KILL), then every process of its instance that is still there. */
export async function stopMaster(master: ChildProcess, instancePids: () => number[]): Promise<void> {
  if (master.exitCode === null && master.signalCode === null) {
    const exited = new Promise<void>((resolve) => master.once('exit', () => resolve()));
    master.kill('SIGTERM');
    const timedOut = await Promise.race([exited.then(() => false), sleep(STOP_TIMEOUT_MS).then(() => true)]);
    if (timedOut) master.kill('SIGKILL');
  }
  liveMasters.delete(master);
  // Children leave on their own once the master is gone; make sure, then insist.
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let left = instancePids().filter(isAlive);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(50);
    left = instancePids().filter(isAlive);
  }
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
