/**
 * The transcript files named on a command line: files as given, folders searched (recursively) for
 * `*.txt`, in a stable order. Shared by replay and lint.
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { MailwireError } from '../errors.js';
import { TranscriptFormatError, type Transcript } from '../transcript/format.js';
import { transcriptFromChunks } from '../transcript/transcript-reader.js';
import { fileErrorText } from '../file-errors.js';

/** What a folder is searched for. */
const TRANSCRIPT_EXTENSION = '.txt';


/** A transcript file, and its path within the suite it was found in (what `--shard` hashes). */
export interface SuiteFile {
  path: string;
  /** Relative to the folder argument it was found under, `/`-separated; a file argument as given. */
  suitePath: string;
}

/** Every transcript file under the arguments, folders expanded and sorted, duplicates dropped. */
export function suiteFiles(args: readonly string[]): SuiteFile[] {
  const files: SuiteFile[] = [];
  const walk = (root: string, dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(root, path);
      else if (e.isFile() && e.name.endsWith(TRANSCRIPT_EXTENSION)) files.push({ path, suitePath: relative(root, path).split(sep).join('/') });
    }
  };
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch (error) {
      throw new MailwireError('file', `cannot read ${arg}: ${fileErrorText(error)}`);
    }
    if (isDir) {
      const before = files.length;
      walk(arg, arg);
      if (files.length === before) throw new MailwireError('file', `no transcripts (*${TRANSCRIPT_EXTENSION}) in ${arg}`);
    } else {
      files.push({ path: arg, suitePath: normalize(arg).split(sep).join('/') });
    }
  }
  const seen = new Set<string>();
  return files.filter((f) => !seen.has(f.path) && seen.add(f.path));
}

/** The paths of every transcript file under the arguments (see suiteFiles). */
export function transcriptFiles(args: readonly string[]): string[] {
  return suiteFiles(args).map((f) => f.path);
}

/** A transcript file read and parsed, or why it could not be. */
export type LoadedTranscript = { path: string; transcript: Transcript } | { path: string; error: MailwireError };

/** How much of a file is read at a time: lines are parsed as they come, so a file is never held whole. */
const CHUNK_OCTETS = 64 * 1024;

/**
 * A file's bytes, chunk by chunk, each in a buffer of its own (the reader may keep views of a line
 * split across chunks).
 * @throws MailwireError (code 'file') when the file cannot be read
 */
export function* fileChunks(path: string): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new MailwireError('file', `cannot read ${path}: ${fileErrorText(error)}`);
  }
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK_OCTETS, null);
      } catch (error) {
        throw new MailwireError('file', `cannot read ${path}: ${fileErrorText(error)}`);
      }
      if (n === 0) return;
      yield n === CHUNK_OCTETS ? chunk : chunk.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs `read` over a transcript file; a file that cannot be read, or is no transcript (a newer format,
 * a bad directive), is an error value, as loadTranscript gives it.
 */
export function readTranscriptFile<T>(path: string, read: (chunks: Iterable<Buffer>) => T): { value: T } | { error: MailwireError } {
  try {
    return { value: read(fileChunks(path)) };
  } catch (error) {
    if (error instanceof MailwireError) return { error };
    if (error instanceof TranscriptFormatError) return { error: new MailwireError('input', `${path}:${error.lineNo}: ${error.message}`) };
    throw error;
  }
}

export function loadTranscript(path: string): LoadedTranscript {
  const read = readTranscriptFile(path, transcriptFromChunks);
  return 'error' in read ? { path, error: read.error } : { path, transcript: read.value };
}
