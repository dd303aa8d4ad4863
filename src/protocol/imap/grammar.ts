/**
 * IMAP's formal syntax as data: RFC 3501 §9 as printed, with the extensions mailwire knows, for lint
 * to check commands and responses against. Rules are kept as the RFCs write them; where an RFC says
 * something in prose (`<any CHAR except atom-specials>`), the rule is written out with the octets it
 * means, and the prose is kept in a comment. The counted `literal` is a native rule: ABNF cannot count.
 */
import { ABNF_CORE_RULES, Grammar, type NativeRule } from '../abnf.js';

/** RFC 3501 §9, rules in the RFC's order; comments shortened. */
const RFC3501 = `
address         = "(" addr-name SP addr-adl SP addr-mailbox SP addr-host ")"
addr-adl        = nstring
addr-host       = nstring
addr-mailbox    = nstring
addr-name       = nstring
append          = "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal
astring         = 1*ASTRING-CHAR / string
ASTRING-CHAR    = ATOM-CHAR / resp-specials
atom            = 1*ATOM-CHAR
ATOM-CHAR       = %x21 / %x23-24 / %x26-27 / %x2B-5B / %x5E-7A / %x7C-7E
                    ; <any CHAR except atom-specials>
atom-specials   = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
authenticate    = "AUTHENTICATE" SP auth-type *(CRLF base64)
auth-type       = atom
base64          = *(4base64-char) [base64-terminal]
base64-char     = ALPHA / DIGIT / "+" / "/"
base64-terminal = (2base64-char "==") / (3base64-char "=")
body            = "(" (body-type-1part / body-type-mpart) ")"
body-extension  = nstring / number / "(" body-extension *(SP body-extension) ")"
body-ext-1part  = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
body-ext-mpart  = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc *(SP body-extension)]]]
body-fields     = body-fld-param SP body-fld-id SP body-fld-desc SP body-fld-enc SP body-fld-octets
body-fld-desc   = nstring
body-fld-dsp    = "(" string SP body-fld-param ")" / nil
body-fld-enc    = (DQUOTE ("7BIT" / "8BIT" / "BINARY" / "BASE64"/ "QUOTED-PRINTABLE") DQUOTE) / string
body-fld-id     = nstring
body-fld-lang   = nstring / "(" string *(SP string) ")"
body-fld-loc    = nstring
body-fld-lines  = number
body-fld-md5    = nstring
body-fld-octets = number
body-fld-param  = "(" string SP string *(SP string SP string) ")" / nil
body-type-1part = (body-type-basic / body-type-msg / body-type-text) [SP body-ext-1part]
body-type-basic = media-basic SP body-fields
body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
body-type-msg   = media-message SP body-fields SP envelope SP body SP body-fld-lines
body-type-text  = media-text SP body-fields SP body-fld-lines
capability      = ("AUTH=" auth-type) / atom
capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)
CHAR8           = %x01-ff
command         = tag SP (command-any / command-auth / command-nonauth / command-select) CRLF
command-any     = "CAPABILITY" / "LOGOUT" / "NOOP" / x-command
command-auth    = append / create / delete / examine / list / lsub / rename / select / status / subscribe / unsubscribe
command-nonauth = login / authenticate / "STARTTLS"
command-select  = "CHECK" / "CLOSE" / "EXPUNGE" / copy / fetch / store / uid / search
continue-req    = "+" SP (resp-text / base64) CRLF
copy            = "COPY" SP sequence-set SP mailbox
create          = "CREATE" SP mailbox
date            = date-text / DQUOTE date-text DQUOTE
date-day        = 1*2DIGIT
date-day-fixed  = (SP DIGIT) / 2DIGIT
date-month      = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" / "Jul" / "Aug" / "Sep" / "Oct" / "Nov" / "Dec"
date-text       = date-day "-" date-month "-" date-year
date-year       = 4DIGIT
date-time       = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
delete          = "DELETE" SP mailbox
digit-nz        = %x31-39
envelope        = "(" env-date SP env-subject SP env-from SP env-sender SP env-reply-to SP env-to SP env-cc SP
                  env-bcc SP env-in-reply-to SP env-message-id ")"
env-bcc         = "(" 1*address ")" / nil
env-cc          = "(" 1*address ")" / nil
env-date        = nstring
env-from        = "(" 1*address ")" / nil
env-in-reply-to = nstring
env-message-id  = nstring
env-reply-to    = "(" 1*address ")" / nil
env-sender      = "(" 1*address ")" / nil
env-subject     = nstring
env-to          = "(" 1*address ")" / nil
examine         = "EXAMINE" SP mailbox
fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
                  "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["<" number "." nz-number ">"] /
                  "BODY.PEEK" section ["<" number "." nz-number ">"]
flag            = "\\Answered" / "\\Flagged" / "\\Deleted" / "\\Seen" / "\\Draft" / flag-keyword / flag-extension
flag-extension  = "\\" atom
flag-fetch      = flag / "\\Recent"
flag-keyword    = atom
flag-list       = "(" [flag *(SP flag)] ")"
flag-perm       = flag / "\\*"
greeting        = "*" SP (resp-cond-auth / resp-cond-bye) CRLF
header-fld-name = astring
header-list     = "(" header-fld-name *(SP header-fld-name) ")"
list            = "LIST" SP mailbox SP list-mailbox
list-mailbox    = 1*list-char / string
list-char       = ATOM-CHAR / list-wildcards / resp-specials
list-wildcards  = "%" / "*"
login           = "LOGIN" SP userid SP password
lsub            = "LSUB" SP mailbox SP list-mailbox
mailbox         = "INBOX" / astring
mailbox-data    = "FLAGS" SP flag-list / "LIST" SP mailbox-list / "LSUB" SP mailbox-list / "SEARCH" *(SP nz-number) /
                  "STATUS" SP mailbox SP "(" [status-att-list] ")" / number SP "EXISTS" / number SP "RECENT"
mailbox-list    = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
mbx-list-flags  = *(mbx-list-oflag SP) mbx-list-sflag *(SP mbx-list-oflag) / mbx-list-oflag *(SP mbx-list-oflag)
mbx-list-oflag  = "\\Noinferiors" / flag-extension
mbx-list-sflag  = "\\Noselect" / "\\Marked" / "\\Unmarked"
media-basic     = ((DQUOTE ("APPLICATION" / "AUDIO" / "IMAGE" / "MESSAGE" / "VIDEO") DQUOTE) / string) SP media-subtype
media-message   = DQUOTE "MESSAGE" DQUOTE SP DQUOTE "RFC822" DQUOTE
media-subtype   = string
media-text      = DQUOTE "TEXT" DQUOTE SP media-subtype
message-data    = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))
msg-att         = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")"
msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822" [".HEADER" / ".TEXT"] SP nstring /
                  "RFC822.SIZE" SP number / "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
                  "UID" SP uniqueid
nil             = "NIL"
nstring         = string / nil
number          = 1*DIGIT
nz-number       = digit-nz *DIGIT
password        = astring
quoted          = DQUOTE *QUOTED-CHAR DQUOTE
QUOTED-CHAR     = %x01-09 / %x0B-0C / %x0E-21 / %x23-5B / %x5D-7F / "\\" quoted-specials
                    ; <any TEXT-CHAR except quoted-specials> / "\\" quoted-specials
quoted-specials = DQUOTE / "\\"
rename          = "RENAME" SP mailbox SP mailbox
response        = *(continue-req / response-data) response-done
response-data   = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data / capability-data) CRLF
response-done   = response-tagged / response-fatal
response-fatal  = "*" SP resp-cond-bye CRLF
response-tagged = tag SP resp-cond-state CRLF
resp-cond-auth  = ("OK" / "PREAUTH") SP resp-text
resp-cond-bye   = "BYE" SP resp-text
resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text
resp-specials   = "]"
resp-text       = ["[" resp-text-code "]" SP] text
resp-text-code  = "ALERT" / "BADCHARSET" [SP "(" astring *(SP astring) ")" ] / capability-data / "PARSE" /
                  "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" / "READ-ONLY" / "READ-WRITE" /
                  "TRYCREATE" / "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number / "UNSEEN" SP nz-number /
                  mailwire-code-atom [SP 1*(%x01-09 / %x0B-0C / %x0E-5C / %x5E-7F)]
                    ; atom [SP 1*<any TEXT-CHAR except "]">], where "the rule which is listed
                    ; earlier MUST take priority": an atom naming a code defined above is not
                    ; read as a generic one (mailwire-code-atom, native)
search          = "SEARCH" [SP "CHARSET" SP astring] 1*(SP search-key)
search-key      = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring / "CC" SP astring /
                  "DELETED" / "FLAGGED" / "FROM" SP astring / "KEYWORD" SP flag-keyword / "NEW" / "OLD" /
                  "ON" SP date / "RECENT" / "SEEN" / "SINCE" SP date / "SUBJECT" SP astring / "TEXT" SP astring /
                  "TO" SP astring / "UNANSWERED" / "UNDELETED" / "UNFLAGGED" / "UNKEYWORD" SP flag-keyword /
                  "UNSEEN" / "DRAFT" / "HEADER" SP header-fld-name SP astring / "LARGER" SP number /
                  "NOT" SP search-key / "OR" SP search-key SP search-key / "SENTBEFORE" SP date /
                  "SENTON" SP date / "SENTSINCE" SP date / "SMALLER" SP number / "UID" SP sequence-set /
                  "UNDRAFT" / sequence-set / "(" search-key *(SP search-key) ")"
section         = "[" [section-spec] "]"
section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list / "TEXT"
section-part    = nz-number *("." nz-number)
section-spec    = section-msgtext / (section-part ["." section-text])
section-text    = section-msgtext / "MIME"
select          = "SELECT" SP mailbox
seq-number      = nz-number / "*"
seq-range       = seq-number ":" seq-number
sequence-set    = (seq-number / seq-range) *("," (seq-number / seq-range))
                    ; RFC 3501 writes *("," sequence-set): the same strings, here without a
                    ; recursion per element (a UID set of thousands is common)
status          = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
status-att      = "MESSAGES" / "RECENT" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN"
status-att-list = status-att SP number *(SP status-att SP number)
store           = "STORE" SP sequence-set SP store-att-flags
store-att-flags = (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag)))
string          = quoted / literal
subscribe       = "SUBSCRIBE" SP mailbox
tag             = 1*(%x21 / %x23-24 / %x26-27 / %x2C-5B / %x5D-7A / %x7C-7E)
                    ; 1*<any ASTRING-CHAR except "+">
text            = 1*TEXT-CHAR
TEXT-CHAR       = %x01-09 / %x0B-0C / %x0E-7F
                    ; <any CHAR except CR and LF>
time            = 2DIGIT ":" 2DIGIT ":" 2DIGIT
uid             = "UID" SP (copy / fetch / search / store)
uniqueid        = nz-number
unsubscribe     = "UNSUBSCRIBE" SP mailbox
userid          = astring
x-command       = "X" atom *TEXT-CHAR
                    ; "X" atom <experimental command arguments>
zone            = ("+" / "-") 4DIGIT
`;

/**
 * The extensions mailwire's command table knows, from their RFCs' formal syntax (RFC 9051 where it
 * took them in), added to RFC 3501's rules with `=/`.
 */
const EXTENSIONS = `
; RFC 9051 (IMAP4rev2): the capability that names it, and its STATUS items
capability-data =/ "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)
status-att      =/ "SIZE" / "DELETED"
; RFC 2087 / RFC 9208: QUOTA
command-auth    =/ getquota / getquotaroot / setquota
getquota        = "GETQUOTA" SP astring
getquotaroot    = "GETQUOTAROOT" SP mailbox
setquota        = "SETQUOTA" SP astring SP setquota-list
setquota-list   = "(" [setquota-resource *(SP setquota-resource)] ")"
setquota-resource = atom SP number
mailbox-data    =/ quota-response / quotaroot-response
quota-response  = "QUOTA" SP astring SP quota-list
quota-list      = "(" quota-resource *(SP quota-resource) ")"
quota-resource  = atom SP number SP number
quotaroot-response = "QUOTAROOT" SP astring *(SP astring)
; RFC 2177: IDLE (its DONE line is checked on its own)
command-auth    =/ "IDLE"
; RFC 2342: NAMESPACE
command-auth    =/ "NAMESPACE"
mailbox-data    =/ namespace-response
namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
namespace       = nil / "(" 1*namespace-descr ")"
namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) *namespace-response-extension ")"
namespace-response-extension = SP string SP "(" string *(SP string) ")"
; RFC 2971: ID
command-any     =/ id
id              = "ID" SP id-params-list
id-params-list  = "(" [string SP nstring *(SP string SP nstring)] ")" / nil
response-data   =/ "*" SP id-response CRLF
id-response     = "ID" SP id-params-list
; RFC 3691: UNSELECT
command-select  =/ "UNSELECT"
; RFC 4315: UIDPLUS
resp-text-code  =/ "APPENDUID" SP nz-number SP append-uid / "COPYUID" SP nz-number SP uid-set SP uid-set / "UIDNOTSTICKY"
append-uid      = uniqueid / uid-set
uid-set         = (uniqueid / uid-range) *("," uid-set)
uid-range       = uniqueid ":" uniqueid
command-select  =/ "UID" SP "EXPUNGE" SP sequence-set
; RFC 4959: SASL-IR, an initial response on the command line ("=" for an empty one)
command-nonauth =/ "AUTHENTICATE" SP auth-type SP (base64 / "=")
; RFC 4978: COMPRESS
command-auth    =/ "COMPRESS" SP atom
; RFC 5161: ENABLE
command-auth    =/ "ENABLE" 1*(SP capability)
response-data   =/ "*" SP enable-data CRLF
enable-data     = "ENABLED" *(SP capability)
; RFC 5256: SORT and THREAD
command-select  =/ sort / thread / "UID" SP (sort / thread)
sort            = "SORT" SP sort-criteria SP search-criteria
sort-criteria   = "(" sort-criterion *(SP sort-criterion) ")"
sort-criterion  = ["REVERSE" SP] sort-key
sort-key        = "ARRIVAL" / "CC" / "DATE" / "FROM" / "SIZE" / "SUBJECT" / "TO"
search-criteria = astring 1*(SP search-key)
thread          = "THREAD" SP atom SP search-criteria
mailbox-data    =/ "SORT" *(SP nz-number) / "THREAD" *thread-list
thread-list     = "(" (thread-members / thread-nested) ")"
thread-members  = nz-number *(SP nz-number) [SP thread-nested]
thread-nested   = 2*thread-list
; RFC 6851: MOVE
command-select  =/ move / "UID" SP move
move            = "MOVE" SP sequence-set SP mailbox
; RFC 7162: CONDSTORE's MODSEQ in FETCH
fetch-att       =/ "MODSEQ"
msg-att-dynamic =/ "MODSEQ" SP "(" number ")"
; RFC 3501 §6.5.1: "Any added untagged responses issued by an experimental command MUST also be
; prefixed with an X" (the formal syntax has no rule for them)
response-data   =/ "*" SP "X" atom *TEXT-CHAR CRLF
; The responses lint checks one by one
mailwire-untagged = response-data / response-fatal
; A status text that starts with "[" is meant as a response code (RFC 3501 §7.1), not as text
mailwire-coded-text = "[" resp-text-code "]" SP text CRLF
; An answer to an AUTHENTICATE challenge (RFC 3501 §6.2.2): base64, or "*" to cancel
mailwire-sasl-response = (base64 / "*") CRLF
`;

/** Response codes the rules above define; the generic `atom` alternative may not stand for them. */
const DEFINED_CODES = new Set(['ALERT', 'BADCHARSET', 'CAPABILITY', 'PARSE', 'PERMANENTFLAGS', 'READ-ONLY', 'READ-WRITE', 'TRYCREATE', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', 'APPENDUID', 'COPYUID', 'UIDNOTSTICKY']);

/** RFC 3501 ATOM-CHAR, as in the rule above. */
function isAtomChar(c: number): boolean {
  return c >= 0x21 && c <= 0x7e && c !== 0x22 && c !== 0x25 && c !== 0x28 && c !== 0x29 && c !== 0x2a && c !== 0x5c && c !== 0x5d && c !== 0x7b;
}

const codeAtom: NativeRule = (input, pos) => {
  let end = pos;
  while (end < input.length && isAtomChar(input.charCodeAt(end))) end++;
  if (end === pos || DEFINED_CODES.has(input.slice(pos, end).toUpperCase())) return [];
  return [end];
};

/**
 * RFC 3501 §4.3 (and RFC 7888 §3): `{n}`, or `{n+}` / `{n-}` for a non-synchronizing literal, then
 * CRLF and exactly n octets, none of them NUL (CHAR8). ABNF states the count only in prose.
 */
const literal: NativeRule = (input, pos) => {
  const m = /^\{(\d{1,16})[+-]?\}\r\n/.exec(input.slice(pos, pos + 24));
  if (!m) return [];
  const size = Number(m[1]);
  const start = pos + m[0].length;
  if (start + size > input.length) return [];
  if (input.slice(start, start + size).includes('\0')) return [];
  return [start + size];
};

let grammar: Grammar | null = null;

/** The IMAP grammar, built on first use. */
export function imapGrammar(): Grammar {
  grammar ??= new Grammar(ABNF_CORE_RULES + RFC3501 + EXTENSIONS, { literal, 'mailwire-code-atom': codeAtom });
  return grammar;
}

/** What each kind of line is checked against. */
export const IMAP_RULES = {
  greeting: 'greeting',
  tagged: 'response-tagged',
  untagged: 'mailwire-untagged',
  continuation: 'continue-req',
  command: 'command',
  /** An AUTHENTICATE answer (RFC 3501 §6.2.2): base64, or "*" to cancel. */
  saslResponse: 'mailwire-sasl-response',
  /** The text of a status response that starts with "[". */
  codedText: 'mailwire-coded-text',
} as const;

/** The extensions the grammar knows, for help and messages. */
export const IMAP_GRAMMAR_SOURCES = 'RFC 3501 §9, with X-prefixed experimental responses (RFC 3501 §6.5.1), QUOTA (RFC 9208), IDLE (RFC 2177), NAMESPACE (RFC 2342), ID (RFC 2971), UNSELECT (RFC 3691), UIDPLUS (RFC 4315), SASL-IR (RFC 4959), COMPRESS (RFC 4978), ENABLE (RFC 5161), SORT/THREAD (RFC 5256), MOVE (RFC 6851), CONDSTORE MODSEQ (RFC 7162), LITERAL+ (RFC 7888) and IMAP4rev2 capability and STATUS items (RFC 9051)';
