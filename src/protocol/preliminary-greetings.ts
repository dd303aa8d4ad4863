/**
 * Lines a server sends before its real greeting, as data: each names the server that sends it and
 * the source that shows it. Dovecot's login processes answer a new connection with such a line while
 * their auth process (or the master, for a login handed over by a proxy) is not ready yet, and send
 * the real greeting, capabilities and APOP timestamp included, once it is. The session, replay, lint,
 * the recorder and the explanations all ask isPreliminaryGreeting(): one rule, in one place. Pure.
 */

export interface PreliminaryGreeting {
  /** The text after the status (`* OK ` in IMAP, `+OK ` in POP3), as the server writes it. */
  text: string;
  /** The servers known to send it. */
  servers: readonly string[];
  /** Where it is written down. */
  source: string;
}

export const PRELIMINARY_GREETINGS: readonly PreliminaryGreeting[] = [
  {
    text: 'Waiting for authentication process to respond..',
    servers: ['Dovecot'],
    source: 'Dovecot 2.3 source, src/login-common/client-common.h (AUTH_SERVER_WAITING_MSG)',
  },
  {
    text: 'Waiting for authentication master process to respond..',
    servers: ['Dovecot'],
    source: 'Dovecot 2.3 source, src/login-common/client-common.h (AUTH_MASTER_WAITING_MSG)',
  },
];

/** The status a preliminary line starts with: an untagged OK (RFC 3501 §7.1.1), +OK (RFC 1939 §3). */
const STATUS = { imap: /^\* OK /i, pop3: /^\+OK /i } as const;

/**
 * Whether a server line (`* OK Waiting for ...` in IMAP, `+OK Waiting for ...` in POP3) only says
 * that the real greeting is coming. The trailing dots may differ, and the case.
 */
export function isPreliminaryGreeting(line: string, protocol: 'imap' | 'pop3'): boolean {
  const status = STATUS[protocol].exec(line);
  if (status === null) return false;
  const text = line.slice(status[0].length).toLowerCase();
  return PRELIMINARY_GREETINGS.some((g) => text.startsWith(g.text.replace(/\.+$/, '').toLowerCase()));
}
