/**
 * Where a transcript says something about the session's state besides its lines: an elision (`...`,
 * `[...]`), after which the state is unknown again, and a `# state:` directive, which declares it.
 * Both linters walk these marks in line order along the steps. Pure.
 */
import type { Transcript } from './format.js';

export type SessionMark = { kind: 'elision'; lineNo: number } | { kind: 'state'; lineNo: number; state: string };

/** The marks of a transcript, in line order. */
export function sessionMarks(t: Transcript): SessionMark[] {
  const marks: SessionMark[] = [
    ...t.notes.filter((n) => n.elision === true).map((n) => ({ kind: 'elision' as const, lineNo: n.lineNo })),
    ...(t.directives.states ?? []).map((s) => ({ kind: 'state' as const, lineNo: s.lineNo, state: s.state })),
  ];
  return marks.sort((a, b) => a.lineNo - b.lineNo);
}
