/**
 * The protocols' state machines as data, for the state diagram (render/state-diagram.ts), step-through
 * and handouts: the states in the order a session passes them, and the commands that move a session
 * from one to another. IMAP's moves are those of imap/state-moves.ts, the table the session, the
 * explainer and lint move by; this one only draws them.
 */
import type { ImapState } from '../imap/command-spec.js';
import { IMAP_STATE_MOVES } from '../imap/state-moves.js';
import type { Pop3State } from '../pop3/commands.js';
import type { ExplainProtocol } from './context.js';

export type MachineState = ImapState | Pop3State;

/** A move between states; `from: '*'` is a move possible from every state. */
export interface StateTransition {
  from: MachineState | '*';
  to: MachineState;
  /** The commands that make the move, as the RFC names them. */
  commands: readonly string[];
}

export interface StateMachine {
  protocol: ExplainProtocol;
  /** Where the machine is defined. */
  rfc: string;
  /** The states, first to last, as the diagram stacks them. */
  states: readonly MachineState[];
  transitions: readonly StateTransition[];
}

const IMAP_STATES: readonly ImapState[] = ['not-authenticated', 'authenticated', 'selected', 'logout'];

/**
 * The moves a diagram draws, from the table every part reads (imap/state-moves.ts): those a command's
 * OK makes (a failed SELECT, which also leaves the mailbox, is said in words), one per state they
 * leave, or one from any state; a move to the same state is no arrow.
 */
function imapTransitions(): StateTransition[] {
  const drawn = IMAP_STATE_MOVES.filter((m) => m.when === 'ok');
  return drawn.flatMap((m): StateTransition[] => {
    const everywhere = IMAP_STATES.every((s) => s === 'logout' || m.from.includes(s));
    if (everywhere) return [{ from: '*', to: m.to, commands: m.commands }];
    return m.from.filter((s) => s !== m.to).map((from) => ({ from, to: m.to, commands: m.commands }));
  });
}

/**
 * RFC 3501 §3 (and its figure), with RFC 8437 §5's UNAUTHENTICATE: LOGIN or AUTHENTICATE (or a
 * PREAUTH greeting) authenticates; SELECT or EXAMINE selects; CLOSE, UNSELECT (RFC 3691) or a failed
 * SELECT leaves the mailbox; UNAUTHENTICATE goes back to before the login; LOGOUT (or the server's
 * BYE) from any state ends the session.
 */
export const IMAP_STATE_MACHINE: StateMachine = {
  protocol: 'imap',
  rfc: 'RFC 3501 §3',
  states: IMAP_STATES,
  transitions: imapTransitions(),
};

/**
 * RFC 1939 §3: a successful PASS or APOP (or AUTH, RFC 5034) enters TRANSACTION; QUIT there enters
 * UPDATE, where the messages marked deleted are removed.
 */
export const POP3_STATE_MACHINE: StateMachine = {
  protocol: 'pop3',
  rfc: 'RFC 1939 §3',
  states: ['authorization', 'transaction', 'update'],
  transitions: [
    { from: 'authorization', to: 'transaction', commands: ['PASS', 'APOP', 'AUTH'] },
    { from: 'transaction', to: 'update', commands: ['QUIT'] },
  ],
};

export function stateMachineFor(protocol: ExplainProtocol): StateMachine {
  return protocol === 'imap' ? IMAP_STATE_MACHINE : POP3_STATE_MACHINE;
}

/**
 * The command of `commands` (wire lines, oldest first) that made the move from `from` to `to`: the
 * latest whose name the table gives for that move, as its tag and name (`A002 LOGIN`, `PASS`). Null when none did (a PREAUTH greeting, a BYE,
 * a SELECT that failed).
 */
export function commandThatMoved(
  protocol: ExplainProtocol,
  from: string,
  to: string,
  commands: readonly string[],
): string | null {
  const names = new Set(
    stateMachineFor(protocol)
      .transitions.filter((t) => t.to === to && (t.from === from || t.from === '*'))
      .flatMap((t) => t.commands),
  );
  for (let i = commands.length - 1; i >= 0; i--) {
    const line = commands[i] ?? '';
    const words = line.trim().split(/[ \t]+/);
    const name = (protocol === 'imap' ? words[1] : words[0])?.toUpperCase() ?? '';
    // Tag and name only: what a diagram names, without arguments (a user name, a masked password).
    if (names.has(name)) return words.slice(0, protocol === 'imap' ? 2 : 1).join(' ');
  }
  return null;
}
