/**
 * The process environment as a value. Nothing below `cli/` reads `process.*` directly, so tests run
 * `main()` in-process with a fake Env and look at what it wrote.
 */
import type { Readable, Writable } from 'node:stream';

export interface Env {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Whether stdin is a terminal (interactive shell) or a pipe/file (scripted use). */
  stdinIsTTY: boolean;
  /** Whether stdout is a terminal: decides colors together with NO_COLOR/FORCE_COLOR/--no-color. */
  stdoutIsTTY: boolean;
  /**
   * Whether stdout is done with a buffer once its write calls back: true of the process's own stdout
   * (a file, pipe or terminal: the octets went to the system), so that the buffer may be written
   * again; not of a stream that keeps the chunks it is given (a test's collector). False if absent.
   */
  stdoutReleasesWrites?: boolean;
  /** Environment variables (MAILWIRE_PASSWORD, NO_COLOR, FORCE_COLOR, XDG_STATE_HOME, ...). */
  vars: Readonly<Record<string, string | undefined>>;
  /** Milliseconds, monotonic enough for latencies. */
  now: () => number;
  homedir: string;
  cwd: string;
}
