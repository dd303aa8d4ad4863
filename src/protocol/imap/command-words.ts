/**
 * What the first word of a typed IMAP line is: a command mailwire knows (the IANA registry, X<atom>
 * commands, what the server's CAPABILITY names), a word shaped like a tag, or neither (a typo, or a
 * command nobody listed), and the command a typo probably meant. request.ts decides tags with these;
 * the shell names unknown commands with them. Pure.
 */
import { IMAP_COMMANDS, IMAP_UID_SUBCOMMANDS, findImapCommand } from './commands.js';
import { editDistance } from '../edit-distance.js';

/**
 * Does `word` look like a tag rather than a command? Tags people type hold a digit or a dot (`a1`,
 * `A001`, `x.1`); no command of the registry does (RFC 3501 §9: both are atoms, so only the shape
 * can tell).
 */
export function looksLikeTag(word: string): boolean {
  return /[0-9.]/.test(word);
}

/**
 * Is `word` a command? Those of the table (RFC 3501, the IANA registry), and a word the server's
 * CAPABILITY names (`SCAN`, `XAPPLEPUSHSERVICE`): a capability without "=" is often the command it
 * allows. Generic X<atom> words are not counted here: `X1 NOOP` starts with a tag.
 */
export function isKnownImapCommand(word: string, capabilities: Iterable<string> = []): boolean {
  const spec = findImapCommand(word);
  if (spec !== undefined && spec.experimental !== true) return true;
  if (looksLikeTag(word) || word.includes('=')) return false;
  const upper = word.toUpperCase();
  for (const c of capabilities) if (c.toUpperCase() === upper) return true;
  return false;
}

/**
 * docs/auto-tags.md: does a line whose first word is `first` and second `second` (undefined when it
 * has none) start with a tag of the user's? Only clearly: the first word is no known command, and
 * the second is one, or the first is shaped like a tag. Everything else is a command mailwire tags.
 * The send path (request.ts) and the shell's completion and hints read lines by this one rule.
 */
export function startsWithUserTag(first: string, second: string | undefined, capabilities: Iterable<string> = []): boolean {
  return !isKnownImapCommand(first, capabilities) && second !== undefined && (isKnownImapCommand(second, capabilities) || looksLikeTag(first));
}

/**
 * The command a mistyped word most likely meant (`SELCT` → SELECT, `fetc` → FETCH), or null when
 * none is close: at most one edit for short words, two from six letters on.
 */
export function nearestImapCommand(word: string): string | null {
  const upper = word.toUpperCase();
  const cap = upper.length >= 6 ? 2 : 1;
  let best: { name: string; distance: number } | null = null;
  for (const spec of IMAP_COMMANDS) {
    const distance = editDistance(upper, spec.name, cap);
    if (distance <= cap && (best === null || distance < best.distance)) best = { name: spec.name, distance };
  }
  return best?.name ?? null;
}

/**
 * A command mailwire does not know, or null for a known one: the command as shown (`SELCT`, `UID
 * FEHTC`) and the known command it may stand for (`SELECT`, `UID FETCH`), null when none is near. The
 * shell words it in its language (`unknown command SELCT: did you mean SELECT?`). `command` is the
 * command as analyzeImapLine gives it ("UID FEHTC" for UID). X<atom> commands (RFC 3501 §6.5.1) and
 * words the server's CAPABILITY names are known.
 */
export function unknownImapCommand(command: string, capabilities: Iterable<string> = []): { command: string; near: string | null } | null {
  const words = command.split(' ');
  const uid = words[0] === 'UID' && words.length > 1;
  const word = uid ? (words[1] as string) : (words[0] as string);
  if (word === '') return null;
  if (uid ? IMAP_UID_SUBCOMMANDS.includes(word) : isKnownImapCommand(word, capabilities) || findImapCommand(word) !== undefined) return null;
  const near = nearestImapCommand(word);
  return { command: uid ? `UID ${word}` : word, near: near === null ? null : uid ? `UID ${near}` : near };
}

/** The shell's remark on an unknown command, worded by `text` (the shell's catalogue). */
export function unknownImapCommandRemark(unknown: { command: string; near: string | null }, text: (key: string, values: Readonly<Record<string, string>>) => string): string {
  return unknown.near === null ? text('shell.unknown-command.sent', { command: unknown.command }) : text('shell.unknown-command.near', { command: unknown.command, near: unknown.near });
}
