/**
 * The table of volatile values and the rewriting it drives, on lines real servers send (Cyrus 3.6,
 * Dovecot 2.3, Gmail and Exchange as their documentation and greetings show them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VolatileRewriter, holdsHole } from '../../src/transcript/volatile-rewrite.js';
import { VOLATILE_VALUES } from '../../src/transcript/volatile-values.js';

const imap = (line: string, greeting = false) => new VolatileRewriter('imap').imapSegment(line, true, greeting);
const pop3 = (line: string, greeting = false) => new VolatileRewriter('pop3').pop3Status(line, greeting);

describe('the table', () => {
  it('names servers and a source for every value, with unique ids', () => {
    const ids = VOLATILE_VALUES.map((v) => v.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const v of VOLATILE_VALUES) {
      expect(v.servers.length, v.id).toBeGreaterThan(0);
      expect(v.source, v.id).toMatch(/RFC \d+|https:\/\/|source|observed/);
    }
  });

  it('holds no status, response name or response-code name that is not followed by its value', () => {
    const names = VOLATILE_VALUES.flatMap((v) => (v.shape.kind === 'item' ? [v.shape.name] : []));
    for (const forbidden of ['OK', 'NO', 'BAD', 'BYE', 'PREAUTH', '+OK', '-ERR', 'FETCH', 'EXISTS', 'RECENT', 'EXPUNGE', 'SEARCH', 'STATUS', 'CAPABILITY']) {
      expect(names).not.toContain(forbidden);
    }
  });
});

describe('rewriting a line', () => {
  it.each([
    // Cyrus IMAP 3.6
    ['A001 OK [CAPABILITY IMAP4rev1 LITERAL+ ID] User logged in SESSIONID=<localhost-1796330181-15347-1-17652566481864063281>',
      'A001 OK [CAPABILITY IMAP4rev1 LITERAL+ ID] User logged in SESSIONID=<$>'],
    ['* OK [MAILBOXID (lak0s4eyh4cheohgxut1vwae)] Ok', '* OK [MAILBOXID ($)] Ok'],
    ['* OK [HIGHESTMODSEQ 4] CONDSTORE enabled by MODSEQ fetch', '* OK [HIGHESTMODSEQ $] CONDSTORE enabled by MODSEQ fetch'],
    ['* 1 FETCH (FLAGS (\\Recent) INTERNALDATE " 3-Dec-2026 20:53:16 +0000" MODSEQ (2) RFC822.SIZE 305 EMAILID (Mba1d61fa45a16c0961c7fcd9) THREADID (NIL) SAVEDATE " 3-Dec-2026 20:53:16 +0000")',
      '* 1 FETCH (FLAGS (\\Recent) INTERNALDATE $ MODSEQ ($) RFC822.SIZE 305 EMAILID ($) THREADID (NIL) SAVEDATE $)'],
    ['A003 OK Completed (0.000 secs 3 calls)', 'A003 OK Completed $'],
    ['* STATUS INBOX (MESSAGES 4 UIDNEXT 5 UIDVALIDITY 1796331198 HIGHESTMODSEQ 7 MAILBOXID (F2sd5jw))', '* STATUS INBOX (MESSAGES 4 UIDNEXT 5 UIDVALIDITY $uidvalidity HIGHESTMODSEQ $ MAILBOXID ($))'],
    ['A007 OK [APPENDUID 1796331198 4] Completed', 'A007 OK [APPENDUID $uidvalidity 4] Completed'],
    // Dovecot 2.3
    ['A003 OK Fetch completed (0.001 + 0.000 secs).', 'A003 OK Fetch completed $.'],
    ['* 1 FETCH (X-GUID "b2a6a40c1f8b5b65b10a0000cf3b32d1" FLAGS ())', '* 1 FETCH (X-GUID $ FLAGS ())'],
    // RFC 7162 §3.1.5: the MODSEQ of a SEARCH result
    ['* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ 917162500)', '* SEARCH 2 5 6 7 11 12 18 19 20 23 (MODSEQ $)'],
    // Gmail (developers.google.com/gmail/imap/imap-extensions)
    ['* 1 FETCH (X-GM-THRID 1278455344230334865 X-GM-MSGID 1278455344230334865 UID 1)', '* 1 FETCH (X-GM-THRID $ X-GM-MSGID $ UID 1)'],
    // THREADID NIL (RFC 8474 §5.2) is a fact about the message, not a volatile value
    ['* 1 FETCH (THREADID NIL)', '* 1 FETCH (THREADID NIL)'],
    ['* 1 FETCH (THREADID (T4a5b))', '* 1 FETCH (THREADID ($))'],
  ])('%s', (line, expected) => {
    expect(imap(line)).toBe(expected);
  });

  it('leaves statuses, names, untagged counts and quoted text alone', () => {
    for (const line of ['* 3 EXISTS', '* 0 RECENT', 'A1 OK [READ-WRITE] SELECT completed', 'A2 NO [TRYCREATE] no such mailbox', '* BYE LOGOUT received',
      '* 1 FETCH (ENVELOPE (NIL "MODSEQ (5) and SESSIONID=<x>" NIL NIL NIL NIL NIL NIL NIL NIL))', '* LIST () "." MODSEQ', '* STATUS MODSEQ (MESSAGES 1)']) {
      expect(imap(line)).toBe(line);
    }
  });

  it('reads a CAPABILITY response code as capability names: SAVEDATE there has no value', () => {
    // Dovecot 2.3's LOGIN completion: SAVEDATE (RFC 8514) is a capability, LITERAL+ the next one.
    for (const line of [
      'A001 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SPECIAL-USE SAVEDATE LITERAL+ MODSEQ X-GUID] Logged in',
      '* OK [capability IMAP4rev1 SAVEDATE THREADID MAILBOXID] Dovecot ready.',
    ]) {
      expect(imap(line)).toBe(line);
    }
    // What follows the code is read as before.
    expect(imap('* OK [CAPABILITY IMAP4rev1 SAVEDATE ID] ready [HIGHESTMODSEQ 4]')).toBe('* OK [CAPABILITY IMAP4rev1 SAVEDATE ID] ready [HIGHESTMODSEQ $]');
    expect(imap('* 1 FETCH (SAVEDATE "3-Dec-2026 20:53:16 +0000" FLAGS ())')).toBe('* 1 FETCH (SAVEDATE $ FLAGS ())');
  });

  it('carries the nesting across a literal: a MODSEQ after BODY[] is still a FETCH item', () => {
    const rewriter = new VolatileRewriter('imap');
    expect(rewriter.imapSegment('* 2 FETCH (BODY[] {5}', true)).toBe('* 2 FETCH (BODY[] {5}');
    expect(rewriter.imapSegment(' MODSEQ (5))', false)).toBe(' MODSEQ ($))');
  });

  it('names each UIDVALIDITY by its value, so that later lines are held to it', () => {
    const rewriter = new VolatileRewriter('imap');
    expect(rewriter.imapSegment('* OK [UIDVALIDITY 17] Ok', true)).toBe('* OK [UIDVALIDITY $uidvalidity] Ok');
    expect(rewriter.imapSegment('* STATUS Sent (UIDVALIDITY 42)', true)).toBe('* STATUS Sent (UIDVALIDITY $uidvalidity2)');
    expect(rewriter.imapSegment('A4 OK [COPYUID 17 1 3] Done', true)).toBe('A4 OK [COPYUID $uidvalidity 1 3] Done');
  });

  it('POP3: Cyrus\'s SESSIONID, and Exchange\'s back-end name after its greeting', () => {
    expect(pop3('+OK Mailbox locked and ready SESSIONID=<localhost-1796330181-15357-1-10529801951911205506>')).toBe('+OK Mailbox locked and ready SESSIONID=<$>');
    expect(pop3('+OK The Microsoft Exchange POP3 service is ready. [QQBNADQAUABSADAANABDAEEAMAAwADMANAAuAG4AYQBtAHAAcgBkADAANAAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]', true))
      .toBe('+OK The Microsoft Exchange POP3 service is ready. $');
    expect(imap('* OK The Microsoft Exchange IMAP4 service is ready. [TQBOADIAUABSADAAMgBDAEEAMAAwADUAOQAuAGUAdQByAHAAcgBkADAAMgAuAHAAcgBvAGQALgBvAHUAdABsAG8AbwBrAC4AYwBvAG0A]', true))
      .toBe('* OK The Microsoft Exchange IMAP4 service is ready. $');
    // Not the greeting: left alone.
    expect(pop3('+OK service is ready. now')).toBe('+OK service is ready. now');
  });

  it('Gmail: the address and connection id after its greetings, the id after its CAPABILITY completion', () => {
    expect(imap('* OK Gimap ready for requests from 192.0.2.1 l10mb12345678abc', true)).toBe('* OK Gimap ready for requests from $');
    // Google's own sample greeting (developers.google.com/gmail/imap/imap-extensions).
    expect(imap('* OK Gimap ready for requests from 127.0.0.1 k2if6111336rvb.0', true)).toBe('* OK Gimap ready for requests from $');
    expect(pop3('+OK Gpop ready for requests from 192.0.2.1 l10mb12345678abc', true)).toBe('+OK Gpop ready for requests from $');
    expect(imap('A1 OK Thats all she wrote! l10mb12345678abc')).toBe('A1 OK Thats all she wrote! $');
    // Only a completion's text: the same words in untagged data stay.
    expect(imap('* OK Thats all she wrote! l10mb12345678abc')).toBe('* OK Thats all she wrote! l10mb12345678abc');
    // Gmail's other completions carry no id.
    expect(imap('A4 OK 73 good day (Success)')).toBe('A4 OK 73 good day (Success)');
  });

  it('changes nothing the second time (a recording made today is read as it is)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('MODSEQ', 'SESSIONID=<a-1>', '(', ')', '[', ']', ' ', '"x y"', '17', 'UIDVALIDITY', 'NIL', '$', 'SAVEDATE', 'OK', '(0.001 secs)', 'MAILBOXID'), { maxLength: 30 }), (words) => {
      const line = `* ${words.join('')}`;
      const once = imap(line);
      expect(imap(once)).toBe(once);
    }));
  });

  it('holdsHole tells a hole from a doubled dollar', () => {
    expect(holdsHole('$')).toBe(true);
    expect(holdsHole('($)')).toBe(true);
    expect(holdsHole('$$')).toBe(false);
    expect(holdsHole('a$$b')).toBe(false);
    expect(holdsHole('$$$')).toBe(true);
  });
});
