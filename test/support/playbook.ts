/**
 * Plays an RFC-style transcript through a sans-io session, the way a test of a protocol layer should
 * read: the client's lines are submitted as the user would type them, the server's lines are fed in
 * as received, and everything the session sends or shows is collected for the assertions.
 */
import type { SessionAction } from '../../src/session/actions.js';
import type { SessionEvent } from '../../src/session/events.js';
import { ImapInputAssembler, type ImapCommandPlan } from '../../src/session/imap-input.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { Pop3Session } from '../../src/session/pop3-session.js';
import type { TranscriptLine } from './rfc-transcript.js';

export interface PlaybookResult {
  sent: Buffer;
  events: SessionEvent[];
  actions: SessionAction[];
  warnings: string[];
}

/** Collects actions; a STARTTLS/STLS OK counts as a finished handshake, as the runner would report. */
function collect(
  result: { sent: Buffer[]; actions: SessionAction[] },
  actions: SessionAction[],
  session: ImapSession | Pop3Session,
): void {
  for (const a of actions) {
    result.actions.push(a);
    if (a.type === 'send') result.sent.push(a.bytes);
    if (a.type === 'start-tls') session.tlsEstablished();
  }
}

function finish(r: { sent: Buffer[]; actions: SessionAction[] }): PlaybookResult {
  const events = r.actions.flatMap((a) => (a.type === 'show' ? [a.event] : []));
  return {
    sent: Buffer.concat(r.sent),
    actions: r.actions,
    events,
    warnings: events.flatMap((e) => (e.kind === 'notice' && e.level === 'warning' ? [e.text] : [])),
  };
}

/**
 * IMAP: a command's lines (with its literal lines, which the transcript shows after the server's "+")
 * are assembled when its first line comes up; the session itself holds the literal until "+".
 */
export function playImap(session: ImapSession, lines: readonly TranscriptLine[]): PlaybookResult {
  const r = { sent: [] as Buffer[], actions: [] as SessionAction[] };
  const consumed = new Set<number>();
  lines.forEach((line, i) => {
    if (line.direction === 'S') {
      collect(r, session.receive(Buffer.from(`${line.text}\r\n`, 'utf8')), session);
      return;
    }
    if (consumed.has(i)) return;
    if (session.awaitingContinuationResponse) {
      collect(r, session.respond(line.text), session);
      return;
    }
    const assembler = new ImapInputAssembler();
    let plan: ImapCommandPlan | null = null;
    for (let j = i; j < lines.length && plan === null; j++) {
      const l = lines[j] as TranscriptLine;
      if (l.direction !== 'C') continue;
      consumed.add(j);
      plan = assembler.push(Buffer.from(l.text, 'utf8'));
    }
    // A literal the transcript never shows (the server refused it first, RFC 3501 §7.5 A044) is
    // filled with stand-in octets: the session must not send them anyway.
    while (plan === null && assembler.incomplete) {
      plan = assembler.push(Buffer.alloc(Math.max(0, assembler.literalOctetsLeft - 2), 'x'));
    }
    if (plan) collect(r, session.submit(plan).actions, session);
  });
  return finish(r);
}

/** POP3: one line, one command; a line after a "+ " continuation answers it. */
export function playPop3(session: Pop3Session, lines: readonly TranscriptLine[]): PlaybookResult {
  const r = { sent: [] as Buffer[], actions: [] as SessionAction[] };
  for (const line of lines) {
    if (line.direction === 'S') collect(r, session.receive(Buffer.from(`${line.text}\r\n`, 'utf8')), session);
    else if (session.awaitingContinuationResponse) collect(r, session.respond(line.text), session);
    else collect(r, session.submit(line.text).actions, session);
  }
  return finish(r);
}

/** A clock for sessions under test: every reading is 5 ms after the last. */
export function steppingClock(): () => number {
  let t = 0;
  return () => (t += 5);
}

/** An inline transcript ("S: ..." / "C: ..." lines, indented as the test likes) as transcript lines. */
export function transcriptLines(text: string): TranscriptLine[] {
  return text
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .map((l) => ({ direction: l[0] as 'C' | 'S', text: l.slice(3) }));
}
