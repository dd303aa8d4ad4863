/**
 * Step-through (`mailwire step FILE`): a transcript cut into exchanges for a projector. An exchange
 * is what the client sent (a command with its literal lines) and what the server answered until the
 * client speaks again; the greeting is an exchange of its own. Each line is shown as the terminal
 * shows it, with its explanation under it; after an exchange that changed the state, the state
 * diagram with the command that did it. Pure: lines of spans in, the caller waits for keys.
 */
import { SessionExplainer } from '../protocol/explain/session-explainer.js';
import { commandThatMoved } from '../protocol/explain/state-machine.js';
import type { Language } from '../protocol/explain/language.js';
import { displayFormOfText, textOfDisplayForm } from '../protocol/display-form.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Span } from '../render/roles.js';
import { stateDiagramLines } from '../render/state-diagram.js';
import type { Protocol } from '../session/events.js';
import type { Transcript, TranscriptLine } from './format.js';

export interface StepExchange {
  /** 1-based, in the order shown. */
  number: number;
  /** The lines of the exchange with their explanations, then the diagram if the state changed. */
  lines: Span[][];
  /** The state after the exchange, and whether the exchange changed it. */
  state: string;
  stateChanged: boolean;
}

/** Cuts the transcript's protocol lines into exchanges, explained in the language. */
export function stepExchanges(transcript: Transcript, protocol: Protocol, language: Language): StepExchange[] {
  const explainer = new SessionExplainer(protocol, language, { transcript: true });
  const groups: TranscriptLine[][] = [];
  for (const line of transcript.lines) {
    const last = groups.at(-1);
    const previous = last?.at(-1);
    // A client line after a server line starts an exchange; so does the first line.
    if (!last || !previous || (line.direction === 'C' && previous.direction === 'S')) groups.push([line]);
    else last.push(line);
  }
  const commands: string[] = [];
  let state: string = explainer.context.state;
  return groups.map((group, i) => {
    const lines: Span[][] = [];
    for (const line of group) {
      // The explainer reads the text the line stands for (its escapes undone: a quoted string's
      // backslashes are IMAP's own); what it says is shown in display form, as the line is.
      const text = textOfDisplayForm(line.text);
      const explanations = line.direction === 'C' ? explainer.client(text) : explainer.server(text);
      if (line.direction === 'C' && explainer.lastPart === 'command') commands.push(line.text);
      lines.push([
        { role: line.direction === 'C' ? 'prefix-client' : 'prefix-server', text: `${line.direction}: ` },
        { role: 'text', text: escapeDisplayText(line.text) },
      ]);
      for (const e of explanations) {
        lines.push([
          { role: 'explanation', text: `#   ${displayFormOfText(e.text)}` },
          ...(e.rfc ? [{ role: 'explanation-rfc', text: ` (${e.rfc})` } as Span] : []),
        ]);
      }
    }
    const now: string = explainer.context.state;
    // The greeting's arrival is no move of the machine: 'greeting' is before the first state.
    const changed = now !== state && state !== 'greeting' && state !== 'unknown';
    if (changed || (i === 0 && now !== 'greeting')) {
      const movedBy = changed ? commandThatMoved(protocol, state, now, commands) : null;
      lines.push([], ...stateDiagramLines({ protocol, state: now, language, movedBy }));
    }
    state = now;
    return { number: i + 1, lines, state: now, stateChanged: changed };
  });
}
