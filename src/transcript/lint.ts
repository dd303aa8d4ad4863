/**
 * lint: checks a transcript offline, without a server. Every command and response against the
 * protocol's formal syntax (IMAP: RFC 3501 §9 and RFC 9051 §9 with the extensions; POP3: RFC 2449
 * §3 and RFC 1939), and what a grammar cannot see (lint-imap.ts, lint-pop3.ts). Findings name the
 * line and the rule, and show transcript text as written (escaped where unsafe). Pure.
 */
import { findImapCommand } from '../protocol/imap/commands.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Protocol } from '../session/events.js';
import type { Transcript } from './format.js';
import type { Finding } from './lint-grammar.js';
import { ImapLinter } from './lint-imap.js';
import { sessionMarks } from './lint-marks.js';
import { Pop3Linter } from './lint-pop3.js';
import { parsePattern } from './pattern.js';
import { buildScript } from './script.js';

export type { Finding, Severity } from './lint-grammar.js';

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
    return findings.map((f) => ({ ...f, message: escapeDisplayText(f.message) }));
  }
  if (!protocol) {
    protocol = guessProtocol(t);
    findings.push({ lineNo: null, severity: 'note', rule: 'protocol', message: `no "# protocol:" line; read as ${protocol.toUpperCase()} from its lines` });
  }
  const steps = buildScript(t.lines, protocol);
  const marks = sessionMarks(t);
  const linter = protocol === 'imap' ? new ImapLinter(findings, marks) : new Pop3Linter(t, findings, marks);
  linter.run(steps);
  checkPatterns(t, findings);
  // Messages quote transcript text (tags, command names, users): whatever a file holds, what reaches
  // a terminal is escaped (idempotent on text escaped before).
  return findings.map((f) => ({ ...f, message: escapeDisplayText(f.message) })).sort((a, b) => (a.lineNo ?? 0) - (b.lineNo ?? 0));
}

/** The protocol of a transcript without "# protocol:", from its lines. */
export function guessProtocol(t: Transcript): Protocol {
  for (const l of t.lines) {
    if (l.direction === 'S' && /^[+-](OK|ERR)\b/.test(l.text)) return 'pop3';
    if (l.direction === 'S' && /^\* /.test(l.text)) return 'imap';
  }
  return t.lines.some((l) => l.direction === 'C' && /^\S+ \S/.test(l.text) && findImapCommand(l.text.split(' ')[1] ?? '') !== undefined) ? 'imap' : 'pop3';
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
