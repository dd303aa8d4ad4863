/**
 * `{file:PATH}` in a typed IMAP command: a literal whose octets come from a file, so nobody counts
 * bytes by hand (`APPEND INBOX {file:./msg.eml}`). mailwire replaces the marker with `{n}`, n the
 * file's size, and sends the file's octets exactly as they are as the literal. Pure: finding the
 * markers and describing the data; reading the file is the caller's.
 */
import { noticeText, type NoticeText } from '../protocol/explain/notices.js';
import { isAbsolute, resolve } from 'node:path';
import { MailwireError } from '../errors.js';
import { fileErrorText } from '../file-errors.js';
import { quoteOpenAt } from '../protocol/imap/request.js';

/** A marker outside quoted strings; the path runs to the closing brace. */
const MARKER = /\{file:([^}]+)\}/g;

export interface FileLiteralLine {
  /** The text around the markers: texts.length === paths.length + 1. */
  texts: string[];
  paths: string[];
}

/** The line split around its `{file:PATH}` markers, or null when it has none. */
export function splitFileLiterals(line: string): FileLiteralLine | null {
  const texts: string[] = [];
  const paths: string[] = [];
  let at = 0;
  for (const m of line.matchAll(MARKER)) {
    // RFC 3501 §4.3: inside a quoted string, `{file:x}` is text.
    if (quoteOpenAt(line, m.index)) continue;
    texts.push(line.slice(at, m.index));
    paths.push(m[1] as string);
    at = m.index + m[0].length;
  }
  if (paths.length === 0) return null;
  texts.push(line.slice(at));
  return { texts, paths };
}

/**
 * What to tell the user about a file sent as a literal: its size, and a warning when its lines end
 * in a bare LF, which RFC 5322 §2.3 does not allow in a message (some servers refuse it, Dovecot
 * stores it as is). Sentences as data, worded where shown.
 */
export function describeFileLiteral(path: string, data: Buffer): { info: NoticeText; warning: NoticeText | null } {
  const info = noticeText('notice.file-literal', { path, n: data.length });
  let bareLf = false;
  for (let i = data.indexOf(0x0a); i >= 0; i = data.indexOf(0x0a, i + 1)) {
    if (i === 0 || data[i - 1] !== 0x0d) {
      bareLf = true;
      break;
    }
  }
  const warning = bareLf ? noticeText('notice.file-literal.bare-lf', { path }) : null;
  return { info, warning };
}

/**
 * The file a `{file:PATH}` (or any path typed in a session: `.record FILE`) names: `~` and `~/` are the
 * home folder, a relative path is from the working folder.
 */
export function typedPath(path: string, where: { homedir: string; cwd: string }): string {
  const expanded = path === '~' || path.startsWith('~/') ? `${where.homedir}${path.slice(1)}` : path;
  return isAbsolute(expanded) ? expanded : resolve(where.cwd, expanded);
}

/** A `{file:PATH}` that cannot be read: nothing of the command is sent. */
export function fileLiteralError(path: string, error: unknown): MailwireError {
  return new MailwireError('file', `cannot read {file:${path}}: ${fileErrorText(error)}; nothing sent`);
}
