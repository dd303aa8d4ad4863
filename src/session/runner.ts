/**
 * Wires a sans-io session to a connection and to input: performs the session's actions (send, show,
 * STARTTLS upgrade, COMPRESS), and drives scripted input one command at a time, waiting for each
 * command's completion before sending the next, or typed input as a person sends it. The pieces it
 * coordinates live beside it, each usable alone: server-target.ts (connecting), tls-upgrade.ts,
 * compression-start.ts, sasl-login.ts, literal-input.ts and waiters.ts (--timeout). The transport is
 * injected, so this file never imports node:net or node:tls.
 */
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import { MailwireError } from '../errors.js';
import { analyzeImapLine, isIdleDone, maskImapSecrets } from '../protocol/imap/request.js';
import { maskPop3Secrets } from '../protocol/pop3/commands.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import type { Connection } from '../transport/connection.js';
import type { SessionAction } from './actions.js';
import { receiveRead, submitLine, type ClientSession } from './client-session.js';
import { CompressionStart } from './compression-start.js';
import {
  imapLoginWithPassword,
  imapSecretRequest,
  pop3LineWithSecret,
  pop3SecretRequest,
  type SecretRequest,
} from './credentials.js';
import type { Protocol, SessionEvent } from './events.js';
import type { ImapCommandPlan } from './imap-input.js';
import { ImapSession } from './imap-session.js';
import { LiteralInput } from './literal-input.js';
import { PacedWriter } from './paced-writer.js';
import type { Pop3Session } from './pop3-session.js';
import { loadPop3Session } from './pop3-session-loader.js';
import type { SaslLoginOptions } from './sasl-login.js';
import type { SaslRequest } from './sasl-request.js';
import { connectedEvents, connectTo, type ConnectionSetup, type ServerTarget } from './server-target.js';
import { negotiateStartTls, refusedCertificateEvent, TlsUpgrade } from './tls-upgrade.js';
import { Waiters } from './waiters.js';
import { parseRawEscapes } from './raw-escapes.js';

/** Lines of input, without line endings; null at the end. */
export interface LineSource {
  next(): Promise<Buffer | null>;
}

export interface RunnerOptions extends ServerTarget, ConnectionSetup, SaslLoginOptions {
  /** Bounds connecting, the greeting, and the wait for each reply (reset by any server data). */
  timeoutMs: number | null;
  /**
   * Everything shown goes here (terminal renderer, recorder). Returns false when the output is backed
   * up (a slow pipe): reading from the server then pauses until `onOutputDrain` calls back, so a
   * huge literal never piles up in memory.
   */
  show: (event: SessionEvent) => boolean;
  onOutputDrain: (resume: () => void) => void;
  now: () => number;
  maxLineBytes?: number;
  /** Which decoded views IMAP responses get (none when absent); asked at each response. */
  decodedViews?: () => ReadonlySet<DecodedViewKind>;
  /**
   * Reads the file of a `{file:PATH}` literal (relative paths from the working folder). Without it,
   * `{file:...}` is sent as typed.
   * @throws MailwireError('file') when it cannot be read
   */
  readFile?: (path: string) => Promise<Buffer>;
  /** Every chunk of server bytes as it arrives, before framing (the shell's hex view). */
  onServerBytes?: (chunk: Buffer) => void;
}

/** A command sent whose completion has not come yet, as the shell lists it. */
export interface WaitingCommand {
  /** IMAP tag; null for POP3. */
  tag: string | null;
  name: string;
  /** Milliseconds since it was sent. */
  elapsedMs: number;
  /** The server asked for a continuation the user must answer (IDLE, a SASL challenge). */
  awaitingResponse: boolean;
}

/**
 * IMAP commands after which nothing else may be sent until they complete or ask for a continuation:
 * STARTTLS (RFC 3501 §6.2.1: no command may follow before the TLS negotiation), COMPRESS (RFC 4978 §3:
 * the next bytes are compressed), AUTHENTICATE (RFC 3501 §6.2.2: the next line is the SASL response)
 * and IDLE (RFC 2177 §3: the next line is DONE).
 */
const IMAP_BARRIERS = new Set(['STARTTLS', 'COMPRESS', 'AUTHENTICATE', 'IDLE']);

type Session = ImapSession | Pop3Session;

/** 127.0.0.0/8 and ::1 (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3), also as IPv4-mapped IPv6. */
function isLoopbackAddress(address: string | null | undefined): boolean {
  return typeof address === 'string' && /^(?:::ffff:)?127\.|^::1$/i.test(address);
}

/** What the closed signal resolves to, told apart from any input line. */
const CLOSED = Symbol('closed');

/** What a typed command waits for before it may go (SessionRunner.sendBlockerReason). */
export type SendBlocker = { kind: 'handshake' } | { kind: 'literal' } | { kind: 'barrier'; tag: string; command: string } | { kind: 'reply'; command: string };

/** An input line as named in messages: secrets masked, shortened. */
function commandSummary(protocol: Protocol, line: Buffer): string {
  const text = line.toString('utf8').trim();
  const masked = protocol === 'imap' ? maskImapSecrets(text).masked : maskPop3Secrets(text).masked;
  return masked.length > 40 ? `${masked.slice(0, 39)}…` : masked;
}

export class SessionRunner {
  readonly session: ClientSession;
  private conn: Connection | null = null;
  /** Reads from the server so far: whether a command got any of its reply. */
  private reads = 0;
  /** Aborted by destroy(): gives up a connection still being made. */
  private readonly abandoned = new AbortController();
  /** Writes what the session sends to `conn`, a piece at a time. */
  private writer: PacedWriter | null = null;
  private failure: MailwireError | null = null;
  private closed = false;
  private readonly completions = new Map<number, boolean>();
  private readonly waiters: Waiters;
  /** A STARTTLS/STLS handshake: nothing may be sent while it runs. */
  private readonly tlsUpgrade: TlsUpgrade;
  private readonly compressionStart = new CompressionStart();
  /** finish() has begun: typed commands still waiting for their turn are not sent. */
  private finishing = false;
  /** Reading is paused because our output is backed up. */
  private outputBlocked = false;
  private readonly literalInput: LiteralInput;
  private signalClosed: () => void = () => undefined;
  private readonly closedSignal = new Promise<typeof CLOSED>((resolve) => {
    this.signalClosed = () => resolve(CLOSED);
  });

  constructor(private readonly options: RunnerOptions) {
    this.session =
      options.protocol === 'imap'
        ? new ImapSession(options.now, { maxLineBytes: options.maxLineBytes, decodedViews: options.decodedViews })
        : // The POP3 code is loaded only for a POP3 session (start-up time).
          new (loadPop3Session().Pop3Session)(options.now, { maxLineBytes: options.maxLineBytes });
    this.waiters = new Waiters({
      timeoutMs: options.timeoutMs,
      failure: () => this.failure,
      closed: () => this.closed,
      outputBlocked: () => this.outputBlocked,
      timedOut: (error) => {
        this.fail(error);
        this.conn?.destroy();
      },
    });
    this.tlsUpgrade = new TlsUpgrade({
      show: (event) => {
        options.show(event);
      },
      failed: (error) => this.fail(error),
      settled: () => this.waiters.settle(),
    });
    this.literalInput = new LiteralInput(options.readFile, (event) => {
      options.show(event);
    });
  }

  /** Connects, shows the TLS summary for implicit TLS, waits for the greeting, and does --starttls. */
  async open(): Promise<void> {
    const o = this.options;
    let conn: Connection;
    try {
      conn = await connectTo(o, o, 'growing', this.abandoned.signal);
    } catch (error) {
      this.showRefusedCertificate(error);
      throw error;
    }
    this.conn = conn;
    // A piece of a long write taken by the server is not the server's silence: it refreshes --timeout.
    this.writer = new PacedWriter(conn, () => this.waiters.refreshTimer());
    for (const event of connectedEvents(o, conn)) o.show(event);
    // A password to a server on this machine crosses no network: no warning about clear text then.
    if (conn.tls || isLoopbackAddress(conn.remoteAddress)) this.session.passwordsInClear = false;
    if (conn.tls) this.session.tls = true;
    conn.onData((chunk) => {
      this.reads++;
      this.waiters.refreshTimer();
      o.onServerBytes?.(chunk);
      receiveRead(this.session, chunk, (actions) => this.perform(actions));
    });
    conn.onClose((error) => this.connectionClosed(error));
    await this.waitUntil(
      () => this.session.state !== 'greeting',
      () => `no greeting from ${o.url}`,
    );
    // No command can go to a server that refused the session in its greeting.
    if (this.session.refusal !== null) throw new MailwireError('connect', `the server refused the session in its greeting: ${this.session.refusal}`);
    if (o.tlsMode === 'starttls') await negotiateStartTls(this.session, o.url, (line) => this.command(line));
  }

  /**
   * Sends each input line as a command, waiting for its completion before the next. With
   * `endOnClose` (a person at a terminal), a close by the server ends the wait for input: nobody is
   * going to type into a dead connection. Scripts instead learn which of their lines went unsent.
   */
  async runScript(input: LineSource, { endOnClose = false }: { endOnClose?: boolean } = {}): Promise<void> {
    for (;;) {
      const line = endOnClose ? await Promise.race([input.next(), this.closedSignal]) : await input.next();
      if (line === CLOSED) {
        if (this.failure) throw this.failure;
        return;
      }
      if (line === null) break;
      this.throwIfDone(line);
      if (this.session.awaitingContinuationResponse || (this.session instanceof ImapSession && isIdleDone(line.toString('utf8')))) {
        this.perform(this.session.respond(line.toString('utf8')));
        await this.waitUntil(
          () => this.session.pendingCount === 0 || this.session.awaitingContinuationResponse,
          () => 'no reply to the continuation response',
        );
        continue;
      }
      // A blank line is no command (servers answer "BAD Null command"); the empty line that ends a
      // command after its literal (APPEND's) is read by submitImap, not here.
      if (/^[ \t]*$/.test(line.toString('latin1'))) continue;
      const dotted = scriptDotLine(line);
      if (dotted.raw !== null) {
        this.sendRaw(dotted.raw);
        await this.waitUntil(() => this.session.pendingCount === 0, () => 'no reply to the .raw line');
        continue;
      }
      const command = dotted.line;
      const refusedBefore = this.session.refusedUpgrades;
      const id = this.session.protocol === 'imap' ? await this.submitImap(command, input) : await this.submitPop3(command);
      if (id !== null) await this.waitForCommand(id, `"${commandSummary(this.options.protocol, command)}"`);
      // A script that asks for TLS means what --starttls means: a refusal stops it before its next
      // line (a LOGIN, a PASS) goes out in clear; a man in the middle answers NO to get exactly that.
      if (this.session.refusedUpgrades > refusedBefore) {
        const name = this.session.protocol === 'imap' ? 'STARTTLS' : 'STLS';
        throw new MailwireError('starttls', `${this.options.url} refused ${name}; the script stops here, and nothing more is sent in plaintext`);
      }
    }
    if (this.literalInput.incomplete) {
      const left = this.literalInput.literalOctetsLeft;
      if (left === 0) throw new MailwireError('input', 'input ended after a literal, before the line that ends its command (an empty line for APPEND); command not sent');
      throw new MailwireError('input', `input ended inside a literal (${left} ${left === 1 ? 'octet' : 'octets'} missing); command not sent`);
    }
    await this.waitUntil(() => this.session.pendingCount === 0, () => 'no reply to the last command');
  }

  /** Closes politely (FIN after what was sent). */
  close(): void {
    this.waiters.stopTimer();
    this.conn?.close();
  }

  destroy(): void {
    this.waiters.stopTimer();
    // What came of a line whose end did not (a greeting that never ended before --timeout) is shown.
    if (!this.closed) this.showCutLine();
    // Also a connection still being made (a TLS handshake that hangs): nothing may keep the process.
    this.abandoned.abort();
    this.conn?.destroy();
  }

  // --- interactive use (the shell) ------------------------------------------------------------

  /** Resolves when the connection has closed, for whatever reason (see `failure`). */
  whenClosed(): Promise<void> {
    return this.closedSignal.then(() => undefined);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** What ended or broke the session, if anything did. */
  get error(): MailwireError | null {
    return this.failure;
  }

  /**
   * Why a typed command cannot be sent right now, or null when it can. Commands go out as typed
   * (IMAP allows pipelining, RFC 3501 §5.5) except while a synchronizing literal waits for the
   * server's "+" (RFC 3501 §7.5), during a TLS upgrade, after a command that must finish first
   * (IMAP_BARRIERS), and for POP3 while a reply is due (RFC 1939 has no pipelining; RFC 2449's
   * PIPELINING is not worth the risk for a person typing).
   */
  sendBlocker(): string | null {
    const b = this.sendBlockerReason();
    if (b === null) return null;
    switch (b.kind) {
      case 'handshake':
        return 'the TLS handshake';
      case 'literal':
        return 'the server\'s "+" for a literal';
      case 'barrier':
        return `${b.tag} ${b.command} to finish`;
      case 'reply':
        return `the reply to ${b.command}`;
    }
  }

  /** sendBlocker() as data, for the shell to word in its language. */
  sendBlockerReason(): SendBlocker | null {
    if (this.tlsUpgrade.inProgress) return { kind: 'handshake' };
    const s = this.session;
    if (s instanceof ImapSession) {
      if (s.blockedOnLiteral) return { kind: 'literal' };
      const barrier = s.inFlightCommands.find((c) => IMAP_BARRIERS.has(c.name) && !c.awaitingResponse);
      return barrier ? { kind: 'barrier', tag: barrier.tag, command: barrier.name } : null;
    }
    const waiting = s.pendingCommands.find((c) => !c.awaitingResponse);
    return waiting ? { kind: 'reply', command: waiting.name } : null;
  }

  /** Commands sent and not completed, oldest first. */
  waitingCommands(): WaitingCommand[] {
    const now = this.options.now();
    const s = this.session;
    const list = s instanceof ImapSession ? s.inFlightCommands : s.pendingCommands.map((c) => ({ ...c, tag: null }));
    return list.map((c) => ({ tag: c.tag, name: c.name, elapsedMs: now - c.sentAt, awaitingResponse: c.awaitingResponse }));
  }

  /**
   * Sends one command or line typed by a person, without waiting for its completion: the answer to a
   * continuation request when the server waits for one (or `DONE` ending IDLE), otherwise a command,
   * sent once `sendBlocker()` clears (however long that takes: a person is watching). A command
   * without its secret (`LOGIN joe`, `PASS`, `APOP mrose`) asks for it first.
   * @throws MailwireError('input') when the command cannot be sent as given (the session goes on)
   */
  async sendTyped(typed: Buffer | ImapCommandPlan): Promise<void> {
    const plan: ImapCommandPlan = Buffer.isBuffer(typed) ? { segments: [typed], literals: [] } : typed;
    const single = plan.literals.length === 0 ? (plan.segments[0] ?? Buffer.alloc(0)) : null;
    await this.waitUntilUntimed(
      () => this.sendBlocker() === null || this.session.awaitingContinuationResponse,
      () => 'the connection closed before the command could be sent',
    );
    if (this.closed) throw this.failure ?? new MailwireError('broken', 'connection closed by the server');
    if (this.finishing) throw new MailwireError('input', 'not sent: the session is ending');
    const session = this.session;
    if (single && (session.awaitingContinuationResponse || (session instanceof ImapSession && isIdleDone(single.toString('utf8'))))) {
      this.perform(session.respond(single.toString('utf8')));
      return;
    }
    if (this.compressionStart.pending) {
      // What came with COMPRESS's OK is inflated and shown before the next command goes out deflated.
      await this.compressionStart.finished();
      if (this.failure) throw this.failure;
    }
    // Logins go as in scripted use: SASL exchanges run by mailwire, secrets asked for, LOGINDISABLED heeded.
    if (session instanceof ImapSession) await this.submitImapPlan(plan);
    else await this.submitPop3(single ?? Buffer.concat(plan.segments));
  }

  /** Sends bytes exactly as given (raw send, for deliberately malformed input); shown escaped. */
  sendRaw(bytes: Buffer): void {
    if (this.closed) throw this.failure ?? new MailwireError('broken', 'connection closed by the server');
    this.perform(this.session.sendRaw(bytes));
  }

  /**
   * Ends an interactive session politely: `DONE` if IDLE is running (RFC 2177 §3), then LOGOUT
   * (RFC 3501 §6.1.3) or QUIT (RFC 1939 §6), waiting for the reply within --timeout, then closes.
   */
  async finish(): Promise<void> {
    this.finishing = true;
    if (this.closed) return;
    const session = this.session;
    if (session instanceof ImapSession && session.inFlightCommands.some((c) => c.name === 'IDLE' && c.awaitingResponse)) {
      this.perform(session.respond('DONE'));
    }
    await this.waitUntil(() => this.sendBlocker() === null || this.closed, () => 'no reply before LOGOUT could be sent').catch(() => undefined);
    if (!this.closed && !this.failure && session.state !== 'logout' && session.state !== 'update') {
      const { id, actions } = submitLine(session, session instanceof ImapSession ? 'LOGOUT' : 'QUIT');
      this.perform(actions);
      await this.waitUntil(() => this.completions.has(id) || this.closed, () => 'no reply to LOGOUT').catch(() => undefined);
    }
    this.close();
  }

  // --- commands -------------------------------------------------------------------------------

  private async submitImap(first: Buffer, input: LineSource): Promise<number | null> {
    const plan = await this.literalInput.command(first, () => input.next());
    // Null: the input ended inside a literal, which runScript reports.
    return plan === null ? null : this.submitImapPlan(plan);
  }

  /** Sends a whole IMAP command: a SASL exchange mailwire runs, a LOGIN with its password asked for, or as given. */
  private async submitImapPlan(given: ImapCommandPlan): Promise<number> {
    const session = this.session as ImapSession;
    for (const segment of given.segments) refuseLineBreaks(segment, 'RFC 3501 §9: CRLF ends a command, and no command holds a NUL');
    let plan = given;
    const text = (plan.segments[0] as Buffer).toString('utf8');
    // The SASL registry and its mechanisms are loaded for an AUTHENTICATE only: most sessions log in
    // with LOGIN or not at all, and start sooner without them.
    const sasl = plan.segments.length === 1 && analyzeImapLine(text).command === 'AUTHENTICATE' ? (await import('./sasl-request.js')).imapSaslRequest(text) : null;
    if (sasl) return this.authenticate(sasl);
    const request = plan.segments.length === 1 ? imapSecretRequest(text) : null;
    if (request && session.capabilities.has('LOGINDISABLED')) {
      // RFC 3501 §6.2.3: "The client MUST NOT issue LOGIN" when the server announces LOGINDISABLED.
      const tls = session.capabilities.has('STARTTLS') && !this.conn?.tls ? ' before TLS: use --starttls or type STARTTLS first' : '';
      throw new MailwireError('auth', `the server announces LOGINDISABLED (RFC 3501 §6.2.3): it takes no LOGIN${tls}; nothing sent`);
    }
    if (request) {
      const password = await this.secretFor(request);
      plan = { segments: [Buffer.from(imapLoginWithPassword(text, password), 'utf8')], literals: [] };
    }
    const { id, actions } = session.submit(plan);
    this.perform(actions);
    return id;
  }

  private async submitPop3(lineBytes: Buffer): Promise<number> {
    const session = this.session as Pop3Session;
    refuseLineBreaks(lineBytes, 'RFC 1939 §3: CRLF ends a command');
    let line = lineBytes.toString('utf8');
    // As for IMAP: the SASL mechanisms are loaded for an AUTH line only (RFC 5034).
    const sasl = /^\s*AUTH\s/i.test(line) ? (await import('./sasl-request.js')).pop3SaslRequest(line) : null;
    if (sasl) return this.authenticate(sasl);
    const request = pop3SecretRequest(line);
    if (request) {
      if (request.kind === 'apop' && session.apopTimestamp === null) {
        // Checked before asking for the secret: nothing to ask for when APOP cannot work.
        pop3LineWithSecret(request, '', null, session.greeting);
      }
      line = pop3LineWithSecret(request, await this.secretFor(request), session.apopTimestamp);
    }
    const { id, actions } = session.submit(line);
    this.perform(actions);
    return id;
  }

  /** Runs a login with a SASL mechanism (sasl-login.ts); returns the command's id. */
  private async authenticate(request: SaslRequest): Promise<number> {
    const { beginSaslLogin } = await import('./sasl-login.js');
    const { id, actions } = await beginSaslLogin(request, {
      session: this.session,
      options: this.options,
      tlsActive: () => Boolean(this.conn?.tls),
      command: (line) => this.command(line),
    });
    this.perform(actions);
    return id;
  }

  private async secretFor(request: SecretRequest): Promise<string> {
    const secret = await this.options.getSecret(request.prompt);
    if (secret === null) {
      throw new MailwireError('input', `${request.prompt.replace(/: $/, '')} needed: type it at the prompt, or set MAILWIRE_PASSWORD when input is not a terminal`);
    }
    return secret;
  }

  private async waitForCommand(id: number, what: string): Promise<void> {
    const readsBefore = this.reads;
    await this.waitUntil(
      () => this.completions.has(id) || this.session.awaitingContinuationResponse,
      // A server that sent untagged data and never the completion did reply, in part.
      () => (this.reads > readsBefore ? `the reply to ${what} did not complete` : `no reply to ${what}`),
    );
    if (this.tlsUpgrade.pending) {
      await this.tlsUpgrade.finished();
      if (this.failure) throw this.failure;
    }
    if (this.compressionStart.pending) {
      await this.compressionStart.finished();
      if (this.failure) throw this.failure;
    }
  }

  /** Sends one command mailwire composed itself and returns whether it succeeded. */
  private async command(line: string): Promise<boolean> {
    const { id, actions } = submitLine(this.session, line);
    this.perform(actions);
    await this.waitForCommand(id, line);
    return this.completions.get(id) === true;
  }

  // --- actions, closing, waiting -------------------------------------------------------------

  private perform(actions: SessionAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          this.writer?.write(action.bytes);
          break;
        case 'show':
          if (!this.showing(action.event) && !this.outputBlocked) this.blockOnOutput();
          break;
        case 'start-tls':
          // Failures are recorded by fail(); whoever waits on the upgrade sees them there.
          this.tlsUpgrade.begin(this.conn, this.session);
          break;
        case 'start-compression':
          // Synchronously, before anything else is sent: the next command goes out deflated. The
          // next command also waits until what came with the OK has been inflated and shown.
          this.compressionStart.begin(this.conn, action.pending);
          break;
        case 'completed':
          this.completions.set(action.id, action.ok);
          break;
        case 'fatal':
          this.fail(action.error);
          this.conn?.destroy();
          break;
      }
    }
    this.waiters.settle();
  }

  /**
   * Shows an event. Showing may fail as mailwire's own error (the --record file cannot be written):
   * that ends the session as such an error, not as a bug thrown out of a socket's event handler.
   */
  private showing(event: SessionEvent): boolean {
    try {
      return this.options.show(event);
    } catch (error) {
      if (!(error instanceof MailwireError)) throw error;
      this.fail(error);
      this.conn?.destroy();
      return true;
    }
  }

  /** The part of a line the server sent before the connection ended, if any (nothing received is lost). */
  private showCutLine(): void {
    const actions = this.session.closedMidLine();
    if (actions.length > 0) this.perform(actions);
  }

  private blockOnOutput(): void {
    this.outputBlocked = true;
    this.conn?.pause();
    this.options.onOutputDrain(() => {
      this.outputBlocked = false;
      this.waiters.refreshTimer();
      this.conn?.resume();
    });
  }

  /** A certificate that did not verify: its summary (and, with --show-certs, its chain) is shown before the error. */
  private showRefusedCertificate(error: unknown): void {
    const refused = refusedCertificateEvent(error);
    if (refused) this.options.show(refused);
  }

  /** The TLS summary and details of the connection now, or null while it is plain (for the TLS meta command). */
  get tls(): TlsSummary | null {
    return this.conn?.tls ?? null;
  }

  private connectionClosed(error: MailwireError | null): void {
    if (this.closed) return;
    // Shown while the session still counts as open: a wait it settles must not end on the close yet.
    if (!this.abandoned.signal.aborted) this.showCutLine();
    this.closed = true;
    this.waiters.stopTimer();
    this.signalClosed();
    // destroy() closed it (--max-time, an error being reported): the server did nothing to tell of.
    if (this.abandoned.signal.aborted) {
      this.waiters.settle();
      return;
    }
    const problem = this.failure ?? error ?? this.session.connectionClosed();
    // An expected close (after LOGOUT/QUIT, or ours) is not news; whether it lands before or after
    // the last input line is a race, and the output must not depend on it.
    if (problem) {
      // A failure of mailwire's own (a refused certificate, a timeout) ends the session as an error
      // that whoever runs it reports once; a close by the server is news in the transcript.
      if (problem !== this.failure) this.options.show({ kind: 'closed', reason: problem.message });
      this.fail(problem);
    }
    this.waiters.settle();
  }

  private fail(error: MailwireError): void {
    this.failure ??= error;
    this.waiters.settle();
  }

  private throwIfDone(line: Buffer): void {
    if (this.failure) throw this.failure;
    if (this.closed) {
      throw new MailwireError('broken', `connection closed by the server before "${commandSummary(this.options.protocol, line)}" could be sent`);
    }
  }

  private waitUntil(ready: () => boolean, describe: () => string): Promise<void> {
    return this.waiters.until(ready, describe);
  }

  /** Like waitUntil, without --timeout: the wait is for a person's command to get its turn. */
  private waitUntilUntimed(ready: () => boolean, describe: () => string): Promise<void> {
    return this.waiters.untilUntimed(ready, describe);
  }
}

/**
 * A script's line read as the shell reads a typed one: a line starting with "." is the shell's own,
 * so that a script pasted from the shell means what it meant there. `.raw TEXT` sends TEXT's octets
 * (`raw`); ".." stands for a line that starts with one "." (`line`, the dot dropped). Any other
 * dot-command belongs to a person at the prompt and is refused before anything is sent: sent as it
 * stood, ".raw" or ".state" would read as a tag (RFC 3501 §2.2.1), and a LOGIN in the text after
 * it would go unmasked.
 * @throws MailwireError('input') for another dot-command, or `.raw` with nothing to send
 */
export function scriptDotLine(line: Buffer): { raw: Buffer | null; line: Buffer } {
  const at = line.findIndex((octet) => octet !== 0x20 && octet !== 0x09);
  if (line[at] !== 0x2e) return { raw: null, line };
  if (line[at + 1] === 0x2e) return { raw: null, line: Buffer.concat([line.subarray(0, at), line.subarray(at + 1)]) };
  const text = line.subarray(at).toString('utf8');
  const word = /^\S*/.exec(text)?.[0] ?? '.';
  if (word.toLowerCase() !== '.raw') {
    throw new MailwireError('input', `${word} is a command of the shell: a script runs only .raw (a line that starts with ".." sends one "." less); not sent`);
  }
  const rest = text.slice(word.length).replace(/^ /, '');
  if (rest === '') throw new MailwireError('input', '.raw needs the text to send, e.g. ".raw a1 NOOP\\r\\n"');
  return { raw: parseRawEscapes(rest), line };
}

/**
 * A command line's text must not hold CR, LF or NUL: the server would read a CR LF inside it as the
 * end of the command and what follows as another command, which no one typed as such (a `-c` value
 * with a newline, a URL's %0D%0A). Literal data is not checked here: it may hold any octet. `.raw`
 * sends such octets on purpose.
 * @throws MailwireError('input')
 */
function refuseLineBreaks(text: Buffer, rule: string): void {
  const name = text.includes(0x0d) ? 'a CR' : text.includes(0x0a) ? 'an LF' : text.includes(0x00) ? 'a NUL' : null;
  if (name !== null) throw new MailwireError('input', `the command holds ${name} (${rule}); nothing sent: .raw sends such octets on purpose`);
}
