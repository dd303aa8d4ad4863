/**
 * The sandbox's IMAP4rev1 server side of one connection, sans-io: bytes from the client in, actions
 * out (bytes to send, start TLS, close). Commands are framed by the same ImapFramer the client uses
 * (lines and `{n}` / `{n+}` literals by octet count), checked against the same command table for
 * the states they are valid in (RFC 3501 §3, §6), and run by the handlers of
 * imap-session-commands.ts, imap-mailbox-commands.ts and imap-message-commands.ts. Changes made by
 * other sessions reach this one through its MailboxView and are reported when RFC 3501 §7.4.1 allows.
 */
import { ImapFramer } from '../protocol/imap/framer.js';
import type { CommandHandler, Completion, HandlerResult, ImapHandlerOptions, ImapHandlerSession } from './imap-command-handler.js';
import type { ImapFrame } from '../protocol/imap/frames.js';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from '../transport/server-limits.js';
import { findImapCommand, type ImapState } from '../protocol/imap/commands.js';
import { ArgumentError, parseCommandArgs, parseCommandStart, type CommandStart, type ImapCommand } from './imap-command-line.js';
import { MAILBOX_COMMANDS } from './imap-mailbox-commands.js';
import { MESSAGE_COMMANDS } from './imap-message-commands.js';
import { SESSION_COMMANDS } from './imap-session-commands.js';
import type { Account } from './mail-store.js';
import type { MailboxView } from './mailbox-view.js';
import type { CommandLogSink, LoggedCommand } from './command-log.js';
import { ServerTurns } from './server-turns.js';

/** What a server session asks its connection to do. */
export type ServerAction =
  | { type: 'send'; bytes: Buffer }
  /** Upgrade to TLS now (after STARTTLS/STLS's OK); call tlsStarted() when the handshake is done. */
  | { type: 'start-tls' }
  /** Close the connection after what was sent. */
  | { type: 'close' }
  /**
   * Stop reading from the client; once what was sent has been taken by the client and `afterMs`
   * have passed, call resume(). A session yields after a turn's share of work (so one client's
   * pipelined commands do not hold the others up), and when its user is over the command rate.
   */
  | { type: 'yield'; afterMs: number };

export interface ImapServerSessionOptions extends ImapHandlerOptions {
  /** The connection is TLS from the start (imaps). */
  implicitTls: boolean;
  /** Refuse LOGIN and AUTHENTICATE until TLS is up (advertise LOGINDISABLED, RFC 3501 §6.2.3). */
  requireTls: boolean;
  /** Bytes and actions that arise between commands (IDLE updates, a BYE when the mailbox is deleted). */
  onAsync: (actions: ServerAction[]) => void;
  /** The teacher's live log: every command read, with this connection's number. */
  log?: CommandLogSink | null;
  connectionId?: number;
}


const HANDLERS = new Map<string, CommandHandler>([...SESSION_COMMANDS, ...MAILBOX_COMMANDS, ...MESSAGE_COMMANDS]);


/** The command being read: its segments so far, the literal being gathered, and whether it is already refused. */
interface PendingCommand {
  tag: string | null;
  start: CommandStart | null;
  segments: Buffer[];
  literals: Buffer[];
  literal: Buffer[];
  literalOctets: number;
  /** Octets of lines and literals so far (APPEND's message apart), against the command limit. */
  octets: number;
  /** Room held in the store for an APPEND message on its way in. */
  reserved: number;
  /** Set when a literal went over its cap: the command is read to its end, then refused. */
  refusal: Completion | null;
  /** The segments were empty lines only (for "* BAD Empty command line"). */
  empty: boolean;
}

export class ImapServerSession implements ImapHandlerSession {
  state: ImapState = 'not-authenticated';
  user: string | null = null;
  account: Account | null = null;
  view: MailboxView | null = null;
  tlsActive: boolean;
  /** Lines that answer a continuation request go here instead of being read as commands. */
  private lineHandler: ((line: Buffer) => void) | null = null;
  /** The command that asked for those lines (its name masks them in the log). */
  private continuing = '';
  readonly limits: ServerLimits;
  private readonly framer: ImapFramer;
  private pending: PendingCommand | null = null;
  /** Frames read but not yet worked on, and the turn's share of work (server-turns.ts). */
  private readonly turns = new ServerTurns<ImapFrame>();
  /** A complete command waiting for the user's command rate. */
  private deferred: PendingCommand | null = null;
  /** Output of the command running now, against limits.maxPendingOutputOctets. */
  private commandOutput = 0;
  /** The user this connection is counted for in the ConnectionLedger. */
  private countedUser: string | null = null;
  private actions: ServerAction[] = [];
  /** Set by STARTTLS: what follows in the same chunk is not trusted and is dropped. */
  private awaitingTls = false;
  private closed = false;
  /** LOGOUT: close once the tagged OK is out (RFC 3501 §6.1.3). */
  private closeAfterReply = false;
  /** The command running now, for handlers that must know (DELETE of the selected mailbox). */
  current: ImapCommand | null = null;
  /**
   * Complete command lines read: a command's last line, or a line answering a continuation request
   * (a SASL response, IDLE's DONE). Lines that announce a literal, and literals, do not count: the
   * time limits run from the last complete command, so dripping a command does not hold a connection.
   */
  commandsRead = 0;

  constructor(readonly options: ImapServerSessionOptions) {
    this.tlsActive = options.implicitTls;
    this.limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
    this.framer = new ImapFramer({ maxLineBytes: this.limits.maxLineOctets });
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

  /** The client has logged in (or is past that: LOGOUT after a login). */
  get loggedIn(): boolean {
    return this.user !== null;
  }

  /** Bytes from the client. */
  receive(chunk: Buffer): ServerAction[] {
    if (this.closed || this.awaitingTls) return [];
    const frames = this.framer.push(chunk);
    for (const frame of frames) if (frame.type === 'segment' && frame.literal === null) this.commandsRead++;
    this.turns.push(frames);
    if (!this.turns.yielded) this.work();
    return this.take();
  }

  /** After a 'yield': the output has drained and the wait is over; work on what was read. */
  resume(): ServerAction[] {
    this.turns.begin();
    this.work();
    return this.take();
  }

  /** Works through the frames read, until they are done or the turn's share is used up. */
  private work(): void {
    if (this.deferred) {
      const cmd = this.deferred;
      this.deferred = null;
      this.finishCommand(cmd);
    }
    while (!this.turns.yielded && !this.closed && !this.awaitingTls) {
      const frame = this.turns.next();
      if (frame === undefined) break;
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
  }

  /** Stops working until resume(). */
  private yieldTurn(afterMs: number): void {
    this.turns.yielded = true;
    this.act({ type: 'yield', afterMs });
  }

  /** A command is done: yield when the turn's share is used up and more input waits. */
  private commandDone(): void {
    if (this.turns.commandDone()) this.yieldTurn(0);
  }

  /** Octets the running command may still send (FETCH stops with NO [LIMIT] past it). */
  get outputRoom(): number {
    return this.limits.maxPendingOutputOctets - this.commandOutput;
  }

  /** The TLS handshake after STARTTLS finished: reading goes on, on the encrypted stream. */
  tlsStarted(): void {
    this.tlsActive = true;
    this.awaitingTls = false;
  }

  /** The connection is gone: let go of the mailbox, the room held for a message, the login. */
  connectionClosed(): void {
    this.closed = true;
    this.view?.close();
    this.view = null;
    this.turns.clear();
    for (const cmd of [this.pending, this.deferred]) if (cmd) this.releaseRoom(cmd);
    this.pending = null;
    this.deferred = null;
    if (this.countedUser !== null) this.options.connections?.logout(this.countedUser);
    this.countedUser = null;
  }

  /**
   * Counts a successful login against the user's connections; false (and nothing counted) when the
   * user has as many as allowed.
   */
  admitLogin(user: string): boolean {
    const ledger = this.options.connections;
    if (!ledger) return true;
    if (!ledger.login(user)) return false;
    this.countedUser = user;
    return true;
  }

  // -- output ---------------------------------------------------------------------------------

  /** Queues a line (CRLF added) or raw bytes (already CRLF-terminated). */
  send(line: string | Buffer): void {
    const bytes = typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'utf8') : line;
    this.turns.sent(bytes.length);
    this.commandOutput += bytes.length;
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
    this.continuing = this.current?.name ?? '';
  }

  /** Tells the live log, if there is one, what the client sent. */
  private logCommand(command: LoggedCommand): void {
    const log = this.options.log;
    if (log) log({ at: this.options.now(), connection: this.options.connectionId ?? 0, user: this.user, command });
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
    this.turns.clear();
    if (this.pending) this.releaseRoom(this.pending);
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
      this.logCommand({ protocol: 'imap', kind: 'continuation', command: this.continuing, line: bytes });
      this.lineHandler(bytes);
      this.commandDone();
      return;
    }
    if (first) {
      const { tag, start } = parseCommandStart(bytes);
      this.pending = { tag, start, segments: [], literals: [], literal: [], literalOctets: 0, octets: 0, reserved: 0, refusal: null, empty: bytes.length === 0 };
    }
    const cmd = this.pending;
    if (!cmd) return;
    cmd.octets += bytes.length;
    if (!cmd.refusal && cmd.octets > this.commandLimit) cmd.refusal = { status: 'BAD', text: `[LIMIT] Command longer than ${this.commandLimit} octets` };
    // A refused command is read to its end, but nothing more of it is kept.
    if (!cmd.refusal) cmd.segments.push(bytes);
    if (literal === null) {
      this.pending = null;
      this.finishCommand(cmd);
      return;
    }
    const early = cmd.refusal ?? this.earlyRefusal(cmd, literal.size);
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
      this.releaseRoom(cmd);
      this.logCommand({ protocol: 'imap', kind: 'command', segments: cmd.segments, literals: cmd.literals });
      this.respondRefusal(cmd, early);
      this.commandDone();
      return;
    }
    cmd.refusal = early;
    if (this.state === 'not-authenticated') {
      // RFC 7888 §4: a server may refuse a non-synchronizing literal it will not take and close;
      // before login nothing is worth reading on for.
      this.pending = null;
      this.logCommand({ protocol: 'imap', kind: 'command', segments: cmd.segments, literals: cmd.literals });
      this.respondRefusal(cmd, early);
      this.bye('Too much input before login, closing the connection');
      return;
    }
    // RFC 7888 §4: after login the literal is read and dropped, then the command refused.
  }

  /** A command's lines and literals may hold this many octets (APPEND's message apart). */
  private get commandLimit(): number {
    return this.state === 'not-authenticated' ? this.limits.maxCommandOctetsBeforeLogin : this.limits.maxCommandOctets;
  }

  /**
   * Whether a command announcing a literal is refused before the literal is read; when it is not,
   * the literal is counted (and an APPEND message's room held in the store).
   */
  private earlyRefusal(cmd: PendingCommand, size: number): Completion | null {
    if (cmd.tag === null || cmd.start === null) return { status: 'BAD', text: 'Error in IMAP command received by server.' };
    const check = this.checkCommand(cmd.start.name);
    if (check) return check;
    if (cmd.literals.length >= this.limits.maxLiteralsPerCommand) return { status: 'BAD', text: `[LIMIT] More than ${this.limits.maxLiteralsPerCommand} literals in one command` };
    if (cmd.start.name === 'APPEND') {
      // RFC 7889 / RFC 4469: TOOBIG for a message over the limit.
      if (size > this.limits.maxMessageOctets) return { status: 'NO', text: `[TOOBIG] Message too large (over ${this.limits.maxMessageOctets} octets)` };
      // The store's room is held while the message comes, so clients sending at once cannot
      // together pass the memory the store may use.
      if (!this.options.store.reserve(size)) return { status: 'NO', text: '[LIMIT] The server holds as much mail as it may; delete some first' };
      cmd.reserved += size;
      return null;
    }
    if (cmd.octets + size > this.commandLimit) return { status: 'BAD', text: `[LIMIT] Literal too large: a command holds at most ${this.commandLimit} octets${this.state === 'not-authenticated' ? ' before login' : ''}` };
    cmd.octets += size;
    return null;
  }

  private releaseRoom(cmd: PendingCommand): void {
    if (cmd.reserved > 0) this.options.store.release(cmd.reserved);
    cmd.reserved = 0;
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
    if (cmd.refusal) {
      // Dropped as it came; the count keeps the literal numbering of the command.
      cmd.literals.push(Buffer.alloc(0));
      return;
    }
    cmd.literals.push(Buffer.concat(cmd.literal, cmd.literalOctets));
    cmd.literal = [];
    cmd.literalOctets = 0;
  }

  private respondRefusal(cmd: PendingCommand, completion: Completion): void {
    if (cmd.tag === null) this.send(`* BAD ${responseText(completion.text)}`);
    else this.send(`${cmd.tag} ${completion.status} ${responseText(completion.text)}`);
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
    // The user's command rate (shared by all their connections): over it, the command waits.
    if (this.user !== null && this.options.rate && cmd.tag !== null && cmd.start !== null) {
      const wait = this.options.rate.take(this.user, this.options.now().getTime());
      if (wait > 0) {
        this.deferred = cmd;
        this.yieldTurn(wait);
        return;
      }
    }
    this.runCommand(cmd);
    this.releaseRoom(cmd);
    this.commandDone();
  }

  private runCommand(cmd: PendingCommand): void {
    this.logCommand({ protocol: 'imap', kind: 'command', segments: cmd.segments, literals: cmd.literals });
    if (cmd.tag === null) {
      // RFC 3501 §7.1.3: "* BAD Empty command line" and friends: no tag to answer with.
      this.send(cmd.empty && cmd.literals.length === 0 ? '* BAD Empty command line' : '* BAD Error in IMAP command received by server.');
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
    this.commandOutput = 0;
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
   * EXPUNGE during FETCH, STORE or SEARCH by sequence number; the command table says which).
   */
  private complete(tag: string, name: string, completion: Completion): void {
    if (this.closed) return;
    this.reportUpdates(findImapCommand(name)?.noExpungeWhileInProgress !== true);
    if (this.closed) return;
    this.send(`${tag} ${completion.status} ${responseText(completion.text)}`);
    if (this.closeAfterReply) {
      this.act({ type: 'close' });
      this.closed = true;
    }
  }
}

/**
 * A completion's text as it may go on the wire (RFC 3501 §9 resp-text: TEXT-CHAR, 7-bit, no CR or LF).
 * It may quote what the client sent (a mailbox name that does not exist, from a literal): a CR LF in
 * it would end the line there and let the client's bytes read as a response of the server's.
 */
function responseText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
