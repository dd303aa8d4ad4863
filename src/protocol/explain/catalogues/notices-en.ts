/**
 * English words of what a session says of itself as `#` lines: the connection, the TLS summary, the
 * notices of the IMAP and POP3 sessions (a refused STARTTLS, a password in clear, octets dropped after
 * the OK), why a login failed, the SASL mechanisms' remarks, the decoded views' headings and the
 * annotations of a terminal. A plain session loads these words (they were written in the code before):
 * small and apart from en.ts, like tls-en.ts. notices-ru.ts has the same keys and loads only for
 * --lang ru. A recording is always worded from here (transcript/recorder.ts).
 */
export const NOTICES_EN = {
  // The notice's level, before its text ("# warning: ...").
  'notice.level.warning': 'warning',
  'notice.level.error': 'error',

  // The connection (render/transcript-renderer.ts).
  'notice.connected': 'connected to {url}{via}, {mode}',
  'notice.connected.via': '({address})',
  'notice.connected.tls': 'TLS',
  'notice.connected.plain': 'plain TCP',
  'notice.connected.starttls': 'plain TCP, {command} to follow',
  'notice.closed': 'connection closed',
  'notice.closed.reason': 'connection closed: {reason}',

  // The TLS summary line (render/transcript-renderer.ts).
  'notice.tls.head': 'TLS: {version} {cipher}',
  'notice.tls.no-certificate': 'no certificate',
  'notice.tls.subject': 'subject {subject}',
  'notice.tls.issuer': 'issuer {issuer}',
  'notice.tls.expires': 'expires {date}',
  'notice.tls.verified': 'certificate verified',
  'notice.tls.not-verified': 'certificate NOT verified',
  'notice.tls.not-verified.why': 'certificate NOT verified ({why})',
  'notice.tls.insecure': '{verdict}, accepted with --insecure',

  // Annotations of a terminal (render/transcript-renderer.ts).
  'notice.latency': '{ms} ms',
  'notice.reply-time': '{ms} ms for the whole reply',
  'notice.literal-size': '{n} {n|octet|octets}',

  // Decoded views (protocol/imap/decoded-views.ts).
  'notice.decoded.tree': '{item} of message {n}:',
  'notice.decoded.mailbox': 'mailbox: {name}',
  'notice.decoded.mailbox-invalid': 'mailbox name is not valid modified UTF-7 (RFC 3501 §5.1.3)',

  // The sessions (session/imap-session.ts, pop3-session.ts, tls-upgrade.ts).
  'notice.tls.dropped': 'dropped {n} octets received after the {command} {ok} and before TLS (possible command injection)',
  'notice.tls.dropped-batch': 'dropped {n} octets that came after the {command} {ok} and before TLS (possible command injection)',
  'notice.tls.dropped-handshake': 'dropped {n} octets received between the STARTTLS OK and the TLS handshake (possible command injection)',
  'notice.tls.refused': '{command} refused: the connection stays plain TCP, and what is sent next goes in clear ({rfc})',
  'notice.tag-in-use': 'tag {tag} is already in use by a command still running',
  'notice.raw-without-crlf': 'raw send ended without CRLF: the server is still reading that line',
  'notice.no-continuation': 'no continuation request is waiting for an answer; sent anyway',
  'notice.cut-line': 'the connection ended in the middle of this line: its CRLF never came',
  'notice.line-ended-by-close': 'the server closed the connection without ending this line with CRLF ({rfc}); read as a whole line',
  'notice.not-offered': '{command} needs the {capability} capability ({rfc}), which this server did not announce; sent anyway',
  'notice.password-in-clear': '{command} sent the password in clear over plain TCP: anyone on the network path can read it (--starttls or {scheme}:// would protect it)',
  'notice.out-of-state': '{command} is not valid in the {state} state ({rfc}); sent anyway',
  'notice.bare-lf': 'the server ended this line with a bare LF, not CRLF ({rfc}); read as a line end',
  'notice.unasked-continuation': 'continuation request ("+") that no command asked for',
  'notice.unasked-reply': 'reply that no command asked for',
  'notice.tagged-without-status': 'a tagged reply needs OK, NO or BAD right after the tag (RFC 3501 §7.1, §9 response-tagged); "{line}" has none: taken as a failure',
  'notice.unknown-tag': 'tagged reply for "{tag}", a tag no command in progress has',
  'notice.literal-not-sent': 'literal not sent: the server answered before asking for it ({n} octets dropped)',
  'notice.login-cancelled': 'login cancelled: you answered "*", and the server ended the exchange ({rfc})',
  'notice.login-failed': 'login failed: {why}',
  'notice.login-failed.apop': "login failed: {why}; the APOP digest was computed from the greeting's timestamp {timestamp} and the secret given, so either the secret is wrong or the server keeps no APOP secret for this user",
  'notice.compress': 'COMPRESS: DEFLATE in force both ways (RFC 4978); shown decompressed',

  // A {file:PATH} literal (session/file-literals.ts).
  'notice.file-literal': '{file:{path}}: {n} {n|octet|octets}, sent as a literal',
  'notice.file-literal.bare-lf': '{path} has lines ending in a bare LF; RFC 5322 §2.3 messages use CRLF and some servers refuse them (sent as is)',

  // Why a login failed (protocol/sasl/failure.ts): IMAP's codes (RFC 5530 §3), POP3's (RFC 2449 §8, RFC 3206).
  'login.imap.code': '{meaning} ([{code}], RFC 5530)',
  'login.imap.AUTHENTICATIONFAILED': 'wrong user name or password, or this account may not log in this way',
  'login.imap.AUTHORIZATIONFAILED': 'the credentials are right, but they may not act as the authorization identity asked for',
  'login.imap.EXPIRED': 'the password or the account has expired',
  'login.imap.PRIVACYREQUIRED': 'the server takes this login only over TLS (STARTTLS first, or imaps://)',
  'login.imap.CONTACTADMIN': 'the server asks you to contact its administrator',
  'login.imap.UNAVAILABLE': 'the server does not check this login now (RFC 5530 UNAVAILABLE: a part of it is down, or it is slowing down attempts; its text says which); try again later',
  'login.imap.ALERT': 'the server has a message for you (above)',
  'login.pop3.AUTH': 'wrong user name or password, or the login itself is refused (RFC 3206 [AUTH])',
  'login.pop3.SYS/TEMP': 'a temporary problem on the server (RFC 3206 [SYS/TEMP]); try again later',
  'login.pop3.SYS/PERM': 'a lasting problem on the server (RFC 3206 [SYS/PERM]); tell its administrator',
  'login.pop3.IN-USE': 'the mailbox is locked by another session (RFC 2449 [IN-USE])',
  'login.pop3.LOGIN-DELAY': 'logging in again so soon is not allowed (RFC 2449 [LOGIN-DELAY])',
  'login.mechanism-unsupported': 'the server does not support {mechanism}: it offers {offered}',
  'login.mechanism-unsupported.none': 'the server does not support {mechanism}: it announced no mechanisms',
  'login.tls-first': 'the server takes no password before TLS: use --starttls (or type {command} first), or connect with {scheme}://',
  'login.locked': 'the mailbox is locked, most likely by another session',
  'login.wrong-password': 'wrong user name or password, as far as the server says',
  'login.no-code': 'the server gave no response code; its text above is all it says',

  // What SASL mechanisms remark during an exchange (protocol/sasl/).
  'sasl.scram.few-iterations': '{mechanism}: the server uses only {n} iterations; RFC 7677 §4 asks for at least 4096',
  'sasl.scram.verified': '{mechanism}: server signature verified: the server knows the password',
  'sasl.scram.no-signature': '{mechanism}: the server said OK without sending its signature (server-final): it has not proved it knows the password',
} as const;

export type NoticeKey = keyof typeof NOTICES_EN;
