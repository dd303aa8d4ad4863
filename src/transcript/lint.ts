/**
 * lint: checks a transcript offline, without a server. Every command and response against the
 * protocol's formal syntax (IMAP: RFC 3501 §9 and RFC 9051 §9 with the extensions; POP3: RFC 2449
 * §3 and RFC 1939), and what a grammar cannot see (lint-imap.ts, lint-pop3.ts). Findings name the
 * line and the rule, and show transcript text as written (escaped where unsafe). The linters find in
 * no language (a finding's text is a key of lint's catalogue and its values, lint-text.ts); findings
 * are worded here, in the language asked for. Pure.
 *
 * It reads a transcript as a stream of items (format.ts, transcript-reader.ts) and keeps only what
 * the next lines need: the session's state, the tags in flight, the step being built, the findings
 * that may still be preceded by others. What the whole file says of itself (its `# protocol:`, which
 * may come last, its `# secret:` lines, a format error anywhere) is read first, by a pass of its own
 * (LintPrologue), so that a file of any length is linted in bounded memory.
 */
import type { Language } from '../protocol/explain/language.js';
import { findImapCommand } from '../protocol/imap/commands.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Protocol } from '../session/events.js';
import { FindingQueue, FindingSource } from './finding-order.js';
import type { Directives, Transcript, TranscriptItem, TranscriptLine } from './format.js';
import type { KeyedFinding } from './lint-grammar.js';
import { ImapLinter } from './lint-imap.js';
import { Pop3Linter } from './lint-pop3.js';
import { lintText, lintWords, type LintText } from './lint-text.js';
import { parsePattern } from './pattern.js';
import { scriptBuilder, type ScriptBuilder } from './script.js';

export type { KeyedFinding, Severity } from './lint-grammar.js';
export type { LintText } from './lint-text.js';

/** A finding as lint reports it: its text worded in the language asked for, escaped for display. */
export interface Finding extends KeyedFinding {
  message: string;
}

export interface LintOptions {
  /** The protocol when the transcript does not say it. */
  protocol?: Protocol;
  /** The language findings are worded in (default English). */
  language?: Language;
}

/**
 * What lint must know of a whole file before it checks its lines, gathered in a first pass over the
 * items: the directives are the parser's at the end; the protocol is guessed from the first server
 * line that shows it, else from whether a client line reads as an IMAP command.
 */
export class LintPrologue {
  private shown: Protocol | null = null;
  private imapCommandSeen = false;

  item(item: TranscriptItem): void {
    if (item.kind !== 'line' || this.shown !== null) return;
    const l = item.line;
    if (l.direction === 'S' && /^[+-](OK|ERR)\b/.test(l.text)) this.shown = 'pop3';
    else if (l.direction === 'S' && /^\* /.test(l.text)) this.shown = 'imap';
    else if (!this.imapCommandSeen && l.direction === 'C' && /^\S+ \S/.test(l.text) && findImapCommand(l.text.split(' ')[1] ?? '') !== undefined) this.imapCommandSeen = true;
  }

  /** The protocol the lines show, for a file that does not say it. */
  get guessed(): Protocol {
    return this.shown ?? (this.imapCommandSeen ? 'imap' : 'pop3');
  }
}

/** The protocol of a transcript without "# protocol:", from its lines. */
export function guessProtocol(t: Transcript): Protocol {
  const prologue = new LintPrologue();
  for (const line of t.lines) prologue.item({ kind: 'line', line });
  return prologue.guessed;
}

/**
 * Lints one transcript fed item by item, in file order; findings go to `emit` in line order as soon as
 * nothing still to come can precede them.
 */
export class TranscriptLint {
  private readonly queue: FindingQueue;
  private readonly builder: ScriptBuilder | null = null;
  private readonly linter: ImapLinter | Pop3Linter | null = null;
  /** A file in a protocol mailwire does not play: its notes only, then a note saying so. */
  private readonly otherProtocol: string | null = null;
  /** Capture names set by server lines so far. */
  private readonly captures = new Set<string>();
  private settled = 0;

  /**
   * @param directives - the file's directives as the whole file gives them (a first pass)
   * @param prologue - the same first pass's guess at the protocol
   */
  constructor(directives: Readonly<Directives>, prologue: LintPrologue, options: LintOptions, emit: (f: Finding) => void) {
    // Messages quote transcript text (tags, command names, users): whatever a file holds, what reaches
    // a terminal is escaped (idempotent on text escaped before).
    const language = options.language ?? 'en';
    this.queue = new FindingQueue((f) => emit({ ...f, message: escapeDisplayText(lintWords(f.text, language)) }));
    let protocol = options.protocol ?? directives.protocol;
    if (!protocol && directives.otherProtocol !== undefined) {
      this.otherProtocol = directives.otherProtocol;
      return;
    }
    if (!protocol) {
      protocol = prologue.guessed;
      this.queue.add({ lineNo: null, severity: 'note', rule: 'protocol', text: lintText('lint.protocol.guessed', { protocol: protocol.toUpperCase() }) }, FindingSource.Format);
    }
    this.builder = scriptBuilder(protocol);
    const found = { push: (f: KeyedFinding) => this.queue.add(f, FindingSource.Linter) };
    this.linter = protocol === 'imap' ? new ImapLinter(found) : new Pop3Linter(directives.secrets, found);
  }

  item(item: TranscriptItem): void {
    switch (item.kind) {
      case 'note':
        this.queue.add({ lineNo: item.note.lineNo, severity: 'note', rule: 'format', text: item.note.text }, FindingSource.Format);
        if (item.note.elision === true) this.linter?.mark({ kind: 'elision', lineNo: item.note.lineNo });
        this.flush(item.note.lineNo);
        return;
      case 'state':
        this.linter?.mark({ kind: 'state', lineNo: item.state.lineNo, state: item.state.state });
        this.flush(item.state.lineNo);
        return;
      case 'line':
        if (this.linter && this.builder) {
          for (const step of this.builder.push(item.line)) this.linter.step(step);
          this.checkPattern(item.line);
        }
        this.flush(item.line.lineNo);
    }
  }

  /** The end of the file: the last step, what is still open, every finding held. */
  end(): void {
    if (this.linter && this.builder) {
      for (const step of this.builder.end()) this.linter.step(step);
      this.linter.finish();
    }
    this.queue.flushBefore(Infinity);
    if (this.otherProtocol !== null) {
      this.queue.add({ lineNo: null, severity: 'note', rule: 'protocol', text: lintText('lint.protocol.other', { protocol: this.otherProtocol }) }, FindingSource.Format);
      this.queue.flushBefore(Infinity);
    }
    this.settled = Infinity;
  }

  /** Every finding on a line before this one has been handed out: no later one can be about them. */
  get settledBefore(): number {
    return this.settled;
  }

  /** Findings held back, waiting for findings that may come before them. */
  get held(): number {
    return this.queue.size;
  }

  private flush(lineNo: number): void {
    // In a file not checked (another protocol) notes only come, each on a later line than the last.
    const open = this.linter && this.builder ? Math.min(lineNo + 1, this.builder.openFrom, this.linter.openFrom) : lineNo + 1;
    this.settled = open;
    this.queue.flushBefore(open);
  }

  /** Captures a client line uses must be set by an earlier server line; a bare "$" cannot be sent. */
  private checkPattern(line: TranscriptLine): void {
    const pattern = parsePattern(line.text);
    if (!pattern.hasHoles) return;
    for (const part of pattern.parts) {
      if (part.kind !== 'hole') continue;
      if (line.direction === 'S') {
        if (part.name !== null) this.captures.add(part.name);
      } else if (part.name === null) {
        this.pattern(line, lintText('lint.pattern.bare-hole'));
      } else if (!this.captures.has(part.name)) {
        this.pattern(line, lintText('lint.pattern.unset-capture', { capture: `$${part.name}` }));
      }
    }
  }

  private pattern(line: TranscriptLine, text: LintText): void {
    this.queue.add({ lineNo: line.lineNo, severity: 'error', rule: 'pattern', text }, FindingSource.Pattern);
  }
}

/** A parsed transcript's items, in file order. */
export function* transcriptItems(t: Transcript): Generator<TranscriptItem> {
  const items: TranscriptItem[] = [
    ...t.lines.map((line) => ({ kind: 'line' as const, line })),
    ...t.notes.map((note) => ({ kind: 'note' as const, note })),
    ...(t.directives.states ?? []).map((state) => ({ kind: 'state' as const, state })),
  ];
  const lineOf = (i: TranscriptItem): number => (i.kind === 'line' ? i.line.lineNo : i.kind === 'note' ? i.note.lineNo : i.state.lineNo);
  yield* items.sort((a, b) => lineOf(a) - lineOf(b));
}

/** Lints a parsed transcript; findings in line order. */
export function lintTranscript(t: Transcript, options: LintOptions = {}): Finding[] {
  const prologue = new LintPrologue();
  for (const item of transcriptItems(t)) prologue.item(item);
  const findings: Finding[] = [];
  const lint = new TranscriptLint(t.directives, prologue, options, (f) => findings.push(f));
  for (const item of transcriptItems(t)) lint.item(item);
  lint.end();
  return findings;
}
