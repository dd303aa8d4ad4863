/**
 * Semantic roles: what a piece of rendered text is, independent of how it looks. Lexers assign roles,
 * the palette in `theme.ts` decides colors, so a theme change never touches protocol knowledge.
 */

export const ROLES = [
  /** `C: ` before what the client sent. */
  'prefix-client',
  /** `S: ` before what the server sent. */
  'prefix-server',
  /** An IMAP command or response tag (`A001`). */
  'tag',
  /** The `*` of an untagged IMAP response. */
  'untagged',
  /** The `+` of a continuation request (IMAP, and POP3 SASL exchanges). */
  'continuation',
  /** IMAP status words (RFC 3501 §7.1). */
  'status-ok',
  'status-no',
  'status-bad',
  'status-bye',
  'status-preauth',
  /** The bracketed code after a status: `[READ-WRITE]`, `[UIDVALIDITY 3857529045]`, `[IN-USE]`. */
  'response-code',
  /** The name of untagged data: `CAPABILITY`, `FLAGS`, `LIST`, `EXISTS`, `FETCH`. */
  'data-name',
  /** The command name in a client line (`LOGIN`, `UID FETCH`, `RETR`). */
  'command',
  /** A literal announcement at the end of a line: `{310}`, `~{8}`, `{4+}`. */
  'literal-marker',
  /** Literal contents (IMAP) and the literal lines a client sends. */
  'literal',
  /** POP3 status indicators (RFC 1939 §3). */
  'pop3-ok',
  'pop3-err',
  /** A line of a POP3 multi-line reply. */
  'pop3-body',
  /** The `.` line that ends a POP3 multi-line reply. */
  'pop3-terminator',
  /** The placeholder that replaced a password or other secret. */
  'secret',
  /** What mailwire adds on a terminal only: latencies, literal sizes. */
  'annotation',
  /** What a line means here (--explain, .explain), under the line; and the RFC section it cites. */
  'explanation',
  'explanation-rfc',
  /** The state diagram: a state's box, the current state's box, a move between states and its commands. */
  'state',
  'state-current',
  'state-move',
  /** Transcript comments from mailwire itself, by level. */
  'notice-info',
  'notice-warning',
  'notice-error',
  /** A SASL message decoded beside its base64 line (`# SCRAM-SHA-1 server-first: r=...`). */
  'sasl',
  /** Connection and TLS summaries. */
  'tls',
  /** The shell's prompt: protocol, user and host; the TLS mark (verified, or not); the state; the next tag. */
  'prompt',
  'prompt-tls',
  'prompt-insecure',
  'prompt-state',
  'prompt-tag',
  /** The shell's grey syntax hint after the cursor. */
  'hint',
  /** Anything else. */
  'text',
] as const;

export type Role = (typeof ROLES)[number];

/** A run of text with one role. Lexers return spans whose texts concatenate to their input. */
export interface Span {
  role: Role;
  text: string;
}
