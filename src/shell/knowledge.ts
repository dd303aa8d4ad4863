/**
 * What the shell learns from the session as it goes, for completion and the prompt: mailbox names
 * from LIST, LSUB and STATUS replies (RFC 3501 §7.2.2, §7.2.4), the flags a mailbox allows (FLAGS and
 * PERMANENTFLAGS, §7.2.6 and §7.1), POP3 message numbers from the last LIST (RFC 1939 §5), the SASL
 * mechanisms of a POP3 CAPA (RFC 2449 §6.3), and who is logged in. Pure: session events and moves of
 * state in.
 */
import { analyzeImapLine } from '../protocol/imap/request.js';
import { parseImapLine, parseImapValues, valueText, type ImapValue } from '../protocol/imap/values.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { ImapResponseCollector } from '../session/imap-response-collector.js';

/** Mailbox names kept for completion; a server with more has users who type. */
const MAX_MAILBOXES = 5000;

const WANTED = /^\* (LIST|LSUB|STATUS|FLAGS|OK \[PERMANENTFLAGS) /i;

export class SessionKnowledge {
  /** Mailbox names as the server sends them (modified UTF-7), in the order learnt. */
  readonly mailboxes = new Set<string>(['INBOX']);
  /** Flags and keywords the selected mailbox allows. */
  flags = new Set<string>();
  /** Message numbers from the last POP3 LIST without argument, less those deleted since, plus those RSET brought back. */
  messageNumbers: number[] = [];
  /** Messages marked deleted by DELE in this session (RFC 1939 §5): RSET unmarks them all. */
  private readonly deleted = new Set<number>();
  /** Mechanisms from a POP3 CAPA's SASL line. */
  saslMechanisms: string[] = [];
  /** The user named by the last LOGIN / USER / APOP typed. */
  user: string | null = null;

  private readonly collector = new ImapResponseCollector({
    wants: (first) => WANTED.test(first.subarray(0, 24).toString('latin1')),
    maxLiteralBytes: 4096,
  });
  private lastPop3Command = '';
  private pop3Body: 'list' | 'capa' | null = null;

  constructor(private readonly protocol: Protocol) {}

  /**
   * The session moved from one state to another. Back before a login on the same connection (RFC
   * 8437 §3, UNAUTHENTICATE): nobody is logged in until the next login names someone; a login that
   * names nobody itself (a SASL login mailwire runs with --user) is `loginUser`'s.
   */
  stateMoved(from: string, to: string, loginUser: string | null): void {
    if (isLoggedIn(from) && to === 'not-authenticated') this.user = null;
    else if (!isLoggedIn(from) && isLoggedIn(to)) this.user ??= loginUser;
  }

  /**
   * Learns from one event. `loggedIn`: the session is past its login as the event comes; a LOGIN,
   * USER or APOP typed then is refused by the server (RFC 3501 §6.2.3, RFC 1939 §7) and names nobody.
   */
  learn(event: SessionEvent, loggedIn = false): void {
    if (event.kind === 'client-line' && event.part === 'command') {
      this.learnCommand(event.text, loggedIn);
      return;
    }
    if (this.protocol === 'imap') {
      const response = this.collector.push(event);
      if (response) this.learnImapResponse(response.segments, response.literals);
      return;
    }
    this.learnPop3(event);
  }

  private learnCommand(text: string, loggedIn: boolean): void {
    if (this.protocol === 'imap') {
      const a = analyzeImapLine(text);
      if (a.command === 'LOGIN' && !loggedIn) this.user = firstArgument(a.args) ?? this.user;
      return;
    }
    const words = text.trim().split(/\s+/);
    const name = (words[0] ?? '').toUpperCase();
    this.lastPop3Command = words.length > 1 ? `${name} ${words.slice(1).join(' ')}` : name;
    if ((name === 'USER' || name === 'APOP') && words[1] && !loggedIn) this.user = words[1];
  }

  private learnImapResponse(segments: Buffer[], literals: Array<Buffer | null>): void {
    const head = /^\* (\S+) /.exec((segments[0] as Buffer).subarray(0, 24).toString('latin1'));
    const name = (head?.[1] ?? '').toUpperCase();
    let values: ImapValue[];
    try {
      values = parseImapValues(segments, literals, { start: (head?.[0] ?? '').length });
    } catch {
      return;
    }
    if (name === 'FLAGS') {
      this.flags = flagSet(values[0]);
      return;
    }
    if (name === 'OK') {
      // `* OK [PERMANENTFLAGS (\Deleted \Seen \*)] ...`: the flags are in the response code.
      const code = /\[PERMANENTFLAGS (\([^)]*\))\]/i.exec((segments[0] as Buffer).toString('latin1'));
      if (code?.[1]) {
        try {
          for (const f of flagSet(parseImapLine(code[1])[0])) if (f !== '\\*') this.flags.add(f);
        } catch {
          // a malformed code teaches nothing
        }
      }
      return;
    }
    // LIST/LSUB: (attributes) delimiter name; STATUS: name (items).
    const mailbox = name === 'STATUS' ? values[0] : values[2];
    const attributes = name === 'STATUS' ? null : values[0];
    if (attributes?.type === 'list' && attributes.items.some((a) => a.type === 'atom' && /^\\NoSelect$|^\\NonExistent$/i.test(a.value))) {
      return;
    }
    const text = mailbox ? valueText(mailbox) : null;
    if (text !== null && this.mailboxes.size < MAX_MAILBOXES) this.mailboxes.add(text);
  }

  /** After a +OK to DELE n or RSET: deleted messages leave the candidates, RSET brings them back. */
  private learnPop3Marks(): void {
    const dele = /^DELE (\d+)$/.exec(this.lastPop3Command);
    if (dele) {
      const n = Number(dele[1]);
      this.deleted.add(n);
      this.messageNumbers = this.messageNumbers.filter((m) => m !== n);
    } else if (this.lastPop3Command === 'RSET') {
      this.messageNumbers = [...new Set([...this.messageNumbers, ...this.deleted])].sort(byNumber);
      this.deleted.clear();
    }
  }

  private learnPop3(event: SessionEvent): void {
    switch (event.kind) {
      case 'pop3-status': {
        const ok = event.bytes.toString('latin1').startsWith('+OK');
        this.pop3Body = null;
        if (ok && !event.multiline) this.learnPop3Marks();
        if (!ok || !event.multiline) return;
        if (this.lastPop3Command === 'LIST') {
          this.pop3Body = 'list';
          this.messageNumbers = [];
        } else if (this.lastPop3Command === 'CAPA') {
          this.pop3Body = 'capa';
          this.saslMechanisms = [];
        }
        return;
      }
      case 'pop3-body-line': {
        const line = event.bytes.toString('latin1');
        if (this.pop3Body === 'list') {
          // RFC 1939 §5: scan listing "msg octets".
          const m = /^(\d+) \d+/.exec(line);
          if (m) this.messageNumbers.push(Number(m[1]));
        } else if (this.pop3Body === 'capa') {
          const words = line.trim().split(/\s+/);
          if ((words[0] ?? '').toUpperCase() === 'SASL') this.saslMechanisms = words.slice(1).map((w) => w.toUpperCase());
        }
        return;
      }
      case 'pop3-end':
        this.pop3Body = null;
        return;
      default:
        return;
    }
  }
}

function byNumber(a: number, b: number): number {
  return a - b;
}

function flagSet(v: ImapValue | undefined): Set<string> {
  const out = new Set<string>();
  if (v?.type !== 'list') return out;
  for (const item of v.items) if (item.type === 'atom') out.add(item.value);
  return out;
}

/** First argument of a command line: an atom or a quoted string. */
function firstArgument(args: string): string | null {
  try {
    const first = parseImapLine(args)[0];
    return first ? valueText(first) : null;
  } catch {
    return /^\S+/.exec(args)?.[0] ?? null;
  }
}

/** Whether a session in this state is logged in (IMAP Authenticated or Selected, POP3 TRANSACTION). */
export function isLoggedIn(state: string): boolean {
  return state === 'authenticated' || state === 'selected' || state === 'transaction';
}
