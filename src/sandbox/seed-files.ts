/**
 * Reads the messages the sandbox starts with, from files (read once, at startup; nothing is ever
 * written back):
 * - the examples shipped with mailwire, `sandbox/messages/<user>/<mailbox>/<name>.eml`, in file
 *   name order;
 * - a user's own folder (`--maildir DIR`): a Maildir (cur/, new/, flags from the file names, and
 *   Maildir++ subfolders `.Sent`, `.Lists.imap` as mailboxes `Sent`, `Lists/imap`), or a folder of
 *   `.eml` files whose subfolders are mailboxes.
 * Line endings become CRLF (RFC 5322 §2.1), so a seed written on any system is a valid message.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute } from 'node:path';
import { MailwireError } from '../errors.js';
import { parseMessageDate, type ZonedDate } from './mail-dates.js';
import type { SeedAccount, SeedMessage } from './mail-store.js';
import { canonicalMailboxName } from './mailbox-names.js';
import { findField, fieldText, parseHeaderFields, toCrlf } from './mime-message.js';
import { fileErrorText } from '../file-errors.js';

/** A seeded mailbox: its name ("/"-separated) and messages. */
export interface SeedMailbox {
  name: string;
  messages: SeedMessage[];
}

/** Messages larger than this are skipped: the sandbox keeps everything in memory. */
const MAX_MESSAGE_OCTETS = 32 * 1024 * 1024;

/**
 * The internal date of a seeded message: when it arrived, as the topmost Received field says
 * (RFC 5321 §4.4: the last hop prepends its field), else its Date field, else the file's time.
 */
function arrivalDate(raw: Buffer, fileTime: Date): ZonedDate {
  const end = raw.indexOf('\r\n\r\n');
  const fields = parseHeaderFields(raw, 0, end === -1 ? raw.length : end + 2);
  const received = findField(fields, 'received');
  if (received) {
    const text = fieldText(received.value);
    const semi = text.lastIndexOf(';');
    const date = semi === -1 ? null : parseMessageDate(text.slice(semi + 1));
    if (date) return date;
  }
  const dateField = findField(fields, 'date');
  const date = dateField ? parseMessageDate(fieldText(dateField.value)) : null;
  return date ?? { date: new Date(Math.floor(fileTime.getTime() / 1000) * 1000), offsetMinutes: 0 };
}

/**
 * The folder being read (its real path): a symbolic link is followed only to a file inside it, never
 * to a folder (a link back into the folder would be read for ever, one out of it reads what the user
 * did not give), so a Maildir holding a link loop is read once, as if the links were not there.
 */
let readingRoot: string | null = null;

function insideRoot(path: string): boolean {
  if (readingRoot === null) return true;
  const rel = relative(readingRoot, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** What an entry is, links judged as above: 'file', 'folder', or null (skipped). */
function entryKind(path: string): 'file' | 'folder' | null {
  const own = lstatSync(path);
  if (own.isDirectory()) return 'folder';
  if (own.isFile()) return 'file';
  if (!own.isSymbolicLink()) return null;
  try {
    const target = realpathSync(path);
    return insideRoot(target) && statSync(target).isFile() ? 'file' : null;
  } catch {
    return null; // a dangling link
  }
}

function readMessage(path: string, flags: string[], recent: boolean, useFileTime: boolean): SeedMessage | null {
  if (entryKind(path) !== 'file') return null;
  const stat = statSync(path);
  if (!stat.isFile() || stat.size > MAX_MESSAGE_OCTETS || stat.size === 0) return null;
  const raw = toCrlf(readFileSync(path));
  const internalDate = useFileTime ? { date: new Date(Math.floor(stat.mtimeMs / 1000) * 1000), offsetMinutes: 0 } : arrivalDate(raw, stat.mtime);
  return { raw, flags, internalDate, recent };
}

/**
 * One shipped message file, with the flags and \Recent given (the class sandbox's lecture mailbox).
 * @throws MailwireError('file') when the file is missing or empty (a broken installation)
 */
export function readSeedMessage(path: string, flags: string[], recent: boolean): SeedMessage {
  const message = (() => {
    try {
      return readMessage(path, flags, recent, false);
    } catch {
      return null;
    }
  })();
  if (message === null) throw new MailwireError('file', `cannot read the sandbox's message ${path}`);
  return message;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Maildir info flags (`:2,FRS`) as IMAP flags; P (passed) has no IMAP counterpart. */
function maildirFlags(file: string): string[] {
  const m = /:2,([A-Za-z]*)$/.exec(file);
  if (!m) return [];
  const map: Record<string, string> = { D: '\\Draft', F: '\\Flagged', R: '\\Answered', S: '\\Seen', T: '\\Deleted' };
  return [...new Set([...(m[1] as string)].flatMap((c) => (map[c] ? [map[c] as string] : [])))];
}

function isMaildir(dir: string): boolean {
  return ['cur', 'new'].some((sub) => existsSync(join(dir, sub)) && entryKind(join(dir, sub)) === 'folder');
}

/** One Maildir folder's messages: new/ ones are recent, cur/ ones carry flags; the file time is the internal date (as Dovecot has it). */
function readMaildirFolder(dir: string): SeedMessage[] {
  const out: SeedMessage[] = [];
  for (const sub of ['new', 'cur']) {
    const path = join(dir, sub);
    if (!existsSync(path) || entryKind(path) !== 'folder') continue;
    for (const file of readdirSync(path).sort(byName)) {
      if (file.startsWith('.')) continue;
      const message = readMessage(join(path, file), sub === 'cur' ? maildirFlags(file) : [], sub === 'new', true);
      if (message) out.push(message);
    }
  }
  return out;
}

/** A Maildir++ tree: the root is INBOX, `.a.b` is "a/b". */
function readMaildir(dir: string): SeedMailbox[] {
  const boxes: SeedMailbox[] = [{ name: 'INBOX', messages: readMaildirFolder(dir) }];
  for (const entry of readdirSync(dir).sort(byName)) {
    if (!entry.startsWith('.') || entry === '.' || entry === '..') continue;
    const path = join(dir, entry);
    if (entryKind(path) !== 'folder' || !isMaildir(path)) continue;
    boxes.push({ name: canonicalMailboxName(entry.slice(1).split('.').join('/')), messages: readMaildirFolder(path) });
  }
  return boxes;
}

/** A folder of .eml files: the files are `name`'s messages, subfolders are inferior mailboxes. */
function readEmlTree(dir: string, name: string, out: SeedMailbox[], depth: number): void {
  if (isMaildir(dir) && name !== '') {
    out.push({ name, messages: readMaildirFolder(dir) });
    return;
  }
  const entries = readdirSync(dir).sort(byName);
  const messages: SeedMessage[] = [];
  for (const entry of entries) {
    if (entry.startsWith('.')) continue;
    const path = join(dir, entry);
    const kind = entryKind(path);
    if (kind === 'folder') {
      if (depth < 16) readEmlTree(path, name === '' ? canonicalMailboxName(entry) : `${name}/${entry}`, out, depth + 1);
    } else if (kind === 'file' && entry.toLowerCase().endsWith('.eml')) {
      const message = readMessage(path, [], true, false);
      if (message) messages.push(message);
    }
  }
  if (name !== '' || messages.length > 0) out.push({ name: name === '' ? 'INBOX' : name, messages });
}

/**
 * Reads a user's folder for `--maildir DIR`: a Maildir, or a folder of .eml files.
 * @throws MailwireError('file') when DIR cannot be read
 */
export function readMailFolder(dir: string): SeedMailbox[] {
  try {
    if (!statSync(dir).isDirectory()) throw new MailwireError('file', `${dir} is not a folder`);
    readingRoot = realpathSync(dir);
    if (isMaildir(dir)) return readMaildir(dir);
    const out: SeedMailbox[] = [];
    readEmlTree(dir, '', out, 0);
    return out;
  } catch (error) {
    if (error instanceof MailwireError) throw error;
    throw new MailwireError('file', `cannot read ${dir}: ${fileErrorText(error)}`);
  } finally {
    readingRoot = null;
  }
}

/**
 * The shipped examples: one folder per user under `dir`, each holding its mailboxes.
 * @throws MailwireError('file') when the folder is missing (a broken installation)
 */
export function readExampleAccounts(dir: string): SeedAccount[] {
  try {
    return readdirSync(dir)
      .sort(byName)
      .filter((user) => !user.startsWith('.') && statSync(join(dir, user)).isDirectory())
      .map((user) => {
        const mailboxes: SeedMailbox[] = [];
        readEmlTree(join(dir, user), '', mailboxes, 0);
        return { user, mailboxes };
      });
  } catch (error) {
    throw new MailwireError('file', `cannot read the sandbox's example messages in ${dir}: ${fileErrorText(error)}`);
  }
}
