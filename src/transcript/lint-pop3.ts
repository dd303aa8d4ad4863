/**
 * lint for POP3 transcripts: commands and replies against RFC 2449 §3 and RFC 1939's commands and
 * listings, multi-line replies left open, line lengths, commands out of their state or without the
 * capability CAPA announced, SASL challenges (RFC 5034 §4), APOP digests against a declared secret.
 * A fragment's state is unknown until the transcript shows it; an elision makes it unknown again; a
 * `# state:` directive declares it. Pure.
 */
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { findPop3Command, pop3ReplyShapeFor, type Pop3State } from '../protocol/pop3/commands.js';
import { POP3_MAX_COMMAND_OCTETS, POP3_MAX_REPLY_LINE_OCTETS, pop3Grammar } from '../protocol/pop3/grammar.js';
import { isPreliminaryGreeting } from '../protocol/preliminary-greetings.js';
import { wireBytes, type SecretDeclaration, type TranscriptLine } from './format.js';
import { grammarCheck, grammarFinding, HOLE_STAND_INS, type KeyedFinding, type Severity } from './lint-grammar.js';
import { PendingMarks, type SessionMark } from './lint-marks.js';
import { lintText, type LintText } from './lint-text.js';
import { parsePattern } from './pattern.js';
import type { Step } from './script.js';

/** A hole in a SASL challenge (the recorder writes `+ $`) stands for base64 too. */
const CHALLENGE_STAND_INS = [...HOLE_STAND_INS, 'eA=='];

const POP3_STATES: ReadonlySet<string> = new Set(['authorization', 'transaction', 'update']);

export class Pop3Linter {
  private state: Pop3State | 'unknown' = 'unknown';
  /** From the last CAPA: upper-case tags; null when not known. */
  private capa: Set<string> | null = null;
  private greeting: string | null = null;
  private readonly grammar = pop3Grammar();

  /** The text of the last command sent: a challenge's answer and the reply belong to it. */
  private lastCommand = '';

  private readonly marks = new PendingMarks();

  /**
   * @param secrets - the file's `# secret:` declarations (all of them: one may follow the APOP it is for)
   * @param findings - where findings go, as they are found (not in line order: see lint.ts)
   */
  constructor(
    private readonly secrets: readonly SecretDeclaration[],
    private readonly findings: { push(f: KeyedFinding): void },
  ) {}

  private add(lineNo: number | null, severity: Severity, rule: string, text: LintText): void {
    this.findings.push({ lineNo, severity, rule, text });
  }

  private check(rule: string, line: TranscriptLine): boolean {
    const failure = grammarCheck(this.grammar, rule, [line], [0]);
    if (failure) this.findings.push(grammarFinding(failure));
    return failure === null || failure.unchecked === true;
  }

  /** An elision or a `# state:` line, in file order: it takes effect before the next step after it. */
  mark(mark: SessionMark): void {
    this.marks.add(mark);
  }

  /** The next step of the transcript. */
  step(step: Step): void {
    this.marks.applyBefore(step, (m) => this.applyMark(m));
    if (step.kind === 'greeting') this.greetingStep(step);
    else if (step.kind === 'command') this.command(step);
    else for (const item of step.client) if (item.line.text !== '*') this.check('sasl-response', item.line);
    this.replies(step);
  }

  /** The end of the transcript: POP3 leaves nothing open that lint reports. */
  finish(): void {}

  /** The first line a later finding may still be about: a pending mark. */
  get openFrom(): number {
    return this.marks.openFrom;
  }

  private applyMark(mark: SessionMark): void {
    if (mark.kind === 'elision') {
      // What the elision stands for may have logged in, or upgraded to TLS.
      this.state = 'unknown';
      this.capa = null;
    } else if (POP3_STATES.has(mark.state) || mark.state === 'unknown') {
      this.state = mark.state as Pop3State | 'unknown';
    } else {
      this.add(mark.lineNo, 'error', 'state', lintText('lint.state.directive.pop3', { state: mark.state }));
    }
  }

  private greetingStep(step: Step): void {
    const first = step.server.find((r) => r.expectation !== 'forbidden' && !isPreliminaryGreeting(r.lines[0]?.text ?? '', 'pop3'));
    if (!first) return;
    const line = first.lines[0] as TranscriptLine;
    this.greeting = line.text;
    if (line.text.startsWith('+OK')) {
      this.check('greeting', line);
      this.state = 'authorization';
    } else {
      this.check('single-line', line);
    }
  }

  private command(step: Step): void {
    const line = step.client[0]?.line as TranscriptLine;
    const name = step.command ?? '';
    this.lastCommand = line.text;
    const spec = findPop3Command(name);
    if (wireBytes(line.text).length + 2 > POP3_MAX_COMMAND_OCTETS) {
      this.add(line.lineNo, 'error', 'line-length', lintText('lint.line-length.command', { octets: wireBytes(line.text).length + 2, max: POP3_MAX_COMMAND_OCTETS }));
    }
    if (spec) this.check('pop3-command', line);
    else if (this.check('command', line)) this.add(line.lineNo, 'note', 'command', lintText('lint.command.unknown', { command: name }));
    if (!spec) return;
    if (this.state !== 'unknown' && !spec.states.includes(this.state)) {
      const states = spec.states.map(pop3StateName);
      this.add(line.lineNo, 'error', 'state', lintText('lint.state.invalid', { command: name, state: pop3StateName(this.state), rfc: spec.rfc, states, count: states.length }));
    }
    if (this.capa && spec.capability && !this.capa.has(spec.capability)) {
      this.add(line.lineNo, 'error', 'capability', lintText('lint.capability.pop3', { command: name, capability: spec.capability, rfc: spec.rfc }));
    }
    if (name === 'APOP') this.apop(line);
  }

  /** RFC 1939 §7: the digest is MD5 of the greeting's timestamp and the shared secret. */
  private apop(line: TranscriptLine): void {
    const request = parseApopRequest(line.text);
    if (!request?.digest) return;
    const declared = this.secrets.find((s) => s.user === request.user);
    const timestamp = this.greeting === null || parsePattern(this.greeting).hasHoles ? null : greetingTimestamp(this.greeting);
    if (this.greeting !== null && timestamp === null && !parsePattern(this.greeting).hasHoles) {
      this.add(line.lineNo, 'error', 'apop', lintText('lint.apop.no-timestamp'));
      return;
    }
    if (timestamp === null) return;
    if (!declared || declared.secret === null) {
      const why = declared ? lintText('lint.apop.secret-not-named', { user: request.user, line: declared.lineNo }) : lintText('lint.apop.no-secret', { user: request.user });
      this.add(line.lineNo, 'note', 'apop', lintText('lint.apop.unchecked', { why, user: request.user }));
      return;
    }
    const expected = apopDigest(timestamp, declared.secret);
    if (request.digest.toLowerCase() !== expected) {
      this.add(line.lineNo, 'error', 'apop', lintText('lint.apop.wrong', { timestamp, user: request.user, expected }));
    }
  }

  private replies(step: Step): void {
    // An answer to a SASL challenge is a step of its own; its replies belong to the AUTH before it.
    const command = step.kind === 'greeting' ? '' : this.lastCommand;
    const name = step.command ?? (command.split(' ')[0] ?? '').toUpperCase();
    const hasArgs = command.trim().split(/\s+/).length > 1;
    let status: TranscriptLine | null = null;
    let ended = false;
    for (const r of step.server) {
      if (r.expectation === 'forbidden') continue;
      const line = r.lines[0] as TranscriptLine;
      if (step.kind === 'greeting') continue;
      switch (r.kind) {
        case 'status':
          status = line;
          if (wireBytes(line.text).length + 2 > POP3_MAX_REPLY_LINE_OCTETS) {
            this.add(line.lineNo, 'error', 'line-length', lintText('lint.line-length.reply', { octets: wireBytes(line.text).length + 2, max: POP3_MAX_REPLY_LINE_OCTETS }));
          }
          if (!this.check('single-line', line)) break;
          if (line.text.startsWith('+OK')) this.success(name, hasArgs, line);
          break;
        case 'continuation': {
          const failure = grammarCheck(this.grammar, 'sasl-challenge', [line], [0], 0, CHALLENGE_STAND_INS);
          if (failure) this.findings.push(grammarFinding(failure, 'grammar', (f) => lintText('lint.sasl.challenge', { detail: f.text })));
          break;
        }
        case 'body':
          if (name === 'LIST' && !hasArgs) this.check('scan-listing', line);
          else if (name === 'UIDL' && !hasArgs) this.check('uid-listing', line);
          else if (name === 'CAPA') {
            if (this.check('capability', line)) this.capa?.add((line.text.split(' ')[0] ?? '').toUpperCase());
          } else this.check('dot-stuffed', line);
          break;
        case 'end':
          ended = true;
          break;
      }
    }
    if (step.kind === 'command' && status?.text.startsWith('+OK') && pop3ReplyShapeFor(command) === 'multiline-if-ok' && !ended) {
      this.add(status.lineNo, 'error', 'multiline', lintText('lint.multiline.open', { command: name }));
    }
  }

  private success(name: string, hasArgs: boolean, line: TranscriptLine): void {
    if (name === 'STAT') this.check('drop-listing', line);
    if (name === 'LIST' && hasArgs) this.check('scan-reply', line);
    if (name === 'UIDL' && hasArgs) this.check('uid-reply', line);
    if (name === 'CAPA') this.capa = new Set();
    if ((name === 'PASS' || name === 'APOP' || name === 'AUTH') && this.state !== 'transaction' && !(name === 'AUTH' && !hasArgs)) this.state = 'transaction';
    if (name === 'QUIT') this.state = this.state === 'transaction' ? 'update' : this.state;
    // RFC 2595 §4: capabilities learnt before STLS are void after it.
    if (name === 'STLS') this.capa = null;
  }
}

/** A state's name in findings (lint's catalogue: RFC 1939's upper-case name in English). */
function pop3StateName(state: Pop3State): LintText {
  return lintText(`lint.state-name.pop3.${state}`);
}
