/**
 * IMAP4rev2's formal syntax as data: RFC 9051 §9 as printed, rules in the RFC's order, comments
 * dropped. What the RFC gives in prose is written out: ATOM-CHAR, QUOTED-CHAR, TEXT-CHAR and `tag`
 * with the octets they mean (as in grammar-rfc3501.ts), UTF8-2/3/4 from RFC 3629 §4; the counted
 * `literal` and `literal8` are native rules of grammar.ts (ABNF cannot count). Two changes, both for
 * lint, which checks IDLE's DONE line on its own and a response code's atom against the codes defined
 * before it (§9: "the rule that is listed earlier MUST take priority"):
 *  - `idle = "IDLE" CRLF "DONE"` is read as `"IDLE"`;
 *  - the generic code `atom [SP 1*<any TEXT-CHAR except "]">]` is `mailwire-code-atom [...]`.
 */

/** RFC 9051 §9, but the rules RFC 3501 writes alike (grammar-imap-common.ts). */
export const RFC9051_SYNTAX = String.raw`
append-uid      = uniqueid
authenticate    = "AUTHENTICATE" SP auth-type [SP initial-resp] *(CRLF base64)
body-extension  = nstring / number / number64 / "(" body-extension *(SP body-extension) ")"
body-fld-lines  = number64
capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)
charset         = atom / quoted
childinfo-extended-item = "CHILDINFO" SP "(" list-select-base-opt-quoted *(SP list-select-base-opt-quoted) ")"
child-mbox-flag = "\HasChildren" / "\HasNoChildren"
command-any     = "CAPABILITY" / "LOGOUT" / "NOOP"
command-auth    = append / create / delete / enable / examine / list / namespace-command / rename / select /
                  status / subscribe / unsubscribe / idle
command-select  = "CLOSE" / "UNSELECT" / "EXPUNGE" / copy / move / fetch / store / search / uid
eitem-standard-tag = atom
eitem-vendor-tag = vendor-token "-" atom
enable          = "ENABLE" 1*(SP capability)
enable-data     = "ENABLED" *(SP capability)
esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
fetch           = "FETCH" SP sequence-set SP ( "ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP
                  fetch-att) ")")
fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822.SIZE" / "BODY" ["STRUCTURE"] / "UID" / "BODY"
                  section [partial] / "BODY.PEEK" section [partial] / "BINARY" [".PEEK"] section-binary
                  [partial] / "BINARY.SIZE" section-binary
flag-fetch      = flag / obsolete-flag-recent
flag-keyword    = "$MDNSent" / "$Forwarded" / "$Junk" / "$NotJunk" / "$Phishing" / atom
idle            = "IDLE"
initial-resp    = (base64 / "=")
list            = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
list-return-opt = return-option
list-return-opts = "RETURN" SP "(" [list-return-opt *(SP list-return-opt)] ")"
list-select-base-opt = "SUBSCRIBED" / option-extension
list-select-base-opt-quoted = DQUOTE list-select-base-opt DQUOTE
list-select-independent-opt = "REMOTE" / option-extension
list-select-mod-opt = "RECURSIVEMATCH" / option-extension
list-select-opt = list-select-base-opt / list-select-independent-opt / list-select-mod-opt
list-select-opts = "(" [ (*(list-select-opt SP) list-select-base-opt *(SP list-select-opt)) /
                  (list-select-independent-opt *(SP list-select-independent-opt)) ] ")"
mailbox-data    = "FLAGS" SP flag-list / "LIST" SP mailbox-list / esearch-response / "STATUS" SP mailbox SP "("
                  [status-att-list] ")" / number SP "EXISTS" / namespace-response / obsolete-search-response /
                  obsolete-recent-response
mailbox-list    = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox [SP
                  mbox-list-extended]
mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
mbox-list-extended-item-tag = astring
mbox-or-pat     = list-mailbox / patterns
mbx-list-oflag  = "\Noinferiors" / child-mbox-flag / "\Subscribed" / "\Remote" / flag-extension
mbx-list-sflag  = "\NonExistent" / "\Noselect" / "\Marked" / "\Unmarked"
media-basic     = ((DQUOTE ("APPLICATION" / "AUDIO" / "IMAGE" / "FONT" / "MESSAGE" / "MODEL" / "VIDEO" )
                  DQUOTE) / string) SP media-subtype
media-message   = DQUOTE "MESSAGE" DQUOTE SP DQUOTE ("RFC822" / "GLOBAL") DQUOTE
move            = "MOVE" SP sequence-set SP mailbox
msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822.SIZE" SP number64 / "BODY"
                  ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring / "BINARY" section-binary
                  SP (nstring / literal8) / "BINARY.SIZE" section-binary SP number / "UID" SP uniqueid
name-component  = 1*UTF8-CHAR
namespace       = nil / "(" 1*namespace-descr ")"
namespace-command = "NAMESPACE"
namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) [namespace-response-extensions] ")"
namespace-response-extensions = *namespace-response-extension
namespace-response-extension = SP string SP "(" string *(SP string) ")"
namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
number64        = 1*DIGIT
nz-number64     = digit-nz *DIGIT
obsolete-flag-recent = "\Recent"
obsolete-recent-response = number SP "RECENT"
obsolete-search-response = "SEARCH" *(SP nz-number)
oldname-extended-item = "OLDNAME" SP "(" mailbox ")"
option-extension = (option-standard-tag / option-vendor-tag) [SP option-value]
option-standard-tag = atom
option-val-comp = astring / option-val-comp *(SP option-val-comp) / "(" option-val-comp ")"
option-value    = "(" option-val-comp ")"
option-vendor-tag = vendor-token "-" atom
partial-range   = number64 ["." nz-number64]
partial         = "<" number64 "." nz-number64 ">"
patterns        = "(" list-mailbox ")"
QUOTED-CHAR     = %x01-09 / %x0B-0C / %x0E-21 / %x23-5B / %x5D-7F / "\" quoted-specials / UTF8-2 / UTF8-3 /
                  UTF8-4
response-data   = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data / capability-data /
                  enable-data) CRLF
resp-code-apnd  = "APPENDUID" SP nz-number SP append-uid
resp-code-copy  = "COPYUID" SP nz-number SP uid-set SP uid-set
resp-text       = ["[" resp-text-code "]" SP] [text]
resp-text-code  = "ALERT" / "BADCHARSET" [SP "(" charset *(SP charset) ")" ] / capability-data / "PARSE" /
                  "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" / "READ-ONLY" / "READ-WRITE" /
                  "TRYCREATE" / "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number / resp-code-apnd /
                  resp-code-copy / "UIDNOTSTICKY" / "UNAVAILABLE" / "AUTHENTICATIONFAILED" /
                  "AUTHORIZATIONFAILED" / "EXPIRED" / "PRIVACYREQUIRED" / "CONTACTADMIN" / "NOPERM" / "INUSE" /
                  "EXPUNGEISSUED" / "CORRUPTION" / "SERVERBUG" / "CLIENTBUG" / "CANNOT" / "LIMIT" / "OVERQUOTA"
                  / "ALREADYEXISTS" / "NONEXISTENT" / "NOTSAVED" / "HASCHILDREN" / "CLOSED" / "UNKNOWN-CTE" /
                  mailwire-code-atom [SP 1*(%x01-09 / %x0B-0C / %x0E-5C / %x5E-7F)]
return-option   = "SUBSCRIBED" / "CHILDREN" / status-option / option-extension
search          = "SEARCH" [search-return-opts] SP search-program
search-correlator = SP "(" "TAG" SP tag-string ")"
search-key      = "ALL" / "ANSWERED" / "BCC" SP astring / "BEFORE" SP date / "BODY" SP astring / "CC" SP
                  astring / "DELETED" / "FLAGGED" / "FROM" SP astring / "KEYWORD" SP flag-keyword / "ON" SP
                  date / "SEEN" / "SINCE" SP date / "SUBJECT" SP astring / "TEXT" SP astring / "TO" SP astring
                  / "UNANSWERED" / "UNDELETED" / "UNFLAGGED" / "UNKEYWORD" SP flag-keyword / "UNSEEN" / "DRAFT"
                  / "HEADER" SP header-fld-name SP astring / "LARGER" SP number64 / "NOT" SP search-key / "OR"
                  SP search-key SP search-key / "SENTBEFORE" SP date / "SENTON" SP date / "SENTSINCE" SP date /
                  "SMALLER" SP number64 / "UID" SP sequence-set / "UNDRAFT" / sequence-set / "(" search-key
                  *(SP search-key) ")"
search-modifier-name = tagged-ext-label
search-mod-params = tagged-ext-val
search-program  = ["CHARSET" SP charset SP] search-key *(SP search-key)
search-ret-data-ext = search-modifier-name SP search-return-value
search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set / "COUNT" SP number /
                  search-ret-data-ext
search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" / search-ret-opt-ext
search-ret-opt-ext = search-modifier-name [SP search-mod-params]
search-return-value = tagged-ext-val
section-binary  = "[" [section-part] "]"
sequence-set    = (seq-number / seq-range) *("," (seq-number / seq-range)) ["," seq-last-command]
                    ; RFC 9051 writes ["," sequence-set]: the same strings, here without a
                    ; recursion per element (a UID set of thousands is common)
sequence-set    =/ seq-last-command
seq-last-command = "$"
status-att      = "MESSAGES" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN" / "DELETED" / "SIZE"
status-att-val  = ("MESSAGES" SP number) / ("UIDNEXT" SP nz-number) / ("UIDVALIDITY" SP nz-number) / ("UNSEEN"
                  SP number) / ("DELETED" SP number) / ("SIZE" SP number64)
status-att-list = status-att-val *(SP status-att-val)
status-option   = "STATUS" SP "(" status-att *(SP status-att) ")"
tag             = 1*(%x21 / %x23-24 / %x26-27 / %x2C-5B / %x5D-7A / %x7C-7E)
tag-string      = astring
tagged-ext-label = tagged-label-fchar *tagged-label-char
tagged-label-fchar = ALPHA / "-" / "_" / "."
tagged-label-char = tagged-label-fchar / DIGIT / ":"
tagged-ext-comp = astring / tagged-ext-comp *(SP tagged-ext-comp) / "(" tagged-ext-comp ")"
tagged-ext-simple = sequence-set / number / number64
tagged-ext-val  = tagged-ext-simple / "(" [tagged-ext-comp] ")"
text            = 1*(TEXT-CHAR / UTF8-2 / UTF8-3 / UTF8-4)
uid             = "UID" SP (copy / move / fetch / search / store / uid-expunge)
uid-expunge     = "EXPUNGE" SP sequence-set
uid-set         = (uniqueid / uid-range) *("," uid-set)
uid-range       = (uniqueid ":" uniqueid)
vendor-token    = "vendor." name-component
; RFC 3629 §4, which RFC 9051 §9 refers to for UTF8-CHAR, UTF8-2, UTF8-3 and UTF8-4
UTF8-CHAR       = UTF8-1 / UTF8-2 / UTF8-3 / UTF8-4
UTF8-1          = %x00-7F
UTF8-2          = %xC2-DF UTF8-tail
UTF8-3          = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2UTF8-tail / %xED %x80-9F UTF8-tail / %xEE-EF 2UTF8-tail
UTF8-4          = %xF0 %x90-BF 2UTF8-tail / %xF1-F3 3UTF8-tail / %xF4 %x80-8F 2UTF8-tail
UTF8-tail       = %x80-BF
`;
