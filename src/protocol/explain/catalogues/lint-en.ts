/**
 * English words of lint's findings (transcript/lint*.ts), of the notes the transcript format makes
 * of lines it does not take as protocol lines (transcript/format.ts), and of `mailwire lint`'s own
 * lines. Findings carry a key of this catalogue and their values; they are worded where the language
 * is known. ABNF rule names, RFC sections, commands and protocol tokens are values or stay as they
 * are; values quoted from a transcript come escaped. Part of en.ts; lint-ru.ts has the same keys.
 */
export const LINT_EN = {
  // mailwire lint: the severities and the summary line
  'lint.severity.error': 'error',
  'lint.severity.note': 'note',
  'lint.summary': '{files} {files|transcript|transcripts}: {errors} {errors|error|errors}, {notes} {notes|note|notes}',
  'lint.at-line': 'line {line}: {message}',

  // The whole file (lint.ts)
  'lint.protocol.guessed': 'no "# protocol:" line; read as {protocol} from its lines',
  'lint.protocol.other': 'a {protocol} transcript is no IMAP or POP3 session: not checked',
  'lint.pattern.bare-hole': 'a bare "$" in a client line cannot be sent (replay) and matches anything (serve); write "$$" for a dollar sign',
  'lint.pattern.unset-capture': '{capture} is used before any server line captures it (write "$$" for a dollar sign)',

  // Lines the format does not take as protocol lines (format.ts), and directives it cannot read
  'lint.format.elision': '{text} elides part of the session: what it stands for is not checked',
  'lint.format.not-a-line': 'not a protocol line (no "S:" or "C:"): {text}',
  'lint.format.client-mark': '"C{mark}:" is not a line kind (only server lines may be optional or forbidden): ignored',
  'lint.format.tcp-event': '{text} stands for a TCP event, not a line on the wire: skipped',
  'lint.format.other-protocol': '"# protocol: {value}": mailwire plays imap and pop3 only',
  'lint.format.version': 'written in transcript format v{version}; this mailwire reads v{supported}',
  'lint.format.tls': '"# tls: {value}": expected none, starttls or implicit',
  'lint.format.secret': '"# secret:" needs a user name (and may give the secret after it)',
  'lint.format.match': '"# match: {value}": unknown rule "{word}" (ordered, unordered, extra, no-extra)',
  'lint.format.state': '"# state: {value}": expected one of {states}',

  // The formal syntax (lint-grammar.ts): "not a response-tagged (formal syntax): at column 6, expected "OK"; found ..."
  'lint.grammar.unchecked': 'not checked against the formal syntax: {why}',
  'lint.grammar.limit.depth': 'nested more than {max} rules deep',
  'lint.grammar.limit.steps': 'more than {max} steps',
  'lint.grammar.not-a': 'not a {rule} (formal syntax): {detail}',
  'lint.grammar.not-an': 'not an {rule} (formal syntax): {detail}',
  'lint.grammar.not-base64-answer': 'not a base64 answer (formal syntax): {detail}',
  'lint.grammar.detail': 'at column {column}, {wanted}; {found}',
  'lint.grammar.expected': 'expected {items}',
  'lint.grammar.expected-one-of': 'expected {items}',
  'lint.grammar.cannot-continue': 'the line cannot continue',
  'lint.grammar.found': 'found {text}',
  'lint.grammar.found-end-of-line': 'found the end of the line',
  'lint.grammar.found-end': 'found the end',

  // State names in findings: IMAP as "# state:" writes them, POP3 as RFC 1939 does
  'lint.state-name.imap.not-authenticated': 'not-authenticated',
  'lint.state-name.imap.authenticated': 'authenticated',
  'lint.state-name.imap.selected': 'selected',
  'lint.state-name.imap.logout': 'logout',
  'lint.state-name.pop3.authorization': 'AUTHORIZATION',
  'lint.state-name.pop3.transaction': 'TRANSACTION',
  'lint.state-name.pop3.update': 'UPDATE',

  // Both protocols
  'lint.state.invalid': '{command} is not valid in the {state} state ({rfc}: {states})',
  'lint.state.directive.imap': '"# state: {state}" is no IMAP state (not-authenticated, authenticated, selected, logout, unknown)',
  'lint.state.directive.pop3': '"# state: {state}" is no POP3 state (authorization, transaction, update, unknown)',

  // IMAP (lint-imap.ts)
  'lint.revision.either': 'RFC 9051 (IMAP4rev2) allows this and RFC 3501 does not; the session does not show which it speaks: {detail}',
  'lint.revision.shown': '{allows} allows this and {forbids} does not, in a session that shows itself {shown} (line {line}): {detail}',
  'lint.elision': 'the line elides part of itself ({text}): checked up to there',
  'lint.completion.missing': 'no completion for {tag} {command} in the transcript',
  'lint.tag.in-use': 'tag {tag} is still in use by {command} (line {line}): RFC 3501 §2.2.1 wants a different tag for each command',
  'lint.tag.unknown-completion': 'a completion for tag {tag}, which no command in progress has',
  'lint.expunge.during': 'EXPUNGE while {command} ({tag}, line {line}) is in progress: a server must not send it during FETCH, STORE or SEARCH, whose answers name messages by number (RFC 3501 §7.4.1, RFC 9051 §7.5.1); their UID forms may get one',
  'lint.expunge.no-command': 'EXPUNGE while no command is in progress: a server must not send it then, or the client\'s message numbers shift without its knowing (RFC 3501 §7.4.1, RFC 9051 §7.5.1)',
  'lint.expunge.incomplete': 'EXPUNGE before the server has all of {command} ({tag}), while no other command is in progress: a command is not in progress until the server has all of it, and a server must not send EXPUNGE when none is (RFC 3501 §7.4.1, RFC 9051 §7.5.1)',
  'lint.capability.imap': "{command} needs the {capability} capability, which the server's last CAPABILITY does not list ({rfc})",
  'lint.capability.extension': "this is the syntax of {extension} ({source}), which the server's last CAPABILITY (line {line}) does not list",
  'lint.capability.extensions': "this is the syntax of these extensions together: {extensions}; the server's last CAPABILITY (line {line}) lists none of them",
  'lint.capability.login-disabled': 'LOGIN while the server announces LOGINDISABLED: RFC 3501 §6.2.3 says the client MUST NOT',
  'lint.literal.incomplete': 'the literal {literal} of line {line} is not complete when the server speaks here: its lines hold {held} octets',
  'lint.literal.sync': 'literal data sent before the server\'s "+" for the synchronizing literal {literal} of line {line} (RFC 3501 §7.5); {nonsync} needs LITERAL+ (RFC 7888)',
  'lint.literal.short': "the literal {literal} announces {size} octets, and the transcript's lines hold {held}",
  'lint.literal.response-incomplete': "the response's literal is not complete: the lines after its {marker} hold fewer octets than it announces",
  'lint.literal.count': 'the literal {literal} of line {line} ends in this line, after {data}, and the rest does not read on ({failure}): is its count right? (RFC 3501 §4.3)',
  'lint.idle.done': 'IDLE is ended by "DONE" (RFC 2177 §3), not {text}',
  'lint.authenticate.answer': 'an AUTHENTICATE answer is base64 or "*" (RFC 3501 §6.2.2): {detail}',
  'lint.continuation.answer': 'a line answering "+" for {command}: not checked',
  'lint.continuation.answer-unknown': 'a line answering "+" for a command: not checked',
  'lint.continuation.before-command': 'a "+" continuation request before any command',
  'lint.response-code.rev1': 'the text starts with "[" but is no response code followed by SP and text (RFC 3501 §7.1, §9 resp-text): {detail}',
  'lint.response-code.rev2': 'the text starts with "[" but is no response code (RFC 9051 §7.1, §9 resp-text): {detail}',

  // POP3 (lint-pop3.ts)
  'lint.command.unknown': '{command} is no command of RFC 1939 or its extensions that mailwire knows',
  'lint.capability.pop3': "{command} needs the {capability} capability, which the server's last CAPA does not list ({rfc})",
  'lint.line-length.command': 'a command of {octets} octets: RFC 2449 §4 allows {max}, CRLF included',
  'lint.line-length.reply': 'a reply line of {octets} octets: RFC 2449 §4 allows {max}, CRLF included',
  'lint.apop.no-timestamp': 'APOP, but the greeting has no timestamp <...@...> to compute a digest from (RFC 1939 §7)',
  'lint.apop.unchecked': 'the APOP digest is not checked: {why}; "# secret: {user} SECRET" lets lint check it against the greeting\'s timestamp (RFC 1939 §7)',
  'lint.apop.secret-not-named': '"# secret: {user}" (line {line}) names no secret',
  'lint.apop.no-secret': 'no secret is declared for {user}',
  'lint.apop.wrong': 'the APOP digest is not MD5("{timestamp}" + the declared secret of {user}); it should be {expected}',
  'lint.sasl.challenge': 'a SASL challenge is "+" SP base64 (RFC 5034 §4): {detail}',
  'lint.multiline.open': 'the multi-line reply to {command} is not ended by a "." line before the next command (RFC 1939 §3)',
} satisfies Record<string, string>;

/** A key of lint's words. */
export type LintKey = keyof typeof LINT_EN;
