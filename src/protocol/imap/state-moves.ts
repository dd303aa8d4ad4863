/**
 * How a completed command moves an IMAP session between the states of RFC 3501 §3, with RFC 8437
 * §5's revised figure (UNAUTHENTICATE): one table, read by the client session, the explanations,
 * lint, the shell (through the session) and the state diagram, so that all of them agree on where a
 * session is. Greetings and BYE, which are no command's completion, are not in it. Pure data and one
 * lookup.
 */
import type { ImapState } from './command-spec.js';

/** What a move does besides the state: a login made, or ended (the connection stays). */
export type ImapIdentityChange =
  /**
   * LOGIN or AUTHENTICATE succeeded: the capabilities listed before hold only if the server lists
   * them again after the command went out (RFC 3501 §6.2.3: they may change with the login).
   */
  | 'login'
  /**
   * UNAUTHENTICATE succeeded: the connection is as before a login, TLS aside (RFC 8437 §3): nobody is
   * logged in, the capabilities listed before hold only if listed again, and what ENABLE turned on
   * (UTF8=ACCEPT, IMAP4rev2, CONDSTORE, ...) is off again (RFC 8437 §4.1).
   */
  | 'reset';

export interface ImapStateMove {
  /** The commands that make the move (upper case, as sent). */
  commands: readonly string[];
  /** Which completion makes it: a tagged OK, or a failure (NO or BAD). */
  when: 'ok' | 'failed';
  /** The states the move leaves from: a completion in another state moves nothing. */
  from: readonly ImapState[];
  to: ImapState;
  identity?: ImapIdentityChange;
  /** Where the move is defined: the figure it is a transition of. */
  rfc: string;
}

const LOGGED_IN: readonly ImapState[] = ['authenticated', 'selected'];

/** RFC 3501 §3 transitions (4) to (6) and (8), RFC 8437 §5 transition (7). */
export const IMAP_STATE_MOVES: readonly ImapStateMove[] = [
  { commands: ['LOGIN', 'AUTHENTICATE'], when: 'ok', from: ['not-authenticated'], to: 'authenticated', identity: 'login', rfc: 'RFC 3501 §3' },
  { commands: ['SELECT', 'EXAMINE'], when: 'ok', from: LOGGED_IN, to: 'selected', rfc: 'RFC 3501 §3' },
  // RFC 3501 §6.3.1: a failed SELECT (or EXAMINE) leaves no mailbox selected, even the one that was.
  { commands: ['SELECT', 'EXAMINE'], when: 'failed', from: ['selected'], to: 'authenticated', rfc: 'RFC 3501 §3' },
  // UNSELECT is RFC 3691's; RFC 8437 §5 puts it in the figure beside CLOSE.
  { commands: ['CLOSE', 'UNSELECT'], when: 'ok', from: ['selected'], to: 'authenticated', rfc: 'RFC 3501 §3' },
  { commands: ['UNAUTHENTICATE'], when: 'ok', from: LOGGED_IN, to: 'not-authenticated', identity: 'reset', rfc: 'RFC 8437 §3' },
  { commands: ['LOGOUT'], when: 'ok', from: ['not-authenticated', 'authenticated', 'selected'], to: 'logout', rfc: 'RFC 3501 §3' },
];

/**
 * The move the completion of `command` makes from `state`, or null when it makes none. A state not
 * known (an excerpt, or before the greeting) takes the move whatever its start.
 */
export function imapStateMove(command: string, ok: boolean, state: ImapState | 'unknown' | 'greeting'): ImapStateMove | null {
  const when = ok ? 'ok' : 'failed';
  const name = command.toUpperCase();
  for (const move of IMAP_STATE_MOVES) {
    if (move.when !== when || !move.commands.includes(name)) continue;
    if (move.from.includes(state as ImapState)) return move;
    // From a state not known, a success lands where it lands; a failure leaves it unknown (a failed
    // SELECT leaves a client logged in, or not, as it was).
    if (ok && (state === 'unknown' || state === 'greeting')) return move;
  }
  return null;
}

/** Whether the success of `command` makes or ends a login (the capabilities listed before it may change). */
export function changesLogin(command: string): boolean {
  const name = command.toUpperCase();
  return IMAP_STATE_MOVES.some((m) => m.identity !== undefined && m.commands.includes(name));
}
