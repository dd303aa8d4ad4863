/**
 * Tab completion that knows the protocol, as node:readline wants it: a pure
 * `(line) => [candidates, word]`, where `word` is the end of the line the candidates replace (the
 * first Tab inserts what all candidates share, the second lists them). Command names valid in the
 * current state (and offered by the server, once its capabilities are known); mailbox names learnt
 * from LIST/LSUB, quoted when they need it; FETCH items, SEARCH keys, STORE actions and flags, STATUS
 * items, SASL mechanisms; POP3 message numbers from the last LIST; the shell's own commands; and file
 * names after `{file:`.
 */
import { IMAP_COMMANDS, IMAP_UID_SUBCOMMANDS, imapCapabilityOffers, type ImapState } from '../protocol/imap/commands.js';
import {
  FETCH_ITEMS, FETCH_SECTIONS, SEARCH_KEYS, SORT_KEYS, STATUS_ITEMS, STORE_ACTIONS, SYSTEM_FLAGS, imapWordOffered, type ImapWord,
} from '../protocol/imap/vocabulary.js';
import { POP3_COMMANDS, type Pop3State } from '../protocol/pop3/commands.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Protocol } from '../session/events.js';
import { readTypedLine, type TypedLine } from './typed-line.js';

export interface CompletionContext {
  protocol: Protocol;
  state: ImapState | Pop3State | 'greeting';
  /** Upper-case capabilities (IMAP CAPABILITY, POP3 CAPA); empty when not known yet. */
  capabilities: ReadonlySet<string>;
  mailboxes: Iterable<string>;
  flags: Iterable<string>;
  messageNumbers: readonly number[];
  /** POP3 SASL mechanisms (IMAP's come from AUTH= capabilities). */
  saslMechanisms: readonly string[];
  /** The shell's commands with their dot, and what each takes as its argument. */
  metaCommands: ReadonlyArray<{ name: string; args?: readonly string[] }>;
  /** Entries of a folder for `{file:` (names of folders end in "/"); absent: no file completion. */
  listFiles?: (dir: string) => string[];
}

export type Completion = [string[], string];

/** RFC 3501 §9 ASTRING-CHAR: what a mailbox name may hold and still go unquoted. */
const ASTRING = /^[^\x00-\x20\x7f(){%*"\\]+$/;
/** RFC 3501 §9 list-char: a LIST pattern may also hold the wildcards "%" and "*" unquoted. */
const LIST_CHARS = /^[^\x00-\x20\x7f(){"\\]+$/;

/**
 * A mailbox name as an argument: as is when it is an astring atom (or, for a LIST pattern, a
 * list-mailbox), else a quoted string (RFC 3501 §4.3).
 */
export function mailboxArgument(name: string, pattern = false): string {
  return (pattern ? LIST_CHARS : ASTRING).test(name) ? name : `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Candidates that start with `word` (case-insensitively), in the user's case when they typed lower case. */
function matching(candidates: Iterable<string>, word: string): string[] {
  const lower = word !== '' && word === word.toLowerCase() && word !== word.toUpperCase();
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (!c.toUpperCase().startsWith(word.toUpperCase())) continue;
    // Flags keep their case (\Seen), keywords too: only plain upper-case words follow the user's case.
    const shown = lower && c === c.toUpperCase() ? c.toLowerCase() : c;
    if (!seen.has(shown)) {
      seen.add(shown);
      out.push(shown);
    }
  }
  return out.sort();
}

/**
 * Completes the line typed so far (the part before the cursor). A candidate that is a whole word
 * ends in a blank, so a unique one leaves the cursor ready for the next argument; those that go on
 * (`BODY[`, a folder `dir/`) do not.
 */
export function complete(line: string, ctx: CompletionContext): Completion {
  const [hits, word] = completeAny(line, ctx);
  return [hits.filter(showsAsItIs), word];
}

/**
 * Readline writes a completion to the terminal as it is: a mailbox name (or capability, flag, file
 * name) learnt from a server that holds ESC, a C1 control or a bidi override would set the window
 * title or recolour the screen. Such a candidate is not offered; its escaped form would name another
 * mailbox, so it is typed by hand (or sent with .raw).
 */
function showsAsItIs(candidate: string): boolean {
  return escapeDisplayText(candidate) === candidate;
}

function completeAny(line: string, ctx: CompletionContext): Completion {
  const file = /\{file:([^}]*)$/.exec(line);
  if (file && ctx.listFiles) return completeFile(file[1] as string, ctx.listFiles);
  const trimmed = line.trimStart();
  const [hits, word] =
    trimmed.startsWith('.') && !trimmed.startsWith('..')
      ? completeMeta(trimmed, ctx)
      : ctx.protocol === 'imap'
        ? completeImap(line, ctx)
        : completePop3(line, ctx);
  return [hits.map((h) => (/[[\/]$/.test(h) ? h : `${h} `)), word];
}

function completeMeta(line: string, ctx: CompletionContext): Completion {
  const typed = readTypedLine(line, { imap: false });
  if (typed.argIndex < 0) return [matching(ctx.metaCommands.map((m) => m.name), typed.word), typed.word];
  const meta = ctx.metaCommands.find((m) => m.name === typed.command.toLowerCase());
  if (!meta?.args || typed.argIndex > 0) return [[], typed.word];
  return [matching(meta.args, typed.word), typed.word];
}

function completeFile(path: string, listFiles: (dir: string) => string[]): Completion {
  const slash = path.lastIndexOf('/');
  const dir = slash >= 0 ? path.slice(0, slash + 1) : '';
  const base = path.slice(slash + 1);
  const hits = listFiles(dir)
    .filter((e) => e.startsWith(base) && (base.startsWith('.') || !e.startsWith('.')))
    .map((e) => `${dir}${e}${e.endsWith('/') ? '' : '}'}`)
    .sort();
  return [hits, path];
}

function imapCommandNames(ctx: CompletionContext): string[] {
  return IMAP_COMMANDS.filter(
    (c) => (ctx.state === 'greeting' || c.states.includes(ctx.state as ImapState)) && (ctx.capabilities.size === 0 || imapCapabilityOffers(c, ctx.capabilities)),
  ).map((c) => c.name);
}

function words(list: readonly ImapWord[], ctx: CompletionContext): string[] {
  return list.filter((w) => imapWordOffered(w, ctx.capabilities)).map((w) => w.word);
}

function completeImap(line: string, ctx: CompletionContext): Completion {
  const t = readTypedLine(line, { imap: true, capabilities: ctx.capabilities });
  const w = t.word;
  if (t.argIndex < 0) return [matching(imapCommandNames(ctx), w), w];
  if (t.command === 'UID' && t.argIndex === 0) return [matching(IMAP_UID_SUBCOMMANDS, w), w];
  const mailboxes = () => completeMailbox(t, ctx);
  const command = t.command.startsWith('UID ') ? t.command.slice(4) : t.command;
  const arg = t.argIndex;
  switch (command) {
    case 'SELECT':
    case 'EXAMINE':
    case 'CREATE':
    case 'DELETE':
    case 'SUBSCRIBE':
    case 'UNSUBSCRIBE':
    case 'GETQUOTAROOT':
    case 'APPEND':
      if (arg === 0) return mailboxes();
      if (command === 'APPEND' && t.depth > 0) return [matching(SYSTEM_FLAGS, w), w];
      return [[], w];
    case 'RENAME':
      return arg <= 1 ? mailboxes() : [[], w];
    case 'LIST':
    case 'LSUB':
      return arg === 1 ? completeMailbox(t, ctx, ['*', '%']) : [[], w];
    case 'STATUS':
      if (arg === 0) return mailboxes();
      return arg === 1 && t.depth > 0 ? [matching(words(STATUS_ITEMS, ctx), w), w] : [[], w];
    case 'COPY':
    case 'MOVE':
      return arg === 1 ? mailboxes() : [[], w];
    case 'FETCH':
      return arg === 1 ? completeFetchItem(t, ctx) : [[], w];
    case 'STORE':
      if (arg === 1) return [matching(STORE_ACTIONS, w), w];
      return arg >= 2 ? [matching([...SYSTEM_FLAGS, ...ctx.flags].filter((f) => f !== '\\*'), w), w] : [[], w];
    case 'SEARCH':
      return [matching(words(SEARCH_KEYS, ctx), w), w];
    case 'SORT':
      if (arg === 0 && t.depth > 0) return [matching(SORT_KEYS, w), w];
      return arg >= 2 ? [matching(words(SEARCH_KEYS, ctx), w), w] : [[], w];
    case 'AUTHENTICATE':
      return arg === 0 ? [matching(saslFromCapabilities(ctx.capabilities), w), w] : [[], w];
    case 'ENABLE':
      return [matching(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT', 'IMAP4REV2', 'METADATA'].filter((c) => ctx.capabilities.size === 0 || ctx.capabilities.has(c)), w), w];
    case 'COMPRESS':
      return arg === 0 ? [matching(['DEFLATE'], w), w] : [[], w];
    default:
      return [[], w];
  }
}

/** `BODY[` sections, then data items. */
function completeFetchItem(t: TypedLine, ctx: CompletionContext): Completion {
  const w = t.word;
  const section = /^(BODY(?:\.PEEK)?\[|BINARY(?:\.PEEK)?\[)([^\]]*)$/i.exec(w);
  if (section) {
    const prefix = section[1] as string;
    return [matching(FETCH_SECTIONS.map((s) => `${prefix}${s}`), w), w];
  }
  return [matching(words(FETCH_ITEMS, ctx), w), w];
}

function completeMailbox(t: TypedLine, ctx: CompletionContext, extra: string[] = []): Completion {
  const w = t.word;
  // A quoted word is matched on what is inside the quotes.
  const typed = w.startsWith('"') ? w.slice(1).replace(/\\(.)/g, '$1') : w;
  const hits: string[] = [];
  for (const name of [...ctx.mailboxes, ...extra]) {
    if (!name.toUpperCase().startsWith(typed.toUpperCase())) continue;
    // INBOX is case-insensitive (RFC 3501 §5.1); every other name is matched as the server spells it.
    if (name.toUpperCase() !== 'INBOX' && !name.startsWith(typed)) continue;
    hits.push(w.startsWith('"') ? `"${name.replace(/[\\"]/g, (c) => `\\${c}`)}"` : mailboxArgument(name, extra.length > 0));
  }
  return [[...new Set(hits)].sort(), w];
}

function saslFromCapabilities(capabilities: ReadonlySet<string>): string[] {
  return [...capabilities].filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
}

function completePop3(line: string, ctx: CompletionContext): Completion {
  const t = readTypedLine(line, { imap: false });
  const w = t.word;
  if (t.argIndex < 0) {
    const names = POP3_COMMANDS.filter(
      (c) =>
        (ctx.state === 'greeting' || c.states.includes(ctx.state as Pop3State)) &&
        (ctx.capabilities.size === 0 || c.capability === undefined || ctx.capabilities.has(c.capability)),
    ).map((c) => c.name);
    return [matching(names, w), w];
  }
  switch (t.command) {
    case 'RETR':
    case 'DELE':
    case 'LIST':
    case 'UIDL':
    case 'TOP':
      return t.argIndex === 0 ? [matching(ctx.messageNumbers.map(String), w), w] : [[], w];
    case 'AUTH':
      return t.argIndex === 0 ? [matching(ctx.saslMechanisms, w), w] : [[], w];
    default:
      return [[], w];
  }
}
