/**
 * parseImapResponseHead (RFC 3501 §7, §9 `response`): the head of each kind of response, and, for
 * any line, the reading that cuts words with tuples as it once did (kept here as the reference).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImapResponseHead, type ImapResponseCode, type ImapResponseHead, type ImapStatus } from '../../src/protocol/imap/response.js';

const STATUSES = new Set(['OK', 'NO', 'BAD', 'PREAUTH', 'BYE']);

function firstWord(text: string): [string, string] {
  const space = text.indexOf(' ');
  return space < 0 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)];
}

function splitCode(text: string): { code: ImapResponseCode | null; text: string } {
  if (!text.startsWith('[')) return { code: null, text };
  const close = text.indexOf(']');
  if (close < 0) return { code: null, text };
  const [name, rest] = firstWord(text.slice(1, close));
  return { code: { name: name.toUpperCase(), text: rest }, text: text.slice(close + 1).replace(/^ /, '') };
}

/** The reading as written before words were cut by offsets. */
function referenceHead(line: string): ImapResponseHead {
  if (line === '+' || line.startsWith('+ ')) return { kind: 'continuation', text: line.slice(2) };
  const [tag, rest] = firstWord(line);
  if (tag === '*') {
    const [word, after] = firstWord(rest);
    if (/^\d+$/.test(word)) {
      const [name, tail] = firstWord(after);
      return { kind: 'untagged', status: null, code: null, number: Number(word), name: name.toUpperCase(), text: tail };
    }
    const upper = word.toUpperCase();
    if (STATUSES.has(upper)) {
      const { code, text } = splitCode(after);
      return { kind: 'untagged', status: upper as ImapStatus, code, number: null, name: upper, text };
    }
    return { kind: 'untagged', status: null, code: null, number: null, name: upper, text: after };
  }
  const [word, after] = firstWord(rest);
  const upper = word.toUpperCase();
  const status = STATUSES.has(upper) ? (upper as ImapStatus) : null;
  const { code, text } = status ? splitCode(after) : { code: null, text: rest };
  return { kind: 'tagged', tag, status, code, text };
}

describe('parseImapResponseHead', () => {
  it('reads tagged, untagged and continuation heads', () => {
    expect(parseImapResponseHead('a1 OK done')).toEqual({ kind: 'tagged', tag: 'a1', status: 'OK', code: null, text: 'done' });
    expect(parseImapResponseHead('A2 ok [READ-ONLY] EXAMINE done')).toEqual({ kind: 'tagged', tag: 'A2', status: 'OK', code: { name: 'READ-ONLY', text: '' }, text: 'EXAMINE done' });
    expect(parseImapResponseHead('A142 LIST Completed')).toEqual({ kind: 'tagged', tag: 'A142', status: null, code: null, text: 'LIST Completed' });
    expect(parseImapResponseHead('* 3 EXISTS')).toEqual({ kind: 'untagged', status: null, code: null, number: 3, name: 'EXISTS', text: '' });
    expect(parseImapResponseHead('* OK [UIDVALIDITY 3857529045] UIDs valid')).toEqual({ kind: 'untagged', status: 'OK', code: { name: 'UIDVALIDITY', text: '3857529045' }, number: null, name: 'OK', text: 'UIDs valid' });
    expect(parseImapResponseHead('+ go ahead')).toEqual({ kind: 'continuation', text: 'go ahead' });
    expect(parseImapResponseHead('a3')).toEqual({ kind: 'tagged', tag: 'a3', status: null, code: null, text: '' });
  });

  it('reads any line as the reference reading does', () => {
    const unit = fc.constantFrom(...'aA1*+ []OKNBDYEPRoknx0\t'.split(''));
    const piece = fc.oneof(fc.constantFrom('a1 ', '* ', '+', 'OK ', 'ok', 'NO ', 'BAD', 'BYE ', 'PREAUTH', '[', ']', '12 ', 'FETCH', '[CAPABILITY IMAP4rev1]', ' '), fc.string({ unit, maxLength: 4 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), (pieces) => {
        const line = pieces.join('');
        expect(parseImapResponseHead(line), JSON.stringify(line)).toEqual(referenceHead(line));
      }),
      { numRuns: 3000 },
    );
  });
});
