/**
 * Sessions the record → replay tests run against real servers (Dovecot, Cyrus), in this order, on a
 * server seeded with SEED_MESSAGES: what a person testing a server does in a day, each command of
 * RFC 3501 and RFC 1939 the issue list names. The same sessions made the recordings in
 * test/fixtures/cyrus/, so their replays can be compared with today's.
 */
export interface ReplaySession {
  /** File name stem of the recording. */
  name: string;
  protocol: 'imap' | 'pop3';
  /** Upgrade with STARTTLS / STLS (the test CA is passed with --ca). */
  starttls?: boolean;
  /** mailwire options besides the URL (--user for SASL runs). */
  args?: string[];
  /** The user whose password MAILWIRE_PASSWORD carries. */
  user: 'joe' | 'mrose';
  /** Lines typed on standard input. */
  lines: string[];
}

const APPENDED = 'Subject: appended';

/** Items every server of the tests fetches; `extra` adds what one server offers (SAVEDATE, RFC 8474 ids). */
export function replaySessions(extraFetchItems: readonly string[] = []): ReplaySession[] {
  return [
    {
      name: 'imap-session', protocol: 'imap', user: 'joe',
      lines: [
        'LOGIN joe',
        'SELECT INBOX',
        `FETCH 1:* (FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ${extraFetchItems.map((i) => ` ${i}`).join('')})`,
        'FETCH 2 BODY[]',
        'STORE 1 +FLAGS (\\Flagged)',
        'SEARCH FLAGGED',
        `APPEND INBOX (\\Seen) {${APPENDED.length + 4}}`,
        APPENDED,
        '',
        '',
        'IDLE',
        'DONE',
        'STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)',
        'LOGOUT',
      ],
    },
    {
      name: 'imap-starttls', protocol: 'imap', user: 'joe', starttls: true,
      lines: ['LOGIN joe', 'EXAMINE INBOX', 'FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])', 'LOGOUT'],
    },
    {
      name: 'pop3-user-pass', protocol: 'pop3', user: 'mrose',
      lines: ['USER mrose', 'PASS', 'STAT', 'LIST', 'UIDL', 'UIDL 2', 'RETR 2', 'TOP 1 0', 'QUIT'],
    },
    {
      name: 'pop3-apop', protocol: 'pop3', user: 'mrose',
      lines: ['APOP mrose', 'STAT', 'UIDL', 'RETR 1', 'QUIT'],
    },
    {
      name: 'pop3-stls', protocol: 'pop3', user: 'mrose', starttls: true,
      lines: ['USER mrose', 'PASS', 'LIST', 'QUIT'],
    },
    {
      name: 'pop3-auth', protocol: 'pop3', user: 'mrose', args: ['--user', 'mrose'],
      lines: ['AUTH SCRAM-SHA-256', 'UIDL', 'QUIT'],
    },
  ];
}
