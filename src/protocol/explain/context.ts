/**
 * What an explanation needs to know about the session so far: the protocol, the state, the selected
 * mailbox, the greeting's APOP timestamp, the literal the server is about to be asked for, and the
 * commands still waiting for their replies. SessionExplainer keeps it up to date line by line; the
 * explain functions only read it.
 */
import type { ImapState } from '../imap/commands.js';
import type { Pop3State } from '../pop3/commands.js';

export type ExplainProtocol = 'imap' | 'pop3';

/** A command sent whose reply has not (all) come yet. */
export interface CommandInFlight {
  /** IMAP tag; "" for POP3. */
  tag: string;
  /** Upper-case name, "UID FETCH" for UID commands. */
  name: string;
  /** The arguments as typed (after the name). */
  args: string;
  /** SELECT/EXAMINE/APPEND/...: the mailbox argument, unquoted; null when the command has none. */
  mailbox: string | null;
}

export interface ExplainContext {
  protocol: ExplainProtocol;
  /**
   * 'greeting' until the server's first line; 'unknown' in a transcript that starts mid-session with
   * a command mailwire does not know (the next known command tells the state).
   */
  state: ImapState | Pop3State | 'greeting' | 'unknown';
  /** IMAP: the selected mailbox. */
  mailbox: { name: string; readOnly: boolean } | null;
  /** POP3: the greeting's timestamp (`<1896.697170952@dbc.mtview.ca.us>`), APOP's salt; null when none. */
  greetingTimestamp: string | null;
  /** IMAP: octets of the synchronizing literal a command announced and the server has not asked for yet. */
  pendingLiteral: number | null;
  /** Commands waiting for replies, oldest first. */
  inFlight: CommandInFlight[];
  /** POP3: messages marked deleted in this session (DELE, taken back by RSET). */
  markedDeleted: Set<number>;
  /** POP3: the command whose multi-line reply is being read, and how many body lines came. */
  multiline: { command: CommandInFlight; lines: number } | null;
  /** TLS protects the connection: implicit TLS, or STARTTLS / STLS accepted. */
  tls: boolean;
}

/** The context at the start of a connection. */
export function initialContext(protocol: ExplainProtocol): ExplainContext {
  return {
    protocol,
    state: 'greeting',
    mailbox: null,
    greetingTimestamp: null,
    pendingLiteral: null,
    inFlight: [],
    markedDeleted: new Set(),
    multiline: null,
    tls: false,
  };
}
