/**
 * Writes the volatile values of the table (volatile-values.ts) as patterns in a line of transcript
 * text (display form, pattern syntax: a literal "$" is already "$$"). The recorder runs it on what the
 * server says; replay runs it on the server lines of a recording, so that a file recorded before a
 * value joined the table replays as if it had been recorded today. A value that is a pattern already
 * is left as it is, so running it twice changes nothing.
 *
 * One linear scan per line, no regular expression over input: quoted strings are skipped whole (a
 * Subject that says "MODSEQ 5" is not a MODSEQ), and the depth of (...) and [...] is carried from one
 * segment of a response to the next, across its literals. Pure.
 */
import type { Protocol } from '../session/events.js';
import type { TranscriptLine } from './format.js';
import { quotedEnd } from './pattern.js';
import type { ExpectedResponse, Step } from './script.js';
import { VOLATILE_VALUES, type VolatileShape } from './volatile-values.js';

type ItemShape = Extract<VolatileShape, { kind: 'item' }>;

function itemsFor(protocol: Protocol): Map<string, ItemShape> {
  const items = new Map<string, ItemShape>();
  for (const v of VOLATILE_VALUES) {
    if (v.shape.kind === 'item' && v.protocols.includes(protocol)) items.set(v.shape.name.toUpperCase(), v.shape);
  }
  return items;
}

const IMAP_ITEMS = itemsFor('imap');
const POP3_ITEMS = itemsFor('pop3');
const GREETING_TAILS = VOLATILE_VALUES.flatMap((v) => (v.shape.kind === 'greeting-tail' ? [v.shape.after] : []));
const COMPLETION_TAILS = VOLATILE_VALUES.flatMap((v) => (v.shape.kind === 'completion-tail' ? [v.shape.after] : []));
const TIMING_IN = new Set(VOLATILE_VALUES.flatMap((v) => (v.shape.kind === 'timing' ? v.protocols : [])));

/** Characters that end an atom (RFC 3501 §9 atom-specials, plus "=" and "<" for `NAME=<id>`). */
const ATOM_END = new Set([' ', '(', ')', '[', ']', '"', '=', '<', '{', '%', '*', '\\']);

/** Whether pattern source holds a hole: a "$" that is not half of "$$". */
export function holdsHole(source: string): boolean {
  for (let i = 0; i < source.length; i++) {
    if (source[i] !== '$') continue;
    if (source[i + 1] === '$') i++;
    else return true;
  }
  return false;
}

/** Whether the "[" at `pos` opens a CAPABILITY response code (`[CAPABILITY IMAP4rev1 ...]`). */
function isCapabilityCode(text: string, pos: number): boolean {
  return text.slice(pos + 1, pos + 12).toUpperCase() === 'CAPABILITY ';
}

/** End of a balanced (...) or [...] at `pos`, quotes respected; the end of text if unbalanced. */
function groupEnd(text: string, pos: number): number {
  let depth = 0;
  for (let i = pos; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = quotedEnd(text, i) - 1;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

/** End of the one value that starts at `pos`: quoted, a group, a `<...>` id, or a run of characters. */
function valueEnd(text: string, pos: number): number {
  const c = text[pos];
  if (c === '"') return quotedEnd(text, pos);
  if (c === '(' || c === '[') return groupEnd(text, pos);
  if (c === '<') {
    const close = text.indexOf('>', pos);
    return close < 0 ? text.length : close + 1;
  }
  let i = pos;
  while (i < text.length && !' ()[]'.includes(text[i] as string)) i++;
  return i;
}

/** `(0.001 + 0.000 secs)`, `(0.000 secs 3 calls)`: a group with a decimal number followed by "sec(s)". */
function isTiming(inner: string): boolean {
  const words = inner.split(' ');
  return words.some((w, i) => /^\d+\.\d+$/.test(w) && /^secs?$/.test(words[i + 1] ?? ''));
}

/** Replaces each timing group in a completion text with `$`. */
function rewriteTimings(text: string): string {
  let out = '';
  let from = 0;
  for (let open = text.indexOf('(', from); open >= 0; open = text.indexOf('(', from)) {
    const close = text.indexOf(')', open);
    if (close < 0) break;
    const inner = text.slice(open + 1, close);
    if (!inner.includes('(') && isTiming(inner)) {
      out += `${text.slice(from, open)}$`;
    } else {
      out += text.slice(from, close + 1);
    }
    from = close + 1;
  }
  return out + text.slice(from);
}

/** What follows the first of the fixed texts found in a line, made `$` (left as it is when it holds a hole). */
function rewriteTail(source: string, tails: readonly string[]): string {
  for (const after of tails) {
    const at = source.indexOf(after);
    if (at < 0) continue;
    const tail = source.slice(at + after.length);
    if (tail !== '' && !holdsHole(tail)) return `${source.slice(0, at + after.length)}$`;
  }
  return source;
}

export class VolatileRewriter {
  private readonly items: Map<string, ItemShape>;
  /** Nesting of (...) and [...] at the end of the last IMAP segment. */
  private depth = 0;
  /** Values captured under a name (UIDVALIDITY), and the name each got. */
  private readonly named = new Map<string, string>();
  private readonly nameCounts = new Map<string, number>();

  constructor(private readonly protocol: Protocol) {
    this.items = protocol === 'imap' ? IMAP_ITEMS : POP3_ITEMS;
  }

  /**
   * One segment of an IMAP response; `first` for the segment that starts it, `greeting` for the
   * server's first line. Literal data between segments is not passed here: it is never rewritten.
   */
  imapSegment(source: string, first: boolean, greeting = false): string {
    if (first) this.depth = 0;
    let out = this.rewriteItems(source);
    const completion = first && !source.startsWith('*') && !source.startsWith('+');
    if (completion && TIMING_IN.has('imap')) out = rewriteTimings(out);
    if (completion) out = rewriteTail(out, COMPLETION_TAILS);
    if (greeting) out = rewriteTail(out, GREETING_TAILS);
    return out;
  }

  /** A POP3 status line; `greeting` for the server's first line. */
  pop3Status(source: string, greeting = false): string {
    this.depth = 0;
    let out = this.rewriteItems(source);
    if (TIMING_IN.has('pop3')) out = rewriteTimings(out);
    if (greeting) out = rewriteTail(out, GREETING_TAILS);
    return out;
  }

  private rewriteItems(s: string): string {
    let out = '';
    let i = 0;
    while (i < s.length) {
      const c = s[i] as string;
      if (c === '"') {
        const end = quotedEnd(s, i);
        out += s.slice(i, end);
        i = end;
        continue;
      }
      if (c === '[' && isCapabilityCode(s, i)) {
        // Capability names, not items: SAVEDATE there is RFC 8514's capability, and the next name
        // (LITERAL+) no SAVEDATE value. The code is one run of atoms up to its "]" (RFC 3501 §7.1).
        const end = s.indexOf(']', i);
        const stop = end < 0 ? s.length : end + 1;
        out += s.slice(i, stop);
        i = stop;
        continue;
      }
      if (c === '(' || c === '[') this.depth++;
      if ((c === ')' || c === ']') && this.depth > 0) this.depth--;
      const previous = i === 0 ? ' ' : (s[i - 1] as string);
      if (ATOM_END.has(c) || !(previous === ' ' || previous === '(' || previous === '[')) {
        out += c;
        i++;
        continue;
      }
      let k = i;
      while (k < s.length && !ATOM_END.has(s[k] as string)) k++;
      const name = s.slice(i, k);
      const shape = this.items.get(name.toUpperCase());
      if (!shape || s[k] !== shape.separator || (shape.inGroup && this.depth === 0)) {
        out += name;
        i = k;
        continue;
      }
      const start = k + 1;
      const end = valueEnd(s, start);
      out += `${name}${shape.separator}${this.rewriteValue(s.slice(start, end), shape)}`;
      i = end;
    }
    return out;
  }

  private rewriteValue(value: string, shape: ItemShape): string {
    // NIL is a fact (RFC 8474 §5.2: no thread), not an id; Cyrus writes THREADID (NIL).
    if (value === '' || holdsHole(value) || /^\(?NIL\)?$/i.test(value)) return value;
    if (shape.capture !== undefined) return `$${this.captureName(shape.capture, value)}`;
    if (value.startsWith('(') && value.endsWith(')')) return '($)';
    if (value.startsWith('<') && value.endsWith('>')) return '<$>';
    return '$';
  }

  /** `uidvalidity` for the first value met, `uidvalidity2` for the second, and so on. */
  private captureName(base: string, value: string): string {
    const key = `${base}\u0000${value}`;
    let name = this.named.get(key);
    if (name === undefined) {
      const count = (this.nameCounts.get(base) ?? 0) + 1;
      this.nameCounts.set(base, count);
      name = count === 1 ? base : `${base}${count}`;
      this.named.set(key, name);
    }
    return name;
  }
}

/**
 * The steps of a recording with the table's values made patterns in every server line, as `--record`
 * writes them today: a recording made before a value joined the table replays as if made now.
 * Literal data (the first `literalChars` of a line) is left as it is.
 */
export function rewriteRecordedSteps(steps: readonly Step[], protocol: Protocol): Step[] {
  return steps.map(recordedStepRewriter(protocol));
}

/**
 * rewriteRecordedSteps one step at a time, for steps built as they are needed: each step must be
 * given in order, once (capture names count the values met so far).
 */
export function recordedStepRewriter(protocol: Protocol): (step: Step) => Step {
  const rewriter = new VolatileRewriter(protocol);
  return (step) => {
    const changed = new Map<TranscriptLine, TranscriptLine>();
    const server = step.server.map((response): ExpectedResponse => {
      const lines = response.lines.map((line, i) => {
        const literal = response.literalChars[i] ?? 0;
        if (literal >= line.text.length) return line;
        const rest = line.text.slice(literal);
        const greeting = step.kind === 'greeting' && i === 0;
        const text = protocol === 'imap'
          ? rewriter.imapSegment(rest, i === 0, greeting)
          : response.kind === 'status' ? rewriter.pop3Status(rest, greeting) : rest;
        if (text === rest) return line;
        const rewritten = { ...line, text: line.text.slice(0, literal) + text };
        changed.set(line, rewritten);
        return rewritten;
      });
      return { ...response, lines };
    });
    return { ...step, server, lines: step.lines.map((line) => changed.get(line) ?? line) };
  };
}
