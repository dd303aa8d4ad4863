/**
 * What `mailwire step FILE --target URL` (or `--sandbox`) shows: the live session as it happens, each
 * line as the terminal shows it with its explanation under it, and after each step where the server's
 * answer differs from the transcript's (replay's matching rules: patterns, volatile values) and, when
 * the state changed, the state diagram with the command that moved it. Pure: session events and
 * differences in, text and spans out; the caller does the waiting and the writing.
 */
import { SessionExplainer } from '../protocol/explain/session-explainer.js';
import { commandThatMoved } from '../protocol/explain/state-machine.js';
import type { Language } from '../protocol/explain/language.js';
import { RUSSIAN_WORDS } from '../render/session-words-ru.js';
import { sayWith } from '../protocol/explain/said.js';
import { Words } from '../protocol/explain/words.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Span } from '../render/roles.js';
import { stateDiagramLines } from '../render/state-diagram.js';
import { makeStyler, type ColorLevel } from '../render/theme.js';
import { TranscriptRenderer } from '../render/transcript-renderer.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import type { Mismatch } from './match.js';

export class LiveStepView {
  readonly #renderer: TranscriptRenderer;
  readonly #words: Words;
  #explainer: SessionExplainer | null = null;
  /** Command lines sent (secrets already masked by the session), for the diagram's "entered by". */
  readonly #commands: string[] = [];
  #state = 'greeting';
  #differences = 0;

  constructor(
    private readonly protocol: Protocol,
    private readonly language: Language,
    colorLevel: ColorLevel,
  ) {
    this.#words = new Words(language);
    this.#renderer = new TranscriptRenderer({
      colorLevel,
      style: makeStyler(colorLevel),
      annotate: false,
      explain: true,
      explainerFor: (p) => (this.#explainer = new SessionExplainer(p, language)),
      // The session's own lines (its warnings) in the language of the explanations.
      ...(language === 'ru' ? { words: RUSSIAN_WORDS } : {}),
    });
  }

  /** The text of one live event (lines with their explanations; possibly empty). */
  event(event: SessionEvent): string {
    if (event.kind === 'client-line' && event.part === 'command') this.#commands.push(event.text);
    return this.#renderer.render(event);
  }

  /** Ends a line a literal left open. */
  finish(): string {
    return this.#renderer.finish();
  }

  /** How many steps so far had an answer other than the transcript's. */
  get differences(): number {
    return this.#differences;
  }

  /**
   * What follows a step: where the live answer differs from the transcript (the transcript's line
   * and the server's, one above the other), then the diagram if the step changed the state.
   */
  afterStep(mismatch: Mismatch | null, first: boolean): Span[][] {
    const lines: Span[][] = [];
    if (mismatch) {
      this.#differences++;
      lines.push(...differenceLines(this.#words, mismatch));
    }
    const now = this.#explainer?.context.state ?? this.#state;
    const before = this.#state;
    // The greeting's arrival is no move of the machine: 'greeting' is before the first state.
    const changed = now !== before && before !== 'greeting' && before !== 'unknown';
    if (changed || (first && now !== 'greeting' && now !== 'unknown')) {
      const movedBy = changed ? commandThatMoved(this.protocol, before, now, this.#commands) : null;
      lines.push([], ...stateDiagramLines({ protocol: this.protocol, state: now, language: this.language, movedBy }));
    }
    this.#state = now;
    return lines;
  }
}

/**
 * A difference as the teacher shows it: a mark, the transcript's line (`-`) and the server's (`+`).
 * Replay's reason follows in the same language (replay-en.ts and replay-ru.ts are part of the catalogues).
 */
export function differenceLines(words: Words, m: Mismatch): Span[][] {
  const reason = sayWith(m.said, (key, values) => words.text(key, values));
  const lines: Span[][] = [[{ role: 'status-no', text: `≠ ${words.text('step.live.differs')}` }, { role: 'annotation', text: ` (${escapeDisplayText(reason)})` }]];
  const where = m.line ? words.text('step.live.recorded-line', { line: m.line.lineNo }) : words.text('step.live.recorded');
  lines.push([
    { role: 'status-ok', text: `  - ${m.expected === null ? words.text('step.live.nothing') : escapeDisplayText(m.expected)}` },
    { role: 'annotation', text: `   (${where})` },
  ]);
  lines.push([
    { role: 'status-no', text: `  + ${m.received === null ? words.text('step.live.nothing') : escapeDisplayText(m.received)}` },
    { role: 'annotation', text: `   (${words.text('step.live.server')})` },
  ]);
  return lines;
}
