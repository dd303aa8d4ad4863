/**
 * A client command as the sandbox reads it (RFC 3501 §2.2.1, §9): the tag and command name from the
 * first line, the arguments parsed as IMAP values by the shared parser (literals taken by count),
 * and typed accessors for the argument kinds the commands use. Pure.
 */
import { ImapSyntaxError, parseImapValues, type ImapValue } from '../protocol/imap/values.js';

const SP = 0x20;

/** RFC 3501 §9: tag = 1*<any ASTRING-CHAR except "+">. */
const TAG = /^[^\x00-\x20\x7f(){%*"\\+]+$/;
const COMMAND_NAME = /^[A-Za-z][A-Za-z0-9.-]*$/;

/** The start of a command line: its tag and (upper-cased) name, and where the arguments begin. */
export interface CommandStart {
  tag: string;
  name: string;
  /** Octet offset of the arguments in the first segment (after the name and one space). */
  argsStart: number;
}

/**
 * Reads the tag and command name. Null tag when the line has no usable tag (then only an untagged
 * BAD can answer it); null name when the tag is fine but no command name follows.
 */
export function parseCommandStart(line: Buffer): { tag: string | null; start: CommandStart | null } {
  const sp1 = line.indexOf(SP);
  const tag = line.subarray(0, sp1 === -1 ? line.length : sp1).toString('latin1');
  if (!TAG.test(tag)) return { tag: null, start: null };
  if (sp1 === -1) return { tag, start: null };
  let end = line.indexOf(SP, sp1 + 1);
  if (end === -1) end = line.length;
  const name = line.subarray(sp1 + 1, end).toString('latin1');
  if (!COMMAND_NAME.test(name)) return { tag, start: null };
  return { tag, start: { tag, name: name.toUpperCase(), argsStart: Math.min(end + 1, line.length) } };
}

/** A complete command: what the dispatcher works on. */
export interface ImapCommand {
  tag: string;
  /** Upper-case name; for UID commands the subcommand, with `uid` set. */
  name: string;
  uid: boolean;
  args: ImapValue[];
}

/** Arguments that do not parse: the command gets a BAD with this sentence. */
export class ArgumentError extends Error {}

/** Parses the arguments of a command assembled from its segments and literals. */
export function parseCommandArgs(segments: readonly Buffer[], literals: readonly Buffer[], argsStart: number): ImapValue[] {
  try {
    return parseImapValues(segments, literals, { start: argsStart });
  } catch (error) {
    if (error instanceof ImapSyntaxError) throw new ArgumentError(error.message);
    throw error;
  }
}

/** RFC 3501 §9 astring (atom, quoted string or literal) as text. */
export function astringArg(v: ImapValue | undefined, what: string): string {
  if (v === undefined) throw new ArgumentError(`Missing ${what}`);
  if (v.type === 'string') return v.value.toString('utf8');
  if (v.type === 'atom' && !v.section) return v.value;
  if (v.type === 'number') return String(v.value);
  // NIL is an atom to commands that take an astring (a user called NIL, a mailbox called NIL).
  if (v.type === 'nil') return 'NIL';
  throw new ArgumentError(`Invalid ${what}`);
}

/** A mailbox name (RFC 3501 §9 mailbox = "INBOX" / astring); "[Gmail]/Sent" typed bare is read whole. */
export function mailboxArg(v: ImapValue | undefined): string {
  if (v?.type === 'atom' && v.section !== undefined) {
    throw new ArgumentError('Invalid mailbox name: quote names that contain "[" or "]"');
  }
  return astringArg(v, 'mailbox name');
}

/** A parenthesized list of atoms (flags, status items). */
export function atomListArg(v: ImapValue | undefined, what: string): string[] {
  if (v === undefined) throw new ArgumentError(`Missing ${what}`);
  const items = v.type === 'list' ? v.items : [v];
  return items.map((item) => {
    if (item.type === 'atom' && !item.section) return item.value;
    throw new ArgumentError(`Invalid ${what}`);
  });
}

/** Fails when arguments are left over. */
export function noMoreArgs(args: readonly ImapValue[], from: number): void {
  if (args.length > from) throw new ArgumentError('Too many arguments');
}

const SYSTEM_FLAG_NAMES = new Map(['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft', '\\Recent'].map((f) => [f.toLowerCase(), f]));

/**
 * Flags given by a client (APPEND, STORE): system flags in their canonical spelling (`\seen` is
 * `\Seen`, RFC 3501 §2.3.2 flags are case-insensitive), keywords as given. \Recent cannot be set by
 * a client and is dropped; an unknown `\Flag` is an error (RFC 3501 §9: flag-extension is reserved).
 */
export function flagArgs(v: ImapValue | undefined): string[] {
  const out: string[] = [];
  for (const raw of atomListArg(v, 'flag list')) {
    if (raw.startsWith('\\')) {
      const flag = SYSTEM_FLAG_NAMES.get(raw.toLowerCase());
      if (!flag) throw new ArgumentError(`Invalid system flag ${raw}`);
      if (flag !== '\\Recent' && !out.includes(flag)) out.push(flag);
    } else if (!out.includes(raw)) {
      out.push(raw);
    }
  }
  return out;
}
