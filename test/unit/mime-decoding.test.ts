import { describe, expect, it } from 'vitest';
import { decodeEncodedWords } from '../../src/protocol/mime/encoded-words.js';
import { decodeParameters } from '../../src/protocol/mime/parameters.js';

const text = (s: string) => decodeEncodedWords(s).text;

describe('MIME encoded-words (RFC 2047)', () => {
  it('decodes the examples of RFC 2047 §8', () => {
    expect(text('=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>')).toBe('Keith Moore <moore@cs.utk.edu>');
    expect(text('=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>')).toBe('Keld Jørn Simonsen <keld@dkuug.dk>');
    expect(text('=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>')).toBe('André Pirard <PIRARD@vm1.ulg.ac.be>');
    expect(text('=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=')).toBe(
      'If you can read this you understand the example.',
    );
    expect(text('Nathaniel Borenstein <nsb@thumper.bellcore.com> (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)')).toBe(
      'Nathaniel Borenstein <nsb@thumper.bellcore.com> (םולש ןב ילטפנ)',
    );
  });

  it('follows the white-space rules of RFC 2047 §8 (the table of encoded forms)', () => {
    expect(text('(=?ISO-8859-1?Q?a?=)')).toBe('(a)');
    expect(text('(=?ISO-8859-1?Q?a?= b)')).toBe('(a b)');
    expect(text('(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(text('(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(text('(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)')).toBe('(ab)');
    expect(text('(=?ISO-8859-1?Q?a_b?=)')).toBe('(a b)');
    expect(text('(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)')).toBe('(a b)');
  });

  it('joins a UTF-8 character split across two words, as mailers do against §5', () => {
    // "é" is C3 A9: one octet in each word.
    expect(text('=?UTF-8?Q?Caf=C3?= =?UTF-8?Q?=A9?=')).toBe('Café');
  });

  it('takes RFC 2231 §5 languages, and leaves unknown charsets and malformed words as they are', () => {
    expect(text('=?US-ASCII*EN?Q?Keith_Moore?=')).toBe('Keith Moore');
    expect(decodeEncodedWords('=?x-unknown?Q?abc?=')).toEqual({ text: '=?x-unknown?Q?abc?=', decoded: false });
    expect(text('=?UTF-8?Q?bad=ZZ?=')).toBe('=?UTF-8?Q?bad=ZZ?=');
    expect(decodeEncodedWords('plain subject')).toEqual({ text: 'plain subject', decoded: false });
  });
});

describe('MIME parameters (RFC 2231)', () => {
  it('decodes the examples of RFC 2231 §3 and §4: continuations and charset\'language\'%XX', () => {
    expect(
      decodeParameters([
        ['URL*0', 'ftp://'],
        ['URL*1', 'cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar'],
      ]),
    ).toEqual([{ name: 'url', value: 'ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar', decoded: true }]);
    expect(decodeParameters([['title*', "us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A"]])).toEqual([
      { name: 'title', value: 'This is ***fun***', decoded: true },
    ]);
    expect(
      decodeParameters([
        ['title*0*', "us-ascii'en'This%20is%20even%20more%20"],
        ['title*1*', '%2A%2A%2Afun%2A%2A%2A%20'],
        ['title*2', 'isn\'t it!'],
      ]),
    ).toEqual([{ name: 'title', value: "This is even more ***fun*** isn't it!", decoded: true }]);
  });

  it('decodes encoded-words mailers put in quoted values, and keeps plain ones', () => {
    expect(decodeParameters([['name', '=?UTF-8?B?UmVjaG51bmfigqwucGRm?='], ['charset', 'us-ascii']])).toEqual([
      { name: 'name', value: 'Rechnung€.pdf', decoded: true },
      { name: 'charset', value: 'us-ascii', decoded: false },
    ]);
  });
});
