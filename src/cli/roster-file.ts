/**
 * Where a class sandbox's roster (the students' passwords) and its live log are written. Both are
 * created with mode 0600 from the first byte, never made private afterwards: a roster in a file
 * someone else could read for a moment is a roster someone else may have read.
 *  - The roster's default place, ./mailwire-roster.txt, is never overwritten: when it exists, the
 *    next free name is taken (mailwire-roster-2.txt ...). A roster named with --roster replaces that
 *    file (the teacher asked for it), by a new file renamed over it, so even then it is 0600 at once.
 *  - The log (--log FILE) is appended to; a file that exists is made 0600 before anything is added.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, existsSync, fchmodSync, fstatSync, openSync, renameSync, rmSync, writeSync, type WriteStream } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MailwireError } from '../errors.js';
import { fileErrorText } from '../file-errors.js';

export const DEFAULT_ROSTER_NAME = 'mailwire-roster';

function failure(what: string, path: string, error: unknown): MailwireError {
  return new MailwireError('file', `cannot write the ${what} ${path}: ${fileErrorText(error)}`);
}

/** Writes `text` into a file made for it now (mode 0600); false when the name is taken. */
function createPrivate(path: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

/**
 * Writes the roster; returns the absolute path written.
 * @param file the --roster file, or undefined for the default place in `cwd`
 * @throws MailwireError('file') when it cannot be written
 */
export function writeRoster(text: string, file: string | undefined, cwd: string): string {
  if (file === undefined) {
    for (let n = 1; n <= 1000; n++) {
      const path = join(cwd, n === 1 ? `${DEFAULT_ROSTER_NAME}.txt` : `${DEFAULT_ROSTER_NAME}-${n}.txt`);
      try {
        if (createPrivate(path, text)) return path;
      } catch (error) {
        throw failure('roster', path, error);
      }
    }
    throw new MailwireError('file', `cannot write the roster: ${join(cwd, `${DEFAULT_ROSTER_NAME}.txt`)} and 999 more names are taken (name one with --roster FILE)`);
  }
  const path = resolve(cwd, file);
  try {
    if (createPrivate(path, text)) return path;
    // The file exists: a new private file beside it takes its place.
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}`);
    if (!createPrivate(temporary, text)) throw new Error('EEXIST');
    try {
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      throw error;
    }
    return path;
  } catch (error) {
    throw failure('roster', path, error);
  }
}

/**
 * Opens the --log file for appending, mode 0600 (an existing file is made 0600 first).
 * @throws MailwireError('file') when it cannot be opened
 */
export function openLogFile(file: string, cwd: string): { path: string; stream: WriteStream } {
  const path = resolve(cwd, file);
  let fd: number;
  try {
    fd = openSync(path, 'a', 0o600);
    if (fstatSync(fd).isFile()) fchmodSync(fd, 0o600);
  } catch (error) {
    throw failure('log', path, error);
  }
  return { path, stream: createWriteStream('', { fd }) };
}

/**
 * The terminal, for the log, as a stream of its own: on Linux, this process's standard output opened
 * anew (/proc/self/fd/1), so that its writes go through the thread pool and a terminal that stops
 * reading (Ctrl-S) never stops the server; elsewhere, null (the caller uses its own stdout).
 */
export function openTerminalLog(): WriteStream | null {
  if (!existsSync('/proc/self/fd/1')) return null;
  try {
    return createWriteStream('', { fd: openSync('/proc/self/fd/1', 'a') });
  } catch {
    return null;
  }
}
