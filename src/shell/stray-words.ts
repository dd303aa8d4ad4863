/**
 * Words people type at a shell out of habit (`help`, `quit`, `exit`, `clear`) that are no command of
 * the protocol: sent, they earn a BAD or -ERR and teach nothing. Typed alone they are caught, and the
 * shell says what does the job. POP3's QUIT is a real command (RFC 1939 §5) and goes out; IMAP's
 * is LOGOUT (RFC 3501 §6.1.3). A tagged line (`a1 QUIT`) or `.raw` still sends anything. Pure data.
 */
import type { Protocol } from '../session/events.js';

interface StrayWord {
  /** The protocols in which the word is no command. */
  protocols: readonly Protocol[];
  advice: (protocol: Protocol) => string;
}

const END = (p: Protocol) => `${p === 'imap' ? 'LOGOUT' : 'QUIT'} ends the session (Ctrl-D or .quit sends it for you)`;

const STRAY_WORDS: Readonly<Record<string, StrayWord>> = {
  help: { protocols: ['imap', 'pop3'], advice: () => '.help lists the commands, .help NAME tells of one' },
  quit: { protocols: ['imap'], advice: END },
  exit: { protocols: ['imap', 'pop3'], advice: END },
  clear: { protocols: ['imap', 'pop3'], advice: () => 'Ctrl-L clears the screen' },
};

/** What to say instead of sending `line`, or null when it is no stray word and goes to the server. */
export function strayWordAdvice(protocol: Protocol, line: string): string | null {
  const word = line.trim().toLowerCase();
  const stray = Object.hasOwn(STRAY_WORDS, word) ? STRAY_WORDS[word] : undefined;
  if (!stray || !stray.protocols.includes(protocol)) return null;
  const name = protocol.toUpperCase();
  return `not sent: "${line.trim()}" is no ${name} command (the server would refuse it); ${stray.advice(protocol)}`;
}
