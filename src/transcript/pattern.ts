/**
 * Patterns in transcript lines, for what a replayed server will not repeat (a UIDVALIDITY, a date,
 * Dovecot's `(0.001 + 0.000 secs)`), after Dovecot's imaptest scripts:
 *
 *  - `$name` captures the value it meets first, and must meet the same value afterwards; a client line
 *    that says `$name` sends the captured value;
 *  - `$` alone is a wildcard;
 *  - `$$` is a dollar sign.
 *
 * A name is a letter or "_" followed by letters, digits and "_". A hole stands for one value: a quoted
 * string, a parenthesized or bracketed group (nesting and quotes respected), or else a run of
 * characters up to a space, a bracket or parenthesis, or the character the pattern goes on with
 * (`<$>` stops at ">"). A hole that ends the pattern takes the rest of the line (`A1 OK $`). Pure.
 */
import { replayText, type ReplayText } from './replay-words.js';

export type PatternPart = { kind: 'text'; text: string } | { kind: 'hole'; name: string | null };

export interface Pattern {
  parts: PatternPart[];
  /** True when the pattern has at least one hole. */
  hasHoles: boolean;
}

/** Values captured so far, by name. */
export type Captures = Map<string, string>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Parses pattern syntax. Never fails: every text is a pattern. */
export function parsePattern(source: string): Pattern {
  const parts: PatternPart[] = [];
  let text = '';
  let hasHoles = false;
  for (let i = 0; i < source.length; ) {
    const c = source[i] as string;
    if (c !== '$') {
      text += c;
      i++;
      continue;
    }
    if (source[i + 1] === '$') {
      text += '$';
      i += 2;
      continue;
    }
    const name = NAME.exec(source.slice(i + 1))?.[0] ?? null;
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
    parts.push({ kind: 'hole', name });
    hasHoles = true;
    i += 1 + (name?.length ?? 0);
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return { parts, hasHoles };
}

/** The text of a pattern without holes (`$$` read as "$"); for lines that hold no pattern. */
export function patternText(p: Pattern): string {
  return p.parts.map((part) => (part.kind === 'text' ? part.text : part.name === null ? '$' : `$${part.name}`)).join('');
}

/** Writes text so that it reads back as itself: every "$" doubled. */
export function escapePatternText(text: string): string {
  return text.replaceAll('$', () => '$$');
}

export type PatternMatch =
  | { ok: true; captured: Array<[string, string]> }
  | {
      ok: false;
      /** Offset in the received text where it stopped agreeing with the pattern. */
      at: number;
      /** What the pattern wanted there, in words. */
      wanted: ReplayText;
    };

/**
 * Matches `text` against `pattern`. Captured names already in `captures` must meet their value
 * again; new ones are returned (not added: the caller decides whether the whole match counts).
 */
export function matchPattern(pattern: Pattern, text: string, captures: ReadonlyMap<string, string>): PatternMatch {
  const captured: Array<[string, string]> = [];
  // Copied only when the pattern captures: most lines of a transcript hold no named hole.
  let local: ReadonlyMap<string, string> = captures;
  let pos = 0;
  const { parts } = pattern;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as PatternPart;
    if (part.kind === 'text') {
      if (!text.startsWith(part.text, pos)) {
        const same = commonPrefix(text.slice(pos), part.text);
        return { ok: false, at: pos + same, wanted: replayText('replay.wanted.text', { text: wantedWords(part.text, same) }) };
      }
      pos += part.text.length;
      continue;
    }
    const bound = part.name === null ? undefined : local.get(part.name);
    if (bound !== undefined) {
      if (!text.startsWith(bound, pos)) return { ok: false, at: pos, wanted: replayText('replay.wanted.captured', { name: part.name ?? '', value: JSON.stringify(bound) }) };
      pos += bound.length;
      continue;
    }
    const next = parts[i + 1];
    const end = i === parts.length - 1 ? text.length : holeEnd(text, pos, next?.kind === 'text' ? next.text : '');
    if (end === pos && i !== parts.length - 1) return { ok: false, at: pos, wanted: part.name === null ? replayText('replay.wanted.any-value') : replayText('replay.wanted.value', { name: part.name }) };
    const value = text.slice(pos, end);
    if (part.name !== null) {
      const next = local === captures ? new Map(captures) : (local as Map<string, string>);
      next.set(part.name, value);
      local = next;
      captured.push([part.name, value]);
    }
    pos = end;
  }
  if (pos !== text.length) return { ok: false, at: pos, wanted: replayText('replay.wanted.end-of-line') };
  return { ok: true, captured };
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

const OPEN_CLOSE: Readonly<Record<string, string>> = { '(': ')', '[': ']' };

/** Where a hole that starts at `pos` ends: one value, as described at the top of the file. */
function holeEnd(text: string, pos: number, following: string): number {
  const c = text[pos];
  if (c === '"') return quotedEnd(text, pos);
  if (c !== undefined && c in OPEN_CLOSE) return groupEnd(text, pos);
  const stop = following[0];
  let i = pos;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === ' ' || ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === stop) break;
    i++;
  }
  return i;
}

/** End of a quoted string starting at `pos` (RFC 3501 §4.3 escapes); the end of text if unterminated. */
export function quotedEnd(text: string, pos: number): number {
  for (let i = pos + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** End of a balanced (...) or [...] group starting at `pos`, quotes respected. */
function groupEnd(text: string, pos: number): number {
  const stack: string[] = [];
  for (let i = pos; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '"') {
      i = quotedEnd(text, i) - 1;
    } else if (ch in OPEN_CLOSE) {
      stack.push(OPEN_CLOSE[ch] as string);
    } else if (ch === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return text.length;
}

/** A pattern used where a value is needed (a client line to send) names a capture nothing has set. */
export class UnboundCaptureError extends Error {
  constructor(readonly capture: string | null) {
    super(capture === null ? 'a bare "$" cannot be sent (write "$$" for a dollar sign)' : `$${capture} is used before any server line captured it`);
    this.name = 'UnboundCaptureError';
  }
}

/**
 * The text a pattern stands for, with captured values put in. For a hole with no value, `fill`
 * decides (serve invents stand-ins); without it, an unbound hole is an error.
 * @throws UnboundCaptureError
 */
export function substitutePattern(
  pattern: Pattern,
  captures: ReadonlyMap<string, string>,
  fill?: (hole: { name: string | null; before: string; after: string }) => string,
): string {
  let out = '';
  pattern.parts.forEach((part, i) => {
    if (part.kind === 'text') {
      out += part.text;
      return;
    }
    const value = part.name === null ? undefined : captures.get(part.name);
    if (value !== undefined) {
      out += value;
      return;
    }
    if (!fill) throw new UnboundCaptureError(part.name);
    const next = pattern.parts[i + 1];
    out += fill({ name: part.name, before: out, after: next?.kind === 'text' ? next.text : '' });
  });
  return out;
}

/** About how many characters of expected text a message quotes. */
const WANTED_CHARS = 40;

/**
 * The expected text from where a line parts from it, quoted for a message: from the start of the
 * word the difference falls in (never "mand completed" for "command completed"), and, when long,
 * cut after a whole word.
 */
export function wantedWords(expected: string, at: number, max = WANTED_CHARS): string {
  let start = at;
  while (start > 0 && !/[\s([{"]/.test(expected[start - 1] as string)) start--;
  const rest = [...expected.slice(start)];
  if (rest.length <= max) return `"${rest.join('')}"`;
  const head = rest.slice(0, max).join('');
  const space = head.lastIndexOf(' ');
  return `"${space > 0 ? head.slice(0, space) : head}…"`;
}
