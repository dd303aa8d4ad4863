/**
 * The sandbox's reading of messages: RFC 5322 address lists into ENVELOPE addresses (RFC 3501
 * §7.4.2), MIME part trees and their octet spans (RFC 2046), dates (RFC 3501 §9, RFC 5322 §3.3),
 * encoded words and transfer encodings for SEARCH, sequence sets and mailbox-name patterns.
 */
import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../src/sandbox/address-list.js';
import { envelope } from '../../src/sandbox/envelope-structure.js';
import { dayNumber, formatImapDateTime, parseImapDateTime, parseMessageDate, parseSearchDate } from '../../src/sandbox/mail-dates.js';
import { canonicalMailboxName, hierarchyRoot, mailboxNameOnWire, mailboxPattern } from '../../src/sandbox/mailbox-names.js';
import { findPart, parseMessage, toCrlf } from '../../src/sandbox/mime-message.js';
import { serializeResponseValue } from '../../src/sandbox/response-values.js';
import { formatSequenceSet, inSequenceSet, parseSequenceSet } from '../../src/sandbox/sequence-set.js';
import { decodeEncodedWords, decodeQuotedPrintable, decodeTransferEncoding } from '../../src/sandbox/text-decoding.js';

const addresses = (text: string) => parseAddressList(text).map((a) => [a.name, a.adl, a.mailbox, a.host]);

describe('address lists (RFC 5322 §3.4) as ENVELOPE addresses', () => {
  it('reads names, angle addresses, bare addresses and comments', () => {
    expect(addresses('Terry Gray <gray@cac.washington.edu>')).toEqual([['Terry Gray', null, 'gray', 'cac.washington.edu']]);
    expect(addresses('minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>')).toEqual([
      [null, null, 'minutes', 'CNRI.Reston.VA.US'],
      ['John Klensin', null, 'KLENSIN', 'MIT.EDU'],
    ]);
    expect(addresses('"Smith, John" <js@example.org>')).toEqual([['Smith, John', null, 'js', 'example.org']]);
    expect(addresses('root@phys.petrus.ru (Cron Daemon)')).toEqual([['Cron Daemon', null, 'root', 'phys.petrus.ru']]);
    expect(addresses('=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>')).toEqual([['=?ISO-8859-1?Q?Andr=E9?= Pirard', null, 'PIRARD', 'vm1.ulg.ac.be']]);
  });

  it('writes a group as its start and end markers, and keeps an obsolete route as the adl', () => {
    expect(addresses('A Group: ed@example.org, <jo@example.org>; ann@example.org')).toEqual([
      [null, null, 'A Group', null],
      [null, null, 'ed', 'example.org'],
      [null, null, 'jo', 'example.org'],
      [null, null, null, null],
      [null, null, 'ann', 'example.org'],
    ]);
    expect(addresses('undisclosed-recipients:;')).toEqual([[null, null, 'undisclosed-recipients', null], [null, null, null, null]]);
    expect(addresses('Mary <@relay.example,@gw.example:mary@example.net>')).toEqual([['Mary', '@relay.example,@gw.example', 'mary', 'example.net']]);
  });

  it('keeps what it cannot fully parse rather than dropping it', () => {
    expect(addresses('postmaster')).toEqual([[null, null, 'postmaster', 'MISSING_DOMAIN']]);
    expect(addresses('')).toEqual([]);
    expect(addresses('a@b, , c@d')).toEqual([[null, null, 'a', 'b'], [null, null, 'c', 'd']]);
  });

  it('ENVELOPE defaults Sender and Reply-To to From, and writes addresses without blanks between them (RFC 3501 §9)', () => {
    const m = parseMessage(Buffer.from('From: a@x.example\r\nTo: b@y.example, c@z.example\r\nSubject: hi\r\n\r\nbody\r\n'));
    expect(serializeResponseValue(envelope(m.fields)).toString()).toBe(
      '(NIL "hi" ((NIL NIL "a" "x.example")) ((NIL NIL "a" "x.example")) ((NIL NIL "a" "x.example")) ((NIL NIL "b" "y.example")(NIL NIL "c" "z.example")) NIL NIL NIL NIL)',
    );
  });

  it('sends 8-bit header text as a literal, and quotes what needs quoting', () => {
    const m = parseMessage(Buffer.from('Subject: Grüße "dear" \\ friends\r\n\r\n', 'utf8'));
    const text = serializeResponseValue(envelope(m.fields)).toString('utf8');
    expect(text).toBe('(NIL {24}\r\nGrüße "dear" \\ friends NIL NIL NIL NIL NIL NIL NIL NIL)');
    const ascii = parseMessage(Buffer.from('Subject: say "hi" \\o/\r\n\r\n'));
    expect(serializeResponseValue(envelope(ascii.fields)).toString()).toContain('"say \\"hi\\" \\\\o/"');
  });
});

describe('MIME structure (RFC 2045, RFC 2046)', () => {
  const nested = toCrlf(
    Buffer.from(
      [
        'Content-Type: multipart/mixed; boundary=outer',
        '',
        'preamble',
        '--outer',
        'Content-Type: multipart/alternative; boundary="inner"',
        '',
        '--inner',
        '',
        'plain',
        '--inner',
        'Content-Type: text/html',
        '',
        '<p>html</p>',
        '--inner--',
        '--outer',
        'Content-Type: message/rfc822',
        '',
        'Subject: inside',
        '',
        'inner body',
        '--outer--',
        'epilogue',
        '',
      ].join('\n'),
    ),
  );

  it('numbers parts as RFC 3501 §6.4.5 does, nested multiparts and encapsulated messages included', () => {
    const root = parseMessage(nested);
    const body = (path: number[]) => {
      const p = findPart(root, path);
      return p ? nested.subarray(p.bodyStart, p.bodyEnd).toString() : null;
    };
    expect(body([1, 1])).toBe('plain');
    expect(body([1, 2])).toBe('<p>html</p>');
    expect(findPart(root, [1])?.subtype).toBe('alternative');
    expect(body([2])).toBe('Subject: inside\r\n\r\ninner body');
    expect(body([2, 1])).toBe('inner body');
    expect(findPart(root, [3])).toBeNull();
    expect(findPart(root, [1, 1, 1])?.type).toBe('text');
  });

  it('a message without MIME is one text/plain part, and line endings become CRLF', () => {
    const raw = toCrlf(Buffer.from('Subject: x\n\nline 1\nline 2\n'));
    expect(raw.toString()).toBe('Subject: x\r\n\r\nline 1\r\nline 2\r\n');
    const root = parseMessage(raw);
    expect([root.type, root.subtype, root.params, root.bodyLines]).toEqual(['text', 'plain', [['charset', 'us-ascii']], 2]);
    expect(findPart(root, [1])).toBe(root);
    expect(findPart(root, [2])).toBeNull();
  });

  it('survives a missing close delimiter, a header without body, and absurd nesting', () => {
    const open = parseMessage(Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nonly part\r\n'));
    expect(open.children).toHaveLength(1);
    expect(parseMessage(Buffer.from('Subject: no body')).fields.map((f) => f.name)).toEqual(['Subject']);
    const deep = Buffer.from('Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n'.repeat(200));
    expect(() => parseMessage(deep)).not.toThrow();
  });
});

describe('dates', () => {
  it('formats INTERNALDATE with a space-padded day (RFC 3501 §9 date-day-fixed) in the zone it was written in', () => {
    const z = parseImapDateTime(' 1-Oct-2010 21:21:42 +0400');
    expect(z && formatImapDateTime(z)).toBe(' 1-Oct-2010 21:21:42 +0400');
    expect(z?.date.toISOString()).toBe('2010-10-01T17:21:42.000Z');
    expect(parseImapDateTime('17-Jul-1996 02:44:25 -0700') && formatImapDateTime(parseImapDateTime('17-Jul-1996 02:44:25 -0700')!)).toBe('17-Jul-1996 02:44:25 -0700');
    expect(parseImapDateTime('31-Feb-2024 00:00:00 +0000')).toBeNull();
    expect(parseImapDateTime('1-Foo-2024 00:00:00 +0000')).toBeNull();
  });

  it('reads RFC 5322 dates, obsolete forms included, and compares calendar days in their own zone', () => {
    const d = parseMessageDate('Wed, 17 Jul 1996 02:23:25 -0700 (PDT)');
    expect(d && dayNumber(d)).toBe(19960717);
    expect(parseMessageDate('17 Jul 96 02:23 PDT')?.date.toISOString()).toBe('1996-07-17T09:23:00.000Z');
    expect(parseMessageDate('Fri,  1 Oct 2010 21:21:42 +0400 (MSD)')?.date.toISOString()).toBe('2010-10-01T17:21:42.000Z');
    expect(parseMessageDate('not a date')).toBeNull();
    // 23:30 -0800 is the next day in UTC, but SEARCH ON compares the day as written.
    const late = parseMessageDate('Mon, 7 Feb 1994 23:30:00 -0800');
    expect(late && dayNumber(late)).toBe(19940207);
    expect(parseSearchDate('1-Feb-1994')).toBe(19940201);
    expect(parseSearchDate('1-Febr-1994')).toBeNull();
  });
});

describe('decoding for SEARCH', () => {
  it('decodes RFC 2047 §8\'s encoded words, dropping the blank between adjacent ones', () => {
    expect(decodeEncodedWords('=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?= =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=')).toBe('If you can read this you understand the example.');
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>')).toBe('Keld Jørn Simonsen <keld@dkuug.dk>');
    expect(decodeEncodedWords('(=?ISO-8859-1?Q?a?= b)')).toBe('(a b)');
    expect(decodeEncodedWords('plain =?bogus')).toBe('plain =?bogus');
  });

  it('undoes quoted-printable (soft line breaks too) and base64', () => {
    expect(decodeQuotedPrintable('J=F8rn=\r\nsen=3D').toString('latin1')).toBe('Jørnsen=');
    expect(decodeTransferEncoding(Buffer.from('aGVs\r\nbG8='), 'BASE64').toString()).toBe('hello');
    expect(decodeTransferEncoding(Buffer.from('as is'), '8bit').toString()).toBe('as is');
  });
});

describe('sequence sets (RFC 3501 §9) and mailbox names (RFC 3501 §5.1, §6.3.8)', () => {
  it('"*" is the largest number, and a range means the same whichever end comes first', () => {
    const set = parseSequenceSet('2,4:*')!;
    expect([1, 2, 3, 4, 5].filter((n) => inSequenceSet(set, n, 5))).toEqual([2, 4, 5]);
    // RFC 3501 §6.4.8: "559:*" includes the last message even when 559 is above every UID.
    expect(inSequenceSet(parseSequenceSet('559:*')!, 17, 17)).toBe(true);
    expect(inSequenceSet(parseSequenceSet('*')!, 1, 0)).toBe(false);
    for (const bad of ['', '0', '1:', ':2', '1:2:3', 'a', '1,,2', '4294967296']) expect(parseSequenceSet(bad), bad).toBeNull();
    expect(formatSequenceSet([1, 2, 3, 5, 7, 8])).toBe('1:3,5,7:8');
  });

  it('INBOX is case-insensitive; "%" stops at the separator, "*" does not', () => {
    expect(canonicalMailboxName('inbox')).toBe('INBOX');
    expect(canonicalMailboxName('Inbox/Sent')).toBe('INBOX/Sent');
    expect(canonicalMailboxName('Inboxes')).toBe('Inboxes');
    const percent = mailboxPattern('a/%');
    expect(['a', 'a/b', 'a/b/c', 'ab'].filter((n) => percent.matches(n))).toEqual(['a/b']);
    const star = mailboxPattern('a*');
    expect(['a', 'a/b', 'a/b/c', 'ab', 'b'].filter((n) => star.matches(n))).toEqual(['a', 'a/b', 'a/b/c', 'ab']);
    expect(mailboxPattern('inbox').matches('INBOX')).toBe(true);
    expect(mailboxPattern('a.b').matches('axb')).toBe(false);
    expect(hierarchyRoot('/usr/staff/jones')).toBe('/');
    expect(hierarchyRoot('~/Mail/')).toBe('~/');
    expect(hierarchyRoot('#news.comp.mail.misc')).toBe('');
  });

  it('writes names as atoms when it can, quoted or as literals when it must', () => {
    const wire = (n: string) => mailboxNameOnWire(n).toString('utf8');
    expect(wire('foo/bar')).toBe('foo/bar');
    expect(wire('')).toBe('""');
    expect(wire('Sent Items')).toBe('"Sent Items"');
    expect(wire('NIL')).toBe('"NIL"');
    expect(wire('a"b')).toBe('"a\\"b"');
    expect(wire('Входящие')).toBe('{16}\r\nВходящие');
  });
});
