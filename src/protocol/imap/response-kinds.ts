/**
 * The IMAP4 responses as data: the status responses, the kinds of untagged server data and the
 * response codes of RFC 3501 §7, RFC 9051 §7 (what it adds), RFC 5530 and the common extensions,
 * each with the section that defines it. The explanations (protocol/explain/) are keyed by these
 * names; lint and the sandbox may read them too.
 */

export interface ImapResponseKind {
  /** Upper-case name as it appears on the wire: "EXISTS", "LIST", "OK". */
  name: string;
  /** Where it is defined, e.g. "RFC 3501 §7.3.1". */
  rfc: string;
  /** The capability that brings it, when it is an extension. */
  capability?: string;
}

/** RFC 3501 §7.1 / RFC 9051 §7.1: the status responses, tagged or untagged. */
export const IMAP_STATUS_RESPONSES: readonly ImapResponseKind[] = [
  { name: 'OK', rfc: 'RFC 3501 §7.1.1' },
  { name: 'NO', rfc: 'RFC 3501 §7.1.2' },
  { name: 'BAD', rfc: 'RFC 3501 §7.1.3' },
  { name: 'PREAUTH', rfc: 'RFC 3501 §7.1.4' },
  { name: 'BYE', rfc: 'RFC 3501 §7.1.5' },
];

/** Untagged server data: `* CAPABILITY ...`, `* 18 EXISTS`, `* 2 FETCH (...)`. */
export const IMAP_DATA_RESPONSES: readonly ImapResponseKind[] = [
  // RFC 3501 §7.2-7.4
  { name: 'CAPABILITY', rfc: 'RFC 3501 §7.2.1' },
  { name: 'LIST', rfc: 'RFC 3501 §7.2.2' },
  { name: 'LSUB', rfc: 'RFC 3501 §7.2.3' },
  { name: 'STATUS', rfc: 'RFC 3501 §7.2.4' },
  { name: 'SEARCH', rfc: 'RFC 3501 §7.2.5' },
  { name: 'FLAGS', rfc: 'RFC 3501 §7.2.6' },
  { name: 'EXISTS', rfc: 'RFC 3501 §7.3.1' },
  { name: 'RECENT', rfc: 'RFC 3501 §7.3.2' },
  { name: 'EXPUNGE', rfc: 'RFC 3501 §7.4.1' },
  { name: 'FETCH', rfc: 'RFC 3501 §7.4.2' },
  // RFC 9051 §7: what IMAP4rev2 adds
  { name: 'ENABLED', rfc: 'RFC 9051 §7.2.1', capability: 'ENABLE' },
  { name: 'NAMESPACE', rfc: 'RFC 9051 §7.3.2', capability: 'NAMESPACE' },
  { name: 'ESEARCH', rfc: 'RFC 9051 §7.3.4', capability: 'ESEARCH' },
  // Extensions
  { name: 'QUOTA', rfc: 'RFC 9208 §4.2.1', capability: 'QUOTA' },
  { name: 'QUOTAROOT', rfc: 'RFC 9208 §4.2.2', capability: 'QUOTA' },
  { name: 'ID', rfc: 'RFC 2971 §3.2', capability: 'ID' },
  { name: 'METADATA', rfc: 'RFC 5464 §4.4', capability: 'METADATA' },
  { name: 'SORT', rfc: 'RFC 5256 §4', capability: 'SORT' },
  { name: 'THREAD', rfc: 'RFC 5256 §4', capability: 'THREAD=' },
  { name: 'VANISHED', rfc: 'RFC 7162 §3.2.10', capability: 'QRESYNC' },
  { name: 'ACL', rfc: 'RFC 4314 §3.6', capability: 'ACL' },
  { name: 'LISTRIGHTS', rfc: 'RFC 4314 §3.7', capability: 'ACL' },
  { name: 'MYRIGHTS', rfc: 'RFC 4314 §3.8', capability: 'ACL' },
  { name: 'XLIST', rfc: 'RFC 6154 §2', capability: 'XLIST' },
];

/** RFC 3501 §7.5 / RFC 9051 §7.6: `+ text`, the server asks for more of the command. */
export const IMAP_CONTINUATION: ImapResponseKind = { name: '+', rfc: 'RFC 3501 §7.5' };

/** Response codes: `* OK [UIDVALIDITY 3857529045] UIDs valid`, `A003 NO [TRYCREATE] ...`. */
export const IMAP_RESPONSE_CODES: readonly ImapResponseKind[] = [
  // RFC 3501 §7.1
  { name: 'ALERT', rfc: 'RFC 3501 §7.1' },
  { name: 'BADCHARSET', rfc: 'RFC 3501 §7.1' },
  { name: 'CAPABILITY', rfc: 'RFC 3501 §7.1' },
  { name: 'PARSE', rfc: 'RFC 3501 §7.1' },
  { name: 'PERMANENTFLAGS', rfc: 'RFC 3501 §7.1' },
  { name: 'READ-ONLY', rfc: 'RFC 3501 §7.1' },
  { name: 'READ-WRITE', rfc: 'RFC 3501 §7.1' },
  { name: 'TRYCREATE', rfc: 'RFC 3501 §7.1' },
  { name: 'UIDNEXT', rfc: 'RFC 3501 §7.1' },
  { name: 'UIDVALIDITY', rfc: 'RFC 3501 §7.1' },
  { name: 'UNSEEN', rfc: 'RFC 3501 §7.1' },
  // RFC 5530 §3
  { name: 'UNAVAILABLE', rfc: 'RFC 5530 §3' },
  { name: 'AUTHENTICATIONFAILED', rfc: 'RFC 5530 §3' },
  { name: 'AUTHORIZATIONFAILED', rfc: 'RFC 5530 §3' },
  { name: 'EXPIRED', rfc: 'RFC 5530 §3' },
  { name: 'PRIVACYREQUIRED', rfc: 'RFC 5530 §3' },
  { name: 'CONTACTADMIN', rfc: 'RFC 5530 §3' },
  { name: 'NOPERM', rfc: 'RFC 5530 §3' },
  { name: 'INUSE', rfc: 'RFC 5530 §3' },
  { name: 'EXPUNGEISSUED', rfc: 'RFC 5530 §3' },
  { name: 'CORRUPTION', rfc: 'RFC 5530 §3' },
  { name: 'SERVERBUG', rfc: 'RFC 5530 §3' },
  { name: 'CLIENTBUG', rfc: 'RFC 5530 §3' },
  { name: 'CANNOT', rfc: 'RFC 5530 §3' },
  { name: 'LIMIT', rfc: 'RFC 5530 §3' },
  { name: 'OVERQUOTA', rfc: 'RFC 5530 §3' },
  { name: 'ALREADYEXISTS', rfc: 'RFC 5530 §3' },
  { name: 'NONEXISTENT', rfc: 'RFC 5530 §3' },
  // RFC 4315 §3 (UIDPLUS), where IMAP4rev1 sessions have them from; IMAP4rev2 took them in (RFC 9051 §7.1)
  { name: 'APPENDUID', rfc: 'RFC 4315 §3', capability: 'UIDPLUS' },
  { name: 'COPYUID', rfc: 'RFC 4315 §3', capability: 'UIDPLUS' },
  { name: 'UIDNOTSTICKY', rfc: 'RFC 4315 §3', capability: 'UIDPLUS' },
  // RFC 9051 §7.1: the other codes IMAP4rev2 adds (from CONDSTORE, SEARCHRES, BINARY, LIST-EXTENDED)
  { name: 'CLOSED', rfc: 'RFC 9051 §7.1' },
  { name: 'HASCHILDREN', rfc: 'RFC 9051 §7.1' },
  { name: 'NOTSAVED', rfc: 'RFC 9051 §7.1' },
  { name: 'UNKNOWN-CTE', rfc: 'RFC 9051 §7.1', capability: 'BINARY' },
  // RFC 7162 §3.1 (CONDSTORE): Dovecot and Cyrus send them on SELECT
  { name: 'HIGHESTMODSEQ', rfc: 'RFC 7162 §3.1.2.1', capability: 'CONDSTORE' },
  { name: 'NOMODSEQ', rfc: 'RFC 7162 §3.1.2.2', capability: 'CONDSTORE' },
  { name: 'MODIFIED', rfc: 'RFC 7162 §3.1.3', capability: 'CONDSTORE' },
];

const STATUS_BY_NAME = new Map(IMAP_STATUS_RESPONSES.map((k) => [k.name, k]));
const DATA_BY_NAME = new Map(IMAP_DATA_RESPONSES.map((k) => [k.name, k]));
const CODE_BY_NAME = new Map(IMAP_RESPONSE_CODES.map((k) => [k.name, k]));

/** The status response called `name` (case-insensitive), or undefined. */
export function findImapStatusResponse(name: string): ImapResponseKind | undefined {
  return STATUS_BY_NAME.get(name.toUpperCase());
}

/** The kind of untagged data called `name` (case-insensitive), or undefined. */
export function findImapDataResponse(name: string): ImapResponseKind | undefined {
  return DATA_BY_NAME.get(name.toUpperCase());
}

/** The response code called `name` (case-insensitive), or undefined. */
export function findImapResponseCode(name: string): ImapResponseKind | undefined {
  return CODE_BY_NAME.get(name.toUpperCase());
}
