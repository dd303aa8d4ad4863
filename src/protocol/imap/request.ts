/**
 * What a line the user typed means as an IMAP command: whose tag it carries (or that mailwire must add
 * one), which command it is, whether it ends in a literal marker, and which parts of it are secrets
 * that must never be shown or recorded. Pure: text in, analysis out. The server-side framing of
 * literals is the framer's business; this file only reads the lines the user types.
 */
import { SECRET_PLACEHOLDER } from '../secret-placeholder.js';
import { findImapCommand, IMAP_COMMANDS, type ImapCommandSpec } from './commands.js';
import { looksLikeTag, startsWithUserTag } from './command-words.js';

/** A literal marker at the end of a line: `{n}`, `{n+}` (RFC 7888) or `~{n}` (RFC 3516 literal8). */
export interface ImapLiteralMarker {
  /** Octets that follow the line. */
  size: number;
  /** `{n+}`: sent without waiting for the server's "+" (LITERAL+ / LITERAL-, RFC 7888 §3). */
  nonSynchronizing: boolean;
  /** `~{n}`: binary data, may contain NUL (RFC 3516 §4.1, RFC 9051 §4.3.1). */
  binary: boolean;
}

export interface ImapLineAnalysis {
  /** The user's own tag, or null when mailwire must add one. */
  tag: string | null;
  /** Upper-case command name; "UID FETCH" (two words) for UID commands. "" for an empty line. */
  command: string;
  /** Everything after the command name, leading blanks removed. */
  args: string;
  /** The literal marker ending the line, or null. */
  literal: ImapLiteralMarker | null;
}

interface Word {
  text: string;
  start: number;
  end: number;
}

/** SP or HTAB, by char code: these scans run on every command line sent and replayed. */
function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09;
}

/** The first `count` blank-separated words of a line, with their offsets. */
function leadingWords(line: string, count: number): Word[] {
  const words: Word[] = [];
  let i = 0;
  while (words.length < count) {
    while (i < line.length && isBlank(line.charCodeAt(i))) i++;
    if (i >= line.length) break;
    const start = i;
    while (i < line.length && !isBlank(line.charCodeAt(i))) i++;
    words.push({ text: line.slice(start, i), start, end: i });
  }
  return words;
}

interface LineParts {
  tag: string | null;
  command: string;
  /** Offset in the line where the arguments begin. */
  argsStart: number;
}

/**
 * Who wrote the tag (docs/auto-tags.md). A line is a command mailwire tags unless it clearly starts
 * with a tag of the user's: the first word is not a known command, and either the second word is one
 * (`a1 MYRIGHTS INBOX`, `X1 NOOP`, `abc NOOP`) or the first word is shaped like a tag (`a1 FOO x`).
 * Everything else is a command, known or not: `SELCT INBOX` goes out as `A001 SELCT INBOX` and the
 * server's BAD names the typo, instead of mailwire taking SELCT for a tag.
 */
function splitLine(line: string, capabilities: Iterable<string> = []): LineParts {
  const [w0, w1, w2] = leadingWords(line, 3);
  if (!w0) return { tag: null, command: '', argsStart: line.length };
  let tag: string | null = null;
  let commandWord = w0;
  let next = w1;
  if (w1 && startsWithUserTag(w0.text, w1.text, capabilities)) {
    tag = w0.text;
    commandWord = w1;
    next = w2;
  }
  let command = commandWord.text.toUpperCase();
  let end = commandWord.end;
  // RFC 3501 §6.4.8: "UID" takes the command it applies to as its first argument.
  if (command === 'UID' && next) {
    command = `UID ${next.text.toUpperCase()}`;
    end = next.end;
  }
  let argsStart = end;
  while (argsStart < line.length && isBlank(line.charCodeAt(argsStart))) argsStart++;
  return { tag, command, argsStart };
}

/** Where a trailing literal marker starts, with its meaning; null when the text does not end in one. */
function findTrailingLiteral(text: string): { marker: ImapLiteralMarker; start: number } | null {
  // Every command line goes through here, and most do not end in "}": those are not searched.
  if (!text.endsWith('}')) return null;
  const m = /(~?)\{(\d+)(\+?)\}$/.exec(text);
  if (!m) return null;
  const size = Number(m[2]);
  // RFC 3501 §4.2: a number is an unsigned 32-bit integer (RFC 9051 number64 for literal8); a count
  // too big to be exact is no count at all.
  if (!Number.isSafeInteger(size)) return null;
  // A marker inside a quoted string is text: `SEARCH TEXT "a {5}` still has its quote open.
  if (quoteOpenAt(text, m.index)) return null;
  return { marker: { size, nonSynchronizing: m[3] === '+', binary: m[1] === '~' }, start: m.index };
}

/** RFC 3501 §4.3: is a quoted string open at `offset`? Inside quotes `\"` and `\\` are escapes. */
export function quoteOpenAt(text: string, offset: number): boolean {
  let open = false;
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (open && c === '\\') i++;
    else if (c === '"') open = !open;
  }
  return open;
}

/**
 * The literal marker that ends `text` (a command's first line, or the text that goes on after a
 * literal), or null. A marker inside a quoted string does not count.
 */
export function trailingLiteral(text: string): ImapLiteralMarker | null {
  return findTrailingLiteral(text)?.marker ?? null;
}

/**
 * Analyses one line the user typed as an IMAP command line. `capabilities` (the server's, when known)
 * adds the commands they name to those of the table.
 *
 * `select inbox` → tag null, command SELECT; `a1 UID fetch 1:* FLAGS` → tag "a1", command "UID FETCH";
 * `SELCT INBOX` → tag null, command SELCT;
 * `APPEND saved-messages (\Seen) {310}` → literal {size: 310, nonSynchronizing: false, binary: false}.
 */
export function analyzeImapLine(line: string, capabilities: Iterable<string> = []): ImapLineAnalysis {
  // Most lines are read in one pass; what that pass does not take, the rule reads word by word.
  const common = readCommonImapLine(line);
  if (common !== undefined) return { tag: common.tag, command: common.command, args: common.args, literal: common.literal };
  return analyzeImapLineWordByWord(line, capabilities);
}

/**
 * analyzeImapLine's general reading, by the rule of docs/auto-tags.md word by word, for every line:
 * what readCommonImapLine is held to.
 */
export function analyzeImapLineWordByWord(line: string, capabilities: Iterable<string> = []): ImapLineAnalysis {
  const parts = splitLine(line, capabilities);
  return {
    tag: parts.tag,
    command: parts.command,
    args: line.slice(parts.argsStart),
    literal: trailingLiteral(line),
  };
}

/** A word of printable ASCII alone: upper-casing it changes nothing but its letters. */
const PRINTABLE_ASCII_WORD = /^[!-~]+$/;

/**
 * Does no command of the table look like a tag? Then a tag-shaped first word is never a known
 * command, which is what readCommonImapLine rests on (it is used only while this holds).
 */
const NO_TAG_SHAPED_COMMAND = IMAP_COMMANDS.every((spec) => !looksLikeTag(spec.name));

/** What analyzeImapLine gives, with the command's table entry. */
export interface CommonImapLine extends ImapLineAnalysis {
  spec: ImapCommandSpec;
}

/**
 * analyzeImapLine for the lines sent most (`a1 NOOP`, `A7 FETCH 1:* FLAGS`, `SELECT INBOX`), read in
 * one pass, with the command's table entry; undefined for any other line, which analyzeImapLine reads
 * word by word. Every command sent and replayed comes through here, so it is kept short. Taken: a first word of printable ASCII that is shaped like a tag and followed by
 * one SP and a command of the table, or that is a command of the table itself (not UID, not X<atom>).
 * For those the server's capabilities cannot change the reading (docs/auto-tags.md), so none are asked.
 */
export function readCommonImapLine(line: string): CommonImapLine | undefined {
  if (!NO_TAG_SHAPED_COMMAND) return undefined;
  const space = line.indexOf(' ');
  const first = space < 0 ? line : line.slice(0, space);
  if (!PRINTABLE_ASCII_WORD.test(first)) return undefined;
  let tag: string | null = null;
  let word = first;
  let end = first.length;
  if (looksLikeTag(first)) {
    // A tag-shaped word is no command of the table: a second word makes it the user's tag.
    if (space < 0) return undefined;
    end = space + 1;
    while (end < line.length && !isBlank(line.charCodeAt(end))) end++;
    word = line.slice(space + 1, end);
    if (!PRINTABLE_ASCII_WORD.test(word)) return undefined;
    tag = first;
  }
  const spec = findImapCommand(word);
  if (spec === undefined || spec.experimental === true || spec.name === 'UID') return undefined;
  let argsStart = end;
  while (argsStart < line.length && isBlank(line.charCodeAt(argsStart))) argsStart++;
  return { tag, command: word.toUpperCase(), args: line.slice(argsStart), literal: trailingLiteral(line), spec };
}

/** RFC 2177 §3: a line "DONE" ends IDLE; it is a continuation, not a command (gets no tag). */
export function isIdleDone(line: string): boolean {
  return /^DONE$/i.test(line.trim());
}

/**
 * Hands out tags A001, A002, ... for commands typed without one, never a tag the user already used
 * (compared case-insensitively, so `a001` typed by hand keeps A001 out too: the transcript stays
 * unambiguous to a reader).
 */
export class TagAllocator {
  private counter = 1;
  /**
   * The numbers n whose tag format(n) is taken. Only such tags can stand in next()'s way, so a tag of
   * another shape (`a1`, `x.7`) is not kept at all: a replay of 10^4 commands with tags of its own
   * would otherwise keep 10^4 upper-cased strings, and numbers hash cheaper than strings.
   */
  private readonly used = new Set<number>();

  /** The prefix as a typed tag is compared with it (case-insensitively). */
  private readonly upperPrefix: string;

  constructor(
    private readonly prefix = 'A',
    private readonly width = 3,
  ) {
    this.upperPrefix = prefix.toUpperCase();
  }

  /** The tag next() will return. */
  peek(): string {
    return this.format(this.firstFree());
  }

  /** A fresh tag, marked used. */
  next(): string {
    const n = this.firstFree();
    this.counter = n + 1;
    this.used.add(n);
    return this.format(n);
  }

  /** Records a tag the user typed, so it is not handed out later (compared case-insensitively). */
  markUsed(tag: string): void {
    const n = this.numberOf(tag);
    if (n !== null) this.used.add(n);
  }

  /** n when `tag` is format(n) but for case; null for a tag next() never makes. */
  private numberOf(tag: string): number | null {
    const upper = tag.toUpperCase();
    const prefix = this.upperPrefix;
    const digitCount = upper.length - prefix.length;
    // format(n) upper-cased is the prefix upper-cased and at least `width` digits: shorter tags (`a1`,
    // `x7`, most tags people type) are none of its.
    if (digitCount < this.width || digitCount === 0 || !upper.startsWith(prefix)) return null;
    let n = 0;
    for (let i = prefix.length; i < upper.length; i++) {
      const digit = upper.charCodeAt(i) - 0x30;
      if (digit < 0 || digit > 9) return null;
      n = n * 10 + digit;
    }
    // Up to 15 digits n is exact, and format(n) writes it back unless a zero leads beyond the width.
    if (digitCount <= 15) return digitCount > this.width && upper.charCodeAt(prefix.length) === 0x30 ? null : n;
    const exact = Number(upper.slice(prefix.length));
    return this.format(exact).toUpperCase() === upper ? exact : null;
  }

  private firstFree(): number {
    let n = this.counter;
    while (this.used.has(n)) n++;
    return n;
  }

  private format(n: number): string {
    return `${this.prefix}${String(n).padStart(this.width, '0')}`;
  }
}

// ---------------------------------------------------------------------------------------------------
// Secrets

/** A masked line and whether anything was replaced. */
export interface MaskedLine {
  masked: string;
  secretFound: boolean;
}

/** Where a command's arguments are in one text segment. */
interface Token {
  start: number;
  end: number;
}

/**
 * The arguments in `text`, as spans: atoms (up to the next blank), quoted strings with their escapes
 * (RFC 3501 §4.3), parenthesized lists. An unterminated quote or list runs to the end of the text.
 */
function argumentTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    const start = i;
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      i = Math.min(i + 1, text.length);
    } else if (text[i] === '(') {
      let depth = 0;
      let quoted = false;
      for (; i < text.length; i++) {
        const c = text[i];
        if (quoted) {
          if (c === '\\') i++;
          else if (c === '"') quoted = false;
        } else if (c === '"') quoted = true;
        else if (c === '(') depth++;
        else if (c === ')' && --depth === 0) {
          i++;
          break;
        }
      }
    } else {
      while (i < text.length && !isBlank(text.charCodeAt(i))) i++;
    }
    tokens.push({ start, end: Math.min(i, text.length) });
  }
  return tokens;
}

/** The outcome of reading a whole command (its first line and the text after each literal). */
export interface MaskedImapCommand {
  /** The segments with secret arguments replaced by SECRET_PLACEHOLDER. */
  segments: string[];
  /** For each literal marker met in the segments: is that literal's data a secret? */
  literalSecret: boolean[];
  /** For each segment: was a secret replaced in it? */
  segmentSecret: boolean[];
  /** A secret was replaced in some segment (secret literals are not counted here). */
  secretFound: boolean;
  /** Arguments seen so far, literals included: where a further literal would stand. */
  argumentsSeen: number;
  /** The command's table entry, if known. */
  spec: ImapCommandSpec | undefined;
}

/**
 * Masks the secrets of a whole command: `segments[0]` is its first line (tagged or not), each later
 * segment the text that went on after a literal. LOGIN's password and AUTHENTICATE's initial response
 * (RFC 4959 §3) are replaced by SECRET_PLACEHOLDER, from the secret argument to the end of its
 * segment (a password typed with a space in it is still masked whole); a literal marker stays visible,
 * and `literalSecret` says which literals carry secrets instead. AUTHENTICATE's "=" (an empty initial
 * response) is shown: it hides nothing.
 */
export function maskImapCommand(segments: readonly string[]): MaskedImapCommand {
  const first = segments[0] ?? '';
  const parts = splitLine(first);
  const spec = findImapCommand(parts.command.split(' ')[0] ?? '');
  const secretFrom = spec?.secretArgsFrom;
  const out: string[] = [];
  const literalSecret: boolean[] = [];
  const segmentSecret: boolean[] = [];
  let secretFound = false;
  let argIndex = 0;
  segments.forEach((segment, i) => {
    const offset = i === 0 ? parts.argsStart : 0;
    const text = segment.slice(offset);
    const literal = findTrailingLiteral(text);
    const body = literal ? text.slice(0, literal.start) : text;
    const tokens = argumentTokens(body);
    let masked = segment;
    const from = secretFrom === undefined ? undefined : tokens[Math.max(0, secretFrom - argIndex)];
    const last = tokens[tokens.length - 1];
    if (from && last && !(spec?.continuation === 'sasl' && from === last && body.slice(from.start, from.end) === '=')) {
      masked = segment.slice(0, offset + from.start) + SECRET_PLACEHOLDER + segment.slice(offset + last.end);
      secretFound = true;
    }
    out.push(masked);
    segmentSecret.push(masked !== segment);
    argIndex += tokens.length;
    if (literal) {
      literalSecret.push(secretFrom !== undefined && argIndex >= secretFrom);
      argIndex++;
    }
  });
  return { segments: out, literalSecret, segmentSecret, secretFound, argumentsSeen: argIndex, spec };
}

/**
 * The names of the commands whose arguments are secrets (`secretArgsFrom` in the table: LOGIN,
 * AUTHENTICATE), upper case, as one pattern. maskImapCommand finds a command by its upper-cased
 * word, so a line is tested upper-cased too: `logın` (dotless i) upper-cases to LOGIN, which a
 * case-insensitive pattern would not see. A table without such commands gives a pattern that
 * matches every line: nothing is skipped then.
 */
const SECRET_COMMAND_SOURCE = IMAP_COMMANDS.filter((spec) => spec.secretArgsFrom !== undefined)
  .map((spec) => spec.name.toUpperCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|');
const SECRET_COMMAND_NAMES = new RegExp(SECRET_COMMAND_SOURCE);
/** The same names in any case: for a line of ASCII alone, where no letter upper-cases to another letter's capital. */
const SECRET_COMMAND_NAMES_ANY_CASE = new RegExp(SECRET_COMMAND_SOURCE, 'i');
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Can masking change this command line? False when it does not name a command with secret
 * arguments anywhere, in any case: then maskImapCommand([line]) shows the line as it is, hides no
 * literal, and the session may skip it for every NOOP, SELECT or FETCH it sends. A line of ASCII
 * alone (nearly every one) is tested as it is, without an upper-cased copy.
 */
export function imapLineMayHoldSecret(line: string): boolean {
  return NON_ASCII.test(line) ? SECRET_COMMAND_NAMES.test(line.toUpperCase()) : SECRET_COMMAND_NAMES_ANY_CASE.test(line);
}

/** The rest of a command when masking a line that is not its first one. */
export interface ImapMaskContext {
  /**
   * The text segments of the same command sent before this line, starting with its first line; each
   * of them ended in a literal marker whose data came before the next.
   */
  earlierSegments: readonly string[];
}

/**
 * Masks the secrets of one line sent to the server. Without `ctx` the line is a command's first line
 * (`a1 LOGIN joe "se cret"` → `a1 LOGIN joe <secret>`, `AUTHENTICATE PLAIN dGVzdA==` →
 * `AUTHENTICATE PLAIN <secret>`); with `ctx` it is text going on after a literal of that command
 * (`LOGIN {4}` / literal `fred` / ` "pw"` → ` <secret>`). A literal marker is never masked: ask
 * literalIsSecret() whether the literal's data is a secret.
 */
export function maskImapSecrets(line: string, ctx?: ImapMaskContext): MaskedLine {
  const segments = ctx ? [...ctx.earlierSegments, line] : [line];
  const result = maskImapCommand(segments);
  // Only this line's masking counts: earlier lines were reported when they were masked.
  const last = segments.length - 1;
  return { masked: result.segments[last] ?? line, secretFound: result.segmentSecret[last] ?? false };
}

/**
 * Is the data of the command's literal number `literalIndex` (0-based, in order of sending) a secret?
 * True for LOGIN's password sent as a literal: `LOGIN fred {6}` (literal 0), `LOGIN {4}` then ` {6}`
 * (literal 1). `commandLine` is the command's first line; `continued` are the segments that followed
 * each literal, when known. Without them, a later literal is assumed to be the next argument, which
 * is exact for LOGIN (two arguments) and errs on the side of masking.
 */
export function literalIsSecret(commandLine: string, literalIndex: number, continued: readonly string[] = []): boolean {
  const result = maskImapCommand([commandLine, ...continued]);
  const known = result.literalSecret[literalIndex];
  if (known !== undefined) return known;
  const from = result.spec?.secretArgsFrom;
  if (from === undefined || literalIndex < result.literalSecret.length) return false;
  // Literals beyond the segments we were given: each is taken as one more argument.
  return result.argumentsSeen + (literalIndex - result.literalSecret.length) >= from;
}

/**
 * Masks a line the user sends in answer to a "+" continuation request of `command` (the command name
 * as analyzeImapLine gives it). During AUTHENTICATE every response carries credentials (RFC 3501
 * §6.2.2) and the whole line becomes SECRET_PLACEHOLDER, except "*" (cancels the exchange) and an empty
 * line (an empty response hides nothing). IDLE's DONE and other lines are shown as they are.
 */
export function maskImapContinuationResponse(command: string, line: string): MaskedLine {
  const spec = findImapCommand(command.split(' ')[0] ?? '');
  if (spec?.continuation !== 'sasl' || line === '' || line.trim() === '*') return { masked: line, secretFound: false };
  return { masked: SECRET_PLACEHOLDER, secretFound: true };
}
