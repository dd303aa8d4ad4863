/**
 * Wires a sans-io session to a connection and to input: performs the session's actions (send, show,
 * STARTTLS upgrade), enforces timeouts, and drives scripted input one command at a time, waiting for
 * each command's completion before sending the next. The transport is injected, so this file never
 * imports node:net or node:tls.
 */
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import { MailwireError } from '../errors.js';
import { isIdleDone, maskImapSecrets } from '../protocol/imap/request.js';
import { maskPop3Secrets } from '../protocol/pop3/commands.js';
import type { Connection, ConnectOptions, TlsOptions } from '../transport/connection.js';
import type { SessionAction } from './actions.js';
import {
  imapLoginWithPassword,
  imapSecretRequest,
  pop3LineWithSecret,
  pop3SecretRequest,
  type SecretRequest,
} from './credentials.js';
import type { Protocol, SessionEvent, TlsMode } from './events.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import { describeFileLiteral, splitFileLiterals } from './file-literals.js';
import { ImapInputAssembler, type ImapCommandPlan } from './imap-input.js';
import { ImapSession } from './imap-session.js';
import { Pop3Session } from './pop3-session.js';
import { SaslCredentialsError } from '../protocol/sasl/mechanism.js';
import { SaslExchange } from './sasl-exchange.js';
import { imapSaslRequest, pop3SaslRequest, type SaslRequest } from './sasl-request.js';

/** Lines of input, without line endings; null at the end. */
export interface LineSource {
  next(): Promise<Buffer | null>;
}

export interface RunnerOptions {
  protocol: Protocol;
  host: string;
  port: number;
  /** Display form of the target, e.g. imap://127.0.0.1:143. */
  url: string;
  tlsMode: TlsMode;
  tls: TlsOptions;
  /** Bounds connecting, the greeting, and the wait for each reply (reset by any server data). */
  timeoutMs: number | null;
  connect: (options: ConnectOptions) => Promise<Connection>;
  /**
   * Everything shown goes here (terminal renderer, recorder). Returns false when the output is backed
   * up (a slow pipe): reading from the server then pauses until `onOutputDrain` calls back, so a
   * huge literal never piles up in memory.
   */
  show: (event: SessionEvent) => boolean;
  onOutputDrain: (resume: () => void) => void;
  /**
   * Asks for a secret (no echo) or takes it from the environment (MAILWIRE_PASSWORD, or
   * MAILWIRE_TOKEN for a bearer token); null when none can be had.
   */
  getSecret: (prompt: string, kind?: 'password' | 'token') => Promise<string | null>;
  /** Asks for a line with echo (a user name); null or absent when nobody can be asked. */
  getText?: (prompt: string) => Promise<string | null>;
  /** The user name for logins mailwire runs itself (--user); asked for when absent. */
  user?: string;
  /** Authorization identity for SASL (--authzid): act as this user (RFC 4422 §2). */
  authzid?: string;
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

/** What the closed signal resolves to, told apart from any input line. */
const CLOSED = Symbol('closed');

/** An input line as named in messages: secrets masked, shortened. */
function commandSummary(protocol: Protocol, line: Buffer): string {
  const text = line.toString('utf8').trim();
  const masked = protocol === 'imap' ? maskImapSecrets(text).masked : maskPop3Secrets(text).masked;
  return masked.length > 40 ? `${masked.slice(0, 39)}…` : masked;
}

interface Waiter {
  /** Bounded by --timeout (waits for the server); untimed waits are for a person (the shell). */
  timed: boolean;
  ready: () => boolean;
  describe: () => string;
  resolve: () => void;
  reject: (error: MailwireError) => void;
}

export class SessionRunner {
  readonly session: Session;
  private conn: Connection | null = null;
  private failure: MailwireError | null = null;
  private closed = false;
  private readonly completions = new Map<number, boolean>();
  private waiters: Waiter[] = [];
  private tlsUpgrade: Promise<void> | null = null;
  private compressionStart: Promise<void> | null = null;
  /** A STARTTLS/STLS handshake is under way: nothing may be sent. */
  private tlsUpgrading = false;
  /** finish() has begun: typed commands still waiting for their turn are not sent. */
  private finishing = false;
  private timer: NodeJS.Timeout | null = null;
  /** Reading is paused because our output is backed up. */
  private outputBlocked = false;
  private readonly assembler = new ImapInputAssembler();
  private signalClosed: () => void = () => undefined;
  private readonly closedSignal = new Promise<typeof CLOSED>((resolve) => {
    this.signalClosed = () => resolve(CLOSED);
  });

  constructor(private readonly options: RunnerOptions) {
    this.session =
      options.protocol === 'imap'
        ? new ImapSession(options.now, { maxLineBytes: options.maxLineBytes, decodedViews: options.decodedViews })
        : new Pop3Session(options.now, { maxLineBytes: options.maxLineBytes });
  }

  /** Connects, shows the TLS summary for implicit TLS, waits for the greeting, and does --starttls. */
  async open(): Promise<void> {
    const o = this.options;
    let conn: Connection;
    try {
      conn = await o.connect({
        host: o.host,
        port: o.port,
        implicitTls: o.tlsMode === 'implicit',
        tls: o.tls,
        ...(o.timeoutMs === null ? {} : { timeoutMs: o.timeoutMs }),
      });
    } catch (error) {
      this.showRefusedCertificate(error);
      throw error;
    }
    this.conn = conn;
    o.show({ kind: 'connected', protocol: o.protocol, host: o.host, port: o.port, address: conn.remoteAddress, tls: o.tlsMode });
    if (conn.tls) o.show({ kind: 'tls', summary: conn.tls });
    conn.onData((chunk) => {
      this.timer?.refresh();
      o.onServerBytes?.(chunk);
      this.perform(this.session.receive(chunk));
    });
    conn.onClose((error) => this.connectionClosed(error));
    await this.waitUntil(
      () => this.session.state !== 'greeting',
      () => `no greeting from ${o.url}`,
    );
    if (o.tlsMode === 'starttls') await this.startTls();
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
      const id = this.session.protocol === 'imap' ? await this.submitImap(line, input) : await this.submitPop3(line);
      if (id !== null) await this.waitForCommand(id, `"${commandSummary(this.options.protocol, line)}"`);
    }
    if (this.assembler.incomplete) {
      throw new MailwireError('input', `input ended inside a literal (${this.assembler.literalOctetsLeft} octets missing); command not sent`);
    }
    await this.waitUntil(() => this.session.pendingCount === 0, () => 'no reply to the last command');
  }

  /** Closes politely (FIN after what was sent). */
  close(): void {
    this.clearTimer();
    this.conn?.close();
  }

  destroy(): void {
    this.clearTimer();
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
    if (this.tlsUpgrading) return 'the TLS handshake';
    const s = this.session;
    if (s instanceof ImapSession) {
      if (s.blockedOnLiteral) return 'the server\'s "+" for a literal';
      const barrier = s.inFlightCommands.find((c) => IMAP_BARRIERS.has(c.name) && !c.awaitingResponse);
      return barrier ? `${barrier.tag} ${barrier.name} to finish` : null;
    }
    const waiting = s.pendingCommands.find((c) => !c.awaitingResponse);
    return waiting ? `the reply to ${waiting.name}` : null;
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
    if (this.compressionStart) {
      // What came with COMPRESS's OK is inflated and shown before the next command goes out deflated.
      await this.compressionStart;
      this.compressionStart = null;
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
      const { id, actions } =
        session instanceof ImapSession ? session.submit({ segments: [Buffer.from('LOGOUT')], literals: [] }) : session.submit('QUIT');
      this.perform(actions);
      await this.waitUntil(() => this.completions.has(id) || this.closed, () => 'no reply to LOGOUT').catch(() => undefined);
    }
    this.close();
  }

  // --- commands -------------------------------------------------------------------------------

  private async submitImap(first: Buffer, input: LineSource): Promise<number | null> {
    const session = this.session as ImapSession;
    let plan: ImapCommandPlan | null = await this.assemble(first);
    while (plan === null) {
      const more = await input.next();
      if (more === null) return null; // runScript reports the unfinished literal
      plan = await this.assemble(more);
    }
    return this.submitImapPlan(plan);
  }

  /** Sends a whole IMAP command: a SASL exchange mailwire runs, a LOGIN with its password asked for, or as given. */
  private async submitImapPlan(given: ImapCommandPlan): Promise<number> {
    const session = this.session as ImapSession;
    let plan = given;
    const text = (plan.segments[0] as Buffer).toString('utf8');
    const sasl = plan.segments.length === 1 ? imapSaslRequest(text) : null;
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

  /** One input line into the command being assembled, with `{file:PATH}` literals read from their files. */
  private async assemble(line: Buffer): Promise<ImapCommandPlan | null> {
    const files = this.options.readFile && !this.assembler.readingLiteral ? splitFileLiterals(line.toString('utf8')) : null;
    if (!files || !this.options.readFile) return this.assembler.push(line);
    const read = this.options.readFile;
    const data: Buffer[] = [];
    for (const path of files.paths) data.push(await read(path));
    files.paths.forEach((path, i) => {
      const { info, warning } = describeFileLiteral(path, data[i] as Buffer);
      this.options.show({ kind: 'notice', level: 'info', text: info });
      if (warning) this.options.show({ kind: 'notice', level: 'warning', text: warning });
    });
    return this.assembler.pushWithLiterals(files.texts.map((t) => Buffer.from(t, 'utf8')), data);
  }

  private async submitPop3(lineBytes: Buffer): Promise<number> {
    const session = this.session as Pop3Session;
    let line = lineBytes.toString('utf8');
    const sasl = pop3SaslRequest(line);
    if (sasl) return this.authenticate(sasl);
    const request = pop3SecretRequest(line);
    if (request) {
      if (request.kind === 'apop' && session.apopTimestamp === null) {
        // Checked before asking for the secret: nothing to ask for when APOP cannot work.
        pop3LineWithSecret(request, '', null);
      }
      line = pop3LineWithSecret(request, await this.secretFor(request), session.apopTimestamp);
    }
    const { id, actions } = session.submit(line);
    this.perform(actions);
    return id;
  }

  /**
   * Runs a login with a SASL mechanism: learns what the server offers (CAPABILITY / CAPA, sent only if
   * not known yet), refuses a mechanism it does not offer before any secret is asked for or sent, gets
   * the user name and the secret, and hands the exchange to the session.
   */
  private async authenticate(request: SaslRequest): Promise<number> {
    const spec = request.mechanism;
    const session = this.session;
    const o = this.options;
    let offered: string[] | null;
    if (session instanceof ImapSession) {
      if (session.capabilities.size === 0) await this.command('CAPABILITY');
      offered = session.offeredMechanisms;
    } else {
      if (!session.capabilitiesKnown) await this.command('CAPA');
      // A server without CAPA (RFC 2449) cannot tell: try, and let it answer.
      offered = session.capabilitiesKnown ? session.saslMechanisms : null;
    }
    if (offered !== null && !offered.includes(spec.name)) {
      const list = offered.length > 0 ? `it offers ${offered.join(' ')}` : 'it offers no SASL mechanism here';
      const command = session instanceof ImapSession ? 'AUTHENTICATE' : 'AUTH';
      throw new MailwireError('auth', `the server does not offer ${command} ${spec.name}: ${list}${this.beforeTlsHint()}; nothing sent`);
    }
    if (spec.name === 'EXTERNAL' && !o.tls.certFile) {
      throw new MailwireError('auth', 'EXTERNAL logs in with a TLS client certificate: give --cert FILE (and --key FILE); nothing sent');
    }
    const user = spec.needsUser ? await this.userName(spec.name) : '';
    let secret = '';
    if (spec.secret !== 'none') {
      const what = spec.secret === 'token' ? 'OAuth token' : 'password';
      secret = (await o.getSecret(`${spec.name} ${what} for ${user}: `, spec.secret)) ?? '';
      if (secret === '') {
        const variable = spec.secret === 'token' ? 'MAILWIRE_TOKEN' : 'MAILWIRE_PASSWORD';
        const needed = spec.secret === 'token' ? 'an OAuth token' : 'a password';
        throw new MailwireError('input', `${spec.name} needs ${needed}: type it at the prompt, or set ${variable} when input is not a terminal`);
      }
    }
    let exchange: SaslExchange;
    try {
      exchange = new SaslExchange(
        spec.create({ user, secret, authzid: o.authzid ?? '', host: o.tls.servername ?? o.host, port: o.port }),
      );
    } catch (error) {
      if (error instanceof SaslCredentialsError) throw new MailwireError('input', `${spec.name}: ${error.message}; nothing sent`);
      throw error;
    }
    const { id, actions } = session instanceof ImapSession ? session.authenticate(exchange, request.tag) : session.authenticate(exchange);
    this.perform(actions);
    return id;
  }

  /** --user, or asked for; an error when nobody can be asked. */
  private async userName(mechanism: string): Promise<string> {
    if (this.options.user !== undefined) return this.options.user;
    const answer = (await this.options.getText?.(`${mechanism} user name: `)) ?? null;
    if (answer === null || answer.trim() === '') {
      throw new MailwireError('input', `${mechanism} needs a user name: give --user NAME`);
    }
    return answer.trim();
  }

  /** "; it takes passwords only after TLS: ..." when the server offers STARTTLS/STLS and TLS is not up yet. */
  private beforeTlsHint(): string {
    const session = this.session;
    if (this.conn?.tls) return '';
    if (session instanceof ImapSession) {
      if (!session.capabilities.has('STARTTLS')) return '';
      const disabled = session.capabilities.has('LOGINDISABLED') ? ' (LOGINDISABLED)' : '';
      return ` before TLS${disabled}; it may offer more after STARTTLS: use --starttls or type STARTTLS first`;
    }
    return session.capabilities.has('STLS') ? ' before TLS; it may offer more after STLS: use --starttls or type STLS first' : '';
  }

  private async secretFor(request: SecretRequest): Promise<string> {
    const secret = await this.options.getSecret(request.prompt);
    if (secret === null) {
      throw new MailwireError('input', `${request.prompt.replace(/: $/, '')} needed: type it at the prompt, or set MAILWIRE_PASSWORD when input is not a terminal`);
    }
    return secret;
  }

  private async waitForCommand(id: number, what: string): Promise<void> {
    await this.waitUntil(
      () => this.completions.has(id) || this.session.awaitingContinuationResponse,
      () => `no reply to ${what}`,
    );
    if (this.tlsUpgrade) {
      await this.tlsUpgrade;
      this.tlsUpgrade = null;
      if (this.failure) throw this.failure;
    }
    if (this.compressionStart) {
      await this.compressionStart;
      this.compressionStart = null;
      if (this.failure) throw this.failure;
    }
  }

  /** --starttls: STARTTLS (IMAP, RFC 3501 §6.2.1) or STLS (POP3, RFC 2595 §4) before anything else. */
  private async startTls(): Promise<void> {
    const url = this.options.url;
    if (this.session instanceof ImapSession) {
      const session = this.session;
      if (session.capabilities.size === 0) await this.command('CAPABILITY');
      if (!session.capabilities.has('STARTTLS')) {
        throw new MailwireError('starttls', `${url} does not offer STARTTLS (capabilities: ${[...session.capabilities].join(' ') || 'none'}); nothing sent in plaintext`);
      }
      if (!(await this.command('STARTTLS'))) throw new MailwireError('starttls', `${url} refused STARTTLS; nothing sent in plaintext`);
    } else {
      const session = this.session;
      const capaOk = await this.command('CAPA');
      if (capaOk && !session.capabilities.has('STLS')) {
        throw new MailwireError('starttls', `${url} does not offer STLS (CAPA: ${[...session.capabilities].join(' ') || 'none'}); nothing sent in plaintext`);
      }
      if (!(await this.command('STLS'))) throw new MailwireError('starttls', `${url} refused STLS; nothing sent in plaintext`);
    }
  }

  /** Sends one command mailwire composed itself and returns whether it succeeded. */
  private async command(line: string): Promise<boolean> {
    const { id, actions } =
      this.session instanceof ImapSession
        ? this.session.submit({ segments: [Buffer.from(line)], literals: [] })
        : this.session.submit(line);
    this.perform(actions);
    await this.waitForCommand(id, line);
    return this.completions.get(id) === true;
  }

  // --- actions, closing, waiting -------------------------------------------------------------

  private perform(actions: SessionAction[]): void {
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          this.conn?.write(action.bytes);
          break;
        case 'show':
          if (!this.options.show(action.event) && !this.outputBlocked) this.blockOnOutput();
          break;
        case 'start-tls':
          // Failures are recorded by fail(); whoever waits on the upgrade sees them there.
          this.tlsUpgrading = true;
          this.tlsUpgrade = this.upgrade();
          break;
        case 'start-compression':
          // Synchronously, before anything else is sent: the next command goes out deflated. The
          // next command also waits until what came with the OK has been inflated and shown.
          if (this.conn) this.compressionStart = this.conn.startCompression(action.pending);
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
    this.settleWaiters();
  }

  private blockOnOutput(): void {
    this.outputBlocked = true;
    this.conn?.pause();
    this.options.onOutputDrain(() => {
      this.outputBlocked = false;
      this.timer?.refresh();
      this.conn?.resume();
    });
  }

  private async upgrade(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    try {
      const { summary, discardedBytes } = await conn.startTls();
      if (discardedBytes > 0) {
        this.options.show({
          kind: 'notice',
          level: 'warning',
          text: `dropped ${discardedBytes} octets received between the STARTTLS OK and the TLS handshake (possible command injection)`,
        });
      }
      this.session.tlsEstablished();
      this.options.show({ kind: 'tls', summary });
    } catch (error) {
      this.showRefusedCertificate(error);
      this.fail(error instanceof MailwireError ? error : new MailwireError('tls', String(error)));
      conn.destroy();
    } finally {
      this.tlsUpgrading = false;
      this.settleWaiters();
    }
  }

  /** A certificate that did not verify: its summary (and, with --show-certs, its chain) is shown before the error. */
  private showRefusedCertificate(error: unknown): void {
    // The transport's CertificateError carries the summary (this layer does not import the transport).
    const summary = (error as { summary?: TlsSummary } | null)?.summary;
    if (error instanceof MailwireError && error.code === 'certificate' && summary) this.options.show({ kind: 'tls', summary });
  }

  /** The TLS summary and details of the connection now, or null while it is plain (for the TLS meta command). */
  get tls(): TlsSummary | null {
    return this.conn?.tls ?? null;
  }

  private connectionClosed(error: MailwireError | null): void {
    if (this.closed) return;
    this.closed = true;
    this.clearTimer();
    this.signalClosed();
    const problem = this.failure ?? error ?? this.session.connectionClosed();
    // An expected close (after LOGOUT/QUIT, or ours) is not news; whether it lands before or after
    // the last input line is a race, and the output must not depend on it.
    if (problem) {
      this.options.show({ kind: 'closed', reason: problem.message });
      this.fail(problem);
    }
    this.settleWaiters();
  }

  private fail(error: MailwireError): void {
    this.failure ??= error;
    this.settleWaiters();
  }

  private throwIfDone(line: Buffer): void {
    if (this.failure) throw this.failure;
    if (this.closed) {
      throw new MailwireError('broken', `connection closed by the server before "${commandSummary(this.options.protocol, line)}" could be sent`);
    }
  }

  private waitUntil(ready: () => boolean, describe: () => string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ timed: true, ready, describe, resolve, reject });
      this.armTimer();
      this.settleWaiters();
    });
  }

  /** Like waitUntil, without --timeout: the wait is for a person's command to get its turn. */
  private waitUntilUntimed(ready: () => boolean, describe: () => string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ timed: false, ready, describe, resolve, reject });
      this.settleWaiters();
    });
  }

  private settleWaiters(): void {
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.failure) w.reject(this.failure);
      else if (w.ready()) w.resolve();
      else if (this.closed) w.reject(new MailwireError('broken', `connection closed by the server: ${w.describe()}`));
      else still.push(w);
    }
    this.waiters = still;
    if (!still.some((w) => w.timed)) this.clearTimer();
  }

  private armTimer(): void {
    const ms = this.options.timeoutMs;
    if (ms === null || this.timer) return;
    this.timer = setTimeout(() => {
      // Waiting on our own output (a paged or slow reader) is not the server's silence.
      if (this.outputBlocked) {
        this.timer?.refresh();
        return;
      }
      this.timer = null;
      const what = this.waiters.find((w) => w.timed)?.describe() ?? 'no reply';
      this.fail(new MailwireError('timeout', `${what} within ${ms / 1000} s (--timeout)`));
      this.conn?.destroy();
    }, ms);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
