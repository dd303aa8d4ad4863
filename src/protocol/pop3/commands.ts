/**
 * The POP3 command table (RFC 1939 and its extensions 2449, 2595, 5034, 6856), the shape of the reply
 * each command gets (one status line, or a multi-line body after +OK), and the masking of secrets in
 * command lines. Help, hints, completion, state warnings, the framer's expectations, lint and the
 * sandbox server all read this one table.
 */
import { SECRET_PLACEHOLDER } from '../secret-placeholder.js';

/** RFC 1939 §3: the three session states. */
export type Pop3State = 'authorization' | 'transaction' | 'update';

/** The reply a command gets: one status line, or (on +OK) a body ended by "." (RFC 1939 §3). */
export type Pop3ReplyShape = 'single' | 'multiline-if-ok';

export interface Pop3CommandSpec {
  /** Upper-case command keyword. */
  name: string;
  /** Arguments in the RFC's words, e.g. "RETR msg". */
  syntax: string;
  /** What the command does, in one line. */
  summary: string;
  /** States in which the command is valid (no command is valid in UPDATE: the server is closing). */
  states: readonly Pop3State[];
  /** Where the command is defined, e.g. "RFC 1939 §5". */
  rfc: string;
  /** The CAPA tag (RFC 2449 §6) a server lists when it supports the command. */
  capability?: string;
  /** Other documents that define or update the command. */
  seeAlso?: readonly string[];
  /**
   * Reply shape with arguments / without any. Only the multi-line cases are written down: a command
   * without this field always gets a single line.
   */
  multiline?: { withArgs: boolean; withoutArgs: boolean };
  /**
   * Arguments from this index on carry credentials and are masked in everything shown or recorded:
   * the rest of the line from that argument on (RFC 1939 §7: PASS may contain spaces).
   */
  secretArgsFrom?: number;
  /** The command asks for SASL responses after "+ " continuations (RFC 5034 §4). */
  continuation?: 'sasl';
}

const AUTHORIZATION: readonly Pop3State[] = ['authorization'];
const TRANSACTION: readonly Pop3State[] = ['transaction'];
const BOTH: readonly Pop3State[] = ['authorization', 'transaction'];

export const POP3_COMMANDS: readonly Pop3CommandSpec[] = [
  // RFC 1939 §7, optional commands usable in the AUTHORIZATION state
  {
    name: 'USER',
    syntax: 'USER name',
    summary: 'name the mailbox to log in to (PASS follows)',
    states: AUTHORIZATION,
    rfc: 'RFC 1939 §7',
    capability: 'USER',
  },
  {
    name: 'PASS',
    syntax: 'PASS string',
    summary: 'the password for the mailbox named by USER; sent in the clear (use TLS)',
    states: AUTHORIZATION,
    rfc: 'RFC 1939 §7',
    capability: 'USER',
    secretArgsFrom: 0,
  },
  {
    name: 'APOP',
    syntax: 'APOP name digest',
    summary: 'log in with MD5(greeting timestamp + secret) instead of a password in the clear',
    states: AUTHORIZATION,
    rfc: 'RFC 1939 §7',
  },
  // RFC 1939 §4 (AUTHORIZATION) and §6 (from TRANSACTION, entering UPDATE)
  {
    name: 'QUIT',
    syntax: 'QUIT',
    summary: 'end the session; in TRANSACTION the messages marked deleted are removed now (UPDATE)',
    states: BOTH,
    rfc: 'RFC 1939 §6',
    seeAlso: ['RFC 1939 §4'],
  },
  // RFC 1939 §5: TRANSACTION state
  {
    name: 'STAT',
    syntax: 'STAT',
    summary: 'number of messages and total size in octets ("+OK 2 320")',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
  },
  {
    name: 'LIST',
    syntax: 'LIST [msg]',
    summary: 'size of one message, or of every message (multi-line) without an argument',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
    multiline: { withArgs: false, withoutArgs: true },
  },
  {
    name: 'RETR',
    syntax: 'RETR msg',
    summary: 'the whole message (multi-line, dot-stuffed)',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
    multiline: { withArgs: true, withoutArgs: true },
  },
  {
    name: 'DELE',
    syntax: 'DELE msg',
    summary: 'mark a message deleted; it goes at QUIT, RSET takes the mark back',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
  },
  {
    name: 'NOOP',
    syntax: 'NOOP',
    summary: 'do nothing; the server answers +OK',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
  },
  {
    name: 'RSET',
    syntax: 'RSET',
    summary: 'unmark all messages marked deleted in this session',
    states: TRANSACTION,
    rfc: 'RFC 1939 §5',
  },
  // RFC 1939 §7, optional commands of the TRANSACTION state
  {
    name: 'TOP',
    syntax: 'TOP msg n',
    summary: 'the headers of a message and its first n body lines (multi-line)',
    states: TRANSACTION,
    rfc: 'RFC 1939 §7',
    capability: 'TOP',
    multiline: { withArgs: true, withoutArgs: true },
  },
  {
    name: 'UIDL',
    syntax: 'UIDL [msg]',
    summary: 'unique id of one message, or of every message (multi-line) without an argument',
    states: TRANSACTION,
    rfc: 'RFC 1939 §7',
    capability: 'UIDL',
    multiline: { withArgs: false, withoutArgs: true },
  },
  // Extensions
  {
    name: 'CAPA',
    syntax: 'CAPA',
    summary: 'list the server\'s capabilities (multi-line): TOP, UIDL, SASL ..., STLS, PIPELINING, ...',
    states: BOTH,
    rfc: 'RFC 2449 §5',
    multiline: { withArgs: true, withoutArgs: true },
  },
  {
    name: 'STLS',
    syntax: 'STLS',
    summary: 'start TLS on this connection; capabilities learnt before it must be asked for again',
    states: AUTHORIZATION,
    rfc: 'RFC 2595 §4',
    capability: 'STLS',
  },
  {
    name: 'AUTH',
    syntax: 'AUTH mechanism [initial-response]',
    summary: 'log in with a SASL mechanism; challenges and responses are base64, "*" cancels',
    states: AUTHORIZATION,
    rfc: 'RFC 5034 §4',
    capability: 'SASL',
    seeAlso: ['RFC 1734 §2'],
    // Without a mechanism many servers (Dovecot, Cyrus) list their mechanisms as a multi-line reply,
    // as RFC 1734's AUTH did; with one the reply is a "+ " challenge or a status line.
    multiline: { withArgs: false, withoutArgs: true },
    secretArgsFrom: 1,
    continuation: 'sasl',
  },
  {
    name: 'UTF8',
    syntax: 'UTF8',
    summary: 'switch the session to UTF-8 mode',
    states: AUTHORIZATION,
    rfc: 'RFC 6856 §2.1',
    capability: 'UTF8',
  },
  {
    name: 'LANG',
    syntax: 'LANG [language-range]',
    summary: 'choose the language of human-readable replies, or list the languages (multi-line)',
    states: BOTH,
    rfc: 'RFC 6856 §3',
    capability: 'LANG',
    // RFC 6856 §3.2: "If no argument is given ... that response will usually consist of multiple lines."
    multiline: { withArgs: false, withoutArgs: true },
  },
];

const BY_NAME = new Map(POP3_COMMANDS.map((spec) => [spec.name, spec]));

/** The command called `name` (case-insensitive: RFC 1939 §3 "keywords are case-insensitive"). */
export function findPop3Command(name: string): Pop3CommandSpec | undefined {
  return BY_NAME.get(name.toUpperCase());
}

/** The keyword of a command line and where its arguments begin. */
function splitCommand(line: string): { name: string; argsStart: number } {
  const m = /^[ \t]*(\S*)[ \t]?/.exec(line);
  return { name: (m?.[1] ?? '').toUpperCase(), argsStart: m ? m[0].length : line.length };
}

/**
 * What reply a command line gets: 'multiline-if-ok' for CAPA, LIST and UIDL without argument, RETR,
 * TOP, and AUTH / LANG without argument; 'single' for everything else (LIST 1, UIDL 1, AUTH PLAIN ...,
 * unknown commands). Case-insensitive and tolerant of extra blanks.
 */
export function pop3ReplyShapeFor(line: string): Pop3ReplyShape {
  const words = line.trim().split(/[ \t]+/).filter((w) => w !== '');
  const spec = findPop3Command(words[0] ?? '');
  if (!spec?.multiline) return 'single';
  const multi = words.length > 1 ? spec.multiline.withArgs : spec.multiline.withoutArgs;
  return multi ? 'multiline-if-ok' : 'single';
}

/** A masked line and whether anything was replaced. */
export interface MaskedLine {
  masked: string;
  secretFound: boolean;
}

/** APOP's digest: 16 octets in lower-case hex (RFC 1939 §7); upper case is accepted as a digest too. */
const APOP_DIGEST = /^[0-9a-f]{32}$/i;

/**
 * Masks the secrets of a POP3 command line for everything shown or recorded:
 * - `PASS <everything after "PASS ">`: RFC 1939 §7 lets a password contain spaces;
 * - `AUTH PLAIN <initial response>` (RFC 5034 §4), except "=" (an empty response hides nothing);
 * - APOP's digest is NOT masked: it is worthless for any other greeting, and seeing it is the point
 *   of APOP. But a second argument that is not 32 hex digits is no digest (likely the secret itself,
 *   typed by mistake), and is masked.
 */
export function maskPop3Secrets(line: string): MaskedLine {
  const { name, argsStart } = splitCommand(line);
  const args = line.slice(argsStart);
  if (name === 'APOP') {
    const at = secretArgument(args, 1, isSpace);
    if (at === null || APOP_DIGEST.test(args.slice(at.start, at.end))) return { masked: line, secretFound: false };
    return { masked: line.slice(0, argsStart) + args.slice(0, at.start) + SECRET_PLACEHOLDER + args.slice(at.end), secretFound: true };
  }
  const spec = findPop3Command(name);
  if (spec?.secretArgsFrom === undefined || args === '') return { masked: line, secretFound: false };
  if (spec.secretArgsFrom === 0) return { masked: line.slice(0, argsStart) + SECRET_PLACEHOLDER, secretFound: true };
  // Skip the arguments before the secret one; the rest of the line is the secret.
  const at = secretArgument(args, spec.secretArgsFrom, isBlank);
  if (at === null) return { masked: line, secretFound: false };
  if (spec.continuation === 'sasl' && args.slice(at.start, at.end) === '=') return { masked: line, secretFound: false };
  return { masked: line.slice(0, argsStart) + args.slice(0, at.start) + SECRET_PLACEHOLDER + args.slice(at.end), secretFound: true };
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';
const isSpace = (c: string): boolean => /\s/.test(c);

/**
 * Where the secret is in a command's arguments: after `skip` words (each: blanks, then non-blanks)
 * and the blanks that follow them, up to the blanks that end the line; null when there is nothing
 * there. One pass over the line: the regular expression this replaces, with a lazy middle before
 * `\s*$`, took time quadratic in a line of many blanks (a 200 KB APOP line in a transcript: 26 s).
 */
function secretArgument(args: string, skip: number, blank: (c: string) => boolean): { start: number; end: number } | null {
  let i = 0;
  for (let word = 0; word < skip; word++) {
    while (i < args.length && blank(args[i] as string)) i++;
    const start = i;
    while (i < args.length && !blank(args[i] as string)) i++;
    if (i === start) return null;
  }
  const afterWords = i;
  while (i < args.length && blank(args[i] as string)) i++;
  if (i === afterWords && skip > 0) return null;
  let end = args.length;
  while (end > i && blank(args[end - 1] as string)) end--;
  return end > i ? { start: i, end } : null;
}

/**
 * Masks a line sent in answer to a "+ " challenge during AUTH (RFC 5034 §4): a SASL response carries
 * credentials and the whole line becomes SECRET_PLACEHOLDER, except "*" (cancels the exchange) and an
 * empty line (an empty response hides nothing).
 */
export function maskPop3AuthResponse(line: string): MaskedLine {
  if (line === '' || line.trim() === '*') return { masked: line, secretFound: false };
  return { masked: SECRET_PLACEHOLDER, secretFound: true };
}
