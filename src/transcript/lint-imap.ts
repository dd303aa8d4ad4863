/**
 * lint for IMAP transcripts: every command and response against the formal syntax, read with both
 * IMAP4rev1 (RFC 3501) and IMAP4rev2 (RFC 9051) and the extensions; what a session shows of itself
 * (its capabilities, ENABLE) decides which one it is held to. Syntax of the other revision only is a
 * note, syntax of neither an error. Also what a grammar cannot see: tags, literal octet counts, a "+"
 * before a synchronizing literal, commands out of their state or without the capability announced.
 * A fragment's state is unknown until the transcript shows it; an elision makes it unknown again; a
 * `# state:` directive declares it. Pure.
 */
import type { Grammar } from '../protocol/abnf.js';
import { findImapCommand, imapCapabilityOffers, type ImapState } from '../protocol/imap/commands.js';
import { parseLiteralMarker } from '../protocol/imap/framer.js';
import type { ImapExtensionGrammar } from '../protocol/imap/grammar-extension-table.js';
import { ALL_IMAP_EXTENSIONS, IMAP_RULES, imapExtension, imapExtensionsAnnounced, imapGrammars, type ImapGrammars } from '../protocol/imap/grammar.js';
import { parseCapabilities, parseImapResponseHead, type ImapResponseHead } from '../protocol/imap/response.js';
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { imapStateMove } from '../protocol/imap/state-moves.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { ImapInputAssembler } from '../session/imap-input.js';
import { wireBytes, type TranscriptLine } from './format.js';
import { describeFailure, elisionIndex, grammarCheck, grammarFinding, lineAt, quotedText, uncheckedFailure, type GrammarFailure, type KeyedFinding, type Severity } from './lint-grammar.js';
import { PendingMarks, type SessionMark } from './lint-marks.js';
import { lintText, type LintText } from './lint-text.js';
import { secretLiteralStandIn, type ExpectedResponse, type Step } from './script.js';

const CRLF = Buffer.from('\r\n');

/** Which IMAP the session has shown itself to speak. */
type Revision = 'rev1' | 'rev2' | 'either';

/** Response codes a greeting carries; a first line with another code is a fragment's, not a greeting. */
const GREETING_CODES = new Set(['CAPABILITY', 'ALERT']);

const IMAP_STATES: ReadonlySet<string> = new Set(['not-authenticated', 'authenticated', 'selected', 'logout']);

export class ImapLinter {
  private state: ImapState | 'unknown' = 'unknown';
  /** From the last CAPABILITY response or code; null when not known (or void after STARTTLS). */
  private capabilities: Set<string> | null = null;
  /** The line the capabilities were learnt from. */
  private capabilitiesLine = 0;
  /** Tags of commands sent and not completed, with the line that sent them. */
  private readonly inFlight = new Map<string, { lineNo: number; command: string }>();
  /** After an elision, a completion may answer a command the transcript left out. */
  private elided = false;
  /** A greeting or a command was shown: a fragment's first completions may answer earlier commands. */
  private started = false;
  /**
   * The commands in progress are all known (`inFlight`): the transcript shows the session from its
   * greeting, and no elision since has left some out.
   */
  private inFlightKnown = false;
  private revision: Revision = 'either';
  /** The line that showed the revision, for messages. */
  private revisionLine = 0;
  /** The server offered IMAP4rev2 (so a left-out ENABLE may have turned it on). */
  private rev2Offered = false;
  /** ENABLE UTF8=ACCEPT is in force (RFC 6855). */
  private utf8 = false;
  /** IMAP4rev2 is in force because ENABLE turned it on (RFC 9051 §2.3), not because it is all the server speaks. */
  private rev2Enabled = false;
  /** The extensions of the table the server announced; every one while its capabilities are not known. */
  private extensions: ReadonlySet<string> = ALL_IMAP_EXTENSIONS;
  private grammars: ImapGrammars = imapGrammars();

  private readonly marks = new PendingMarks();

  /** @param findings - where findings go, as they are found (not in line order: see lint.ts) */
  constructor(private readonly findings: { push(f: KeyedFinding): void }) {}

  private add(lineNo: number | null, severity: Severity, rule: string, text: LintText): void {
    this.findings.push({ lineNo, severity, rule, text });
  }

  /** An elision or a `# state:` line, in file order: it takes effect before the next step after it. */
  mark(mark: SessionMark): void {
    this.marks.add(mark);
  }

  /** The next step of the transcript. */
  step(step: Step): void {
    this.marks.applyBefore(step, (m) => this.applyMark(m));
    if (step.kind === 'command') this.command(step);
    else if (step.kind === 'response') this.response(step);
    this.responses(step);
  }

  /** The end of the transcript: commands never completed. */
  finish(): void {
    for (const [tag, c] of this.inFlight) this.add(c.lineNo, 'note', 'completion', lintText('lint.completion.missing', { tag, command: c.command }));
  }

  /** The first line a later finding may still be about: a pending mark, or a command not completed. */
  get openFrom(): number {
    const first = this.inFlight.values().next();
    return Math.min(this.marks.openFrom, first.done ? Infinity : first.value.lineNo);
  }

  private applyMark(mark: SessionMark): void {
    if (mark.kind === 'state') {
      if (IMAP_STATES.has(mark.state) || mark.state === 'unknown') this.state = mark.state as ImapState | 'unknown';
      else this.add(mark.lineNo, 'error', 'state', lintText('lint.state.directive.imap', { state: mark.state }));
      return;
    }
    // What the elision stands for may have logged in, selected, upgraded to TLS or enabled IMAP4rev2.
    this.state = 'unknown';
    this.setCapabilities(null);
    this.inFlight.clear();
    this.inFlightKnown = false;
    this.elided = true;
    if (this.revision === 'rev1' && this.rev2Offered) this.revision = 'either';
  }

  /**
   * Checks lines against a rule in the session's revision, and in the other one when that fails.
   * Null when they match; a note when only the other revision allows them; else an error.
   */
  private grammar(rule: string, lines: readonly TranscriptLine[], chars: readonly number[], columnOffset = 0, describe = (f: GrammarFailure): LintText => f.text): KeyedFinding | null {
    const { own, other } = this.ownAndOther();
    const mine = grammarCheck(own, rule, lines, chars, columnOffset);
    if (!mine) return null;
    const theirs = grammarCheck(other, rule, lines, chars, columnOffset);
    if (mine.unchecked || theirs?.unchecked) return grammarFinding(mine.unchecked ? mine : (theirs as GrammarFailure));
    if (!theirs) {
      if (this.revision === 'either') {
        return { lineNo: mine.at.lineNo, severity: 'note', rule: 'revision', text: lintText('lint.revision.either', { detail: describe(mine) }) };
      }
      const [allows, forbids, shown] = this.revision === 'rev1' ? ['RFC 9051 (IMAP4rev2)', 'RFC 3501', 'IMAP4rev1'] : ['RFC 3501 (IMAP4rev1)', 'RFC 9051', 'IMAP4rev2'];
      return {
        lineNo: mine.at.lineNo,
        severity: 'note',
        rule: 'revision',
        text: lintText('lint.revision.shown', { allows, forbids, shown, line: this.revisionLine, detail: describe(mine) }),
      };
    }
    const unannounced = this.unannouncedExtensions(rule, lines, chars);
    if (unannounced.length === 1) {
      const [one] = unannounced as [ImapExtensionGrammar];
      const text = lintText('lint.capability.extension', { extension: one.name, source: one.source, line: this.capabilitiesLine });
      return { lineNo: mine.at.lineNo, severity: 'error', rule: 'capability', text };
    }
    if (unannounced.length > 1) {
      const extensions = unannounced.map((e) => `${e.name} (${e.source})`).join(', ');
      const text = lintText('lint.capability.extensions', { extensions, line: this.capabilitiesLine });
      return { lineNo: mine.at.lineNo, severity: 'error', rule: 'capability', text };
    }
    const worst = theirs.furthest > mine.furthest ? theirs : mine;
    // An RFC example that elides part of a line is cut short there, not wrong. Columns count the
    // characters as the transcript writes the line (a hole as its "$", a dollar sign as its "$$").
    const wire = wireBytes(worst.at.text).toString('utf8');
    const elided = elisionIndex(wire);
    if (elided >= 0 && worst.column >= [...wire.slice(0, elided)].length) {
      return { lineNo: worst.at.lineNo, severity: 'note', rule: 'elision', text: lintText('lint.elision', { text: quotedText(wire.slice(elided), 12) }) };
    }
    return { lineNo: worst.at.lineNo, severity: 'error', rule: 'grammar', text: describe(worst) };
  }

  private ownAndOther(grammars = this.grammars): { own: Grammar; other: Grammar } {
    const rev1 = this.utf8 ? grammars.rev1Utf8 : grammars.rev1;
    return this.revision === 'rev2' ? { own: grammars.rev2, other: rev1 } : { own: rev1, other: grammars.rev2 };
  }

  /**
   * The extensions the server did not announce whose syntax the lines are: they read with these added
   * to those announced (in the session's revision), not without. One when one is enough (each is tried
   * alone first); else, from all of them, each is left out in the table's order while the lines still
   * read without it, so that every one named is needed. Empty when the capabilities are not known
   * (every extension is read then), or when the lines do not read even with every extension. Only a
   * line that fails its grammar comes here, and it costs at most twice as many grammars as the table
   * has rows (kept once built).
   */
  private unannouncedExtensions(rule: string, lines: readonly TranscriptLine[], chars: readonly number[]): ImapExtensionGrammar[] {
    if (this.extensions === ALL_IMAP_EXTENSIONS) return [];
    if (!this.readsWith([], rule, lines, chars, imapGrammars())) return [];
    const missing = [...ALL_IMAP_EXTENSIONS].filter((name) => !this.extensions.has(name));
    for (const name of missing) {
      if (this.readsWith([name], rule, lines, chars)) return [imapExtension(name)].filter((e) => e !== undefined);
    }
    let needed = missing;
    for (const name of missing) {
      const without = needed.filter((n) => n !== name);
      if (this.readsWith(without, rule, lines, chars)) needed = without;
    }
    return needed.map((name) => imapExtension(name)).filter((e) => e !== undefined);
  }

  /** Whether the lines read in the session's revision with these extensions added to those announced. */
  private readsWith(added: readonly string[], rule: string, lines: readonly TranscriptLine[], chars: readonly number[], grammars = imapGrammars(new Set([...this.extensions, ...added]))): boolean {
    return grammarCheck(this.ownAndOther(grammars).own, rule, lines, chars) === null;
  }

  /** What the server's capabilities are from now on (null: not known), and the extensions they announce. */
  private setCapabilities(capabilities: Set<string> | null): void {
    this.capabilities = capabilities;
    this.extensions = capabilities === null ? ALL_IMAP_EXTENSIONS : imapExtensionsAnnounced(capabilities);
    this.grammars = imapGrammars(this.extensions);
  }

  private report(f: KeyedFinding | null, rule?: string): void {
    if (f) this.findings.push(rule && f.severity === 'error' ? { ...f, rule } : f);
  }

  private command(step: Step): void {
    const first = step.client[0]?.line as TranscriptLine;
    const name = step.command ?? '';
    const spec = findImapCommand(name.split(' ')[0] ?? '');
    const notOffered = spec !== undefined && this.capabilities !== null && !imapCapabilityOffers(spec, this.capabilities);
    this.literals(step);
    if (!step.incompleteLiteral) {
      const lines = step.client.map((c) => c.line);
      const chars = step.client.map((c) => c.literalChars);
      const secret = step.client.some((c) => c.secretLiteral === true);
      const finding = secret ? this.checkWithSecretLiterals(step) : blameLiteralCount(this.grammar(IMAP_RULES.command, lines, chars), lines, chars);
      // A command of an extension not announced is said once, naming the command (below).
      if (!(notOffered && finding?.rule === 'capability')) this.report(finding);
    }
    this.started = true;
    if (step.tag !== null) {
      const busy = this.inFlight.get(step.tag);
      if (busy) this.add(first.lineNo, 'error', 'tag', lintText('lint.tag.in-use', { tag: step.tag, command: busy.command, line: busy.lineNo }));
      // Deleted first, so that the map stays in line order (openFrom reads its first entry).
      this.inFlight.delete(step.tag);
      this.inFlight.set(step.tag, { lineNo: first.lineNo, command: name });
    }
    if (!spec) return;
    if (this.state !== 'unknown' && !spec.states.includes(this.state)) {
      const states = spec.states.map(imapStateName);
      this.add(first.lineNo, 'error', 'state', lintText('lint.state.invalid', { command: name, state: imapStateName(this.state), rfc: spec.rfc, states, count: states.length }));
    }
    if (this.capabilities) {
      if (notOffered) {
        this.add(first.lineNo, 'error', 'capability', lintText('lint.capability.imap', { command: name, capability: spec.capability ?? '', rfc: spec.rfc }));
      }
      if (name === 'LOGIN' && this.capabilities.has('LOGINDISABLED')) {
        this.add(first.lineNo, 'error', 'capability', lintText('lint.capability.login-disabled'));
      }
    }
  }

  /** A password literal recorded as `<secret>`: checked with stand-in octets of the announced count. */
  private checkWithSecretLiterals(step: Step): KeyedFinding | null {
    const assembler = new ImapInputAssembler();
    const parts: Buffer[] = [];
    for (const item of step.client) {
      const bytes = item.secretLiteral ? secretLiteralStandIn(assembler.literalOctetsLeft) : wireBytes(item.line.text.replaceAll(SECRET_PLACEHOLDER, 'eA=='));
      assembler.push(bytes);
      parts.push(bytes, CRLF);
    }
    const input = Buffer.concat(parts).toString('latin1');
    const lines = step.client.map((c) => c.line);
    const { own, other } = this.ownAndOther();
    const mine = own.match(IMAP_RULES.command, input);
    if (mine.ok || other.matches(IMAP_RULES.command, input)) return null;
    if (mine.limit !== undefined) return grammarFinding(uncheckedFailure(lines[0] as TranscriptLine, mine.limit));
    const r = mine;
    return { lineNo: lineAt(lines, input, r.furthest).lineNo, severity: 'error', rule: 'grammar', text: describeFailure(IMAP_RULES.command, input, r.furthest, r.expected).text };
  }

  /**
   * RFC 3501 §4.3, §7.5: a synchronizing literal goes only after the server's "+"; the lines after a
   * marker must hold the octets it announced, before the server speaks again.
   */
  private literals(step: Step): void {
    const assembler = new ImapInputAssembler();
    let marker: { lineNo: number; size: number; sync: boolean } | null = null;
    let dataLines = 0;
    let plusSeen = false;
    for (const line of step.lines) {
      if (line.direction === 'S') {
        const head = parseImapResponseHead(line.text);
        if (marker && assembler.literalOctetsLeft > 0) {
          if (head.kind === 'continuation' && dataLines === 0) plusSeen = true;
          else if (head.kind === 'tagged' && head.tag === step.tag && dataLines === 0) return; // refused: the literal is not sent
          else if (dataLines > 0) {
            this.add(line.lineNo, 'error', 'literal-count', lintText('lint.literal.incomplete', { literal: `{${marker.size}}`, line: marker.lineNo, held: marker.size - assembler.literalOctetsLeft }));
            return;
          }
        }
        continue;
      }
      const item = step.client.find((c) => c.line === line);
      if (!item || item.role === 'response') continue;
      const inLiteral = marker !== null && assembler.literalOctetsLeft > 0;
      if (inLiteral && marker) {
        if (dataLines === 0 && marker.sync && !plusSeen) {
          this.add(line.lineNo, 'error', 'sync-literal', lintText('lint.literal.sync', { literal: `{${marker.size}}`, line: marker.lineNo, nonsync: `{${marker.size}+}` }));
        }
        dataLines++;
      }
      assembler.push(item.secretLiteral ? secretLiteralStandIn(assembler.literalOctetsLeft) : wireBytes(line.text));
      const tail = line.text.slice(item.literalChars);
      const m = parseLiteralMarker(wireBytes(tail));
      if (m && m !== 'too-large' && assembler.literalOctetsLeft > 0) {
        marker = { lineNo: line.lineNo, size: m.size, sync: !m.nonSynchronizing };
        dataLines = 0;
        plusSeen = false;
      }
    }
    if (marker && assembler.literalOctetsLeft > 0 && dataLines > 0) {
      this.add(marker.lineNo, 'error', 'literal-count', lintText('lint.literal.short', { literal: `{${marker.size}}`, size: marker.size, held: marker.size - assembler.literalOctetsLeft }));
    }
  }

  /** Answers to a "+": AUTHENTICATE responses are base64 or "*"; IDLE ends with DONE. */
  private response(step: Step): void {
    const line = step.client[0]?.line as TranscriptLine;
    const command = step.command ?? '';
    if (command === 'IDLE') {
      if (!/^DONE$/i.test(line.text)) this.add(line.lineNo, 'error', 'grammar', lintText('lint.idle.done', { text: quotedText(line.text) }));
      return;
    }
    if (command === 'AUTHENTICATE') {
      const failure = grammarCheck(this.grammars.rev1, IMAP_RULES.saslResponse, [line], [0]);
      if (failure) this.findings.push(grammarFinding(failure, 'grammar', (f) => lintText('lint.authenticate.answer', { detail: f.text })));
      return;
    }
    this.add(line.lineNo, 'note', 'continuation', command ? lintText('lint.continuation.answer', { command }) : lintText('lint.continuation.answer-unknown'));
  }

  /** The greeting step's one response, when it reads as a greeting; a fragment starts with something else. */
  private isGreeting(step: Step, r: ExpectedResponse, head: ImapResponseHead): boolean {
    if (step.kind !== 'greeting' || head.kind !== 'untagged') return false;
    if (head.status !== 'OK' && head.status !== 'PREAUTH' && head.status !== 'BYE') return false;
    if (head.code && !GREETING_CODES.has(head.code.name)) return false;
    const shown = step.server.filter((x) => x.expectation !== 'forbidden' && !isPreliminaryGreeting(x.lines[0]?.text ?? '', 'imap'));
    return shown.length === 1 && shown[0] === r;
  }

  private responses(step: Step): void {
    // RFC 3501 §7.4.1: "a command is not 'in progress' until the complete command has been received":
    // responses between a command's lines (before the rest of its literal) come before it is.
    const commandEnd = step.kind === 'command' ? (step.client.at(-1)?.line.lineNo ?? 0) : 0;
    for (const r of step.server) {
      if (r.expectation === 'forbidden') continue;
      const first = r.lines[0] as TranscriptLine;
      const head = parseImapResponseHead(wireBytes(first.text).toString('latin1'));
      if (head.kind === 'untagged' && head.name === 'EXPUNGE' && head.number !== null) this.expunge(first, first.lineNo < commandEnd ? step.tag : null);
      const greeting = this.isGreeting(step, r, head);
      const rule = greeting ? IMAP_RULES.greeting : r.kind === 'tagged' ? IMAP_RULES.tagged : r.kind === 'continuation' ? IMAP_RULES.continuation : IMAP_RULES.untagged;
      if (r.complete) {
        const finding = blameLiteralCount(this.grammar(rule, r.lines, r.literalChars), r.lines, r.literalChars);
        this.report(finding);
        if (!finding) this.codedText(r, head);
      } else {
        this.add(first.lineNo, 'error', 'literal-count', lintText('lint.literal.response-incomplete', { marker: '{n}' }));
      }
      if (step.kind === 'greeting' && r.kind === 'continuation') this.add(first.lineNo, 'error', 'continuation', lintText('lint.continuation.before-command'));
      this.apply(r, head, greeting);
    }
  }

  /**
   * RFC 3501 §7.4.1, RFC 9051 §7.5.1: "An EXPUNGE response MUST NOT be sent when no command is in
   * progress, nor while responding to a FETCH, STORE, or SEARCH command" (UID FETCH, UID STORE and
   * UID SEARCH are other commands: they may get one). `incomplete` is the tag of a command whose
   * lines the server does not have all of yet (during the negotiation of a literal it is no command
   * in progress). Whether nothing is in progress is known only from the greeting on, up to an elision.
   */
  private expunge(line: TranscriptLine, incomplete: string | null): void {
    // An elision earlier in the step (marks apply from the next step on) may stand for anything.
    if (this.marks.openFrom < line.lineNo) return;
    const running = [...this.inFlight.entries()].filter(([tag]) => tag !== incomplete);
    for (const [tag, c] of running) {
      if (findImapCommand(c.command)?.noExpungeWhileInProgress !== true) continue;
      this.add(line.lineNo, 'error', 'expunge', lintText('lint.expunge.during', { command: c.command, tag, line: c.lineNo }));
      return;
    }
    if (running.length > 0 || !this.inFlightKnown) return;
    const pending = incomplete === null ? undefined : this.inFlight.get(incomplete);
    if (pending && incomplete !== null) this.add(line.lineNo, 'error', 'expunge', lintText('lint.expunge.incomplete', { command: pending.command, tag: incomplete }));
    else this.add(line.lineNo, 'error', 'expunge', lintText('lint.expunge.no-command'));
  }

  /** RFC 3501 §7.1: a status text starting with "[" is a response code, followed by SP and text. */
  private codedText(r: ExpectedResponse, head: ImapResponseHead): void {
    const first = r.lines[0] as TranscriptLine;
    if (head.kind === 'continuation' || head.status === null) return;
    const m = /^(\S+ \S+ )\[/.exec(first.text);
    if (!m) return;
    const prefix = (m[1] as string).length;
    const finding = this.grammar(IMAP_RULES.codedText, [{ ...first, text: first.text.slice(prefix) }], [0], prefix, (f) =>
      lintText(this.revision === 'rev2' ? 'lint.response-code.rev2' : 'lint.response-code.rev1', { detail: f.detail }),
    );
    this.report(finding, 'response-code');
  }

  /** Whether the capabilities were learnt after line `lineNo`. */
  private capabilitiesSince(lineNo: number): boolean {
    return this.capabilitiesLine > lineNo;
  }

  private learnCapabilities(text: string, lineNo: number): void {
    const capabilities = new Set(parseCapabilities(text));
    this.setCapabilities(capabilities);
    this.capabilitiesLine = lineNo;
    const rev1 = capabilities.has('IMAP4REV1');
    const rev2 = capabilities.has('IMAP4REV2');
    this.rev2Offered = rev2;
    // RFC 9051 §2.3: a server that offers both speaks IMAP4rev1 until the client enables IMAP4rev2.
    if (this.revision === 'rev2' && rev2) return;
    if (rev1 || rev2) {
      this.revision = rev1 ? 'rev1' : 'rev2';
      this.revisionLine = lineNo;
    }
  }

  private apply(r: ExpectedResponse, head: ImapResponseHead, greeting: boolean): void {
    const first = r.lines[0] as TranscriptLine;
    if (head.kind === 'untagged') {
      if (head.code?.name === 'CAPABILITY') this.learnCapabilities(head.code.text, first.lineNo);
      if (head.name === 'CAPABILITY' && head.status === null) this.learnCapabilities(head.text, first.lineNo);
      if (head.name === 'ENABLED' && head.status === null) {
        const enabled = parseCapabilities(head.text);
        if (enabled.includes('IMAP4REV2')) {
          this.revision = 'rev2';
          this.revisionLine = first.lineNo;
          this.rev2Enabled = true;
        }
        if (enabled.includes('UTF8=ACCEPT')) this.utf8 = true;
      }
      if (greeting) {
        this.started = true;
        this.inFlightKnown = !this.elided;
      }
      if (greeting) this.state = head.status === 'PREAUTH' ? 'authenticated' : head.status === 'BYE' ? 'logout' : 'not-authenticated';
      else if (head.status === 'BYE') this.state = 'logout';
      return;
    }
    if (head.kind !== 'tagged') return;
    if (head.code?.name === 'CAPABILITY') this.learnCapabilities(head.code.text, first.lineNo);
    const sent = this.inFlight.get(head.tag);
    if (!sent) {
      if (r.expectation === 'required' && this.started && !this.elided) this.add(first.lineNo, 'error', 'tag', lintText('lint.tag.unknown-completion', { tag: head.tag }));
      return;
    }
    this.inFlight.delete(head.tag);
    const ok = head.status === 'OK';
    const name = sent.command;
    // The state table (protocol/imap/state-moves.ts), which the session and the explanations read too.
    const move = imapStateMove(name, ok, this.state);
    if (move) {
      this.state = move.to;
      // RFC 3501 §6.2.3, RFC 8437 §3: once logged in, or the login undone, a server may offer other
      // capabilities; what it listed before holds only when it said so again after the command was
      // sent (an untagged CAPABILITY, or the OK's code).
      if (move.identity !== undefined && !this.capabilitiesSince(sent.lineNo)) this.setCapabilities(null);
      if (move.identity === 'reset') this.resetEnabled(first.lineNo);
    }
    // RFC 3501 §6.2.1: what the server said before TLS is void after it.
    if (ok && name === 'STARTTLS') this.setCapabilities(null);
  }

  /** RFC 8437 §4.1: after UNAUTHENTICATE, what ENABLE turned on is off (IMAP4rev2, UTF8=ACCEPT). */
  private resetEnabled(lineNo: number): void {
    this.utf8 = false;
    if (this.rev2Enabled) {
      this.rev2Enabled = false;
      this.revision = 'rev1';
      this.revisionLine = lineNo;
    }
  }
}

/**
 * A grammar error in a line where a literal ends before the line does. RFC 3501 §7.5 allows that
 * (`C: FRED FOOBAR {7}`: the literal "FRED FOOBAR", then the command goes on), but when what follows
 * does not read on, the literal's count is the likely fault: a count a few octets short leaves the
 * end of the data to be read as protocol, and one too long swallows the lines after it. Said so,
 * with the grammar's words, under the literal-count rule.
 */
function blameLiteralCount(finding: KeyedFinding | null, lines: readonly TranscriptLine[], chars: readonly number[]): KeyedFinding | null {
  if (finding === null || finding.rule !== 'grammar' || finding.severity !== 'error') return finding;
  let marker: { lineNo: number; size: number } | null = null;
  for (const [i, line] of lines.entries()) {
    if (finding.lineNo !== null && line.lineNo > finding.lineNo) break;
    const inLiteral = chars[i] ?? 0;
    // A literal that takes a line's text whole may still end between its CR and LF (a count one
    // short): then the failure is in that very line.
    const endsHere = inLiteral > 0 && (inLiteral < line.text.length || line.lineNo === finding.lineNo);
    if (endsHere && marker !== null) {
      const data = quotedText(line.text.slice(0, inLiteral), 24);
      return {
        lineNo: line.lineNo,
        severity: 'error',
        rule: 'literal-count',
        text: lintText('lint.literal.count', { literal: `{${marker.size}}`, line: marker.lineNo, data, failure: finding.text }),
      };
    }
    const m = parseLiteralMarker(wireBytes(line.text.slice(inLiteral)));
    if (m && m !== 'too-large') marker = { lineNo: line.lineNo, size: m.size };
  }
  return finding;
}

/** A state's name in findings (lint's catalogue: the `# state:` word in English). */
function imapStateName(state: ImapState): LintText {
  return lintText(`lint.state-name.imap.${state}`);
}
