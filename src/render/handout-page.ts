/**
 * A handout: sessions as one self-contained HTML page for a class (`mailwire handout`). Each session
 * shows its lines as the terminal colors them (the spans of line-spans.ts, one CSS class per role),
 * what each line means beside it, the lint findings at their lines, and the state machine with the
 * states the session passed through and the commands that moved it (state-machine.ts's data).
 *
 * Every text of a session came from a file and is hostile: it is escaped twice over, first as the
 * terminal escapes it (escape.ts: controls, invalid bytes, bidi marks become visible `\xNN`), then
 * for HTML (& < > " '), and it is only ever put in element content, never in an attribute. On top of
 * that the page forbids itself scripts and remote loads (Content-Security-Policy: only its own style
 * sheet, allowed by hash), so an escaping bug could still not run code or call out. Pure: a model in,
 * a string out.
 */
import { createHash } from 'node:crypto';
import type { Language } from '../protocol/explain/language.js';
import { stateMachineFor, type MachineState } from '../protocol/explain/state-machine.js';
import { Words } from '../protocol/explain/words.js';
import type { Protocol } from '../session/events.js';
import { escapeDisplayText } from './escape.js';
import { HANDOUT_CSS } from './handout-style.js';
import type { Span } from './roles.js';

export interface HandoutFinding {
  severity: 'error' | 'note';
  /** lint's rule name: grammar, tag, state, ... */
  rule: string;
  message: string;
}

export interface HandoutRow {
  /** The line of the file. */
  lineNo: number;
  /** A wire line of the client or the server, or a line of the file that is neither (an elision, a remark). */
  kind: 'client' | 'server' | 'aside';
  /** The line as the terminal shows it, prefix included. */
  spans: readonly Span[];
  explanations: ReadonlyArray<{ text: string; rfc: string }>;
  findings: readonly HandoutFinding[];
}

/** A state the session entered: at which line, and the command that moved it (null: the greeting, a BYE, ...). */
export interface StateVisit {
  state: string;
  lineNo: number;
  movedBy: string | null;
  /** The first state known: after the greeting, or taken from the first command of an excerpt. */
  start?: 'greeting' | 'inferred';
}

export interface HandoutSession {
  /** The file as named on the command line. */
  file: string;
  /** `# title:` of the file, else its name. */
  title: string;
  /** `# source:` of the file, if any. */
  source: string | null;
  /** `# note:` remarks of the file: consecutive lines are one block, joined with line breaks. */
  notes: readonly string[];
  protocol: Protocol;
  rows: readonly HandoutRow[];
  /** Findings about the whole file, or lines the page does not show. */
  fileFindings: readonly HandoutFinding[];
  visits: readonly StateVisit[];
}

const HTML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text from anywhere as element content: terminal-escaped (idempotent), then HTML-escaped. */
function html(text: string): string {
  return escapeDisplayText(text).replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] as string);
}

/** The escapes escape.ts writes for what cannot be shown: marked on the page so they read as such. */
const SHOWN_ESCAPE = /\\x[0-9a-f]{2}|\\u\{[0-9a-f]{1,6}\}/g;

/** Text with its `\xNN` and `\u{N}` escapes boxed, escaped for HTML. */
function htmlMarkingEscapes(text: string): string {
  const shown = escapeDisplayText(text);
  let out = '';
  let last = 0;
  for (const m of shown.matchAll(SHOWN_ESCAPE)) {
    out += html(shown.slice(last, m.index));
    out += `<span class="esc">${html(m[0])}</span>`;
    last = m.index + m[0].length;
  }
  return out + html(shown.slice(last));
}

function spansHtml(spans: readonly Span[]): string {
  return spans.map((s) => (s.role === 'text' ? htmlMarkingEscapes(s.text) : `<span class="r-${s.role}">${htmlMarkingEscapes(s.text)}</span>`)).join('');
}

/** The page's Content-Security-Policy: nothing but its own style sheet (by hash); no scripts, no loads, no forms. */
function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  return `default-src 'none'; style-src 'sha256-${hash}'; script-src 'none'; img-src 'none'; object-src 'none'; frame-src 'none'; base-uri 'none'; form-action 'none'`;
}

/** The whole page: legend, contents, then each session. */
export function handoutPage(sessions: readonly HandoutSession[], language: Language): string {
  const w = new Words(language);
  const title = w.text('handout.title');
  const parts = [
    '<!DOCTYPE html>',
    `<html lang="${language}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(HANDOUT_CSS)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="mailwire handout">',
    `<title>${html(sessions.length === 1 && sessions[0] ? `${sessions[0].title} — ${title}` : title)}</title>`,
    `<style>${HANDOUT_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${html(title)}</h1>`,
    `<p class="meta">${html(w.text('handout.sessions-count', { n: sessions.length }))}</p>`,
    '</header>',
    legendHtml(w),
    sessions.length > 1 ? contentsHtml(sessions, w) : '',
    ...sessions.map((s, i) => sessionHtml(s, i + 1, w)),
    `<footer>${html(w.text('handout.generated'))}</footer>`,
    '</body>',
    '</html>',
    '',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

/** What the colors and marks mean, each with a sample drawn as the sessions draw it. */
function legendHtml(w: Words): string {
  const rows: Array<[Span[], string]> = [
    [[{ role: 'prefix-client', text: 'C: ' }, { role: 'tag', text: 'A001' }, { role: 'text', text: ' ' }, { role: 'command', text: 'LOGIN' }], 'handout.legend.client'],
    [[{ role: 'prefix-server', text: 'S: ' }, { role: 'untagged', text: '*' }, { role: 'text', text: ' 18 ' }, { role: 'data-name', text: 'EXISTS' }], 'handout.legend.untagged'],
    [[{ role: 'tag', text: 'A001' }], 'handout.legend.tag'],
    [[{ role: 'status-ok', text: 'OK' }, { role: 'text', text: ' / ' }, { role: 'pop3-ok', text: '+OK' }], 'handout.legend.ok'],
    [[{ role: 'status-no', text: 'NO' }, { role: 'text', text: ' / ' }, { role: 'pop3-err', text: '-ERR' }], 'handout.legend.no'],
    [[{ role: 'status-bad', text: 'BAD' }], 'handout.legend.bad'],
    [[{ role: 'status-bye', text: 'BYE' }], 'handout.legend.bye'],
    [[{ role: 'response-code', text: '[UIDVALIDITY 3857529045]' }], 'handout.legend.code'],
    [[{ role: 'continuation', text: '+' }, { role: 'text', text: ' Ready' }], 'handout.legend.continuation'],
    [[{ role: 'literal-marker', text: '{310}' }, { role: 'text', text: ' ' }, { role: 'literal', text: 'Subject: ...' }], 'handout.legend.literal'],
    [[{ role: 'pop3-body', text: 'From: ...' }, { role: 'text', text: ' ' }, { role: 'pop3-terminator', text: '.' }], 'handout.legend.multiline'],
    [[{ role: 'text', text: '\\x1b' }], 'handout.legend.escape'],
  ];
  const body = rows.map(([spans, key]) => `<tr><td class="legend-sample">${spansHtml(spans)}</td><td>${html(w.text(key))}</td></tr>`);
  body.push(`<tr><td class="legend-sample"><span class="finding-text"><span class="severity">${html(w.text('handout.finding.error'))}</span></span></td><td>${html(w.text('handout.legend.finding'))}</td></tr>`);
  return `<section class="legend">\n<h3>${html(w.text('handout.legend'))}</h3>\n<table>\n${body.join('\n')}\n</table>\n<p class="meta">${html(w.text('handout.legend.explanation'))}</p>\n</section>`;
}

function contentsHtml(sessions: readonly HandoutSession[], w: Words): string {
  const items = sessions.map((s, i) => `<li><a href="#s${i + 1}">${html(s.title)}</a></li>`).join('\n');
  return `<nav class="contents">\n<h3>${html(w.text('handout.contents'))}</h3>\n<ol>\n${items}\n</ol>\n</nav>`;
}

function sessionHtml(s: HandoutSession, n: number, w: Words): string {
  const count = (severity: 'error' | 'note') =>
    s.fileFindings.filter((f) => f.severity === severity).length + s.rows.reduce((k, r) => k + r.findings.filter((f) => f.severity === severity).length, 0);
  const errors = count('error');
  const notes = count('note');
  const summary = errors + notes === 0 ? w.text('handout.findings.none') : w.text('handout.findings.count', { errors, notes });
  const parts = [
    `<section class="session" id="s${n}" data-protocol="${s.protocol}">`,
    `<h2>${html(s.title)}</h2>`,
    `<p class="meta">${html(w.text('handout.file', { file: s.file }))} · ${s.protocol === 'imap' ? 'IMAP' : 'POP3'} · ${html(summary)}</p>`,
    s.source === null ? '' : `<p class="meta source">${html(w.text('handout.source', { source: s.source }))}</p>`,
    s.notes.length === 0 ? '' : `<ul class="notes">\n${s.notes.map((note) => `<li>${note.split('\n').map(html).join('\n')}</li>`).join('\n')}\n</ul>`,
    diagramHtml(s, w),
    s.fileFindings.length === 0 ? '' : `<ul class="file-findings">\n${s.fileFindings.map((f) => `<li>${findingHtml(f, w)}</li>`).join('\n')}\n</ul>`,
    '<table class="lines">',
    '<colgroup><col class="no"><col class="wire"><col class="explain"></colgroup>',
    `<thead><tr><th>${html(w.text('handout.column.line'))}</th><th>${html(w.text('handout.column.wire'))}</th><th>${html(w.text('handout.column.meaning'))}</th></tr></thead>`,
    '<tbody>',
    ...s.rows.map((r) => rowHtml(r, n, w)),
    '</tbody>',
    '</table>',
    '</section>',
  ];
  return parts.filter((p) => p !== '').join('\n');
}

function rowHtml(r: HandoutRow, session: number, w: Words): string {
  const flagged = r.findings.length > 0;
  const noteOnly = flagged && r.findings.every((f) => f.severity === 'note');
  const classes = [r.kind, 'line', ...(flagged ? ['flagged'] : []), ...(noteOnly ? ['note-only'] : [])].join(' ');
  const mark = flagged ? `<span class="mark">${noteOnly ? '◆' : '⚠'}</span> ` : '';
  const explanations =
    r.kind === 'aside'
      ? `<p class="r-annotation">${html(w.text('handout.aside'))}</p>`
      : r.explanations.map((e) => `<p>${spansHtml([{ role: 'explanation', text: e.text }, ...(e.rfc === '' ? [] : [{ role: 'explanation-rfc', text: ` (${e.rfc})` } as Span])])}</p>`).join('');
  const line = `<tr class="${classes}" id="s${session}-l${r.lineNo}"><td class="no">${mark}${r.lineNo}</td><td class="wire">${spansHtml(r.spans)}</td><td class="explain">${explanations}</td></tr>`;
  const findings = r.findings.map((f) => `<tr class="finding ${f.severity}"><td class="no"></td><td colspan="2">${findingHtml(f, w)}</td></tr>`);
  return [line, ...findings].join('\n');
}

function findingHtml(f: HandoutFinding, w: Words): string {
  return `<span class="finding-text ${f.severity}"><span class="severity">${html(w.text(`handout.finding.${f.severity}`))}</span> <span class="rule">[${html(f.rule)}]</span> ${html(f.message)}</span>`;
}

/**
 * The machine's states top to bottom with the moves between neighbours (their commands, as the
 * terminal diagram labels them), the states this session entered in a heavy box numbered in the
 * order it entered them, the last in a double box; beside it, that order as a list, with the
 * commands. Top to bottom as in the terminal: a row of states wraps on a page of ordinary width
 * (the Russian names are long), and a wrapped row starts with an arrow from nowhere.
 */
function diagramHtml(s: HandoutSession, w: Words): string {
  const machine = stateMachineFor(s.protocol);
  const name = (state: string) => w.text(`state.${s.protocol}.${state}`);
  const order = new Map<string, number[]>();
  s.visits.forEach((v, i) => order.set(v.state, [...(order.get(v.state) ?? []), i + 1]));
  const lastState = s.visits.at(-1)?.state;
  const taken = new Set(s.visits.slice(1).map((v, i) => `${s.visits[i]?.state}>${v.state}`));
  const items: string[] = [];
  machine.states.forEach((state: MachineState, i) => {
    const visits = order.get(state);
    const classes = ['state', ...(visits ? ['visited'] : []), ...(state === lastState ? ['last'] : [])].join(' ');
    const mark = visits ? `<span class="visit">${visits.map((k) => `#${k}`).join(' ')}</span>` : '';
    items.push(`<li class="${classes}"><span class="state-name">${html(name(state))}</span>${mark}</li>`);
    const next = machine.states[i + 1];
    if (next === undefined) return;
    const forward = machine.transitions.filter((t) => t.to === next && (t.from === state || t.from === '*'));
    const back = machine.transitions.filter((t) => t.from === next && t.to === state);
    const label = forward.map((t) => (t.from === '*' ? w.text('diagram.from-any', { commands: t.commands.join(', ') }) : t.commands.join(', '))).join('; ');
    const wasTaken = taken.has(`${state}>${next}`) || (forward.some((t) => t.from === '*') && [...taken].some((k) => k.endsWith(`>${next}`)));
    const backLabel = back.length === 0 ? '' : `<span class="arrow">↑</span><span class="move-commands">${html(back.map((t) => t.commands.join(', ')).join('; '))}</span>`;
    items.push(`<li class="move${wasTaken ? ' taken' : ''}"><span class="arrow">↓</span><span class="move-commands">${html(label)}</span>${backLabel}</li>`);
  });
  const path =
    s.visits.length === 0
      ? `<p class="meta">${html(w.text('handout.path.none'))}</p>`
      : `<ol class="path">\n${s.visits.map((v) => `<li><span class="state-name">${html(name(v.state))}</span> — ${html(visitText(v, w))}</li>`).join('\n')}\n</ol>`;
  return [
    '<figure class="diagram">',
    `<figcaption>${html(w.text(`diagram.title.${s.protocol}`, { rfc: machine.rfc }))}</figcaption>`,
    '<div class="diagram-body">',
    `<ol class="machine">\n${items.join('\n')}\n</ol>`,
    '<div class="path-block">',
    `<h3>${html(w.text('handout.path'))}</h3>`,
    path,
    '</div>',
    '</div>',
    '</figure>',
  ].join('\n');
}

function visitText(v: StateVisit, w: Words): string {
  if (v.start === 'greeting') return w.text('handout.path.greeting', { line: v.lineNo });
  if (v.start === 'inferred') return w.text('handout.path.inferred', { line: v.lineNo });
  if (v.movedBy !== null) return w.text('handout.path.moved-by', { command: v.movedBy, line: v.lineNo });
  return w.text('handout.path.moved', { line: v.lineNo });
}
