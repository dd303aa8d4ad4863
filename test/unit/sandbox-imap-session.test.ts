/**
 * The sandbox's IMAP server session, sans-io, played as the RFCs print sessions: what a client
 * sends, and exactly what the server answers. The store holds the documents' example messages:
 * joe's INBOX is the lecture's "test" message, RFC 3501's APPEND message, RFC 3501 §8's minutes,
 * RFC 2046's multipart sample and RFC 2047's encoded-word message.
 */
import { describe, expect, it } from 'vitest';
import { converse, imapConnection, imapLoggedIn, sandboxWorld, splitLines } from '../support/sandbox-harness.js';
import { RFC3501_APPEND_MESSAGE } from '../support/rfc-messages.js';

const APPEND_MESSAGE = RFC3501_APPEND_MESSAGE;

describe('greeting, capabilities and login (RFC 3501 §6.1, §6.2)', () => {
  it('greets with its capabilities; they grow after login', () => {
    const c = imapConnection(sandboxWorld());
    expect(c.greetingLine).toBe('* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS AUTH=PLAIN] IMAP4rev1 Service Ready');
    converse(c, `
C: abcd CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS AUTH=PLAIN
S: abcd OK CAPABILITY completed
C: a001 LOGIN joe password
S: a001 OK LOGIN completed
C: a002 CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE NAMESPACE UNSELECT UIDPLUS CHILDREN MOVE QUOTA QUOTA=RES-STORAGE
S: a002 OK CAPABILITY completed
`);
  });

  it('RFC 3501 §6.2.1 with --require-tls: LOGINDISABLED until STARTTLS; bytes sent after STARTTLS in plaintext are dropped', () => {
    const c = imapConnection(sandboxWorld(), { requireTls: true });
    converse(c, `
C: a001 CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE STARTTLS LOGINDISABLED
S: a001 OK CAPABILITY completed
C: a000 LOGIN joe password
S: a000 NO [PRIVACYREQUIRED] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.
`);
    // The injected LOGIN rides in the same packet as STARTTLS (CVE-2011-0411): it must not run.
    expect(c.sendRaw('a002 STARTTLS\r\na009 LOGIN joe password\r\n')).toBe('a002 OK Begin TLS negotiation now\r\n');
    expect(c.tlsStarts).toBe(1);
    c.imap.tlsStarted();
    converse(c, `
C: a003 CAPABILITY
S: * CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN
S: a003 OK CAPABILITY completed
C: a004 LOGIN joe password
S: a004 OK LOGIN completed
`);
    expect(c.imap.user).toBe('joe');
  });

  it('refuses STARTTLS without a certificate, and a second STARTTLS under TLS', () => {
    converse(imapConnection(sandboxWorld(), { tlsAvailable: false }), `
C: a1 STARTTLS
S: a1 BAD STARTTLS is not available on this listener
`);
    converse(imapConnection(sandboxWorld(), { implicitTls: true }), `
C: a1 STARTTLS
S: a1 BAD TLS is already active
`);
  });

  it('fails a wrong password with AUTHENTICATIONFAILED, and user names are case-sensitive', () => {
    converse(imapConnection(sandboxWorld()), `
C: a1 LOGIN joe wrong
S: a1 NO [AUTHENTICATIONFAILED] Authentication failed.
C: a2 LOGIN JOE password
S: a2 NO [AUTHENTICATIONFAILED] Authentication failed.
C: a3 SELECT INBOX
S: a3 BAD Please login first
`);
  });

  it('RFC 3501 §7.5: LOGIN with synchronizing literals, then a command refused before its literal is sent', () => {
    converse(imapConnection(sandboxWorld()), `
C: A001 LOGIN {11}
S: + Ready for additional command text
C: FRED FOOBAR {7}
S: + Ready for additional command text
C: fat man
S: A001 OK LOGIN completed
C: A044 BLURDYBLOOP {102856}
S: A044 BAD No such command as "BLURDYBLOOP"
C: A045 NOOP
S: A045 OK NOOP completed
`);
  });

  it('RFC 7888 §3: LITERAL+ needs no continuation request', () => {
    converse(imapConnection(sandboxWorld()), `
C: A001 LOGIN {11+}
C: FRED FOOBAR {7+}
C: fat man
S: A001 OK LOGIN completed
`);
  });

  it('AUTHENTICATE PLAIN (RFC 4616): after an empty challenge, with an initial response (RFC 4959), cancelled with "*"', () => {
    const plain = Buffer.from('\0joe\0password').toString('base64');
    converse(imapConnection(sandboxWorld()), `
C: a1 AUTHENTICATE PLAIN
S: + 
C: *
S: a1 BAD AUTHENTICATE cancelled
C: a2 AUTHENTICATE PLAIN
S: + 
C: ${Buffer.from('\0joe\0wrong').toString('base64')}
S: a2 NO [AUTHENTICATIONFAILED] Authentication failed.
C: a3 AUTHENTICATE CRAM-MD5
S: a3 NO Unsupported authentication mechanism.
C: a4 AUTHENTICATE PLAIN ${Buffer.from('mrose\0joe\0password').toString('base64')}
S: a4 NO [AUTHORIZATIONFAILED] Not allowed to act as another user.
C: a5 AUTHENTICATE PLAIN ${plain}
S: a5 OK AUTHENTICATE completed
`);
  });

  it('RFC 3501 §7.1.3: an empty line, a line without a tag, a line too long (which ends the connection)', () => {
    const c = imapConnection(sandboxWorld());
    converse(c, `
C:
S: * BAD Empty command line
C: +tag NOOP
S: * BAD Error in IMAP command received by server.
C: a1
S: a1 BAD Error in IMAP command received by server.
`);
    expect(splitLines(c.sendRaw(`a2 NOOP ${'x'.repeat(70 * 1024)}`))).toEqual(['* BAD Command line too long', '* BYE Too much input, closing the connection']);
    expect(c.closed).toBe(true);
  });

  it('LOGOUT: BYE, the tagged OK, then the connection closes (RFC 3501 §6.1.3)', () => {
    const c = imapConnection(sandboxWorld());
    converse(c, `
C: A023 LOGOUT
S: * BYE IMAP4rev1 Server logging out
S: A023 OK LOGOUT completed
`);
    expect(c.closed).toBe(true);
  });

  it('checks states against the command table: selected-state commands need a mailbox, ENABLE comes before SELECT', () => {
    converse(imapLoggedIn(sandboxWorld(), 'joe'), `
C: a1 FETCH 1 FLAGS
S: a1 BAD No mailbox selected
C: a2 LOGIN joe password
S: a2 BAD Already logged in
C: a3 SELECT INBOX
S: * 5 EXISTS
S: * 5 RECENT
S: * OK [UNSEEN 1] Message 1 is first unseen
S: * OK [UIDVALIDITY $] UIDs valid
S: * OK [UIDNEXT 6] Predicted next UID
S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted
S: a3 OK [READ-WRITE] SELECT completed
C: a4 ENABLE CONDSTORE
S: a4 BAD ENABLE is only valid before a mailbox is selected
C: a5 XPIG-LATIN
S: a5 BAD No such command as "XPIG-LATIN"
`);
  });
});

describe('mailboxes (RFC 3501 §6.3)', () => {
  it('SELECT again closes the first mailbox; EXAMINE is read-only; a missing mailbox is NONEXISTENT', () => {
    converse(imapLoggedIn(sandboxWorld(), 'mrose'), `
C: a1 SELECT INBOX
S: * 2 EXISTS
S: * 2 RECENT
S: * OK [UNSEEN 1] Message 1 is first unseen
S: * OK [UIDVALIDITY $] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags permitted
S: a1 OK [READ-WRITE] SELECT completed
C: a2 EXAMINE inbox
S: * OK [CLOSED] Previous mailbox closed.
S: * 2 EXISTS
S: * 0 RECENT
S: * OK [UNSEEN 1] Message 1 is first unseen
S: * OK [UIDVALIDITY $] UIDs valid
S: * OK [UIDNEXT 3] Predicted next UID
S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)
S: * OK [PERMANENTFLAGS ()] No permanent flags permitted
S: a2 OK [READ-ONLY] EXAMINE completed
C: a3 STORE 1 +FLAGS (\\Seen)
S: a3 NO Mailbox is read-only
C: a4 SELECT blurdybloop
S: * OK [CLOSED] Previous mailbox closed.
S: a4 NO [NONEXISTENT] Mailbox doesn't exist: blurdybloop
C: a5 FETCH 1 FLAGS
S: a5 BAD No mailbox selected
`);
  });

  it('RFC 3501 §6.3.3 CREATE with a trailing separator, then §6.3.8 LIST with "*", "%" and the root', () => {
    converse(imapLoggedIn(sandboxWorld(), 'mrc'), `
C: A003 CREATE owatagusiam/
S: A003 OK CREATE completed
C: A004 CREATE owatagusiam/blurdybloop
S: A004 OK CREATE completed
C: A005 CREATE owatagusiam
S: A005 NO [ALREADYEXISTS] Mailbox already exists
C: A101 LIST "" ""
S: * LIST (\\Noselect) "/" ""
S: A101 OK LIST completed
C: A103 LIST /usr/staff/jones ""
S: * LIST (\\Noselect) "/" /
S: A103 OK LIST completed
C: A104 LIST "" *
S: * LIST (\\HasNoChildren) "/" INBOX
S: * LIST (\\HasChildren) "/" owatagusiam
S: * LIST (\\HasNoChildren) "/" owatagusiam/blurdybloop
S: A104 OK LIST completed
C: A105 LIST "" %
S: * LIST (\\HasNoChildren) "/" INBOX
S: * LIST (\\HasChildren) "/" owatagusiam
S: A105 OK LIST completed
C: A106 LIST owatagusiam/ %
S: * LIST (\\HasNoChildren) "/" owatagusiam/blurdybloop
S: A106 OK LIST completed
C: A107 LIST "" inbox
S: * LIST (\\HasNoChildren) "/" INBOX
S: A107 OK LIST completed
`);
  });

  it('RFC 3501 §5.1.3: a new name is modified UTF-7; 8-bit octets and broken "&" runs are refused, not kept changed', () => {
    const conn = imapLoggedIn(sandboxWorld(), 'mrc');
    const refused = 'NO [CANNOT] Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)';
    // "café" in a literal (UTF-8), and in Latin-1: neither is kept, neither as U+FFFD.
    expect(conn.sendRaw('n1 CREATE {5}\r\n')).toMatch(/^\+ /);
    expect(conn.sendRaw(Buffer.concat([Buffer.from('caf\xc3\xa9', 'latin1'), Buffer.from('\r\n')]))).toBe(`n1 ${refused}\r\n`);
    expect(conn.sendRaw(Buffer.from('n2 CREATE "caf\xe9"\r\n', 'latin1'))).toMatch(/^n2 (?:NO \[CANNOT\]|BAD) /);
    expect(conn.send('n3 CREATE &Jjo', 'n4 CREATE "a&AGE-"', 'n5 RENAME INBOX &Jjo')).toEqual([`n3 ${refused}`, `n4 ${refused}`, `n5 ${refused}`]);
    // Well-formed modified UTF-7 is kept as sent: "&ZeVnLIqe-" is 日本語, "&-" is "&".
    expect(conn.send('n6 CREATE &ZeVnLIqe-', 'n7 CREATE "R&-D"')).toEqual(['n6 OK CREATE completed', 'n7 OK CREATE completed']);
    expect(conn.send('n8 LIST "" *')).toEqual(['* LIST (\\HasNoChildren) "/" INBOX', '* LIST (\\HasNoChildren) "/" &ZeVnLIqe-', '* LIST (\\HasNoChildren) "/" R&-D', 'n8 OK LIST completed']);
  });

  it('a completion quoting the client\'s bytes stays one line: a CR LF sent in a literal cannot forge a response', () => {
    const conn = imapLoggedIn(sandboxWorld(), 'mrc');
    expect(conn.sendRaw('s1 SELECT {12}\r\n')).toMatch(/^\+ /);
    expect(conn.sendRaw('ab\r\n* BYE xx\r\n')).toBe("s1 NO [NONEXISTENT] Mailbox doesn't exist: ab??* BYE xx\r\n");
    expect(conn.sendRaw(Buffer.from('s2 SELECT {3}\r\n\xe9\x00\x1b\r\n', 'latin1'))).toMatch(/^\+ [^\r]*\r\ns2 NO \[NONEXISTENT\] Mailbox doesn't exist: \?\?\?\r\n$/);
  });

  it('RFC 3501 §6.3.4 first example: a \\Noselect name with inferiors cannot be deleted; a selectable one becomes \\Noselect', () => {
    converse(imapLoggedIn(sandboxWorld(), 'mrc'), `
C: s1 CREATE blurdybloop
S: s1 OK CREATE completed
C: s2 CREATE foo/bar
S: s2 OK CREATE completed
C: s3 DELETE foo
S: s3 OK DELETE completed
C: A682 LIST "" *
S: * LIST (\\HasNoChildren) "/" INBOX
S: * LIST (\\HasNoChildren) "/" blurdybloop
S: * LIST (\\Noselect \\HasChildren) "/" foo
S: * LIST (\\HasNoChildren) "/" foo/bar
S: A682 OK LIST completed
C: A683 DELETE blurdybloop
S: A683 OK DELETE completed
C: A684 DELETE foo
S: A684 NO Name "foo" has inferior hierarchical names
C: A685 DELETE foo/bar
S: A685 OK DELETE completed
C: A686 LIST "" *
S: * LIST (\\HasNoChildren) "/" INBOX
S: * LIST (\\Noselect \\HasNoChildren) "/" foo
S: A686 OK LIST completed
C: A687 DELETE foo
S: A687 OK DELETE completed
C: A688 DELETE INBOX
S: A688 NO [CANNOT] INBOX can not be deleted
C: A689 DELETE nowhere
S: A689 NO [NONEXISTENT] Mailbox doesn't exist: nowhere
`);
  });

  it('RFC 3501 §6.3.5: RENAME takes the inferiors along; renaming INBOX moves its messages and leaves it empty', () => {
    converse(imapLoggedIn(sandboxWorld(), 'mrose'), `
C: s1 CREATE foo/bar
S: s1 OK CREATE completed
C: A684 RENAME foo zowie
S: A684 OK RENAME completed
C: A685 LIST "" *
S: * LIST (\\HasNoChildren) "/" INBOX
S: * LIST (\\HasChildren) "/" zowie
S: * LIST (\\HasNoChildren) "/" zowie/bar
S: A685 OK LIST completed
C: A686 RENAME zowie zowie/deeper
S: A686 NO [CANNOT] Can't rename mailbox under itself
C: A687 RENAME nowhere x
S: A687 NO [NONEXISTENT] Mailbox doesn't exist: nowhere
C: Z433 RENAME INBOX old-mail
S: Z433 OK RENAME completed
C: Z435 STATUS INBOX (MESSAGES)
S: * STATUS INBOX (MESSAGES 0)
S: Z435 OK STATUS completed
C: Z436 STATUS old-mail (MESSAGES UIDNEXT)
S: * STATUS old-mail (MESSAGES 2 UIDNEXT 3)
S: Z436 OK STATUS completed
`);
  });

  it('RFC 3501 §6.3.6, §6.3.7, §6.3.9: SUBSCRIBE, UNSUBSCRIBE and LSUB, with \\Noselect for an unsubscribed superior under "%"', () => {
    converse(imapLoggedIn(sandboxWorld(), 'joe'), `
C: A002 SUBSCRIBE #news/comp/mail/mime
S: A002 OK SUBSCRIBE completed
C: A003 SUBSCRIBE #news/comp/mail/misc
S: A003 OK SUBSCRIBE completed
C: A004 LSUB "#news/" "comp/mail/*"
S: * LSUB () "/" #news/comp/mail/mime
S: * LSUB () "/" #news/comp/mail/misc
S: A004 OK LSUB completed
C: A005 LSUB "#news/" "comp/%"
S: * LSUB (\\Noselect) "/" #news/comp/mail
S: A005 OK LSUB completed
C: A006 LSUB "" %
S: * LSUB () "/" INBOX
S: * LSUB (\\Noselect) "/" #news
S: * LSUB () "/" saved-messages
S: A006 OK LSUB completed
C: A007 UNSUBSCRIBE #news/comp/mail/mime
S: A007 OK UNSUBSCRIBE completed
C: A008 UNSUBSCRIBE #news/comp/mail/mime
S: A008 NO [NONEXISTENT] Not subscribed: #news/comp/mail/mime
`);
  });

  it('RFC 3501 §6.3.10 STATUS, in the order asked', () => {
    converse(imapLoggedIn(sandboxWorld(), 'joe'), `
C: A042 STATUS INBOX (UIDNEXT MESSAGES UNSEEN RECENT UIDVALIDITY)
S: * STATUS INBOX (UIDNEXT 6 MESSAGES 5 UNSEEN 5 RECENT 5 UIDVALIDITY $)
S: A042 OK STATUS completed
C: A043 STATUS INBOX (SIZE)
S: A043 BAD Error in IMAP command STATUS: Unknown status item SIZE
C: A044 STATUS nowhere (MESSAGES)
S: A044 NO [NONEXISTENT] Mailbox doesn't exist: nowhere
`);
  });

  it('RFC 3501 §6.3.11 APPEND with a synchronizing literal; APPENDUID (RFC 4315); TRYCREATE for a missing mailbox', () => {
    const c = imapLoggedIn(sandboxWorld(), 'joe');
    converse(c, [
      'C: A003 APPEND saved-messages (\\Seen) {310}',
      'S: + Ready for literal data',
      ...APPEND_MESSAGE.map((l) => `C: ${l}`),
      'C:',
      'S: A003 OK [APPENDUID $ 1] APPEND completed',
      'C: A004 APPEND nowhere {3+}',
      'C: abc',
      'S: A004 NO [TRYCREATE] Mailbox doesn\'t exist: nowhere',
      'C: A005 APPEND saved-messages (\\Flagged $Label) "17-Jul-1996 02:44:25 -0700" {12+}',
      'C: Subject: x',
      'C:',
      'S: A005 OK [APPENDUID $ 2] APPEND completed',
      'C: A006 EXAMINE saved-messages',
      'S: * 2 EXISTS',
      'S: * 2 RECENT',
      'S: * OK [UNSEEN 2] Message 2 is first unseen',
      'S: * OK [UIDVALIDITY $] UIDs valid',
      'S: * OK [UIDNEXT 3] Predicted next UID',
      'S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Label)',
      'S: * OK [PERMANENTFLAGS ()] No permanent flags permitted',
      'S: A006 OK [READ-ONLY] EXAMINE completed',
      'C: A007 FETCH 1:2 (FLAGS INTERNALDATE RFC822.SIZE)',
      'S: * 1 FETCH (FLAGS (\\Seen \\Recent) INTERNALDATE " 1-Mar-2024 12:00:00 +0000" RFC822.SIZE 310)',
      'S: * 2 FETCH (FLAGS (\\Flagged $Label \\Recent) INTERNALDATE "17-Jul-1996 02:44:25 -0700" RFC822.SIZE 12)',
      'S: A007 OK FETCH completed',
    ].join('\n'));
  });

  it('APPEND refuses an empty message, a bad date, a message over the limit (before its literal), and over quota', () => {
    const c = imapLoggedIn(sandboxWorld(undefined, 8), 'joe', { maxAppendOctets: 100 });
    converse(c, `
C: a1 APPEND INBOX {0+}
C:
S: a1 NO Can't save a zero byte message
C: a2 APPEND INBOX "31-Feb-2024 00:00:00 +0000" {1+}
C: x
S: a2 BAD Error in IMAP command APPEND: Invalid date-time "31-Feb-2024 00:00:00 +0000"
C: a3 APPEND INBOX {101}
S: a3 NO [TOOBIG] Message too large (over 100 octets)
C: a4 NOOP
S: a4 OK NOOP completed
C: a5 SETQUOTA "" (STORAGE 6)
S: * QUOTA "" (STORAGE 7 6)
S: a5 OK SETQUOTA completed
C: a6 APPEND INBOX {100}
S: + Ready for literal data
C: ${'x'.repeat(98)}
C:
S: a6 NO [OVERQUOTA] Quota exceeded (mailbox for user is full)
`);
  });

  it('GETQUOTAROOT, GETQUOTA and SETQUOTA (RFC 9208, formerly RFC 2087)', () => {
    converse(imapLoggedIn(sandboxWorld(), 'joe'), `
C: A003 GETQUOTAROOT INBOX
S: * QUOTAROOT INBOX ""
S: * QUOTA "" (STORAGE 7 10240)
S: A003 OK GETQUOTAROOT completed
C: A004 GETQUOTA ""
S: * QUOTA "" (STORAGE 7 10240)
S: A004 OK GETQUOTA completed
C: A001 SETQUOTA "" (STORAGE 512)
S: * QUOTA "" (STORAGE 7 512)
S: A001 OK SETQUOTA completed
C: A005 GETQUOTA user.joe
S: A005 NO [NONEXISTENT] No such quota root
C: A006 SETQUOTA "" (MESSAGE 10)
S: A006 NO Unsupported quota resource: MESSAGE
`);
  });

  it('ID (RFC 2971), NAMESPACE (RFC 2342) and ENABLE (RFC 5161: nothing to enable here, so ENABLED is empty)', () => {
    converse(imapLoggedIn(sandboxWorld(), 'joe'), `
C: a1 ID ("name" "curl")
S: * ID ("name" "mailwire sandbox" "version" "0.0.0-test" "vendor" "mailwire")
S: a1 OK ID completed
C: a2 ID NIL
S: * ID ("name" "mailwire sandbox" "version" "0.0.0-test" "vendor" "mailwire")
S: a2 OK ID completed
C: a3 NAMESPACE
S: * NAMESPACE (("" "/")) NIL NIL
S: a3 OK NAMESPACE completed
C: t2 ENABLE CONDSTORE X-GOOD-IDEA
S: * ENABLED
S: t2 OK ENABLE completed
`);
  });
});
