/**
 * The explanation engine: what each line of a POP3 or IMAP session means *here*, in English or
 * Russian, with the RFC section that says so. Pure protocol knowledge: no I/O, no terminal, no
 * events; the renderer, the shell, replay, lint (and step-through and handouts) all call it.
 *
 * API
 *   const explainer = new SessionExplainer('imap', 'ru');
 *   explainer.client('A142 SELECT INBOX')            // -> Explanation[] for a client line
 *   explainer.server('* 172 EXISTS')                 // -> Explanation[] for a server line
 *   explainer.context                                // protocol, state, mailbox, greeting timestamp,
 *                                                    // pending literal, commands in flight (read-only)
 *   explainTranscriptLines('pop3', lines, 'en')      // -> Map lineNo -> Explanation[] for a transcript
 *
 *   Explanation = { key, rfc, text }: `key` is the catalogue key (`imap.response.EXISTS`), `rfc` the
 *   section (`RFC 3501 §7.3.1`), `text` the line in the chosen language. Zero or more per input line:
 *   literal data and continuation segments get none, a completion that changes the state gets a
 *   second line ("now in the Selected state: INBOX, read-write").
 *
 *   Both methods take an optional `part` saying what the line is, as a live session knows it (client:
 *   command | literal | continued | response; server: first | continued | status | body | end). Without
 *   it (a transcript file), the explainer works it out itself: it counts literal octets announced by
 *   `{n}`, knows which POP3 replies are multi-line, and which client lines answer a "+".
 *
 *   Values taken from the line (mailbox names, flags, user names, timestamps) are cut to a few dozen
 *   characters but NOT escaped: every sink escapes for its medium (render/escape.ts for terminals and
 *   transcripts, HTML escaping for pages), as with any other server- or file-derived text.
 *
 * The context follows the session: the state (RFC 3501 §3, RFC 1939 §3) after greetings, logins,
 * SELECT/EXAMINE/CLOSE/UNSELECT, LOGOUT/QUIT and BYE; the selected mailbox and whether it is
 * read-only; the POP3 greeting's APOP timestamp; the synchronizing literal waiting for "+"; the POP3
 * messages marked deleted. The explain functions (imap-explainer.ts, pop3-explainer.ts) read it;
 * only this class changes it.
 */
import { analyzeImapLine } from '../imap/request.js';
import { parseImapResponseHead } from '../imap/response.js';
import { isPreliminaryGreeting } from '../preliminary-greetings.js';
import { greetingTimestamp } from '../pop3/apop.js';
import { findImapCommand, type ImapState } from '../imap/commands.js';
import { imapStateMove } from '../imap/state-moves.js';
import { findPop3Command, pop3ReplyShapeFor } from '../pop3/commands.js';
import { decodedMailboxName, explainFetchContinuation, firstMailbox, explainImapAnswer, explainImapCommand, explainImapResponse } from './imap-explainer.js';
import { literalAtEnd } from './literal-marker.js';
import { initialContext, type CommandInFlight, type ExplainContext, type ExplainProtocol } from './context.js';
import type { Language } from './language.js';
import { explainPop3Answer, explainPop3BodyLine, explainPop3Command, explainPop3End, explainPop3Status } from './pop3-explainer.js';
import { Words, type Explanation } from './words.js';

export type { Explanation } from './words.js';
export type { ExplainContext } from './context.js';

export type ClientPart = 'command' | 'literal' | 'continued' | 'response';
export type ServerPart = 'first' | 'continued' | 'status' | 'body' | 'end';

/** Commands whose first argument is a mailbox the context remembers. */
const MAILBOX_COMMANDS = new Set(['SELECT', 'EXAMINE']);


/**
 * A transcript that starts with a command, not with the greeting, starts in the middle of a
 * session: the state is the least one in which that command is valid, so that an excerpt (the
 * slides' `A201 SEARCH TEXT "tomorrow"`) is not taken for a command out of its state.
 */
function inferredImapState(line: string): ExplainContext['state'] {
  const a = analyzeImapLine(line);
  const spec = findImapCommand(a.command.split(' ')[0] ?? '');
  // CAPABILITY, NOOP, LOGOUT are valid in every state (RFC 3501 §6.1): they tell none; the next may.
  if (spec === undefined || spec.states.length >= 3) return 'unknown';
  return spec.states[0] ?? 'unknown';
}

function inferredPop3State(line: string): ExplainContext['state'] {
  const spec = findPop3Command(line.trim().split(/[ \t]+/)[0] ?? '');
  // QUIT and CAPA are valid in AUTHORIZATION and TRANSACTION alike: they tell neither.
  if (spec === undefined || spec.states.length >= 2) return 'unknown';
  return spec.states[0] ?? 'unknown';
}

export class SessionExplainer {
  readonly #words: Words;
  readonly #ctx: ExplainContext;
  /** Where the last IMAP move of state is defined (RFC 3501 §3, RFC 8437 §3), for the line that says it. */
  #movedBy: string | null = null;
  /** Transcript reading: octets of literal data still to come from the client / the server. */
  #clientLiteralLeft = 0;
  #serverLiteralLeft = 0;
  /** Transcript reading: the next server line continues a response after its literal. */
  #serverContinues = false;
  /** Transcript reading: the next client line continues a command after its literal. */
  #clientContinues = false;
  /** The server asked the client to go on (AUTHENTICATE, AUTH, IDLE): the next client line answers. */
  #answerAwaited = false;
  /** The message number of a FETCH response whose lines go on after a literal (explained as they come). */
  #fetchContinues: number | null = null;
  /** Transcript reading: the text of the last continued line after its literal's octets. */
  #continuedText = '';
  /** Transcript reading: the SELECT/EXAMINE whose mailbox name is the client literal being read. */
  #literalMailbox: CommandInFlight | null = null;
  /** What the last line was read as. */
  #lastPart: ClientPart | ServerPart | null = null;
  /** Lines are transcript text (see the constructor). */
  readonly #transcript: boolean;

  /**
   * `transcript`: the lines are a transcript's text, in which `$` marks a pattern hole (a value the
   * recorder did not keep, as the greeting's APOP timestamp `<$>`): explanations then say that such
   * a value varies, instead of quoting the hole as if the server had sent it.
   */
  constructor(protocol: ExplainProtocol, language: Language, { transcript = false }: { transcript?: boolean } = {}) {
    this.#words = new Words(language, { holes: transcript });
    this.#transcript = transcript;
    this.#ctx = initialContext(protocol);
  }

  /** The connection is protected by TLS from now on (implicit TLS, or a STARTTLS handshake done). */
  tlsStarted(): void {
    this.#ctx.tls = true;
  }

  /** What the explainer knows of the session (read it, do not change it). */
  get context(): Readonly<ExplainContext> {
    return this.#ctx;
  }

  get language(): Language {
    return this.#words.language;
  }

  /**
   * What the last line was read as: client command | literal | continued | response, server first |
   * continued | status | body | end. Literal data, continued segments and message text get no
   * explanation; every other line does.
   */
  get lastPart(): ClientPart | ServerPart | null {
    return this.#lastPart;
  }

  /** A line the client sent. */
  client(line: string, part?: ClientPart): Explanation[] {
    const kind = part ?? this.#clientPart(line);
    this.#lastPart = kind === 'command' && this.#answerAwaited ? 'response' : kind;
    if (this.#ctx.protocol === 'pop3') return this.#pop3Client(line, kind);
    switch (kind) {
      case 'literal':
      case 'continued': {
        if (kind === 'continued') this.#clientContinues = false;
        const literal = kind === 'continued' ? literalAtEnd(line) : null;
        if (literal) this.#announceClientLiteral(literal, part === undefined);
        return [];
      }
      case 'response':
        this.#answerAwaited = false;
        return explainImapAnswer(line, this.#ctx, this.#words);
      case 'command':
        return this.#imapCommand(line, part === undefined);
    }
  }

  /** A line the server sent. */
  server(line: string, part?: ServerPart): Explanation[] {
    if (this.#ctx.protocol === 'pop3') return this.#pop3Server(line, part);
    const kind = part ?? this.#serverPart(line);
    this.#lastPart = kind;
    if (kind === 'continued' && this.#fetchContinues !== null) {
      const n = this.#fetchContinues;
      // Read from a transcript, a line may hold the literal's last octets before the items.
      const text = part === undefined ? this.#continuedText : line;
      if (literalAtEnd(text) === null) this.#fetchContinues = null;
      return explainFetchContinuation(n, text, this.#words, !this.#ctx.inFlight.some((c) => /^(UID )?FETCH$/.test(c.name)));
    }
    if (kind !== 'first') return [];
    // `* 3 FETCH (BODY[] {342}`: what follows the literal is more of message 3's items.
    const fetch = literalAtEnd(line) === null ? null : /^\* (\d{1,10}) FETCH /i.exec(line);
    this.#fetchContinues = fetch ? Number(fetch[1]) : null;
    const before = this.#snapshot();
    const explanations = explainImapResponse(line, this.#ctx, this.#words);
    this.#movedBy = null;
    this.#applyImapResponse(line);
    if (part === undefined) {
      const literal = literalAtEnd(line);
      if (literal) this.#expectServerLiteral(literal);
    }
    return this.#withStateChange(before, explanations);
  }

  #clientPart(line: string): ClientPart {
    if (this.#clientLiteralLeft > 0) return this.#consumeClientLiteral(line);
    if (this.#ctx.pendingLiteral !== null) {
      // The client sent its literal without a "+" shown (as RFC 3501 §6.4.4's example does).
      this.#startClientLiteral(this.#ctx.pendingLiteral);
      this.#ctx.pendingLiteral = null;
      return this.#clientPart(line);
    }
    if (this.#clientContinues) return 'continued';
    if (this.#answerAwaited) return 'response';
    return 'command';
  }

  /** A transcript line of client literal data: its octets and its CRLF count (RFC 3501 §4.3). */
  #consumeClientLiteral(line: string): ClientPart {
    const octets = Buffer.byteLength(line, 'utf8');
    if (octets + 2 <= this.#clientLiteralLeft) {
      // A name with a line break in it is no name to tell: the command keeps its "{n}".
      this.#literalMailbox = null;
      this.#clientLiteralLeft -= octets + 2;
      if (this.#clientLiteralLeft === 0) this.#clientContinues = true;
      return 'literal';
    }
    // The literal ends inside this line (RFC 3501 §7.5's "FRED FOOBAR {7}"): the rest goes on with the command.
    const bytes = Buffer.from(line, 'utf8');
    if (this.#literalMailbox) this.#literalMailbox.mailbox = bytes.subarray(0, this.#clientLiteralLeft).toString('utf8');
    this.#literalMailbox = null;
    const rest = bytes.subarray(this.#clientLiteralLeft).toString('utf8');
    this.#clientLiteralLeft = 0;
    const literal = literalAtEnd(rest);
    if (literal) this.#announceClientLiteral(literal, true);
    return 'literal';
  }

  #announceClientLiteral(literal: { size: number; sync: boolean }, counting: boolean): void {
    if (literal.sync) this.#ctx.pendingLiteral = literal.size;
    else if (counting) this.#startClientLiteral(literal.size);
  }

  /** Client literal data of `size` octets comes next; `{0}` is over at once and the command goes on. */
  #startClientLiteral(size: number): void {
    this.#clientLiteralLeft = size;
    if (size === 0) this.#clientContinues = true;
  }

  /**
   * After a server line that ends in a literal (or in none: null), what the next line is: literal
   * data, or with `{0}` the rest of the response at once (RFC 3501 §4.3: a literal may be empty).
   */
  #expectServerLiteral(literal: { size: number } | null): void {
    this.#serverLiteralLeft = literal?.size ?? 0;
    this.#serverContinues = literal !== null && literal.size === 0;
  }

  #serverPart(line: string): ServerPart {
    if (this.#serverLiteralLeft > 0) {
      const octets = Buffer.byteLength(line, 'utf8');
      if (octets + 2 <= this.#serverLiteralLeft) {
        this.#serverLiteralLeft -= octets + 2;
        if (this.#serverLiteralLeft === 0) this.#serverContinues = true;
        return 'body';
      }
      const rest = Buffer.from(line, 'utf8').subarray(this.#serverLiteralLeft).toString('utf8');
      this.#expectServerLiteral(literalAtEnd(rest));
      this.#continuedText = rest;
      return 'continued';
    }
    if (this.#serverContinues) {
      this.#expectServerLiteral(literalAtEnd(line));
      this.#continuedText = line;
      return 'continued';
    }
    return 'first';
  }

  #imapCommand(line: string, counting: boolean): Explanation[] {
    if (this.#ctx.state === 'greeting' || this.#ctx.state === 'unknown') this.#ctx.state = inferredImapState(line);
    const explanations = explainImapCommand(line, this.#ctx, this.#words);
    const a = analyzeImapLine(line);
    if (a.command === '') return explanations;
    const command: CommandInFlight = {
      tag: a.tag ?? '',
      name: a.command,
      args: a.args,
      mailbox: MAILBOX_COMMANDS.has(a.command) ? firstMailbox(a.args) : null,
    };
    this.#ctx.inFlight.push(command);
    // `SELECT {11}`: the name is the literal's octets, read with them (transcript reading).
    this.#literalMailbox = command.mailbox !== null && literalAtEnd(command.mailbox) !== null && counting ? command : null;
    if (this.#ctx.inFlight.length > 256) this.#ctx.inFlight.shift();
    const literal = literalAtEnd(line);
    if (literal) this.#announceClientLiteral(literal, counting);
    return explanations;
  }

  #applyImapResponse(line: string): void {
    const ctx = this.#ctx;
    const head = parseImapResponseHead(line);
    if (head.kind === 'continuation') {
      if (ctx.pendingLiteral !== null) {
        this.#startClientLiteral(ctx.pendingLiteral);
        ctx.pendingLiteral = null;
      } else {
        this.#answerAwaited = ctx.inFlight.some((c) => c.name === 'AUTHENTICATE' || c.name === 'IDLE');
      }
      return;
    }
    if (head.kind === 'untagged') {
      // A line before the real greeting: the greeting is still to come.
      if (ctx.state === 'greeting' && isPreliminaryGreeting(line, 'imap')) return;
      if (ctx.state === 'greeting' && (head.status === null || head.status === 'NO' || head.status === 'BAD')) {
        // RFC 3501 §7.1: the greeting is an untagged OK, PREAUTH or BYE; a transcript that starts with
        // server data (`* QUOTA ...`) is an excerpt from the middle of a session.
        ctx.state = 'unknown';
      } else if (ctx.state === 'greeting') {
        ctx.state = head.status === 'PREAUTH' ? 'authenticated' : head.status === 'BYE' ? 'logout' : 'not-authenticated';
      } else if (head.status === 'BYE') {
        ctx.state = 'logout';
      }
      return;
    }
    const index = ctx.inFlight.findIndex((c) => c.tag === head.tag);
    if (index < 0) return;
    const command = ctx.inFlight[index] as CommandInFlight;
    ctx.inFlight.splice(index, 1);
    this.#answerAwaited = false;
    ctx.pendingLiteral = null;
    const ok = head.status === 'OK';
    // The state table (imap/state-moves.ts), which the session and lint read too.
    const move = imapStateMove(command.name, ok, ctx.state as ImapState | 'unknown' | 'greeting');
    if (move) {
      this.#movedBy = move.rfc;
      ctx.state = move.to;
      ctx.mailbox = move.to === 'selected' ? { name: command.mailbox ?? '?', readOnly: command.name === 'EXAMINE' || head.code?.name === 'READ-ONLY' } : null;
    }
    // RFC 3501 §6.2.1: the handshake starts right after this OK.
    if (ok && command.name === 'STARTTLS') ctx.tls = true;
  }

  #pop3Client(line: string, kind: ClientPart): Explanation[] {
    if (this.#ctx.state === 'greeting' || this.#ctx.state === 'unknown') this.#ctx.state = inferredPop3State(line);
    if (kind === 'response' || this.#answerAwaited) {
      this.#answerAwaited = false;
      return explainPop3Answer(line, this.#words);
    }
    const explanations = explainPop3Command(line, this.#ctx, this.#words);
    const [name = '', ...rest] = line.trim().split(/[ \t]+/);
    if (name !== '') {
      this.#ctx.inFlight.push({ tag: '', name: name.toUpperCase(), args: rest.join(' '), mailbox: null });
      if (this.#ctx.inFlight.length > 256) this.#ctx.inFlight.shift();
    }
    return explanations;
  }

  #pop3Server(line: string, part: ServerPart | undefined): Explanation[] {
    const ctx = this.#ctx;
    // A live session knows which lines are body lines; a transcript is read with what the explainer knows.
    const inBody = part === undefined ? ctx.multiline !== null : part === 'body' || part === 'end';
    if (inBody) {
      // RFC 1939 §3: a line holding only "." ends the reply; in a transcript file a stuffed ".." line is data.
      if (part === 'end' || (part === undefined && line === '.')) {
        this.#lastPart = 'end';
        ctx.multiline = null;
        return explainPop3End(this.#words);
      }
      const index = ctx.multiline ? ctx.multiline.lines++ : 1;
      this.#lastPart = 'body';
      return explainPop3BodyLine(line, ctx.multiline?.command, index, this.#words);
    }
    this.#lastPart = 'status';
    const before = this.#snapshot();
    const isContinuation = line === '+' || line.startsWith('+ ');
    const ok = /^\+OK\b/i.test(line);
    // A line before the real greeting: the greeting is still to come.
    const preliminary = ctx.state === 'greeting' && isPreliminaryGreeting(line, 'pop3');
    if (ctx.state === 'greeting') ctx.greetingTimestamp = greetingTimestamp(line) ?? (this.#transcript ? timestampHole(line) : null);
    const command = isContinuation || ctx.state === 'greeting' ? ctx.inFlight[0] : ctx.inFlight.shift();
    const explanations = explainPop3Status(line, ctx.state === 'greeting' ? undefined : command, ctx, this.#words);
    if (isContinuation) {
      this.#answerAwaited = true;
      return explanations;
    }
    this.#answerAwaited = false;
    if (preliminary) return explanations;
    if (ctx.state === 'greeting') {
      ctx.state = ok ? 'authorization' : 'update';
    } else if (ok && command) {
      this.#applyPop3Ok(command);
    }
    return this.#withStateChange(before, explanations);
  }

  #applyPop3Ok(command: CommandInFlight): void {
    const ctx = this.#ctx;
    switch (command.name) {
      case 'PASS':
      case 'APOP':
        ctx.state = 'transaction';
        break;
      case 'AUTH':
        if (command.args.trim() !== '') ctx.state = 'transaction';
        break;
      case 'DELE': {
        const n = Number(command.args.split(/[ \t]+/)[0]);
        if (Number.isSafeInteger(n) && ctx.markedDeleted.size < 100_000) ctx.markedDeleted.add(n);
        break;
      }
      case 'RSET':
        ctx.markedDeleted.clear();
        break;
      case 'QUIT':
        // RFC 1939 §6: QUIT in TRANSACTION enters UPDATE, where the marked messages go.
        if (ctx.state === 'transaction') ctx.state = 'update';
        break;
      case 'STLS':
        // RFC 2595 §4: the handshake starts right after this +OK.
        ctx.tls = true;
        break;
    }
    const line = `${command.name}${command.args === '' ? '' : ` ${command.args}`}`;
    if (pop3ReplyShapeFor(line) === 'multiline-if-ok') ctx.multiline = { command, lines: 0 };
  }

  #snapshot(): { state: ExplainContext['state']; mailbox: string | null } {
    return { state: this.#ctx.state, mailbox: this.#ctx.mailbox?.name ?? null };
  }

  /** Adds "now in the ... state" when the line changed the state (or the selected mailbox). */
  #withStateChange(before: { state: ExplainContext['state']; mailbox: string | null }, explanations: Explanation[]): Explanation[] {
    const ctx = this.#ctx;
    const mailbox = ctx.mailbox?.name ?? null;
    if (ctx.state === before.state && mailbox === before.mailbox) return explanations;
    if (ctx.state === 'greeting' || ctx.state === 'unknown') return explanations;
    const w = this.#words;
    const state = w.text(`state.${ctx.protocol}.${ctx.state}`);
    const rfc = ctx.protocol === 'imap' ? (this.#movedBy ?? 'RFC 3501 §3') : 'RFC 1939 §3';
    if (ctx.state === 'selected' && ctx.mailbox) {
      const key = ctx.mailbox.readOnly ? 'state.now.selected-read-only' : 'state.now.selected';
      // The state line says read-write or read-only: the code's own line would say it twice.
      const rest = explanations.filter((e) => e.key !== 'imap.code.READ-WRITE' && e.key !== 'imap.code.READ-ONLY');
      return [...rest, w.say(key, rfc, { state, mailbox: decodedMailboxName(ctx.mailbox.name).slice(0, 80) })];
    }
    return [...explanations, w.say('state.now', rfc, { state })];
  }
}

/** A line of a transcript, as transcript/format.ts reads it. */
export interface TranscriptLineInput {
  lineNo: number;
  direction: 'C' | 'S';
  text: string;
}

/** The explanations of every line of a transcript, by line number (lines without any are left out). */
export function explainTranscriptLines(protocol: ExplainProtocol, lines: readonly TranscriptLineInput[], language: Language): Map<number, Explanation[]> {
  const explainer = new SessionExplainer(protocol, language, { transcript: true });
  const out = new Map<number, Explanation[]>();
  for (const line of lines) {
    const explanations = line.direction === 'C' ? explainer.client(line.text) : explainer.server(line.text);
    if (explanations.length > 0) out.set(line.lineNo, explanations);
  }
  return out;
}

/**
 * The greeting's APOP timestamp as a recording holds it: `<$>` (or a named hole), the last "<...>"
 * of the line, as greetingTimestamp() takes the last msg-id. Null when the greeting has none.
 */
function timestampHole(line: string): string | null {
  const found = line.match(/<\$[A-Za-z0-9_]*>/g);
  return found ? (found[found.length - 1] ?? null) : null;
}
