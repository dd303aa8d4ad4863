/**
 * Test-runner output for replay (and the console report of serve): a line per transcript, the first
 * difference as a diff with the transcript's line number, a summary line, and JUnit XML for CI.
 * Pure: results in, text out; colors through the render palette's roles.
 */
import { escapeDisplayText } from '../render/escape.js';
import type { Span } from '../render/roles.js';
import type { Mismatch } from './match.js';
import { ENGLISH_REPLAY_WORDS, replayText, type ReplayWords } from './replay-words.js';
import type { ReplayResult } from './replay.js';

export interface NamedResult {
  /** The transcript's path as given. */
  name: string;
  result: ReplayResult;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
}

const STATUS_WORD = { passed: 'PASS', failed: 'FAIL', error: 'ERROR' } as const;

/**
 * The status line of one transcript, then for a failure its first difference, for an error why. The
 * difference in `words` (the reader's language; English by default); PASS, FAIL and ERROR stay as
 * test runners print them, and an error's message is English.
 */
export function resultSpans(r: NamedResult, words: ReplayWords = ENGLISH_REPLAY_WORDS): Span[][] {
  const { result } = r;
  const role = result.status === 'passed' ? 'status-ok' : result.status === 'failed' ? 'status-no' : 'status-bad';
  const lines: Span[][] = [
    [
      { role, text: STATUS_WORD[result.status] },
      { role: 'text', text: ` ${escapeDisplayText(r.name)} ` },
      { role: 'annotation', text: `(${formatDuration(result.durationMs)})` },
    ],
  ];
  if (result.status === 'failed') lines.push(...mismatchSpans(r.name, result.mismatch, 'server', words));
  if (result.status === 'error') lines.push([{ role: 'text', text: `    ${escapeDisplayText(result.error.message)}` }]);
  return lines;
}

/**
 * The first difference: where (file:line), why, and the two lines one above the other, expected
 * (`-`) and received (`+`), with the part where they part ways marked.
 */
export function mismatchSpans(name: string, m: Omit<Mismatch, 'said'> & Partial<Pick<Mismatch, 'said'>>, from: 'server' | 'client' = 'server', words: ReplayWords = ENGLISH_REPLAY_WORDS): Span[][] {
  const w = (key: Parameters<typeof replayText>[0], values?: Parameters<typeof replayText>[1]) => words.text(replayText(key, values));
  const where = m.line ? `${name}:${m.line.lineNo}` : name;
  const reason = m.said === undefined ? m.reason : words.text(m.said);
  const lines: Span[][] = [[{ role: 'text', text: `    ${escapeDisplayText(where)}: ${escapeDisplayText(reason)}` }]];
  if (m.expected !== null) {
    lines.push([
      { role: 'status-ok', text: `    - ${escapeDisplayText(m.expected)}` },
      { role: 'annotation', text: `   (${m.line ? w('replay.report.transcript-line', { line: m.line.lineNo }) : w('replay.report.transcript')})` },
    ]);
  }
  const received = m.received;
  if (received === null) {
    lines.push([{ role: 'status-no', text: `    + ${w('replay.report.nothing')}` }]);
  } else {
    const whole = escapeDisplayText(received);
    // `at` counts from after the "S: " prefix.
    const at = m.at === undefined ? -1 : Math.min(whole.length, m.at + (received.startsWith('S: ') ? 3 : 2));
    const { text, cut, before, after } = aroundMismatch(whole, at);
    const body: Span[] =
      cut < 0
        ? [{ role: 'status-no', text }]
        : [
            { role: 'status-no', text: text.slice(0, cut) },
            { role: 'secret', text: text.slice(cut) },
          ];
    const skipped = before > 0 ? w('replay.report.before', { n: before }) : '';
    const head: Span[] = before > 0 ? [{ role: 'annotation', text: skipped }] : [];
    const tail: Span[] = after > 0 ? [{ role: 'annotation', text: w('replay.report.after', { n: after }) }] : [];
    lines.push([{ role: 'status-no', text: '    + ' }, ...head, ...body, ...tail, { role: 'annotation', text: `   (${w(from === 'server' ? 'replay.report.server' : 'replay.report.client')})` }]);
    // Where the two part ways, for a reader without colors too.
    if (cut >= 0) lines.push([{ role: 'annotation', text: `${' '.repeat(6 + skipped.length + cut)}^` }]);
  }
  return lines;
}

/** The most of a received line a report shows: the part around where it parts from the transcript. */
const SHOWN_CHARACTERS = 1000;

/**
 * A received line cut to SHOWN_CHARACTERS around `at` (where it parts from the transcript; -1 for
 * nowhere in particular: its start), with how many characters were left out before and after. A
 * client or server may send a line of 64 KiB and more, and one report line should not print it all
 * (serve's reports and replay's go to terminals and CI logs).
 */
function aroundMismatch(text: string, at: number): { text: string; cut: number; before: number; after: number } {
  if (text.length <= SHOWN_CHARACTERS) return { text, cut: at, before: 0, after: 0 };
  let start = at <= SHOWN_CHARACTERS / 2 ? 0 : Math.min(at - SHOWN_CHARACTERS / 2, text.length - SHOWN_CHARACTERS);
  let end = start + SHOWN_CHARACTERS;
  // Not between the two halves of a character outside the BMP.
  if (isLowSurrogate(text.charCodeAt(start))) start++;
  if (isLowSurrogate(text.charCodeAt(end))) end--;
  // Counted as people count characters: a character outside the BMP is one, not two code units.
  const count = (part: string) => [...part].length;
  return { text: text.slice(start, end), cut: at < 0 ? -1 : at - start, before: count(text.slice(0, start)), after: count(text.slice(end)) };
}

/** `3 passed, 1 failed`, and how many could not run at all. */
export function summaryLine(results: readonly ReplayResult[]): string {
  const passed = results.filter((r) => r.status === 'passed').length;
  const errors = results.filter((r) => r.status === 'error').length;
  const failed = results.length - passed;
  return `${passed} passed, ${failed} failed${errors > 0 ? ` (${errors} could not run)` : ''}`;
}

function xml(text: string): string {
  // XML 1.0 allows no control characters but TAB, LF and CR.
  return text
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * A failure in one line, for the `message` attribute: CI pages (GitLab's test report, GitHub's
 * annotations) often show it alone, so it says what the transcript expected and what the server sent,
 * as the console report does, not the reason only. Both come from the mismatch, whose lines are the
 * transcript's own (a `<secret>` stays a placeholder) and the server's; each escaped as displayed.
 */
function failureMessage(m: Mismatch): string {
  const expected = m.expected === null ? '' : `; ${m.line ? `transcript line ${m.line.lineNo}` : 'transcript'}: "${escapeDisplayText(m.expected)}"`;
  const received = m.received === null ? 'nothing' : `"${escapeDisplayText(m.received)}"`;
  return `${escapeDisplayText(m.reason)}${expected}; server: ${received}`;
}

/** JUnit XML (the Ant/Jenkins schema GitLab, GitHub and Jenkins read): one testcase per transcript. */
export function junitXml(results: readonly NamedResult[], suite: { name: string; timestamp: string }): string {
  const failures = results.filter((r) => r.result.status === 'failed').length;
  const errors = results.filter((r) => r.result.status === 'error').length;
  const total = results.reduce((n, r) => n + r.result.durationMs, 0) / 1000;
  const cases = results.map(({ name, result }) => {
    const head = `  <testcase classname="${xml(suite.name)}" name="${xml(name)}" time="${(result.durationMs / 1000).toFixed(3)}"`;
    if (result.status === 'passed') return `${head}/>`;
    if (result.status === 'error') {
      return `${head}>\n    <error message="${xml(result.error.message)}" type="${result.error.code}"/>\n  </testcase>`;
    }
    const detail = mismatchSpans(name, result.mismatch)
      .map((spans) => spans.map((s) => s.text).join(''))
      .join('\n');
    return `${head}>\n    <failure message="${xml(failureMessage(result.mismatch))}" type="mismatch">${xml(detail)}</failure>\n  </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="${xml(suite.name)}" tests="${results.length}" failures="${failures}" errors="${errors}" skipped="0" time="${total.toFixed(3)}" timestamp="${xml(suite.timestamp)}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
