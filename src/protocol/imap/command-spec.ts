/**
 * What the IMAP command tables say of a command: its syntax, meaning, states, RFC section, capability,
 * secrets and continuations. A file of its own so that the tables (commands.ts, registry-commands.ts)
 * share it without importing each other.
 */

/** RFC 3501 §3: the four session states. */
export type ImapState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

/** What the user's lines after a "+" continuation request are, for commands that ask for them. */
export type ImapContinuationKind =
  /** SASL responses (RFC 3501 §6.2.2): base64 credentials, "*" cancels. */
  | 'sasl'
  /** IDLE (RFC 2177 §3): the client ends the command with "DONE". */
  | 'idle';

export interface ImapCommandSpec {
  /** Upper-case command name as sent on the wire. */
  name: string;
  /** Arguments in the RFC's words, e.g. "SELECT mailbox". */
  syntax: string;
  /** What the command does, in one line. */
  summary: string;
  /** States in which the command is valid. */
  states: readonly ImapState[];
  /** Where the command is defined, e.g. "RFC 3501 §6.3.1". */
  rfc: string;
  /**
   * The capability a server advertises when it supports the command. A name ending in "=" stands for
   * a family (THREAD=REFERENCES, COMPRESS=DEFLATE, AUTH=PLAIN): any capability with that prefix will do.
   */
  capability?: string;
  /** Other documents that define or update the command (the current standard, the older one). */
  seeAlso?: readonly string[];
  /**
   * Arguments from this index on (0 = first argument after the command name) carry credentials and
   * are masked in everything shown or recorded.
   */
  secretArgsFrom?: number;
  /** The command asks the user for lines after a "+" continuation request. */
  continuation?: ImapContinuationKind;
  /** Not in this table: an X<atom> command (RFC 3501 §6.5.1) described generically. */
  experimental?: boolean;
  /**
   * The server must not send EXPUNGE while this command is in progress (RFC 3501 §7.4.1, RFC 9051
   * §7.5.1): its answers name messages by sequence number, which an EXPUNGE would shift under it.
   * FETCH, STORE and SEARCH; their UID forms are other commands and may get one.
   */
  noExpungeWhileInProgress?: true;
}
