/**
 * Why a file could not be read or written, in words: what the system's error code means, for the
 * one-line errors of --record, --ca, {file:...}, the history and the rest. A message such as
 * "ENOSPC" or "EISDIR" tells a person nothing; an unknown code is shown as Node.js words it.
 */
const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EIO: 'input/output error',
  EFBIG: 'the file is too large',
  EMFILE: 'too many open files',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  ENXIO: 'no such device',
};

/** The reason of a failed file operation, in words. */
export function fileErrorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code !== undefined && Object.hasOwn(WORDS, code)) return WORDS[code] as string;
  return error instanceof Error ? error.message : String(error);
}
