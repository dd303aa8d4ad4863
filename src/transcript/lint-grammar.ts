/**
 * lint's reading of transcript lines against a grammar (protocol/abnf.ts): a group of lines becomes
 * the octets they stand for, patterned lines are tried with stand-ins for their holes, and a failure
 * is told as the RFCs name things, with what was found shown as the user wrote it (UTF-8, escaped
 * where unsafe, never cut inside a character or, where a word boundary is near, inside a word). Pure.
 */
import type { Grammar, MatchLimitKind } from '../protocol/abnf.js';
import { escapeDisplayText, escapeServerText } from '../render/escape.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { wireBytes, type TranscriptLine } from './format.js';
import { lintText, type LintText } from './lint-text.js';
import { parsePattern } from './pattern.js';

export type Severity = 'error' | 'note';

/** A finding as the linters make it: what it says is a text of lint's catalogue, in no language yet. */
export interface KeyedFinding {
  /** The transcript line, or null for the whole file. */
  lineNo: number | null;
  severity: Severity;
  /** A short name of what was checked: grammar, tag, literal-count, sync-literal, state, ... */
  rule: string;
  text: LintText;
}

/** Why lines do not match a rule: the line, what is wrong, and how far the reading got (octets). */
export interface GrammarFailure {
  at: TranscriptLine;
  /** "not a response-tagged (formal syntax): at column 6, ..." */
  text: LintText;
  /** Its part after the rule: "at column 6, expected ...; found ...". */
  detail: LintText;
  furthest: number;
  /** The 1-based column (in characters) of `at` where the reading stopped. */
  column: number;
  /**
   * The input was too complex or nested too deep for the matcher's bounds: not checked, which is a
   * note, not an error (the message says so).
   */
  unchecked?: true;
}

/** Stand-ins a hole may take when a patterned line is checked: a number, a quoted string, a list, a word, a date-time. */
export const HOLE_STAND_INS: readonly string[] = ['1', '"x"', '(1)', 'x', '" 1-Jan-2000 00:00:00 +0000"'];
const MAX_HOLES = 3;

/**
 * Octets of the input that stand for text the transcript writes otherwise: a hole filled with a
 * stand-in (written `$`, `$uid`), a `<secret>` (checked as base64), a dollar sign (written `$$`).
 * Messages quote the transcript as written, so they are shown as written.
 */
interface WrittenAs {
  /** Octets [start, end) of the input. */
  start: number;
  end: number;
  /** The text the transcript writes there. */
  text: string;
}

/** One way of filling a group of lines' holes: the octets checked, and where they differ from the text. */
interface LineVariant {
  bytes: Buffer;
  writtenAs: WrittenAs[];
}

/** A piece of a line: its octets, and what the transcript writes instead (null: the octets themselves). */
type Piece = { bytes: Buffer; written: string | null };

/** What splits a text part into pieces: a dollar sign, a `<secret>` (which holds no character special in a pattern). */
const OWN_PIECES = new RegExp(`(\\$|${SECRET_PLACEHOLDER})`);

/** The pieces of a line's text outside holes: a dollar sign (written "$$") and a `<secret>` are pieces of their own. */
function textPieces(text: string): Piece[] {
  const pieces: Piece[] = [];
  for (const part of text.split(OWN_PIECES)) {
    if (part === '') continue;
    if (part === '$') pieces.push({ bytes: Buffer.from('$'), written: '$$' });
    else if (part === SECRET_PLACEHOLDER) pieces.push({ bytes: Buffer.from('eA=='), written: SECRET_PLACEHOLDER });
    else pieces.push({ bytes: wireBytes(part), written: null });
  }
  return pieces;
}

/** The octets a group of lines stands for, each ended by CRLF: every way of filling their holes. */
function lineVariants(lines: readonly TranscriptLine[], literalChars: readonly number[], standIns: readonly string[]): LineVariant[] | null {
  const perLine: Piece[][][] = [];
  let holes = 0;
  for (const [i, line] of lines.entries()) {
    const literal = line.text.slice(0, literalChars[i] ?? 0);
    const pattern = parsePattern(line.text.slice(literalChars[i] ?? 0));
    holes += pattern.parts.filter((p) => p.kind === 'hole').length;
    if (holes > MAX_HOLES) return null;
    let variants: Piece[][] = [literal === '' ? [] : [{ bytes: wireBytes(literal), written: null }]];
    for (const part of pattern.parts) {
      if (part.kind === 'text') {
        const pieces = textPieces(part.text);
        variants = variants.map((v) => [...v, ...pieces]);
      } else {
        const written = part.name === null ? '$' : `$${part.name}`;
        variants = variants.flatMap((v) => standIns.map((s) => [...v, { bytes: wireBytes(s), written }]));
      }
    }
    perLine.push(variants.map((v) => [...v, { bytes: CRLF, written: null }]));
  }
  let combos: Piece[][] = [[]];
  for (const variants of perLine) combos = combos.flatMap((c) => variants.map((v) => [...c, ...v]));
  return combos.map((pieces) => {
    const writtenAs: WrittenAs[] = [];
    let at = 0;
    for (const p of pieces) {
      if (p.written !== null) writtenAs.push({ start: at, end: at + p.bytes.length, text: p.written });
      at += p.bytes.length;
    }
    return { bytes: Buffer.concat(pieces.map((p) => p.bytes)), writtenAs };
  });
}

const CRLF = Buffer.from('\r\n');

/**
 * The input as the transcript writes it (latin1 octets), and where octet `at` of the input falls in
 * it: in a stand-in, at its start.
 */
function asWritten(input: string, at: number, writtenAs: readonly WrittenAs[]): { input: string; at: number } {
  let out = '';
  let from = 0;
  let mapped = at;
  for (const w of writtenAs) {
    const text = Buffer.from(w.text, 'utf8').toString('latin1');
    out += input.slice(from, w.start) + text;
    from = w.end;
    if (at >= w.end) mapped += text.length - (w.end - w.start);
    else if (at > w.start) mapped -= at - w.start;
  }
  return { input: out + input.slice(from), at: mapped };
}

/** Checks lines against a rule; null when they match (in some filling of their holes), else why not. */
export function grammarCheck(
  grammar: Grammar,
  rule: string,
  lines: readonly TranscriptLine[],
  literalChars: readonly number[],
  columnOffset = 0,
  standIns: readonly string[] = HOLE_STAND_INS,
): GrammarFailure | null {
  const variants = lineVariants(lines, literalChars, standIns);
  if (variants === null) return null;
  const inputs = variants.map((v) => ({ input: v.bytes.toString('latin1'), writtenAs: v.writtenAs }));
  // Whether any filling matches is asked the fast way; only when none does are they read again for
  // the report (Grammar.match, trying everything).
  if (inputs.some(({ input }) => grammar.matches(rule, input))) return null;
  let best: { furthest: number; expected: string[]; input: string; writtenAs: WrittenAs[] } | null = null;
  for (const { input, writtenAs } of inputs) {
    const r = grammar.match(rule, input, { startSets: false });
    if (r.ok) return null;
    if (r.limit !== undefined) return uncheckedFailure(lines[0] as TranscriptLine, r.limit);
    if (!best || r.furthest > best.furthest) best = { furthest: r.furthest, expected: r.expected, input, writtenAs };
  }
  if (!best) return null;
  const shown = asWritten(best.input, best.furthest, best.writtenAs);
  return {
    at: lineAt(lines, best.input, best.furthest),
    ...describeFailure(rule, shown.input, shown.at, best.expected, columnOffset),
    furthest: best.furthest,
    column: columnAt(shown.input, shown.at) + columnOffset,
  };
}

/** Lines the matcher gave up on (its step or depth bound): said so, as a note. */
export function uncheckedFailure(at: TranscriptLine, limit: MatchLimitKind): GrammarFailure {
  const why = lintText(limit.kind === 'depth' ? 'lint.grammar.limit.depth' : 'lint.grammar.limit.steps', { max: limit.max });
  const text = lintText('lint.grammar.unchecked', { why });
  return { at, text, detail: text, furthest: 0, column: 0, unchecked: true };
}

/** A grammar failure as a finding: an error, or a note when the line was not checked at all. */
export function grammarFinding(failure: GrammarFailure, rule = 'grammar', describe = (f: GrammarFailure): LintText => f.text): KeyedFinding {
  return failure.unchecked
    ? { lineNo: failure.at.lineNo, severity: 'note', rule: 'grammar', text: failure.text }
    : { lineNo: failure.at.lineNo, severity: 'error', rule, text: describe(failure) };
}

/** Which of the lines an octet offset falls in. */
export function lineAt(lines: readonly TranscriptLine[], input: string, offset: number): TranscriptLine {
  const before = input.slice(0, offset);
  const index = Math.min(lines.length - 1, (before.match(/\r\n/g) ?? []).length);
  return lines[index] as TranscriptLine;
}

/** How a rule is named in messages: the RFC's names, not lint's own helper rules. */
const RULE_NAMES: Readonly<Record<string, string>> = {
  'mailwire-untagged': 'response-data',
  'mailwire-coded-text': 'resp-text',
};
/** lint's rule for an answer to an AUTHENTICATE challenge, which no RFC names: told in words. */
const BASE64_ANSWER = 'mailwire-sasl-response';

/** About how many characters of the rest of a line a message shows. */
const SHOWN_CHARS = 24;

/**
 * What a message shows of the input from an octet offset to the end of its line: decoded as UTF-8
 * from the start of the character the offset falls in, escaped where unsafe, and cut after a whole
 * word (or, with no space near, after a whole character) with "…".
 */
export function shownFrom(input: string, at: number): string {
  let start = at;
  // Back to the first octet of a UTF-8 sequence (continuation octets are 10xxxxxx), at most 3 back.
  while (start > 0 && at - start < 3 && (input.charCodeAt(start) & 0xc0) === 0x80) start--;
  const end = input.indexOf('\r\n', start);
  const bytes = Buffer.from(input.slice(start, end < 0 ? input.length : end), 'latin1');
  return cutAtWord(escapeServerText(bytes), SHOWN_CHARS);
}

/** Text cut to about `max` characters, at a space where one is near, never inside a character. */
export function cutAtWord(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const head = chars.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  const cut = space >= max / 2 ? head.slice(0, space) : (() => {
    // No space near: go on to the end of the word, within twice the length.
    const next = chars.slice(max, max * 2).join('').search(/[\s()[\]{}"]/);
    return next < 0 ? head : chars.slice(0, max + next).join('');
  })();
  return `${cut}…`;
}

/** The 1-based column of an octet offset in its line, counted in characters as an editor shows them. */
function columnAt(input: string, at: number): number {
  const lineStart = input.lastIndexOf('\n', at - 1) + 1;
  return [...Buffer.from(input.slice(lineStart, at), 'latin1').toString('utf8')].length + 1;
}

/**
 * Where a line elides part of itself, as the RFCs write it (`* 4 FETCH (...)`, `[...]`, `....`): the
 * index where it starts (a space and a bracket before the dots included), or -1.
 */
export function elisionIndex(text: string): number {
  return text.search(/ ?[[(]?(?:\.\.\.|…)/);
}

/**
 * Why the input is not a `rule` at octet `at`: "not a response-tagged (formal syntax): at column 6,
 * expected "OK", "NO", "BAD"; found "LIST Completed"", and its part after the rule. The expected
 * tokens and what was found are shown as they are, in any language.
 */
export function describeFailure(rule: string, input: string, at: number, expected: string[], columnOffset = 0): { text: LintText; detail: LintText } {
  const column = columnAt(input, at) + columnOffset;
  const rest = shownFrom(input, at);
  const found = rest !== '' ? lintText('lint.grammar.found', { text: `"${rest}"` }) : lintText(input.startsWith('\r\n', at) ? 'lint.grammar.found-end-of-line' : 'lint.grammar.found-end');
  const wanted =
    expected.length > 0
      ? lintText(expected.length > 1 ? 'lint.grammar.expected-one-of' : 'lint.grammar.expected', { items: `${expected.slice(0, 8).map(escapeDisplayText).join(', ')}${expected.length > 8 ? ', …' : ''}` })
      : lintText('lint.grammar.cannot-continue');
  const detail = lintText('lint.grammar.detail', { column, wanted, found });
  if (rule === BASE64_ANSWER) return { text: lintText('lint.grammar.not-base64-answer', { detail }), detail };
  const name = RULE_NAMES[rule] ?? rule;
  // English writes an article before the rule's name ("not an atom"); the key says which.
  return { text: lintText(/^[aeiou]/i.test(name) ? 'lint.grammar.not-an' : 'lint.grammar.not-a', { rule: name, detail }), detail };
}

/** Transcript text shown in a message: as written, escaped where unsafe, cut at a word. */
export function quotedText(text: string, max = 40): string {
  return `"${cutAtWord(escapeDisplayText(text), max)}"`;
}
