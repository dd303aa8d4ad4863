/**
 * Patterns: `$name` captures and back-references, `$` wildcards, `$$` dollars; a hole takes one
 * value (atom, quoted string, group), the last hole the rest of the line.
 */
import { describe, expect, it } from 'vitest';
import { englishReplay } from '../../src/transcript/replay-words.js';
import { escapePatternText, matchPattern, parsePattern, substitutePattern, UnboundCaptureError } from '../../src/transcript/pattern.js';

/** The match, what it wanted said in English (the words replay's English report uses). */
const match = (pattern: string, text: string, captures: Map<string, string> = new Map()) => {
  const m = matchPattern(parsePattern(pattern), text, captures);
  return m.ok ? m : { ...m, wanted: englishReplay(m.wanted) };
};

describe('patterns', () => {
  it('captures a UIDVALIDITY inside a response code, stopping at the bracket', () => {
    expect(match('* OK [UIDVALIDITY $uv] UIDs valid', '* OK [UIDVALIDITY 3857529045] UIDs valid')).toEqual({ ok: true, captured: [['uv', '3857529045']] });
  });

  it('meets a captured value again, and says where it does not', () => {
    const captures = new Map([['uv', '3857529045']]);
    expect(match('* STATUS INBOX (UIDVALIDITY $uv)', '* STATUS INBOX (UIDVALIDITY 3857529045)', captures)).toEqual({ ok: true, captured: [] });
    const other = match('* STATUS INBOX (UIDVALIDITY $uv)', '* STATUS INBOX (UIDVALIDITY 1)', captures);
    expect(other).toEqual({ ok: false, at: 28, wanted: '$uv (captured as "3857529045")' });
  });

  it('takes a quoted string, a parenthesized group or an APOP timestamp as one value', () => {
    expect(match('* 2 FETCH (INTERNALDATE $ UID 34)', '* 2 FETCH (INTERNALDATE " 1-Oct-2010 21:21:42 +0400" UID 34)').ok).toBe(true);
    expect(match('A003 OK Select completed $.', 'A003 OK Select completed (0.003 + 0.000 + 0.002 secs).').ok).toBe(true);
    expect(match('+OK Dovecot ready. <$>', '+OK Dovecot ready. <51a8.6.6b08c6f3.6Ua1w7J3FWkGqRt1lUHOig==@vm>').ok).toBe(true);
    expect(match('* $ EXISTS', '* 172 EXISTS').ok).toBe(true);
    expect(match('* $ EXISTS', '* 1 2 EXISTS').ok).toBe(false);
  });

  it('lets a hole at the end take the rest of the line, and never an empty value in the middle', () => {
    expect(match('A1 OK $', 'A1 OK Logged in, welcome').ok).toBe(true);
    expect(match('A1 $ done', 'A1  done')).toMatchObject({ ok: false, wanted: 'a value for $' });
  });

  it('reads $$ as a dollar sign, and compares text exactly (case included)', () => {
    expect(match('* FLAGS ($$Forwarded \\Seen)', '* FLAGS ($Forwarded \\Seen)').ok).toBe(true);
    expect(match('* FLAGS ($$Forwarded)', '* FLAGS ($Junk)').ok).toBe(false);
    expect(match('a1 OK done', 'a1 ok done')).toEqual({ ok: false, at: 3, wanted: '"OK done"' });
    expect(match('a1 OK done', 'a1 OK done and more')).toEqual({ ok: false, at: 10, wanted: 'the end of the line' });
  });

  it('substitutes captures into a line to send; an unbound one is an error', () => {
    const captures = new Map([['uid', '34']]);
    expect(substitutePattern(parsePattern('A5 UID FETCH $uid (FLAGS) costs $$5'), captures)).toBe('A5 UID FETCH 34 (FLAGS) costs $5');
    expect(() => substitutePattern(parsePattern('A5 UID FETCH $nope FLAGS'), captures)).toThrow(UnboundCaptureError);
    expect(() => substitutePattern(parsePattern('A5 FETCH $ FLAGS'), captures)).toThrow(/bare "\$"/);
    expect(substitutePattern(parsePattern('* OK [UIDVALIDITY $uv]'), captures, ({ before }) => (before.endsWith('UIDVALIDITY ') ? '7' : '?'))).toBe('* OK [UIDVALIDITY 7]');
  });

  it('escapes text so that it reads back as itself', () => {
    const text = 'cost $5 and $$';
    expect(match(escapePatternText(text), text).ok).toBe(true);
    expect(substitutePattern(parsePattern(escapePatternText(text)), new Map())).toBe(text);
  });
});
