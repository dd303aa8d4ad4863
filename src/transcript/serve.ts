/**
 * Serve: the server side of a transcript, for testing a mail client against a recorded session. A
 * sans-io session, one per connection: client bytes in, actions out (bytes to send, STARTTLS, close,
 * reports for the console). It sends the `S:` lines in order and, whenever the transcript shows a
 * `C:` line, waits for the client's next line and checks it with the same patterns replay uses.
 *
 * The client's tags are its own: a `C:` command is compared without its tag, and the transcript's tag
 * in the `S:` lines of that command is replaced by the client's. `<secret>` in a `C:` line accepts
 * any one value of the shape its place calls for (equivalent.ts): in an IMAP command, one argument
 * (an astring, RFC 3501 §4.3), however written; in a SASL exchange, one base64 token (never "*",
 * which cancels it); in POP3's PASS, the rest of the line. Holes in `S:` lines are filled with
 * captured values, or with stand-ins a client will accept (a number for UIDVALIDITY, today's date
 * for INTERNALDATE, a fresh APOP timestamp).
 *
 * An IMAP command is met line by line while the client sends its literals where the transcript's
 * are. Where the two send a string differently (a literal for a quoted string or an atom, or the
 * other way round: `LOGIN joe {8}` for `LOGIN joe <secret>`, `SELECT INBOX` for `SELECT {5}`), the
 * client's command is read whole as a server reads it ("+" for each synchronizing literal it sends,
 * the literal, the rest of the line) and judged then against the transcript's command read whole,
 * each literal of either as the quoted string it could have been. A transcript's "+" inside a command
 * answers a synchronizing literal: it is sent for one the client sends, and not for a string the
 * client sends otherwise (a note says so).
 *
 * A client line that does not match gets a protocol error reply (IMAP `BAD`, POP3 `-ERR`) and a report,
 * and the transcript waits at the same command, so a client that tries something else first (ID,
 * CAPABILITY) can go on. Client bytes are framed by the protocol's own framers. Pure.
 */
import { englishReplay } from './replay-words.js';
import { ImapFramer } from '../protocol/imap/framer.js';
import type { ImapFrame } from '../protocol/imap/frames.js';
import type { LiteralMarker } from '../protocol/imap/frames.js';
import { analyzeImapLine, literalIsSecret, maskImapContinuationResponse, maskImapSecrets } from '../protocol/imap/request.js';
import { isContinuationRequest } from '../protocol/imap/response.js';
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { maskPop3AuthResponse, maskPop3Secrets } from '../protocol/pop3/commands.js';
import { Pop3Framer } from '../protocol/pop3/framer.js';
import type { Pop3Frame } from '../protocol/pop3/frames.js';
import { displayForm } from '../protocol/display-form.js';
import { escapeDisplayText } from '../render/escape.js';
import { ClientLineWriter } from '../session/client-lines.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { formatLine, wireBytes, type Transcript, type TranscriptLine } from './format.js';
import { matchLine } from './match.js';
import { literalAsQuoted, sameImapCommand, samePop3Command, secretShape, secretValueFits, wholeCommandText, type SecretShape } from './equivalent.js';
import { escapePatternText, parsePattern, patternText, substitutePattern, type Captures } from './pattern.js';
import { buildScript, commandAsSent, type ClientItem, type Step } from './script.js';
import {
  advertisedCapabilities,
  listSeparator,
  namespaceText,
  unscriptedImapAnswer,
  unscriptedPop3Answer,
  UNSCRIPTED_IMAP_COMMANDS,
  type UnscriptedContext,
} from './serve-unscripted.js';

export type ServeAction =
  | { type: 'send'; bytes: Buffer }
  /** Start TLS now (the OK to STARTTLS/STLS has just been sent); call tlsEstablished() when it is up. */
  | { type: 'start-tls' }
  /** Deflate both directions from now on (the OK to COMPRESS DEFLATE has just been sent, RFC 4978 §3). */
  | { type: 'start-compression' }
  /** The transcript is over: end the connection once what was sent has gone out. */
  | { type: 'close' }
  | { type: 'report'; report: ServeReport };

export interface ServeReport {
  kind: 'mismatch' | 'note';
  /** The transcript line concerned. */
  line: TranscriptLine | null;
  /** The line the transcript expected ("C: ..."), for a mismatch. */
  expected: string | null;
  /** What the client sent ("C: ..."), for a mismatch. */
  received: string | null;
  message: string;
  at?: number;
}

export interface ServeOptions {
  protocol: Protocol;
  /** A client line's longest (default: the framer's). */
  maxLineOctets?: number;
  /** Wall clock, for stand-in dates and timestamps. */
  clock: () => Date;
  /** Secrets the transcript declares, to check an APOP digest against a fresh timestamp. */
  secrets?: ReadonlyMap<string, string>;
}

/** One item of the transcript as served: a line to send, or a client line to wait for. */
interface Item {
  line: TranscriptLine;
  step: Step;
  /** For client lines: what the script says the line is. */
  client: ClientItem | null;
  /** For server lines: characters of literal data at the start (sent as written). */
  literalChars: number;
}

/** The client's IMAP command so far (TranscriptServer.command). */
interface ClientCommand {
  /** Text segments, display form; each but the last ends in a literal's marker. */
  segments: string[];
  /** The literal after each segment but the last, as far as it was kept. */
  literals: Buffer[];
  /** Characters and octets of both so far. */
  chars: number;
}

/** A client line that ends a segment of an IMAP command, and the literal it announces, if any. */
interface SegmentEnd {
  literal: LiteralMarker | null;
}

type ClientVerdict = { ok: true; captured: Array<[string, string]> } | { ok: false; at: number; wanted: string };

const CRLF = Buffer.from('\r\n');

/** What a client's literal may exceed the transcript's by and still be kept (line ends, a secret of another length). */
const LITERAL_MARGIN = 64 * 1024;

export class TranscriptServer {
  private readonly items: Item[] = [];
  private position = 0;
  private readonly captures: Captures = new Map();
  /** Transcript tag → the client's tag, per command. */
  private readonly tags = new Map<string, string>();
  private readonly imapFramer: ImapFramer;
  private readonly pop3Framer: Pop3Framer;
  /** Octets of the client's current literal, kept or not. */
  private literalOctets = 0;
  /** The most of a client's literal kept: what the transcript's own literal there holds, and a margin. */
  private literalKeep = 0;
  private readonly writer: ClientLineWriter;
  private literal: Buffer[] = [];
  /** The literal announced by the client's last segment, if any. */
  private segmentLiteral: { nonSynchronizing: boolean } | null = null;
  /** The client's current IMAP command went astray: skip its remaining lines. */
  private skipping = false;
  /**
   * The client's current IMAP command so far: its text segments (display form, each but the last
   * ending in a literal's marker) and the literals between them, kept as far as literalKeep allows.
   * What the command is read whole from when its literals and the transcript's do not line up.
   */
  private command: ClientCommand = { segments: [], literals: [], chars: 0 };
  /**
   * The client's current command is read whole, as a server reads it, before it is judged: its
   * strings are sent otherwise than the transcript's (a literal for a quoted string or an atom, or
   * the other way round, RFC 3501 §4.3), so its lines cannot be met one by one.
   */
  private readingWhole = false;
  /** Items of "+" lines sent while the current command was read whole, for the literals it sent. */
  private wholeContinuations: number[] = [];
  /** "+" lines sent meanwhile that the transcript does not show (its command has no literal there). */
  private wholeStandIns = 0;
  /** The transcript's commands read whole (wholeText()), by step. */
  private readonly wholeTexts = new Map<Step, string | null>();
  private currentClientTag: string | null = null;
  /** A synchronizing literal's marker was just matched: the client waits for "+". */
  private literalWaiting = false;
  private upgrading = false;
  private finished = false;
  private servedGreeting: string | null = null;
  private stamp = 0;
  /** What answers to commands the transcript does not hold are made of (serve-unscripted.ts). */
  private readonly unscripted: UnscriptedContext = { capabilities: null, namespace: null, separator: null, pop3Capa: null };
  /** Client lines that did not match, over the connection. */
  mismatches = 0;
  /**
   * Complete client lines read (an IMAP command's last line, a continuation line; a POP3 line):
   * serve's --max-idle runs from the last. A line announcing a literal, or a literal, does not count.
   */
  commandsRead = 0;

  constructor(
    transcript: Transcript,
    private readonly options: ServeOptions,
  ) {
    this.writer = new ClientLineWriter(options.protocol);
    const lines = options.maxLineOctets === undefined ? {} : { maxLineBytes: options.maxLineOctets };
    this.imapFramer = new ImapFramer(lines);
    this.pop3Framer = new Pop3Framer(lines);
    const steps = buildScript(transcript.lines, options.protocol);
    for (const step of steps) {
      for (const line of step.lines) {
        if (line.direction === 'C') {
          this.items.push({ line, step, client: step.client.find((c) => c.line === line) ?? null, literalChars: 0 });
          continue;
        }
        if (line.expectation === 'forbidden') continue;
        const response = step.server.find((r) => r.lines.includes(line));
        const index = response?.lines.indexOf(line) ?? 0;
        this.items.push({ line, step, client: null, literalChars: response?.literalChars[index] ?? 0 });
      }
    }
    this.learnUnscripted(steps);
    // Make the pop3 framer take every client line as a plain line, greeting included.
    this.pop3Framer.push(Buffer.from('+OK\r\n'));
  }

  /** Every client line the transcript shows has come, and every server line has been sent. */
  get done(): boolean {
    return this.finished;
  }

  /** The greeting: the server lines before the first client line (or a stand-in if there are none). */
  start(): ServeAction[] {
    const out: ServeAction[] = [];
    if (this.items[0]?.line.direction !== 'S') {
      const text = this.options.protocol === 'imap' ? '* OK mailwire serve ready' : '+OK mailwire serve ready';
      out.push({ type: 'send', bytes: Buffer.from(`${text}\r\n`) });
      out.push(note(null, 'the transcript shows no greeting: sent a stand-in'));
    }
    this.advance(out);
    return out;
  }

  /** Client bytes in. */
  receive(chunk: Buffer): ServeAction[] {
    const out: ServeAction[] = [];
    if (this.finished) return out;
    if (this.upgrading) {
      out.push(note(null, `dropped ${chunk.length} octets the client sent before the TLS handshake`));
      return out;
    }
    if (this.options.protocol === 'imap') {
      for (const frame of this.imapFramer.push(chunk)) {
        if (frame.type === 'segment' && frame.literal === null) this.commandsRead++;
        this.imapFrame(frame, out);
      }
    } else {
      for (const frame of this.pop3Framer.push(chunk) as Pop3Frame[]) {
        if (frame.type === 'status') this.commandsRead++;
        // Invalid UTF-8 as \xNN, the display form the transcript's lines are in.
        if (frame.type === 'status') this.clientLine(displayForm(frame.bytes), out);
        else if (frame.type === 'error') this.unframeable(frame.message, out);
      }
    }
    return out;
  }

  /** TLS is up after STARTTLS/STLS: the transcript goes on. */
  tlsEstablished(): ServeAction[] {
    this.upgrading = false;
    this.imapFramer.reset();
    const out: ServeAction[] = [];
    this.advance(out);
    return out;
  }

  /** The client went away: what is left of the transcript, if anything, is reported. */
  connectionClosed(): ServeReport | null {
    if (this.finished) return null;
    const next = this.items[this.position];
    return {
      kind: 'mismatch',
      line: next?.line ?? null,
      expected: next ? formatLine(next.line) : null,
      received: null,
      message: next ? `the client closed the connection; the transcript goes on at line ${next.line.lineNo}` : 'the client closed the connection',
    };
  }

  /**
   * The client sent no complete line for `idle` (e.g. "1 min"): a client under test that stops has
   * failed, and the report says where the transcript waits. The client is told so (IMAP BYE, RFC 3501
   * §7.1.5; POP3 -ERR) and the connection ends. Nothing when the transcript is already over.
   */
  timedOut(idle: string): ServeAction[] {
    if (this.finished) return [];
    this.finished = true;
    const next = this.items[this.position];
    const where = next ? `; the transcript waits at line ${next.line.lineNo}` : '';
    const report: ServeReport = {
      kind: 'mismatch',
      line: next?.line ?? null,
      expected: next?.line.direction === 'C' ? formatLine(next.line) : null,
      received: null,
      message: `the client sent no complete line for ${idle} (--max-idle)${where}`,
    };
    const goodbye = this.options.protocol === 'imap' ? `* BYE Autologout; idle for too long (mailwire serve: ${idle}${where})` : `-ERR Autologout; idle for too long (mailwire serve: ${idle}${where})`;
    return [{ type: 'report', report }, { type: 'send', bytes: Buffer.from(`${goodbye}\r\n`, 'utf8') }, { type: 'close' }];
  }

  // --- client input -----------------------------------------------------------------------------

  private imapFrame(frame: ImapFrame, out: ServeAction[]): void {
    switch (frame.type) {
      case 'segment': {
        if (this.skipping && frame.literal !== null && !frame.literal.nonSynchronizing) {
          // RFC 3501 §7.5: a command refused already gets no "+", so its client sends no literal and
          // gives the command up: what comes next is a new one.
          this.imapFramer.reset();
          this.skipping = false;
          this.segmentLiteral = null;
          return;
        }
        const text = frame.bytes.toString('utf8');
        // In the display form the transcript's lines are in (protocol/display-form.ts).
        const shown = displayForm(frame.bytes);
        if (this.readingWhole) {
          this.wholeSegment(shown, frame.literal, out);
          return;
        }
        if (frame.first) {
          // A line answering a "+" (a SASL response) belongs to the command that asked for it: a
          // refusal of it carries that command's tag (RFC 3501 §6.2.2: "*" gets a tagged BAD).
          if (this.items[this.position]?.client?.role !== 'response') this.currentClientTag = analyzeImapLine(text).tag;
          this.command = { segments: [], literals: [], chars: 0 };
        }
        this.command.segments.push(shown);
        this.command.chars += shown.length;
        const events = this.writer.line(shown, frame.first ? 'command' : 'continued');
        this.segmentLiteral = frame.literal;
        this.literalOctets = 0;
        this.literalKeep = frame.literal === null ? 0 : this.expectedLiteralOctets() + LITERAL_MARGIN;
        const line = events[0];
        if (frame.literal !== null && line?.kind === 'client-line' && this.literalUnforeseen(frame.literal)) {
          this.startWhole(frame.literal, out);
          return;
        }
        for (const e of events) this.clientEvent(e, out, { literal: frame.literal });
        if (frame.literal === null) this.skipping = false;
        else if (!frame.literal.nonSynchronizing && this.literalWaiting) {
          // The transcript leaves out the "+" for this literal (as RFC examples do): ask for it.
          this.literalWaiting = false;
          out.push({ type: 'send', bytes: Buffer.from('+ Ready for literal data\r\n') });
        }
        return;
      }
      case 'literal-data': {
        // A client's literal is kept only as far as the transcript's could match it: a client that
        // announces a gigabyte costs what the transcript holds, not what it sends.
        const room = this.literalKeep - Math.min(this.literalKeep, this.literalOctets);
        if (room > 0) this.literal.push(frame.bytes.length > room ? frame.bytes.subarray(0, room) : frame.bytes);
        this.literalOctets += frame.bytes.length;
        return;
      }
      case 'literal-end': {
        const data = Buffer.concat(this.literal);
        this.literal = [];
        // The command already went astray: its literal is dropped with it.
        if (this.skipping) return;
        if (this.literalOctets > this.literalKeep) {
          const item = this.items[this.position];
          this.mismatches++;
          out.push({
            type: 'report',
            report: { kind: 'mismatch', line: item?.line ?? null, expected: item ? formatLine(item.line) : null, received: null, message: `the client sent a literal of ${this.literalOctets} octets, more than the transcript's literal here holds` },
          });
          if (this.readingWhole) {
            // The literal has come after the "+": the rest of the command follows, and is skipped.
            this.readingWhole = false;
            this.segmentLiteral = null;
          }
          this.reject(item ?? null, `literal of ${this.literalOctets} octets is larger than the transcript's`, out);
          return;
        }
        this.command.literals.push(data);
        this.command.chars += data.length;
        if (this.readingWhole) {
          if (this.command.chars > this.wholeLimit()) this.wholeTooLong(true, out);
          return;
        }
        // A password literal is written `<secret>` in the transcript, as the recorder writes it.
        const secret = this.items[this.position]?.client?.secretLiteral === true;
        for (const e of this.writer.literal(data, secret)) this.clientEvent(e, out);
        return;
      }
      case 'error':
        this.unframeable(frame.message, out);
    }
  }

  /**
   * The client's segment ends in a literal where the transcript's line at this point does not: the
   * command is a string the transcript writes otherwise (a password sent as a literal, recorded
   * quoted or as `<secret>`). A hole of the transcript's must not take the literal's `{8}` for the
   * string itself, so the command is read whole first.
   */
  private literalUnforeseen(literal: LiteralMarker): boolean {
    if (this.skipping || this.upgrading) return false;
    const item = this.items[this.position];
    if (!item || item.line.direction !== 'C' || !item.client || item.client.role === 'response') return false;
    return !LITERAL_MARKER_AT_END.test(item.line.text.slice(item.client.literalChars)) && this.commandMayMeet(item) && this.literalFits(literal);
  }

  /**
   * Can a client command that does not meet the transcript's line by line be read whole and met as a
   * whole? When either writes a string as a literal: then the two may differ only in how they send
   * their strings (RFC 3501 §4.3), and their lines cannot be met one by one.
   */
  private mayReadWhole(item: Item, literal: LiteralMarker | null): boolean {
    if (this.options.protocol !== 'imap' || !item.client || item.client.role === 'response') return false;
    if (literal === null && this.command.literals.length === 0 && !item.step.client.some((c) => c.role === 'literal')) return false;
    return this.commandMayMeet(item) && (literal === null || this.literalFits(literal));
  }

  /**
   * Can the command, with the literal just announced, still be one the transcript's read whole could
   * meet? A literal larger than all it holds cannot (200 MiB for a `{5}`): it is refused at once.
   */
  private literalFits(literal: LiteralMarker): boolean {
    return this.command.chars + literal.size <= this.wholeLimit();
  }

  /**
   * Is the client's current command the one the transcript waits for at `item`, or one serve answers
   * itself (serve-unscripted.ts)? Another command altogether is refused at once, before its literal
   * (RFC 3501 §7.5), rather than read whole.
   */
  private commandMayMeet(item: Item): boolean {
    const name = analyzeImapLine(this.command.segments[0] ?? '').command;
    return name === item.step.command || UNSCRIPTED_IMAP_COMMANDS.includes(name);
  }

  /**
   * The client's command is read whole from here on (its text so far is this.command): each literal
   * it announces gets its "+" if synchronizing, and the command is judged once it ends.
   */
  private startWhole(literal: LiteralMarker, out: ServeAction[]): void {
    this.readingWhole = true;
    this.wholeContinuations = [];
    this.wholeStandIns = 0;
    this.segmentLiteral = literal;
    this.literalKeep = this.wholeLimit();
    this.continueLiteral(literal, out);
  }

  /**
   * RFC 3501 §7.5: the client sends a synchronizing literal's octets only after a "+", and a
   * non-synchronizing one (LITERAL+, RFC 7888) at once. The "+" sent is the transcript's next one in
   * the command not sent yet, or a stand-in where the transcript shows none (its client sent no
   * literal there, or an RFC example left the "+" out).
   */
  private continueLiteral(literal: LiteralMarker, out: ServeAction[]): void {
    if (literal.nonSynchronizing) return;
    const range = this.commandRange();
    let text: string | null = null;
    for (let i = this.position; range !== null && i <= range.end; i++) {
      const item = this.items[i] as Item;
      if (item.line.direction !== 'S' || !isContinuationRequest(item.line.text) || this.wholeContinuations.includes(i)) continue;
      this.wholeContinuations.push(i);
      text = this.serverText(item);
      break;
    }
    if (text === null) this.wholeStandIns++;
    out.push({ type: 'send', bytes: Buffer.concat([wireBytes(text ?? '+ Ready for literal data'), CRLF]) });
  }

  /**
   * A segment of a command read whole (`shown` in display form): another literal follows, or the
   * command is complete and judged.
   */
  private wholeSegment(shown: string, literal: LiteralMarker | null, out: ServeAction[]): void {
    this.command.segments.push(shown);
    this.command.chars += shown.length;
    this.literalOctets = 0;
    if (literal !== null) {
      this.segmentLiteral = literal;
      if (!this.literalFits(literal)) this.wholeTooLong(false, out);
      else this.continueLiteral(literal, out);
      return;
    }
    this.readingWhole = false;
    this.segmentLiteral = null;
    this.judgeWhole(out);
    // The command has ended, judged as a whole: whatever comes next is a new one.
    this.skipping = false;
  }

  /**
   * The client's command, read whole, met against the transcript's command read whole: each literal
   * of either as the quoted string it carries (equivalent.ts). Met, the transcript goes on after the
   * command; the "+" lines it shows for literals the client did not send synchronizing are not sent
   * (a "+" answers such a literal, RFC 3501 §7.5), and a note says so.
   */
  private judgeWhole(out: ServeAction[]): void {
    const text = wholeCommandText(this.command.segments, this.command.literals);
    const range = this.commandRange();
    if (range === null) {
      this.clientLine(text, out);
      return;
    }
    const from = this.position;
    this.position = range.start;
    const item = this.items[range.start] as Item;
    const whole = this.wholeText(item.step);
    const expected = whole ?? item.line.text;
    const badTag = this.badTag(item, text);
    const verdict = badTag ?? this.matchClient(item, text, { expected, whole: true });
    if (!verdict.ok) {
      if (badTag === null && this.answerUnscripted(item, text, out)) return;
      const lines = item.step.client.length > 1 ? ` (lines ${item.line.lineNo}-${item.step.client.at(-1)?.line.lineNo ?? item.line.lineNo} read whole, each literal as the quoted string it carries)` : '';
      this.mismatch(item, text, `C: ${expected}`, `the client's line differs at line ${item.line.lineNo}: expected ${verdict.wanted}${lines}`, verdict.at, out);
      return;
    }
    for (const [k, v] of verdict.captured) this.captures.set(k, v);
    const unsent: number[] = [];
    for (let i = from; i <= range.end; i++) {
      const skipped = this.items[i] as Item;
      if (skipped.line.direction !== 'S' || this.wholeContinuations.includes(i)) continue;
      if (isContinuationRequest(skipped.line.text)) unsent.push(skipped.line.lineNo);
      // Whatever else the server said in the middle of the command (untagged data) still goes out.
      else out.push({ type: 'send', bytes: Buffer.concat([wireBytes(this.serverText(skipped)), CRLF]) });
    }
    const told: string[] = [];
    if (unsent.length > 0) {
      const which = unsent.length === 1 ? `the "+" of line ${unsent[0]} was` : `the "+" lines ${unsent.join(', ')} were`;
      told.push(`${which} not sent (a "+" answers a synchronizing literal, RFC 3501 §7.5, and the client sent none there)`);
    }
    if (this.wholeStandIns > 0) told.push(`a "+" the transcript does not show was sent for ${this.wholeStandIns === 1 ? 'a synchronizing literal' : `${this.wholeStandIns} synchronizing literals`} of the client's`);
    if (told.length > 0) out.push(note(item.line, `the command of line ${item.line.lineNo} met read whole, the client sending its strings otherwise than the transcript (RFC 3501 §4.3): ${told.join('; ')}`));
    this.wholeContinuations = [];
    this.wholeStandIns = 0;
    this.position = range.end + 1;
    this.literalWaiting = false;
    this.advance(out);
  }

  /**
   * The transcript's IMAP command read whole (commandAsSent), as the one line it could have been
   * sent as: each literal as the quoted string it carries (patterns in it escaped: literal data is
   * compared as it is), a `<secret>` literal as `<secret>`. Null when the transcript does not show it
   * whole.
   */
  private wholeText(step: Step): string | null {
    let text = this.wholeTexts.get(step);
    if (text === undefined) {
      const sent = commandAsSent(step);
      text =
        sent === null
          ? null
          : wholeCommandText(
              sent.segments.map((s) => displayForm(s)),
              sent.literals,
              (data) => (data === null ? SECRET_PLACEHOLDER : escapePatternText(literalAsQuoted(data))),
            );
      this.wholeTexts.set(step, text);
    }
    return text;
  }

  /** The client items of the command the transcript waits in: the first (the command line) and the last. */
  private commandRange(): { start: number; end: number } | null {
    const at = this.items[this.position];
    if (!at || at.line.direction !== 'C' || !at.client || at.client.role === 'response') return null;
    let start = this.position;
    while (start > 0 && this.items[start]?.client?.role !== 'command' && this.items[start - 1]?.step === at.step) start--;
    let end = this.position;
    for (let i = this.position + 1; i < this.items.length && this.items[i]?.step === at.step; i++) if (this.items[i]?.line.direction === 'C') end = i;
    return this.items[start]?.client?.role === 'command' ? { start, end } : null;
  }

  /**
   * The most of a command read whole that is kept: a client may send literal after literal. What
   * the transcript's command holds and a margin, and never less than MAX_GATHERED.
   */
  private wholeLimit(): number {
    const item = this.items[this.position];
    const whole = item ? this.wholeText(item.step) : null;
    return Math.max(MAX_GATHERED, (whole?.length ?? 0) + LITERAL_MARGIN);
  }

  /**
   * A command read whole that has grown past any line of a transcript's (literal after literal): a
   * mismatch, and the rest of it is skipped rather than held. `literalCame`: the last literal has
   * been read (else it is refused before its "+", and the client does not send it).
   */
  private wholeTooLong(literalCame: boolean, out: ServeAction[]): void {
    const limit = this.wholeLimit();
    const range = this.commandRange();
    if (range !== null) this.position = range.start;
    const item = this.items[this.position];
    this.readingWhole = false;
    if (literalCame) this.segmentLiteral = null;
    this.mismatches++;
    out.push({ type: 'report', report: { kind: 'mismatch', line: item?.line ?? null, expected: item ? formatLine(item.line) : null, received: null, message: `the client's command passed ${limit} characters in literals` } });
    this.reject(item ?? null, `command longer than ${limit} characters`, out);
  }

  /**
   * Client input no framer can read (a line over the cap): the client's fault, as any line the
   * transcript does not show, so a failure; the client is told so, as mailwire's own servers tell
   * it, and the connection ends.
   */
  private unframeable(message: string, out: ServeAction[]): void {
    if (this.finished) return;
    this.mismatches++;
    out.push({ type: 'report', report: { kind: 'mismatch', line: null, expected: null, received: null, message: `client input cannot be framed: ${message}` } });
    const why = `mailwire serve: ${message}`;
    out.push({ type: 'send', bytes: Buffer.from(this.options.protocol === 'imap' ? `* BAD ${why}\r\n* BYE the input cannot be read on\r\n` : `-ERR ${why}\r\n`, 'utf8') });
    out.push({ type: 'close' });
    this.finished = true;
  }

  private clientEvent(e: SessionEvent, out: ServeAction[], segmentEnd?: SegmentEnd): void {
    if (e.kind === 'client-line') this.clientLine(escapeDisplayText(e.text), out, segmentEnd);
  }

  /**
   * One complete client line, in display form. `segmentEnd`: the line ends a segment of an IMAP
   * command (not a line inside a literal's data), and whether a literal follows it.
   */
  private clientLine(text: string, out: ServeAction[], segmentEnd?: SegmentEnd): void {
    // RFC 2595 §3.1: what the client sent in plaintext after STARTTLS is not to be trusted.
    if (this.upgrading) return;
    if (this.skipping) return;
    const item = this.items[this.position];
    if (!item || item.line.direction !== 'C') {
      out.push(note(item?.line ?? null, `the client sent a line the transcript does not show here: ${this.shownClientText(text)}`));
      this.reject(null, 'the transcript has no client line here', out);
      return;
    }
    const badTag = this.badTag(item, text);
    const verdict = badTag ?? this.matchClient(item, text);
    if (!verdict.ok) {
      if (badTag === null && segmentEnd !== undefined && this.mayReadWhole(item, segmentEnd.literal)) {
        // The client sends its strings otherwise than the transcript (a literal for a quoted string,
        // or the other way round): its command is met as a whole once it has come.
        if (segmentEnd.literal === null) this.judgeWhole(out);
        else this.startWhole(segmentEnd.literal, out);
        return;
      }
      if (badTag === null && this.answerUnscripted(item, text, out)) return;
      this.mismatch(item, text, formatLine(item.line), `the client's line differs at line ${item.line.lineNo}: expected ${verdict.wanted}`, verdict.at, out);
      return;
    }
    for (const [k, v] of verdict.captured) this.captures.set(k, v);
    this.position++;
    this.literalWaiting = this.endsInSyncLiteral(text);
    this.advance(out);
  }

  /** A client line that does not match `item`: reported (`expected` as the report shows it), and refused. */
  private mismatch(item: Item, text: string, expected: string, message: string, at: number, out: ServeAction[]): void {
    this.mismatches++;
    out.push({ type: 'report', report: { kind: 'mismatch', line: item.line, expected, received: text === '' ? 'C:' : `C: ${this.shownClientText(text, item)}`, message, at } });
    this.reject(item, `expected "${formatLine(item.line)}" (transcript line ${item.line.lineNo})`, out);
  }

  /**
   * A client's line as a report shows it: a password in it (LOGIN, PASS, an AUTHENTICATE initial
   * response, a SASL response answering a "+", a literal that carries LOGIN's password) as
   * `<secret>`, as the recorder writes it. The client under test may send its real password, and
   * serve's reports end up in CI logs. `item`: the transcript line the client's line was met against,
   * which says what the line is (a command, a line of a literal, a response to a "+").
   */
  private shownClientText(text: string, item?: Item): string {
    const role = item?.client?.role ?? 'command';
    if (this.options.protocol === 'pop3') return (role === 'response' ? maskPop3AuthResponse(text) : maskPop3Secrets(text)).masked;
    const segments = this.command.segments;
    switch (role) {
      case 'response':
        return maskImapContinuationResponse(item?.step.command ?? '', text).masked;
      case 'literal':
        // A line of the literal the client's last segment announced.
        return literalIsSecret(segments[0] ?? '', segments.length - 1, segments.slice(1)) ? SECRET_PLACEHOLDER : text;
      case 'continued':
        return maskImapSecrets(text, { earlierSegments: segments.slice(0, -1) }).masked;
      default:
        return maskImapSecrets(text).masked;
    }
  }

  /**
   * Clients send CAPABILITY, NOOP, ID, NAMESPACE, ENABLE (POP3: CAPA, NOOP) of their own accord: when
   * the transcript waits for another command, serve answers such a one itself, notes it, and waits on.
   */
  private answerUnscripted(item: Item, text: string, out: ServeAction[]): boolean {
    if (item.client?.role !== 'command') return false;
    let lines: string[] | null;
    let command: string;
    if (this.options.protocol === 'imap') {
      const a = analyzeImapLine(text);
      if (a.tag === null || this.segmentLiteral !== null) return false;
      command = a.command;
      lines = unscriptedImapAnswer(a.tag, command, this.unscripted);
    } else {
      command = (text.trim().split(/\s+/)[0] ?? '').toUpperCase();
      lines = unscriptedPop3Answer(command, this.unscripted);
    }
    if (lines === null) return false;
    out.push({ type: 'send', bytes: Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8') });
    out.push(note(item.line, `answered ${command} itself: the transcript holds no ${command} here (it waits for line ${item.line.lineNo})`));
    return true;
  }

  /** The capabilities, namespaces and separator the transcript shows, for answerUnscripted(). */
  private learnUnscripted(steps: readonly Step[]): void {
    for (const step of steps) {
      for (const line of step.lines) {
        if (line.direction !== 'S') continue;
        const text = patternText(parsePattern(line.text));
        if (this.options.protocol === 'imap') {
          const caps = advertisedCapabilities(text);
          // The first list until the session advertises another (advance() keeps it current).
          if (caps !== null && !caps.includes('$')) this.unscripted.capabilities ??= caps;
          this.unscripted.namespace ??= namespaceText(text);
          this.unscripted.separator ??= listSeparator(text);
        }
      }
      if (this.options.protocol === 'pop3' && step.command === 'CAPA' && this.unscripted.pop3Capa === null) {
        const listing = step.lines.filter((l) => l.direction === 'S').map((l) => l.text);
        if (listing[0]?.startsWith('+OK') && listing.at(-1) === '.') this.unscripted.pop3Capa = listing.slice(1, -1);
      }
    }
  }

  /**
   * A command whose tag is none (RFC 3501 §9): a mismatch at its first column, answered untagged, never
   * echoed, since a tag with a control byte in it would go back changed.
   */
  private badTag(item: Item, text: string): { ok: false; at: number; wanted: string } | null {
    if (this.options.protocol !== 'imap' || item.client?.role !== 'command') return null;
    const tag = analyzeImapLine(text).tag;
    return tag === null || IMAP_TAG.test(tag) ? null : { ok: false, at: 0, wanted: 'a tag (RFC 3501 §9: printable ASCII but for space, "+", "(", ")", "{", "%", "*", "\\" and quotes)' };
  }

  /**
   * Compares a client line with a transcript line (`expected`: its text, or the transcript's command
   * read whole when `whole`): without the tag for a command; a `<secret>` as one value of the shape
   * its place calls for (equivalent.ts: in an IMAP command an astring, so an atom, a quoted string or
   * a literal read whole as the quoted string it stands for; a SASL response one base64 token; POP3
   * PASS the rest of the line), nothing after it the transcript does not show.
   */
  private matchClient(item: Item, text: string, options: { expected?: string; whole?: boolean } = {}): ClientVerdict {
    let expected = options.expected ?? item.line.text;
    let got = text;
    let offset = 0;
    if (this.options.protocol === 'imap' && item.client?.role === 'command') {
      const tag = item.step.tag;
      const clientTag = analyzeImapLine(text).tag;
      if (tag !== null && clientTag !== null && expected.startsWith(`${tag} `) && got.startsWith(`${clientTag} `)) {
        expected = expected.slice(tag.length + 1);
        got = got.slice(clientTag.length + 1);
        offset = clientTag.length + 1;
        this.tags.set(tag, clientTag);
      }
    }
    const shape = secretShape(this.options.protocol, item.step.command, item.client?.role === 'response' ? 'response' : 'command');
    const written = expected;
    expected = this.expectedClientText(item, expected, shape, options.whole === true);
    const line = { ...item.line, text: expected };
    const m = matchLine(line, options.whole === true ? 0 : (item.client?.literalChars ?? 0), got, this.captures);
    const secrets = m.ok ? secretArgumentsMet(m.captured, got, shape) : null;
    if (m.ok && secrets?.ok) {
      // `{$}` for a `<secret>` literal takes any count, but not another kind of literal: a "+" is sent
      // for a synchronizing one only (RFC 7888), so the command is met whole instead.
      if (!options.whole && this.options.protocol === 'imap' && NON_SYNC_MARKER_AT_END.test(got) !== NON_SYNC_MARKER_AT_END.test(written) && LITERAL_MARKER_AT_END.test(written)) {
        return { ok: false, at: got.length + offset - 1, wanted: `a ${NON_SYNC_MARKER_AT_END.test(written) ? 'non-' : ''}synchronizing literal, as the transcript's` };
      }
      return { ok: true, captured: m.captured.filter(([name]) => !name.startsWith(SECRET_HOLE)) };
    }
    // Another client writes the same command its own way: case, quoting (see equivalent.ts). `<secret>`
    // is one value of its shape there too.
    if ((item.client?.role === 'command' || item.client?.role === 'response') && !parsePattern(written).hasHoles) {
      const plain = patternText(parsePattern(written));
      const same = this.options.protocol === 'imap' ? sameImapCommand(plain, got, { secret: shape }) : samePop3Command(plain, got, { secret: shape });
      if (same) return { ok: true, captured: [] };
    }
    if (secrets && !secrets.ok) return { ok: false, at: secrets.at + offset, wanted: secretWanted(shape, secrets.cancel) };
    return m.ok ? { ok: false, at: got.length + offset, wanted: 'the line as written' } : { ok: false, at: m.at + offset, wanted: englishReplay(m.wanted) };
  }

  /**
   * `<secret>` accepts any value of its shape (matchClient checks that a named one is); an APOP
   * digest is checked against the greeting actually sent. The marker before a `<secret>` literal
   * accepts any count: the client's password is its own.
   */
  private expectedClientText(item: Item, text: string, shape: SecretShape, whole: boolean): string {
    if (item.client?.role === 'literal' && !whole) return text;
    // A `<secret>` as a named hole of its own, checked by matchClient to be one value of its shape;
    // POP3 PASS's takes the rest of the line (RFC 1939 §7: a password may hold spaces).
    const named = shape !== 'rest';
    let out = text.split(SECRET_PLACEHOLDER).map((part, i, all) => (i < all.length - 1 ? `${part}$${named ? `${SECRET_HOLE}${i}` : ''}` : part)).join('');
    if (!whole && this.options.protocol === 'imap' && this.nextClientItem()?.client?.secretLiteral === true) {
      out = out.replace(LITERAL_MARKER_AT_END, (marker) => (marker.endsWith('+}') ? '{$+}' : '{$}'));
    }
    const apop = this.options.protocol === 'pop3' ? parseApopRequest(text) : null;
    if (apop?.digest) {
      const recorded = greetingTimestamp(this.items.find((i) => i.line.direction === 'S')?.line.text ?? '');
      const served = greetingTimestamp(this.servedGreeting ?? '');
      if (served !== null && served !== recorded) {
        const secret = this.options.secrets?.get(apop.user);
        // With the secret, the digest must be the right one for this greeting; without it, any digest.
        out = out.replace(apop.digest, secret === undefined ? '$' : apopDigest(served, secret));
      }
    }
    return out;
  }

  /** The transcript's client line after the one it waits for now. */
  private nextClientItem(): Item | undefined {
    for (let i = this.position + 1; i < this.items.length; i++) {
      const item = this.items[i] as Item;
      if (item.line.direction === 'C') return item;
    }
    return undefined;
  }

  /** Octets of the literal the transcript shows next (its C: lines of literal data, with line ends). */
  private expectedLiteralOctets(): number {
    let octets = 0;
    for (let i = this.position; i < this.items.length; i++) {
      const item = this.items[i] as Item;
      if (item.line.direction !== 'C') continue;
      if (i > this.position && item.client?.role !== 'literal') break;
      if (item.client?.role === 'literal') octets += Buffer.byteLength(item.line.text) + 2;
    }
    return octets;
  }

  private endsInSyncLiteral(text: string): boolean {
    return this.options.protocol === 'imap' && /\{\d+\}$/.test(text);
  }

  /** The protocol's error reply for a client line that strays, and back to the start of the command. */
  private reject(item: Item | null, why: string, out: ServeAction[]): void {
    const reason = `mailwire serve: ${why}`.replace(/[\r\n]/g, ' ');
    if (this.options.protocol === 'imap') {
      // RFC 3501 §7.1: a command whose tag cannot be read is answered untagged.
      const tag = this.currentClientTag !== null && IMAP_TAG.test(this.currentClientTag) ? this.currentClientTag : '*';
      out.push({ type: 'send', bytes: Buffer.from(`${tag} BAD ${reason}\r\n`, 'utf8') });
      if (this.segmentLiteral && !this.segmentLiteral.nonSynchronizing) {
        // RFC 3501 §7.5: refused before its "+", the client does not send the literal.
        this.imapFramer.reset();
        this.segmentLiteral = null;
      } else {
        this.skipping = true;
      }
    } else {
      out.push({ type: 'send', bytes: Buffer.from(`-ERR ${reason}\r\n`, 'utf8') });
    }
    // A command that went astray in its literal or continuation starts over; so does one whose "+"
    // was answered with a line refused (RFC 3501 §6.2.2, RFC 5034 §4: the refusal ends the exchange,
    // and the client's next line is a command).
    if (item && item.client && item.client.role !== 'command') {
      while (this.position > 0 && this.items[this.position]?.client?.role !== 'command') this.position--;
    }
  }

  // --- server output ----------------------------------------------------------------------------

  /** Sends server lines up to the next client line (or the end). */
  private advance(out: ServeAction[]): void {
    while (this.position < this.items.length) {
      const item = this.items[this.position] as Item;
      if (item.line.direction === 'C') return;
      let text = this.serverText(item);
      if (this.servedGreeting === null) {
        text = this.withApopTimestamp(text);
        this.servedGreeting = text;
      }
      if (this.options.protocol === 'imap') this.unscripted.capabilities = advertisedCapabilities(text) ?? this.unscripted.capabilities;
      out.push({ type: 'send', bytes: Buffer.concat([wireBytes(text), CRLF]) });
      this.position++;
      this.literalWaiting = false;
      if (this.isTlsGo(item, text)) {
        this.upgrading = true;
        out.push({ type: 'start-tls' });
        return;
      }
      // RFC 4978 §3: compression starts right after the CRLF of the tagged OK.
      if (this.isCompressGo(item, text)) out.push({ type: 'start-compression' });
    }
    this.finished = true;
    out.push({ type: 'close' });
  }

  /**
   * RFC 1939 §7: a client can send APOP only to a greeting with a timestamp. A transcript whose client
   * logs in with APOP but whose greeting shows none (written by hand, or trimmed) gets a fresh one.
   */
  private withApopTimestamp(greeting: string): string {
    if (this.options.protocol !== 'pop3' || !greeting.startsWith('+OK') || greetingTimestamp(greeting) !== null) return greeting;
    const apop = this.items.some((i) => i.line.direction === 'C' && i.client?.role === 'command' && parseApopRequest(i.line.text) !== null);
    return apop ? `${greeting} <${freshStampId(this.options.clock(), ++this.stamp)}@mailwire.serve>` : greeting;
  }

  /** The OK that answers the step's STARTTLS / STLS: time to start TLS. */
  private isTlsGo(item: Item, text: string): boolean {
    const command = item.step.command;
    if (this.options.protocol === 'imap') return command === 'STARTTLS' && item.step.tag !== null && new RegExp(`^\\S+ OK\\b`, 'i').test(text) && !text.startsWith('*');
    return command === 'STLS' && /^\+OK\b/.test(text);
  }

  /** The tagged OK that answers the step's COMPRESS. */
  private isCompressGo(item: Item, text: string): boolean {
    return this.options.protocol === 'imap' && item.step.command === 'COMPRESS' && item.step.tag !== null && /^\S+ OK\b/i.test(text) && !text.startsWith('*');
  }

  /** A server line as sent: the client's tag, captured values, stand-ins for other holes. */
  private serverText(item: Item): string {
    const literal = item.line.text.slice(0, item.literalChars);
    let rest = item.line.text.slice(item.literalChars);
    if (this.options.protocol === 'imap' && item.literalChars === 0) {
      const tag = item.step.tag;
      const clientTag = tag === null ? undefined : this.tags.get(tag);
      if (tag !== null && clientTag !== undefined && rest.startsWith(`${tag} `)) rest = escapePatternText(clientTag) + rest.slice(tag.length);
    }
    const filled = substitutePattern(parsePattern(rest), this.captures, (hole) => {
      const value = this.standIn(hole.before, hole.after, item.step.command ?? '');
      if (hole.name !== null) this.captures.set(hole.name, value);
      return value;
    });
    return literal + filled;
  }

  /** A value for a hole nothing captured, as the place it stands in calls for. */
  private standIn(before: string, after: string, command: string): string {
    const now = this.options.clock();
    // RFC 1939 §7: a unique-id is unique in the maildrop and the same in every session, so one
    // made from the message number (1-70 characters of 0x21-0x7E).
    const uidl = command === 'UIDL' && this.options.protocol === 'pop3' ? /^(?:\+OK )?(\d+) $/.exec(before) : null;
    if (uidl) return `mailwire-serve-${uidl[1]}`;
    if (/(?:UIDVALIDITY|APPENDUID|COPYUID) $/i.test(before)) return String(Math.floor(now.getTime() / 1000));
    if (/INTERNALDATE $/i.test(before)) return `"${imapDateTime(now)}"`;
    // RFC 1939 §7: a timestamp unique to this greeting, in msg-id form.
    if (before.endsWith('<') && after.startsWith('>')) return `${freshStampId(now, ++this.stamp)}@mailwire.serve`;
    return before.endsWith('* ') ? '1' : '0';
  }
}

/**
 * The name of the hole an IMAP command's `<secret>` becomes (with its number in the line): its value
 * is checked and dropped, never kept as a capture.
 */
const SECRET_HOLE = '__mailwire_secret_';

/**
 * Each `<secret>` hole met one value of its shape (equivalent.ts: secretValueFits). A hole that ends
 * a pattern takes the rest of the line, so `joe password EXTRA`, `AUTH PLAIN abc EXTRA` or a literal
 * whose count was short (`"pass"word`) would pass for one. `at`: where the value stops being one in
 * `got`; `cancel`: it is the "*" that cancels a SASL exchange.
 */
function secretArgumentsMet(captured: ReadonlyArray<[string, string]>, got: string, shape: SecretShape): { ok: true } | { ok: false; at: number; cancel: boolean } {
  for (const [name, value] of captured) {
    if (!name.startsWith(SECRET_HOLE)) continue;
    const fits = secretValueFits(shape, value);
    if (!fits.ok) return { ok: false, at: Math.max(0, got.indexOf(value)) + fits.end, cancel: fits.cancel === true };
  }
  return { ok: true };
}

/** What a `<secret>` of this shape wants, in words, for a report. */
function secretWanted(shape: SecretShape, cancel: boolean): string {
  if (cancel) return 'a SASL response, where the client sent "*", which cancels the exchange (RFC 3501 §6.2.2, RFC 5034 §4)';
  if (shape === 'sasl') return '<secret> as one SASL response, a single base64 token (RFC 4959 §3, RFC 5034 §4), and the rest of the line as written';
  return '<secret> as one argument (an atom, a quoted string or a literal), and the rest of the line as written';
}

/** RFC 3501 §9: tag = 1*<any ASTRING-CHAR except "+">, ASTRING-CHAR being CHAR but CTL, SP and ( ) { % * " \\ (and "]" allowed). */
const IMAP_TAG = /^[!#$&'\x2c-\x5b\x5d-\x7a|}~-]+$/;

/** The most of a command read whole that is kept: a client may send literal after literal. */
const MAX_GATHERED = 2 * LITERAL_MARGIN;

/** A literal's marker at the end of a line: `{8}`, or `{8+}` (LITERAL+, RFC 7888). */
const LITERAL_MARKER_AT_END = /\{\d+\+?\}$/;
/** A non-synchronizing literal's marker at the end of a line (LITERAL+, RFC 7888), `{$+}` too. */
const NON_SYNC_MARKER_AT_END = /\{[^{}]*\+\}$/;

function note(line: TranscriptLine | null, message: string): ServeAction {
  return { type: 'report', report: { kind: 'note', line, expected: null, received: null, message } };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** RFC 3501 §9 date-time, in UTC: "27-Nov-2026 00:19:57 +0000". */
function imapDateTime(d: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The left side of a fresh APOP timestamp: the clock and a counter, as RFC 1939 §7 suggests. */
function freshStampId(d: Date, n: number): string {
  return `${n}.${d.getTime()}`;
}
