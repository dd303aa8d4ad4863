/**
 * The transcript files named on a command line: files as given, folders searched (recursively) for
 * `*.txt`, in a stable order. Shared by replay and lint.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MailwireError } from '../errors.js';
import { parseTranscript, TranscriptFormatError, type Transcript } from '../transcript/format.js';

/** What a folder is searched for. */
const TRANSCRIPT_EXTENSION = '.txt';

function why(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
}

/** Every transcript file under the arguments, folders expanded and sorted, duplicates dropped. */
export function transcriptFiles(args: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.isFile() && e.name.endsWith(TRANSCRIPT_EXTENSION)) files.push(path);
    }
  };
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch (error) {
      throw new MailwireError('file', `cannot read ${arg}: ${why(error)}`);
    }
    if (isDir) {
      const before = files.length;
      walk(arg);
      if (files.length === before) throw new MailwireError('file', `no transcripts (*${TRANSCRIPT_EXTENSION}) in ${arg}`);
    } else {
      files.push(arg);
    }
  }
  return [...new Set(files)];
}

/** A transcript file read and parsed, or why it could not be. */
export type LoadedTranscript = { path: string; transcript: Transcript } | { path: string; error: MailwireError };

export function loadTranscript(path: string): LoadedTranscript {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { path, error: new MailwireError('file', `cannot read ${path}: ${why(error)}`) };
  }
  try {
    return { path, transcript: parseTranscript(text) };
  } catch (error) {
    if (error instanceof TranscriptFormatError) return { path, error: new MailwireError('input', `${path}:${error.lineNo}: ${error.message}`) };
    throw error;
  }
}
