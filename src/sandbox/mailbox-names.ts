/**
 * Mailbox names in the sandbox: "/" separates hierarchy levels, INBOX is case-insensitive (RFC 3501
 * §5.1), LIST/LSUB patterns use "*" (any depth) and "%" (one level) (RFC 3501 §6.3.8), and names
 * are written back as atoms when they can be, quoted strings otherwise. Pure.
 */

import { MailboxPattern } from './mailbox-pattern.js';

/** The hierarchy separator, as LIST reports it. */
export const SEPARATOR = '/';

/**
 * The canonical form of a name: "inbox", "Inbox/sub" and "INBOX" name the same mailbox (RFC 3501
 * §5.1: "The case-insensitive mailbox name INBOX is a special name reserved to mean 'the primary
 * mailbox'"); other names are case-sensitive.
 */
export function canonicalMailboxName(name: string): string {
  if (/^inbox$/i.test(name)) return 'INBOX';
  if (/^inbox\//i.test(name)) return `INBOX${name.slice(5)}`;
  return name;
}

/** The superior names of a name, nearest last: "a/b/c" -> ["a", "a/b"]. */
export function superiorNames(name: string): string[] {
  const parts = name.split(SEPARATOR);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join(SEPARATOR));
  return out.filter((n) => n !== '');
}

/** Whether `name` lies below `parent` in the hierarchy. */
export function isInferior(name: string, parent: string): boolean {
  return name.startsWith(parent + SEPARATOR);
}

/**
 * A LIST/LSUB pattern as a matcher (RFC 3501 §6.3.8): "*" matches anything, "%" anything but the
 * separator; everything else literally. An INBOX prefix in the pattern is case-insensitive. The
 * matcher works in time linear in the name (mailbox-pattern.ts), never by backtracking.
 */
export function mailboxPattern(pattern: string): MailboxPattern {
  return new MailboxPattern(canonicalPattern(pattern));
}

/** "inbox*" and "Inbox/%" name INBOX's level case-insensitively. */
function canonicalPattern(pattern: string): string {
  const m = /^inbox(?=$|\/|\*|%)/i.exec(pattern);
  return m ? `INBOX${pattern.slice(5)}` : pattern;
}

/**
 * The name a LIST reference and pattern stand for (RFC 3501 §6.3.8): the reference is prefixed to
 * the pattern, unless the pattern is absolute (starts with the separator).
 */
export function joinReference(reference: string, pattern: string): string {
  if (reference === '' || pattern.startsWith(SEPARATOR)) return pattern;
  return reference + pattern;
}

/**
 * RFC 3501 §6.3.8, `LIST reference ""`: the root of the reference's hierarchy, i.e. the reference up
 * to and including its first separator ("/usr/staff/jones" -> "/", "~/Mail/" -> "~/"), or "".
 */
export function hierarchyRoot(reference: string): string {
  const at = reference.indexOf(SEPARATOR);
  return at === -1 ? '' : reference.slice(0, at + 1);
}

/** RFC 3501 §9 ATOM-CHAR plus resp-specials "]" (ASTRING-CHAR), and the list wildcards LIST names may echo. */
const ASTRING_ATOM = /^[^\x00-\x20\x7f-\uffff(){%*"\\]+$/;

/**
 * A mailbox name as it goes in a response: an atom when it is one (`blurdybloop`, `foo/bar`),
 * a quoted string otherwise (`"Sent Items"`, `""`), a literal when it holds 8-bit text.
 */
export function mailboxNameOnWire(name: string): Buffer {
  if (ASTRING_ATOM.test(name) && name.toUpperCase() !== 'NIL') return Buffer.from(name, 'latin1');
  if (/^[\x01-\x7f]*$/.test(name) && !/[\r\n]/.test(name)) return Buffer.from(`"${name.replace(/[\\"]/g, '\\$&')}"`, 'latin1');
  const bytes = Buffer.from(name, 'utf8');
  return Buffer.concat([Buffer.from(`{${bytes.length}}\r\n`), bytes]);
}
