/**
 * A sans-io IMAP4 client session (RFC 3501): server bytes and user commands in, actions out.
 * It tags commands, sends literals when the server asks for them, matches tagged completions to their
 * commands, tracks the session state and capabilities, and notices STARTTLS.
 */
import { MailwireError } from '../errors.js';
import { findImapCommand, imapCapabilityOffers, type ImapState } from '../protocol/imap/commands.js';
import { ImapFramer } from '../protocol/imap/framer.js';
import type { ImapFrame } from '../protocol/imap/frames.js';
import { analyzeImapLine, analyzeImapLineWordByWord, imapLineMayHoldSecret, readCommonImapLine, maskImapCommand, maskImapContinuationResponse, TagAllocator, type MaskedImapCommand } from '../protocol/imap/request.js';
import { parseCapabilities, parseImapResponseHead, type ImapResponseHead } from '../protocol/imap/response.js';
import { ActionQueue, RECEIVE_LINE_OCTETS, type SessionAction } from './actions.js';
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { changesLogin, imapStateMove, type ImapStateMove } from '../protocol/imap/state-moves.js';
import { foreignGreetingHint } from '../protocol/foreign-greetings.js';
import { ClientLineWriter } from './client-lines.js';
import { displayForm, displayFormOfText } from '../protocol/display-form.js';
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import { fetchDataStart, mayHaveDecodedView } from '../protocol/imap/decoded-view-heads.js';
import { decodedViewsOnDemand } from '../protocol/imap/decoded-views-on-demand.js';
import type { SessionEvent } from './events.js';
import type { ImapCommandPlan } from './imap-input.js';
import { loginFailureText } from '../protocol/sasl/failure.js';
import type { SaslExchange } from './sasl-exchange.js';
import { ImapResponseCollector } from './imap-response-collector.js';

/** SASL mechanisms that carry the password itself, readable by anyone who sees the bytes (RFC 4616 §4). */
const CLEARTEXT_MECHANISMS = new Set(['PLAIN', 'LOGIN']);

/** Literals larger than this are not kept for decoded views (ENVELOPE subjects, names are far smaller). */
const DECODE_LITERAL_CAP = 64 * 1024;

export interface SelectedMailbox {
  name: string;
  readOnly: boolean;
}

interface InFlightCommand {
  id: number;
  tag: string;
  /** Upper-case command name ("UID FETCH" for UID commands). */
  name: string;
  sentAt: number;
  /** Mailbox argument of SELECT/EXAMINE, to know what is selected on OK. */
  mailbox: string | null;
  /** Parts not yet sent because a synchronizing literal waits for the server's "+". */
  plan: ImapCommandPlan;
  /** A command of one line: the line with its CRLF, as it goes out (null: segments get their CRLF when sent). */
  wire: Buffer | null;
  /** What is shown of each segment and literal: secrets masked. */
  shown: Pick<MaskedImapCommand, 'segments' | 'literalSecret'>;
  nextLiteral: number;
  /** The server sent "+" for something other than a literal: the user answers (AUTHENTICATE, IDLE). */
  awaitingResponse: boolean;
  /** An AUTHENTICATE exchange mailwire runs itself: it answers the "+" challenges, not the user. */
  sasl: SaslExchange | null;
  /** The user answered a challenge with "*" (RFC 3501 §6.2.2): the NO that follows is no failed login. */
  cancelled?: boolean;
}

const CRLF = Buffer.from('\r\n');

/** A tagged OK, NO or BAD (RFC 3501 §7.1): a whole completion, whatever its text says. */
function isTaggedCompletion(line: Buffer): boolean {
  const head = parseImapResponseHead(line.toString('latin1'));
  return head.kind === 'tagged' && (head.status === 'OK' || head.status === 'NO' || head.status === 'BAD');
}

/** First argument of a command as a mailbox name: an atom or a quoted string (RFC 3501 §4.3). */
function firstArgument(args: string): string | null {
  const quoted = /^"((?:[^"\\]|\\.)*)"/.exec(args);
  if (quoted) return (quoted[1] ?? '').replace(/\\(.)/g, '$1');
  const atom = /^[^\s(){]+/.exec(args);
  return atom ? atom[0] : null;
}

/** The table entry of a command by the name analyzeImapLine gives it ("UID FETCH" is UID's). */
function commandSpec(name: string): ReturnType<typeof findImapCommand> {
  const space = name.indexOf(' ');
  return findImapCommand(space < 0 ? name : name.slice(0, space));
}

export class ImapSession {
  readonly protocol = 'imap' as const;
  state: ImapState | 'greeting' = 'greeting';
  mailbox: SelectedMailbox | null = null;
  capabilities = new Set<string>();
  greeting: string | null = null;

  private readonly framer: ImapFramer;
  private readonly out = new ActionQueue();
  private readonly clientLines = new ClientLineWriter('imap');
  private readonly tags = new TagAllocator();
  private readonly inFlight = new Map<string, InFlightCommand>();
  /** The command whose synchronizing literal waits for "+": nothing else may be sent meanwhile. */
  private sending: InFlightCommand | null = null;
  private nextId = 1;
  private literalReceived: { size: number; got: number } | null = null;
  private midResponse = false;
  /** The connection ended in the middle of a line, which closedMidLine() showed. */
  private cutLine = false;
  /** A line ended in a bare LF, which was said once. */
  private bareLfNoted = false;
  /** The server announced its capabilities since the last LOGIN or AUTHENTICATE was sent. */
  private capabilitiesSinceLogin = false;
  /**
   * The command whose completion made the known capabilities void (a login that announced none, or
   * STARTTLS), until the server announces them again: the shell says why the list is empty.
   */
  capabilitiesVoidedBy: 'LOGIN' | 'AUTHENTICATE' | 'UNAUTHENTICATE' | 'STARTTLS' | null = null;
  /** The greeting refused the session (a BYE): the line, quoted, and its RFC section. */
  refusal: string | null = null;
  private byeReceived = false;
  /** Set when STARTTLS got its OK: the rest of the batch is dropped, not parsed. */
  private upgrading = false;
  /** Set when COMPRESS got its OK: the rest of the batch is compressed and goes to the inflater. */
  private compressionStarts = false;
  /** COMPRESS DEFLATE is in force (RFC 4978): what the session sees has been inflated. */
  compressed = false;
  /**
   * The decoded views: which to compute (asked at each response: the shell toggles them), and the
   * whole responses gathered for them (RFC 3501 §5.1.3 names, RFC 2047 words, BODYSTRUCTURE); null
   * for a session told of no views (replay, lint), which never computes one.
   */
  private readonly views: { wanted: () => ReadonlySet<DecodedViewKind>; responses: ImapResponseCollector } | null;

  /** COMPRESS commands sent and not yet completed: while there is one, a chunk is framed a line at a time. */
  private compressesInFlight = 0;

  constructor(
    private readonly now: () => number,
    options: { maxLineBytes?: number; decodedViews?: () => ReadonlySet<DecodedViewKind> } = {},
  ) {
    this.framer = new ImapFramer(options);
    const wanted = options.decodedViews;
    this.views =
      wanted === undefined
        ? null
        : {
            wanted,
            responses: new ImapResponseCollector({
              // Nothing is gathered while no view is wanted (--no-decode).
              wants: (first) => wanted().size > 0 && mayHaveDecodedView(first),
              maxLiteralBytes: DECODE_LITERAL_CAP,
            }),
          };
  }

  /** Commands sent whose tagged completion has not come yet. */
  get pendingCount(): number {
    return this.inFlight.size;
  }

  /** The server asked for a continuation the user must answer (AUTHENTICATE challenge, IDLE). */
  get awaitingContinuationResponse(): boolean {
    for (const c of this.inFlight.values()) if (c.awaitingResponse) return true;
    return false;
  }

  /** True when a command waits for "+" before its literal can go: nothing else may be sent now. */
  get blockedOnLiteral(): boolean {
    return this.sending !== null;
  }

  /** Commands sent whose tagged completion has not come yet, oldest first. */
  get inFlightCommands(): Array<{ tag: string; name: string; sentAt: number; awaitingResponse: boolean }> {
    return [...this.inFlight.values()].map((c) => ({ tag: c.tag, name: c.name, sentAt: c.sentAt, awaitingResponse: c.awaitingResponse }));
  }

  /** The tag the next untagged command will get. */
  get nextTag(): string {
    return this.tags.peek();
  }

  /**
   * How many of `available` octets read to take in one receive() (receiveRead() hands a read over
   * in such pieces, performing each one's actions before the next): the rest of a literal at once,
   * since its data goes on as one piece; lines RECEIVE_LINE_OCTETS at a time, since each response is
   * objects alive until their actions are performed (a read of 1 MiB of FETCH responses at once
   * made two and a half times the garbage collection's work); everything around STARTTLS and
   * COMPRESS, which take the read whole.
   */
  receiveLength(available: number): number {
    if (this.upgrading || this.compressesInFlight > 0) return available;
    return Math.min(available, Math.max(RECEIVE_LINE_OCTETS, this.framer.literalOctetsLeft));
  }

  /** Server bytes in. */
  receive(chunk: Buffer): SessionAction[] {
    if (this.compressesInFlight > 0 && !this.upgrading) return this.receiveUntilCompression(chunk);
    if (this.upgrading) {
      this.out.notice('warning', 'notice.tls.dropped', { n: chunk.length, command: 'STARTTLS', ok: 'OK' });
      return this.out.drain();
    }
    const frames = this.framer.push(chunk);
    for (let i = 0; i < frames.length; i++) {
      this.handleFrame(frames[i] as ImapFrame);
      if (this.upgrading) {
        const dropped = frames.slice(i + 1).reduce((n, f) => n + frameSize(f), 0) + this.framer.reset();
        if (dropped > 0) {
          this.out.notice('warning', 'notice.tls.dropped-batch', { n: dropped, command: 'STARTTLS', ok: 'OK' });
        }
        break;
      }
    }
    return this.out.drain();
  }

  /** Tracks a command sent, until its tagged completion. */
  private track(command: InFlightCommand): void {
    // A tag used again while its command runs replaces it (a warning says so): its COMPRESS no longer counts.
    if (this.inFlight.get(command.tag)?.name === 'COMPRESS') this.compressesInFlight--;
    this.inFlight.set(command.tag, command);
    if (command.name === 'COMPRESS') this.compressesInFlight++;
    if (changesLogin(command.name)) this.capabilitiesSinceLogin = false;
  }

  /**
   * While COMPRESS waits for its reply, the bytes after its OK are deflate data, not lines: the chunk is
   * framed a line at a time (the framer is incremental, so this changes nothing else), and whatever
   * follows the OK goes out with the start-compression action.
   */
  private receiveUntilCompression(chunk: Buffer): SessionAction[] {
    let offset = 0;
    while (offset < chunk.length) {
      const lf = chunk.indexOf(0x0a, offset);
      const end = lf < 0 ? chunk.length : lf + 1;
      for (const frame of this.framer.push(chunk.subarray(offset, end))) this.handleFrame(frame);
      offset = end;
      if (this.compressionStarts) {
        this.compressionStarts = false;
        this.out.push({ type: 'start-compression', pending: Buffer.from(chunk.subarray(offset)) });
        break;
      }
    }
    return this.out.drain();
  }

  /**
   * A password sent now crosses a network in clear: no TLS, and the server is not on this machine.
   * The runner clears it for implicit TLS and loopback peers; STARTTLS clears it here.
   */
  passwordsInClear = true;

  /** TLS is in force (implicit, set by the runner, or after STARTTLS/STLS): a refused upgrade changes nothing then. */
  tls = false;

  /** STARTTLSs the server refused on a plain connection: a script stops at one (runner.ts). */
  refusedUpgrades = 0;

  private upgradeRefused(): void {
    this.refusedUpgrades++;
    this.out.notice('warning', 'notice.tls.refused', { command: 'STARTTLS', rfc: 'RFC 3501 §6.2.1' });
  }

  /** The TLS handshake after STARTTLS finished: capabilities learnt before it are void (RFC 3501 §6.2.1). */
  tlsEstablished(): void {
    this.upgrading = false;
    this.passwordsInClear = false;
    this.tls = true;
    this.capabilities.clear();
    this.capabilitiesVoidedBy = 'STARTTLS';
  }

  /**
   * Sends a command. The first segment gets a tag unless the user typed one. Returns the actions and
   * the command's id (for matching its 'completed' action).
   */
  submit(plan: ImapCommandPlan): { id: number; tag: string; actions: SessionAction[] } {
    const firstBytes = plan.segments[0] ?? Buffer.alloc(0);
    const firstText = firstBytes.toString('utf8');
    // The lines sent most are read in one pass; the rest, and what the server's capabilities may name, in full.
    const common = readCommonImapLine(firstText);
    const analysis = common ?? analyzeImapLineWordByWord(firstText, this.capabilities);
    let tag = analysis.tag;
    const typedTag = tag !== null;
    if (tag === null) {
      tag = this.tags.next();
    } else {
      this.tags.markUsed(tag);
    }
    if (this.inFlight.has(tag)) this.out.notice('warning', 'notice.tag-in-use', { tag });
    // The octets go out as given (a transcript's `\xff` stays the octet 0xff), after the tag mailwire
    // adds. Most commands are one line: no copies of the plan's arrays for them, and the line is put
    // together with its CRLF at once.
    const more = plan.segments.length > 1;
    const tagged = typedTag ? [firstBytes] : [Buffer.from(`${tag} `), firstBytes];
    const wire = more ? null : Buffer.concat([...tagged, CRLF]);
    const segments = wire === null ? [Buffer.concat(tagged), ...plan.segments.slice(1)] : [wire.subarray(0, wire.length - 2)];
    // What is shown and recorded: the display form of those octets (protocol/display-form.ts).
    const line = typedTag ? displayForm(firstBytes) : `${tag} ${displayForm(firstBytes)}`;
    const texts = more ? [line, ...plan.segments.slice(1).map((s) => displayForm(s))] : [line];
    const command: InFlightCommand = {
      id: this.nextId++,
      tag,
      name: analysis.command,
      sentAt: this.now(),
      mailbox: analysis.command === 'SELECT' || analysis.command === 'EXAMINE' ? firstArgument(analysis.args) : null,
      plan: { segments, literals: plan.literals },
      wire,
      // A one-line command that names no command with secrets is shown as it is (what masking would
      // give, without reading the line again: this runs for every command replayed).
      shown: more || imapLineMayHoldSecret(line) ? maskImapCommand(texts) : { segments: texts, literalSecret: [] },
      nextLiteral: 0,
      awaitingResponse: false,
      sasl: null,
    };
    const spec = common === undefined ? commandSpec(command.name) : common.spec;
    this.warnIfOutOfState(command.name, spec);
    this.warnIfNotOffered(command.name, spec);
    this.track(command);
    this.sendSegment(command, 0);
    if (command.name === 'LOGIN') this.noteCleartext('LOGIN');
    return { id: command.id, tag, actions: this.out.drain() };
  }

  /**
   * AUTHENTICATE with an exchange mailwire runs itself (RFC 3501 §6.2.2): the initial response goes on
   * the command line when the server offers SASL-IR (RFC 4959), and every "+" challenge is answered
   * by the mechanism. `tag` is the user's own tag, if they typed one.
   */
  authenticate(exchange: SaslExchange, tag: string | null = null): { id: number; tag: string; actions: SessionAction[] } {
    const initial = exchange.initialResponse(this.capabilities.has('SASL-IR'));
    const used = tag ?? this.tags.next();
    if (tag !== null) this.tags.markUsed(tag);
    const head = `${used} AUTHENTICATE ${exchange.mechanism.name}`;
    const line = initial ? `${head} ${initial.line.wire}` : head;
    const command: InFlightCommand = {
      id: this.nextId++,
      tag: used,
      name: 'AUTHENTICATE',
      sentAt: this.now(),
      mailbox: null,
      plan: { segments: [Buffer.from(line, 'utf8')], literals: [] },
      wire: null,
      shown: maskImapCommand([line]),
      nextLiteral: 0,
      awaitingResponse: false,
      sasl: exchange,
    };
    command.shown.segments[0] = initial ? `${head} ${initial.line.shown}` : head;
    this.warnIfOutOfState(command.name);
    this.track(command);
    this.sendSegment(command, 0);
    for (const e of initial?.events ?? []) this.out.show(e);
    if (CLEARTEXT_MECHANISMS.has(exchange.mechanism.name)) this.noteCleartext(`AUTHENTICATE ${exchange.mechanism.name}`);
    return { id: command.id, tag: used, actions: this.out.drain() };
  }

  /** The SASL mechanisms the server announced (AUTH=... capabilities, RFC 3501 §6.2.2), upper case. */
  get offeredMechanisms(): string[] {
    return [...this.capabilities].filter((c) => c.startsWith('AUTH=')).map((c) => c.slice(5));
  }

  /**
   * Sends bytes exactly as given: the shell's raw send, for deliberately malformed input. Shown line
   * by line with secrets masked; each whole line that reads as a tagged command is tracked like a
   * typed one, so its completion is matched (and timed) instead of reported as unknown.
   */
  sendRaw(bytes: Buffer): SessionAction[] {
    this.out.send(bytes);
    const text = bytes.toString('latin1');
    const lines = text.split('\r\n');
    const tail = lines.pop() as string;
    for (const line of lines) {
      // Shown as what went out: an octet that is no UTF-8 as `\xNN`, not as U+FFFD.
      const display = displayForm(Buffer.from(line, 'latin1'));
      for (const e of this.clientLines.line(maskImapCommand([display]).segments[0] ?? display, 'command')) this.out.show(e);
      const a = analyzeImapLine(display);
      if (a.tag === null || !findImapCommand(a.command.split(' ')[0] ?? '') || this.inFlight.has(a.tag)) continue;
      this.tags.markUsed(a.tag);
      this.track({
        id: this.nextId++,
        tag: a.tag,
        name: a.command,
        sentAt: this.now(),
        mailbox: a.command === 'SELECT' || a.command === 'EXAMINE' ? firstArgument(a.args) : null,
        plan: { segments: [Buffer.from(line, 'latin1')], literals: [] },
        wire: null,
        shown: maskImapCommand([display]),
        nextLiteral: 0,
        awaitingResponse: false,
        sasl: null,
      });
    }
    if (tail !== '') {
      const display = displayForm(Buffer.from(tail, 'latin1'));
      for (const e of this.clientLines.line(maskImapCommand([display]).segments[0] ?? display, 'command')) this.out.show(e);
      this.out.notice('info', 'notice.raw-without-crlf');
    }
    return this.out.drain();
  }

  /**
   * A line answering the server's "+" (an AUTHENTICATE response, IDLE's DONE): text sent as its UTF-8,
   * or the octets themselves (a transcript's line, which may hold any).
   */
  respond(line: string | Buffer): SessionAction[] {
    const display = typeof line === 'string' ? displayFormOfText(line) : displayForm(line);
    const command = [...this.inFlight.values()].find((c) => c.awaitingResponse);
    if (!command) {
      this.out.notice('warning', 'notice.no-continuation');
    } else {
      command.awaitingResponse = false;
      if (command.name === 'AUTHENTICATE' && display.trim() === '*') command.cancelled = true;
    }
    // SASL responses carry credentials (RFC 3501 §6.2.2); IDLE's DONE does not.
    const shown = maskImapContinuationResponse(command?.name ?? '', display).masked;
    this.out.send(typeof line === 'string' ? Buffer.from(`${line}\r\n`, 'utf8') : Buffer.concat([line, CRLF]));
    for (const e of this.clientLines.line(shown, 'response')) this.out.show(e);
    return this.out.drain();
  }

  /**
   * What the server sent after its last line end, when the connection ends: shown (and so recorded)
   * as it came, with a warning, so that nothing received is lost. A tagged completion is read as the
   * line it is; anything else is a line cut short. None when nothing was held.
   */
  closedMidLine(): SessionAction[] {
    const cut = this.framer.takeUnterminated();
    if (cut === null) return [];
    if (cut.first && isTaggedCompletion(cut.bytes)) {
      // RFC 3501 §2.2: every line ends in CRLF. Some servers close right after LOGOUT's OK without
      // it; the completion has come all the same, and counts (its command is not left waiting).
      for (const frame of this.framer.push(Buffer.concat([cut.bytes, CRLF]))) this.handleFrame(frame);
      this.out.notice('warning', 'notice.line-ended-by-close', { rfc: 'RFC 3501 §2.2' });
      return this.out.drain();
    }
    this.cutLine = true;
    this.out.show({ kind: 'imap-segment', bytes: cut.bytes, first: cut.first, literalSize: null });
    this.out.notice('warning', 'notice.cut-line');
    return this.out.drain();
  }

  /**
   * The connection closed. Returns the error to report when a reply was still expected, or null when
   * the close was expected (after LOGOUT / BYE, or with nothing pending).
   */
  connectionClosed(): MailwireError | null {
    if (this.cutLine) return new MailwireError('broken', 'connection closed in the middle of a line (its CRLF never came)');
    if (this.literalReceived) {
      const { got, size } = this.literalReceived;
      return new MailwireError('broken', `connection closed in the middle of a literal (${got} of ${size} octets received)`);
    }
    if (this.midResponse) return new MailwireError('broken', 'connection closed in the middle of a response');
    if (this.state === 'greeting') return new MailwireError('broken', 'connection closed before the server greeting');
    const waiting = [...this.inFlight.values()].filter((c) => !(c.name === 'LOGOUT' && this.byeReceived));
    if (waiting.length > 0) {
      const tags = waiting.map((c) => `${c.tag} ${c.name}`).join(', ');
      return new MailwireError('broken', `connection closed${this.byeReceived ? ' after BYE' : ''} while waiting for ${tags}`);
    }
    return null;
  }

  /**
   * A command of an extension the server did not announce (GETQUOTAROOT without QUOTA): sent, since
   * servers do not always announce all they do, but the likely BAD is explained before it comes.
   */
  private warnIfNotOffered(name: string, spec = commandSpec(name)): void {
    if (this.capabilities.size === 0) return;
    if (spec?.capability && !imapCapabilityOffers(spec, this.capabilities)) {
      this.out.notice('warning', 'notice.not-offered', { command: name, capability: spec.capability.replace(/=$/, '=...'), rfc: spec.rfc });
    }
  }

  /** A password sent without TLS: say so once it is gone (RFC 3501 §11.2, RFC 8314 §3). */
  private noteCleartext(what: string): void {
    if (!this.passwordsInClear) return;
    this.out.notice('warning', 'notice.password-in-clear', { command: what, scheme: 'imaps' });
  }

  private warnIfOutOfState(name: string, spec = commandSpec(name)): void {
    if (this.state === 'greeting') return;
    if (spec && !spec.states.includes(this.state)) {
      this.out.notice('warning', 'notice.out-of-state', { command: name, state: this.state, rfc: spec.rfc });
    }
  }

  /** Sends segment i (and, for non-synchronizing literals, everything up to the next sync literal). */
  private sendSegment(command: InFlightCommand, index: number): void {
    const { segments, literals } = command.plan;
    for (let i = index; i < segments.length; i++) {
      const shown = command.shown.segments[i] ?? '';
      this.out.send(i === 0 && command.wire !== null ? command.wire : Buffer.concat([segments[i] as Buffer, CRLF]));
      this.out.show(this.clientLines.lineEvent(shown, i === 0 ? 'command' : 'continued'));
      const literal = literals[i];
      if (!literal) {
        this.sending = null;
        return;
      }
      if (!literal.marker.nonSynchronizing) {
        // RFC 3501 §7.5: wait for the server's "+" before sending a synchronizing literal.
        command.nextLiteral = i;
        this.sending = command;
        return;
      }
      this.sendLiteral(command, i);
    }
  }

  private sendLiteral(command: InFlightCommand, i: number): void {
    const literal = command.plan.literals[i];
    if (!literal) return;
    // Literal data goes out as is; the segment after it starts on the same wire line.
    this.out.send(literal.data);
    for (const e of this.clientLines.literal(literal.data, command.shown.literalSecret[i] === true)) this.out.show(e);
  }

  private handleFrame(frame: ImapFrame): void {
    switch (frame.type) {
      case 'segment':
        this.handleSegment(frame.bytes, frame.first, frame.literal?.size ?? null);
        if (frame.bareLf && !this.bareLfNoted) {
          // Said once: a server that ends lines so usually ends every line so.
          this.bareLfNoted = true;
          this.out.notice('warning', 'notice.bare-lf', { rfc: 'RFC 3501 §2.2' });
        }
        this.midResponse = frame.literal !== null;
        if (frame.literal) this.literalReceived = { size: frame.literal.size, got: 0 };
        return;
      case 'literal-data':
        if (this.literalReceived) this.literalReceived.got += frame.bytes.length;
        this.showServer({ kind: 'imap-literal-data', bytes: frame.bytes });
        return;
      case 'literal-end':
        this.literalReceived = null;
        this.showServer({ kind: 'imap-literal-end', size: frame.size });
        return;
      case 'error':
        this.out.push({ type: 'fatal', error: new MailwireError('protocol', frame.message) });
        return;
    }
  }

  private handleSegment(bytes: Buffer, first: boolean, literalSize: number | null): void {
    if (!first) {
      this.showServer({ kind: 'imap-segment', bytes, first, literalSize });
      return;
    }
    // `* n FETCH (...)`, most lines of a large FETCH, changes nothing a session tracks (no status, no
    // code): its head is not read, which would make a string of the whole line. The event then
    // carries none, as an event may not (its readers parse the line themselves). In the greeting
    // state every line goes the whole way: what a server says first decides the state.
    if (this.state !== 'greeting' && fetchDataStart(bytes) >= 0) {
      this.showServer({ kind: 'imap-segment', bytes, first, literalSize });
      return;
    }
    const head = parseImapResponseHead(bytes.toString('latin1'));
    let latencyMs: number | undefined;
    let completed: InFlightCommand | undefined;
    if (head.kind === 'tagged') {
      completed = this.inFlight.get(head.tag);
      if (completed) latencyMs = this.now() - completed.sentAt;
    }
    const event: SessionEvent = { kind: 'imap-segment', bytes, first, literalSize, head };
    if (latencyMs !== undefined) event.latencyMs = latencyMs;
    this.showServer(event);
    if (this.state === 'greeting') {
      const line = bytes.toString('latin1');
      if (head.kind !== 'untagged') {
        // RFC 3501 §7.1: the server speaks first, with an untagged OK, PREAUTH or BYE. Anything else
        // (a POP3 "+OK", a relay's "220") is another server: waiting for a greeting would only time out.
        const hint = foreignGreetingHint(line, 'imap');
        this.out.push({ type: 'fatal', error: new MailwireError('protocol', `the server's first line is no IMAP greeting ("* OK", "* PREAUTH" or "* BYE", RFC 3501 §7.1)${hint}`) });
        return;
      }
      // RFC 3501 §7.1.5: a BYE as the greeting refuses the connection.
      if (head.status === 'BYE') this.refusal = `"${line}" (RFC 3501 §7.1.5)`;
    }
    switch (head.kind) {
      case 'continuation':
        this.handleContinuation(head.text);
        return;
      case 'untagged':
        this.handleUntagged(head, bytes);
        return;
      case 'tagged':
        this.handleTagged(head, completed);
        return;
    }
  }

  /** Shows a server event; when it completes a response that has decoded views, shows them after it. */
  private showServer(event: SessionEvent): void {
    this.out.show(event);
    if (this.views === null) return;
    const response = this.views.responses.push(event);
    if (!response) return;
    const wanted = this.views.wanted();
    if (wanted.size === 0) return;
    for (const v of decodedViewsOnDemand(response.segments, response.literals, wanted)) this.out.show({ kind: 'decoded', view: v.view, lines: v.lines, ...(v.heading ? { heading: v.heading } : {}) });
  }

  private handleContinuation(text: string): void {
    if (this.sending) {
      const command = this.sending;
      this.sendLiteral(command, command.nextLiteral);
      this.sendSegment(command, command.nextLiteral + 1);
      return;
    }
    // Only commands that converse (AUTHENTICATE, IDLE, and commands mailwire does not know) can be
    // asked to go on; a "+" for NOOP is the server's mistake or someone else's bytes.
    const waiting = [...this.inFlight.values()].reverse().find((c) => {
      const spec = findImapCommand(c.name.split(' ')[0] ?? c.name);
      return spec === undefined || spec.continuation !== undefined || spec.experimental === true;
    });
    if (!waiting) {
      this.out.notice('warning', 'notice.unasked-continuation');
      return;
    }
    if (waiting.sasl) {
      const { before, line, after } = waiting.sasl.challenge(text);
      for (const e of before) this.out.show(e);
      this.out.send(Buffer.from(`${line.wire}\r\n`, 'utf8'));
      for (const e of this.clientLines.line(line.shown, 'response')) this.out.show(e);
      for (const e of after) this.out.show(e);
      return;
    }
    waiting.awaitingResponse = true;
  }

  private handleUntagged(head: Extract<ImapResponseHead, { kind: 'untagged' }>, bytes: Buffer): void {
    if (head.code?.name === 'CAPABILITY') this.setCapabilities(head.code.text);
    if (head.name === 'CAPABILITY' && head.status === null) this.setCapabilities(head.text);
    if (this.state === 'greeting') {
      // A line before the real greeting (Dovecot's, while its auth process starts): the greeting follows.
      if (isPreliminaryGreeting(bytes.toString('latin1'), 'imap')) return;
      // RFC 3501 §7.1: the greeting is an untagged OK, PREAUTH or BYE.
      this.greeting = head.text;
      if (head.status === 'PREAUTH') this.state = 'authenticated';
      else if (head.status === 'BYE') this.state = 'logout';
      else this.state = 'not-authenticated';
      return;
    }
    if (head.status === 'BYE') {
      this.byeReceived = true;
      this.state = 'logout';
    }
    if (head.code?.name === 'READ-ONLY' && this.mailbox) this.mailbox.readOnly = true;
  }

  private handleTagged(head: Extract<ImapResponseHead, { kind: 'tagged' }>, command: InFlightCommand | undefined): void {
    if (head.status === null) {
      // The lecture's "A142 LIST Completed": RFC 3501 §7.1 and §9 (response-tagged) want a status.
      const word = head.text.split(' ')[0] ?? '';
      this.out.notice('warning', 'notice.tagged-without-status', { line: `${head.tag}${word === '' ? '' : ` ${word}`}` });
    }
    if (!command) {
      this.out.notice('warning', 'notice.unknown-tag', { tag: head.tag });
      return;
    }
    this.inFlight.delete(command.tag);
    if (command.name === 'COMPRESS') this.compressesInFlight--;
    if (this.sending === command) {
      // RFC 3501 §7.5: a NO/BAD instead of "+" means the literal must not be sent.
      const left = command.plan.literals.slice(command.nextLiteral).reduce((n, l) => n + l.data.length, 0);
      this.out.notice('info', 'notice.literal-not-sent', { n: left });
      this.sending = null;
    }
    if (head.code?.name === 'CAPABILITY') this.setCapabilities(head.code.text);
    const ok = head.status === 'OK';
    this.explainLogin(command, head, ok);
    const move = imapStateMove(command.name, ok, this.state);
    if (move) this.enter(move, command, head);
    if (ok) this.applyCompletion(command);
    else if (command.name === 'STARTTLS' && !this.tls) this.upgradeRefused();
    this.out.push({ type: 'completed', id: command.id, ok });
    // The exchange was cancelled by mailwire (a server that failed to prove itself): reported now
    // that the server has answered the cancellation, so the transcript shows its reply too.
    if (command.sasl?.failure) this.out.push({ type: 'fatal', error: command.sasl.failure });
  }

  /** After LOGIN / AUTHENTICATE: what the mechanism adds, and why a NO refused the login. */
  private explainLogin(command: InFlightCommand, head: Extract<ImapResponseHead, { kind: 'tagged' }>, ok: boolean): void {
    if (command.name !== 'LOGIN' && command.name !== 'AUTHENTICATE') return;
    for (const e of command.sasl?.completed(ok) ?? []) this.out.show(e);
    if (head.status !== 'NO' || command.sasl?.failure) return;
    if (command.cancelled) {
      this.out.notice('info', 'notice.login-cancelled', { rfc: 'RFC 3501 §6.2.2' });
      return;
    }
    const mechanism = command.sasl?.mechanism.name ?? (command.name === 'AUTHENTICATE' ? firstArgument(command.shown.segments[0]?.split(' ').slice(2).join(' ') ?? '') ?? undefined : undefined);
    const why = loginFailureText('imap', {
      code: head.code?.name ?? null,
      text: head.text,
      ...(mechanism ? { mechanism: mechanism.toUpperCase() } : {}),
      offered: this.offeredMechanisms,
    });
    this.out.notice('warning', 'notice.login-failed', { why });
  }

  /** A move of the state table (protocol/imap/state-moves.ts): the state, the mailbox, the capabilities. */
  private enter(move: ImapStateMove, command: InFlightCommand, head: Extract<ImapResponseHead, { kind: 'tagged' }>): void {
    this.state = move.to;
    this.mailbox =
      move.to === 'selected'
        ? { name: command.mailbox ?? '?', readOnly: command.name === 'EXAMINE' || head.code?.name === 'READ-ONLY' }
        : null;
    // RFC 3501 §6.2.3, RFC 8437 §3: a server may offer other capabilities once logged in, or once
    // the login is undone (Dovecot, Cyrus and the sandbox offer more after it). Without a CAPABILITY
    // in the reply, the old list says nothing any more: no warning about an unannounced extension
    // until the next CAPABILITY.
    if (move.identity !== undefined && !this.capabilitiesSinceLogin) {
      this.capabilities.clear();
      this.capabilitiesVoidedBy = command.name as 'LOGIN' | 'AUTHENTICATE' | 'UNAUTHENTICATE';
    }
  }

  /** What a command's OK starts besides a move of state: TLS, compression. */
  private applyCompletion(command: InFlightCommand): void {
    switch (command.name) {
      case 'STARTTLS':
        this.upgrading = true;
        this.out.push({ type: 'start-tls' });
        return;
      case 'COMPRESS':
        // RFC 4978 §3: compression starts right after the CRLF of the tagged OK, both ways.
        this.compressed = true;
        this.compressionStarts = true;
        this.out.notice('info', 'notice.compress');
        return;
    }
  }

  private setCapabilities(text: string): void {
    this.capabilities = new Set(parseCapabilities(text));
    this.capabilitiesSinceLogin = true;
    this.capabilitiesVoidedBy = null;
  }
}

/** Octets a frame stood for on the wire (for the dropped-after-STARTTLS count). */
function frameSize(frame: ImapFrame): number {
  switch (frame.type) {
    case 'segment':
      return frame.bytes.length + 2;
    case 'literal-data':
      return frame.bytes.length;
    default:
      return 0;
  }
}
