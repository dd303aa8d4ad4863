/**
 * The POP3 replies as data: the kinds of line a server sends (RFC 1939 §3, §5, §7), the extended
 * response codes (RFC 2449 §8, RFC 3206) and the CAPA tags (RFC 2449 §6 and later), each with the
 * section that defines it. The explanations (protocol/explain/) are keyed by these names.
 */

export interface Pop3ReplyKind {
  /** The name the explanations use: "+OK", "greeting", "scan-listing", "LOGIN-DELAY", "TOP". */
  name: string;
  /** Where it is defined, e.g. "RFC 1939 §5". */
  rfc: string;
}

/** What one line of a server's reply is. */
export const POP3_REPLY_KINDS: readonly Pop3ReplyKind[] = [
  /** RFC 1939 §4: the first line, "+OK" and, when APOP is offered, a timestamp. */
  { name: 'greeting', rfc: 'RFC 1939 §4' },
  { name: '+OK', rfc: 'RFC 1939 §3' },
  { name: '-ERR', rfc: 'RFC 1939 §3' },
  /** RFC 5034 §4: "+ " and a base64 SASL challenge. */
  { name: '+', rfc: 'RFC 5034 §4' },
  /** RFC 1939 §5: "nn mm" in a LIST reply. */
  { name: 'scan-listing', rfc: 'RFC 1939 §5' },
  /** RFC 1939 §7: "nn unique-id" in a UIDL reply. */
  { name: 'uid-listing', rfc: 'RFC 1939 §7' },
  /** RFC 1939 §5, §7: a line of a message (RETR, TOP). */
  { name: 'message-line', rfc: 'RFC 1939 §5' },
  /** RFC 1939 §3: a line of a message that starts with ".", sent with one more "." in front. */
  { name: 'stuffed-line', rfc: 'RFC 1939 §3' },
  /** RFC 5034 §4 / RFC 1734 §2: a mechanism listed by AUTH without argument. */
  { name: 'mechanism-line', rfc: 'RFC 1734 §2' },
  /** RFC 6856 §3: a language listed by LANG without argument. */
  { name: 'language-line', rfc: 'RFC 6856 §3' },
  /** RFC 1939 §3: the line holding only ".", the end of a multi-line reply. */
  { name: 'end', rfc: 'RFC 1939 §3' },
];

/** Extended response codes: `-ERR [IN-USE] Do you have another POP session running?`. */
export const POP3_RESPONSE_CODES: readonly Pop3ReplyKind[] = [
  { name: 'LOGIN-DELAY', rfc: 'RFC 2449 §8.1.1' },
  { name: 'IN-USE', rfc: 'RFC 2449 §8.1.2' },
  { name: 'SYS/TEMP', rfc: 'RFC 3206 §4' },
  { name: 'SYS/PERM', rfc: 'RFC 3206 §4' },
  { name: 'AUTH', rfc: 'RFC 3206 §5' },
  { name: 'UTF8', rfc: 'RFC 6856 §5' },
];

/** Capabilities a CAPA reply lists, one a line (RFC 2449 §6, RFC 2595 §4, RFC 6856). */
export const POP3_CAPABILITIES: readonly Pop3ReplyKind[] = [
  /** Not in RFC 2449's list, but Dovecot and others name the command itself. */
  { name: 'CAPA', rfc: 'RFC 2449 §5' },
  { name: 'TOP', rfc: 'RFC 2449 §6.1' },
  { name: 'USER', rfc: 'RFC 2449 §6.2' },
  { name: 'SASL', rfc: 'RFC 2449 §6.3' },
  { name: 'RESP-CODES', rfc: 'RFC 2449 §6.4' },
  { name: 'LOGIN-DELAY', rfc: 'RFC 2449 §6.5' },
  { name: 'PIPELINING', rfc: 'RFC 2449 §6.6' },
  { name: 'EXPIRE', rfc: 'RFC 2449 §6.7' },
  { name: 'UIDL', rfc: 'RFC 2449 §6.8' },
  { name: 'IMPLEMENTATION', rfc: 'RFC 2449 §6.9' },
  { name: 'STLS', rfc: 'RFC 2595 §4' },
  { name: 'AUTH-RESP-CODE', rfc: 'RFC 3206 §6' },
  { name: 'UTF8', rfc: 'RFC 6856 §2' },
  { name: 'LANG', rfc: 'RFC 6856 §3' },
];

const CODE_BY_NAME = new Map(POP3_RESPONSE_CODES.map((k) => [k.name, k]));
const CAPA_BY_NAME = new Map(POP3_CAPABILITIES.map((k) => [k.name, k]));
const KIND_BY_NAME = new Map(POP3_REPLY_KINDS.map((k) => [k.name, k]));

/** The reply kind called `name`; the table holds every name the explanations use. */
export function pop3ReplyKind(name: string): Pop3ReplyKind | undefined {
  return KIND_BY_NAME.get(name);
}

/** The response code called `name` (case-insensitive), or undefined. */
export function findPop3ResponseCode(name: string): Pop3ReplyKind | undefined {
  return CODE_BY_NAME.get(name.toUpperCase());
}

/** The CAPA tag called `name` (case-insensitive), or undefined. */
export function findPop3Capability(name: string): Pop3ReplyKind | undefined {
  return CAPA_BY_NAME.get(name.toUpperCase());
}
