/**
 * The words IMAP commands take as arguments — FETCH data items, SEARCH keys, STORE actions, system
 * flags, STATUS items, SASL mechanisms — as data, each with the capability that brings it when it is
 * an extension. Completion and hints read these tables; so can lint and the built-in server.
 */

export interface ImapWord {
  /** As written on the wire (upper case, flags with their backslash). */
  word: string;
  /** Where it is defined. */
  rfc: string;
  /** The capability a server advertises when it supports the word (absent: base protocol). */
  capability?: string;
}

const base = (rfc: string, words: string[]): ImapWord[] => words.map((word) => ({ word, rfc }));
const ext = (rfc: string, capability: string, words: string[]): ImapWord[] => words.map((word) => ({ word, rfc, capability }));

/** RFC 3501 §6.4.5 fetch-att, the macros ALL/FAST/FULL, and common extensions. */
export const FETCH_ITEMS: readonly ImapWord[] = [
  ...base('RFC 3501 §6.4.5', [
    'ALL', 'FAST', 'FULL', 'BODY', 'BODY[', 'BODY.PEEK[', 'BODYSTRUCTURE', 'ENVELOPE', 'FLAGS', 'INTERNALDATE',
    'RFC822', 'RFC822.HEADER', 'RFC822.SIZE', 'RFC822.TEXT', 'UID',
  ]),
  ...ext('RFC 7162 §3.1.4', 'CONDSTORE', ['MODSEQ']),
  ...ext('RFC 3516 §4.2', 'BINARY', ['BINARY[', 'BINARY.PEEK[', 'BINARY.SIZE[']),
  ...ext('RFC 8970 §3', 'PREVIEW', ['PREVIEW']),
  ...ext('RFC 8514 §4', 'SAVEDATE', ['SAVEDATE']),
  ...ext('RFC 8474 §5', 'OBJECTID', ['EMAILID', 'THREADID']),
];

/** Section specifiers inside BODY[...] (RFC 3501 §6.4.5). */
export const FETCH_SECTIONS: readonly string[] = ['HEADER', 'HEADER.FIELDS', 'HEADER.FIELDS.NOT', 'TEXT', 'MIME'];

/** RFC 3501 §6.4.4 search-key, and common extensions. */
export const SEARCH_KEYS: readonly ImapWord[] = [
  ...base('RFC 3501 §6.4.4', [
    'ALL', 'ANSWERED', 'BCC', 'BEFORE', 'BODY', 'CC', 'DELETED', 'DRAFT', 'FLAGGED', 'FROM', 'HEADER', 'KEYWORD',
    'LARGER', 'NEW', 'NOT', 'OLD', 'ON', 'OR', 'RECENT', 'SEEN', 'SENTBEFORE', 'SENTON', 'SENTSINCE', 'SINCE',
    'SMALLER', 'SUBJECT', 'TEXT', 'TO', 'UID', 'UNANSWERED', 'UNDELETED', 'UNDRAFT', 'UNFLAGGED', 'UNKEYWORD',
    'UNSEEN', 'CHARSET',
  ]),
  ...ext('RFC 7162 §3.1.5', 'CONDSTORE', ['MODSEQ']),
  ...ext('RFC 5032 §3', 'WITHIN', ['OLDER', 'YOUNGER']),
  ...ext('RFC 4731 §3.1', 'ESEARCH', ['RETURN']),
];

/** RFC 3501 §6.4.6 store-att-flags. */
export const STORE_ACTIONS: readonly string[] = ['FLAGS', '+FLAGS', '-FLAGS', 'FLAGS.SILENT', '+FLAGS.SILENT', '-FLAGS.SILENT'];

/** RFC 3501 §2.3.2 system flags (\Recent is the server's alone: a client cannot set it). */
export const SYSTEM_FLAGS: readonly string[] = ['\\Seen', '\\Answered', '\\Flagged', '\\Deleted', '\\Draft'];

/** RFC 3501 §6.3.10 status-att, and extensions. */
export const STATUS_ITEMS: readonly ImapWord[] = [
  ...base('RFC 3501 §6.3.10', ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN']),
  ...ext('RFC 7162 §3.1.7', 'CONDSTORE', ['HIGHESTMODSEQ']),
  ...ext('RFC 8438 §2', 'STATUS=SIZE', ['SIZE']),
  ...ext('RFC 9051 §6.3.11', 'IMAP4REV2', ['DELETED']),
];

/** RFC 5256 §3 sort-key. */
export const SORT_KEYS: readonly string[] = ['ARRIVAL', 'CC', 'DATE', 'FROM', 'REVERSE', 'SIZE', 'SUBJECT', 'TO'];

/** Whether a server with these capabilities knows the word (base words always). */
export function imapWordOffered(word: ImapWord, capabilities: ReadonlySet<string>): boolean {
  return word.capability === undefined || capabilities.size === 0 || capabilities.has(word.capability.toUpperCase());
}
