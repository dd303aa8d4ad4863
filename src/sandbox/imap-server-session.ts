/**
 * The sandbox's IMAP4rev1 server side of one connection, sans-io: bytes from the client in, actions
 * out (bytes to send, start TLS, close). Commands are framed by the same ImapFramer the client uses
 * (lines and `{n}` / `{n+}` literals by octet count), checked against the same command table for
 * the states they are valid in (RFC 3501 §3, §6), and run by the handlers of
 * imap-session-commands.ts, imap-mailbox-commands.ts and imap-message-commands.ts. Changes made by
 * other sessions reach this one through its MailboxView and are reported when RFC 3501 §7.4.1 allows.
 */
import { ImapFramer } from '../protocol/imap/framer.js';
import { findImapCommand, type ImapState } from '../protocol/imap/commands.js';
import type { CommandHandler, Completion, HandlerResult, ImapHandlerOptions, ImapHandlerSession } from './imap-command-handler.js';
import { ArgumentError, parseCommandArgs, parseCommandStart, type CommandStart, type ImapCommand } from './imap-command-line.js';
import { MAILBOX_COMMANDS } from './imap-mailbox-commands.js';
import { MESSAGE_COMMANDS } from './imap-message-commands.js';
import { SESSION_COMMANDS } from './imap-session-commands.js';
import type { Account } from './mail-store.js';
import type { MailboxView } from './mailbox-view.js';

/** What a server session asks its connection to do. */
export type ServerAction =
  | { type: 'send'; bytes: Buffer }
  /** Upgrade to TLS now (after STARTTLS/STLS's OK); call tlsStarted() when the handshake is done. */
  | { type: 'start-tls' }
  /** Close the connection after what was sent. */
  | { type: 'close' };

export interface ImapServerSessionOptions extends ImapHandlerOptions {
  /** The connection is TLS from the start (imaps). */
  implicitTls: boolean;
  /** Refuse LOGIN and AUTHENTICATE until TLS is up (advertise LOGINDISABLED, RFC 3501 §6.2.3). */
  requireTls: boolean;
  /** Bytes and actions that arise between commands (IDLE updates, a BYE when the mailbox is deleted). */
  onAsync: (actions: ServerAction[]) => void;
  /** Largest message APPEND takes, in octets. */
  maxAppendOctets: number;
}

/** Caps, in octets: a command line, and a literal of any command other than APPEND. */
const MAX_LINE_OCTETS = 64 * 1024;
const MAX_ARGUMENT_LITERAL_OCTETS = 64 * 1024;

const HANDLERS = new Map<string, CommandHandler>([...SESSION_COMMANDS, ...MAILBOX_COMMANDS, ...MESSAGE_COMMANDS]);

/**
 * Commands during which an EXPUNGE response must not be sent (RFC 3501 §7.4.1): FETCH, STORE and
 * SEARCH by sequence number. Their UID forms may get one.
 */
const NO_EXPUNGE_DURING = new Set(['FETCH', 'STORE', 'SEARCH']);

/** The command being read: its segments so far, the literal being gathered, and whether it is already refused. */
interface PendingCommand {
  tag: string | null;
  start: CommandStart | null;
  segments: Buffer[];
  literals: Buffer[];
  literal: Buffer[];
  literalOctets: number;
  /** Set when a literal went over its cap: the command is read to its end, then refused. */
  refusal: Completion | null;
}

export class ImapServerSession implements ImapHandlerSession {
  state: ImapState = 'not-authenticated';
  user: string | null = null;
  account: Account | null = null;
  view: MailboxView | null = null;
  tlsActive: boolean;
  /** Lines that answer a continuation request go here instead of being read as commands. */
  private lineHandler: ((line: Buffer) => void) | null = null;
  private readonly framer = new ImapFramer({ maxLineBytes: MAX_LINE_OCTETS });
  private pending: PendingCommand | null = null;
  private actions: ServerAction[] = [];
  /** Set by STARTTLS: what follows in the same chunk is not trusted and is dropped. */
  private awaitingTls = false;
  private closed = false;
  /** LOGOUT: close once the tagged OK is out (RFC 3501 §6.1.3). */
  private closeAfterReply = false;
  /** The command running now, for handlers that must know (DELETE of the selected mailbox). */
  current: ImapCommand | null = null;

  constructor(readonly options: ImapServerSessionOptions) {
    this.tlsActive = options.implicitTls;
  }

  /**
   * The greeting (RFC 3501 §7.1.1), with the capabilities so clients need not ask. Reply texts are
   * the RFC examples' own ("LOGIN completed", "+ Ready for literal data"), so the examples can be
   * compared line by line; ID tells who the server is.
   */
  greeting(): ServerAction[] {
    this.send(`* OK [CAPABILITY ${this.capabilities().join(' ')}] IMAP4rev1 Service Ready`);
    return this.take();
  }

  /** RFC 3501 §7.2.1: what this session offers now (it changes with TLS and login). */
  capabilities(): string[] {
    const caps = ['IMAP4rev1', 'SASL-IR', 'LITERAL+', 'ID', 'ENABLE', 'IDLE'];
    if (this.state === 'not-authenticated') {
      if (this.options.tlsAvailable && !this.tlsActive) caps.push('STARTTLS');
      if (this.loginDisabled) caps.push('LOGINDISABLED');
      else caps.push('AUTH=PLAIN');
    } else {
      caps.push('NAMESPACE', 'UNSELECT', 'UIDPLUS', 'CHILDREN', 'MOVE', 'QUOTA', 'QUOTA=RES-STORAGE');
    }
    return caps;
  }

  /** RFC 3501 §6.2.3: plaintext logins refused until TLS is up. */
  get loginDisabled(): boolean {
    return this.options.requireTls && !this.tlsActive;
  }

  /** Bytes from the client. */
  receive(chunk: Buffer): ServerAction[] {
    if (this.closed || this.awaitingTls) return [];
    for (const frame of this.framer.push(chunk)) {
      if (this.closed || this.awaitingTls) break;
      switch (frame.type) {
        case 'segment':
          this.takeSegment(frame.bytes, frame.first, frame.literal);
          break;
        case 'literal-data':
          this.takeLiteralData(frame.bytes);
          break;
        case 'literal-end':
          this.endLiteral();
          break;
        case 'error':
          // RFC 3501 §7.1.3 shows "* BAD Command line too long"; the stream cannot be resynchronised.
          this.send(frame.code === 'line-too-long' ? '* BAD Command line too long' : '* BAD Literal too large');
          this.bye('Too much input, closing the connection');
          break;
      }
    }
    return this.take();
  }

  /** The TLS handshake after STARTTLS finished: reading goes on, on the encrypted stream. */
  tlsStarted(): void {
    this.tlsActive = true;
    this.awaitingTls = false;
  }

  /** The connection is gone: let go of the mailbox. */
  connectionClosed(): void {
    this.closed = true;
    this.view?.close();
    this.view = null;
  }

  // -- output ---------------------------------------------------------------------------------

  /** Queues a line (CRLF added) or raw bytes (already CRLF-terminated). */
  send(line: string | Buffer): void {
    const bytes = typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'utf8') : line;
    this.actions.push({ type: 'send', bytes });
  }

  /** Queues an action other than sending. */
  act(action: ServerAction): void {
    this.actions.push(action);
  }

  private take(): ServerAction[] {
    const out = this.actions;
    this.actions = [];
    return out;
  }

  /** Sends BYE and closes (RFC 3501 §7.1.5). */
  bye(text: string): void {
    this.send(`* BYE ${text}`);
    this.act({ type: 'close' });
    this.closed = true;
  }

  /** Closes the connection once the running command's tagged response is sent (LOGOUT). */
  closeAfterCompletion(): void {
    this.closeAfterReply = true;
  }

  /** Hands a command's later lines (SASL responses, DONE) to `handler` until it calls endContinuation(). */
  expectLines(handler: (line: Buffer) => void): void {
    this.lineHandler = handler;
  }

  /** Ends a command that took continuation lines, with its completion. */
  endContinuation(tag: string, completion: Completion, name: string): void {
    this.lineHandler = null;
    this.complete(tag, name, completion);
  }

  /** Called by STARTTLS after its OK: stop reading until the handshake is done. */
  beginTls(): void {
    this.awaitingTls = true;
    // RFC 3501 §6.2.1 / RFC 2595 §3.1: bytes that came after the command in plaintext are dropped
    // (the command injection of CVE-2011-0411).
    this.framer.reset();
    this.pending = null;
    this.act({ type: 'start-tls' });
  }

  /** Sends pending mailbox updates now (IDLE, NOOP) and flushes the actions to the connection. */
  pushUpdates(): void {
    if (this.closed) return;
    this.reportUpdates(true);
    const actions = this.take();
    if (actions.length > 0) this.options.onAsync(actions);
  }

  /** Reports what changed in the selected mailbox; a deleted mailbox ends the session (as Dovecot does). */
  reportUpdates(allowExpunge: boolean): void {
    const view = this.view;
    if (!view) return;
    if (view.deleted) {
      this.view = null;
      this.state = 'authenticated';
      this.bye('Selected mailbox was deleted, have to disconnect.');
      return;
    }
    for (const line of view.flush(allowExpunge)) this.send(line);
  }

  // -- reading commands -------------------------------------------------------------------------

  private takeSegment(bytes: Buffer, first: boolean, literal: { size: number; nonSynchronizing: boolean } | null): void {
    if (first && this.lineHandler && literal === null) {
      this.lineHandler(bytes);
      return;
    }
    if (first) {
      const { tag, start } = parseCommandStart(bytes);
      this.pending = { tag, start, segments: [], literals: [], literal: [], literalOctets: 0, refusal: null };
    }
    const cmd = this.pending;
    if (!cmd) return;
    cmd.segments.push(bytes);
    if (literal === null) {
      this.pending = null;
      this.finishCommand(cmd);
      return;
    }
    if (cmd.refusal) return;
    const cap = cmd.start?.name === 'APPEND' ? this.options.maxAppendOctets : MAX_ARGUMENT_LITERAL_OCTETS;
    const early = this.earlyRefusal(cmd, literal.size, cap);
    if (early === null) {
      // RFC 3501 §7.5: a synchronizing literal waits for the command continuation request.
      if (!literal.nonSynchronizing) this.send(cmd.start?.name === 'APPEND' ? '+ Ready for literal data' : '+ Ready for additional command text');
      return;
    }
    if (!literal.nonSynchronizing) {
      // The client will not send the literal: answer now and go back to reading commands
      // (RFC 3501 §7.5's "A044 BLURDYBLOOP {102856}").
      this.pending = null;
      this.framer.reset();
      this.respondRefusal(cmd, early);
      return;
    }
    // RFC 7888 §4: a non-synchronizing literal is on its way; read it, drop it, then refuse.
    cmd.refusal = early;
  }

  /** Whether a command announcing a literal is refused before the literal is read. */
  private earlyRefusal(cmd: PendingCommand, size: number, cap: number): Completion | null {
    if (cmd.tag === null || cmd.start === null) return { status: 'BAD', text: 'Error in IMAP command received by server.' };
    const check = this.checkCommand(cmd.start.name);
    if (check) return check;
    if (size > cap) {
      // RFC 7889 / RFC 4469: TOOBIG for a message over the limit; BAD for oversized arguments.
      return cmd.start.name === 'APPEND'
        ? { status: 'NO', text: `[TOOBIG] Message too large (over ${cap} octets)` }
        : { status: 'BAD', text: 'Literal too large' };
    }
    return null;
  }

  private takeLiteralData(bytes: Buffer): void {
    const cmd = this.pending;
    if (!cmd || cmd.refusal) return;
    cmd.literal.push(bytes);
    cmd.literalOctets += bytes.length;
  }

  private endLiteral(): void {
    const cmd = this.pending;
    if (!cmd) return;
    cmd.literals.push(Buffer.concat(cmd.literal, cmd.literalOctets));
    cmd.literal = [];
    cmd.literalOctets = 0;
  }

  private respondRefusal(cmd: PendingCommand, completion: Completion): void {
    if (cmd.tag === null) this.send(`* BAD ${completion.text}`);
    else this.send(`${cmd.tag} ${completion.status} ${completion.text}`);
  }

  /** Why a command cannot run now: unknown, or not in this state (RFC 3501 §3). Null when it may. */
  private checkCommand(name: string): Completion | null {
    const spec = findImapCommand(name);
    if (!spec || !HANDLERS.has(name)) return { status: 'BAD', text: `No such command as "${name}"` };
    if (spec.states.includes(this.state)) return null;
    if (this.state === 'not-authenticated') return { status: 'BAD', text: 'Please login first' };
    if (spec.states.includes('selected')) return { status: 'BAD', text: 'No mailbox selected' };
    if (name === 'ENABLE') return { status: 'BAD', text: 'ENABLE is only valid before a mailbox is selected' };
    return { status: 'BAD', text: 'Already logged in' };
  }

  private finishCommand(cmd: PendingCommand): void {
    if (cmd.tag === null) {
      // RFC 3501 §7.1.3: "* BAD Empty command line" and friends: no tag to answer with.
      this.send(cmd.segments.length === 1 && (cmd.segments[0] as Buffer).length === 0 ? '* BAD Empty command line' : '* BAD Error in IMAP command received by server.');
      return;
    }
    if (cmd.start === null) {
      this.send(`${cmd.tag} BAD Error in IMAP command received by server.`);
      return;
    }
    if (cmd.refusal) {
      this.respondRefusal(cmd, cmd.refusal);
      return;
    }
    const refusal = this.checkCommand(cmd.start.name);
    if (refusal) {
      this.respondRefusal(cmd, refusal);
      return;
    }
    let command: ImapCommand;
    try {
      command = { tag: cmd.tag, name: cmd.start.name, uid: false, args: parseCommandArgs(cmd.segments, cmd.literals, cmd.start.argsStart) };
    } catch (error) {
      if (!(error instanceof ArgumentError)) throw error;
      this.send(`${cmd.tag} BAD Error in IMAP command ${cmd.start.name}: ${error.message}`);
      return;
    }
    this.run(command);
  }

  /** Runs a parsed command and completes it (unless it goes on with continuation lines). */
  run(command: ImapCommand): void {
    const handler = HANDLERS.get(command.name) as CommandHandler;
    let result: HandlerResult;
    this.current = command;
    try {
      result = handler(this, command);
    } catch (error) {
      if (!(error instanceof ArgumentError)) throw error;
      result = { status: 'BAD', text: `Error in IMAP command ${command.uid ? 'UID ' : ''}${command.name}: ${error.message}` };
    } finally {
      this.current = null;
    }
    if (result === 'continues') return;
    this.complete(command.tag, command.uid ? `UID ${command.name}` : command.name, result);
  }

  /**
   * The tagged response, after any mailbox updates the command may carry (RFC 3501 §7.4.1: no
   * EXPUNGE during FETCH, STORE or SEARCH by sequence number).
   */
  private complete(tag: string, name: string, completion: Completion): void {
    if (this.closed) return;
    this.reportUpdates(!NO_EXPUNGE_DURING.has(name));
    if (this.closed) return;
    this.send(`${tag} ${completion.status} ${completion.text}`);
    if (this.closeAfterReply) {
      this.act({ type: 'close' });
      this.closed = true;
    }
  }
}
