/**
 * The transcript format: RFC-style `S:` / `C:` lines, as the RFCs and the course slides print them,
 * plus a few directives in comments for what plain RFC style cannot say. Pure: text in, a parsed
 * transcript out (and back). Matching, replay, lint and serve all read what this module returns.
 *
 * A line is one of:
 *  - `S: text` / `C: text`: a wire line from the server / the client; a bare `S:` or `C:` is an
 *    empty wire line. Literal contents stand on their own lines, as the RFCs print them.
 *  - `S?: text`: a server line that may appear; `S!: text`: a server line that must not appear.
 *  - `# ...`: a comment; `# key: value` with a known key is a directive (see DIRECTIVES).
 *  - a blank line: ignored.
 *  - anything else (the RFCs' `...` elisions, `<TLS negotiation ...>`): kept as a note, not fatal.
 *
 * Text after the prefix is the display form mailwire writes (protocol/display-form.ts): `\xNN` and
 * `\u{N}` stand for bytes and characters that cannot be shown, `\x5c` for a backslash that would
 * read as one. wireBytes() turns it back into bytes.
 */
import type { Protocol, TlsMode } from '../session/events.js';
import { lintText, lintWords, type LintText } from './lint-text.js';

export { wireBytes } from '../protocol/display-form.js';

/** The format version this mailwire writes and reads. */
export const TRANSCRIPT_VERSION = 1;

/** First line of every recorded transcript; later versions of the format are told apart by it. */
export const TRANSCRIPT_MAGIC = `# mailwire transcript v${TRANSCRIPT_VERSION}`;

export type Direction = 'C' | 'S';

/** How a server line is expected: must appear (`S:`), may appear (`S?:`), must not appear (`S!:`). */
export type Expectation = 'required' | 'optional' | 'forbidden';

/** Matching rules in force at a line (`# match:` directives change them from there on). */
export interface MatchRules {
  /** IMAP untagged responses within one command must come in the transcript's order. */
  ordered: boolean;
  /** IMAP untagged responses the transcript does not show are allowed. */
  extra: boolean;
}

export const DEFAULT_MATCH_RULES: Readonly<MatchRules> = { ordered: false, extra: true };

/** One wire line of the transcript. */
export interface TranscriptLine {
  /** 1-based line number in the file. */
  lineNo: number;
  direction: Direction;
  expectation: Expectation;
  /** The text after the prefix, in display form (escapes and patterns included). */
  text: string;
  rules: Readonly<MatchRules>;
}

/** Something in the file that is not protocol data and not a directive, reported but not fatal. */
export interface FormatNote {
  lineNo: number;
  /** In English; `text` says it as data, for lint to word in the reader's language. */
  message: string;
  text: LintText;
  /** The line elides part of the session (`...`, `[...]`): what came between is not shown. */
  elision?: true;
}

/** A `# state:` directive: the session state a fragment is in from that line on. */
export interface StateDeclaration {
  lineNo: number;
  /** Lower case, as written: an IMAP or POP3 state name, or "unknown". */
  state: string;
}

/** A user whose secret fills `<secret>` placeholders; `secret` null means: ask (or MAILWIRE_PASSWORD). */
export interface SecretDeclaration {
  lineNo: number;
  user: string;
  secret: string | null;
}

export interface Directives {
  protocol?: Protocol;
  /** A `# protocol:` that names something other than imap or pop3 (a SASL exchange on its own, say). */
  otherProtocol?: string;
  /** Where the session was recorded, e.g. imap://127.0.0.1:143 (replay's default --target). */
  target?: string;
  tls?: TlsMode;
  /** ISO 8601 date of the recording. */
  recorded?: string;
  /** In declaration order. */
  secrets: SecretDeclaration[];
  /** `# state:` directives in file order; absent when there are none. */
  states?: StateDeclaration[];
}

export interface Transcript {
  /** Format version from the magic line; null for a plain RFC-style file without one. */
  version: number | null;
  directives: Directives;
  lines: TranscriptLine[];
  notes: FormatNote[];
}

/** A file that cannot be read as a transcript at all (a newer format version, a bad directive value). */
export class TranscriptFormatError extends Error {
  /**
   * @param text - what is wrong, as data (lint words it in the reader's language; the message is English)
   */
  constructor(
    readonly text: LintText,
    readonly lineNo: number,
  ) {
    super(lintWords(text));
    this.name = 'TranscriptFormatError';
  }
}

/** A note of the format on a line, its message in English. */
function formatNote(lineNo: number, text: LintText, elision?: true): { kind: 'note'; note: FormatNote } {
  return { kind: 'note', note: { lineNo, message: lintWords(text), text, ...(elision ? { elision } : {}) } };
}

/** Directive keys and what they mean; `# key: value` with any other key is a plain comment. */
export const DIRECTIVES = {
  protocol: 'imap or pop3',
  target: 'the server the session was recorded against (replay --target overrides it)',
  tls: 'none, starttls or implicit: how the session was protected',
  recorded: 'when the session was recorded (ISO 8601)',
  secret: 'USER [SECRET]: whose secret fills <secret> and APOP digests; without SECRET it is asked for',
  match: 'ordered|unordered, extra|no-extra: how IMAP untagged responses are matched from here on',
  state: 'the session state from here on, for a fragment that does not show it (lint)',
} as const;

/** The values `# state:` takes: IMAP's states (RFC 9051 §3), POP3's (RFC 1939 §3), or unknown. */
export const DECLARABLE_STATES = ['not-authenticated', 'authenticated', 'selected', 'logout', 'authorization', 'transaction', 'update', 'unknown'] as const;

/**
 * Whether a line stands for lines left out, as the RFCs and slides write it: dots or an ellipsis
 * alone, perhaps in brackets (`...`, `[...]`, `. . .`, `…`), perhaps after `C:` / `S:`.
 *
 * After `C:` / `S:` the same text can be data: in POP3 `S: ..` and `S: ...` are the body lines "."
 * and ".." dot-stuffed (RFC 1939 §3), and in a mailwire recording every line is what crossed the
 * wire (a literal's line of dots too). So a prefixed line is an elision only in a transcript that is
 * neither POP3 nor a recording (`# recorded:`), as far as its directives so far say.
 */
function isElision(line: string, directives: Transcript['directives']): boolean {
  const prefixed = (line[0] === 'C' || line[0] === 'S') && line[1] === ':';
  if (prefixed && (directives.protocol === 'pop3' || directives.recorded !== undefined)) return false;
  // Dots, an ellipsis or an opening bracket come first in every elision: most lines are ruled out here
  // by the first character after the prefix and white space, found without a copy of the line.
  let at = prefixed ? 2 : 0;
  while (at < line.length && isWhiteSpace(line.charCodeAt(at))) at++;
  const first = line[at];
  if (first !== '.' && first !== '…' && first !== '[' && first !== '(') return false;
  const rest = line.replace(/^[CS]:/, '').trim().replace(/^[[(]/, '').replace(/[\])]$/, '');
  return /^[.\s…]*$/.test(rest) && (rest.includes('…') || rest.split('.').length > 2);
}

/** What String.prototype.trim takes away: JavaScript's WhiteSpace and LineTerminator (the set of `\s`). */
function isWhiteSpace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  return code > 0x7e && /\s/.test(String.fromCharCode(code));
}

/** A letter, a digit, "*" or "+" (what tagged, untagged and continuation lines start with). */
function startsPlainText(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2a || code === 0x2b;
}

/** RFC 1939 §10 writes TCP events as protocol lines; they carry no data and are skipped. */
const TCP_EVENT = /^<(?:wait for [^>]*|open connection|close connection)>$/i;

const MAGIC = /^# mailwire transcript v(\d+)\s*$/;
// The "s" flag: "." must take every character of a line, U+2028, U+2029 and a CR inside it too, or
// a pasted line holding one would be dropped as a note.
const DIRECTIVE = /^#\s*([a-z]+):\s?(.*)$/s;

/**
 * The parts of a protocol line: `C:`, `S:`, `S?:` or `S!:`, then the end of the line or a space and
 * the text (which may hold any character, U+2028, U+2029 and a CR too); null for any other line.
 * Read by hand, not by a regular expression: every line of a transcript goes through here.
 */
export function protocolLineParts(line: string): { direction: Direction; mark: '' | '?' | '!'; text: string } | null {
  const direction = line[0];
  if (direction !== 'C' && direction !== 'S') return null;
  let i = 1;
  let mark: '' | '?' | '!' = '';
  const second = line[1];
  if (second === '?' || second === '!') {
    mark = second;
    i = 2;
  }
  if (line[i] !== ':') return null;
  i++;
  if (i === line.length) return { direction, mark, text: '' };
  return line[i] === ' ' ? { direction, mark, text: line.slice(i + 1) } : null;
}

/** What one line of a transcript file is, once parsed: a wire line, a note, or a `# state:` declaration. */
export type TranscriptItem =
  | { kind: 'line'; line: TranscriptLine }
  | { kind: 'note'; note: FormatNote }
  | { kind: 'state'; state: StateDeclaration };

/**
 * Reads a transcript one line at a time, so that a file of any length can be read in bounded memory
 * (transcript-reader.ts feeds it from chunks of bytes). It keeps only what later lines depend on: the
 * format version, the directives so far (an elision is told apart by them) and the match rules in
 * force. `# state:` declarations are handed out as items, not kept.
 */
export class TranscriptParser {
  version: number | null = null;
  /** The directives read so far (`states` is never set here: see TranscriptItem). */
  readonly directives: Directives = { secrets: [] };
  private rules: MatchRules = { ...DEFAULT_MATCH_RULES };

  /**
   * One line of the file, without its LF (a CR before it is dropped here); null for a blank line, a
   * comment or a directive that yields nothing.
   * @throws TranscriptFormatError on a newer format version or a directive value that makes no sense
   */
  line(raw: string, lineNo: number): TranscriptItem | null {
    return this.lineIn(raw, 0, raw.length, lineNo);
  }

  /**
   * line() of the line `source.slice(start, end)`: a plain line is read where it stands, any other
   * is cut out first (a reader that cuts lines out of a run of them makes one string a line, not two).
   */
  lineIn(source: string, start: number, end: number, lineNo: number): TranscriptItem | null {
    return this.plainLineIn(source, start, end, lineNo) ?? this.anyLine(source.slice(start, end), lineNo);
  }

  /**
   * The shortcut line() takes for most lines of a transcript: `C: ` or `S: ` and then a letter, a
   * digit, "*" or "+". No directive, note, elision (`S: ...`) or TCP event (`C: <open connection>`)
   * starts so, and anyLine() would pass such a line on as it is; undefined for any other line.
   */
  plainLine(raw: string, lineNo: number): TranscriptItem | undefined {
    return this.plainLineIn(raw, 0, raw.length, lineNo);
  }

  /**
   * plainLine() of the line `source.slice(start, end)`, read where it stands: a reader that cuts
   * lines out of a run of them makes one string a line (its text), not two.
   */
  plainLineIn(source: string, start: number, end: number, lineNo: number): TranscriptItem | undefined {
    const first = source.charCodeAt(start);
    if (end - start < 4 || (first !== 0x43 && first !== 0x53) || source.charCodeAt(start + 1) !== 0x3a || source.charCodeAt(start + 2) !== 0x20 || !startsPlainText(source.charCodeAt(start + 3))) {
      return undefined;
    }
    const text = source.slice(start + 3, source.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    return { kind: 'line', line: { lineNo, direction: first === 0x43 ? 'C' : 'S', expectation: 'required', text, rules: this.rules } };
  }

  /**
   * Any line of the file, read by the general rules (line() without its shortcut).
   * @throws TranscriptFormatError as line() does
   */
  anyLine(raw: string, lineNo: number): TranscriptItem | null {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return null;
    if (line.startsWith('#')) {
      const magic = MAGIC.exec(line);
      if (magic) {
        const version = Number(magic[1]);
        if (version > TRANSCRIPT_VERSION) {
          throw new TranscriptFormatError(lintText('lint.format.version', { version, supported: TRANSCRIPT_VERSION }), lineNo);
        }
        this.version = version;
        return null;
      }
      const directive = DIRECTIVE.exec(line);
      if (directive && directive[1] && directive[1] in DIRECTIVES) {
        return this.directive(directive[1] as keyof typeof DIRECTIVES, (directive[2] ?? '').trim(), lineNo);
      }
      return null;
    }
    if (isElision(line, this.directives)) {
      return formatNote(lineNo, lintText('lint.format.elision', { text: abbreviate(line.trim()) }), true);
    }
    const m = protocolLineParts(line);
    if (!m) return formatNote(lineNo, lintText('lint.format.not-a-line', { text: abbreviate(line) }));
    const { direction, mark, text } = m;
    if (direction === 'C' && mark !== '') {
      return formatNote(lineNo, lintText('lint.format.client-mark', { mark }));
    }
    // Every TCP event starts with "<": the expression is not run over every line.
    if (text.startsWith('<') && TCP_EVENT.test(text)) return formatNote(lineNo, lintText('lint.format.tcp-event', { text }));
    const expectation: Expectation = mark === '?' ? 'optional' : mark === '!' ? 'forbidden' : 'required';
    return { kind: 'line', line: { lineNo, direction, expectation, text, rules: this.rules } };
  }

  private directive(key: keyof typeof DIRECTIVES, value: string, lineNo: number): TranscriptItem | null {
    const d = this.directives;
    switch (key) {
      case 'protocol': {
        const p = (value.split(/\s/)[0] ?? '').toLowerCase();
        if (p === 'imap' || p === 'pop3') {
          d.protocol = p;
          return null;
        }
        d.otherProtocol = p;
        return formatNote(lineNo, lintText('lint.format.other-protocol', { value: abbreviate(value) }));
      }
      case 'target':
        d.target = value;
        return null;
      case 'tls': {
        const v = value.toLowerCase();
        if (v !== 'none' && v !== 'starttls' && v !== 'implicit') {
          throw new TranscriptFormatError(lintText('lint.format.tls', { value }), lineNo);
        }
        d.tls = v;
        return null;
      }
      case 'recorded':
        d.recorded = value;
        return null;
      case 'secret': {
        const m = /^(\S+)(?:\s+(.+))?$/.exec(value);
        if (!m) throw new TranscriptFormatError(lintText('lint.format.secret'), lineNo);
        const user = m[1] as string;
        const secret = m[2] ?? null;
        const known = d.secrets.find((s) => s.user === user);
        if (known) {
          if (secret !== null) known.secret = secret;
        } else {
          d.secrets.push({ lineNo, user, secret });
        }
        return null;
      }
      case 'match': {
        const next = { ...this.rules };
        for (const word of value.toLowerCase().split(/[\s,]+/).filter((w) => w !== '')) {
          if (word === 'ordered') next.ordered = true;
          else if (word === 'unordered') next.ordered = false;
          else if (word === 'extra') next.extra = true;
          else if (word === 'no-extra') next.extra = false;
          else throw new TranscriptFormatError(lintText('lint.format.match', { value, word }), lineNo);
        }
        this.rules = next;
        return null;
      }
      case 'state': {
        const state = value.toLowerCase();
        if (!(DECLARABLE_STATES as readonly string[]).includes(state)) {
          throw new TranscriptFormatError(lintText('lint.format.state', { value, states: DECLARABLE_STATES.join(', ') }), lineNo);
        }
        return { kind: 'state', state: { lineNo, state } };
      }
    }
  }
}

/** Collects the items of a parser into a whole Transcript (what replay, serve and step work on). */
export class TranscriptCollector {
  private readonly lines: TranscriptLine[] = [];
  private readonly notes: FormatNote[] = [];
  private readonly states: StateDeclaration[] = [];

  add(item: TranscriptItem | null): void {
    if (item === null) return;
    if (item.kind === 'line') this.lines.push(item.line);
    else if (item.kind === 'note') this.notes.push(item.note);
    else this.states.push(item.state);
  }

  transcript(parser: TranscriptParser): Transcript {
    const directives: Directives = { ...parser.directives };
    if (this.states.length > 0) directives.states = this.states;
    return { version: parser.version, directives, lines: this.lines, notes: this.notes };
  }
}

/**
 * Parses a transcript. Never fails on lines it does not understand (they become notes); fails only on
 * a format version newer than this one, or a directive whose value makes no sense.
 * @throws TranscriptFormatError
 */
export function parseTranscript(source: string): Transcript {
  const parser = new TranscriptParser();
  const collector = new TranscriptCollector();
  const rawLines = source.split('\n');
  if (rawLines[rawLines.length - 1] === '') rawLines.pop();
  rawLines.forEach((raw, index) => collector.add(parser.line(raw, index + 1)));
  return collector.transcript(parser);
}

/** Text cut to 60 characters (code points, so that no surrogate pair is split). */
function abbreviate(text: string): string {
  const chars = [...text];
  return chars.length > 60 ? `${chars.slice(0, 59).join('')}…` : text;
}

/** The prefix a line is written with: `C:`, `S:`, `S?:` or `S!:`. */
export function linePrefix(line: Pick<TranscriptLine, 'direction' | 'expectation'>): string {
  const mark = line.expectation === 'optional' ? '?' : line.expectation === 'forbidden' ? '!' : '';
  return `${line.direction}${mark}:`;
}

/** A line as written in the file: `S: text`, or the prefix alone for an empty line. */
export function formatLine(line: Pick<TranscriptLine, 'direction' | 'expectation' | 'text'>): string {
  const prefix = linePrefix(line);
  return line.text === '' ? prefix : `${prefix} ${line.text}`;
}

/** The header a recorded transcript starts with. */
export function transcriptHeader(h: { protocol: Protocol; target: string; tls: TlsMode; recorded: string }): string {
  return `${TRANSCRIPT_MAGIC}\n# protocol: ${h.protocol}\n# target: ${h.target}\n# tls: ${h.tls}\n# recorded: ${h.recorded}\n`;
}

/**
 * Writes a transcript back as text: the header directives, the secrets declared, then the lines
 * (with `# match:` wherever the rules change). Notes and plain comments are not kept.
 */
export function serializeTranscript(t: Transcript): string {
  const out: string[] = [TRANSCRIPT_MAGIC];
  const d = t.directives;
  // Every directive that was read is written back, even an empty or unknown value, so that what
  // parses from the output is what parsed from the input.
  const protocol = d.protocol ?? d.otherProtocol;
  if (protocol !== undefined) out.push(`# protocol: ${protocol}`);
  if (d.target !== undefined) out.push(`# target: ${d.target}`);
  if (d.tls !== undefined) out.push(`# tls: ${d.tls}`);
  if (d.recorded !== undefined) out.push(`# recorded: ${d.recorded}`);
  for (const s of d.secrets) out.push(`# secret: ${s.user}${s.secret === null ? '' : ` ${s.secret}`}`);
  let rules: MatchRules = { ...DEFAULT_MATCH_RULES };
  const states = [...(d.states ?? [])];
  for (const line of t.lines) {
    while (states.length > 0 && (states[0] as StateDeclaration).lineNo < line.lineNo) out.push(`# state: ${(states.shift() as StateDeclaration).state}`);
    if (line.rules.ordered !== rules.ordered || line.rules.extra !== rules.extra) {
      rules = { ...line.rules };
      out.push(`# match: ${rules.ordered ? 'ordered' : 'unordered'} ${rules.extra ? 'extra' : 'no-extra'}`);
    }
    out.push(formatLine(line));
  }
  for (const s of states) out.push(`# state: ${s.state}`);
  return `${out.join('\n')}\n`;
}
