/**
 * Replay: plays the client side of a transcript against a live server and compares what it says with
 * the `S:` lines, step by step. The client is mailwire's own sans-io session (tags, literals that wait
 * for "+" unless `{n+}`, STARTTLS), the connection the transport's; this file only drives them: for
 * each step it sends the step's client lines (captures and secrets put in), then feeds every response
 * to the step's matcher until the step is met, a difference shows, the server goes quiet or closes.
 * Stops at the first difference: later steps build on earlier ones.
 */
import { MailwireError, isMailwireError } from '../errors.js';
import type { SessionAction } from '../session/actions.js';
import { receiveRead, startSaslExchange, submitLine, type ClientSession } from '../session/client-session.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { ImapInputAssembler, oneLinePlan, type ImapCommandPlan } from '../session/imap-input.js';
import { CompressionStart } from '../session/compression-start.js';
import { ImapSession } from '../session/imap-session.js';
import { loadPop3Session } from '../session/pop3-session-loader.js';
import { connectedEvents, connectTo, type ConnectionSetup, type ServerTarget } from '../session/server-target.js';
import { PacedWriter } from '../session/paced-writer.js';
import { upgradeToTls } from '../session/tls-upgrade.js';
import type { Connection } from '../transport/connection.js';
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { wireBytes, type Transcript, type TranscriptLine } from './format.js';
import { mismatch as mismatchOf, StepMatcher, type Mismatch, type ReceivedResponse } from './match.js';
import { replayText, type ReplayText } from './replay-words.js';
import { parsePattern, substitutePattern, UnboundCaptureError, type Captures } from './pattern.js';
import { ReceivedCollector } from './received.js';
import { buildScript, scriptBuilder, secretLiteralStandIn, type ClientItem, type ScriptBuilder, type Step } from './script.js';
import { recordedStepRewriter } from './volatile-rewrite.js';
import { parseLiteralMarker } from '../protocol/imap/framer.js';
import type { SaslMechanismSpec } from '../protocol/sasl/registry.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { fillSecret, imapCommandNeed, isSaslResponseLine, loginUser, pop3CommandNeed, saslCommand, unfilledSecretReason, userFor, type SecretNeed } from './secrets.js';

export interface ReplayOptions extends ConnectionSetup {
  /** tlsMode 'starttls': upgrade right after the greeting, unless the transcript does its own STARTTLS. */
  target: ServerTarget;
  /** How long to wait for an expected response (reset whenever data arrives); null for ever. */
  timeoutMs: number | null;
  /**
   * A secret the transcript does not give: a password (MAILWIRE_PASSWORD or a prompt) or, for the
   * OAuth mechanisms, a token (MAILWIRE_TOKEN); null when there is none.
   */
  getSecret: (user: string, kind: 'password' | 'token') => Promise<string | null>;
  /** The user for a SASL exchange when the transcript names none (`# secret: USER`). */
  user?: string;
  now: () => number;
  /** Every event of the live session, as it happens (for a verbose view). */
  onEvent?: (event: SessionEvent) => void;
  /**
   * Step-through against a live server (`mailwire step --target`): called after each step with its
   * difference from the transcript, if any. A difference then does not end the run: the step's
   * remaining responses are taken first, and the next step goes on. Resolves false to stop there.
   */
  afterStep?: (index: number, step: Step, mismatch: Mismatch | null) => Promise<boolean>;
}

export type ReplayResult =
  | { status: 'passed'; durationMs: number }
  /** The server did not do what the transcript shows. */
  | { status: 'failed'; durationMs: number; mismatch: Mismatch }
  /** The replay could not run: no connection, TLS, a secret missing, a transcript that cannot be sent. */
  | { status: 'error'; durationMs: number; error: MailwireError };

/** Replays one transcript against the target. Never throws: every outcome is a ReplayResult. */
export async function replayTranscript(transcript: Transcript, options: ReplayOptions): Promise<ReplayResult> {
  const started = options.now();
  const elapsed = () => Math.round(options.now() - started);
  const replay = new Replay(transcript, options);
  try {
    const mismatch = await replay.run();
    return mismatch ? { status: 'failed', durationMs: elapsed(), mismatch } : { status: 'passed', durationMs: elapsed() };
  } catch (error) {
    const e = isMailwireError(error) ? error : new MailwireError('input', (error as Error).message);
    return { status: 'error', durationMs: elapsed(), error: e };
  } finally {
    replay.close();
  }
}

/** check() found the step not met yet: responses must be waited for. */
const WAITING = Symbol('waiting');

/** The literal octets a command owes when the transcript does not show them (the server refused first). */
const STAND_IN = 0x78; // "x"

/**
 * The most stand-in octets replay makes up for such a literal. A transcript is anyone's file: an
 * `APPEND {4000000000}` must not make replay allocate 4 GB for octets the server will likely refuse.
 */
const MAX_STAND_IN_OCTETS = 16 * 1024 * 1024;

class Replay {
  private readonly protocol: Protocol;
  private readonly session: ClientSession;
  private conn: Connection | null = null;
  /** Writes what the session sends to `conn`, a piece at a time. */
  private writer: PacedWriter | null = null;
  private readonly collector = new ReceivedCollector();
  /** Responses received, offered to the step's matcher from queueHead on. */
  private readonly queue: ReceivedResponse[] = [];
  private queueHead = 0;
  private readonly captures: Captures = new Map();
  private readonly earlierTags = new Set<string>();
  private readonly matchOptions = { earlierTags: this.earlierTags };
  private readonly completions = new Map<number, boolean>();
  private closed = false;
  private closeError: MailwireError | null = null;
  private fatal: MailwireError | null = null;
  private upgrade: Promise<void> | null = null;
  /** COMPRESS's OK came: the switch, made as the runner makes it (compression-start.ts). */
  private readonly compression = new CompressionStart();
  private wake: ((why: 'woken' | 'timeout') => void) | null = null;
  /** The time limit's timer (armTimer), while one is set. */
  private timer: NodeJS.Timeout | null = null;
  /** close() was called: no timer is set again. */
  private closedDown = false;
  private lastActivity = 0;
  /** POP3: the argument of the last USER, whose secret a `PASS <secret>` wants. */
  private lastUser: string | null = null;
  /**
   * The last AUTHENTICATE / AUTH sent, while only `<secret>` lines (SASL responses no "+" asked
   * for) have followed it: what a `<secret>` replay cannot send is said to follow.
   */
  private lastSasl: { command: string; lineNo: number } | null = null;
  /** A SASL exchange mailwire runs itself answers the challenges: the transcript's answers are not sent. */
  private saslRunning = false;
  private readonly secrets = new Map<string, string>();

  constructor(
    private readonly transcript: Transcript,
    private readonly options: ReplayOptions,
  ) {
    this.protocol = options.target.protocol;
    // The POP3 code is loaded only for a POP3 transcript (start-up time).
    this.session = this.protocol === 'imap' ? new ImapSession(options.now) : new (loadPop3Session().Pop3Session)(options.now);
    for (const s of transcript.directives.secrets) if (s.secret !== null) this.secrets.set(s.user, s.secret);
  }

  /** Runs every step; returns the first difference, or null when all steps were met. */
  async run(): Promise<Mismatch | null> {
    // A recording (it says when it was recorded) gets the volatile values of today's table as
    // patterns, whenever it was made; a file written by hand means what it says.
    const rewrite = this.transcript.directives.recorded === undefined ? null : recordedStepRewriter(this.protocol);
    const steps = new StepSequence(this.transcript.lines, scriptBuilder(this.protocol), rewrite);
    await this.open();
    let previous: { step: Step; id: number | null } | null = null;
    for (let index = 0, step = steps.at(0); step !== undefined; step = steps.at(++index)) {
      // Steps behind this one are never looked at again: they go, so a long transcript is not held whole.
      steps.release(index);
      if (step.kind !== 'greeting') {
        if (this.upgrade) await this.finishUpgrade();
        // What came with COMPRESS's OK is inflated and matched before the next command goes deflated.
        if (this.compression.pending) await this.compression.finished();
        if (previous && this.protocol === 'pop3' && previous.id !== null && previous.step.server.length === 0) {
          // POP3 replies carry no tag: a reply the transcript leaves out must not be taken for the next one.
          await this.settle(() => this.completions.has(previous?.id ?? -1));
          this.dropQueued();
        }
      }
      // The set is read only while this step is matched; the step's own tag joins it afterwards.
      const matcher = new StepMatcher(step, this.protocol, this.captures, this.matchOptions);
      // Most commands go out at once; only a secret to ask for or a SASL mechanism to load is waited for.
      const sent = step.kind === 'greeting' ? null : this.send(step, steps, index);
      const id = sent instanceof Promise ? await sent : sent;
      // The step's responses are looked at as they come, and waited for only when they have not all
      // come: here, not in an async function of its own, so that a wait makes one promise, not two.
      let mismatch = this.check(step, matcher);
      while (mismatch === WAITING) mismatch = (await this.pause()) === 'timeout' ? this.timedOut(matcher) : this.check(step, matcher);
      const afterStep = this.options.afterStep;
      if (mismatch && !afterStep) return this.explainApop(step, mismatch);
      if (afterStep) {
        if (mismatch) await this.finishStep(id);
        const goOn = await afterStep(index, step, mismatch && this.explainApop(step, mismatch));
        // What was shown stays; a server gone before the transcript's end is an error of its own.
        if (this.closed && steps.at(index + 1) !== undefined) {
          throw this.closeError ?? new MailwireError('broken', `${this.options.target.url} closed the connection after step ${index + 1} of ${steps.count()}`);
        }
        if (!goOn) return null;
      }
      if (step.kind === 'greeting' && this.options.target.tlsMode === 'starttls' && !doesOwnStartTls(buildScript(this.transcript.lines, this.protocol), this.protocol)) {
        await this.startTls();
      }
      if (step.tag !== null) this.earlierTags.add(step.tag);
      // Only the last command's completion is asked about again (POP3's wait above): older ones go.
      if (previous?.id != null) this.completions.delete(previous.id);
      previous = { step, id };
    }
    // A transcript that ends with STARTTLS's OK (RFC 4978 §3) still has the TLS handshake to do.
    if (this.upgrade) await this.finishUpgrade();
    return null;
  }

  close(): void {
    this.closedDown = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.conn?.close();
  }

  /**
   * Step-through: a step that differs is still shown whole, so the responses of its command are
   * waited for (until its completion, a close or the time limit) and dropped from the next step's.
   */
  private async finishStep(id: number | null): Promise<void> {
    if (id !== null && !this.closed) {
      try {
        await this.settle(() => this.completions.has(id));
      } catch (error) {
        if (!this.closed) throw error;
      }
    }
    this.dropQueued();
  }

  /**
   * A transcript is a test, so an APOP digest goes out as written when the server greets with the
   * transcript's timestamp; when that digest is not MD5 of the timestamp and the declared secret
   * (RFC 1939 §7), the failure says so: the transcript, not the server, is wrong.
   */
  private explainApop(step: Step, mismatch: Mismatch): Mismatch {
    if (step.command !== 'APOP') return mismatch;
    const request = parseApopRequest(step.client[0]?.line.text ?? '');
    const timestamp = this.recordedGreetingTimestamp();
    const secret = request ? this.transcript.directives.secrets.find((s) => s.user === request.user)?.secret : null;
    if (!request?.digest || timestamp === null || secret === null || secret === undefined) return mismatch;
    const greeting = this.session instanceof ImapSession ? null : this.session.greeting;
    if (greetingTimestamp(greeting ?? '') !== timestamp) return mismatch;
    const digest = apopDigest(timestamp, secret);
    if (request.digest.toLowerCase() === digest) return mismatch;
    const { reason: _reason, said: reason, ...fields } = mismatch;
    return mismatchOf(fields, replayText('replay.apop', { reason, timestamp, user: request.user, digest }));
  }

  // --- connection -----------------------------------------------------------------------------

  private async open(): Promise<void> {
    const conn = await connectTo(this.options.target, this.options, 'growing');
    this.conn = conn;
    for (const event of connectedEvents(this.options.target, conn)) this.options.onEvent?.(event);
    this.lastActivity = this.options.now();
    // A piece of a long write taken by the server (a literal it reads slowly) is activity too.
    this.writer = new PacedWriter(conn, () => {
      this.lastActivity = this.options.now();
    });
    conn.onData((chunk) => {
      this.lastActivity = this.options.now();
      receiveRead(this.session, chunk, (actions) => this.perform(actions));
    });
    conn.onClose((error) => {
      // What came of a line whose CRLF never came is received too (a LOGOUT's OK that a server sends
      // without it): the session reads it as the runner has it read, and it is matched.
      if (!this.closedDown && !this.closed) this.perform(this.session.closedMidLine());
      this.closed = true;
      this.closeError = error;
      this.poke();
    });
  }

  private perform(actions: SessionAction[]): void {
    // Queued as they come, offered once the whole batch is in (check()): a "+" answered with a literal
    // is known as such only by then.
    for (const action of actions) {
      switch (action.type) {
        case 'send':
          // The server's silence counts from what it was last sent, not from before our own work on it.
          this.lastActivity = this.options.now();
          this.writer?.write(action.bytes);
          break;
        case 'show':
          this.options.onEvent?.(action.event);
          for (const r of this.collector.push(action.event)) this.queue.push(r);
          break;
        case 'start-tls':
          this.upgrade = this.runUpgrade();
          break;
        case 'start-compression':
          // RFC 4978 §3: both directions are deflated from the octet after the OK's CRLF on. Started
          // here, before anything else is written, as the runner does; the next step waits for it.
          this.compression.begin(this.conn, action.pending);
          break;
        case 'completed':
          this.completions.set(action.id, action.ok);
          break;
        case 'fatal':
          this.fatal ??= action.error;
          this.conn?.destroy();
          break;
      }
    }
    this.poke();
  }

  private async runUpgrade(): Promise<void> {
    const conn = this.conn;
    if (!conn) return;
    const { summary } = await upgradeToTls(conn, this.session);
    this.options.onEvent?.({ kind: 'tls', summary });
  }

  private async finishUpgrade(): Promise<void> {
    const upgrade = this.upgrade;
    this.upgrade = null;
    try {
      await upgrade;
    } catch (error) {
      throw isMailwireError(error) ? error : new MailwireError('tls', String(error));
    }
  }

  /** --starttls for a transcript that does not upgrade by itself: STARTTLS / STLS right after the greeting. */
  private async startTls(): Promise<void> {
    const { id, actions } = submitLine(this.session, this.session instanceof ImapSession ? 'ST0 STARTTLS' : 'STLS');
    this.perform(actions);
    await this.settle(() => this.completions.has(id));
    if (this.completions.get(id) !== true) {
      throw new MailwireError('starttls', `${this.options.target.url} refused ${this.protocol === 'imap' ? 'STARTTLS' : 'STLS'}; nothing sent in plaintext`);
    }
    this.dropQueued();
    await this.finishUpgrade();
  }

  // --- sending --------------------------------------------------------------------------------

  /**
   * Sends the client part of a step; returns the session's id for a command. A promise only when
   * something must be waited for first (a secret, a SASL mechanism): most steps go out at once.
   */
  private send(step: Step, steps: StepSequence, index: number): number | null | Promise<number | null> {
    if (this.closed) return null;
    if (step.kind === 'response') {
      // The mechanism has answered this challenge already; only the server's lines are checked.
      if (this.saslRunning) return null;
      const item = step.client[0] as ClientItem;
      const text = this.substitute(item.line, item.line.text);
      if (text.includes(SECRET_PLACEHOLDER)) {
        throw new MailwireError('input', `line ${item.line.lineNo}: a <secret> answer to a challenge can only be computed again within an AUTHENTICATE/AUTH exchange mailwire runs`);
      }
      this.perform(this.session.respond(wireBytes(text)));
      return null;
    }
    this.saslRunning = false;
    const first = step.client[0]?.line;
    if (step.command === 'AUTHENTICATE' || step.command === 'AUTH') this.lastSasl = { command: step.command, lineNo: first?.lineNo ?? 0 };
    else if (!first || !isSaslResponseLine(first.text)) this.lastSasl = null;
    const sasl = this.saslToRun(steps, index);
    if (sasl) return saslMechanism(sasl, step).then((spec) => this.authenticate(step, spec));
    const session = this.session;
    if (session instanceof ImapSession) {
      const plan = this.imapPlan(step);
      return plan instanceof Promise ? plan.then((p) => this.submitImap(session, p)) : this.submitImap(session, plan);
    }
    const item = step.client[0] as ClientItem;
    return this.preparePop3Command(item.line).then((text) => {
      const { id, actions } = session.submit(wireBytes(text));
      this.perform(actions);
      return id;
    });
  }

  private submitImap(session: ImapSession, plan: ImapCommandPlan): number {
    const { id, actions } = session.submit(plan);
    this.perform(actions);
    return id;
  }

  /**
   * The command's lines assembled into segments and literals, as the session sends them. A promise only
   * when a secret must be asked for, or the command has more than one line.
   */
  private imapPlan(step: Step): ImapCommandPlan | Promise<ImapCommandPlan> {
    const only = step.client.length === 1 ? step.client[0] : undefined;
    if (only?.role === 'command') {
      // A command of one line (most are) needs no assembler, unless it ends in a literal marker the
      // transcript does not go on after.
      const text = this.substitute(only.line, only.line.text);
      const need = imapCommandNeed(text);
      if (need === null && text.includes(SECRET_PLACEHOLDER)) throw this.unfilled(only.line);
      if (need === null) return this.oneLineImapPlan(step, text);
      return this.meet(text, need, only.line).then(async (met) => this.oneLineImapPlan(step, met));
    }
    return this.assembledPlan(step, null);
  }

  private oneLineImapPlan(step: Step, text: string): ImapCommandPlan | Promise<ImapCommandPlan> {
    const bytes = wireBytes(text);
    return oneLinePlan(bytes) ?? this.assembledPlan(step, bytes);
  }

  /** imapPlan through the assembler; `prepared`: the command line's bytes, when made already. */
  private async assembledPlan(step: Step, prepared: Buffer | null): Promise<ImapCommandPlan> {
    const assembler = new ImapInputAssembler();
    let plan: ImapCommandPlan | null = null;
    /** Literals (by index) that a `<secret>` line stands for. */
    const secretLiterals = new Set<number>();
    let literals = 0;
    for (const item of step.client) {
      if (item.secretLiteral) {
        secretLiterals.add(literals - 1);
        plan = assembler.push(secretLiteralStandIn(assembler.literalOctetsLeft));
        continue;
      }
      let text: string;
      if (item.role === 'command' && prepared !== null) {
        if (parseLiteralMarker(prepared) !== null) literals++;
        plan = assembler.push(prepared);
        continue;
      }
      if (item.role === 'command') {
        text = await this.prepareImapCommand(item.line);
      } else {
        // Literal data goes as written; only text after a literal may hold captures.
        const literal = item.line.text.slice(0, item.literalChars);
        const rest = this.substitute(item.line, item.line.text.slice(item.literalChars));
        if (rest.includes(SECRET_PLACEHOLDER)) throw this.unfilled(item.line);
        text = literal + rest;
      }
      const bytes = wireBytes(text);
      if (parseLiteralMarker(wireBytes(text.slice(item.literalChars))) !== null) literals++;
      plan = assembler.push(bytes);
    }
    if (plan && secretLiterals.size > 0) await this.putSecretLiterals(plan, secretLiterals, step);
    // RFC 3501 §7.5: the transcript may stop where the server refused a literal; the session will not
    // send these stand-in octets unless the server asks for them after all.
    while (plan === null && assembler.incomplete) {
      const need = assembler.literalOctetsLeft;
      if (need > MAX_STAND_IN_OCTETS) {
        const first = step.client[0]?.line.lineNo ?? 0;
        throw new MailwireError('input', `line ${first}: the transcript stops inside a literal of ${assembler.literalSize ?? need} octets; replay makes up at most ${MAX_STAND_IN_OCTETS} octets the transcript does not hold`);
      }
      plan = assembler.push(Buffer.alloc(Math.max(0, need - 2), STAND_IN));
    }
    return plan ?? { segments: [Buffer.alloc(0)], literals: [] };
  }

  /**
   * LOGIN's password sent as a literal is recorded as `<secret>`: the secret goes in, and the literal
   * marker before it announces the secret's own octet count.
   */
  private async putSecretLiterals(plan: ImapCommandPlan, which: ReadonlySet<number>, step: Step): Promise<void> {
    const first = step.client[0]?.line as TranscriptLine;
    const user = loginUser(plan);
    if (user === null) throw new MailwireError('input', `line ${first.lineNo}: whose secret is the <secret> literal? The LOGIN names no user`);
    const secret = Buffer.from(await this.secretFor(user, first), 'utf8');
    for (const i of which) {
      const literal = plan.literals[i];
      const segment = plan.segments[i];
      if (!literal || !segment) continue;
      literal.data = secret;
      literal.marker = { ...literal.marker, size: secret.length };
      // The marker is rewritten in the octets: the rest of the segment goes out as it stood.
      const open = segment.lastIndexOf(0x7b);
      const marker = open < 0 ? null : /^\{\d+(\+|-)?\}$/.exec(segment.toString('latin1', open));
      if (marker) plan.segments[i] = Buffer.concat([segment.subarray(0, open), Buffer.from(`{${secret.length}${marker[1] ?? ''}}`)]);
    }
  }

  private async prepareImapCommand(line: TranscriptLine): Promise<string> {
    let text = this.substitute(line, line.text);
    const need = imapCommandNeed(text);
    if (need) text = await this.meet(text, need, line);
    else if (text.includes(SECRET_PLACEHOLDER)) throw this.unfilled(line);
    return text;
  }

  private async preparePop3Command(line: TranscriptLine): Promise<string> {
    let text = this.substitute(line, line.text);
    const words = text.trim().split(/\s+/);
    const name = (words[0] ?? '').toUpperCase();
    if (name === 'USER') this.lastUser = words[1] ?? null;
    const need = pop3CommandNeed(text, this.lastUser);
    if (need) text = await this.meet(text, need, line);
    else if (text.includes(SECRET_PLACEHOLDER)) throw this.unfilled(line);
    return text;
  }

  /** A `<secret>` replay cannot fill, at `line`: an error, before anything of the line is sent. */
  private unfilled(line: TranscriptLine): MailwireError {
    return new MailwireError('input', `line ${line.lineNo}: ${unfilledSecretReason(isSaslResponseLine(line.text) ? this.lastSasl : null)}`);
  }

  /**
   * The name of the SASL mechanism to run for a command step, when the exchange holds a `<secret>` (on the command
   * line, or in an answer to a challenge before the next command): the old answers are worthless
   * against a new server's challenges, so the mechanism makes new ones.
   */
  private saslToRun(steps: StepSequence, index: number): string | null {
    const step = steps.at(index) as Step;
    const first = step.client[0]?.line;
    if (!first) return null;
    // The script has read the command's name already: only AUTHENTICATE (AUTH) lines need a closer look.
    if (step.command !== (this.protocol === 'imap' ? 'AUTHENTICATE' : 'AUTH')) return null;
    const command = saslCommand(first.text, this.protocol);
    if (!command) return null;
    let secret = command.initial === SECRET_PLACEHOLDER;
    for (let i = index + 1; steps.at(i)?.kind === 'response'; i++) {
      if (steps.at(i)?.client.some((c) => c.line.text.includes(SECRET_PLACEHOLDER))) secret = true;
    }
    return secret ? command.mechanism : null;
  }

  /**
   * Runs the exchange with the session's own SASL support, for the transcript's user and secret, in
   * the recorded shape: with an initial response exactly when the recorded command line has one, so
   * that the server sends the challenges the transcript holds (a client without SASL-IR got an empty
   * "+ " first; curl's LOGIN sent its user name ahead and was asked the password alone).
   */
  private async authenticate(step: Step, spec: SaslMechanismSpec): Promise<number> {
    const line = step.client[0]?.line as TranscriptLine;
    const declared = this.transcript.directives.secrets.map((s) => s.user);
    const user = spec.needsUser ? (declared[0] ?? this.options.user ?? null) : '';
    if (user === null) {
      throw new MailwireError('input', `line ${line.lineNo}: the ${spec.name} exchange needs a user: name it with "# secret: USER" in the transcript, or --user`);
    }
    const secret = spec.secret === 'none' ? '' : await this.secretFor(user, line, spec.secret);
    const { saslExchangeFor } = await import('../session/sasl-login.js');
    const exchange = saslExchangeFor(
      spec,
      { user, secret, authzid: '', host: this.options.target.host, port: this.options.target.port },
      (reason) => `line ${line.lineNo}: ${spec.name}: ${reason}`,
      saslCommand(line.text, this.protocol)?.initial != null,
    );
    this.saslRunning = true;
    const { id, actions } = startSaslExchange(this.session, exchange, step.tag);
    this.perform(actions);
    return id;
  }

  /** Captures put in; `$$` becomes "$". */
  private substitute(line: TranscriptLine, text: string): string {
    // Without a "$" the pattern is its own text: most client lines have none.
    if (!text.includes('$')) return text;
    try {
      return substitutePattern(parsePattern(text), this.captures);
    } catch (error) {
      if (error instanceof UnboundCaptureError) throw new MailwireError('input', `line ${line.lineNo}: ${error.message}`);
      throw error;
    }
  }

  /** Puts a secret into a line that needs one. */
  private async meet(text: string, need: SecretNeed, line: TranscriptLine): Promise<string> {
    const greeting = this.session instanceof ImapSession ? null : this.session.greeting;
    if (need.kind === 'apop') {
      // The digest in the transcript is still good when the server greets with the same timestamp.
      const recorded = this.recordedGreetingTimestamp();
      if (recorded !== null && recorded === greetingTimestamp(greeting ?? '')) return text;
    }
    const declared = this.transcript.directives.secrets.map((s) => s.user);
    const user = userFor(need, declared);
    if (user === null) {
      throw new MailwireError('input', `line ${line.lineNo}: whose secret is <secret>? Name the user with "# secret: USER" in the transcript`);
    }
    const secret = await this.secretFor(user, line);
    try {
      return fillSecret(text, need, { user, secret, greeting });
    } catch (error) {
      throw new MailwireError('input', `line ${line.lineNo}: ${(error as Error).message}`);
    }
  }

  private async secretFor(user: string, line: TranscriptLine, kind: 'password' | 'token' = 'password'): Promise<string> {
    const known = this.secrets.get(user);
    if (known !== undefined) return known;
    const secret = await this.options.getSecret(user, kind);
    if (secret === null) {
      const variable = kind === 'token' ? 'MAILWIRE_TOKEN' : 'MAILWIRE_PASSWORD';
      throw new MailwireError(
        'input',
        `line ${line.lineNo} needs the ${kind === 'token' ? 'token' : 'secret'} of ${user}: give it with "# secret: ${user} SECRET" or ${variable}, or at the prompt when standard input is a terminal`,
      );
    }
    this.secrets.set(user, secret);
    return secret;
  }

  private recordedGreetingTimestamp(): string | null {
    const first = this.transcript.lines.find((l) => l.direction === 'S');
    const beforeClient = first && this.transcript.lines.indexOf(first) < this.transcript.lines.findIndex((l) => l.direction === 'C');
    return first && beforeClient ? greetingTimestamp(first.text) : null;
  }

  // --- waiting --------------------------------------------------------------------------------

  /**
   * Offers the responses received so far to the step's matcher: the difference, null when the step is
   * met, or WAITING when more must come first.
   */
  private check(step: Step, matcher: StepMatcher): Mismatch | null | typeof WAITING {
    const queue = this.queue;
    while (this.queueHead < queue.length) {
      const verdict = matcher.offer(queue[this.queueHead++] as ReceivedResponse);
      if (verdict.type === 'failed') return verdict.mismatch;
    }
    // All offered: the array is reused rather than shifted one response at a time.
    this.dropQueued();
    if (this.fatal) throw this.fatal;
    const greeted = step.kind !== 'greeting' || this.session.state !== 'greeting';
    if (matcher.done && greeted) return null;
    if (this.closed) {
      const why = this.closeError ? replayText('replay.broke', { error: this.closeError.message }) : replayText('replay.server-closed');
      return matcher.done
        ? mismatchOf({ line: null, expected: null, received: null }, replayText('replay.before-greeting', { why }))
        : matcher.missing(replayText('replay.not-received', { why, what: this.missingLine(matcher) }));
    }
    return WAITING;
  }

  /** The difference when the step's responses did not come within the time limit. */
  private timedOut(matcher: StepMatcher): Mismatch {
    const seconds = (this.options.timeoutMs ?? 0) / 1000;
    return matcher.missing(replayText('replay.timed-out', { what: this.missingLine(matcher), seconds }));
  }

  /** Responses received and not offered are dropped. */
  private dropQueued(): void {
    this.queue.length = 0;
    this.queueHead = 0;
  }

  private missingLine(matcher: StepMatcher): ReplayText {
    const m = matcher.missing(replayText('replay.the-greeting'));
    return m.line ? replayText('replay.line', { line: m.line.lineNo }) : replayText('replay.the-greeting');
  }

  /** Waits for a condition on the session, within the time limit; the responses that come are dropped. */
  private async settle(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.fatal) throw this.fatal;
      if (this.closed) throw this.closeError ?? new MailwireError('broken', `${this.options.target.url} closed the connection`);
      if ((await this.pause()) === 'timeout') return;
    }
  }

  /** Waits for data (or a close), or for the time limit since the last data. */
  private pause(): Promise<'woken' | 'timeout'> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.armTimer();
    });
  }

  /**
   * One timer for the whole replay, not one per wait: a lock-step exchange waits thousands of times a
   * second, and each wait ends long before the limit. When the timer fires, it looks at the time since
   * the last data: a wait still within the limit gets the timer set again for what is left of it.
   */
  private armTimer(): void {
    const limit = this.options.timeoutMs;
    if (limit === null || this.timer !== null || this.closedDown) return;
    const left = Math.max(0, limit - (this.options.now() - this.lastActivity));
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.wake === null) return;
      if (limit - (this.options.now() - this.lastActivity) > 0) {
        this.armTimer();
        return;
      }
      // After a long stretch of our own work (building a large literal) the timer may fire with data
      // or a drain already waiting behind it: those are taken first (the event loop polls for I/O
      // before it runs setImmediate), and any of them starts the silence again.
      setImmediate(() => {
        if (this.wake === null || this.closedDown) return;
        if (limit - (this.options.now() - this.lastActivity) > 0) {
          this.armTimer();
          return;
        }
        const resolve = this.wake;
        this.wake = null;
        resolve('timeout');
      });
    }, left);
  }

  private poke(): void {
    const resolve = this.wake;
    this.wake = null;
    resolve?.('woken');
  }
}

/**
 * The steps of a transcript, built as replay reaches them (and rewritten, for a recording), from the
 * transcript's lines: held from the first one not released to the furthest one looked at, so that a
 * transcript of 10^4 exchanges does not keep 10^4 steps alive (and the garbage collector busy
 * copying them) while it is replayed.
 */
class StepSequence {
  private readonly built: Step[] = [];
  /** The index of built[0]. */
  private first = 0;
  /** The next line to give the builder. */
  private nextLine = 0;
  private ended = false;

  constructor(
    private readonly lines: readonly TranscriptLine[],
    private readonly builder: ScriptBuilder,
    private readonly rewrite: ((step: Step) => Step) | null,
  ) {}

  /** Step `index`, or undefined past the last one; steps before the last release() are gone. */
  at(index: number): Step | undefined {
    while (index >= this.first + this.built.length && !this.ended) this.build();
    return this.built[index - this.first];
  }

  /** Steps before `index` will not be asked for again. */
  release(index: number): void {
    while (this.first < index && this.built.length > 0) {
      this.built.shift();
      this.first++;
    }
  }

  /** How many steps the transcript has (builds them all: for a message). */
  count(): number {
    this.at(Number.MAX_SAFE_INTEGER);
    return this.first + this.built.length;
  }

  private build(): void {
    const line = this.lines[this.nextLine++];
    const steps = line === undefined ? this.builder.end() : this.builder.push(line);
    if (line === undefined) this.ended = true;
    for (const step of steps) this.built.push(this.rewrite ? this.rewrite(step) : step);
  }
}

/**
 * The mechanism a SASL step names, from the registry: loaded only for a transcript that runs one
 * (SCRAM's SASLprep tables among what it loads).
 */
async function saslMechanism(name: string, step: Step): Promise<SaslMechanismSpec> {
  const { findSaslMechanism } = await import('../protocol/sasl/registry.js');
  const spec = findSaslMechanism(name);
  if (!spec) {
    throw new MailwireError('input', `line ${step.client[0]?.line.lineNo ?? 0}: the <secret> of a SASL ${name} exchange cannot be computed again (mailwire runs PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1, SCRAM-SHA-256, XOAUTH2, OAUTHBEARER, EXTERNAL)`);
  }
  return spec;
}

/** Does the transcript upgrade with its own STARTTLS / STLS? Then --starttls leaves it to the transcript. */
function doesOwnStartTls(steps: readonly Step[], protocol: Protocol): boolean {
  const name = protocol === 'imap' ? 'STARTTLS' : 'STLS';
  return steps.some((s) => s.kind === 'command' && s.command === name);
}
