/**
 * Handouts: transcripts made into one HTML page for a class (`mailwire handout`). Each transcript is
 * read as step-through and lint read it: one SessionExplainer follows the session, says what each
 * line means and what part of the protocol it is (so the render layer colors it as the terminal
 * does), tracks the state for the diagram, and lint's findings go to their lines. The page itself is
 * render/handout-page.ts. Pure: file names and texts in, an HTML string out.
 */
import { displayFormOfText, textOfDisplayForm } from '../protocol/display-form.js';
import { SessionExplainer, type ClientPart, type ServerPart } from '../protocol/explain/session-explainer.js';
import { commandThatMoved } from '../protocol/explain/state-machine.js';
import type { Language } from '../protocol/explain/language.js';
import { handoutPage, type HandoutFinding, type HandoutRow, type HandoutSession, type StateVisit } from '../render/handout-page.js';
import { clientLineSpans, serverLineSpans } from '../render/line-spans.js';
import type { Span } from '../render/roles.js';
import type { Protocol } from '../session/events.js';
import type { Transcript, TranscriptLine } from './format.js';
import { guessProtocol, lintTranscript, type Finding } from './lint.js';

export interface HandoutInput {
  /** The file as named on the command line. */
  file: string;
  /** Its text (protocol/display-form.ts's decodedMarkingInvalid), for the comment lines the format drops. */
  source: string;
  transcript: Transcript;
  /** The protocol when the transcript does not say it (--protocol); else read from its lines. */
  protocol?: Protocol;
}

/** The handout page of the transcripts, in the language. */
export function handoutHtml(inputs: readonly HandoutInput[], language: Language): string {
  return handoutPage(
    inputs.map((input) => handoutSession(input, language)),
    language,
  );
}

/** What the page shows of one transcript. */
export function handoutSession(input: HandoutInput, language: Language): HandoutSession {
  const { transcript } = input;
  const protocol = input.protocol ?? transcript.directives.protocol ?? guessProtocol(transcript);
  const findings = lintTranscript(transcript, { protocol, language });
  const rawLines = input.source.split('\n');
  const rows = new Map<number, HandoutRow>();
  const { wireRows, visits } = wireLines(transcript.lines, protocol, language);
  for (const row of wireRows) rows.set(row.lineNo, row);
  for (const note of transcript.notes) {
    const raw = (rawLines[note.lineNo - 1] ?? '').replace(/\r$/, '');
    rows.set(note.lineNo, { lineNo: note.lineNo, kind: 'aside', spans: [{ role: 'annotation', text: raw }], explanations: [], findings: [] });
  }
  const fileFindings: HandoutFinding[] = [];
  for (const f of findings) {
    const row = f.lineNo === null ? undefined : rows.get(f.lineNo);
    if (row) (row.findings as HandoutFinding[]).push(pageFinding(f));
    else fileFindings.push(pageFinding(f, f.lineNo));
  }
  const comments = commentDirectives(rawLines);
  return {
    file: input.file,
    title: comments.title ?? input.file.split(/[\\/]/).at(-1) ?? input.file,
    source: comments.source,
    notes: comments.notes,
    protocol,
    rows: [...rows.values()].sort((a, b) => a.lineNo - b.lineNo),
    fileFindings,
    visits,
  };
}

function pageFinding(f: Finding, lineNo: number | null = null): HandoutFinding {
  return { severity: f.severity, rule: f.rule, message: lineNo === null ? f.message : `${lineNo}: ${f.message}` };
}

/** The wire lines explained and classified, and the states the session entered. */
function wireLines(lines: readonly TranscriptLine[], protocol: Protocol, language: Language): { wireRows: HandoutRow[]; visits: StateVisit[] } {
  const explainer = new SessionExplainer(protocol, language, { transcript: true });
  const wireRows: HandoutRow[] = [];
  const visits: StateVisit[] = [];
  const commands: string[] = [];
  let state: string = explainer.context.state;
  for (const line of lines) {
    // The explainer reads the text the line stands for (its escapes undone); what it says goes on the
    // page in display form, as the line does.
    const text = textOfDisplayForm(line.text);
    const explanations = (line.direction === 'C' ? explainer.client(text) : explainer.server(text)).map((e) => ({ ...e, text: displayFormOfText(e.text) }));
    const part = explainer.lastPart;
    if (line.direction === 'C' && part === 'command') commands.push(line.text);
    const mark = line.expectation === 'optional' ? '?' : line.expectation === 'forbidden' ? '!' : '';
    const prefix = `${line.direction}${mark}:`;
    const prefixRole = line.direction === 'C' ? 'prefix-client' : 'prefix-server';
    const spans: Span[] =
      line.direction === 'C'
        ? clientLineSpans(protocol, (part ?? 'command') as ClientPart, line.text)
        : serverLineSpans(protocol, (part ?? (protocol === 'imap' ? 'first' : 'status')) as ServerPart, line.text);
    // An empty line is the prefix alone, as the RFCs print it and the terminal shows it.
    const head: Span = { role: prefixRole, text: line.text === '' ? prefix : `${prefix} ` };
    wireRows.push({ lineNo: line.lineNo, kind: line.direction === 'C' ? 'client' : 'server', spans: [head, ...spans], explanations, findings: [] });

    const now: string = explainer.context.state;
    if (now !== state && now !== 'greeting' && now !== 'unknown') {
      if (state === 'greeting' || state === 'unknown') {
        visits.push({ state: now, lineNo: line.lineNo, movedBy: null, start: line.direction === 'S' && state === 'greeting' ? 'greeting' : 'inferred' });
      } else {
        visits.push({ state: now, lineNo: line.lineNo, movedBy: commandThatMoved(protocol, state, now, commands) });
      }
    }
    state = now;
  }
  return { wireRows, visits };
}

/** `# title:`, `# source:` and `# note:` comment lines (consecutive notes are one block, line breaks kept). */
function commentDirectives(rawLines: readonly string[]): { title: string | null; source: string | null; notes: string[] } {
  let title: string | null = null;
  let source: string | null = null;
  const notes: string[] = [];
  let noteOpen = false;
  for (const raw of rawLines) {
    const m = /^#\s*(title|source|note):[ \t]?(.*)$/s.exec(raw.replace(/\r$/, ''));
    const key = m?.[1];
    const value = (m?.[2] ?? '').trim();
    if (key === 'note' && value !== '') {
      // The file's own line breaks are kept: whether a line goes on with the last is the writer's to say.
      if (noteOpen) notes[notes.length - 1] += `\n${value}`;
      else notes.push(value);
      noteOpen = true;
      continue;
    }
    noteOpen = false;
    if (key === 'title' && title === null && value !== '') title = value;
    if (key === 'source' && source === null && value !== '') source = value;
  }
  return { title, source, notes };
}
