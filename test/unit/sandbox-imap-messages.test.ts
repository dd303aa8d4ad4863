/**
 * The sandbox's selected-state IMAP commands (RFC 3501 §6.4) on the documents' example messages,
 * and what several sessions on one mailbox see of each other (RFC 3501 §5.2, §7.4.1, RFC 2177).
 */
import { describe, expect, it } from 'vitest';
import { converse, imapLoggedIn, sandboxWorld, splitLines, type SandboxWorld } from '../support/sandbox-harness.js';
import { RFC3501_MINUTES_HEADER } from '../support/rfc-messages.js';

/** joe, INBOX selected: 1 "test" (743 octets), 2 APPEND example (310), 3 RFC 3501 §8 minutes (3370), 4 RFC 2046 sample (714), 5 RFC 2047 example (1657). */
function joeInbox(world: SandboxWorld = sandboxWorld()) {
  const c = imapLoggedIn(world, 'joe');
  expect(c.send('S0 SELECT INBOX').at(-1)).toBe('S0 OK [READ-WRITE] SELECT completed');
  return c;
}

const MINUTES_HEADER = RFC3501_MINUTES_HEADER;

describe('FETCH (RFC 3501 §6.4.5)', () => {
  it('RFC 3501 §8: FULL gives the ENVELOPE and BODY the RFC prints; BODY[HEADER] is the {342}-octet header and sets \\Seen', () => {
    converse(joeInbox(), [
      'C: a003 fetch 3 full',
      'S: * 3 FETCH (FLAGS (\\Recent) INTERNALDATE "17-Jul-1996 02:23:25 -0700" RFC822.SIZE 3370 ENVELOPE ("Wed, 17 Jul 1996 02:23:25 -0700 (PDT)" "IMAP4rev1 WG mtg summary and minutes" (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) (("Terry Gray" NIL "gray" "cac.washington.edu")) ((NIL NIL "imap" "cac.washington.edu")) ((NIL NIL "minutes" "CNRI.Reston.VA.US")("John Klensin" NIL "KLENSIN" "MIT.EDU")) NIL NIL "<B27397-0100000@cac.washington.edu>") BODY ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 3028 92))',
      'S: a003 OK FETCH completed',
      'C: a004 fetch 3 body[header]',
      'S: * 3 FETCH (BODY[HEADER] {342}',
      ...MINUTES_HEADER.map((l) => `S: ${l}`),
      'S:  FLAGS (\\Seen \\Recent))',
      'S: a004 OK FETCH completed',
      'C: a005 store 3 +flags \\deleted',
      'S: * 3 FETCH (FLAGS (\\Deleted \\Seen \\Recent))',
      'S: a005 OK STORE completed',
    ].join('\n'));
  });

  it('the lecture\'s FETCH 2 (UID INTERNALDATE RFC822.SIZE) and UID FETCH ENVELOPE of its "test" message', () => {
    converse(joeInbox(), `
C: A210 FETCH 1 (UID INTERNALDATE RFC822.SIZE)
S: * 1 FETCH (UID 1 INTERNALDATE " 1-Oct-2010 21:21:42 +0400" RFC822.SIZE 743)
S: A210 OK FETCH completed
C: A215 UID FETCH 1 ENVELOPE
S: * 1 FETCH (UID 1 ENVELOPE ("Fri, 1 Oct 2010 21:21:42 +0400 (MSD)" "test" ((NIL NIL "root" "phys.petrus.ru")) ((NIL NIL "root" "phys.petrus.ru")) ((NIL NIL "root" "phys.petrus.ru")) ((NIL NIL "avsolov" "dima.karelia.ru")) NIL NIL NIL "<20101001172142.4298C61C36@mx.phys.petrus.ru>"))
S: A215 OK UID FETCH completed
`);
  });

  it('RFC 3501 §6.4.5: BODY[HEADER.FIELDS (DATE FROM)] over a range, with .PEEK leaving \\Seen alone', () => {
    const c = joeInbox();
    const lines = c.send('A654 FETCH 2:3 (FLAGS BODY.PEEK[HEADER.FIELDS (DATE FROM)])');
    expect(lines).toEqual([
      '* 2 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (DATE FROM)] {90}',
      'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
      'From: Fred Foobar <foobar@Blurdybloop.COM>',
      '',
      ')',
      '* 3 FETCH (FLAGS (\\Recent) BODY[HEADER.FIELDS (DATE FROM)] {91}',
      'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)',
      'From: Terry Gray <gray@cac.washington.edu>',
      '',
      ')',
      'A654 OK FETCH completed',
    ]);
  });

  it('BODY[TEXT], partials <o.n> (the name carries only the offset), HEADER.FIELDS.NOT and an offset past the end', () => {
    converse(joeInbox(), `
C: a1 FETCH 2 BODY.PEEK[TEXT]
S: * 2 FETCH (BODY[TEXT] {55}
S: Hello Joe, do you think we can meet at 3:30 tomorrow?
S: )
S: a1 OK FETCH completed
C: a2 FETCH 2 BODY.PEEK[TEXT]<11.19>
S: * 2 FETCH (BODY[TEXT]<11> {19}
S: do you think we can)
S: a2 OK FETCH completed
C: a3 FETCH 2 BODY.PEEK[]<5000.10>
S: * 2 FETCH (BODY[]<5000> {0}
S: )
S: a3 OK FETCH completed
C: a4 FETCH 1 BODY.PEEK[HEADER.FIELDS.NOT (RECEIVED RETURN-PATH MESSAGE-ID DATE MIME-VERSION CONTENT-TYPE)]
S: * 1 FETCH (BODY[HEADER.FIELDS.NOT (RECEIVED RETURN-PATH MESSAGE-ID DATE MIME-VERSION CONTENT-TYPE)] {73}
S: To: avsolov@dima.karelia.ru
S: Subject: test
S: From: root@phys.petrus.ru
S:
S: )
S: a4 OK FETCH completed
`);
  });

  it('RFC 2046 §5.1.1 sample: BODYSTRUCTURE of a multipart, and its parts by number (BODY[1], BODY[2.MIME])', () => {
    converse(joeInbox(), `
C: a1 FETCH 4 BODYSTRUCTURE
S: * 4 FETCH (BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 80 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 78 2 NIL NIL NIL NIL) "mixed" ("boundary" "simple boundary") NIL NIL NIL))
S: a1 OK FETCH completed
C: a2 FETCH 4 BODY.PEEK[1]
S: * 4 FETCH (BODY[1] {80}
S: This is implicitly typed plain US-ASCII text.
S: It does NOT end with a linebreak.)
S: a2 OK FETCH completed
C: a3 FETCH 4 BODY.PEEK[2.MIME]
S: * 4 FETCH (BODY[2.MIME] {46}
S: Content-type: text/plain; charset=us-ascii
S:
S: )
S: a3 OK FETCH completed
C: a4 FETCH 4 BODY.PEEK[3]
S: * 4 FETCH (BODY[3] NIL)
S: a4 OK FETCH completed
`);
  });

  it('RFC 2047 §8 message: encoded words stay encoded in ENVELOPE; a message/rfc822 part has its own ENVELOPE, HEADER and TEXT', () => {
    converse(joeInbox(), `
C: a1 FETCH 5 BODY
S: * 5 FETCH (BODY (("text" "plain" ("charset" "ISO-8859-1") NIL NIL "quoted-printable" 243 6)("message" "rfc822" NIL NIL "a reply to the APPEND example of RFC 3501" "7BIT" 343 ("Mon, 7 Feb 1994 22:10:02 -0800 (PST)" "Re: afternoon meeting" ((NIL NIL "mooch" "owatagu.siam.edu")) ((NIL NIL "mooch" "owatagu.siam.edu")) ((NIL NIL "mooch" "owatagu.siam.edu")) (("Fred Foobar" NIL "foobar" "Blurdybloop.COM")) NIL NIL "<B27397-0100000@Blurdybloop.COM>" "<B27398-0100000@owatagu.siam.edu>") ("TEXT" "PLAIN" ("CHARSET" "US-ASCII") NIL NIL "7BIT" 36 1) 10)("text" "plain" ("name" "ports.txt" "charset" "us-ascii") NIL NIL "base64" 138 1) "mixed"))
S: a1 OK FETCH completed
C: a2 FETCH 5 (BODY.PEEK[2.HEADER.FIELDS (SUBJECT)] BODY.PEEK[2.TEXT])
S: * 5 FETCH (BODY[2.HEADER.FIELDS (SUBJECT)] {34}
S: Subject: Re: afternoon meeting
S:
S:  BODY[2.TEXT] {36}
S: 3:30 is fine. See you in room 101.
S: )
S: a2 OK FETCH completed
C: a3 FETCH 5 ENVELOPE
S: * 5 FETCH (ENVELOPE ("Fri, 12 Nov 1996 09:00:00 -0500" "=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=" (("=?US-ASCII?Q?Keith_Moore?=" NIL "moore" "cs.utk.edu")) (("=?US-ASCII?Q?Keith_Moore?=" NIL "moore" "cs.utk.edu")) (("=?US-ASCII?Q?Keith_Moore?=" NIL "moore" "cs.utk.edu")) (("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?=" NIL "keld" "dkuug.dk")) (("=?ISO-8859-1?Q?Andr=E9?= Pirard" NIL "PIRARD" "vm1.ulg.ac.be")) NIL NIL "<rfc2047-example-8@cs.utk.edu>"))
S: a3 OK FETCH completed
`);
  });

  it('RFC822, RFC822.HEADER and RFC822.TEXT: RFC822 and .TEXT set \\Seen, .HEADER does not', () => {
    const c = joeInbox();
    const header = c.send('a1 FETCH 2 RFC822.HEADER');
    expect(header[0]).toBe('* 2 FETCH (RFC822.HEADER {255}');
    expect(header.at(-2)).toBe(')');
    const text = c.send('a2 FETCH 2 RFC822.TEXT');
    expect(text).toEqual(['* 2 FETCH (RFC822.TEXT {55}', 'Hello Joe, do you think we can meet at 3:30 tomorrow?', ' FLAGS (\\Seen \\Recent))', 'a2 OK FETCH completed']);
    const whole = c.send('a3 FETCH 1 (FLAGS RFC822)');
    expect(whole[0]).toBe('* 1 FETCH (FLAGS (\\Seen \\Recent) RFC822 {743}');
    expect(whole.at(-1)).toBe('a3 OK FETCH completed');
  });

  it('refuses what does not parse, and sequence numbers past the last message', () => {
    converse(joeInbox(), `
C: a1 FETCH 6 FLAGS
S: a1 BAD Error in IMAP command FETCH: Invalid messageset
C: a2 FETCH 1 (FLAGS ALL)
S: a2 BAD Error in IMAP command FETCH: ALL is a macro and stands alone
C: a3 FETCH 1 BODY[HEADER.FIELDS]
S: a3 BAD Error in IMAP command FETCH: HEADER.FIELDS needs a list of field names
C: a4 FETCH 1 (FLAGS
S: a4 BAD Error in IMAP command FETCH: "(" never closed
C: a5 UID FETCH 99:* FLAGS
S: * 5 FETCH (UID 5 FLAGS (\\Recent))
S: a5 OK UID FETCH completed
C: a6 UID FETCH 90:99 FLAGS
S: a6 OK UID FETCH completed
`);
  });
});

describe('STORE, SEARCH, COPY, MOVE, EXPUNGE (RFC 3501 §6.4)', () => {
  it('STORE FLAGS, +FLAGS, -FLAGS, .SILENT; a new keyword updates FLAGS and PERMANENTFLAGS', () => {
    converse(joeInbox(), `
C: a1 STORE 1:2 FLAGS (\\Answered)
S: * 1 FETCH (FLAGS (\\Answered \\Recent))
S: * 2 FETCH (FLAGS (\\Answered \\Recent))
S: a1 OK STORE completed
C: a2 STORE 2 +FLAGS.SILENT (\\flagged Junk)
S: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Junk)
S: * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Junk \\*)] Flags permitted.
S: a2 OK STORE completed
C: a3 STORE 1:2 -FLAGS (\\Answered)
S: * 1 FETCH (FLAGS (\\Recent))
S: * 2 FETCH (FLAGS (\\Flagged Junk \\Recent))
S: a3 OK STORE completed
C: a4 UID STORE 2 FLAGS ()
S: * 2 FETCH (UID 2 FLAGS (\\Recent))
S: a4 OK UID STORE completed
C: a5 STORE 1 +FLAGS (\\Bogus)
S: a5 BAD Error in IMAP command STORE: Invalid system flag \\Bogus
`);
  });

  it('SEARCH as the lecture shows it, and the criteria of RFC 3501 §6.4.4', () => {
    const c = joeInbox();
    const search = (criteria: string) => c.send(`s ${criteria}`)[0];
    expect(search('SEARCH TEXT "tomorrow"')).toBe('* SEARCH 2');
    expect(search('SEARCH SUBJECT "test"')).toBe('* SEARCH 1');
    expect(search('SEARCH ALL')).toBe('* SEARCH 1 2 3 4 5');
    expect(search('SEARCH FROM "Terry"')).toBe('* SEARCH 3');
    expect(search('SEARCH TO mooch')).toBe('* SEARCH 2');
    expect(search('SEARCH CC klensin')).toBe('* SEARCH 3');
    expect(search('SEARCH BCC anyone')).toBe('* SEARCH');
    expect(search('SEARCH TEXT "string not in mailbox"')).toBe('* SEARCH');
    // RFC 2047 encoded words are decoded for matching: "...yo" + "u understand the example."
    expect(search('SEARCH SUBJECT "you understand"')).toBe('* SEARCH 5');
    expect(search('SEARCH FROM "Keith Moore"')).toBe('* SEARCH 5');
    // The quoted-printable text part says "Keld J=F8rn": the decoded body has "Jørn".
    expect(splitLines(c.sendRaw(Buffer.from('s SEARCH CHARSET UTF-8 BODY {5+}\r\nJørn\r\n', 'utf8')))[0]).toBe('* SEARCH 5');
    expect(search('SEARCH BODY "meet at 3:30"')).toBe('* SEARCH 2');
    expect(search('SEARCH BODY "Subject"')).toBe('* SEARCH 5');
    expect(search('SEARCH HEADER Message-Id "cac.washington.edu"')).toBe('* SEARCH 3');
    expect(search('SEARCH HEADER Received ""')).toBe('* SEARCH 1');
    expect(search('SEARCH SINCE 1-Jan-1996')).toBe('* SEARCH 1 3 5');
    expect(search('SEARCH BEFORE 1-Jan-1996')).toBe('* SEARCH 2 4');
    expect(search('SEARCH ON 17-Jul-1996')).toBe('* SEARCH 3');
    expect(search('SEARCH SENTON 7-Feb-1994')).toBe('* SEARCH 2');
    expect(search('SEARCH SENTBEFORE 1-Jan-1994 SENTSINCE 1-Jan-1993')).toBe('* SEARCH 4');
    expect(search('SEARCH LARGER 1000')).toBe('* SEARCH 3 5');
    expect(search('SEARCH SMALLER 720')).toBe('* SEARCH 2 4');
    expect(search('SEARCH 2:4 NOT 3')).toBe('* SEARCH 2 4');
    expect(search('SEARCH OR 1 5')).toBe('* SEARCH 1 5');
    expect(search('SEARCH (OR FROM root FROM Fred) UNSEEN')).toBe('* SEARCH 1 2');
    expect(search('SEARCH UID 4:*')).toBe('* SEARCH 4 5');
    expect(search('SEARCH RECENT NEW')).toBe('* SEARCH 1 2 3 4 5');
    expect(search('SEARCH OLD')).toBe('* SEARCH');
    c.send('st STORE 1,3 +FLAGS (\\Flagged \\Seen)', 'st2 STORE 2 +FLAGS (\\Deleted \\Draft $Work)');
    expect(search('SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"')).toBe('* SEARCH 1 3');
    expect(search('SEARCH SEEN')).toBe('* SEARCH 1 3');
    expect(search('SEARCH UNSEEN')).toBe('* SEARCH 2 4 5');
    expect(search('SEARCH DELETED DRAFT KEYWORD $Work')).toBe('* SEARCH 2');
    expect(search('SEARCH UNDELETED UNFLAGGED UNDRAFT UNANSWERED UNKEYWORD $Work')).toBe('* SEARCH 4 5');
    expect(search('UID SEARCH ANSWERED')).toBe('* SEARCH');
    converse(c, `
C: a1 SEARCH CHARSET KOI8-R TEXT "x"
S: a1 NO [BADCHARSET (US-ASCII UTF-8)] Unsupported charset KOI8-R
C: a2 SEARCH SINCE yesterday
S: a2 BAD Error in IMAP command SEARCH: Invalid date "yesterday"
C: a3 SEARCH FROBNICATE
S: a3 BAD Error in IMAP command SEARCH: Unknown search key "FROBNICATE"
`);
  });

  it('COPY gives COPYUID (RFC 4315 §3); into the selected mailbox it brings EXISTS and RECENT, as the lecture shows', () => {
    converse(joeInbox(), `
C: A003 COPY 2:4 saved-messages
S: A003 OK [COPYUID $ 2:4 1:3] COPY completed
C: A004 COPY 1 MEETING
S: A004 NO [TRYCREATE] Mailbox doesn't exist: MEETING
C: A282 COPY 1 INBOX
S: * 6 EXISTS
S: * 6 RECENT
S: A282 OK [COPYUID $ 1 6] COPY completed
C: A283 UID COPY 5:6 saved-messages
S: A283 OK [COPYUID $ 5:6 4:5] UID COPY completed
C: A284 STATUS saved-messages (MESSAGES)
S: * STATUS saved-messages (MESSAGES 5)
S: A284 OK STATUS completed
`);
  });

  it('RFC 3501 §6.4.3: each EXPUNGE renumbers the messages after it (3, 3, 5, 8 for messages 3, 4, 7 and 11); RECENT follows when its count changed', () => {
    const world = sandboxWorld();
    const c = imapLoggedIn(world, 'mrc');
    for (let i = 1; i <= 11; i++) {
      const message = `Subject: ${i}\r\n`;
      expect(c.sendRaw(`a${i} APPEND INBOX {${message.length}+}\r\n${message}\r\n`)).toMatch(/^a\d+ OK \[APPENDUID \d+ \d+\] APPEND completed\r\n$/);
    }
    c.send('s SELECT INBOX');
    converse(c, `
C: s1 STORE 3,4,7,11 +FLAGS.SILENT (\\Deleted)
S: s1 OK STORE completed
C: A202 EXPUNGE
S: * 3 EXPUNGE
S: * 3 EXPUNGE
S: * 5 EXPUNGE
S: * 8 EXPUNGE
S: * 7 RECENT
S: A202 OK EXPUNGE completed
C: A203 SEARCH ALL
S: * SEARCH 1 2 3 4 5 6 7
S: A203 OK SEARCH completed
C: A204 STORE 1:2 +FLAGS.SILENT (\\Deleted)
S: A204 OK STORE completed
C: A205 UID EXPUNGE 2:3
S: * 2 EXPUNGE
S: * 6 RECENT
S: A205 OK UID EXPUNGE completed
C: A341 CLOSE
S: A341 OK CLOSE completed
C: A342 STATUS INBOX (MESSAGES)
S: * STATUS INBOX (MESSAGES 5)
S: A342 OK STATUS completed
`);
  });

  it('MOVE (RFC 6851): COPYUID in an untagged OK, then the EXPUNGEs; UNSELECT leaves without expunging', () => {
    converse(joeInbox(), `
C: a1 MOVE 2:3 saved-messages
S: * OK [COPYUID $ 2:3 1:2] Moved UIDs.
S: * 2 EXPUNGE
S: * 2 EXPUNGE
S: * 3 RECENT
S: a1 OK MOVE completed
C: a2 UID MOVE 5 saved-messages
S: * OK [COPYUID $ 5 3] Moved UIDs.
S: * 3 EXPUNGE
S: * 2 RECENT
S: a2 OK UID MOVE completed
C: a3 STORE 1 +FLAGS.SILENT (\\Deleted)
S: a3 OK STORE completed
C: a4 UNSELECT
S: a4 OK UNSELECT completed
C: a5 STATUS INBOX (MESSAGES)
S: * STATUS INBOX (MESSAGES 2)
S: a5 OK STATUS completed
C: a6 CHECK
S: a6 BAD No mailbox selected
`);
  });
});

describe('several sessions on one mailbox (RFC 3501 §5.2, §7.4.1)', () => {
  it('one session sees the other\'s APPEND, STORE and EXPUNGE at its next command; \\Recent belongs to one session only', () => {
    const world = sandboxWorld();
    const a = joeInbox(world);
    const b = joeInbox(world);
    // b selected second: the messages were recent in a's session.
    expect(b.send('b1 FETCH 1 FLAGS')).toEqual(['* 1 FETCH (FLAGS ())', 'b1 OK FETCH completed']);
    expect(a.send('a1 STORE 2 +FLAGS (\\Seen)')).toEqual(['* 2 FETCH (FLAGS (\\Seen \\Recent))', 'a1 OK STORE completed']);
    expect(a.send('a2 APPEND INBOX {12+}', 'Subject: x', '').at(-3)).toBe('* 6 EXISTS');
    converse(b, `
C: b2 NOOP
S: * 6 EXISTS
S: * 0 RECENT
S: * 2 FETCH (FLAGS (\\Seen))
S: b2 OK NOOP completed
`);
    a.send('a3 STORE 1 +FLAGS.SILENT (\\Deleted)', 'a4 EXPUNGE');
    // RFC 3501 §7.4.1: no EXPUNGE while answering a FETCH, STORE or SEARCH; message 1 keeps its number.
    converse(b, `
C: b3 FETCH 1:2 UID
S: * 1 FETCH (UID 1)
S: * 2 FETCH (UID 2)
S: b3 OK FETCH completed
C: b4 SEARCH ALL
S: * SEARCH 2 3 4 5 6
S: b4 OK SEARCH completed
C: b5 NOOP
S: * 1 EXPUNGE
S: b5 OK NOOP completed
C: b6 FETCH 1 UID
S: * 1 FETCH (UID 2)
S: b6 OK FETCH completed
`);
  });

  it('RFC 2177 IDLE: updates arrive while idling, EXPUNGE included, until DONE', () => {
    const world = sandboxWorld();
    const a = joeInbox(world);
    const b = joeInbox(world);
    expect(b.send('A002 IDLE')).toEqual(['+ idling']);
    a.send('a1 APPEND INBOX {12+}', 'Subject: x', '');
    expect(splitLines(b.take())).toEqual(['* 6 EXISTS', '* 0 RECENT']);
    a.send('a2 STORE 2 +FLAGS.SILENT (\\Deleted)', 'a3 EXPUNGE');
    expect(splitLines(b.take())).toEqual(['* 2 FETCH (FLAGS (\\Deleted))', '* 2 EXPUNGE']);
    expect(b.send('DONE')).toEqual(['A002 OK IDLE terminated']);
    // Once IDLE is over, updates wait for the next command again.
    a.send('a4 STORE 1 +FLAGS.SILENT (\\Seen)');
    expect(b.take()).toBe('');
    expect(b.send('A003 IDLE')).toEqual(['+ idling', '* 1 FETCH (FLAGS (\\Seen))']);
    expect(b.send('NOT DONE')).toEqual(['A003 BAD Expected DONE']);
  });

  it('a mailbox deleted under another session ends that session with BYE; the deleting session just leaves it', () => {
    const world = sandboxWorld();
    const a = imapLoggedIn(world, 'joe');
    const b = imapLoggedIn(world, 'joe');
    a.send('a1 SELECT saved-messages');
    b.send('b1 SELECT saved-messages');
    expect(b.send('b2 DELETE saved-messages')).toEqual(['b2 OK DELETE completed']);
    expect(b.send('b3 FETCH 1 FLAGS')).toEqual(['b3 BAD No mailbox selected']);
    expect(a.send('a2 NOOP')).toEqual(['* BYE Selected mailbox was deleted, have to disconnect.']);
    expect(a.closed).toBe(true);
  });

  it('CLOSE expunges silently for the closing session, and the others hear EXPUNGE', () => {
    const world = sandboxWorld();
    const a = joeInbox(world);
    const b = joeInbox(world);
    expect(a.send('a1 STORE 4 +FLAGS.SILENT (\\Deleted)', 'a2 CLOSE')).toEqual(['a1 OK STORE completed', 'a2 OK CLOSE completed']);
    expect(b.send('b1 NOOP')).toEqual(['* 4 EXPUNGE', 'b1 OK NOOP completed']);
  });
});
