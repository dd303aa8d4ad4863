/**
 * The table of volatile values: what a server says that it will not say again in a session run
 * twice on the same starting state (a new connection, a fresh server, another day). `--record` writes
 * these values as patterns, and replay reads recordings made before a value joined the table as if
 * they had been (volatile-rewrite.ts), so nobody has to record again. docs/volatile-values.md gives
 * the judgement behind each row.
 *
 * A row names the value, where it is, which servers send it and the source that documents it (a
 * specification, the server's documentation, or a recording where nothing is documented). Statuses
 * (OK/NO/BAD, +OK/-ERR), response names and response-code names are never in the table: only the
 * value after a name. Pure data.
 */

/** How a value is found in a line. */
export type VolatileShape =
  /**
   * An item or code name followed by one value: `NAME value` (`[UIDVALIDITY 3857529045]`,
   * `MODSEQ (12)`) or `NAME=value` (`SESSIONID=<...>`). `inGroup`: only inside (...) or [...], where
   * FETCH items, STATUS items and response codes live, so a mailbox name never matches.
   */
  | { kind: 'item'; name: string; separator: ' ' | '='; inGroup: boolean; capture?: string }
  /** A parenthesized timing in a completion's text: `(0.001 + 0.000 secs)`. */
  | { kind: 'timing' }
  /** Whatever follows a fixed greeting text (the greeting names the machine that answered). */
  | { kind: 'greeting-tail'; after: string }
  /** Whatever follows a fixed text in a tagged completion's text (an id of the connection). */
  | { kind: 'completion-tail'; after: string }
  /** Recognized by the conversation, not the line: kept by the recorder (variables.ts). */
  | { kind: 'apop-timestamp' }
  | { kind: 'uidl-id' }
  | { kind: 'sasl-challenge' };

export interface VolatileValue {
  /** Stable id, used in docs and tests. */
  id: string;
  /** What the value is, in a few words. */
  what: string;
  protocols: ReadonlyArray<'imap' | 'pop3'>;
  shape: VolatileShape;
  /** Servers known to send it. */
  servers: readonly string[];
  /** Where it is documented; `observed:` when only recordings show it. */
  source: string;
}

const item = (name: string, inGroup = true, capture?: string): VolatileShape =>
  ({ kind: 'item', name, separator: ' ', inGroup, ...(capture === undefined ? {} : { capture }) });

const RFC_SERVERS = ['Dovecot', 'Cyrus IMAP', 'Courier-IMAP', 'Stalwart', 'Gmail', 'Exchange'];

export const VOLATILE_VALUES: readonly VolatileValue[] = [
  {
    id: 'uidvalidity', what: 'UIDVALIDITY of a mailbox (a new one for every created mailbox)', protocols: ['imap'],
    shape: item('UIDVALIDITY', true, 'uidvalidity'), servers: RFC_SERVERS, source: 'RFC 3501 §2.3.1.1; RFC 9051 §2.3.1.1',
  },
  {
    id: 'appenduid', what: 'UIDVALIDITY in APPENDUID', protocols: ['imap'],
    shape: item('APPENDUID', true, 'uidvalidity'), servers: ['Dovecot', 'Cyrus IMAP', 'Stalwart', 'Gmail'], source: 'RFC 4315 §3',
  },
  {
    id: 'copyuid', what: 'UIDVALIDITY in COPYUID', protocols: ['imap'],
    shape: item('COPYUID', true, 'uidvalidity'), servers: ['Dovecot', 'Cyrus IMAP', 'Stalwart', 'Gmail'], source: 'RFC 4315 §3',
  },
  {
    id: 'internaldate', what: 'INTERNALDATE (the time of delivery)', protocols: ['imap'],
    shape: item('INTERNALDATE'), servers: RFC_SERVERS, source: 'RFC 3501 §2.3.3',
  },
  {
    id: 'savedate', what: 'SAVEDATE (the time the message was saved to this mailbox)', protocols: ['imap'],
    shape: item('SAVEDATE'), servers: ['Cyrus IMAP', 'Dovecot'], source: 'RFC 8514 §4',
  },
  {
    id: 'modseq', what: 'MODSEQ of a message, and in SEARCH/SORT results', protocols: ['imap'],
    shape: item('MODSEQ'), servers: ['Dovecot', 'Cyrus IMAP', 'Stalwart', 'Gmail'], source: 'RFC 7162 §3.1.4, §3.1.5',
  },
  {
    id: 'highestmodseq', what: 'HIGHESTMODSEQ of a mailbox (response code and STATUS item)', protocols: ['imap'],
    shape: item('HIGHESTMODSEQ'), servers: ['Dovecot', 'Cyrus IMAP', 'Stalwart', 'Gmail'], source: 'RFC 7162 §3.1.1, §3.1.2',
  },
  {
    id: 'mailboxid', what: 'MAILBOXID (response code and STATUS item)', protocols: ['imap'],
    shape: item('MAILBOXID'), servers: ['Cyrus IMAP', 'Dovecot', 'Stalwart'], source: 'RFC 8474 §4',
  },
  {
    id: 'emailid', what: 'EMAILID of a message', protocols: ['imap'],
    shape: item('EMAILID'), servers: ['Cyrus IMAP', 'Dovecot', 'Stalwart'], source: 'RFC 8474 §5.1',
  },
  {
    id: 'threadid', what: 'THREADID of a message', protocols: ['imap'],
    shape: item('THREADID'), servers: ['Cyrus IMAP', 'Stalwart'], source: 'RFC 8474 §5.2',
  },
  {
    id: 'x-gm-msgid', what: 'Gmail\'s message id', protocols: ['imap'],
    shape: item('X-GM-MSGID'), servers: ['Gmail'], source: 'https://developers.google.com/gmail/imap/imap-extensions (X-GM-MSGID)',
  },
  {
    id: 'x-gm-thrid', what: 'Gmail\'s thread id', protocols: ['imap'],
    shape: item('X-GM-THRID'), servers: ['Gmail'], source: 'https://developers.google.com/gmail/imap/imap-extensions (X-GM-THRID)',
  },
  {
    id: 'x-guid', what: 'Dovecot\'s message GUID and mailbox GUID (FETCH and STATUS item X-GUID)', protocols: ['imap'],
    shape: item('X-GUID'), servers: ['Dovecot'], source: 'Dovecot 2.3 source, src/imap/imap-fetch.c and imap-status.c (X-GUID)',
  },
  {
    id: 'sessionid', what: 'Cyrus\'s session id in login completions', protocols: ['imap', 'pop3'],
    shape: { kind: 'item', name: 'SESSIONID', separator: '=', inGroup: false }, servers: ['Cyrus IMAP'],
    source: 'Cyrus IMAP 3.x source, imap/imapd.c and imap/pop3d.c ("SESSIONID=<%s>"); observed: Cyrus 3.6 recordings',
  },
  {
    id: 'timing', what: 'how long a command took, in its completion text', protocols: ['imap'],
    shape: { kind: 'timing' }, servers: ['Dovecot', 'Cyrus IMAP'],
    source: 'Dovecot 2.3 imap_command_completion (\'(0.001 + 0.000 secs)\'); observed: Cyrus 3.6 \'(0.000 secs 3 calls)\'',
  },
  {
    id: 'exchange-greeting', what: 'the base64 name of the Exchange back end that answered, after the greeting', protocols: ['imap', 'pop3'],
    shape: { kind: 'greeting-tail', after: 'service is ready. ' }, servers: ['Exchange', 'Exchange Online'],
    source: 'observed: "The Microsoft Exchange IMAP4 service is ready. [TQBB...]" (not documented by Microsoft)',
  },
  {
    id: 'gmail-greeting', what: 'the client\'s address and an id of the connection, after Gmail\'s IMAP greeting', protocols: ['imap'],
    shape: { kind: 'greeting-tail', after: 'Gimap ready for requests from ' }, servers: ['Gmail'],
    source: 'https://developers.google.com/gmail/imap/imap-extensions (its sample greeting "* OK Gimap ready for requests from 127.0.0.1 k2if6111336rvb.0")',
  },
  {
    id: 'gmail-completion', what: 'the id of the connection after the text of Gmail\'s CAPABILITY completion', protocols: ['imap'],
    shape: { kind: 'completion-tail', after: 'Thats all she wrote! ' }, servers: ['Gmail'],
    source: 'observed: "A1 OK Thats all she wrote! l10mb12345678abc", the id of the greeting (not documented by Google)',
  },
  {
    id: 'gmail-pop3-greeting', what: 'the client\'s address and an id of the connection, after Gmail\'s POP3 greeting', protocols: ['pop3'],
    shape: { kind: 'greeting-tail', after: 'Gpop ready for requests from ' }, servers: ['Gmail'],
    source: 'observed: "+OK Gpop ready for requests from 192.0.2.1 l10mb12345678abc" (not documented by Google)',
  },
  {
    id: 'apop-timestamp', what: 'the APOP timestamp in the POP3 greeting', protocols: ['pop3'],
    shape: { kind: 'apop-timestamp' }, servers: ['Dovecot', 'Cyrus IMAP', 'Courier', 'Exchange'], source: 'RFC 1939 §7',
  },
  {
    id: 'uidl', what: 'POP3 unique-ids (UIDL)', protocols: ['pop3'],
    shape: { kind: 'uidl-id' }, servers: ['Dovecot', 'Cyrus IMAP', 'Courier', 'Exchange', 'Gmail'], source: 'RFC 1939 §7 (UIDL)',
  },
  {
    id: 'sasl-challenge', what: 'SASL challenges (server nonces)', protocols: ['imap', 'pop3'],
    shape: { kind: 'sasl-challenge' }, servers: RFC_SERVERS, source: 'RFC 2195 §2; RFC 5802 §5; RFC 4422 §5',
  },
];
