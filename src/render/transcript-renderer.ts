/**
 * Session events to text: RFC-style transcript lines, `C: ` before what the client sent and `S: ` before
 * what the server sent, so that what a session shows is itself a transcript. With colors and
 * annotations off, the same output is the `--record` file.
 *
 * Server output is shown as its wire bytes split at CRLF. IMAP literals stream: each piece is written as
 * it comes, possibly as a partial line, holding back at most a CR and the start of a UTF-8 sequence.
 * A literal that does not end in CRLF leaves its line open, and the next segment of the response goes
 * on on that line: RFC 3501 §7.5 shows `FRED FOOBAR {7}` this way, and §8 shows the literal's lines and
 * then `S: )`. Any other event first ends an open line, so output never garbles.
 *
 * An empty line is written as `S:` (or `C:`) alone, as the RFCs print it.
 */
import type { DecodedViewKind } from '../protocol/imap/decoded-views.js';
import type { ClientLinePart, EventHandlers, Protocol, SessionEvent } from '../session/events.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { displayFormOfText, textOfDisplayForm } from '../protocol/display-form.js';
import { escapeDisplayLines, escapeDisplayText, escapeServerText, plainCrlfLineEnds, StreamingEscaper } from './escape.js';
import { PlainLines } from './plain-lines.js';
import { lexImapContinuedSegment, lexImapResponse, lexPop3Status } from './lexers.js';
import { clientLineSpans } from './line-spans.js';
import type { Role, Span } from './roles.js';
import { sayWith } from '../protocol/explain/said.js';
import { formatTlsDetails } from './tls-details.js';
import { ENGLISH_WORDS, type SessionWords } from './session-words.js';
import { plainStyle, type Styler } from './plain-style.js';
import type { ColorLevel } from './theme.js';

export interface RenderOptions {
  colorLevel: ColorLevel;
  /**
   * The palette for colorLevel (`makeStyler(colorLevel)` of theme.ts); needed above level 0. Given by
   * the caller so that plain output never loads chalk.
   */
  style?: Styler;
  /** Latencies and literal size notes: for a terminal only, never in a recorded transcript. */
  annotate: boolean;
  /** --show-certs: under each TLS summary, the details (chain, ALPN, SNI, verification) as comment lines. */
  showCerts?: boolean;
  /**
   * Decoded views to show as `#` lines under the response they decode (mUTF-7 mailbox names, ENVELOPE
   * encoded-words, BODYSTRUCTURE trees); none by default, so a recorded transcript holds wire lines only.
   */
  decodedViews?: ReadonlySet<DecodedViewKind>;
  /**
   * Explanations (--explain, .explain): under each command and response, what it means here, as `#`
   * lines. A new explainer follows each connection from its first line (even while `explain` is off,
   * so that `.explain on` mid-session knows the state, the mailbox and the greeting).
   */
  explainerFor?: (protocol: Protocol) => LineExplainer;
  explain?: boolean;
  /**
   * The words of mailwire's own lines (the connection, TLS, notices, annotations, the headings of
   * decoded views) in the display's language (session-words.ts); English when absent. A recording's
   * renderer never has any: a transcript's comments stay in English whatever the session's language.
   */
  words?: SessionWords;
  /**
   * False sends every piece of a literal through the escaper a line at a time, as the fast path for
   * plain text must show it: the reference the fast path is tested against. True by default.
   */
  literalFastPath?: boolean;
  /**
   * Output memory the fast path takes at least for a piece (128 KiB by default, so that one buffer
   * serves every socket read); tests set 0 to give each piece the least memory its lines fit in.
   */
  literalOutputOctets?: number;
}

/** What the renderer needs of protocol/explain's SessionExplainer. */
export interface LineExplainer {
  client(line: string, part: ClientLinePart): ReadonlyArray<{ text: string; rfc: string }>;
  server(line: string, part: 'first' | 'continued' | 'status' | 'body' | 'end'): ReadonlyArray<{ text: string; rfc: string }>;
  /** TLS protects the connection from now on (a password then goes protected). */
  tlsStarted?(): void;
}

/** Every decoded view: what a terminal and scripted output show unless told otherwise. */
export const ALL_DECODED_VIEWS: ReadonlySet<DecodedViewKind> = new Set(['mailbox', 'envelope', 'bodystructure']);

const CR = 0x0d;
const LF = 0x0a;
const CR_BYTE = Buffer.from([CR]);
const CRLF = Buffer.from([CR, LF]);
/** Output memory for a plain literal piece: a socket read of 64 KiB and its prefixes fit. */
const MIN_OUTPUT_OCTETS = 128 * 1024;

/** Where a streaming IMAP literal stands between two pieces. */
interface LiteralState {
  escaper: StreamingEscaper;
  /** The last piece ended in CR: a CRLF if the next piece starts with LF, else a lone CR. */
  pendingCr: boolean;
  /** Something of the current wire line has been shown (so its prefix has been written). */
  lineStarted: boolean;
}

/** Renders session events one at a time; keeps only the state of an open line and a streaming literal. */
export class TranscriptRenderer {
  readonly #opts: RenderOptions;
  #decoded: ReadonlySet<DecodedViewKind>;
  #explain: boolean;
  #explainer: LineExplainer | null = null;
  /** The display's words other than English; null for English, whose lines keep their own fast path. */
  readonly #words: SessionWords | null;
  readonly #style: (spans: readonly Span[]) => string;
  readonly #handlers: EventHandlers<string>;
  /** The last text written ends without "\n" (a literal piece left its line open). */
  #lineOpen = false;
  /** The literal being received, between a segment announcing it and its literal-end. */
  #literal: LiteralState | null = null;
  readonly #prefixServer: string;
  readonly #prefixEmptyServer: string;
  /** Styles literal text: the palette's open and close codes around it (escaped text holds no ESC). */
  readonly #wrapLiteral: (text: string) => string;
  /** What styles an annotation (a decoded view's line), around its escaped text. */
  readonly #annotation: { open: string; close: string };
  /**
   * Plain literal text as bytes: what goes before a line's text where the prefix is written too, and
   * before it on a line already open; what goes after it; an empty line whole.
   */
  readonly #literalBytes: { start: Buffer; open: Buffer; close: Buffer; prefix: Buffer; end: Buffer; empty: Buffer };
  /**
   * The memory of plain literal pieces handed out by renderForWrite, and of one given back written
   * (releaseWritten): the next piece goes into that one. Fresh memory costs far more than the copy
   * into it (about 0.1 ms for 64 KiB against 1 µs, the first touch of its pages), so a message body
   * streams through two buffers instead of one new buffer per socket read.
   */
  readonly #lent = new WeakSet<ArrayBuffer>();
  #spare: ArrayBuffer | null = null;

  constructor(opts: RenderOptions) {
    this.#opts = { ...opts };
    this.#decoded = opts.decodedViews ?? new Set();
    this.#explain = opts.explain === true;
    this.#words = opts.words === undefined || opts.words.language === 'en' ? null : opts.words;
    // The palette comes from the caller (theme.ts's makeStyler): chalk is not loaded for plain output.
    if (opts.colorLevel > 0 && opts.style === undefined) throw new Error(`a renderer at color level ${opts.colorLevel} needs its style`);
    this.#style = opts.style ?? plainStyle;
    // Styled once: the literal fast path writes them for every line.
    this.#prefixServer = this.#style([{ role: 'prefix-server', text: 'S: ' }]);
    this.#prefixEmptyServer = `${this.#style([{ role: 'prefix-server', text: 'S:' }])}\n`;
    const [open = '', close = ''] = this.#style([{ role: 'literal', text: '\0' }]).split('\0');
    // Escaped text holds no ESC and no line end, so a style is its open and close codes around it.
    const [annotationOpen = '', annotationClose = ''] = this.#style([{ role: 'annotation', text: '\0' }]).split('\0');
    this.#annotation = { open: annotationOpen, close: annotationClose };
    this.#wrapLiteral = open === '' && close === '' ? (text) => text : (text) => open + text + close;
    this.#literalBytes = {
      start: Buffer.from(this.#prefixServer + open),
      open: Buffer.from(open),
      close: Buffer.from(close),
      prefix: Buffer.from(this.#prefixServer),
      end: Buffer.from(`${close}\n`),
      empty: Buffer.from(this.#prefixEmptyServer),
    };
    this.#handlers = {
      connected: (e) => {
        this.#explainer = this.#opts.explainerFor?.(e.protocol) ?? null;
        return this.#endOpenLine() + this.#comment([{ role: 'tls', text: connectedText(e, this.#words ?? ENGLISH_WORDS) }]);
      },
      tls: (e) => {
        this.#explainer?.tlsStarted?.();
        return this.#endOpenLine() + this.#comment(tlsSpans(e.summary, this.#words ?? ENGLISH_WORDS)) + this.#tlsDetails(e.summary);
      },
      // Explainers read the text that crossed the wire (a quoted string's backslashes are IMAP's own);
      // what they say is shown in display form, as the line is. A client line's text is in display
      // form already (escaping it again changes nothing, and keeps a stray control off the screen).
      'client-line': (e) =>
        this.#endOpenLine() +
        this.#line('C:', clientSpans(e.protocol, e.part, escapeDisplayText(e.text))) +
        this.#explained(this.#explainerOf(e.protocol)?.client(textOfDisplayForm(e.text), e.part)),
      'imap-segment': (e) =>
        this.#imapSegment(e) + this.#explained(this.#explainerOf('imap')?.server(e.bytes.toString('utf8'), e.first ? 'first' : 'continued')),
      'imap-literal-data': (e) => textOf(this.#literalPiece(e.bytes)),
      'imap-literal-end': () => this.#literalEnd(),
      'pop3-status': (e) =>
        this.#endOpenLine() +
        this.#line('S:', lexPop3Status(escapeServerText(e.bytes)), this.#latency(e.latencyMs)) +
        this.#explained(this.#explainerOf('pop3')?.server(e.bytes.toString('utf8'), 'status')),
      'pop3-body-line': (e) => {
        // RFC 1939 §3: on the wire, a line starting with "." carries one more "." in front. It is shown
        // so, on a terminal as in a recording: un-stuffed, the message line "." would read as the
        // end of the reply, and every line would stop being the wire line a transcript holds.
        const text = e.stuffed ? `.${escapeServerText(e.bytes)}` : escapeServerText(e.bytes);
        const explained = this.#explained(this.#explainerOf('pop3')?.server(e.stuffed ? `.${e.bytes.toString('utf8')}` : e.bytes.toString('utf8'), 'body'));
        return this.#endOpenLine() + this.#line('S:', [{ role: 'pop3-body', text }]) + explained;
      },
      // RFC 1939 §3: the terminator is "." alone; anything beside it would read as part of the wire
      // line, so the reply's latency goes below it.
      'pop3-end': (e) =>
        this.#endOpenLine() +
        this.#line('S:', [{ role: 'pop3-terminator', text: '.' }]) +
        (this.#opts.annotate && e.latencyMs !== undefined ? this.#comment([{ role: 'annotation', text: this.#notice('notice.reply-time', Math.round(e.latencyMs)) }]) : '') +
        this.#explained(this.#explainerOf('pop3')?.server('.', 'end')),
      sasl: (e) => this.#endOpenLine() + this.#comment(saslSpans(e)),
      notice: (e) => {
        const role: Role = `notice-${e.level}`;
        const words = this.#words;
        const label = e.level === 'info' ? '' : `${words === null ? e.level : words.notice({ key: `notice.level.${e.level}` })}: `;
        // In the display's language when it is a sentence of the catalogues; values are inserted as
        // they are, and the whole line escaped, as the English one is.
        const text = words !== null && e.said !== undefined ? words.notice(e.said) : e.text;
        // One comment line per line of the notice, so the transcript stays line-oriented.
        const lines = text.split(/\r?\n/).map((l) => this.#comment([{ role, text: label + escapeDisplayText(l) }]));
        return this.#endOpenLine() + lines.join('');
      },
      decoded: (e) => {
        if (!this.#decoded.has(e.view)) return '';
        // Indented under the response, so a reader tells mailwire's reading from its remarks.
        const { open, close } = this.#annotation;
        // The heading in the display's language: the first line is its English words.
        const lines = this.#words !== null && e.heading !== undefined ? [this.#words.notice(e.heading), ...e.lines.slice(1)] : e.lines;
        return this.#endOpenLine() + escapeDisplayLines(lines, `${open}#   `, `${close}\n`);
      },
      closed: (e) => {
        const reason = escapeDisplayText(e.reason);
        const w = this.#words ?? ENGLISH_WORDS;
        // Reasons often say "connection closed ..." themselves: do not say it twice. (A reason is an
        // error's message, which is English.)
        const text = reason === '' ? w.notice({ key: 'notice.closed' }) : /^connection /.test(reason) ? reason : w.notice({ key: 'notice.closed.reason', values: { reason } });
        return this.#endOpenLine() + this.#comment([{ role: 'notice-info', text }]);
      },
    };
  }

  /**
   * Text to write for one event: possibly empty, usually whole lines each ending in "\n", or a partial
   * line while an IMAP literal streams.
   */
  render(event: SessionEvent): string {
    const handler = this.#handlers[event.kind] as (e: SessionEvent) => string;
    return handler(event);
  }

  /**
   * The same output as `render`, for writing: a piece of plain literal text comes as the bytes to
   * write (its lines copied with their prefixes, never decoded into a string), anything else as text.
   * What a 500 MB message body costs to show is then about what it costs to copy.
   */
  renderForWrite(event: SessionEvent): string | Buffer {
    return event.kind === 'imap-literal-data' ? this.#literalPiece(event.bytes) : this.render(event);
  }

  /**
   * Gives back a Buffer that renderForWrite returned, once nothing holds it any more (the write
   * callback of a stream that is then done with what it wrote): its memory takes a later piece.
   * Anything else is ignored.
   */
  releaseWritten(written: Buffer): void {
    const memory = written.buffer;
    if (memory instanceof ArrayBuffer && this.#lent.has(memory)) this.#spare = memory;
  }

  /** Which decoded views are shown from now on (the shell's toggles). */
  setDecodedViews(views: ReadonlySet<DecodedViewKind>): void {
    this.#decoded = new Set(views);
  }

  /** Whether explanations are shown from now on (the shell's .explain). */
  setExplain(on: boolean): void {
    this.#explain = on;
  }

  /** Explanations are shown. */
  get explain(): boolean {
    return this.#explain;
  }

  /** The explainer of this connection (made at its first line when no 'connected' came before). */
  #explainerOf(protocol: Protocol): LineExplainer | null {
    this.#explainer ??= this.#opts.explainerFor?.(protocol) ?? null;
    return this.#explainer;
  }

  /**
   * Explanation lines under the line just written, indented like the decoded views. Their values come
   * from the server or a file: in display form here, like everything else shown.
   */
  #explained(explanations: ReadonlyArray<{ text: string; rfc: string }> | undefined): string {
    if (!this.#explain || explanations === undefined) return '';
    return explanations
      .map((x) =>
        this.#comment([
          { role: 'explanation', text: `  ${displayFormOfText(x.text)}` },
          { role: 'explanation-rfc', text: x.rfc === '' ? '' : ` (${escapeDisplayText(x.rfc)})` },
        ]),
      )
      .join('');
  }

  /** The decoded views shown. */
  get decodedViews(): ReadonlySet<DecodedViewKind> {
    return this.#decoded;
  }

  /** Ends a line left open (mid-literal when the connection broke): write it before anything else. */
  finish(): string {
    return this.#endOpenLine();
  }

  #endOpenLine(): string {
    if (!this.#lineOpen) return '';
    this.#lineOpen = false;
    return '\n';
  }

  /** A whole line: prefix (alone when the line is empty, as the RFCs print it), spans, annotations. */
  #line(prefix: 'C:' | 'S:', spans: readonly Span[], notes: readonly Span[] = []): string {
    const role: Role = prefix === 'C:' ? 'prefix-client' : 'prefix-server';
    const empty = spans.every((s) => s.text === '');
    return `${this.#style([{ role, text: empty ? prefix : `${prefix} ` }, ...spans, ...notes])}\n`;
  }

  /** A transcript comment line. */
  #comment(spans: readonly Span[]): string {
    const first = spans[0];
    if (first === undefined) return `${this.#style([])}\n`;
    const head: Span = { role: first.role, text: `# ${first.text}` };
    return `${this.#style(spans.length === 1 ? [head] : [head, ...spans.slice(1)])}\n`;
  }

  /** --show-certs: the details under the summary, indented. */
  #tlsDetails(summary: TlsSummary): string {
    if (!this.#opts.showCerts || summary.details === undefined) return '';
    return formatTlsDetails(summary.details, undefined, (this.#words ?? ENGLISH_WORDS).tls)
      .map((line) => this.#comment([{ role: 'tls', text: `  ${line}` }]))
      .join('');
  }

  #latency(ms: number | undefined): Span[] {
    if (!this.#opts.annotate || ms === undefined) return [];
    return [{ role: 'annotation', text: ` (${this.#words === null ? `${Math.round(ms)} ms` : this.#notice('notice.latency', Math.round(ms))})` }];
  }

  /** An annotation with a number (milliseconds, octets) in the display's words. */
  #notice(key: 'notice.latency' | 'notice.reply-time' | 'notice.literal-size', n: number): string {
    return (this.#words ?? ENGLISH_WORDS).notice({ key, values: key === 'notice.literal-size' ? { n } : { ms: n } });
  }

  #imapSegment(e: Extract<SessionEvent, { kind: 'imap-segment' }>): string {
    // A segment while a literal is still open means its literal-end went missing: close it first.
    let out = this.#literal === null ? '' : this.#literalEnd();
    // After a literal that did not end in CRLF, the response goes on on the same display line.
    const continues = this.#lineOpen && !e.first;
    if (!continues) out += this.#endOpenLine();
    const text = escapeServerText(e.bytes);
    const notes: Span[] = [];
    if (this.#opts.annotate && e.literalSize !== null) {
      const size = this.#words === null ? `${e.literalSize} octet${e.literalSize === 1 ? '' : 's'}` : this.#notice('notice.literal-size', e.literalSize);
      notes.push({ role: 'annotation', text: `  ‹${size}›` });
    }
    notes.push(...this.#latency(e.latencyMs));
    if (this.#opts.colorLevel === 0) {
      // Without colors the roles change nothing: a lexer's spans join to its input (lexers.ts), so
      // the line is its text, and the prefix as #line writes it ("S:" alone before an empty line).
      let tail = '';
      for (const n of notes) tail += n.text;
      out += continues ? `${text}${tail}\n` : text === '' ? `S:${tail}\n` : `S: ${text}${tail}\n`;
    } else {
      const spans = e.first ? lexImapResponse(text) : lexImapContinuedSegment(text);
      out += continues ? `${this.#style([...spans, ...notes])}\n` : this.#line('S:', spans, notes);
    }
    this.#lineOpen = false;
    if (e.literalSize !== null) {
      this.#literal = { escaper: new StreamingEscaper(), pendingCr: false, lineStarted: false };
    }
    return out;
  }

  /**
   * One piece of literal data: shown at once, split into display lines at CRLF. Plain text (nearly
   * every piece of a message body) comes out as bytes, everything else as escaped text.
   */
  #literalPiece(bytes: Buffer): string | Buffer {
    const lit = (this.#literal ??= { escaper: new StreamingEscaper(), pendingCr: false, lineStarted: false });
    let out = '';
    let start = 0;
    if (lit.pendingCr && bytes.length > 0) {
      lit.pendingCr = false;
      if (bytes[0] === LF) {
        out += this.#literalLineEnd(lit);
        start = 1;
      } else {
        out += this.#literalText(lit, CR_BYTE);
      }
    }
    let end = bytes.length;
    if (end > start && bytes[end - 1] === CR) {
      // Maybe the first half of a CRLF split between pieces: decided by the next piece.
      lit.pendingCr = true;
      end -= 1;
    }
    // The kernel is made at the first piece that may take the fast path, not with the renderer.
    const lines = lit.escaper.idle && this.#opts.literalFastPath !== false && end > start ? PlainLines.shared() : null;
    if (lines !== null) {
      const piece = bytes.subarray(start, end);
      const count = plainCrlfLineEnds(piece, lines, this.#literalBytes);
      if (count >= 0) return this.#plainLiteralBytes(lit, out, piece, count, lines);
    }
    for (let crlf = bytes.indexOf(CRLF, start); crlf >= 0 && crlf < end; crlf = bytes.indexOf(CRLF, start)) {
      out += this.#literalLineEnd(lit, bytes.subarray(start, crlf));
      start = crlf + 2;
    }
    return out + this.#literalText(lit, bytes.subarray(start, end));
  }

  /**
   * Plain text of a piece (plainCrlfLineEnds found its `count` CRLFs), after `head` (what the piece's
   * first octets already showed): as the escaping path shows it, with the escaper idle, but copied
   * as bytes. What comes before its first CRLF goes on the line open (or starts one), the lines
   * between its first and last CRLF are whole lines, what follows the last stays open for the next
   * piece.
   */
  #plainLiteralBytes(lit: LiteralState, head: string, piece: Buffer, count: number, lines: PlainLines): Buffer {
    const b = this.#literalBytes;
    const perLine = Math.max(b.start.length + b.end.length, b.empty.length);
    // Written in the kernel's memory, then copied out at once: the whole lines are the kernel's to write.
    const out = lines.output(Buffer.byteLength(head) + piece.length + (count + 1) * perLine);
    let o = head === '' ? 0 : out.write(head, 0);
    let from = 0;
    if (count > 0) {
      // Up to the first CRLF: the end of the line open, or a line of its own (#literalShow, #literalLineEnd).
      const first = lines.crAt(0);
      if (first > 0) {
        o = put(out, o, this.#lineOpen ? b.open : b.start);
        o += piece.copy(out, o, 0, first);
        o = put(out, o, b.end);
      } else if (this.#lineOpen) {
        out[o++] = LF;
      } else if (!lit.lineStarted) {
        o = put(out, o, b.empty);
      }
      this.#lineOpen = false;
      lit.lineStarted = false;
      o = lines.wholeLines(o, count);
      from = lines.crAt(count - 1) + 2;
    }
    if (from < piece.length) {
      o = put(out, o, this.#lineOpen ? b.open : b.start);
      o += piece.copy(out, o, from);
      o = put(out, o, b.close);
      this.#lineOpen = true;
      lit.lineStarted = true;
    }
    const written = this.#outputBuffer(o);
    out.copy(written, 0, 0, o);
    return written.subarray(0, o);
  }

  /**
   * Memory for a plain piece of at least `octets`: the spare given back if it is large enough, else a
   * new buffer of its own (not a slice of Node's pool, so that it can be told apart and taken back).
   * A buffer is handed out again only after it has come back.
   */
  #outputBuffer(octets: number): Buffer {
    const spare = this.#spare;
    this.#spare = null;
    if (spare !== null && spare.byteLength >= octets) return Buffer.from(spare);
    const out = Buffer.allocUnsafeSlow(Math.max(octets, this.#opts.literalOutputOctets ?? MIN_OUTPUT_OCTETS));
    this.#lent.add(out.buffer as ArrayBuffer);
    return out;
  }

  /** Bytes inside one literal line (no CRLF in them; a lone CR or LF comes out escaped). */
  #literalText(lit: LiteralState, bytes: Buffer): string {
    return bytes.length === 0 ? '' : this.#literalShow(lit, lit.escaper.push(bytes));
  }

  #literalShow(lit: LiteralState, text: string): string {
    if (text === '') return '';
    let out = '';
    if (!this.#lineOpen) {
      out += this.#prefixServer;
      this.#lineOpen = true;
      lit.lineStarted = true;
    }
    return out + this.#wrapLiteral(text);
  }

  /**
   * A CRLF inside the literal, after the last `bytes` of its line: they and what the escaper held
   * back are shown in one piece, as the fast path shows a line.
   */
  #literalLineEnd(lit: LiteralState, bytes?: Buffer): string {
    const last = bytes === undefined || bytes.length === 0 ? '' : lit.escaper.push(bytes);
    let out = this.#literalShow(lit, last + lit.escaper.flush());
    if (this.#lineOpen) out += '\n';
    // An empty line shows as "S:"; a line that another event already ended needs nothing more.
    else if (!lit.lineStarted) out += this.#prefixEmptyServer;
    this.#lineOpen = false;
    lit.lineStarted = false;
    return out;
  }

  /**
   * The literal is complete. A CR or the start of a UTF-8 sequence still held back comes out escaped;
   * an open line stays open for the segment that follows.
   */
  #literalEnd(): string {
    const lit = this.#literal;
    if (lit === null) return '';
    this.#literal = null;
    let out = '';
    if (lit.pendingCr) {
      lit.pendingCr = false;
      out += this.#literalText(lit, CR_BYTE);
    }
    return out + this.#literalShow(lit, lit.escaper.flush());
  }
}

/** Writes a few bytes (a prefix, a color code) at `at`; returns where they end. */
function put(out: Buffer, at: number, bytes: Buffer): number {
  let o = at;
  for (let i = 0; i < bytes.length; i++) out[o++] = bytes[i] as number;
  return o;
}

function textOf(out: string | Buffer): string {
  return typeof out === 'string' ? out : out.toString('utf8');
}

/** Lexes a client line by protocol and by what part of a command it is (line-spans.ts, shared with handouts). */
function clientSpans(protocol: Protocol, part: ClientLinePart, text: string): Span[] {
  return clientLineSpans(protocol, part, text);
}

/**
 * `SCRAM-SHA-1 server-first: r=...,s=...,i=4096`: the decoded message under its base64 line. Control
 * characters (PLAIN's NULs, OAuth's ^A) come out escaped, and the secret placeholder keeps its role.
 */
function saslSpans(e: Extract<SessionEvent, { kind: 'sasl' }>): Span[] {
  const label = `${escapeDisplayText(e.mechanism)} ${e.step === '' ? e.from : escapeDisplayText(e.step)}: `;
  const spans: Span[] = [{ role: 'sasl', text: label }];
  escapeDisplayText(e.text)
    .split(SECRET_PLACEHOLDER)
    .forEach((part, i) => {
      if (i > 0) spans.push({ role: 'secret', text: SECRET_PLACEHOLDER });
      if (part !== '') spans.push({ role: 'sasl', text: part });
    });
  return spans;
}

function connectedText(e: Extract<SessionEvent, { kind: 'connected' }>, w: SessionWords): string {
  const host = escapeDisplayText(e.host);
  const address = escapeDisplayText(e.address);
  const scheme = e.tls === 'implicit' ? `${e.protocol}s` : e.protocol;
  // RFC 3986 §3.2.2: an IPv6 literal goes in brackets.
  const hostInUrl = host.includes(':') ? `[${host}]` : host;
  const via = address === '' || address === host ? '' : ` ${w.notice({ key: 'notice.connected.via', values: { address } })}`;
  const upgrade = e.protocol === 'imap' ? 'STARTTLS' : 'STLS';
  const mode = w.notice(
    e.tls === 'implicit' ? { key: 'notice.connected.tls' } : e.tls === 'starttls' ? { key: 'notice.connected.starttls', values: { command: upgrade } } : { key: 'notice.connected.plain' },
  );
  return w.notice({ key: 'notice.connected', values: { url: `${scheme}://${hostInUrl}:${e.port}`, via, mode } });
}

/**
 * `TLS: TLSv1.3 TLS_AES_256_GCM_SHA384, subject CN=localhost, issuer CN=Test CA, expires 2026-12-26,
 * certificate verified`; the verdict stands out when the certificate was not verified. Certificate
 * names come from the server: escaped like everything else it sends (before they go into the words).
 */
function tlsSpans(s: TlsSummary, w: SessionWords): Span[] {
  const parts = [w.notice({ key: 'notice.tls.head', values: { version: escapeDisplayText(s.version), cipher: escapeDisplayText(s.cipher) } })];
  if (s.subject === '') {
    parts.push(w.notice({ key: 'notice.tls.no-certificate' }));
  } else {
    parts.push(w.notice({ key: 'notice.tls.subject', values: { subject: escapeDisplayText(s.subject) } }));
    if (s.issuer !== '') parts.push(w.notice({ key: 'notice.tls.issuer', values: { issuer: escapeDisplayText(s.issuer) } }));
    // ISO 8601: the date is enough to see when it runs out.
    if (s.validTo !== '') {
      const date = /^\d{4}-\d{2}-\d{2}/.exec(s.validTo)?.[0] ?? s.validTo;
      parts.push(w.notice({ key: 'notice.tls.expires', values: { date: escapeDisplayText(date) } }));
    }
  }
  const head: Span = { role: 'tls', text: `${parts.join(', ')}, ` };
  if (s.verified) return [head, { role: 'tls', text: w.notice({ key: 'notice.tls.verified' }) }];
  // The reasons in the display's language when they came as data, else as the summary words them.
  const reasons = w.language !== 'en' && s.verifyProblems !== undefined ? s.verifyProblems.map((p) => sayWith(p, (k, values) => w.tls.text(k, values))).join('; ') : s.verifyError;
  const why = reasons === '' ? { key: 'notice.tls.not-verified' as const } : { key: 'notice.tls.not-verified.why' as const, values: { why: escapeDisplayText(reasons) } };
  const verdict = s.insecure ? w.notice({ key: 'notice.tls.insecure', values: { verdict: why } }) : w.notice(why);
  return [head, { role: 'notice-warning', text: verdict }];
}
