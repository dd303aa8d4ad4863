/**
 * Matching what a server said against what a transcript step expects. Pure: responses in, verdicts
 * out; replay feeds it the responses of a live server, and the tests feed it transcripts.
 *
 * The rules (docs/transcripts.md):
 *  - IMAP: the tagged completion and the "+" continuation requests must come as written, in order.
 *    Untagged responses may come in any order (`# match: ordered` says they may not), and untagged
 *    responses the transcript does not show are allowed (`# match: no-extra` says they are not). A
 *    completion from an earlier command is ignored.
 *  - POP3: every line, status and body alike, must come as written, in order.
 *  - `S?:` lines may be received or not; an `S!:` line must not be received in its step.
 *  - Lines are compared as mailwire shows them (escaped display text), with patterns; literal data is
 *    compared exactly, because its octet count is part of the protocol.
 */
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { formatLine, type TranscriptLine } from './format.js';
import { matchPattern, parsePattern, wantedWords, type Captures, type Pattern } from './pattern.js';
import { englishReplay, replayText, type ReplayText } from './replay-words.js';
import type { ExpectedResponse, ResponseKind, Step } from './script.js';

/** A response as received, in display form (one line for POP3, more for an IMAP literal). */
export interface ReceivedResponse {
  kind: ResponseKind;
  tag: string | null;
  lines: string[];
  /** A "+" the client answered with literal data: a transcript may leave it out. */
  forLiteral?: boolean;
}

/** The first difference between a step and what the server did. */
export interface Mismatch {
  /** The transcript line not met (for an unexpected response: the step's last line seen). */
  line: TranscriptLine | null;
  /** The line as the transcript writes it, with its prefix ("S: ..."), or null. */
  expected: string | null;
  /** The line the server sent ("S: ..."), or null when nothing came. */
  received: string | null;
  /** One sentence in English: what went wrong. */
  reason: string;
  /** The same sentence as data, for a report in the reader's language (replay-words.ts). */
  said: ReplayText;
  /** Where in `received` (after the prefix) the two stop agreeing. */
  at?: number;
}

export type Verdict =
  /** The response met an expectation. */
  | { type: 'matched' }
  /** An untagged response or completion the step can live without. */
  | { type: 'ignored' }
  | { type: 'failed'; mismatch: Mismatch };

export interface StepMatchOptions {
  /** Tags of commands sent in earlier steps: their late completions are ignored. */
  earlierTags?: ReadonlySet<string>;
}

const NO_FORBIDDEN: readonly ExpectedResponse[] = Object.freeze([]);

interface Slot {
  expected: ExpectedResponse;
  matched: boolean;
}

/** A mismatch saying `said`, and saying it in English as its `reason`. */
export function mismatch(fields: Omit<Mismatch, 'reason' | 'said'>, said: ReplayText): Mismatch {
  return { ...fields, reason: englishReplay(said), said };
}

function received(line: string): string {
  return line === '' ? 'S:' : `S: ${line}`;
}

/** Compiled patterns by transcript line, with the text and literal prefix they were compiled for. */
export interface PatternCache {
  get(line: TranscriptLine): { text: string; literalChars: number; pattern: Pattern } | undefined;
  set(line: TranscriptLine, compiled: { text: string; literalChars: number; pattern: Pattern }): unknown;
}

/**
 * The pattern of each expected line, compiled once: a transcript line is matched again and again (every
 * extra response offered to an open slot; serve, every connection), and parsing its pattern each time
 * was a good part of the cost. The text and the literal prefix it was compiled for are kept to check
 * against, so a line is never matched with a stale pattern. This cache lives as long as the lines; a
 * step's matcher keeps one of its own instead (its lines are not matched after the step), so that a
 * replay of 10^4 steps does not keep 10^4 compiled patterns alive.
 */
const compiled = new WeakMap<TranscriptLine, { text: string; literalChars: number; pattern: Pattern }>();

function linePattern(line: TranscriptLine, literalChars: number, cache: PatternCache): Pattern {
  const known = cache.get(line);
  if (known !== undefined && known.text === line.text && known.literalChars === literalChars) return known.pattern;
  const pattern = parsePattern(line.text.slice(literalChars));
  cache.set(line, { text: line.text, literalChars, pattern });
  return pattern;
}

/** What matchLine says of one line. */
export type LineMatch = { ok: true; captured: Array<[string, string]> } | { ok: false; at: number; wanted: ReplayText };

/**
 * The shortcut matchLine takes for the lines most transcripts are made of: text without a "$", met
 * only by the same text, and text whose one "$" ends it (`a1 OK $`), met by any line that starts
 * with the text before it (a hole that ends a pattern takes the rest of the line, whatever it is).
 * Neither needs the pattern parsed, nor captures anything. Undefined for any other line, and when
 * the line is not met: the general reading then says where it parts from the pattern.
 */
export function plainLineMatch(expected: string, text: string): LineMatch | undefined {
  const dollar = expected.indexOf('$');
  if (dollar === -1) return text === expected ? { ok: true, captured: [] } : undefined;
  if (dollar !== expected.length - 1 || text.length < dollar) return undefined;
  for (let i = 0; i < dollar; i++) if (text.charCodeAt(i) !== expected.charCodeAt(i)) return undefined;
  return { ok: true, captured: [] };
}

/** Compares one received line with one expected line (its literal part exactly, the rest as a pattern). */
export function matchLine(
  line: TranscriptLine,
  literalChars: number,
  text: string,
  captures: ReadonlyMap<string, string>,
  patterns: PatternCache = compiled,
): LineMatch {
  return (literalChars === 0 ? plainLineMatch(line.text, text) : undefined) ?? matchPatternLine(line, literalChars, text, captures, patterns);
}

/** matchLine without its shortcut: the line's literal part compared exactly, the rest read as a pattern. */
export function matchPatternLine(
  line: TranscriptLine,
  literalChars: number,
  text: string,
  captures: ReadonlyMap<string, string>,
  patterns: PatternCache = compiled,
): LineMatch {
  const literal = line.text.slice(0, literalChars);
  if (!text.startsWith(literal)) {
    let at = 0;
    while (at < literal.length && literal[at] === text[at]) at++;
    return { ok: false, at, wanted: replayText('replay.wanted.literal-data') };
  }
  if (literalChars >= line.text.length) {
    return text.length === line.text.length ? { ok: true, captured: [] } : { ok: false, at: literal.length, wanted: replayText('replay.wanted.literal-end') };
  }
  const result = matchPattern(linePattern(line, literalChars, patterns), literalChars === 0 ? text : text.slice(literalChars), captures);
  return result.ok ? result : { ok: false, at: result.at + literalChars, wanted: result.wanted };
}

/** Compares a whole response; on failure says at which of its lines. */
function matchResponse(
  e: ExpectedResponse,
  r: ReceivedResponse,
  captures: ReadonlyMap<string, string>,
  patterns: PatternCache,
): { ok: true; captured: Array<[string, string]> } | { ok: false; index: number; at: number; wanted: ReplayText } {
  // Captures of earlier lines count for later ones; the map is copied only once a line captures.
  let local: ReadonlyMap<string, string> = captures;
  const captured: Array<[string, string]> = [];
  const count = Math.max(e.lines.length, r.lines.length);
  for (let i = 0; i < count; i++) {
    const line = e.lines[i];
    const text = r.lines[i];
    if (line === undefined) return { ok: false, index: i, at: 0, wanted: replayText('replay.wanted.no-more-lines') };
    if (text === undefined) return { ok: false, index: i, at: 0, wanted: replayText('replay.wanted.this-line') };
    const m = matchLine(line, e.literalChars[i] ?? 0, text, local, patterns);
    if (!m.ok) return { ok: false, index: i, at: m.at, wanted: m.wanted };
    if (m.captured.length === 0) continue;
    const next = local === captures ? new Map(captures) : (local as Map<string, string>);
    for (const [k, v] of m.captured) {
      next.set(k, v);
      captured.push([k, v]);
    }
    local = next;
  }
  return { ok: true, captured };
}

/**
 * Follows one step: offer() each response the server sends, in order; `done` says when everything
 * required has come. Captures bound by matched lines are written into the shared map.
 */
export class StepMatcher {
  private readonly slots: Slot[];
  private readonly forbidden: readonly ExpectedResponse[];
  /** Untagged responses that met nothing: the candidates for a diff when something is missing. */
  private readonly extras: ReceivedResponse[] = [];
  /**
   * This step's compiled patterns: they go with the matcher. Made when a line first needs its pattern
   * parsed: the lines of most steps are met by plainLineMatch without one.
   */
  private patternCache: PatternCache | null = null;
  private get patterns(): PatternCache {
    this.patternCache ??= new Map();
    return this.patternCache;
  }
  private pop3Cursor = 0;
  private completed = false;
  /** IMAP: the greeting came (the first response that is not a preliminary line). */
  private greeted = false;

  constructor(
    readonly step: Step,
    private readonly protocol: 'imap' | 'pop3',
    private readonly captures: Captures,
    private readonly options: StepMatchOptions = {},
  ) {
    // One pass, and no array for forbidden lines when there are none (most steps).
    const slots: Slot[] = [];
    let forbidden: ExpectedResponse[] | null = null;
    for (const expected of step.server) {
      if (expected.expectation === 'forbidden') (forbidden ??= []).push(expected);
      else slots.push({ expected, matched: false });
    }
    this.slots = slots;
    this.forbidden = forbidden ?? NO_FORBIDDEN;
  }

  /** Every required response has been received. */
  get done(): boolean {
    // Asked after every batch of responses: a loop, not a closure per call.
    for (const s of this.slots) if (!s.matched && s.expected.expectation !== 'optional') return false;
    return true;
  }

  /** The step has no server lines to wait for. */
  get expectsNothing(): boolean {
    return this.slots.every((s) => s.expected.expectation === 'optional');
  }

  /** The tagged completion of this step has been received (IMAP). */
  get completionReceived(): boolean {
    return this.completed;
  }

  offer(r: ReceivedResponse): Verdict {
    if (this.step.kind === 'greeting' && isPreliminaryGreeting(r.lines[0] ?? '', this.protocol)) return { type: 'ignored' };
    // A transcript that starts with the client (an RFC excerpt) takes whatever greeting comes.
    if (this.step.kind === 'greeting' && this.step.server.length === 0) return { type: 'ignored' };
    for (const f of this.forbidden) {
      if (f.kind === r.kind || this.protocol === 'pop3') {
        const m = matchResponse(f, r, this.captures, this.patterns);
        if (m.ok) {
          const line = f.lines[0] as TranscriptLine;
          return this.fail(mismatch({ line, expected: formatLine(line), received: received(r.lines[0] ?? '') }, replayText('replay.must-not-appear', { line: line.lineNo })));
        }
      }
    }
    if (this.step.kind === 'greeting' && this.protocol === 'imap' && !this.greeted) return this.offerGreeting(r);
    return this.protocol === 'imap' ? this.offerImap(r) : this.offerPop3(r);
  }

  /**
   * IMAP: the first response is the greeting, and one other than the transcript's fails the step at
   * once, with the diff, instead of being taken for an extra untagged response and waited past.
   */
  private offerGreeting(r: ReceivedResponse): Verdict {
    this.greeted = true;
    const slot = this.slots.find((s) => !s.matched && s.expected.kind === 'untagged');
    if (!slot) return this.offerImap(r);
    const m = matchResponse(slot.expected, r, this.captures, this.patterns);
    if (!m.ok) return this.fail(this.diff(slot.expected, r, m, replayText('replay.greeting-differs')));
    return this.accept(slot, m.captured);
  }

  /** What is missing when the step cannot go on (the server went quiet or closed): the first required slot. */
  missing(reason: ReplayText): Mismatch {
    const slot = this.slots.find((s) => !s.matched && s.expected.expectation === 'required');
    if (!slot) return mismatch({ line: null, expected: null, received: null }, reason);
    return this.missingMismatch(slot.expected, reason);
  }

  private fail(mismatch: Mismatch): Verdict {
    return { type: 'failed', mismatch };
  }

  private accept(slot: Slot, captured: Array<[string, string]>): Verdict {
    slot.matched = true;
    for (const [k, v] of captured) this.captures.set(k, v);
    return { type: 'matched' };
  }

  // --- IMAP ---------------------------------------------------------------------------------------

  private offerImap(r: ReceivedResponse): Verdict {
    switch (r.kind) {
      case 'tagged':
        return this.offerTagged(r);
      case 'continuation':
        return this.offerInOrder(r, 'continuation');
      default:
        return this.offerUntagged(r);
    }
  }

  private offerTagged(r: ReceivedResponse): Verdict {
    // Every completion comes here: the slots are looked through in loops, without a closure per call.
    const slots = this.slots;
    let slot: Slot | undefined;
    let openTagged = 0;
    for (const s of slots) {
      if (s.matched || s.expected.kind !== 'tagged') continue;
      slot ??= s;
      openTagged++;
    }
    if (!slot || slot.expected.tag !== r.tag) {
      if (r.tag !== null && this.options.earlierTags?.has(r.tag)) return { type: 'ignored' };
    }
    // Something the transcript shows before the completion has not come: that is the first difference.
    // Not so for a completion of pipelined commands other than the step's last: the server may run
    // them at once and send their untagged data before or after one another's completions (RFC 3501
    // §5.5), so the transcript's order there is one of many; all of it must have come by the last.
    const pipelinedEarlier = openTagged > 1;
    let before: Slot | undefined;
    if (!pipelinedEarlier) {
      for (const s of slots) {
        if (s.matched || s.expected.expectation !== 'required' || s.expected.kind === 'tagged') continue;
        if (!slot || firstLineNo(s.expected) < firstLineNo(slot.expected)) {
          before = s;
          break;
        }
      }
    }
    if (before) return this.fail(this.missingMismatch(before.expected, replayText('replay.not-before-completion', { line: firstLineNo(before.expected) }), r));
    if (!slot) {
      const last = this.step.lines[this.step.lines.length - 1] ?? null;
      return this.fail(mismatch({ line: last, expected: null, received: received(r.lines[0] ?? '') }, replayText('replay.unexpected-completion')));
    }
    const m = matchResponse(slot.expected, r, this.captures, this.patterns);
    if (!m.ok) return this.fail(this.diff(slot.expected, r, m, replayText('replay.completion-differs')));
    this.completed = true;
    return this.accept(slot, m.captured);
  }

  /** Continuation requests: the next one the transcript shows, in order. */
  private offerInOrder(r: ReceivedResponse, kind: ResponseKind): Verdict {
    const slot = this.slots.find((s) => !s.matched && s.expected.kind === kind);
    if (!slot) {
      // A "+" that only let a synchronizing literal go: RFC examples often leave it out.
      if (r.forLiteral) return { type: 'ignored' };
      const last = this.step.lines[this.step.lines.length - 1] ?? null;
      return this.fail(mismatch({ line: last, expected: null, received: received(r.lines[0] ?? '') }, replayText('replay.unexpected-continuation')));
    }
    const m = matchResponse(slot.expected, r, this.captures, this.patterns);
    if (!m.ok) {
      if (slot.expected.expectation === 'optional') return { type: 'ignored' };
      return this.fail(this.diff(slot.expected, r, m, replayText('replay.continuation-differs')));
    }
    return this.accept(slot, m.captured);
  }

  private offerUntagged(r: ReceivedResponse): Verdict {
    const open = this.slots.filter((s) => !s.matched && s.expected.kind === r.kind);
    const firstRequired = open.findIndex((s) => s.expected.expectation === 'required');
    const rules = this.rules();
    // Ordered: only the next required response (and optional ones before it) may match.
    const candidates = rules.ordered && firstRequired >= 0 ? open.slice(0, firstRequired + 1) : open;
    for (const slot of candidates) {
      const m = matchResponse(slot.expected, r, this.captures, this.patterns);
      if (m.ok) return this.accept(slot, m.captured);
    }
    if (!rules.extra) {
      const next = open[firstRequired];
      if (next) return this.fail(this.missingMismatch(next.expected, replayText('replay.no-extra-expected', { line: firstLineNo(next.expected) }), r));
      const last = this.step.lines[this.step.lines.length - 1] ?? null;
      return this.fail(mismatch({ line: last, expected: null, received: received(r.lines[0] ?? '') }, replayText('replay.no-extra')));
    }
    this.extras.push(r);
    return { type: 'ignored' };
  }

  private rules(): { ordered: boolean; extra: boolean } {
    const first = this.step.server[0]?.lines[0] ?? this.step.lines[0];
    return first?.rules ?? { ordered: false, extra: true };
  }

  // --- POP3 ---------------------------------------------------------------------------------------

  private offerPop3(r: ReceivedResponse): Verdict {
    for (let i = this.pop3Cursor; i < this.slots.length; i++) {
      const slot = this.slots[i] as Slot;
      const m = matchResponse(slot.expected, r, this.captures, this.patterns);
      if (m.ok) {
        // Optional lines skipped on the way were simply not sent.
        this.pop3Cursor = i + 1;
        return this.accept(slot, m.captured);
      }
      if (slot.expected.expectation === 'required') {
        return this.fail(this.diff(slot.expected, r, m, replayText(slot.expected.kind === 'end' ? 'replay.multiline-goes-on' : 'replay.reply-differs')));
      }
    }
    const last = this.step.lines[this.step.lines.length - 1] ?? null;
    return this.fail(mismatch({ line: last, expected: null, received: received(r.lines[0] ?? '') }, replayText('replay.unexpected-line')));
  }

  // --- reporting ----------------------------------------------------------------------------------

  private diff(e: ExpectedResponse, r: ReceivedResponse, m: { index: number; at: number; wanted: ReplayText }, what: ReplayText): Mismatch {
    const line = e.lines[m.index] ?? (e.lines[e.lines.length - 1] as TranscriptLine);
    const got = r.lines[m.index];
    return mismatch(
      { line, expected: e.lines[m.index] ? formatLine(line) : null, received: got === undefined ? null : received(got), at: m.at },
      replayText('replay.differs-at', { what, line: line.lineNo, wanted: m.wanted }),
    );
  }

  /**
   * An expected response that did not come, shown against the received response most like it (the
   * one that agrees with it longest), at the line where the two part ways.
   */
  private missingMismatch(e: ExpectedResponse, reason: ReplayText, instead?: ReceivedResponse): Mismatch {
    let best: { r: ReceivedResponse; index: number; at: number } | null = null;
    for (const r of [...this.extras, ...(instead ? [instead] : [])]) {
      if (r.kind !== e.kind) continue;
      const m = matchResponse(e, r, this.captures, this.patterns);
      if (m.ok) continue;
      if (!best || m.index > best.index || (m.index === best.index && m.at > best.at)) best = { r, index: m.index, at: m.at };
    }
    if (!best) {
      // Nothing of the kind expected came: show what did instead (the completion that ended the step).
      const line = e.lines[0] as TranscriptLine;
      return mismatch({ line, expected: formatLine(line), received: instead ? received(instead.lines[0] ?? '') : null }, reason);
    }
    const line = e.lines[best.index] ?? (e.lines[e.lines.length - 1] as TranscriptLine);
    const got = best.r.lines[best.index];
    const closest = best.index === 0 ? reason : replayText('replay.closest', { reason, line: line.lineNo });
    const said = instead && instead !== best.r ? replayText('replay.completed-with', { reason: closest, text: wantedWords(instead.lines[0] ?? '', 0, 100) }) : closest;
    return mismatch({ line, expected: formatLine(line), received: got === undefined ? null : received(got), ...(got === undefined ? {} : { at: best.at }) }, said);
  }
}

function firstLineNo(e: ExpectedResponse): number {
  return e.lines[0]?.lineNo ?? 0;
}

