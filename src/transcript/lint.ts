/**
 * lint: checks a transcript offline, without a server. Every command and response against the
 * protocol's formal syntax (IMAP: RFC 3501 §9 and extensions; POP3: RFC 2449 §3 and RFC 1939), and
 * what a grammar cannot see: completions whose tag no command sent, literal octet counts, a "+"
 * before a synchronizing literal, POP3 multi-line replies left open, commands out of their state or
 * without the capability the server announced, APOP digests against a declared secret. Findings
 * name the line and the rule. Pure.
 */
import type { Grammar } from '../protocol/abnf.js';
import { findImapCommand, imapCapabilityOffers, type ImapState } from '../protocol/imap/commands.js';
import { parseLiteralMarker } from '../protocol/imap/framer.js';
import { IMAP_RULES, imapGrammar } from '../protocol/imap/grammar.js';
import { parseCapabilities, parseImapResponseHead } from '../protocol/imap/response.js';
import { apopDigest, greetingTimestamp, parseApopRequest } from '../protocol/pop3/apop.js';
import { findPop3Command, pop3ReplyShapeFor, type Pop3State } from '../protocol/pop3/commands.js';
import { POP3_MAX_COMMAND_OCTETS, POP3_MAX_REPLY_LINE_OCTETS, pop3Grammar } from '../protocol/pop3/grammar.js';
import { isPreliminaryGreeting } from '../session/greeting.js';
import type { Protocol } from '../session/events.js';
import { SECRET_PLACEHOLDER } from '../protocol/secret-placeholder.js';
import { ImapInputAssembler } from '../session/imap-input.js';
import { wireBytes, type Transcript, type TranscriptLine } from './format.js';
import { parsePattern } from './pattern.js';
import { buildScript, secretLiteralStandIn, type ExpectedResponse, type Step } from './script.js';

export type Severity = 'error' | 'note';

export interface Finding {
  /** The transcript line, or null for the whole file. */
  lineNo: number | null;
  severity: Severity;
  /** A short name of what was checked: grammar, tag, literal-count, sync-literal, state, ... */
  rule: string;
  message: string;
}

export interface LintOptions {
  /** The protocol when the transcript does not say it. */
  protocol?: Protocol;
}

/** Lints a transcript; findings in line order. */
export function lintTranscript(t: Transcript, options: LintOptions = {}): Finding[] {
  const findings: Finding[] = t.notes.map((n) => ({ lineNo: n.lineNo, severity: 'note' as const, rule: 'format', message: n.message }));
  let protocol = options.protocol ?? t.directives.protocol;
  if (!protocol && t.directives.otherProtocol !== undefined) {
    findings.push({ lineNo: null, severity: 'note', rule: 'protocol', message: `a ${t.directives.otherProtocol} transcript is no IMAP or POP3 session: not checked` });
    return findings;
  }
  if (!protocol) {
    protocol = guessProtocol(t);
    findings.push({ lineNo: null, severity: 'note', rule: 'protocol', message: `no "# protocol:" line; read as ${protocol.toUpperCase()} from its lines` });
  }
  const steps = buildScript(t.lines, protocol);
  const linter = protocol === 'imap' ? new ImapLinter(findings) : new Pop3Linter(t, findings);
  linter.run(steps);
  checkPatterns(t, findings);
  return findings.sort((a, b) => (a.lineNo ?? 0) - (b.lineNo ?? 0));
}

function guessProtocol(t: Transcript): Protocol {
  for (const l of t.lines) {
    if (l.direction === 'S' && /^[+-](OK|ERR)\b/.test(l.text)) return 'pop3';
    if (l.direction === 'S' && /^\* /.test(l.text)) return 'imap';
  }
  return t.lines.some((l) => l.direction === 'C' && /^\S+ \S/.test(l.text) && findImapCommand(l.text.split(' ')[1] ?? '') !== undefined) ? 'imap' : 'pop3';
}

// --- grammar helpers --------------------------------------------------------------------------------

/** Stand-ins a hole may take when a patterned line is checked: a number, a quoted string, a list, a word, a date-time. */
const HOLE_STAND_INS = ['1', '"x"', '(1)', 'x', '" 1-Jan-2000 00:00:00 +0000"'];
const MAX_HOLES = 3;

/** The octets a group of lines stands for, each ended by CRLF: every way of filling their holes. */
function lineVariants(lines: readonly TranscriptLine[], literalChars: readonly number[]): Buffer[] | null {
  const texts: string[][] = [];
  let holes = 0;
  for (const [i, line] of lines.entries()) {
    const literal = line.text.slice(0, literalChars[i] ?? 0);
    const rest = line.text.slice(literalChars[i] ?? 0).replaceAll(SECRET_PLACEHOLDER, 'eA==');
    const pattern = parsePattern(rest);
    const count = pattern.parts.filter((p) => p.kind === 'hole').length;
    holes += count;
    if (holes > MAX_HOLES) return null;
    let variants = [literal];
    for (const part of pattern.parts) {
      variants = part.kind === 'text' ? variants.map((v) => v + part.text) : variants.flatMap((v) => HOLE_STAND_INS.map((s) => v + s));
    }
    texts.push(variants);
  }
  let combos: string[][] = [[]];
  for (const variants of texts) combos = combos.flatMap((c) => variants.map((v) => [...c, v]));
  return combos.map((c) => Buffer.concat(c.map((text) => Buffer.concat([wireBytes(text), Buffer.from('\r\n')]))));
}

/** Checks lines against a rule; null when they match (in some filling of their holes), else why not. */
function grammarCheck(
  grammar: Grammar,
  rule: string,
  lines: readonly TranscriptLine[],
  literalChars: readonly number[],
  columnOffset = 0,
): GrammarFailure | null {
  const variants = lineVariants(lines, literalChars);
  if (variants === null) return null;
  let best: { furthest: number; expected: string[]; input: string } | null = null;
  for (const bytes of variants) {
    const input = bytes.toString('latin1');
    const r = grammar.match(rule, input);
    if (r.ok) return null;
    if (r.unchecked !== undefined) return uncheckedFailure(lines[0] as TranscriptLine, r.unchecked);
    if (!best || r.furthest > best.furthest) best = { furthest: r.furthest, expected: r.expected, input };
  }
  if (!best) return null;
  return { at: lineAt(lines, best.input, best.furthest), message: describeFailure(rule, best.input, best.furthest, best.expected, columnOffset) };
}

/** A line the grammar check gave up on, or one that does not match (an error). */
interface GrammarFailure {
  at: TranscriptLine;
  message: string;
  severity?: Severity;
}

/** Input too complex or too deeply nested to check: said as a note, not taken for an error. */
function uncheckedFailure(at: TranscriptLine, why: string): GrammarFailure {
  return { at, severity: 'note', message: `not checked against the formal syntax: ${why}` };
}

/** Which of the lines an octet offset falls in. */
function lineAt(lines: readonly TranscriptLine[], input: string, offset: number): TranscriptLine {
  const before = input.slice(0, offset);
  const index = Math.min(lines.length - 1, (before.match(/\r\n/g) ?? []).length);
  return lines[index] as TranscriptLine;
}

/** How a rule is named in messages: the RFC's names, not lint's own helper rules. */
const RULE_NAMES: Readonly<Record<string, string>> = {
  'mailwire-untagged': 'response-data',
  'mailwire-sasl-response': 'base64 answer',
  'mailwire-coded-text': 'resp-text',
};

function describeFailure(rule: string, input: string, at: number, expected: string[], columnOffset = 0): string {
  const lineStart = input.lastIndexOf('\n', at - 1) + 1;
  const column = at - lineStart + 1 + columnOffset;
  const rest = input.slice(at, at + 20).replace(/\r\n[\s\S]*$/, '');
  const found = rest === '' ? (input.startsWith('\r\n', at) ? 'the end of the line' : 'the end') : `"${rest.length === 20 ? `${rest}…` : rest}"`;
  const wanted = expected.length > 0 ? `expected ${expected.slice(0, 8).join(', ')}${expected.length > 8 ? ', …' : ''}` : 'the line cannot continue';
  const name = RULE_NAMES[rule] ?? rule;
  return `not ${article(name)} ${name} (formal syntax): at column ${column}, ${wanted}; found ${found}`;
}

function article(rule: string): string {
  return /^[aeiou]/i.test(rule) ? 'an' : 'a';
}

/** Captures a client line uses must be set by an earlier server line; a bare "$" cannot be sent. */
function checkPatterns(t: Transcript, findings: Finding[]): void {
  const set = new Set<string>();
  for (const line of t.lines) {
    const pattern = parsePattern(line.text);
    if (!pattern.hasHoles) continue;
    for (const part of pattern.parts) {
      if (part.kind !== 'hole') continue;
      if (line.direction === 'S') {
        if (part.name !== null) set.add(part.name);
      } else if (part.name === null) {
        findings.push({ lineNo: line.lineNo, severity: 'error', rule: 'pattern', message: 'a bare "$" in a client line cannot be sent (replay) and matches anything (serve); write "$$" for a dollar sign' });
      } else if (!set.has(part.name)) {
        findings.push({ lineNo: line.lineNo, severity: 'error', rule: 'pattern', message: `$${part.name} is used before any server line captures it (write "$$" for a dollar sign)` });
      }
    }
  }
}

// --- IMAP -------------------------------------------------------------------------------------------

const CRLF = Buffer.from('\r\n');

class ImapLinter {
  private state: ImapState | 'unknown' = 'unknown';
  /** From the last CAPABILITY response or code; null when not known (or void after STARTTLS). */
  private capabilities: Set<string> | null = null;
  /** Tags of commands sent and not completed, with the line that sent them. */
  private readonly inFlight = new Map<string, { lineNo: number; command: string }>();
  private readonly grammar = imapGrammar();

  constructor(private readonly findings: Finding[]) {}

  private add(lineNo: number | null, severity: Severity, rule: string, message: string): void {
    this.findings.push({ lineNo, severity, rule, message });
  }

  run(steps: readonly Step[]): void {
    for (const step of steps) {
      if (step.kind === 'command') this.command(step);
      else if (step.kind === 'response') this.response(step);
      this.responses(step);
    }
    for (const [tag, c] of this.inFlight) this.add(c.lineNo, 'note', 'completion', `no completion for ${tag} ${c.command} in the transcript`);
  }

  private command(step: Step): void {
    const first = step.client[0]?.line as TranscriptLine;
    const name = step.command ?? '';
    this.literals(step);
    if (!step.incompleteLiteral) {
      const lines = step.client.map((c) => c.line);
      const chars = step.client.map((c) => c.literalChars);
      const secret = step.client.map((c) => c.secretLiteral === true);
      const failure = secret.some(Boolean) ? this.checkWithSecretLiterals(step) : grammarCheck(this.grammar, IMAP_RULES.command, lines, chars);
      if (failure) this.add(failure.at.lineNo, failure.severity ?? 'error', 'grammar', failure.message);
    }
    if (step.tag !== null) {
      const busy = this.inFlight.get(step.tag);
      if (busy) this.add(first.lineNo, 'error', 'tag', `tag ${step.tag} is still in use by ${busy.command} (line ${busy.lineNo}): RFC 3501 §2.2.1 wants a different tag for each command`);
      this.inFlight.set(step.tag, { lineNo: first.lineNo, command: name });
    }
    const spec = findImapCommand(name.split(' ')[0] ?? '');
    if (!spec) return;
    if (this.state !== 'unknown' && !spec.states.includes(this.state)) {
      this.add(first.lineNo, 'error', 'state', `${name} is not valid in the ${this.state} state (${spec.rfc}: ${spec.states.join(', ')})`);
    }
    if (this.capabilities) {
      if (!imapCapabilityOffers(spec, this.capabilities)) {
        this.add(first.lineNo, 'error', 'capability', `${name} needs the ${spec.capability} capability, which the server's last CAPABILITY does not list (${spec.rfc})`);
      }
      if (name === 'LOGIN' && this.capabilities.has('LOGINDISABLED')) {
        this.add(first.lineNo, 'error', 'capability', 'LOGIN while the server announces LOGINDISABLED: RFC 3501 §6.2.3 says the client MUST NOT');
      }
    }
  }

  /** A password literal recorded as `<secret>`: checked with stand-in octets of the announced count. */
  private checkWithSecretLiterals(step: Step): GrammarFailure | null {
    const assembler = new ImapInputAssembler();
    const parts: Buffer[] = [];
    for (const item of step.client) {
      const bytes = item.secretLiteral ? secretLiteralStandIn(assembler.literalOctetsLeft) : wireBytes(item.line.text.replaceAll(SECRET_PLACEHOLDER, 'eA=='));
      assembler.push(bytes);
      parts.push(bytes, CRLF);
    }
    const input = Buffer.concat(parts).toString('latin1');
    const r = this.grammar.match(IMAP_RULES.command, input);
    const lines = step.client.map((c) => c.line);
    if (!r.ok && r.unchecked !== undefined) return uncheckedFailure(lines[0] as TranscriptLine, r.unchecked);
    return r.ok ? null : { at: lineAt(lines, input, r.furthest), message: describeFailure(IMAP_RULES.command, input, r.furthest, r.expected) };
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
            this.add(line.lineNo, 'error', 'literal-count', `the literal {${marker.size}} of line ${marker.lineNo} is not complete when the server speaks here: its lines hold ${marker.size - assembler.literalOctetsLeft} octets`);
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
          this.add(line.lineNo, 'error', 'sync-literal', `literal data sent before the server's "+" for the synchronizing literal {${marker.size}} of line ${marker.lineNo} (RFC 3501 §7.5); {${marker.size}+} needs LITERAL+ (RFC 7888)`);
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
      this.add(marker.lineNo, 'error', 'literal-count', `the literal {${marker.size}} announces ${marker.size} octets, and the transcript's lines hold ${marker.size - assembler.literalOctetsLeft}`);
    }
  }

  /** Answers to a "+": AUTHENTICATE responses are base64 or "*"; IDLE ends with DONE. */
  private response(step: Step): void {
    const line = step.client[0]?.line as TranscriptLine;
    const command = step.command ?? '';
    if (command === 'IDLE') {
      if (!/^DONE$/i.test(line.text)) this.add(line.lineNo, 'error', 'grammar', `IDLE is ended by "DONE" (RFC 2177 §3), not "${line.text}"`);
      return;
    }
    if (command === 'AUTHENTICATE') {
      const failure = grammarCheck(this.grammar, IMAP_RULES.saslResponse, [line], [0]);
      if (failure) this.add(line.lineNo, failure.severity ?? 'error', 'grammar', `an AUTHENTICATE answer is base64 or "*" (RFC 3501 §6.2.2): ${failure.message}`);
      return;
    }
    if (command !== 'AUTHENTICATE') this.add(line.lineNo, 'note', 'continuation', `a line answering "+" for ${command || 'a command'}: not checked`);
  }

  private responses(step: Step): void {
    let greeted = step.kind !== 'greeting';
    for (const r of step.server) {
      if (r.expectation === 'forbidden') continue;
      const first = r.lines[0] as TranscriptLine;
      const head = parseImapResponseHead(wireBytes(first.text).toString('latin1'));
      let rule: string = r.kind === 'tagged' ? IMAP_RULES.tagged : r.kind === 'continuation' ? IMAP_RULES.continuation : IMAP_RULES.untagged;
      const preliminary = head.kind === 'untagged' && head.status === 'OK' && isPreliminaryGreeting(head.text);
      if (!greeted && head.kind === 'untagged' && !preliminary) {
        rule = IMAP_RULES.greeting;
        greeted = true;
      }
      if (r.complete) {
        const failure = grammarCheck(this.grammar, rule, r.lines, r.literalChars);
        if (failure) this.add(failure.at.lineNo, failure.severity ?? 'error', 'grammar', failure.message);
        else this.codedText(r, head);
      } else {
        this.add(first.lineNo, 'error', 'literal-count', `the response's literal is not complete: the lines after its {n} hold fewer octets than it announces`);
      }
      if (step.kind === 'greeting' && r.kind === 'continuation') this.add(first.lineNo, 'error', 'continuation', 'a "+" continuation request before any command');
      this.apply(r, head, rule === IMAP_RULES.greeting);
    }
  }

  /** RFC 3501 §7.1: a status text starting with "[" is a response code, followed by SP and text. */
  private codedText(r: ExpectedResponse, head: ReturnType<typeof parseImapResponseHead>): void {
    const first = r.lines[0] as TranscriptLine;
    if (head.kind === 'continuation' || head.status === null) return;
    const m = /^(\S+ \S+ )\[/.exec(first.text);
    if (!m) return;
    const prefix = (m[1] as string).length;
    const failure = grammarCheck(this.grammar, IMAP_RULES.codedText, [{ ...first, text: first.text.slice(prefix) }], [0], prefix);
    if (failure?.severity === 'note') this.add(first.lineNo, 'note', 'response-code', failure.message);
    else if (failure) {
      this.add(first.lineNo, 'error', 'response-code', `the text starts with "[" but is no response code followed by SP and text: ${failure.message.replace(/^not an? [^:]+: /, '')} (RFC 3501 §7.1, §9 resp-text)`);
    }
  }

  private apply(r: ExpectedResponse, head: ReturnType<typeof parseImapResponseHead>, greeting: boolean): void {
    const first = r.lines[0] as TranscriptLine;
    if (head.kind === 'untagged') {
      if (head.code?.name === 'CAPABILITY') this.capabilities = new Set(parseCapabilities(head.code.text));
      if (head.name === 'CAPABILITY' && head.status === null) this.capabilities = new Set(parseCapabilities(head.text));
      if (greeting) this.state = head.status === 'PREAUTH' ? 'authenticated' : head.status === 'BYE' ? 'logout' : 'not-authenticated';
      else if (head.status === 'BYE') this.state = 'logout';
      return;
    }
    if (head.kind !== 'tagged') return;
    if (head.code?.name === 'CAPABILITY') this.capabilities = new Set(parseCapabilities(head.code.text));
    const sent = this.inFlight.get(head.tag);
    if (!sent) {
      if (r.expectation === 'required') this.add(first.lineNo, 'error', 'tag', `a completion for tag ${head.tag}, which no command in progress has`);
      return;
    }
    this.inFlight.delete(head.tag);
    const ok = head.status === 'OK';
    const name = sent.command;
    if (ok && (name === 'LOGIN' || name === 'AUTHENTICATE')) this.state = 'authenticated';
    else if (name === 'SELECT' || name === 'EXAMINE') this.state = ok ? 'selected' : this.state === 'unknown' ? 'unknown' : 'authenticated';
    else if (ok && (name === 'CLOSE' || name === 'UNSELECT')) this.state = 'authenticated';
    else if (name === 'LOGOUT') this.state = 'logout';
    // RFC 3501 §6.2.1: what the server said before TLS is void after it.
    else if (ok && name === 'STARTTLS') this.capabilities = null;
  }
}

// --- POP3 -------------------------------------------------------------------------------------------

class Pop3Linter {
  private state: Pop3State | 'unknown' = 'unknown';
  /** From the last CAPA: upper-case tags; null when not known. */
  private capa: Set<string> | null = null;
  private greeting: string | null = null;
  private readonly grammar = pop3Grammar();

  constructor(
    private readonly t: Transcript,
    private readonly findings: Finding[],
  ) {}

  private add(lineNo: number | null, severity: Severity, rule: string, message: string): void {
    this.findings.push({ lineNo, severity, rule, message });
  }

  private check(rule: string, line: TranscriptLine): boolean {
    const failure = grammarCheck(this.grammar, rule, [line], [0]);
    if (failure) this.add(line.lineNo, failure.severity ?? 'error', 'grammar', failure.message);
    return failure === null || failure.severity === 'note';
  }

  run(steps: readonly Step[]): void {
    for (const step of steps) {
      if (step.kind === 'greeting') this.greetingStep(step);
      else if (step.kind === 'command') this.command(step);
      else for (const item of step.client) if (item.line.text !== '*') this.check('sasl-response', item.line);
      this.replies(step);
    }
  }

  private greetingStep(step: Step): void {
    const first = step.server.find((r) => r.expectation !== 'forbidden' && !isPreliminaryGreeting((r.lines[0]?.text ?? '').replace(/^\+OK\s*/, '')));
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
    const spec = findPop3Command(name);
    if (wireBytes(line.text).length + 2 > POP3_MAX_COMMAND_OCTETS) {
      this.add(line.lineNo, 'error', 'line-length', `a command of ${wireBytes(line.text).length + 2} octets: RFC 2449 §4 allows ${POP3_MAX_COMMAND_OCTETS}, CRLF included`);
    }
    if (spec) this.check('pop3-command', line);
    else if (this.check('command', line)) this.add(line.lineNo, 'note', 'command', `${name} is no command of RFC 1939 or its extensions that mailwire knows`);
    if (!spec) return;
    if (this.state !== 'unknown' && !spec.states.includes(this.state)) {
      this.add(line.lineNo, 'error', 'state', `${name} is not valid in the ${this.state.toUpperCase()} state (${spec.rfc}: ${spec.states.map((s) => s.toUpperCase()).join(', ')})`);
    }
    if (this.capa && spec.capability && !this.capa.has(spec.capability)) {
      this.add(line.lineNo, 'error', 'capability', `${name} needs the ${spec.capability} capability, which the server's last CAPA does not list (${spec.rfc})`);
    }
    if (name === 'APOP') this.apop(line);
  }

  /** RFC 1939 §7: the digest is MD5 of the greeting's timestamp and the shared secret. */
  private apop(line: TranscriptLine): void {
    const request = parseApopRequest(line.text);
    if (!request?.digest) return;
    const declared = this.t.directives.secrets.find((s) => s.user === request.user);
    const timestamp = this.greeting === null || parsePattern(this.greeting).hasHoles ? null : greetingTimestamp(this.greeting);
    if (this.greeting !== null && timestamp === null && !parsePattern(this.greeting).hasHoles) {
      this.add(line.lineNo, 'error', 'apop', 'APOP, but the greeting has no timestamp <...@...> to compute a digest from (RFC 1939 §7)');
      return;
    }
    if (!declared || declared.secret === null || timestamp === null) return;
    const expected = apopDigest(timestamp, declared.secret);
    if (request.digest.toLowerCase() !== expected) {
      this.add(line.lineNo, 'error', 'apop', `the APOP digest is not MD5("${timestamp}" + the declared secret of ${request.user}): that is ${expected}`);
    }
  }

  private replies(step: Step): void {
    const command = step.kind === 'command' ? (step.client[0]?.line.text ?? '') : '';
    const name = step.command ?? '';
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
            this.add(line.lineNo, 'error', 'line-length', `a reply line of ${wireBytes(line.text).length + 2} octets: RFC 2449 §4 allows ${POP3_MAX_REPLY_LINE_OCTETS}, CRLF included`);
          }
          if (!this.check('single-line', line)) break;
          if (line.text.startsWith('+OK')) this.success(name, hasArgs, line);
          break;
        case 'continuation':
          if (!/^\+(?: [A-Za-z0-9+/]*={0,2})?$/.test(line.text)) this.add(line.lineNo, 'error', 'grammar', 'a SASL challenge is "+" SP base64 (RFC 5034 §4)');
          break;
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
      this.add(status.lineNo, 'error', 'multiline', `the multi-line reply to ${name} is not ended by a "." line before the next command (RFC 1939 §3)`);
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
