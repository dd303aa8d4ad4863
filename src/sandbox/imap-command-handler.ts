/**
 * What a sandbox IMAP command handler is, and what it may use of the server session that runs it.
 * The handler tables (imap-session-commands.ts, imap-mailbox-commands.ts, imap-message-commands.ts)
 * depend on this module only, and the session (imap-server-session.ts) depends on the tables: one
 * way, like imapflow's command registry beside its connection class.
 */
import type { ImapState } from '../protocol/imap/commands.js';
import type { ConnectionLedger, FailedLogins, ServerLimits, UserRate } from '../transport/server-limits.js';
import type { ImapCommand } from './imap-command-line.js';
import type { Account, MailStore } from './mail-store.js';
import type { MailboxView } from './mailbox-view.js';
import type { UserDirectory } from './users.js';

/** How a command ended: the tagged status and its text (response code included, e.g. "[READ-ONLY] ..."). */
export interface Completion {
  status: 'OK' | 'NO' | 'BAD';
  text: string;
}

/** A handler's result: the completion, or 'continues' when the command waits for client lines (AUTHENTICATE, IDLE). */
export type HandlerResult = Completion | 'continues';

export type CommandHandler = (session: ImapHandlerSession, command: ImapCommand) => HandlerResult;

/** The server's settings a handler reads. */
export interface ImapHandlerOptions {
  store: MailStore;
  users: UserDirectory;
  /** STARTTLS can be offered (the server has a certificate). */
  tlsAvailable: boolean;
  /** For ID (RFC 2971). */
  version: string;
  now: () => Date;
  /** What a client may cost (server-limits.ts); the defaults where omitted. */
  limits?: Partial<ServerLimits>;
  /** Logged-in connections per user, shared by all sessions of the server. */
  connections?: ConnectionLedger;
  /** Commands per second per user, shared by all sessions of the server. */
  rate?: UserRate;
  /** Failed logins slow down per user (a class sandbox); null or omitted: they do not. */
  failedLogins?: FailedLogins | null;
  /** Users may change their own quota with SETQUOTA (RFC 2087's example); false in a class. */
  usersSetQuota?: boolean;
}

/** The server session as its command handlers see it (ImapServerSession implements it). */
export interface ImapHandlerSession {
  state: ImapState;
  user: string | null;
  account: Account | null;
  view: MailboxView | null;
  readonly tlsActive: boolean;
  readonly options: ImapHandlerOptions;
  /** The limits in force: the options' over the defaults. */
  readonly limits: ServerLimits;
  /** Octets the running command may still send (FETCH stops with NO [LIMIT] past it). */
  readonly outputRoom: number;
  /** Counts a successful login against the user's connections; false when the user has as many as allowed. */
  admitLogin(user: string): boolean;
  /** RFC 3501 §7.2.1: what this session offers now (it changes with TLS and login). */
  capabilities(): string[];
  /** RFC 3501 §6.2.3: plaintext logins refused until TLS is up. */
  readonly loginDisabled: boolean;
  /** Queues a line (CRLF added) or raw bytes (already CRLF-terminated). */
  send(line: string | Buffer): void;
  /** Closes the connection once the running command's tagged response is sent (LOGOUT). */
  closeAfterCompletion(): void;
  /** Hands a command's later lines (SASL responses, DONE) to `handler` until it calls endContinuation(). */
  expectLines(handler: (line: Buffer) => void): void;
  /** Ends a command that took continuation lines, with its completion. */
  endContinuation(tag: string, completion: Completion, name: string): void;
  /** Called by STARTTLS after its OK: stop reading until the handshake is done. */
  beginTls(): void;
  /** Sends pending mailbox updates now (IDLE, NOOP) and flushes the actions to the connection. */
  pushUpdates(): void;
  /** Reports what changed in the selected mailbox; a deleted mailbox ends the session (as Dovecot does). */
  reportUpdates(allowExpunge: boolean): void;
}
