/**
 * The grey hint after the cursor, as redis-cli shows it: the syntax of the command being typed, from
 * the argument under the cursor on (`SELECT ` hints `mailbox`, `FETCH 1 ` hints `(items)`). Read from
 * the command tables, so help and hints never disagree. Pure.
 */
import { IMAP_UID_SUBCOMMANDS, findImapCommand } from '../protocol/imap/commands.js';
import { findPop3Command } from '../protocol/pop3/commands.js';
import type { Protocol } from '../session/events.js';
import { readTypedLine } from './typed-line.js';

export interface HintContext {
  protocol: Protocol;
  /** The shell's commands: name with its dot, and syntax starting with the name (`.record [FILE|stop]`). */
  metaCommands: ReadonlyArray<{ name: string; syntax: string }>;
  /** The server's capabilities: IMAP ones name commands too (docs/auto-tags.md). */
  capabilities?: Iterable<string>;
}

/**
 * The arguments of a syntax line as groups: `STORE sequence-set [+|-]FLAGS[.SILENT] (flags)` gives
 * `sequence-set`, `[+|-]FLAGS[.SILENT]`, `(flags)`; a bracketed optional part stays one group.
 * Only the first of alternatives separated by " | " is read.
 */
export function syntaxGroups(syntax: string): string[] {
  const first = syntax.split(' | ')[0] as string;
  const groups: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of first) {
    if ('[({'.includes(c)) depth++;
    if (')]}'.includes(c)) depth = Math.max(0, depth - 1);
    if (c === ' ' && depth === 0) {
      if (current !== '') groups.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  if (current !== '') groups.push(current);
  return groups.slice(1).map((g) => (/^\{\w+\}$/.test(g) ? `${g}|{file:PATH}` : g));
}

/**
 * What to show after the cursor for the line typed so far (the cursor at its end): "" for nothing.
 * Starts with a blank when the line does not end in one.
 */
export function hintFor(line: string, ctx: HintContext): string {
  const trimmed = line.trimStart();
  if (trimmed === '') return '';
  const endsBlank = /\s$/.test(line);
  if (trimmed.startsWith('.') && !trimmed.startsWith('..')) {
    const t = readTypedLine(trimmed, { imap: false });
    const name = (t.argIndex < 0 ? t.word : t.commandText).toLowerCase();
    const meta = ctx.metaCommands.find((m) => m.name === name);
    if (!meta) return '';
    return rest(syntaxGroups(meta.syntax), t.argIndex, endsBlank, t.word);
  }
  const imap = ctx.protocol === 'imap';
  const t = readTypedLine(line, { imap, capabilities: ctx.capabilities ?? [] });
  if (t.depth > 0 || t.inQuote) return '';
  if (t.argIndex < 0) {
    // The command word itself, complete: show all of its arguments.
    const spec = imap ? findImapCommand(t.word) : findPop3Command(t.word);
    if (!spec || spec.name.toUpperCase() !== t.word.toUpperCase() || ('experimental' in spec && spec.experimental === true)) return '';
    if (imap && spec.name === 'UID') return ` ${IMAP_UID_SUBCOMMANDS.join('|')} arguments`;
    const groups = syntaxGroups(spec.syntax);
    return groups.length === 0 ? '' : ` ${groups.join(' ')}`;
  }
  if (imap && t.command === 'UID') {
    return t.word === '' ? `${IMAP_UID_SUBCOMMANDS.join('|')} arguments` : '';
  }
  const name = imap && t.command.startsWith('UID ') ? t.command.slice(4) : t.command;
  const spec = imap ? findImapCommand(name) : findPop3Command(name);
  if (!spec || ('experimental' in spec && spec.experimental === true)) return '';
  return rest(syntaxGroups(spec.syntax), t.argIndex, endsBlank, t.word);
}

/** The groups from the argument under the cursor on (after it, while its word is being typed). */
function rest(groups: string[], argIndex: number, endsBlank: boolean, word: string): string {
  if (argIndex < 0) return groups.length === 0 || endsBlank ? '' : ` ${groups.join(' ')}`;
  if (endsBlank || word === '') return groups.slice(argIndex).join(' ');
  const after = groups.slice(argIndex + 1);
  return after.length === 0 ? '' : ` ${after.join(' ')}`;
}
