/**
 * The state diagram for a terminal (`.state` in the shell, state changes in `mailwire step`): the
 * protocol's states stacked top to bottom in boxes, the moves between them labelled with their
 * commands, the current state in a heavy box with a mark naming the command that entered it. Pure:
 * spans with semantic roles, which the theme colors or leaves plain; the heavy box and the mark make
 * the current state plain to see without colors too. The state names are the catalogues' own.
 */
import { stateMachineFor, type MachineState } from '../protocol/explain/state-machine.js';
import type { ExplainProtocol } from '../protocol/explain/context.js';
import type { Language } from '../protocol/explain/language.js';
import { Words } from '../protocol/explain/words.js';
import { escapeDisplayText } from './escape.js';
import type { Span } from './roles.js';

export interface StateDiagramInput {
  protocol: ExplainProtocol;
  /** The session's state: a state of the machine, or 'greeting' / 'unknown' (no box is current). */
  state: string;
  language: Language;
  /** The command that entered the current state (`A002 LOGIN`), from the wire or a file; null if none is known. */
  movedBy?: string | null;
}

/** Columns before a box, and before the arrows under it. */
const BOX_INDENT = '  ';
const ARROW_INDENT = '     ';

const LIGHT = { tl: '┌', tr: '┐', bl: '└', br: '┘', h: '─', v: '│' };
const HEAVY = { tl: '┏', tr: '┓', bl: '┗', br: '┛', h: '━', v: '┃' };

/** The diagram as lines of spans (no line breaks inside). */
export function stateDiagramLines(input: StateDiagramInput): Span[][] {
  const words = new Words(input.language);
  const machine = stateMachineFor(input.protocol);
  const name = (s: MachineState) => words.text(`state.${input.protocol}.${s}`);
  const width = Math.max(...machine.states.map((s) => name(s).length));
  const lines: Span[][] = [[{ role: 'text', text: words.text(`diagram.title.${input.protocol}`, { rfc: machine.rfc }) }]];

  machine.states.forEach((state, i) => {
    const current = state === input.state;
    const box = current ? HEAVY : LIGHT;
    const role = current ? 'state-current' : 'state';
    const label = name(state);
    const mark = current
      ? ` ◀ ${input.movedBy ? words.text('diagram.moved-by', { command: escapeDisplayText(input.movedBy) }) : words.text('diagram.current')}`
      : '';
    lines.push([{ role: 'text', text: BOX_INDENT }, { role, text: `${box.tl}${box.h.repeat(width + 2)}${box.tr}` }]);
    lines.push([
      { role: 'text', text: BOX_INDENT },
      { role, text: `${box.v} ${label}${' '.repeat(width - label.length)} ${box.v}` },
      ...(mark ? [{ role, text: mark } as Span] : []),
    ]);
    lines.push([{ role: 'text', text: BOX_INDENT }, { role, text: `${box.bl}${box.h.repeat(width + 2)}${box.br}` }]);

    const next = machine.states[i + 1];
    if (next === undefined) return;
    const forward = machine.transitions.filter((t) => t.to === next && t.from === state);
    const fromAny = machine.transitions.filter((t) => t.to === next && t.from === '*');
    const back = machine.transitions.filter((t) => t.from === next && t.to === state);
    const forwardLabel = [
      ...forward.map((t) => t.commands.join(', ')),
      ...fromAny.map((t) => words.text('diagram.from-any', { commands: t.commands.join(', ') })),
    ].join('; ');
    const down: Span[] = [{ role: 'text', text: ARROW_INDENT }, { role: 'state-move', text: `│ ${forwardLabel}` }];
    const tip: Span[] = [{ role: 'text', text: ARROW_INDENT }, { role: 'state-move', text: '▼' }];
    if (back.length > 0) {
      // The way back, beside the way down: an arrow pointing up with its commands.
      const gap = 2 + forwardLabel.length + 4;
      down.push({ role: 'state-move', text: `${' '.repeat(4)}▲ ${back.map((t) => t.commands.join(', ')).join('; ')}` });
      tip.push({ role: 'state-move', text: `${' '.repeat(gap - 1)}│` });
    }
    lines.push(down, tip);
  });

  if (!(machine.states as readonly string[]).includes(input.state)) {
    lines.push([{ role: 'annotation', text: words.text(input.state === 'greeting' ? 'diagram.connecting' : 'diagram.unknown') }]);
  }
  return lines;
}
