/**
 * Where a transcript says something about the session's state besides its lines: an elision (`...`,
 * `[...]`), after which the state is unknown again, and a `# state:` directive, which declares it.
 * Both linters take these marks in line order and apply each before the first step that starts after
 * it. Pure.
 */
import type { Step } from './script.js';

export type SessionMark = { kind: 'elision'; lineNo: number } | { kind: 'state'; lineNo: number; state: string };

/**
 * Marks read but not applied yet: a mark inside a step (between its server lines, say) takes effect
 * before the next step. Marks after the last step's start are never applied (nothing follows them).
 */
export class PendingMarks {
  private readonly pending: SessionMark[] = [];
  private next = 0;

  add(mark: SessionMark): void {
    this.pending.push(mark);
  }

  /** Applies the marks that come before the step's first line (none, for a step without lines: the greeting of a fragment). */
  applyBefore(step: Step, apply: (mark: SessionMark) => void): void {
    const firstLine = step.lines[0]?.lineNo ?? 0;
    while (this.next < this.pending.length && (this.pending[this.next] as SessionMark).lineNo < firstLine) apply(this.pending[this.next++] as SessionMark);
    if (this.next === this.pending.length) {
      this.pending.length = 0;
      this.next = 0;
    }
  }

  /** The line of the first mark not applied yet (Infinity when none is pending). */
  get openFrom(): number {
    return this.pending[this.next]?.lineNo ?? Infinity;
  }
}
