/**
 * What the grammars of both revisions add to RFC 3501's rules (grammar-rfc3501.ts) and RFC 9051's
 * (grammar-rfc9051.ts) whatever the server announces. RFC 9051 took several extensions into
 * IMAP4rev2; for IMAP4rev1 they are added here from their own RFCs (REV1_ADDITIONS), with the rule
 * names RFC 9051 gives them, so that the extensions of both (EXTENSION_BASE, and the table keyed by
 * capability, grammar-extension-table.ts) can build on the same names. Where an RFC writes a rule in
 * a way that cannot be added with `=/` (a suffix to a command), the whole alternative is written
 * out, with the RFC section it comes from.
 */

/**
 * For IMAP4rev1: what RFC 9051 took in, from the RFCs that defined it. RFC 4466 (the generic syntax
 * of extended commands and ESEARCH), ESEARCH (RFC 4731), LIST-EXTENDED (RFC 5258), LIST-STATUS
 * (RFC 5819), BINARY (RFC 3516), UIDPLUS (RFC 4315, with MULTIAPPEND's `append-uid =/ uid-set`),
 * ENABLE (RFC 5161), NAMESPACE (RFC 2342), IDLE (RFC 2177), UNSELECT (RFC 3691), MOVE (RFC 6851),
 * SASL-IR (RFC 4959), and the IMAP4rev2 capability and STATUS items.
 */
export const REV1_ADDITIONS = String.raw`
number64        = 1*DIGIT
nz-number64     = digit-nz *DIGIT
charset         = atom / quoted
; RFC 9051 §9: the capability that names IMAP4rev2, its STATUS items (SIZE; DELETED is also RFC 9208's)
capability-data =/ "CAPABILITY" *(SP capability) SP "IMAP4rev2" *(SP capability)
status-att      =/ "SIZE" / "DELETED"
; RFC 4466 §3 redefines status-att-list as status-att-val *(SP status-att-val), which extensions
; extend (APPENDLIMIT NIL, MAILBOXID (id)); its values of RFC 3501's items, and of those extensions
; add to status-att, are numbers
status-att-list =/ status-att-val *(SP status-att-val)
status-att-val  = status-att SP number
; RFC 4466 §2.6.1, RFC 4731 §3: SEARCH RETURN options
search          =/ "SEARCH" search-return-opts SP search-program
search-program  = ["CHARSET" SP charset SP] search-key *(SP search-key)
search-return-opts = SP "RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")"
search-return-opt = "MIN" / "MAX" / "ALL" / "COUNT" / "SAVE" / search-ret-opt-ext
search-ret-opt-ext = search-modifier-name [SP search-mod-params]
search-modifier-name = tagged-ext-label
search-mod-params = tagged-ext-val
; RFC 4466 §2.6.2, RFC 4731 §3.1: the ESEARCH response
mailbox-data    =/ esearch-response
esearch-response = "ESEARCH" [search-correlator] [SP "UID"] *(SP search-return-data)
search-correlator = SP "(" "TAG" SP tag-string ")"
tag-string      = astring
search-return-data = "MIN" SP nz-number / "MAX" SP nz-number / "ALL" SP sequence-set / "COUNT" SP number /
                  search-ret-data-ext
search-ret-data-ext = search-modifier-name SP search-return-value
search-return-value = tagged-ext-val
; RFC 4466 §2.1: the generic extension values
tagged-ext-label = tagged-label-fchar *tagged-label-char
tagged-label-fchar = ALPHA / "-" / "_" / "."
tagged-label-char = tagged-label-fchar / DIGIT / ":"
tagged-ext-comp = astring / tagged-ext-comp *(SP tagged-ext-comp) / "(" tagged-ext-comp ")"
tagged-ext-simple = sequence-set / number / number64
tagged-ext-val  = tagged-ext-simple / "(" [tagged-ext-comp] ")"
; RFC 5182 (SEARCHRES): "$", the result of the last SEARCH ... RETURN (SAVE)
sequence-set    =/ seq-last-command
sequence-set-item =/ seq-last-command
seq-last-command = "$"
; RFC 5258 §6: LIST-EXTENDED
list            =/ "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts]
list-select-opts = "(" [(*(list-select-opt SP) list-select-base-opt *(SP list-select-opt)) /
                  (list-select-independent-opt *(SP list-select-independent-opt))] ")"
list-select-opt = list-select-base-opt / list-select-independent-opt / list-select-mod-opt
list-select-base-opt = "SUBSCRIBED" / option-extension
list-select-base-opt-quoted = DQUOTE list-select-base-opt DQUOTE
list-select-independent-opt = "REMOTE" / option-extension
list-select-mod-opt = "RECURSIVEMATCH" / option-extension
list-return-opts = "RETURN" SP "(" [return-option *(SP return-option)] ")"
return-option   = "SUBSCRIBED" / "CHILDREN" / option-extension
option-extension = (option-standard-tag / option-vendor-tag) [SP option-value]
option-standard-tag = atom
option-vendor-tag = vendor-token "-" atom
vendor-token    = "vendor." name-component
name-component  = 1*UTF8-CHAR
option-value    = "(" option-val-comp ")"
option-val-comp = astring / option-val-comp *(SP option-val-comp) / "(" option-val-comp ")"
mbox-or-pat     = list-mailbox / patterns
patterns        = "(" list-mailbox *(SP list-mailbox) ")"
mailbox-list    =/ "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox SP mbox-list-extended
mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
mbox-list-extended-item-tag = astring
mbx-list-oflag  =/ child-mbox-flag / "\Subscribed" / "\Remote"
mbx-list-sflag  =/ "\NonExistent"
child-mbox-flag = "\HasChildren" / "\HasNoChildren"
; RFC 5819 §4: LIST-STATUS
return-option   =/ status-option
status-option   = "STATUS" SP "(" status-att *(SP status-att) ")"
; RFC 3516 §7: BINARY
fetch-att       =/ "BINARY" [".PEEK"] section-binary [partial] / "BINARY.SIZE" section-binary
msg-att-static  =/ "BINARY" section-binary SP (nstring / literal8) / "BINARY.SIZE" section-binary SP number
partial         = "<" number "." nz-number ">"
section-binary  = "[" [section-part] "]"
resp-text-code  =/ "UNKNOWN-CTE"
; RFC 4315 §4: UIDPLUS (append-uid =/ uid-set with MULTIAPPEND)
resp-text-code  =/ resp-code-apnd / resp-code-copy / "UIDNOTSTICKY"
resp-code-apnd  = "APPENDUID" SP nz-number SP append-uid
resp-code-copy  = "COPYUID" SP nz-number SP uid-set SP uid-set
append-uid      = uniqueid / uid-set
uid-set         = (uniqueid / uid-range) *("," uid-set)
uid-range       = uniqueid ":" uniqueid
command-select  =/ "UID" SP "EXPUNGE" SP sequence-set
; RFC 2177: IDLE (its DONE line is checked on its own)
command-auth    =/ "IDLE"
; RFC 2342 §6: NAMESPACE
command-auth    =/ "NAMESPACE"
mailbox-data    =/ namespace-response
namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace
namespace       = nil / "(" 1*namespace-descr ")"
namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) *namespace-response-extension ")"
namespace-response-extension = SP string SP "(" string *(SP string) ")"
; RFC 3691: UNSELECT
command-select  =/ "UNSELECT"
; RFC 4959: SASL-IR, an initial response on the command line ("=" for an empty one)
command-nonauth =/ "AUTHENTICATE" SP auth-type SP (base64 / "=")
; RFC 5161 §4: ENABLE
command-auth    =/ "ENABLE" 1*(SP capability)
response-data   =/ "*" SP enable-data CRLF
enable-data     = "ENABLED" *(SP capability)
; RFC 6851 §4: MOVE
command-select  =/ move / "UID" SP move
move            = "MOVE" SP sequence-set SP mailbox
; RFC 3629 §4, for name-component
UTF8-CHAR       = %x00-7F / UTF8-2 / UTF8-3 / UTF8-4
UTF8-2          = %xC2-DF UTF8-tail
UTF8-3          = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2UTF8-tail / %xED %x80-9F UTF8-tail / %xEE-EF 2UTF8-tail
UTF8-4          = %xF0 %x90-BF 2UTF8-tail / %xF1-F3 3UTF8-tail / %xF4 %x80-8F 2UTF8-tail
UTF8-tail       = %x80-BF
`;

/**
 * For IMAP4rev1 after `ENABLE UTF8=ACCEPT` (RFC 6855 §3, §4): quoted strings and text may hold
 * UTF-8, and APPEND takes a message as `UTF8 (literal8)`.
 */
export const REV1_UTF8_ACCEPT = String.raw`
QUOTED-CHAR     =/ UTF8-2 / UTF8-3 / UTF8-4
TEXT-CHAR       =/ UTF8-2 / UTF8-3 / UTF8-4
append          =/ "APPEND" SP mailbox [SP flag-list] [SP date-time] SP "UTF8" SP "(" literal8 ")"
`;

/** For IMAP4rev2: what an extension adds to a rule of RFC 9051 that RFC 3501 does not have. */
export const REV2_ADDITIONS = String.raw`
; RFC 6855 §4: APPEND of a message with UTF-8 headers
append          =/ "APPEND" SP mailbox [SP flag-list] [SP date-time] SP "UTF8" SP "(" literal8 ")"
`;

/**
 * For both, whatever the capabilities: the generic syntax extensions build on (RFC 4466), the rules
 * several rows of the table share, and lint's own entry rules.
 */
export const EXTENSION_BASE = String.raw`
; RFC 4466 §2.1 and RFC 5258 §6 write tagged-ext-comp and option-val-comp left-recursive
; ("x = x *(SP x)"), which a recogniser cannot follow; the same language, written right-recursive:
tagged-ext-comp =/ (astring / "(" tagged-ext-comp ")") 1*(SP tagged-ext-comp)
option-val-comp =/ (astring / "(" option-val-comp ")") 1*(SP option-val-comp)
; RFC 4466 §2.1, §2.2, §2.3: SELECT, EXAMINE, FETCH and STORE with parameters and modifiers
select          =/ "SELECT" SP mailbox select-params
examine         =/ "EXAMINE" SP mailbox select-params
select-params   = SP "(" select-param *(SP select-param) ")"
select-param    = select-param-name [SP select-param-value]
select-param-name = tagged-ext-label
select-param-value = tagged-ext-val
fetch           =/ "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
                  fetch-modifiers
fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"
fetch-modifier  = fetch-modifier-name [SP fetch-modif-params]
fetch-modifier-name = tagged-ext-label
fetch-modif-params = tagged-ext-val
store           =/ "STORE" SP sequence-set store-modifiers SP store-att-flags
store-modifiers = SP "(" store-modifier *(SP store-modifier) ")"
store-modifier  = store-modifier-name [SP store-modif-params]
store-modifier-name = tagged-ext-label
store-modif-params = tagged-ext-val
; RFC 5256 §5: what SORT and THREAD search
search-criteria = charset 1*(SP search-key)
; RFC 3501 §6.5.1: "Any added untagged responses issued by an experimental command MUST also be
; prefixed with an X" (the formal syntax has no rule for them)
response-data   =/ "*" SP "X" atom *TEXT-CHAR CRLF
; The responses lint checks one by one
mailwire-untagged = response-data / response-fatal
; An answer to an AUTHENTICATE challenge (RFC 3501 §6.2.2): base64, or "*" to cancel
mailwire-sasl-response = (base64 / "*") CRLF
`;

/** RFC 3501 §7.1: a status text that starts with "[" is meant as a response code, then SP and text. */
export const REV1_CODED_TEXT = `mailwire-coded-text = "[" resp-text-code "]" SP text CRLF\n`;

/** RFC 9051 §9 `resp-text = ["[" resp-text-code "]" SP] [text]`: the text after a code may be left out. */
export const REV2_CODED_TEXT = `mailwire-coded-text = "[" resp-text-code "]" [SP [text]] CRLF\n`;

/**
 * Response codes the rules define, per grammar (those of the table's rows are the rows'): RFC 3501
 * §9 and RFC 9051 §9 say the rule listed earlier takes priority, so the generic `atom [SP ...]` code
 * may not stand for one of them.
 */
const ADDED_CODES = ['APPENDUID', 'COPYUID', 'UIDNOTSTICKY', 'UNKNOWN-CTE'];
export const REV1_DEFINED_CODES: ReadonlySet<string> = new Set(['ALERT', 'BADCHARSET', 'CAPABILITY', 'PARSE', 'PERMANENTFLAGS', 'READ-ONLY', 'READ-WRITE', 'TRYCREATE', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN', ...ADDED_CODES]);
export const REV2_DEFINED_CODES: ReadonlySet<string> = new Set([...[...REV1_DEFINED_CODES].filter((c) => c !== 'UNSEEN')]);
