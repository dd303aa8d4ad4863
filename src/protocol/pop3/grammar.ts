/**
 * POP3's syntax as data, for lint. RFC 2449 §3 gives the general form of commands and replies in
 * ABNF; RFC 1939 describes each command's arguments in prose (§§4-7), written out here in ABNF with
 * the section they come from. RFC 2449's `schar` and `gchar` leave out SP, which would refuse every
 * reply whose text has a space in it (`+OK 2 320`, RFC 1939's own examples); they are read here with
 * SP, as servers and clients do; and `dot-stuffed` takes any octet but NUL, CR and LF, as 8-bit and
 * UTF-8 messages are sent.
 */
import { ABNF_CORE_RULES, Grammar } from '../abnf.js';

/** RFC 2449 §3, with SP in schar and gchar. */
const RFC2449 = `
command      =  keyword *(SP param) CRLF
keyword      =  3*4VCHAR
param        =  1*VCHAR
response     =  greeting / single-line / capa-resp / multi-line
capa-resp    =  single-line *capability "." CRLF
capa-tag     =  1*cchar
capability   =  capa-tag *(SP param) CRLF
cchar        =  %x21-2D / %x2F-7F
dot-stuffed  =  *(%x01-09 / %x0B-0C / %x0E-FF) CRLF   ; RFC 2449 writes *CHAR; a message with 8-bit
                                                 ; or UTF-8 content (RFC 6152, RFC 6856) is sent as stored
gchar        =  %x20-3B / %x3D-7F
greeting     =  "+OK" [resp-code] *gchar [timestamp] *gchar CRLF
multi-line   =  single-line *dot-stuffed "." CRLF
rchar        =  %x21-2E / %x30-5C / %x5E-7F
resp-code    =  "[" resp-level *("/" resp-level) "]"
resp-level   =  1*rchar
schar        =  %x20-5A / %x5C-7F
single-line  =  status [SP text] CRLF
status       =  "+OK" / "-ERR"
text         =  *schar / resp-code *CHAR
timestamp    =  "<" *VCHAR ">"
`;

/** RFC 1939 §§4-7 (and RFC 2449, 2595, 5034, 6856 for the later commands), one rule per command. */
const COMMANDS = `
pop3-command =  (user / pass / apop / quit / stat / list / retr / dele / noop / rset / top / uidl /
                capa / stls / auth / utf8 / lang) CRLF
user         =  "USER" SP 1*VCHAR                  ; RFC 1939 §7: a string identifying a mailbox
pass         =  "PASS" SP 1*(VCHAR / SP)           ; RFC 1939 §7: spaces may be part of the password
apop         =  "APOP" SP 1*VCHAR SP digest        ; RFC 1939 §7
digest       =  32(DIGIT / %x61-66)                ; 16 octets in lower-case hex
quit         =  "QUIT"                             ; RFC 1939 §4, §6
stat         =  "STAT"                             ; RFC 1939 §5
list         =  "LIST" [SP msg]
retr         =  "RETR" SP msg
dele         =  "DELE" SP msg
noop         =  "NOOP"
rset         =  "RSET"
top          =  "TOP" SP msg SP number             ; RFC 1939 §7: n non-negative
uidl         =  "UIDL" [SP msg]                    ; RFC 1939 §7
capa         =  "CAPA"                             ; RFC 2449 §5
stls         =  "STLS"                             ; RFC 2595 §4
auth         =  "AUTH" [SP mechanism [SP (base64 / "=")]]   ; RFC 5034 §4, RFC 1734 §2
mechanism    =  1*20(%x41-5A / %x61-7A / DIGIT / "-" / "_")  ; RFC 4422 §3.1
utf8         =  "UTF8"                             ; RFC 6856 §2.1
lang         =  "LANG" [SP 1*VCHAR]                ; RFC 6856 §3
msg          =  %x31-39 *DIGIT                     ; RFC 1939 §3: message numbers start at 1
number       =  1*DIGIT
base64       =  *(4base64-char) [base64-terminal]
base64-char  =  ALPHA / DIGIT / "+" / "/"
base64-terminal = (2base64-char "==") / (3base64-char "=")
; A SASL answer after "+ " (RFC 5034 §4): base64, or "*" to cancel
sasl-response =  (base64 / "*") CRLF
; A SASL challenge (RFC 5034 §4); a bare "+" is what servers send for an empty one
sasl-challenge = "+" [SP base64] CRLF
; RFC 1939 §5: a scan listing (LIST), a drop listing (STAT); §7: a unique-id listing (UIDL).
; "More advanced implementations may include other information" after them.
scan-listing =  msg SP number [SP *(VCHAR / SP)] CRLF
drop-listing =  "+OK" SP number SP number [SP *(VCHAR / SP)] CRLF
uid-listing  =  msg SP unique-id CRLF
unique-id    =  1*70(%x21-7E)
scan-reply   =  "+OK" SP scan-listing
uid-reply    =  "+OK" SP uid-listing
`;

let grammar: Grammar | null = null;

/** The POP3 grammar, built on first use. */
export function pop3Grammar(): Grammar {
  grammar ??= new Grammar(ABNF_CORE_RULES + RFC2449 + COMMANDS);
  return grammar;
}

/** RFC 2449 §4: a command is at most 255 octets, a reply's first line at most 512, CRLF included. */
export const POP3_MAX_COMMAND_OCTETS = 255;
export const POP3_MAX_REPLY_LINE_OCTETS = 512;
