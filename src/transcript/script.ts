/**
 * A transcript as a script of steps: the greeting, then one step per client command or continuation
 * response, each with the server responses expected before the next step. Replay, serve and lint all
 * walk this one structure.
 *
 * What a line is cannot be read off the line alone: a `C:` line may be a command, literal data, the
 * text that goes on after a literal, or the answer to a "+" (AUTHENTICATE, IDLE's DONE); an `S:` line
 * may start a response or be a line of a literal or of a POP3 multi-line body. So the lines are fed
 * through the protocol's own framers, the same ones that frame the wire: ImapFramer counts literal
 * octets on the server side, ImapInputAssembler on the client side, Pop3Framer knows which replies
 * are multi-line from the commands. Pure.
 */
import { DEFAULT_MAX_LINE_BYTES, ImapFramer } from '../protocol/imap/framer.js';
import type { ImapFrame } from '../protocol/imap/frames.js';
import { parseLiteralMarker } from '../protocol/imap/framer.js';
import { analyzeImapLine, literalIsSecret } from '../protocol/imap/request.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { isContinuationRequest, parseImapResponseHead, type ImapResponseHead } from '../protocol/imap/response.js';
import { pop3ReplyShapeFor } from '../protocol/pop3/commands.js';
import { Pop3Framer } from '../protocol/pop3/framer.js';
import type { Pop3Frame } from '../protocol/pop3/frames.js';
import type { Protocol } from '../session/events.js';
import { ImapInputAssembler, type ImapCommandPlan } from '../session/imap-input.js';
import { charsForOctets } from '../protocol/display-form.js';
import { wireBytes, type Expectation, type TranscriptLine } from './format.js';

/** What a client line is to the command it belongs to. */
export type ClientRole = 'command' | 'literal' | 'continued' | 'response';

export interface ClientItem {
  line: TranscriptLine;
  role: ClientRole;
  /** Characters at the start of the line's text that are literal data (the whole line for pure data). */
  literalChars: number;
  /**
   * A `<secret>` line standing for a whole literal that carries a secret (LOGIN's password sent as
   * `{8}`), whatever its announced size: the recorder writes the placeholder, not the octets.
   */
  secretLiteral?: boolean;
}

export type ResponseKind =
  /** IMAP: a tagged completion. */
  | 'tagged'
  /** IMAP: an untagged response (`* ...`). */
  | 'untagged'
  /** IMAP `+ ...`, or a POP3 SASL challenge `+ ...` (RFC 5034 §4). */
  | 'continuation'
  /** POP3: a status line (+OK, -ERR, or anything a server says in its place); the greeting too. */
  | 'status'
  /** POP3: a line of a multi-line body, as on the wire (dot-stuffed). */
  | 'body'
  /** POP3: the "." that ends a multi-line body. */
  | 'end';

/** One response the server is expected to send (one line for POP3; more for an IMAP literal). */
export interface ExpectedResponse {
  kind: ResponseKind;
  /** IMAP tagged completions: the tag. */
  tag: string | null;
  lines: TranscriptLine[];
  /** Per line: how many characters at its start are literal data (compared as they are, no patterns). */
  literalChars: number[];
  expectation: Expectation;
  /** False when the transcript ends (or the client speaks) inside the response's literal. */
  complete: boolean;
}

export type StepKind = 'greeting' | 'command' | 'response';

export interface Step {
  kind: StepKind;
  /** The client lines sent in this step: a whole command (literals included) or one response line. */
  client: ClientItem[];
  /** Upper-case command name ("UID FETCH", "RETR"), for command steps. */
  command: string | null;
  /** IMAP command tag as written in the transcript. */
  tag: string | null;
  /** The server responses expected in this step, in file order. */
  server: ExpectedResponse[];
  /** Every line of the step in file order: server lines may sit between a command's own lines. */
  lines: TranscriptLine[];
  /** For IMAP commands: the transcript ends inside one of its literals. */
  incompleteLiteral: boolean;
}

/**
 * Builds the steps of a transcript line by line: push() hands out each step once the next one starts
 * (nothing later changes it), end() the last. lint walks a file of any length this way, keeping one
 * step at a time.
 */
export interface ScriptBuilder {
  push(line: TranscriptLine): Step[];
  end(): Step[];
  /** The first line of the step still being built (Infinity when it has none yet). */
  readonly openFrom: number;
}

/** A script builder for a protocol. */
export function scriptBuilder(protocol: Protocol): ScriptBuilder {
  return protocol === 'imap' ? new ImapScriptBuilder() : new Pop3ScriptBuilder();
}

/** Builds the steps of a transcript for a protocol. */
export function buildScript(lines: readonly TranscriptLine[], protocol: Protocol): Step[] {
  const builder = scriptBuilder(protocol);
  const steps: Step[] = [];
  for (const line of lines) steps.push(...builder.push(line));
  steps.push(...builder.end());
  return steps;
}

function newStep(kind: StepKind): Step {
  return { kind, client: [], command: null, tag: null, server: [], lines: [], incompleteLiteral: false };
}

// --- IMAP -------------------------------------------------------------------------------------------


class ImapScriptBuilder implements ScriptBuilder {
  private step: Step = newStep('greeting');
  /** The last command step: a continuation's answer belongs to it. */
  private lastCommand: Step | null = null;
  private readonly server = new ImapFramer();
  private response: ExpectedResponse | null = null;
  /** Assembles the current command from its client lines, counting literal octets. */
  private assembler: ImapInputAssembler | null = null;
  /** A "+" came that no literal took: the next client line answers it (AUTHENTICATE, IDLE). */
  private continuationOpen = false;
  /** The framer met a line it cannot frame (too long, a literal too large): it reads nothing more. */
  private framerFailed = false;

  get openFrom(): number {
    return this.step.lines[0]?.lineNo ?? Infinity;
  }

  push(line: TranscriptLine): Step[] {
    if (line.direction === 'C') return this.client(line);
    this.serverLine(line);
    return [];
  }

  end(): Step[] {
    if (this.assembler?.incomplete && this.lastCommand) this.lastCommand.incompleteLiteral = true;
    if (this.response) this.response.complete = false;
    return [this.step];
  }

  private client(line: TranscriptLine): Step[] {
    const step = this.step;
    if (this.response) {
      // The client speaks while a server literal is still open: its count was too large.
      this.server.reset();
      this.response = null;
    }
    if (!this.assembler?.incomplete && !this.continuationOpen && isPlainLine(line.text)) {
      // A command line that cannot end in a literal marker is a whole command: the assembler would
      // take it and be done, so neither it nor the line's bytes are made.
      const next = newStep('command');
      // analyzeImapLine reads the common shapes (`a1 NOOP`) in one pass.
      const analysis = analyzeImapLine(line.text);
      next.command = analysis.command;
      next.tag = analysis.tag;
      next.client.push({ line, role: 'command', literalChars: 0 });
      next.lines.push(line);
      this.assembler = null;
      this.lastCommand = next;
      this.step = next;
      return [step];
    }
    const bytes = wireBytes(line.text);
    const assembler = this.assembler;
    if (assembler?.incomplete) {
      // Literal data of the command, or the text that goes on after a literal.
      const need = assembler.literalOctetsLeft;
      if (need > 0 && need <= MAX_SECRET_LITERAL_OCTETS && isSecretLiteralLine(step, line.text)) {
        assembler.push(secretLiteralStandIn(need));
        step.client.push({ line, role: 'literal', literalChars: line.text.length, secretLiteral: true });
        step.lines.push(line);
        return [];
      }
      const chars = need === 0 ? 0 : need >= bytes.length ? line.text.length : charsForOctets(line.text, need);
      assembler.push(bytes);
      step.client.push({ line, role: need > 0 ? 'literal' : 'continued', literalChars: chars });
      step.lines.push(line);
      return [];
    }
    let next: Step;
    if (this.continuationOpen) {
      next = newStep('response');
      next.command = this.lastCommand?.command ?? null;
      next.tag = this.lastCommand?.tag ?? null;
      next.client.push({ line, role: 'response', literalChars: 0 });
      this.continuationOpen = false;
    } else {
      next = newStep('command');
      const analysis = analyzeImapLine(line.text);
      next.command = analysis.command;
      next.tag = analysis.tag;
      next.client.push({ line, role: 'command', literalChars: 0 });
      this.assembler = new ImapInputAssembler();
      this.assembler.push(bytes);
      this.lastCommand = next;
    }
    next.lines.push(line);
    this.step = next;
    return [step];
  }

  private serverLine(line: TranscriptLine): void {
    const step = this.step;
    step.lines.push(line);
    if (this.response === null && !this.framerFailed && isPlainLine(line.text)) {
      // Between responses, a line that cannot end in a literal marker is a whole response: the framer
      // would hand it back as one first segment, so it is read without the trip through bytes.
      const response = plainExpectedResponse(line);
      step.server.push(response);
      this.responseStarted(response);
      response.lines.push(line);
      response.literalChars.push(0);
      return;
    }
    const frames = this.server.push(Buffer.concat([wireBytes(line.text), CRLF])) as ImapFrame[];
    let literalBytes = 0;
    let started = false;
    for (const frame of frames) {
      if (frame.type === 'error') this.framerFailed = true;
      if (frame.type === 'literal-data') literalBytes += frame.bytes.length;
      if (frame.type !== 'segment') continue;
      if (!frame.first) {
        if (this.response) this.response.complete = frame.literal === null;
        continue;
      }
      this.response = expectedResponse(parseImapResponseHead(frame.bytes.toString('utf8')), line);
      this.response.complete = frame.literal === null;
      step.server.push(this.response);
      started = true;
      this.responseStarted(this.response);
    }
    if (this.response) {
      this.response.lines.push(line);
      this.response.literalChars.push(started ? 0 : charsForOctets(line.text, literalBytes));
      if (this.response.complete) this.response = null;
    }
  }

  /** What a response's first line changes: a "+" opens a conversation, a completion may end a literal. */
  private responseStarted(response: ExpectedResponse): void {
    const step = this.step;
    const commandOpen = this.assembler?.incomplete === true;
    if (response.kind === 'continuation' && !commandOpen) this.continuationOpen = true;
    if (response.kind === 'tagged') {
      this.continuationOpen = false;
      if (commandOpen && response.tag === step.tag) {
        // RFC 3501 §7.5: a completion instead of "+": the client does not send the literal.
        this.assembler = null;
        step.incompleteLiteral = true;
      }
    }
  }
}

/** A response expected from its head (kind and tag), still without lines. */
function expectedResponse(head: ImapResponseHead, line: TranscriptLine): ExpectedResponse {
  return { kind: head.kind, tag: head.kind === 'tagged' ? head.tag : null, lines: [], literalChars: [], expectation: line.expectation, complete: true };
}

/**
 * The response a plain line starts, as expectedResponse() makes it from parseImapResponseHead(): its
 * kind and tag are all the script wants of the head, and they rest on the first word alone ("+",
 * "*" or a tag; RFC 3501 §7), so the rest of the head (status, code, data name) is not read.
 */
function plainExpectedResponse(line: TranscriptLine): ExpectedResponse {
  const text = line.text;
  let kind: ResponseKind = 'continuation';
  let tag: string | null = null;
  if (!isContinuationRequest(text)) {
    const space = text.indexOf(' ');
    const first = space < 0 ? text : text.slice(0, space);
    if (first === '*') kind = 'untagged';
    else {
      kind = 'tagged';
      tag = first;
    }
  }
  return { kind, tag, lines: [], literalChars: [], expectation: line.expectation, complete: true };
}

/**
 * Characters whose presence makes a line's bytes differ from its text in UTF-8, or the framer cut it:
 * an escape's backslash, a lone surrogate (UTF-8 cannot carry one), CR and LF. One character class:
 * no backtracking.
 */
const NOT_PLAIN = /[\\\r\n\ud800-\udfff]/;

/**
 * A line whose bytes are its text in UTF-8, that cannot end in a literal marker (its last character
 * is not "}") and that the framer takes whole (within its line cap): one line, one segment. Most
 * lines of a transcript are such lines, and reading them so keeps building the script of 10^4 steps
 * from costing as much as replaying it.
 */
function isPlainLine(text: string): boolean {
  return !text.endsWith('}') && text.length * 3 <= DEFAULT_MAX_LINE_BYTES && !NOT_PLAIN.test(text);
}

const CRLF = Buffer.from('\r\n');

/** Is this client line a `<secret>` standing for the literal the command is in the middle of? */
function isSecretLiteralLine(step: Step, text: string): boolean {
  if (text !== SECRET_PLACEHOLDER) return false;
  // The text segments so far: the command line, and what went on after each literal.
  const segments = step.client.map((c) => c.line.text.slice(c.literalChars)).filter((t, i) => i === 0 || t !== '');
  const literalIndex = segments.filter((t) => parseLiteralMarker(wireBytes(t)) !== null).length - 1;
  return literalIndex >= 0 && literalIsSecret(segments[0] ?? '', literalIndex, segments.slice(1));
}

/**
 * The largest literal a `<secret>` line may stand for. A password is short; a file that announces
 * `{4000000000}` before a `<secret>` must not make lint or replay allocate the stand-in (the line is
 * then read as plain literal data, and the literal as incomplete).
 */
export const MAX_SECRET_LITERAL_OCTETS = 64 * 1024;

/** A line that fills exactly the `need` octets left of a literal, its CRLF included. */
export function secretLiteralStandIn(need: number): Buffer {
  return Buffer.alloc(Math.max(0, need - 2), 0x78);
}

/**
 * An IMAP command step as its client sent it: the text segments (wire bytes, each but the last ending
 * in a literal's marker) and the literal after each, null for a `<secret>` line standing for a whole
 * literal (its octets were never recorded). Null for a step that is no command the transcript shows
 * whole: refused before its literal was sent (RFC 3501 §7.5), or cut short by the end of the file.
 */
export function commandAsSent(step: Step): { segments: Buffer[]; literals: Array<Buffer | null> } | null {
  if (step.kind !== 'command' || step.incompleteLiteral) return null;
  const assembler = new ImapInputAssembler();
  const secret = new Set<number>();
  let plan: ImapCommandPlan | null = null;
  for (const item of step.client) {
    if (item.secretLiteral === true && assembler.literalOctetsLeft > 0) {
      secret.add(assembler.literalsRead);
      plan = assembler.push(secretLiteralStandIn(assembler.literalOctetsLeft));
    } else {
      plan = assembler.push(wireBytes(item.line.text));
    }
  }
  if (plan === null) return null;
  return { segments: plan.segments, literals: plan.literals.map((l, i) => (secret.has(i) ? null : l.data)) };
}

// --- POP3 -------------------------------------------------------------------------------------------

/**
 * POP3 steps. A client may send several commands before their replies (RFC 2449 §6.6, PIPELINING),
 * as a proxy records them: the replies then answer the commands in order, each as long as its shape
 * says (a status line, or a status and a body up to "."). So replies go to the oldest command still
 * waiting for its reply, and a step is handed out once it is no longer waiting and a later one started.
 */
class Pop3ScriptBuilder implements ScriptBuilder {
  private step: Step = newStep('greeting');
  private lastCommand: Step | null = null;
  private readonly framer = new Pop3Framer();
  private continuationOpen = false;
  /** A required line was seen: the framer knows whether a greeting comes first. */
  private started = false;
  /** Steps not handed out yet, in order; the last is this.step. */
  private held: Step[] = [this.step];
  /** Command steps (and SASL answers) whose reply has not ended yet, oldest first. */
  private readonly awaiting: Step[] = [];

  get openFrom(): number {
    return this.held[0]?.lines[0]?.lineNo ?? Infinity;
  }

  end(): Step[] {
    const all = this.held;
    this.held = [];
    return all;
  }

  push(line: TranscriptLine): Step[] {
    if (!this.started && line.expectation === 'required') {
      this.started = true;
      // A transcript that starts with the client (an RFC excerpt) has no greeting: the framer must not
      // take the first reply for one.
      if (line.direction === 'C') this.framer.push(Buffer.from('+OK\r\n'));
    }
    if (line.direction === 'C') {
      let next: Step;
      if (this.continuationOpen) {
        next = newStep('response');
        next.command = this.lastCommand?.command ?? null;
        next.client.push({ line, role: 'response', literalChars: 0 });
        this.continuationOpen = false;
      } else {
        next = newStep('command');
        next.command = (line.text.trim().split(/\s+/)[0] ?? '').toUpperCase();
        next.client.push({ line, role: 'command', literalChars: 0 });
        this.framer.expect(pop3ReplyShapeFor(line.text));
        this.lastCommand = next;
      }
      next.lines.push(line);
      this.step = next;
      this.held.push(next);
      this.awaiting.push(next);
      return this.handOut();
    }
    // The oldest command still waiting takes the line; with none waiting, the latest step does.
    const step = this.awaiting[0] ?? this.step;
    step.lines.push(line);
    if (line.expectation !== 'required') {
      // Optional and forbidden lines say what may or must not come; they do not move the framing.
      step.server.push({ kind: 'status', tag: null, lines: [line], literalChars: [0], expectation: line.expectation, complete: true });
      return [];
    }
    const frames = this.framer.push(Buffer.concat([wireBytes(line.text), CRLF])) as Pop3Frame[];
    const frame = frames[0];
    const kind: ResponseKind =
      frame?.type === 'body-line' ? 'body' : frame?.type === 'end' ? 'end' : frame?.type === 'status' && frame.status === '+' ? 'continuation' : 'status';
    if (kind === 'continuation') this.continuationOpen = true;
    else if (kind === 'status' || kind === 'end') this.continuationOpen = false;
    step.server.push({ kind, tag: null, lines: [line], literalChars: [0], expectation: 'required', complete: true });
    // A reply ends with a status line that has no body, with a body's ".", or with a "+" (the SASL
    // answer that follows is a step of its own, and waits for the next reply).
    const ended = kind === 'end' || kind === 'continuation' || (frame?.type === 'status' && !frame.multiline) || frame === undefined;
    if (ended && step === this.awaiting[0]) this.awaiting.shift();
    return this.handOut();
  }

  /** The steps at the front that wait for nothing more, the current one excepted, handed out in order. */
  private handOut(): Step[] {
    const out: Step[] = [];
    while (this.held.length > 1 && !this.awaiting.includes(this.held[0] as Step)) out.push(this.held.shift() as Step);
    return out;
  }
}
