/**
 * The IMAP4 command table: every RFC 3501 command and the common extensions, as data. Help, hints,
 * completion, state warnings, lint and the sandbox server all read this one table, so what mailwire
 * knows about a command is written down once, with the section of the RFC that defines it.
 */
import { IMAP_REGISTRY_COMMANDS } from './registry-commands.js';

export type { ImapCommandSpec, ImapContinuationKind, ImapState } from './command-spec.js';
import type { ImapCommandSpec, ImapState } from './command-spec.js';

const ANY: readonly ImapState[] = ['not-authenticated', 'authenticated', 'selected'];
const NOT_AUTH: readonly ImapState[] = ['not-authenticated'];
const AUTH: readonly ImapState[] = ['authenticated', 'selected'];
const SELECTED: readonly ImapState[] = ['selected'];

/**
 * RFC 3501 §6 and extensions. §6.4 says the selected state allows "the universal commands ... and the
 * authenticated state commands" too, so those list both states.
 */
const CORE_COMMANDS: readonly ImapCommandSpec[] = [
  // RFC 3501 §6.1: any state
  {
    name: 'CAPABILITY',
    syntax: 'CAPABILITY',
    summary: 'list the capabilities (extensions, AUTH= mechanisms) the server supports',
    states: ANY,
    rfc: 'RFC 3501 §6.1.1',
    seeAlso: ['RFC 9051 §6.1.1'],
  },
  {
    name: 'NOOP',
    syntax: 'NOOP',
    summary: 'do nothing; a chance for the server to send pending updates (a poll)',
    states: ANY,
    rfc: 'RFC 3501 §6.1.2',
    seeAlso: ['RFC 9051 §6.1.2'],
  },
  {
    name: 'LOGOUT',
    syntax: 'LOGOUT',
    summary: 'end the session: untagged BYE, tagged OK, then the server closes the connection',
    states: ANY,
    rfc: 'RFC 3501 §6.1.3',
    seeAlso: ['RFC 9051 §6.1.3'],
  },
  // RFC 3501 §6.2: not authenticated state
  {
    name: 'STARTTLS',
    syntax: 'STARTTLS',
    summary: 'start TLS on this connection; capabilities learnt before it must be asked for again',
    states: NOT_AUTH,
    rfc: 'RFC 3501 §6.2.1',
    capability: 'STARTTLS',
    seeAlso: ['RFC 9051 §6.2.1', 'RFC 2595 §3.1'],
  },
  {
    name: 'AUTHENTICATE',
    syntax: 'AUTHENTICATE mechanism [initial-response]',
    summary: 'log in with a SASL mechanism; challenges and responses are base64, "*" cancels',
    states: NOT_AUTH,
    rfc: 'RFC 3501 §6.2.2',
    capability: 'AUTH=',
    seeAlso: ['RFC 9051 §6.2.2', 'RFC 4959 §3'],
    secretArgsFrom: 1,
    continuation: 'sasl',
  },
  {
    name: 'LOGIN',
    syntax: 'LOGIN userid password',
    summary: 'log in with a user name and a plaintext password (refused when LOGINDISABLED is advertised)',
    states: NOT_AUTH,
    rfc: 'RFC 3501 §6.2.3',
    seeAlso: ['RFC 9051 §6.2.3'],
    secretArgsFrom: 1,
  },
  // RFC 3501 §6.3: authenticated state
  {
    name: 'SELECT',
    syntax: 'SELECT mailbox',
    summary: 'open a mailbox read-write; the server reports FLAGS, EXISTS, RECENT, UIDVALIDITY, ...',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.1',
    seeAlso: ['RFC 9051 §6.3.2'],
  },
  {
    name: 'EXAMINE',
    syntax: 'EXAMINE mailbox',
    summary: 'open a mailbox read-only (like SELECT, ends with [READ-ONLY])',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.2',
    seeAlso: ['RFC 9051 §6.3.3'],
  },
  {
    name: 'CREATE',
    syntax: 'CREATE mailbox',
    summary: 'create a mailbox (a trailing hierarchy separator creates a level for inferiors)',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.3',
    seeAlso: ['RFC 9051 §6.3.4'],
  },
  {
    name: 'DELETE',
    syntax: 'DELETE mailbox',
    summary: 'delete a mailbox',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.4',
    seeAlso: ['RFC 9051 §6.3.5'],
  },
  {
    name: 'RENAME',
    syntax: 'RENAME existing-mailbox new-mailbox',
    summary: 'rename a mailbox and its inferiors (renaming INBOX moves its messages)',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.5',
    seeAlso: ['RFC 9051 §6.3.6'],
  },
  {
    name: 'SUBSCRIBE',
    syntax: 'SUBSCRIBE mailbox',
    summary: 'add a mailbox to the subscription list (what LSUB returns)',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.6',
    seeAlso: ['RFC 9051 §6.3.7'],
  },
  {
    name: 'UNSUBSCRIBE',
    syntax: 'UNSUBSCRIBE mailbox',
    summary: 'remove a mailbox from the subscription list',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.7',
    seeAlso: ['RFC 9051 §6.3.8'],
  },
  {
    name: 'LIST',
    syntax: 'LIST reference mailbox-pattern',
    summary: 'list mailboxes matching a pattern ("*" any depth, "%" one level); LIST "" "" gives the separator',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.8',
    seeAlso: ['RFC 9051 §6.3.9'],
  },
  {
    name: 'LSUB',
    syntax: 'LSUB reference mailbox-pattern',
    summary: 'list subscribed mailboxes matching a pattern',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.9',
  },
  {
    name: 'STATUS',
    syntax: 'STATUS mailbox (status-items)',
    summary: 'counts for a mailbox without selecting it: MESSAGES RECENT UIDNEXT UIDVALIDITY UNSEEN',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.10',
    seeAlso: ['RFC 9051 §6.3.11'],
  },
  {
    name: 'APPEND',
    syntax: 'APPEND mailbox [(flags)] [date-time] {size}',
    summary: 'add a message to a mailbox; the message follows as a literal',
    states: AUTH,
    rfc: 'RFC 3501 §6.3.11',
    seeAlso: ['RFC 9051 §6.3.12'],
  },
  // RFC 3501 §6.4: selected state
  {
    name: 'CHECK',
    syntax: 'CHECK',
    summary: 'ask for a checkpoint of the selected mailbox (housekeeping)',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.1',
  },
  {
    name: 'CLOSE',
    syntax: 'CLOSE',
    summary: 'expunge \\Deleted messages silently and leave the mailbox (back to authenticated)',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.2',
    seeAlso: ['RFC 9051 §6.4.1'],
  },
  {
    name: 'EXPUNGE',
    syntax: 'EXPUNGE',
    summary: 'remove messages flagged \\Deleted; each removal is reported with its sequence number',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.3',
    seeAlso: ['RFC 9051 §6.4.3'],
  },
  {
    name: 'SEARCH',
    syntax: 'SEARCH [CHARSET charset] criteria',
    summary: 'find messages matching criteria (FLAGGED, SINCE date, FROM "x", TEXT "y", ...)',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.4',
    seeAlso: ['RFC 9051 §6.4.4'],
    noExpungeWhileInProgress: true,
  },
  {
    name: 'FETCH',
    syntax: 'FETCH sequence-set (items)',
    summary: 'get message data: FLAGS, ENVELOPE, BODY[...], RFC822.SIZE, INTERNALDATE, ALL, FULL, ...',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.5',
    seeAlso: ['RFC 9051 §6.4.5'],
    noExpungeWhileInProgress: true,
  },
  {
    name: 'STORE',
    syntax: 'STORE sequence-set [+|-]FLAGS[.SILENT] (flags)',
    summary: 'set, add or remove flags on messages',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.6',
    seeAlso: ['RFC 9051 §6.4.6'],
    noExpungeWhileInProgress: true,
  },
  {
    name: 'COPY',
    syntax: 'COPY sequence-set mailbox',
    summary: 'copy messages to another mailbox',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.7',
    seeAlso: ['RFC 9051 §6.4.7'],
  },
  {
    name: 'UID',
    syntax: 'UID COPY|FETCH|SEARCH|STORE|MOVE|EXPUNGE arguments',
    summary: 'run COPY, FETCH, SEARCH, STORE (and extensions) with UIDs instead of sequence numbers',
    states: SELECTED,
    rfc: 'RFC 3501 §6.4.8',
    seeAlso: ['RFC 9051 §6.4.9'],
  },
  // Extensions
  {
    name: 'IDLE',
    syntax: 'IDLE',
    summary: 'wait for the server to push mailbox updates; type DONE to end it',
    states: AUTH,
    rfc: 'RFC 2177 §3',
    capability: 'IDLE',
    seeAlso: ['RFC 9051 §6.3.13'],
    continuation: 'idle',
  },
  {
    name: 'NAMESPACE',
    syntax: 'NAMESPACE',
    summary: 'the prefixes and separators of personal, other users\' and shared mailboxes',
    states: AUTH,
    rfc: 'RFC 2342 §5',
    capability: 'NAMESPACE',
    seeAlso: ['RFC 9051 §6.3.10'],
  },
  {
    name: 'GETQUOTA',
    syntax: 'GETQUOTA quota-root',
    summary: 'usage and limits of a quota root',
    states: AUTH,
    rfc: 'RFC 9208 §4.1.1',
    capability: 'QUOTA',
    seeAlso: ['RFC 2087 §4.2'],
  },
  {
    name: 'GETQUOTAROOT',
    syntax: 'GETQUOTAROOT mailbox',
    summary: 'the quota roots of a mailbox, with their usage and limits',
    states: AUTH,
    rfc: 'RFC 9208 §4.1.2',
    capability: 'QUOTA',
    seeAlso: ['RFC 2087 §4.3'],
  },
  {
    name: 'SETQUOTA',
    syntax: 'SETQUOTA quota-root (resource limit ...)',
    summary: 'change the limits of a quota root (usually an administrator\'s command)',
    states: AUTH,
    rfc: 'RFC 9208 §4.1.3',
    capability: 'QUOTA',
    seeAlso: ['RFC 2087 §4.1'],
  },
  {
    name: 'ENABLE',
    syntax: 'ENABLE capability ...',
    summary: 'turn on extensions that change server behaviour (CONDSTORE, UTF8=ACCEPT, ...)',
    // RFC 5161 §3.1: "only valid in the authenticated state ..., before any mailbox is selected".
    states: ['authenticated'],
    rfc: 'RFC 5161 §3.1',
    capability: 'ENABLE',
    seeAlso: ['RFC 9051 §6.3.1'],
  },
  {
    name: 'ID',
    syntax: 'ID (field value ...) | ID NIL',
    summary: 'exchange client and server identification (name, version, vendor)',
    states: ANY,
    rfc: 'RFC 2971 §3.1',
    capability: 'ID',
  },
  {
    name: 'UNSELECT',
    syntax: 'UNSELECT',
    summary: 'leave the selected mailbox without expunging it',
    states: SELECTED,
    rfc: 'RFC 3691 §2',
    capability: 'UNSELECT',
    seeAlso: ['RFC 9051 §6.4.2'],
  },
  {
    name: 'MOVE',
    syntax: 'MOVE sequence-set mailbox',
    summary: 'move messages to another mailbox atomically (COPY + expunge in one step)',
    states: SELECTED,
    rfc: 'RFC 6851 §3.1',
    capability: 'MOVE',
    seeAlso: ['RFC 9051 §6.4.8'],
  },
  {
    name: 'COMPRESS',
    syntax: 'COMPRESS DEFLATE',
    summary: 'compress the rest of the connection with DEFLATE (mailwire goes on showing it in clear)',
    states: AUTH,
    rfc: 'RFC 4978 §3',
    capability: 'COMPRESS=',
  },
  {
    name: 'GETMETADATA',
    syntax: 'GETMETADATA [(options)] mailbox entry | (entries)',
    summary: 'read server or mailbox annotations ("" for the server), e.g. /shared/comment',
    states: AUTH,
    rfc: 'RFC 5464 §4.2',
    capability: 'METADATA',
  },
  {
    name: 'SETMETADATA',
    syntax: 'SETMETADATA mailbox (entry value ...)',
    summary: 'set or remove (NIL) server or mailbox annotations',
    states: AUTH,
    rfc: 'RFC 5464 §4.3',
    capability: 'METADATA',
  },
  {
    name: 'SORT',
    syntax: 'SORT (sort-criteria) charset search-criteria',
    summary: 'SEARCH with the result sorted (ARRIVAL, DATE, FROM, SUBJECT, SIZE, REVERSE ...)',
    states: SELECTED,
    rfc: 'RFC 5256 §3',
    capability: 'SORT',
  },
  {
    name: 'THREAD',
    syntax: 'THREAD algorithm charset search-criteria',
    summary: 'SEARCH with the result grouped in threads (ORDEREDSUBJECT, REFERENCES)',
    states: SELECTED,
    rfc: 'RFC 5256 §3',
    capability: 'THREAD=',
  },
];

/** The whole table: the commands above, then the rest of the IANA registry (registry-commands.ts). */
export const IMAP_COMMANDS: readonly ImapCommandSpec[] = [...CORE_COMMANDS, ...IMAP_REGISTRY_COMMANDS];

/** Commands that may follow UID (RFC 3501 §6.4.8, RFC 6851 §3.2, RFC 4315 §2.1, RFC 5256 §3, RFC 8508 §3.4). */
export const IMAP_UID_SUBCOMMANDS: readonly string[] = ['COPY', 'FETCH', 'SEARCH', 'STORE', 'MOVE', 'EXPUNGE', 'SORT', 'THREAD', 'REPLACE'];

const BY_NAME = new Map(IMAP_COMMANDS.map((spec) => [spec.name, spec]));

/** RFC 3501 §9: an atom is one or more ATOM-CHARs (no SP, CTL, "(", ")", "{", "%", "*", '"', "\", "]"). */
const X_ATOM = /^X[^\x00-\x20\x7f(){%*"\\\]]+$/i;

/**
 * The command called `name` (case-insensitive). Any other atom starting with "X" is an experimental
 * or private command (RFC 3501 §6.5.1) and gets a generic description.
 */
export function findImapCommand(name: string): ImapCommandSpec | undefined {
  const upper = name.toUpperCase();
  const known = BY_NAME.get(upper);
  if (known) return known;
  if (X_ATOM.test(name)) {
    return {
      name: upper,
      syntax: `${upper} [arguments]`,
      summary: 'experimental or private command: its meaning is up to the server that advertises it',
      states: ANY,
      rfc: 'RFC 3501 §6.5.1',
      experimental: true,
    };
  }
  return undefined;
}

/**
 * Capabilities another one brings with it. RFC 9051 §2.1 and Appendix E: IMAP4rev2 took these
 * extensions into the base protocol, so a server announcing IMAP4rev2 offers their commands without
 * naming them. RFC 5464 §1: METADATA-SERVER is METADATA for the server's own entries.
 */
export const IMPLIED_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  IMAP4REV2: ['NAMESPACE', 'UNSELECT', 'UIDPLUS', 'ESEARCH', 'SEARCHRES', 'ENABLE', 'IDLE', 'SASL-IR', 'LIST-EXTENDED', 'LIST-STATUS', 'MOVE', 'LITERAL-', 'BINARY', 'SPECIAL-USE', 'STATUS=SIZE'],
  'METADATA-SERVER': ['METADATA'],
};

/**
 * Whether a server with these capabilities offers the command: true for commands that need no
 * capability; capability families ("AUTH=", "THREAD=") match any advertised member; capabilities
 * that bring others with them (IMPLIED_CAPABILITIES) count as those too.
 */
export function imapCapabilityOffers(spec: ImapCommandSpec, capabilities: Iterable<string>): boolean {
  return spec.capability === undefined || capabilityOffered(spec.capability, capabilities);
}

/**
 * Whether a server with these capabilities offers `needed`: a name ending in "=" stands for a family
 * (THREAD=, AUTH=) and matches any member; another name matches itself and its valued forms
 * (APPENDLIMIT=35651584); capabilities that bring others with them (IMPLIED_CAPABILITIES) count as
 * those too.
 */
export function capabilityOffered(needed: string, capabilities: Iterable<string>): boolean {
  const name = needed.toUpperCase();
  for (const c of capabilities) {
    const cap = c.toUpperCase();
    for (const offered of [cap, ...(IMPLIED_CAPABILITIES[cap] ?? [])]) {
      if (name.endsWith('=') ? offered.startsWith(name) : offered === name || offered.startsWith(`${name}=`)) return true;
    }
  }
  return false;
}
