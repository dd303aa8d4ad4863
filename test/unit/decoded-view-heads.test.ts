/**
 * The test a session runs on every response before it loads the decoded views' parsers: when it says
 * a response has no view, decodedViews() must find none, for any response; and it must say so for the
 * responses of a plain session (FLAGS, BODY[], LIST of plain names), or the parsers load for nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayHaveDecodedViews } from '../../src/protocol/imap/decoded-view-heads.js';
import { decodedViews, type DecodedViewKind } from '../../src/protocol/imap/decoded-views.js';

const ALL: ReadonlySet<DecodedViewKind> = new Set(['mailbox', 'envelope', 'bodystructure']);
const B = (s: string) => Buffer.from(s, 'latin1');

/** Responses built from the pieces decoded views look at, in any order and case. */
const piece = fc.constantFrom(
  'FLAGS (\\Seen)', 'UID 7', 'RFC822.SIZE 44', 'BODY[] {5}', 'BODY[HEADER] "x"', 'BINARY[1] NIL', 'body[]', 'INTERNALDATE "17-Jul-1996 02:44:25 -0700"',
  'ENVELOPE (NIL "=?UTF-8?B?w6k=?=" NIL NIL NIL NIL NIL NIL NIL NIL)', 'envelope (NIL "plain" NIL NIL NIL NIL NIL NIL NIL NIL)',
  'BODYSTRUCTURE ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)', 'BODY ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 10 1)', 'body ("TEXT" "PLAIN" NIL NIL NIL "7BIT" 1 1)',
);
const fetch = fc.tuple(fc.integer({ min: 1, max: 99 }), fc.array(piece, { maxLength: 4 })).map(([n, items]) => [B(`* ${n} FETCH (${items.join(' ')})`)]);
const name = fc.constantFrom('INBOX', 'Entw&APw-rfe', '&-x', 'a&b', '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"', 'Ärger', '&Jjo!');
const mailbox = fc.tuple(fc.constantFrom('LIST () "/" ', 'lsub (\\Noselect) "." ', 'STATUS '), name).map(([head, n]) => [B(`* ${head}${n}${head.startsWith('STATUS') ? ' (MESSAGES 2)' : ''}`)]);
const views = fc.subarray(['mailbox', 'envelope', 'bodystructure'] as DecodedViewKind[]).map((v) => new Set(v));

describe('which responses may have a decoded view', () => {
  it('never says "none" of a response that has one', () => {
    fc.assert(
      fc.property(fc.oneof(fetch, mailbox), views, (segments, wanted) => {
        if (!mayHaveDecodedViews(segments, [], wanted)) expect(decodedViews(segments, [], wanted)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('looks into literals for a mailbox name, and not into a FETCH literal for item names', () => {
    const named = [B('* LIST () "/" {12}'), B('')];
    expect(mayHaveDecodedViews(named, [B('Entw&APw-rfe')], ALL)).toBe(true);
    expect(decodedViews(named, [B('Entw&APw-rfe')], ALL)).not.toEqual([]);
    expect(mayHaveDecodedViews(named, [B('Entwurf')], ALL)).toBe(false);
    expect(mayHaveDecodedViews([B('* 1 FETCH (BODY[] {21}'), B(')')], [B('BODYSTRUCTURE ENVELOPE')], ALL)).toBe(false);
  });

  it('says "none" for what a plain session sees, so that it loads no parser', () => {
    for (const line of ['* 3 FETCH (BODY[] {50000000}', '* 1 FETCH (FLAGS (\\Seen) UID 4)', '* LIST (\\HasNoChildren) "/" INBOX', '* STATUS INBOX (MESSAGES 3)', '* OK [UIDNEXT 4]', '* 2 EXISTS']) {
      expect(mayHaveDecodedViews([B(line)], [], ALL), line).toBe(false);
    }
    expect(mayHaveDecodedViews([B('* 1 FETCH (ENVELOPE (NIL "x" NIL NIL NIL NIL NIL NIL NIL NIL))')], [], new Set())).toBe(false);
  });
});
