/**
 * What a line being typed says so far, as completion and hints need it: the tag (if the user typed
 * one), the command, which argument the cursor is in, and the word under it. IMAP syntax decides
 * the words (RFC 3501 §4: quoted strings with their escapes, parenthesized lists); POP3 and the
 * shell's own commands are blank-separated words, which the same reading gives. Pure.
 */
import { IMAP_COMMANDS } from '../protocol/imap/commands.js';
import { startsWithUserTag } from '../protocol/imap/command-words.js';

interface Token {
  kind: 'word' | 'open' | 'close';
  text: string;
  start: number;
  /** Parenthesis depth where the token starts (a list's "(" is at the depth outside it). */
  depth: number;
}

export interface TypedLine {
  /** The user's own IMAP tag, or null. */
  tag: string | null;
  /** Upper-case command; "UID FETCH" for UID commands; "" while the command itself is being typed. */
  command: string;
  /** The command as typed (for keeping the user's case). */
  commandText: string;
  /** Top-level arguments typed before the one under the cursor (a list counts as one). */
  argsBefore: string[];
  /** Index of the argument under the cursor (0 = first after the command); -1 while typing the command. */
  argIndex: number;
  /** The word being typed (from its start to the end of the line), possibly "". */
  word: string;
  /** Depth of parentheses at the cursor: 1 inside `(FLAGS ENV`. */
  depth: number;
  /** The word under the cursor opens a quoted string. */
  inQuote: boolean;
}

function tokenize(line: string): { tokens: Token[]; openQuote: boolean } {
  const tokens: Token[] = [];
  let depth = 0;
  let i = 0;
  let openQuote = false;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '(') {
      tokens.push({ kind: 'open', text: c, start: i, depth });
      depth++;
      i++;
      continue;
    }
    if (c === ')') {
      depth = Math.max(0, depth - 1);
      tokens.push({ kind: 'close', text: c, start: i, depth });
      i++;
      continue;
    }
    const start = i;
    // A word: atom characters and quoted strings (`"a b"`, `BODY[HEADER.FIELDS ("x")]` is good enough as is).
    let bracket = 0;
    while (i < line.length) {
      const ch = line[i] as string;
      if (ch === '"') {
        i++;
        openQuote = true;
        while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
        if (i < line.length) {
          openQuote = false;
          i++;
        }
        continue;
      }
      if (ch === '[') bracket++;
      if (ch === ']') bracket = Math.max(0, bracket - 1);
      if (bracket === 0 && (ch === ' ' || ch === '\t' || ch === '(' || ch === ')')) break;
      i++;
    }
    tokens.push({ kind: 'word', text: line.slice(start, Math.min(i, line.length)), start, depth });
  }
  return { tokens, openQuote };
}

/** The command a word being typed begins (`FET` -> FETCH), or the word itself. */
function commandBegun(word: string): string {
  if (word === '') return word;
  const upper = word.toUpperCase();
  return IMAP_COMMANDS.find((c) => c.name.startsWith(upper))?.name ?? word;
}

/**
 * Reads an IMAP line (tags, UID commands); `imap: false` reads POP3 or a shell command. `capabilities`
 * are the server's, which name commands too (docs/auto-tags.md).
 */
export function readTypedLine(line: string, { imap, capabilities = [] }: { imap: boolean; capabilities?: Iterable<string> }): TypedLine {
  const { tokens, openQuote } = tokenize(line);
  const last = tokens[tokens.length - 1];
  // The word under the cursor: the last token if nothing separates it from the end of the line.
  const typing = last?.kind === 'word' && last.start + last.text.length === line.length ? last : null;
  const done = typing ? tokens.slice(0, -1) : tokens;
  const depth = typing ? typing.depth : done.reduce((d, t) => (t.kind === 'open' ? d + 1 : t.kind === 'close' ? Math.max(0, d - 1) : d), 0);
  const word = typing?.text ?? '';
  const inQuote = typing !== null && openQuote;

  // Top-level items (words and whole lists), in order, with where each starts.
  const items: string[] = [];
  let itemStart = -1;
  for (const t of done) {
    if (t.depth > 0) continue;
    if (t.kind === 'word') items.push(t.text);
    else if (t.kind === 'open') itemStart = t.start;
    else if (itemStart >= 0) {
      items.push(line.slice(itemStart, t.start + 1));
      itemStart = -1;
    }
  }
  let tag: string | null = null;
  let cmdIndex = 0;
  if (imap && items.length > 0) {
    const first = items[0] as string;
    // The rule that decides the tag when the line is sent (docs/auto-tags.md), so that completion and
    // hints read the line as it will go out. A second word still being typed counts as the command
    // it begins, if it begins one: `a1 FET` and `abc SEL` complete as the commands they will be.
    const second = items[1] ?? (items.length === 1 ? commandBegun(word) : undefined);
    if (startsWithUserTag(first, second, capabilities)) {
      tag = first;
      cmdIndex = 1;
    }
  }
  const commandWord = items[cmdIndex];
  if (commandWord === undefined) {
    return { tag, command: '', commandText: '', argsBefore: [], argIndex: -1, word, depth, inQuote };
  }
  let command = commandWord.toUpperCase();
  let commandText = commandWord;
  let argsFrom = cmdIndex + 1;
  if (imap && command === 'UID') {
    const sub = items[cmdIndex + 1];
    if (sub === undefined) {
      return { tag, command, commandText, argsBefore: [], argIndex: 0, word, depth, inQuote };
    }
    command = `UID ${sub.toUpperCase()}`;
    commandText = `${commandWord} ${sub}`;
    argsFrom++;
  }
  // An open list being typed is not in `items` yet: it is the argument under the cursor.
  const argsBefore = items.slice(argsFrom);
  return { tag, command, commandText, argsBefore, argIndex: argsBefore.length, word, depth, inQuote };
}
