/**
 * The lines that bring a server to where a fragment starts. Course slides and RFC examples often
 * begin in the middle of a session (`A142 SELECT INBOX` with no login before it); to step through one
 * against a live server, mailwire first logs in (and for a command of the Selected state, selects
 * INBOX) as an account the caller names: the sandbox's own, whose secrets are published, or the user
 * given for another server, whose password is then a `<secret>` the replay asks for. The state a
 * fragment starts in is its `# state:` line, else the states its first command is valid in (the
 * command tables, RFC 3501 §6, RFC 1939 §3). Pure.
 */
import { findImapCommand } from '../protocol/imap/commands.js';
import { POP3_COMMANDS } from '../protocol/pop3/commands.js';
import type { Protocol } from '../session/events.js';
import { parseTranscript, type Transcript, type TranscriptLine } from './format.js';

export interface SetupAccount {
  user: string;
  /** Null: the password is not known here; the lines hold `<secret>`, which replay fills in. */
  password: string | null;
}

/** The state a fragment starts in; null when it starts with the greeting or may start before a login. */
export function fragmentStartState(transcript: Transcript, protocol: Protocol): 'authenticated' | 'selected' | 'transaction' | null {
  const first = transcript.lines[0];
  if (!first || first.direction !== 'C') return null;
  const declared = transcript.directives.states?.find((s) => s.lineNo < first.lineNo)?.state;
  if (declared === 'authenticated' || declared === 'selected' || declared === 'transaction') return declared;
  if (declared !== undefined) return null;
  const words = first.text.trim().split(/\s+/);
  if (protocol === 'pop3') {
    const spec = POP3_COMMANDS.find((c) => c.name === (words[0] ?? '').toUpperCase());
    return spec && !spec.states.includes('authorization') ? 'transaction' : null;
  }
  let name = (words[1] ?? '').toUpperCase();
  if (name === 'UID') name = `UID ${(words[2] ?? '').toUpperCase()}`;
  const spec = findImapCommand(name);
  if (!spec || spec.states.includes('not-authenticated')) return null;
  return spec.states.includes('authenticated') ? 'authenticated' : 'selected';
}

/**
 * Setup lines for the fragment, numbered 0 (they are no line of the file): LOGIN (and SELECT INBOX),
 * or USER and PASS; the server's answers as patterns, since only their status matters here.
 */
export function fragmentSetupLines(transcript: Transcript, protocol: Protocol, account: SetupAccount): TranscriptLine[] {
  const start = fragmentStartState(transcript, protocol);
  if (start === null) return [];
  const quoted = (s: string) => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
  const text =
    protocol === 'pop3'
      ? [`C: USER ${account.user}`, 'S: +OK$', `C: PASS ${account.password ?? '<secret>'}`, 'S: +OK$']
      : [
          `C: W1 LOGIN ${quoted(account.user)} ${account.password === null ? '<secret>' : quoted(account.password)}`,
          'S: W1 OK $',
          ...(start === 'selected' ? ['C: W2 SELECT INBOX', 'S: W2 OK $'] : []),
        ];
  return parseTranscript(`${text.join('\n')}\n`).lines.map((l) => ({ ...l, lineNo: 0 }));
}
