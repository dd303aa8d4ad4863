/**
 * The transcript files named on a command line: files as given, folders searched (recursively) for
 * `*.txt`, in a stable order. Shared by replay and lint.
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join, normalize, relative, sep } from 'node:path';
import { MailwireError } from '../errors.js';
import { decodedMarkingInvalid } from '../protocol/display-form.js';
import { TranscriptFormatError, type Transcript } from '../transcript/format.js';
import { transcriptFromChunks } from '../transcript/transcript-reader.js';
import { fileErrorText } from '../file-errors.js';

/** What a folder is searched for. */
const TRANSCRIPT_EXTENSION = '.txt';
const TRANSCRIPT_EXTENSION_BYTES = Buffer.from(TRANSCRIPT_EXTENSION);

/**
 * A file's path as the file system takes it: a string, or the bytes of one found in a folder under a
 * name that is not UTF-8 (made on another system, or with Buffer paths). Decoded into a string, such a
 * name gets U+FFFD in place of its bytes and names a file that is not there.
 */
export type FilePath = string | Buffer;

/** A path as shown: each byte that is not UTF-8 as `\xNN` (render/escape.ts), as mailwire shows such bytes anywhere. */
export function shownPath(path: FilePath): string {
  return typeof path === 'string' ? path : decodedMarkingInvalid(path);
}

/** `name` in the folder `dir`: a string while both are UTF-8, bytes once either is not. */
function childPath(dir: FilePath, name: Buffer): FilePath {
  if (typeof dir === 'string' && isUtf8(name)) return join(dir, name.toString('utf8'));
  // join() as a prefix ("." adds nothing, "d/" no second separator), then the name's own bytes.
  const prefix = typeof dir === 'string' ? Buffer.from(join(dir, 'x').slice(0, -1)) : Buffer.concat([dir, Buffer.from(sep)]);
  return Buffer.concat([prefix, name]);
}

/** A transcript file, and its path within the suite it was found in (what `--shard` hashes). */
export interface SuiteFile {
  path: FilePath;
  /** Relative to the folder argument it was found under, `/`-separated, as shown; a file argument as given. */
  suitePath: string;
}

/** Every transcript file under the arguments, folders expanded and sorted, duplicates dropped. */
export function suiteFiles(args: readonly string[]): SuiteFile[] {
  const files: SuiteFile[] = [];
  const walk = (root: string, dir: FilePath): void => {
    // Names as bytes: a name that is not UTF-8 is still found (FilePath).
    const entries = readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })
      .map((e) => ({ e, shown: decodedMarkingInvalid(e.name) }))
      .sort((a, b) => a.shown.localeCompare(b.shown));
    for (const { e } of entries) {
      const path = childPath(dir, e.name);
      if (e.isDirectory()) walk(root, path);
      else if (e.isFile() && e.name.subarray(-TRANSCRIPT_EXTENSION_BYTES.length).equals(TRANSCRIPT_EXTENSION_BYTES)) {
        files.push({ path, suitePath: relative(root, shownPath(path)).split(sep).join('/') });
      }
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
  // A string and the bytes of one file are one path: compared as bytes.
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = Buffer.from(f.path).toString('latin1');
    return !seen.has(key) && seen.add(key);
  });
}

/** The paths of every transcript file under the arguments (see suiteFiles). */
export function transcriptFiles(args: readonly string[]): FilePath[] {
  return suiteFiles(args).map((f) => f.path);
}

/** A transcript file read and parsed, or why it could not be. */
export type LoadedTranscript = { path: FilePath; transcript: Transcript } | { path: FilePath; error: MailwireError };

/** How much of a file is read at a time: lines are parsed as they come, so a file is never held whole. */
const CHUNK_OCTETS = 64 * 1024;

/**
 * A file's bytes, chunk by chunk, each in a buffer of its own (the reader may keep views of a line
 * split across chunks).
 * @throws MailwireError (code 'file') when the file cannot be read
 */
export function* fileChunks(path: FilePath): Generator<Buffer> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new MailwireError('file', `cannot read ${shownPath(path)}: ${fileErrorText(error)}`);
  }
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(CHUNK_OCTETS);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, CHUNK_OCTETS, null);
      } catch (error) {
        throw new MailwireError('file', `cannot read ${shownPath(path)}: ${fileErrorText(error)}`);
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
export function readTranscriptFile<T>(path: FilePath, read: (chunks: Iterable<Buffer>) => T): { value: T } | { error: MailwireError } {
  try {
    return { value: read(fileChunks(path)) };
  } catch (error) {
    if (error instanceof MailwireError) return { error };
    if (error instanceof TranscriptFormatError) return { error: new MailwireError('input', `${shownPath(path)}:${error.lineNo}: ${error.message}`) };
    throw error;
  }
}

export function loadTranscript(path: FilePath): LoadedTranscript {
  const read = readTranscriptFile(path, transcriptFromChunks);
  return 'error' in read ? { path, error: read.error } : { path, transcript: read.value };
}
