/**
 * What the sandbox's sessions tell a teacher's live log: each command as it came from the client,
 * with who sent it (the connection's number and, once logged in, the user) and when. The sessions
 * hand over the raw parts; the line is made elsewhere (render/command-log-line.ts), where secrets are
 * masked as `--record` masks them and every byte is escaped. The sink is called at once and must not
 * keep the buffers: an APPEND's message is not copied for the log.
 */

/** A command as the client sent it. */
export type LoggedCommand =
  /** An IMAP command: its text segments and the literals between them (RFC 3501 §4.3). */
  | { protocol: 'imap'; kind: 'command'; segments: readonly Buffer[]; literals: readonly Buffer[] }
  /** A line answering a continuation request of `command` (AUTHENTICATE's responses, IDLE's DONE). */
  | { protocol: 'imap'; kind: 'continuation'; command: string; line: Buffer }
  /** A POP3 command line, or a line answering AUTH's challenge (RFC 5034 §4). */
  | { protocol: 'pop3'; kind: 'command' | 'auth-response'; line: Buffer };

export interface CommandLogEntry {
  at: Date;
  /** The connection's number, counted from 1 since the sandbox started. */
  connection: number;
  /** Who is logged in on the connection; null before login. */
  user: string | null;
  command: LoggedCommand;
}

/** Takes each command as it is read; must return quickly and never throw. */
export type CommandLogSink = (entry: CommandLogEntry) => void;
