/**
 * The shell's prompt, built from the session's state: protocol, user and host, a lock when TLS is on
 * (a warning mark when the certificate was not verified), the state (IMAP not authenticated /
 * authenticated / the selected mailbox with [rw] or [ro]; POP3 AUTHORIZATION / TRANSACTION), and the
 * tag the next command gets. While IDLE runs, a SASL exchange waits, or a literal is typed, the prompt
 * says what the next line is. Pure: state in, styled spans out.
 */
import { Words } from '../protocol/explain/words.js';
import type { ImapState } from '../protocol/imap/commands.js';
import { decodeModifiedUtf7 } from '../protocol/imap/mutf7.js';
import type { Pop3State } from '../protocol/pop3/commands.js';
import { escapeDisplayText } from '../render/escape.js';
import type { Span } from '../render/roles.js';
import type { Protocol } from '../session/events.js';
import type { TlsSummary } from '../protocol/tls/summary.js';

/** What the next line typed is. */
export type InputMode =
  | { kind: 'command' }
  /** Typing a literal's octets: how many are still to come. */
  | { kind: 'literal'; size: number; left: number }
  /** A literal is complete: the next line goes on with the command (an empty line ends it). */
  | { kind: 'after-literal' }
  /** IDLE is running (RFC 2177): the next line should be DONE. */
  | { kind: 'idle' }
  /** The server sent a continuation request the user answers (a SASL challenge). */
  | { kind: 'continuation'; command: string };

export interface PromptState {
  protocol: Protocol;
  /** Host and port as the user named them (`127.0.0.1:10143`, `[::1]:143`). */
  hostPort: string;
  user: string | null;
  tls: TlsSummary | null;
  state: ImapState | Pop3State | 'greeting';
  mailbox: { name: string; readOnly: boolean } | null;
  /** IMAP: the tag the next command gets. */
  nextTag: string | null;
  /** Commands sent and not completed. */
  waiting: number;
  mode: InputMode;
  /** The terminal shows Unicode (a UTF-8 locale): a lock symbol instead of "tls". */
  unicode: boolean;
  /** The state's short name in the shell's language (--lang); the English one when absent. */
  stateName?: string;
  /** The shell's words (--lang); English when absent. */
  words?: Words;
}

const ENGLISH = new Words('en');

const IMAP_STATE_NAMES: Record<ImapState | 'greeting', string> = {
  greeting: 'connecting',
  'not-authenticated': 'not authenticated',
  authenticated: 'authenticated',
  selected: 'selected',
  logout: 'logout',
};

/** The prompt as styled spans, ending in "> ". */
export function promptSpans(p: PromptState): Span[] {
  // Inside a literal the lines are message text: a short prompt leaves them the room.
  const w = p.words ?? ENGLISH;
  if (p.mode.kind === 'literal') {
    const { size, left } = p.mode;
    return [{ role: 'prompt-state', text: w.text('prompt.literal', { size, left }) }, { role: 'prompt', text: '> ' }];
  }
  if (p.mode.kind === 'after-literal') {
    return [{ role: 'prompt-state', text: w.text('prompt.after-literal') }, { role: 'prompt', text: '> ' }];
  }
  const spans: Span[] = [];
  const loggedIn = p.state === 'authenticated' || p.state === 'selected' || p.state === 'transaction';
  const who = loggedIn && p.user ? `${p.user}@` : '';
  spans.push({ role: 'prompt', text: `${p.protocol} ${escapeDisplayText(who)}${p.hostPort}` });
  if (p.tls) {
    // --insecure keeps its warning even when the certificate happened to verify.
    const verified = p.tls.verified && !p.tls.insecure;
    const mark = p.unicode ? (verified ? '🔒' : '⚠') : verified ? 'tls' : 'tls!';
    spans.push({ role: 'text', text: ' ' }, { role: verified ? 'prompt-tls' : 'prompt-insecure', text: mark });
  }
  spans.push({ role: 'text', text: ' ' }, { role: 'prompt-state', text: stateText(p) });
  if (p.waiting > 0 && p.mode.kind === 'command') spans.push({ role: 'prompt-tag', text: ` ${w.text('prompt.waiting', { n: p.waiting })}` });
  switch (p.mode.kind) {
    case 'idle':
      spans.push({ role: 'text', text: ' ' }, { role: 'prompt-state', text: w.text('prompt.idle') });
      break;
    case 'continuation':
      spans.push({ role: 'text', text: ' ' }, { role: 'prompt-state', text: w.text('prompt.continues', { command: p.mode.command }) });
      break;
    default:
      if (p.nextTag) spans.push({ role: 'text', text: ' ' }, { role: 'prompt-tag', text: p.nextTag });
      break;
  }
  spans.push({ role: 'prompt', text: '> ' });
  return spans;
}

function stateText(p: PromptState): string {
  if (p.stateName !== undefined && !(p.state === 'selected' && p.mailbox)) return p.stateName;
  if (p.protocol === 'pop3') return p.state === 'greeting' ? 'connecting' : p.state.toUpperCase();
  if (p.state === 'selected' && p.mailbox) {
    // RFC 3501 §5.1.3: the name as a person reads it; as sent when it is not valid modified UTF-7.
    const name = decodeModifiedUtf7(p.mailbox.name) ?? p.mailbox.name;
    return `${escapeDisplayText(name)} [${p.mailbox.readOnly ? 'ro' : 'rw'}]`;
  }
  return IMAP_STATE_NAMES[p.state as ImapState | 'greeting'];
}
