/**
 * What other servers say first, for a session pointed at the wrong port: a POP3 server answers an
 * IMAP client with "+OK", an IMAP server a POP3 client with "* OK", a mail relay with "220". The
 * session stops at such a first line (it is no greeting of its own protocol) instead of waiting for
 * a greeting that will not come, and says which protocol it looks like. Pure data and one lookup.
 */

export interface ForeignGreeting {
  /** The server whose greeting the line looks like, as a sentence names it ("a POP3 server"). */
  server: string;
  /** Where that greeting is specified. */
  source: string;
  /** The URL scheme mailwire uses for that protocol, when it speaks it. */
  scheme: 'imap' | 'pop3' | null;
  pattern: RegExp;
}

export const FOREIGN_GREETINGS: readonly ForeignGreeting[] = [
  { server: 'a POP3 server', source: 'RFC 1939 §4', scheme: 'pop3', pattern: /^(\+OK|-ERR)( |$)/ },
  { server: 'an IMAP server', source: 'RFC 3501 §7.1', scheme: 'imap', pattern: /^\* (OK|PREAUTH|BYE)( |$)/i },
  // FTP greets with 220 too (RFC 959 §4.2): which of the two it is, the text after the code may say.
  { server: 'an SMTP (or FTP) server', source: 'RFC 5321 §4.2', scheme: null, pattern: /^220([ -]|$)/ },
  { server: 'an NNTP server', source: 'RFC 3977 §5.1', scheme: null, pattern: /^20[01] / },
  { server: 'an SSH server', source: 'RFC 4253 §4.2', scheme: null, pattern: /^SSH-\d/ },
];

/** The other protocol whose greeting `line` looks like, or null (then it is no known greeting). */
export function foreignGreeting(line: string, own: 'imap' | 'pop3'): ForeignGreeting | null {
  return FOREIGN_GREETINGS.find((g) => g.scheme !== own && g.pattern.test(line)) ?? null;
}

/**
 * The end of the message when a session's first line is no greeting of its protocol: what that line
 * looks like instead, and the scheme to try. Empty when it looks like nothing known.
 */
export function foreignGreetingHint(line: string, own: 'imap' | 'pop3'): string {
  const foreign = foreignGreeting(line, own);
  if (foreign === null) return '';
  const retry = foreign.scheme === null ? '' : `: try ${foreign.scheme}:// (or ${foreign.scheme}s:// for implicit TLS)`;
  return `; it reads as the greeting of ${foreign.server} (${foreign.source})${retry}`;
}
