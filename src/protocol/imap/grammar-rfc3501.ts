/**
 * IMAP4rev1's formal syntax as data: RFC 3501 §9 as printed, rules in the RFC's order, comments
 * shortened. Where the RFC says something in prose (`<any CHAR except atom-specials>`), the rule is
 * written out with the octets it means and the prose kept in a comment; the counted `literal` is a
 * native rule of grammar.ts (ABNF cannot count).
 */

/** RFC 3501 §9, rules in the RFC's order; comments shortened. Those RFC 9051 writes alike are in grammar-imap-common.ts. */
export const RFC3501_SYNTAX = `
authenticate    = "AUTHENTICATE" SP auth-type *(CRLF base64)
body-extension  = nstring / number / "(" body-extension *(SP body-extension) ")"
body-fld-lines  = number
capability-data = "CAPABILITY" *(SP capability) SP "IMAP4rev1" *(SP capability)
command-any     = "CAPABILITY" / "LOGOUT" / "NOOP" / x-command
command-auth    = append / create / delete / examine / list / lsub / rename / select / status / subscribe / unsubscribe
command-select  = "CHECK" / "CLOSE" / "EXPUNGE" / copy / fetch / store / uid / search
fetch           = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")
fetch-att       = "ENVELOPE" / "FLAGS" / "INTERNALDATE" / "RFC822" [".HEADER" / ".SIZE" / ".TEXT"] /
                  "BODY" ["STRUCTURE"] / "UID" / "BODY" section ["<" number "." nz-number ">"] /
                  "BODY.PEEK" section ["<" number "." nz-number ">"]
flag-fetch      = flag / "\\Recent"
flag-keyword    = atom
list            = "LIST" SP mailbox SP list-mailbox
lsub            = "LSUB" SP mailbox SP list-mailbox
mailbox-data    = "FLAGS" SP flag-list / "LIST" SP mailbox-list / "LSUB" SP mailbox-list / "SEARCH" *(SP nz-number) /
                  "STATUS" SP mailbox SP "(" [status-att-list] ")" / number SP "EXISTS" / number SP "RECENT"
mailbox-list    = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
mbx-list-oflag  = "\\Noinferiors" / flag-extension
mbx-list-sflag  = "\\Noselect" / "\\Marked" / "\\Unmarked"
media-basic     = ((DQUOTE ("APPLICATION" / "AUDIO" / "IMAGE" / "MESSAGE" / "VIDEO") DQUOTE) / string) SP media-subtype
media-message   = DQUOTE "MESSAGE" DQUOTE SP DQUOTE "RFC822" DQUOTE
msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822" [".HEADER" / ".TEXT"] SP nstring /
                  "RFC822.SIZE" SP number / "BODY" ["STRUCTURE"] SP body / "BODY" section ["<" number ">"] SP nstring /
                  "UID" SP uniqueid
QUOTED-CHAR     = %x01-09 / %x0B-0C / %x0E-21 / %x23-5B / %x5D-7F / "\\" quoted-specials
                    ; <any TEXT-CHAR except quoted-specials> / "\\" quoted-specials
response-data   = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data / capability-data) CRLF
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
sequence-set    = (seq-number / seq-range) *("," sequence-set-item)
                    ; RFC 3501 writes *("," sequence-set): the same strings, here without a
                    ; recursion per element (a UID set of thousands is common)
sequence-set-item = seq-number / seq-range
status-att      = "MESSAGES" / "RECENT" / "UIDNEXT" / "UIDVALIDITY" / "UNSEEN"
status-att-list = status-att SP number *(SP status-att SP number)
tag             = 1*(%x21 / %x23-24 / %x26-27 / %x2C-5B / %x5D-7A / %x7C-7E)
                    ; 1*<any ASTRING-CHAR except "+">
text            = 1*TEXT-CHAR
uid             = "UID" SP (copy / fetch / search / store)
x-command       = "X" atom *TEXT-CHAR
                    ; "X" atom <experimental command arguments>
`;
