/**
 * The IMAP extensions whose syntax lint reads, as a table keyed by the capability that announces
 * each: its rules (from its RFC's formal syntax, or its vendor's documentation), added with `=/` to
 * the rules of both revisions (grammar-rfc3501.ts, grammar-rfc9051.ts, with the names RFC 9051 gives
 * them), and the response codes it defines. grammar.ts builds a grammar of the rows a session's
 * capabilities announce, or of every row while they are not known; lint says when a line reads only
 * with a row the server did not announce. Where an RFC writes a rule in a way that cannot be added
 * with `=/` (a suffix to a command), the whole alternative is written out. Pure data.
 */

export interface ImapExtensionGrammar {
  /** The extension's name, as findings and help give it (its capability, without a value). */
  name: string;
  /**
   * Capabilities that announce it, any one of them: a name ending in "=" stands for a family
   * (COMPRESS=DEFLATE), a name without one also for its valued forms (APPENDLIMIT=35651584, QUOTA=RES-
   * STORAGE), as commands.ts's capabilityOffered() reads them.
   */
  capabilities: readonly string[];
  /** Where its syntax is written. */
  source: string;
  /** Its rules, RFC 5234 ABNF. */
  syntax: string;
  /** Rows whose rules these build on (ESORT adds to SORT's). */
  buildsOn?: readonly string[];
  /** Response codes it defines (RFC 3501 §9: a code the grammar defines may not be read as a generic one). */
  codes?: readonly string[];
}

export const IMAP_EXTENSION_GRAMMARS: readonly ImapExtensionGrammar[] = [
  {
    name: 'BINARY',
    capabilities: ['BINARY'],
    source: 'RFC 3516 §4.4',
    // BINARY's FETCH items are IMAP4rev2's, read in both revisions (grammar-extensions.ts).
    syntax: String.raw`
append          =/ "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal8
`,
  },
  {
    name: 'QUOTA',
    capabilities: ['QUOTA'],
    source: 'RFC 9208 §7',
    codes: ['OVERQUOTA'],
    syntax: String.raw`
command-auth    =/ getquota / getquotaroot / setquota
getquota        = "GETQUOTA" SP quota-root-name
getquotaroot    = "GETQUOTAROOT" SP mailbox
setquota        = "SETQUOTA" SP quota-root-name SP setquota-list
setquota-list   = "(" [setquota-resource *(SP setquota-resource)] ")"
setquota-resource = resource-name SP resource-limit
mailbox-data    =/ quota-response / quotaroot-response
quota-response  = "QUOTA" SP quota-root-name SP quota-list
quota-list      = "(" quota-resource *(SP quota-resource) ")"
; RFC 2087 §6 writes the list "(" #quota_resource ")", which may be empty (Cyrus sends "()" for a
; root without limits); RFC 9208 wants one resource at least
quota-list      =/ "(" ")"
quota-resource  = resource-name SP resource-usage SP resource-limit
quotaroot-response = "QUOTAROOT" SP mailbox *(SP quota-root-name)
quota-root-name = astring
resource-name   = "STORAGE" / "MESSAGE" / "MAILBOX" / "ANNOTATION-STORAGE" / resource-name-ext
resource-name-ext = atom
resource-usage  = number64
resource-limit  = number64
status-att      =/ "DELETED-STORAGE"
status-att-val  =/ "DELETED-STORAGE" SP number64
resp-text-code  =/ "OVERQUOTA"
`,
  },
  {
    name: 'ID',
    capabilities: ['ID'],
    source: 'RFC 2971 §4',
    syntax: String.raw`
command-any     =/ id
id              = "ID" SP id-params-list
id-params-list  = "(" [string SP nstring *(SP string SP nstring)] ")" / nil
response-data   =/ "*" SP id-response CRLF
id-response     = "ID" SP id-params-list
`,
  },
  {
    name: 'COMPRESS',
    capabilities: ['COMPRESS='],
    source: 'RFC 4978 §5',
    codes: ['COMPRESSIONACTIVE'],
    syntax: String.raw`
command-auth    =/ compress
compress        = "COMPRESS" SP algorithm
algorithm       = "DEFLATE"
resp-text-code  =/ "COMPRESSIONACTIVE"
`,
  },
  {
    name: 'SORT',
    capabilities: ['SORT'],
    source: 'RFC 5256 §5',
    syntax: String.raw`
command-select  =/ sort
sort            = ["UID" SP] "SORT" SP sort-criteria SP search-criteria
sort-criteria   = "(" sort-criterion *(SP sort-criterion) ")"
sort-criterion  = ["REVERSE" SP] sort-key
sort-key        = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"
mailbox-data    =/ sort-data
sort-data       = "SORT" *(SP nz-number)
`,
  },
  {
    name: 'ESORT',
    capabilities: ['ESORT'],
    source: 'RFC 5267 §3.1',
    buildsOn: ['SORT'],
    syntax: String.raw`
sort            =/ ["UID" SP] "SORT" search-return-opts SP sort-criteria SP search-criteria
`,
  },
  {
    name: 'THREAD',
    capabilities: ['THREAD='],
    source: 'RFC 5256 §5',
    syntax: String.raw`
command-select  =/ thread
thread          = ["UID" SP] "THREAD" SP thread-alg SP search-criteria
thread-alg      = "ORDEREDSUBJECT" / "REFERENCES" / thread-alg-ext
thread-alg-ext  = atom
mailbox-data    =/ thread-data
thread-data     = "THREAD" [SP 1*thread-list]
thread-list     = "(" (thread-members / thread-nested) ")"
thread-members  = nz-number *(SP nz-number) [SP thread-nested]
thread-nested   = 2*thread-list
`,
  },
  {
    name: 'CONDSTORE',
    capabilities: ['CONDSTORE', 'QRESYNC'],
    source: 'RFC 7162 §7',
    codes: ['HIGHESTMODSEQ', 'NOMODSEQ', 'MODIFIED', 'CLOSED'],
    syntax: String.raw`
status-att      =/ "HIGHESTMODSEQ"
status-att-val  =/ "HIGHESTMODSEQ" SP mod-sequence-valzer
store-modifier  =/ "UNCHANGEDSINCE" SP mod-sequence-valzer
fetch-modifier  =/ chgsince-fetch-mod / rexpunges-fetch-mod
chgsince-fetch-mod = "CHANGEDSINCE" SP mod-sequence-value
rexpunges-fetch-mod = "VANISHED"
fetch-att       =/ "MODSEQ"
msg-att-dynamic =/ "MODSEQ" SP "(" permsg-modsequence ")"
search-key      =/ "MODSEQ" [search-modseq-ext] SP mod-sequence-valzer
search-modseq-ext = SP entry-name SP entry-type-req
resp-text-code  =/ "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" / "MODIFIED" SP sequence-set / "CLOSED"
entry-name      = entry-flag-name
entry-flag-name = DQUOTE "/flags/" attr-flag DQUOTE
entry-type-resp = "priv" / "shared"
entry-type-req  = entry-type-resp / "all"
permsg-modsequence = mod-sequence-value
mod-sequence-value = 1*DIGIT
mod-sequence-valzer = "0" / mod-sequence-value
search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"
select-param    =/ "CONDSTORE" / "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")"
seq-match-data  = "(" known-sequence-set SP known-uid-set ")"
uidvalidity     = nz-number
known-uids      = sequence-set
known-sequence-set = sequence-set
known-uid-set   = sequence-set
mailbox-data    =/ "SEARCH" 1*(SP nz-number) SP search-sort-mod-seq / "SORT" 1*(SP nz-number) SP search-sort-mod-seq
message-data    =/ expunged-resp
expunged-resp   = "VANISHED" [SP "(EARLIER)"] SP known-uids
search-return-data =/ "MODSEQ" SP mod-sequence-value
attr-flag       = "\\Answered" / "\\Flagged" / "\\Deleted" / "\\Seen" / "\\Draft" / attr-flag-keyword / attr-flag-extension
attr-flag-extension = "\\" atom
attr-flag-keyword = atom
`,
  },
  {
    name: 'METADATA',
    capabilities: ['METADATA', 'METADATA-SERVER'],
    source: 'RFC 5464 §5',
    codes: ['METADATA'],
    syntax: String.raw`
command-auth    =/ setmetadata / getmetadata
entries         = entry / "(" entry *(SP entry) ")"
entry           = astring
entry-value     = entry SP value
entry-values    = "(" entry-value *(SP entry-value) ")"
entry-list      = entry *(SP entry)
getmetadata     = "GETMETADATA" [SP getmetadata-options] SP mailbox SP entries
getmetadata-options = "(" getmetadata-option *(SP getmetadata-option) ")"
getmetadata-option = tagged-ext-label [SP tagged-ext-val]
metadata-resp   = "METADATA" SP mailbox SP (entry-values / entry-list)
mailbox-data    =/ metadata-resp
resp-text-code  =/ "METADATA" SP "LONGENTRIES" SP number / "METADATA" SP ("MAXSIZE" SP number / "TOOMANY" / "NOPRIVATE")
setmetadata     = "SETMETADATA" SP mailbox SP entry-values
value           = nstring / literal8
`,
  },
  {
    name: 'ACL',
    capabilities: ['ACL'],
    source: 'RFC 4314 §7',
    syntax: String.raw`
command-auth    =/ setacl / deleteacl / getacl / listrights / myrights
acl-data        = "ACL" SP mailbox *(SP identifier SP rights)
deleteacl       = "DELETEACL" SP mailbox SP identifier
getacl          = "GETACL" SP mailbox
identifier      = astring
listrights      = "LISTRIGHTS" SP mailbox SP identifier
listrights-data = "LISTRIGHTS" SP mailbox SP identifier SP rights *(SP rights)
mailbox-data    =/ acl-data / listrights-data / myrights-data
mod-rights      = astring
myrights        = "MYRIGHTS" SP mailbox
myrights-data   = "MYRIGHTS" SP mailbox SP rights
rights          = astring
setacl          = "SETACL" SP mailbox SP identifier SP mod-rights
`,
  },
  {
    name: 'UNAUTHENTICATE',
    capabilities: ['UNAUTHENTICATE'],
    source: 'RFC 8437 §6',
    syntax: String.raw`
command-auth    =/ "UNAUTHENTICATE"
command-select  =/ "UNAUTHENTICATE"
`,
  },
  {
    name: 'APPENDLIMIT',
    capabilities: ['APPENDLIMIT'],
    source: 'RFC 7889 §5',
    syntax: String.raw`
status-att      =/ "APPENDLIMIT"
status-att-val  =/ "APPENDLIMIT" SP (number / nil)
`,
  },
  {
    name: 'OBJECTID',
    capabilities: ['OBJECTID'],
    source: 'RFC 8474 §7',
    codes: ['MAILBOXID'],
    syntax: String.raw`
fetch-att       =/ "EMAILID" / "THREADID"
fetch-emailid-resp = "EMAILID" SP "(" objectid ")"
fetch-threadid-resp = "THREADID" SP ( "(" objectid ")" / nil )
msg-att-static  =/ fetch-emailid-resp / fetch-threadid-resp
objectid        = 1*255(ALPHA / DIGIT / "_" / "-")
resp-text-code  =/ "MAILBOXID" SP "(" objectid ")"
search-key      =/ "EMAILID" SP objectid / "THREADID" SP objectid
status-att      =/ "MAILBOXID"
status-att-val  =/ "MAILBOXID" SP "(" objectid ")"
`,
  },
  {
    name: 'PREVIEW',
    capabilities: ['PREVIEW'],
    source: 'RFC 8970 §6',
    syntax: String.raw`
fetch-att       =/ "PREVIEW" [SP "(" preview-mod *(SP preview-mod) ")"]
msg-att-dynamic =/ "PREVIEW" SP nstring
preview-mod     = "LAZY"
`,
  },
  {
    name: 'X-GM-EXT-1',
    capabilities: ['X-GM-EXT-1'],
    source: 'https://developers.google.com/gmail/imap/imap-extensions',
    // Google publishes no ABNF. Written from its examples and the rules they mirror: X-GM-MSGID and
    // X-GM-THRID are 64-bit numbers; X-GM-LABELS is a list of labels, Gmail's own as flags
    // (\Inbox, \Important) and the others as strings, stored as FLAGS are; SEARCH X-GM-RAW takes
    // Gmail's search syntax as a string.
    syntax: String.raw`
fetch-att       =/ "X-GM-MSGID" / "X-GM-THRID" / "X-GM-LABELS"
msg-att-static  =/ "X-GM-MSGID" SP number64 / "X-GM-THRID" SP number64
msg-att-dynamic =/ "X-GM-LABELS" SP x-gm-label-list
x-gm-label-list = "(" [x-gm-label *(SP x-gm-label)] ")"
x-gm-label      = flag-extension / astring
store-att-flags =/ (["+" / "-"] "X-GM-LABELS" [".SILENT"]) SP (x-gm-label-list / (x-gm-label *(SP x-gm-label)))
search-key      =/ "X-GM-RAW" SP astring / "X-GM-MSGID" SP number64 / "X-GM-THRID" SP number64 / "X-GM-LABELS" SP x-gm-label
`,
  },
];
