/**
 * Lines a server sends before its real greeting. Dovecot's login processes answer a new connection
 * with `* OK Waiting for authentication process to respond..` (IMAP) or `+OK Waiting for
 * authentication process to respond..` (POP3) while their auth process starts, and send the real
 * greeting, capabilities and APOP timestamp included, once it is up.
 */
const PRELIMINARY = /^Waiting for authentication process to respond/i;

/** True for the text of a status line that only says the real greeting is coming. */
export function isPreliminaryGreeting(text: string): boolean {
  return PRELIMINARY.test(text.replace(/^\+OK\s*/, ''));
}
