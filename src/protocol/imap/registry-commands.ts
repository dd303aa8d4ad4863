/**
 * The IMAP commands of the IANA "IMAP Commands" registry (https://www.iana.org/assignments/imap-commands)
 * that commands.ts does not describe already, and XLIST, which Gmail and Apple servers still answer.
 * Kept apart from the core table so each file stays one readable list; commands.ts joins them, and
 * everything (auto tags, help, completion, state warnings, lint) reads the joined table. A reference
 * without a section names the RFC as the registry does.
 */
import type { ImapCommandSpec, ImapState } from './command-spec.js';

const ANY: readonly ImapState[] = ['not-authenticated', 'authenticated', 'selected'];
const AUTH: readonly ImapState[] = ['authenticated', 'selected'];
const SELECTED: readonly ImapState[] = ['selected'];

export const IMAP_REGISTRY_COMMANDS: readonly ImapCommandSpec[] = [
  // RFC 4314: access control lists
  {
    name: 'SETACL',
    syntax: 'SETACL mailbox identifier access-rights',
    summary: 'grant (+rights), revoke (-rights) or set the rights of a user or group on a mailbox',
    states: AUTH,
    rfc: 'RFC 4314 §3.1',
    capability: 'ACL',
  },
  {
    name: 'DELETEACL',
    syntax: 'DELETEACL mailbox identifier',
    summary: 'remove every right an identifier has on a mailbox',
    states: AUTH,
    rfc: 'RFC 4314 §3.2',
    capability: 'ACL',
  },
  {
    name: 'GETACL',
    syntax: 'GETACL mailbox',
    summary: 'the access control list of a mailbox: identifiers and their rights (lrswipkxtecda)',
    states: AUTH,
    rfc: 'RFC 4314 §3.3',
    capability: 'ACL',
  },
  {
    name: 'LISTRIGHTS',
    syntax: 'LISTRIGHTS mailbox identifier',
    summary: 'which rights an identifier always has on a mailbox and which may be granted',
    states: AUTH,
    rfc: 'RFC 4314 §3.4',
    capability: 'ACL',
  },
  {
    name: 'MYRIGHTS',
    syntax: 'MYRIGHTS mailbox',
    summary: 'the rights the logged-in user has on a mailbox',
    states: AUTH,
    rfc: 'RFC 4314 §3.5',
    capability: 'ACL',
  },
  // RFC 4467: URLAUTH
  {
    name: 'RESETKEY',
    syntax: 'RESETKEY [mailbox [mechanism ...]]',
    summary: 'make new URLAUTH access keys, which voids the URLs made with the old ones',
    states: AUTH,
    rfc: 'RFC 4467 §7.1',
    capability: 'URLAUTH',
  },
  {
    name: 'GENURLAUTH',
    syntax: 'GENURLAUTH url mechanism ...',
    summary: 'sign IMAP URLs so that another party (a submission server) may fetch them',
    states: AUTH,
    rfc: 'RFC 4467 §7.2',
    capability: 'URLAUTH',
  },
  {
    name: 'URLFETCH',
    syntax: 'URLFETCH url ...',
    summary: 'fetch the data that signed IMAP URLs point to',
    states: AUTH,
    rfc: 'RFC 4467 §7.3',
    capability: 'URLAUTH',
  },
  // RFC 5255: internationalization
  {
    name: 'LANGUAGE',
    syntax: 'LANGUAGE [language-range ...]',
    summary: 'list the languages of the server\'s human-readable texts, or choose one',
    states: ANY,
    rfc: 'RFC 5255',
    capability: 'LANGUAGE',
  },
  {
    name: 'COMPARATOR',
    syntax: 'COMPARATOR [comparator ...]',
    summary: 'list or choose the collations SEARCH and SORT use (i;unicode-casemap, ...)',
    states: AUTH,
    rfc: 'RFC 5255',
    capability: 'I18NLEVEL=2',
  },
  // RFC 5267: contexts
  {
    name: 'CANCELUPDATE',
    syntax: 'CANCELUPDATE tag ...',
    summary: 'stop the updates a SEARCH or SORT with RETURN (UPDATE) asked for',
    states: SELECTED,
    rfc: 'RFC 5267 §4',
    capability: 'CONTEXT=',
  },
  // RFC 5259: conversions
  {
    name: 'CONVERT',
    syntax: 'CONVERT sequence-set (conversion-parameters) (items)',
    summary: 'fetch message parts converted to another media type or charset',
    states: SELECTED,
    rfc: 'RFC 5259',
    capability: 'CONVERT',
  },
  // RFC 5465: NOTIFY
  {
    name: 'NOTIFY',
    syntax: 'NOTIFY NONE | NOTIFY SET [STATUS] (mailboxes events) ...',
    summary: 'ask for updates about other mailboxes than the selected one, or stop them',
    states: AUTH,
    rfc: 'RFC 5465',
    capability: 'NOTIFY',
  },
  // RFC 7377: MULTISEARCH
  {
    name: 'ESEARCH',
    syntax: 'ESEARCH [IN (source-options)] [RETURN (options)] criteria',
    summary: 'search several mailboxes at once (SELECTED, PERSONAL, SUBTREE name, ...)',
    states: AUTH,
    rfc: 'RFC 7377',
    capability: 'MULTISEARCH',
  },
  // RFC 8437: UNAUTHENTICATE
  {
    name: 'UNAUTHENTICATE',
    syntax: 'UNAUTHENTICATE',
    summary: 'log out without closing the connection: back to the not authenticated state',
    states: AUTH,
    rfc: 'RFC 8437 §3',
    capability: 'UNAUTHENTICATE',
  },
  // RFC 8508: REPLACE
  {
    name: 'REPLACE',
    syntax: 'REPLACE message-number mailbox {size}',
    summary: 'APPEND a new version of a message and expunge the old one, in one step',
    states: SELECTED,
    rfc: 'RFC 8508 §3.3',
    capability: 'REPLACE',
  },
  // RFC 2193: mailbox referrals
  {
    name: 'RLIST',
    syntax: 'RLIST reference mailbox-pattern',
    summary: 'LIST that also shows mailboxes on other servers, as referrals',
    states: AUTH,
    rfc: 'RFC 2193',
    capability: 'MAILBOX-REFERRALS',
  },
  {
    name: 'RLSUB',
    syntax: 'RLSUB reference mailbox-pattern',
    summary: 'LSUB that also shows subscribed mailboxes on other servers, as referrals',
    states: AUTH,
    rfc: 'RFC 2193',
    capability: 'MAILBOX-REFERRALS',
  },
  // RFC 9698: JMAPACCESS
  {
    name: 'GETJMAPACCESS',
    syntax: 'GETJMAPACCESS',
    summary: 'the JMAP session URL that reaches the same mail store',
    states: AUTH,
    rfc: 'RFC 9698',
    capability: 'JMAPACCESS',
  },
  // RFC 3501 §6.5.1 allows X<atom> commands; this one is common enough to describe.
  {
    name: 'XLIST',
    syntax: 'XLIST reference mailbox-pattern',
    summary: 'Gmail\'s and Apple\'s LIST with \\Inbox, \\Sent, \\Trash flags (RFC 6154 SPECIAL-USE replaces it)',
    states: AUTH,
    rfc: 'RFC 3501 §6.5.1',
    capability: 'XLIST',
    seeAlso: ['RFC 6154 §2'],
  },
];
