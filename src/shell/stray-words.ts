/**
 * Words people type at a shell out of habit (`help`, `quit`, `exit`, `clear`) that are no command of
 * the protocol: sent, they earn a BAD or -ERR and teach nothing. Typed alone they are caught, and the
 * shell says what does the job. POP3's QUIT is a real command (RFC 1939 §5) and goes out; IMAP's
 * is LOGOUT (RFC 3501 §6.1.3). A tagged line (`a1 QUIT`) or `.raw` still sends anything. Pure data.
 */
import { Words } from '../protocol/explain/words.js';
import type { Protocol } from '../session/events.js';

interface StrayWord {
  /** The protocols in which the word is no command. */
  protocols: readonly Protocol[];
  /** What does the job, in the shell's words. */
  advice: (protocol: Protocol, words: Words) => string;
}

const END = (p: Protocol, w: Words) => w.text('shell.stray.end', { command: p === 'imap' ? 'LOGOUT' : 'QUIT' });

const STRAY_WORDS: Readonly<Record<string, StrayWord>> = {
  help: { protocols: ['imap', 'pop3'], advice: (_p, w) => w.text('shell.stray.help') },
  quit: { protocols: ['imap'], advice: END },
  exit: { protocols: ['imap', 'pop3'], advice: END },
  clear: { protocols: ['imap', 'pop3'], advice: (_p, w) => w.text('shell.stray.clear') },
};

const ENGLISH = new Words('en');

/** What to say instead of sending `line` (in the shell's words), or null when it is no stray word and goes to the server. */
export function strayWordAdvice(protocol: Protocol, line: string, words: Words = ENGLISH): string | null {
  const word = line.trim().toLowerCase();
  const stray = Object.hasOwn(STRAY_WORDS, word) ? STRAY_WORDS[word] : undefined;
  if (!stray || !stray.protocols.includes(protocol)) return null;
  return words.text('shell.stray.not-sent', { line: line.trim(), protocol: protocol.toUpperCase(), advice: stray.advice(protocol, words) });
}
