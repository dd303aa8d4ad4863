/**
 * lint reports findings in line order, but finds them out of it: a step's findings come when the step
 * is complete, a mark's when the next step starts, a command never completed only at the end. This
 * queue holds each finding until nothing found later can come before it, then hands it out; so
 * findings are written as a file is read, and only those still open are kept. Among findings on one
 * line, the format's notes come first, then what the protocol's linter found (in the order found),
 * then the patterns'. Pure.
 */
import type { KeyedFinding as Finding } from './lint-grammar.js';

/** Who found a finding: orders findings on the same line. */
export const FindingSource = { Format: 0, Linter: 1, Pattern: 2 } as const;
export type FindingSource = (typeof FindingSource)[keyof typeof FindingSource];

interface Queued {
  finding: Finding;
  line: number;
  source: FindingSource;
  seq: number;
}

function before(a: Queued, b: Queued): boolean {
  return a.line !== b.line ? a.line < b.line : a.source !== b.source ? a.source < b.source : a.seq < b.seq;
}

/** A binary heap of findings, smallest (line, source, order found) first. */
export class FindingQueue {
  private readonly heap: Queued[] = [];
  private seq = 0;

  constructor(private readonly emit: (finding: Finding) => void) {}

  /** A finding; one about the whole file (line null) comes before every line. */
  add(finding: Finding, source: FindingSource): void {
    const heap = this.heap;
    heap.push({ finding, line: finding.lineNo ?? 0, source, seq: this.seq++ });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Queued, heap[parent] as Queued)) break;
      [heap[i], heap[parent]] = [heap[parent] as Queued, heap[i] as Queued];
      i = parent;
    }
  }

  /** Hands out, in order, every finding on a line before `line`: no finding still to come can precede them. */
  flushBefore(line: number): void {
    while (this.heap.length > 0 && (this.heap[0] as Queued).line < line) this.emit(this.pop().finding);
  }

  /** Findings held. */
  get size(): number {
    return this.heap.length;
  }

  private pop(): Queued {
    const heap = this.heap;
    const top = heap[0] as Queued;
    const last = heap.pop() as Queued;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Queued, heap[m] as Queued)) m = l;
        if (r < heap.length && before(heap[r] as Queued, heap[m] as Queued)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Queued, heap[i] as Queued];
        i = m;
      }
    }
    return top;
  }
}
