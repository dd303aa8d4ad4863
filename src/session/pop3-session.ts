/**
 * A sans-io POP3 client session (RFC 1939, 2449, 2595, 5034): server bytes and user commands in,
 * actions out. Tells the framer which replies are multi-line, tracks AUTHORIZATION / TRANSACTION /
 * UPDATE, learns CAPA, keeps the greeting's APOP timestamp and notices STLS.
 */
import { MailwireError } from '../errors.js';
import { greetingTimestamp } from '../protocol/pop3/apop.js';
import { findPop3Command, maskPop3AuthResponse, maskPop3Secrets, pop3ReplyShapeFor, type Pop3State } from '../protocol/pop3/commands.js';
import { Pop3Framer } from '../protocol/pop3/framer.js';
import type { Pop3Frame } from '../protocol/pop3/frames.js';
import { ActionQueue, RECEIVE_LINE_OCTETS, type SessionAction } from './actions.js';
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { foreignGreetingHint } from '../protocol/foreign-greetings.js';
import { ClientLineWriter } from './client-lines.js';
import { displayForm, displayFormOfText } from '../protocol/display-form.js';
import { loginFailureText, pop3ResponseCode } from '../protocol/sasl/failure.js';
import type { SaslExchange } from './sasl-exchange.js';

interface PendingCommand {
  id: number;
  /** Upper-case command name. */
  name: string;
  sentAt: number;
  /** The server answered "+ ": the user sends the next SASL response (RFC 5034 §4). */
  awaitingResponse: boolean;
  /** An AUTH exchange mailwire runs itself: it answers the "+ " challenges, not the user. */
  sasl?: SaslExchange;
  /** AUTH's mechanism as typed, upper case. */
  mechanism?: string;
  /** The user answered a challenge with "*" (RFC 5034 §4): the -ERR that follows is no failed login. */
  cancelled?: boolean;
}

const CRLF = Buffer.from('\r\n');

/** RFC 5034 §4: an AUTH command line with its initial response may be at most 255 octets (CRLF included). */
const AUTH_LINE_LIMIT = 255;

export class Pop3Session {
  readonly protocol = 'pop3' as const;
  state: Pop3State | 'greeting' = 'greeting';
  greeting: string | null = null;
  /** The APOP timestamp of the greeting (RFC 1939 §7), or null when the server offers none. */
  apopTimestamp: string | null = null;
  /** From the last CAPA (RFC 2449), upper-case first words: "STLS", "SASL", "UIDL", ... */
  capabilities = new Set<string>();
  /** Whether a CAPA reply has been seen since the connection (or TLS) started. */
  capabilitiesKnown = false;
  /** STLS made the capabilities void until the next CAPA (RFC 2595 §4): the shell says why the list is empty. */
  capabilitiesVoidedBy: 'STLS' | null = null;
  /** The mechanisms of CAPA's SASL line (RFC 5034 §3), upper case. */
  saslMechanisms: string[] = [];

  private readonly framer: Pop3Framer;
  private readonly out = new ActionQueue();
  private readonly clientLines = new ClientLineWriter('pop3');
  private readonly pending: PendingCommand[] = [];
  private nextId = 1;
  /** The multi-line reply being read, if any. */
  private inBody: PendingCommand | null = null;
  /** The connection ended in the middle of a line, which closedMidLine() showed. */
  private cutLine = false;
  /** A line ended in a bare LF has been told of (once a session). */
  private bareLfNoted = false;
  /** The greeting refused the session (a -ERR): the line, quoted, and its RFC section. */
  refusal: string | null = null;
  private collectingCapa = false;
  private upgrading = false;

  constructor(
    private readonly now: () => number,
    options: { maxLineBytes?: number } = {},
  ) {
    this.framer = new Pop3Framer(options);
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  /** Commands sent whose reply has not come (or not ended) yet, oldest first. */
  get pendingCommands(): Array<{ name: string; sentAt: number; awaitingResponse: boolean }> {
    return this.pending.map((c) => ({ name: c.name, sentAt: c.sentAt, awaitingResponse: c.awaitingResponse }));
  }

  get awaitingContinuationResponse(): boolean {
    return this.pending.some((c) => c.awaitingResponse);
  }

  /** How many of `available` octets read to take in one receive(): as ImapSession.receiveLength, for lines only. */
  receiveLength(available: number): number {
    return this.upgrading ? available : Math.min(available, RECEIVE_LINE_OCTETS);
  }

  receive(chunk: Buffer): SessionAction[] {
    if (this.upgrading) {
      this.out.notice('warning', 'notice.tls.dropped', { n: chunk.length, command: 'STLS', ok: '+OK' });
      return this.out.drain();
    }
    const frames = this.framer.push(chunk);
    for (let i = 0; i < frames.length; i++) {
      this.handleFrame(frames[i] as Pop3Frame);
      if (this.upgrading) {
        const dropped = frames.slice(i + 1).reduce((n, f) => n + frameSize(f), 0) + this.framer.reset();
        if (dropped > 0) {
          this.out.notice('warning', 'notice.tls.dropped-batch', { n: dropped, command: 'STLS', ok: '+OK' });
        }
        break;
      }
    }
    return this.out.drain();
  }

  /**
   * A password sent now crosses a network in clear: no TLS, and the server is not on this machine.
   * The runner clears it for implicit TLS and loopback peers; STLS clears it here.
   */
  passwordsInClear = true;

  /** TLS is in force (implicit, set by the runner, or after STARTTLS/STLS): a refused upgrade changes nothing then. */
  tls = false;

  /** STLSs the server refused on a plain connection: a script stops at one (runner.ts). */
  refusedUpgrades = 0;

  private upgradeRefused(): void {
    this.refusedUpgrades++;
    this.out.notice('warning', 'notice.tls.refused', { command: 'STLS', rfc: 'RFC 2595 §4' });
  }

  /** TLS is up after STLS: capabilities must be asked again (RFC 2595 §4). */
  tlsEstablished(): void {
    this.upgrading = false;
    this.passwordsInClear = false;
    this.tls = true;
    this.capabilities.clear();
    this.capabilitiesKnown = false;
    this.capabilitiesVoidedBy = 'STLS';
  }

  /**
   * Sends one command line: text as typed (sent as its UTF-8), or the octets themselves (a
   * transcript's line, which may hold any). Secrets are masked in what is shown.
   */
  submit(sent: string | Buffer): { id: number; actions: SessionAction[] } {
    const line = typeof sent === 'string' ? sent : sent.toString('utf8');
    const [first, second] = line.trim().split(/\s+/);
    const name = (first ?? '').toUpperCase();
    const command: PendingCommand = { id: this.nextId++, name, sentAt: this.now(), awaitingResponse: false };
    if (name === 'AUTH' && second) command.mechanism = second.toUpperCase();
    this.warnIfOutOfState(name);
    this.pending.push(command);
    this.framer.expect(pop3ReplyShapeFor(line));
    this.out.send(typeof sent === 'string' ? Buffer.from(`${sent}\r\n`, 'utf8') : Buffer.concat([sent, CRLF]));
    const display = typeof sent === 'string' ? displayFormOfText(sent) : displayForm(sent);
    for (const e of this.clientLines.line(maskPop3Secrets(display).masked, 'command')) this.out.show(e);
    if (name === 'PASS' && this.passwordsInClear) {
      // RFC 1939 §13: USER/PASS sends the password in clear; RFC 2595 §4 (STLS) is the cure.
      this.out.notice('warning', 'notice.password-in-clear', { command: 'PASS', scheme: 'pop3s' });
    }
    return { id: command.id, actions: this.out.drain() };
  }

  /**
   * AUTH with an exchange mailwire runs itself (RFC 5034 §4): the initial response goes on the line
   * unless that would make it longer than 255 octets, and every "+ " challenge is answered by the
   * mechanism.
   */
  authenticate(exchange: SaslExchange): { id: number; actions: SessionAction[] } {
    const head = `AUTH ${exchange.mechanism.name}`;
    const initial = exchange.initialResponse(true);
    const fits = initial !== null && head.length + 1 + initial.line.wire.length + 2 <= AUTH_LINE_LIMIT;
    // Too long: the initial response goes in answer to the server's empty challenge instead.
    if (initial && !fits) exchange.defer(initial);
    const line = initial && fits ? `${head} ${initial.line.wire}` : head;
    const command: PendingCommand = { id: this.nextId++, name: 'AUTH', sentAt: this.now(), awaitingResponse: false, sasl: exchange };
    this.warnIfOutOfState('AUTH');
    this.pending.push(command);
    this.framer.expect(pop3ReplyShapeFor(line));
    this.out.send(Buffer.from(`${line}\r\n`, 'utf8'));
    const shown = initial && fits ? `${head} ${initial.line.shown}` : head;
    for (const e of this.clientLines.line(shown, 'command')) this.out.show(e);
    if (initial && fits) for (const e of initial.events) this.out.show(e);
    return { id: command.id, actions: this.out.drain() };
  }

  /**
   * Sends bytes exactly as given (the shell's raw send). Each whole line counts as a command: its
   * reply is expected, multi-line or not as the command table says, and secrets are masked in what
   * is shown.
   */
  sendRaw(bytes: Buffer): SessionAction[] {
    this.out.send(bytes);
    const lines = bytes.toString('latin1').split('\r\n');
    const tail = lines.pop() as string;
    for (const wire of lines) {
      const line = Buffer.from(wire, 'latin1').toString('utf8');
      const name = (line.trim().split(/\s+/)[0] ?? '').toUpperCase();
      this.pending.push({ id: this.nextId++, name, sentAt: this.now(), awaitingResponse: false });
      this.framer.expect(pop3ReplyShapeFor(line));
      // Shown as what went out: an octet that is no UTF-8 as `\xNN`, not as U+FFFD.
      const display = displayForm(Buffer.from(wire, 'latin1'));
      for (const e of this.clientLines.line(maskPop3Secrets(display).masked, 'command')) this.out.show(e);
    }
    if (tail !== '') {
      const display = displayForm(Buffer.from(tail, 'latin1'));
      for (const e of this.clientLines.line(maskPop3Secrets(display).masked, 'command')) this.out.show(e);
      this.out.notice('info', 'notice.raw-without-crlf');
    }
    return this.out.drain();
  }

  /**
   * A line answering the server's "+ " during AUTH: a SASL response, always secret (RFC 5034). Text
   * sent as its UTF-8, or the octets themselves (a transcript's line).
   */
  respond(line: string | Buffer): SessionAction[] {
    const display = typeof line === 'string' ? displayFormOfText(line) : displayForm(line);
    const command = this.pending.find((c) => c.awaitingResponse);
    if (command) {
      command.awaitingResponse = false;
      if (display.trim() === '*') command.cancelled = true;
    } else this.out.notice('warning', 'notice.no-continuation');
    this.out.send(typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'utf8') : Buffer.concat([line, CRLF]));
    for (const e of this.clientLines.line(maskPop3AuthResponse(display).masked, 'response')) this.out.show(e);
    return this.out.drain();
  }

  /**
   * What the server sent after its last line end, when the connection ends: shown (and so recorded)
   * as it came, a body line within a multi-line reply, with a warning. A status line answering a
   * command is read as the line it is; anything else is a line cut short. None when nothing was held.
   */
  closedMidLine(): SessionAction[] {
    const bytes = this.framer.takeUnterminated();
    if (bytes === null) return [];
    if (!this.inBody && this.pending.length > 0 && /^(?:\+OK|-ERR)(?: |$)/.test(bytes.toString('latin1', 0, 5))) {
      // RFC 1939 §3: every line ends in CRLF. Some servers close right after QUIT's +OK without it;
      // the reply has come all the same, and counts (its command is not left waiting).
      for (const frame of this.framer.push(Buffer.concat([bytes, CRLF]))) this.handleFrame(frame);
      this.out.notice('warning', 'notice.line-ended-by-close', { rfc: 'RFC 1939 §3' });
      return this.out.drain();
    }
    this.cutLine = true;
    this.out.show(this.inBody ? { kind: 'pop3-body-line', bytes, stuffed: false } : { kind: 'pop3-status', bytes, multiline: false });
    this.out.notice('warning', 'notice.cut-line');
    return this.out.drain();
  }

  connectionClosed(): MailwireError | null {
    if (this.cutLine) return new MailwireError('broken', 'connection closed in the middle of a line (its CRLF never came)');
    if (this.inBody) return new MailwireError('broken', `connection closed in the middle of the multi-line reply to ${this.inBody.name}`);
    if (this.state === 'greeting') return new MailwireError('broken', 'connection closed before the server greeting');
    const waiting = this.pending.filter((c) => c.name !== 'QUIT');
    if (waiting.length > 0) {
      return new MailwireError('broken', `connection closed while waiting for the reply to ${waiting.map((c) => c.name).join(', ')}`);
    }
    return null;
  }

  private warnIfOutOfState(name: string): void {
    if (this.state === 'greeting') return;
    const spec = findPop3Command(name);
    if (spec && !spec.states.includes(this.state)) {
      this.out.notice('warning', 'notice.out-of-state', { command: name, state: this.state.toUpperCase(), rfc: spec.rfc });
    }
  }

  private handleFrame(frame: Pop3Frame): void {
    this.readFrame(frame);
    if (frame.type !== 'error' && frame.bareLf && !this.bareLfNoted) {
      // Said once, under the first such line: a server that ends lines so usually ends every line so.
      this.bareLfNoted = true;
      this.out.notice('warning', 'notice.bare-lf', { rfc: 'RFC 1939 §3' });
    }
  }

  private readFrame(frame: Pop3Frame): void {
    switch (frame.type) {
      case 'status':
        this.handleStatus(frame);
        return;
      case 'body-line':
        if (this.collectingCapa) {
          const [word, ...args] = frame.bytes.toString('latin1').split(' ').filter((w) => w !== '');
          if (word) this.capabilities.add(word.toUpperCase());
          if (word?.toUpperCase() === 'SASL') this.saslMechanisms = args.map((a) => a.toUpperCase());
        }
        this.out.show({ kind: 'pop3-body-line', bytes: frame.bytes, stuffed: frame.stuffed });
        return;
      case 'end': {
        const command = this.inBody;
        this.inBody = null;
        this.collectingCapa = false;
        if (command) this.pending.splice(this.pending.indexOf(command), 1);
        this.out.show({ kind: 'pop3-end', ...(command ? { latencyMs: this.now() - command.sentAt } : {}) });
        if (command) this.out.push({ type: 'completed', id: command.id, ok: true });
        return;
      }
      case 'error':
        this.out.push({ type: 'fatal', error: new MailwireError('protocol', frame.message) });
        return;
    }
  }

  private handleStatus(frame: Extract<Pop3Frame, { type: 'status' }>): void {
    const text = frame.bytes.toString('latin1');
    if (frame.greeting || (this.state === 'greeting' && frame.unsolicited)) {
      this.out.show({ kind: 'pop3-status', bytes: frame.bytes, multiline: false });
      // A line before the real greeting (Dovecot's, while its auth process starts): the greeting,
      // with the APOP timestamp, follows as a second line.
      if (isPreliminaryGreeting(text, 'pop3')) return;
      if (frame.status !== '+OK' && frame.status !== '-ERR') {
        // RFC 1939 §4: the greeting is a +OK (or a -ERR that refuses the connection). Anything else
        // (an IMAP "* OK", a relay's "220") is another server: no POP3 command would make sense.
        const hint = foreignGreetingHint(text, 'pop3');
        this.out.push({ type: 'fatal', error: new MailwireError('protocol', `the server's first line is no POP3 greeting ("+OK" or "-ERR", RFC 1939 §4)${hint}`) });
        return;
      }
      this.greeting = text;
      this.apopTimestamp = greetingTimestamp(text);
      this.state = frame.status === '+OK' ? 'authorization' : 'update';
      // A -ERR greeting refuses the session: no command can follow it.
      if (frame.status === '-ERR') this.refusal = `"${text}" (RFC 1939 §4)`;
      return;
    }
    const command = frame.unsolicited ? undefined : this.pending.find((c) => !c.awaitingResponse || frame.status !== '+') ?? this.pending[0];
    const latency = command && !frame.multiline && frame.status !== '+' ? { latencyMs: this.now() - command.sentAt } : {};
    this.out.show({ kind: 'pop3-status', bytes: frame.bytes, multiline: frame.multiline, ...latency });
    if (!command) {
      this.out.notice('warning', 'notice.unasked-reply');
      return;
    }
    if (frame.status === '+') {
      if (command.sasl) this.answerChallenge(command.sasl, text);
      else command.awaitingResponse = true;
      return;
    }
    const ok = frame.status === '+OK';
    if (!frame.multiline) this.explainLogin(command, ok, text);
    // AUTH with no argument lists mechanisms (multi-line): that is no login.
    if (ok && !frame.multiline) this.applySuccess(command.name);
    if (!ok && command.name === 'STLS' && !this.tls) this.upgradeRefused();
    if (frame.multiline) {
      this.inBody = command;
      this.collectingCapa = command.name === 'CAPA';
      if (this.collectingCapa) {
        this.capabilities.clear();
        this.capabilitiesKnown = true;
        this.capabilitiesVoidedBy = null;
      }
      return;
    }
    this.pending.splice(this.pending.indexOf(command), 1);
    this.out.push({ type: 'completed', id: command.id, ok });
    if (command.sasl?.failure) this.out.push({ type: 'fatal', error: command.sasl.failure });
  }

  /** RFC 5034 §4: "+ " followed by the base64 challenge (or nothing). */
  private answerChallenge(exchange: SaslExchange, statusLine: string): void {
    const { before, line, after } = exchange.challenge(statusLine.replace(/^\+ ?/, ''));
    for (const e of before) this.out.show(e);
    this.out.send(Buffer.from(`${line.wire}\r\n`, 'utf8'));
    for (const e of this.clientLines.line(line.shown, 'response')) this.out.show(e);
    for (const e of after) this.out.show(e);
  }

  /** After USER/PASS/APOP/AUTH: what the mechanism adds, and why an -ERR refused the login. */
  private explainLogin(command: PendingCommand, ok: boolean, statusLine: string): void {
    if (!['PASS', 'APOP', 'AUTH'].includes(command.name)) return;
    for (const e of command.sasl?.completed(ok) ?? []) this.out.show(e);
    if (ok || command.sasl?.failure) return;
    if (command.cancelled) {
      this.out.notice('info', 'notice.login-cancelled', { rfc: 'RFC 5034 §4' });
      return;
    }
    const text = statusLine.replace(/^-ERR ?/, '');
    const why = loginFailureText('pop3', {
      code: pop3ResponseCode(text),
      text,
      ...(command.sasl ? { mechanism: command.sasl.mechanism.name } : command.mechanism ? { mechanism: command.mechanism } : {}),
      ...(this.capabilitiesKnown ? { offered: this.saslMechanisms } : {}),
    });
    // RFC 1939 §7: the digest is MD5(timestamp + secret); a wrong one says nothing of which was wrong.
    if (command.name === 'APOP' && this.apopTimestamp !== null) this.out.notice('warning', 'notice.login-failed.apop', { why, timestamp: this.apopTimestamp });
    else this.out.notice('warning', 'notice.login-failed', { why });
  }

  private applySuccess(name: string): void {
    switch (name) {
      case 'PASS':
      case 'APOP':
      case 'AUTH':
        if (this.state === 'authorization') this.state = 'transaction';
        return;
      case 'QUIT':
        // RFC 1939 §6: QUIT in TRANSACTION enters UPDATE; in AUTHORIZATION the session just ends.
        if (this.state === 'transaction') this.state = 'update';
        return;
      case 'STLS':
        this.upgrading = true;
        this.out.push({ type: 'start-tls' });
        return;
    }
  }
}

function frameSize(frame: Pop3Frame): number {
  switch (frame.type) {
    case 'status':
      return frame.bytes.length + 2;
    case 'body-line':
      return frame.bytes.length + (frame.stuffed ? 3 : 2);
    case 'end':
      return 3;
    default:
      return 0;
  }
}
