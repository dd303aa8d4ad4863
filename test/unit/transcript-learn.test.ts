/**
 * Learning volatile values from two runs of one session: what differs in a value becomes a pattern,
 * what agrees stays, and a difference in a status, a name, a count or literal data is reported.
 */
import { describe, expect, it } from 'vitest';
import { parseTranscript } from '../../src/transcript/format.js';
import { learnFromRuns } from '../../src/transcript/learn.js';

const imap = (...lines: string[]) => parseTranscript(`# mailwire transcript v1\n# protocol: imap\n${lines.join('\n')}\n`);
const recorded = (...lines: string[]) => parseTranscript(`# mailwire transcript v1\n# protocol: imap\n# recorded: 2026-01-01T00:00:00Z\n${lines.join('\n')}\n`);
const pop3 = (...lines: string[]) => parseTranscript(`# mailwire transcript v1\n# protocol: pop3\n${lines.join('\n')}\n`);

function learn(first: ReturnType<typeof imap>, second: ReturnType<typeof imap>, protocol: 'imap' | 'pop3' = 'imap') {
  const r = learnFromRuns(first, second, protocol);
  return { learnt: r.learnt.map((l) => [l.line.lineNo, l.text, l.values]), disagreements: r.disagreements.map((d) => [d.first?.lineNo ?? null, d.reason]) };
}

describe('learning from two runs', () => {
  it('makes each differing value a pattern: a number, an atom, a quoted string, a <...> id', () => {
    const r = learn(
      imap('S: * OK IMAP ready', 'C: A1 SELECT INBOX', 'S: * 3 EXISTS', 'S: * OK [X-STAMP 1700000001] Ok', 'S: * OK [X-TOKEN ab12cd] node "east-1" <1.2@host>', 'S: A1 OK done'),
      imap('S: * OK IMAP ready', 'C: A1 SELECT INBOX', 'S: * 3 EXISTS', 'S: * OK [X-STAMP 1700000999] Ok', 'S: * OK [X-TOKEN zz99yy] node "west-2" <9.8@host>', 'S: A1 OK done'),
    );
    expect(r.learnt).toEqual([[6, '* OK [X-STAMP $] Ok', 1], [7, '* OK [X-TOKEN $] node $ <$>', 3]]);
    expect(r.disagreements).toEqual([]);
  });

  it('never patterns a count that differs: * 18 EXISTS against * 17 EXISTS is a regression', () => {
    const r = learn(imap('C: A1 SELECT INBOX', 'S: * 18 EXISTS', 'S: A1 OK done'), imap('C: A1 SELECT INBOX', 'S: * 17 EXISTS', 'S: A1 OK done'));
    expect(r.learnt).toEqual([]);
    expect(r.disagreements).toEqual([[4, 'the runs differ in a message number or count ("18" / "17"), which is never a pattern']]);
  });

  it('never patterns a status, a response name or a code name', () => {
    expect(learn(imap('C: A1 NOOP', 'S: A1 OK done'), imap('C: A1 NOOP', 'S: A1 NO done')).disagreements[0]?.[1]).toMatch(/name or status \("OK" \/ "NO"\)/);
    expect(learn(imap('C: A1 NOOP', 'S: * 1 EXPUNGE', 'S: A1 OK done'), imap('C: A1 NOOP', 'S: * 1 EXISTS', 'S: A1 OK done')).disagreements[0]?.[1]).toMatch(/"EXPUNGE" \/ "EXISTS"/);
    expect(learn(imap('C: A1 NOOP', 'S: A1 OK [ALERT] x', ''), imap('C: A1 NOOP', 'S: A1 OK [PARSE] x')).disagreements[0]?.[1]).toMatch(/"ALERT" \/ "PARSE"/);
    expect(learn(pop3('C: STAT', 'S: +OK 2 320'), pop3('C: STAT', 'S: -ERR 2 320'), 'pop3').disagreements[0]?.[1]).toMatch(/"\+OK" \/ "-ERR"/);
    // Text of words alone is text: "Logged in" against "Logged on" is a change, not a value.
    expect(learn(imap('C: A1 NOOP', 'S: A1 OK Logged in'), imap('C: A1 NOOP', 'S: A1 OK Logged on')).disagreements[0]?.[1]).toMatch(/"in" \/ "on"/);
  });

  it('compares literal data exactly, and lines of another shape are not learnt', () => {
    const literal = learn(
      imap('C: A1 FETCH 1 BODY[]', 'S: * 1 FETCH (BODY[] {5}', 'S: hello', 'S: )', 'S: A1 OK done'),
      imap('C: A1 FETCH 1 BODY[]', 'S: * 1 FETCH (BODY[] {5}', 'S: jello', 'S: )', 'S: A1 OK done'),
    );
    expect(literal.disagreements).toEqual([[5, 'the literal data differs (literal data is never a pattern)']]);
    const shape = learn(imap('C: A1 NOOP', 'S: * OK [X 1] a b'), imap('C: A1 NOOP', 'S: * OK [X 1] a'));
    expect(shape.disagreements).toEqual([[4, 'the lines differ in shape, not only in values']]);
    const shorter = learn(imap('C: A1 NOOP', 'S: A1 OK done', 'C: A2 NOOP', 'S: A2 OK done'), imap('C: A1 NOOP', 'S: A1 OK done'));
    expect(shorter.disagreements).toEqual([[5, 'the second run ends here']]);
  });

  it('keeps what is a pattern already, takes a pattern the second run has, and leaves client lines as the first run sent them', () => {
    const r = learn(
      imap('C: A1 LOGIN joe <secret>', 'S: A1 OK [X-ID 5] in 1.2', 'C: A2 NOOP', 'S: A2 OK [X-ID 7] $'),
      imap('C: A1 LOGIN joe <secret>', 'S: A1 OK [X-ID 6] in $', 'C: A2 NOOP', 'S: A2 OK [X-ID 7] 2.2'),
    );
    expect(r.learnt).toEqual([[4, 'A1 OK [X-ID $] in $', 2]]);
    expect(r.disagreements).toEqual([]);
  });

  it('reads two recordings with today\'s table first: one made by an older mailwire lines up with one made now', () => {
    const r = learn(
      recorded('C: A1 NOOP', 'S: A1 OK [X-ID 5] done (0.001 + 0.000 secs) SESSIONID=<host-1-2>'),
      recorded('C: A1 NOOP', 'S: A1 OK [X-ID 6] done $ SESSIONID=<$>'),
    );
    expect(r.learnt).toEqual([[5, 'A1 OK [X-ID $] done $ SESSIONID=<$>', 1]]);
    expect(r.disagreements).toEqual([]);
  });

  it('POP3: a differing unique-id in a multi-line reply becomes a pattern, the message number stays', () => {
    const r = learn(pop3('C: UIDL', 'S: +OK', 'S: 1 whq.1700', 'S: .'), pop3('C: UIDL', 'S: +OK', 'S: 1 whq.1800', 'S: .'), 'pop3');
    expect(r.learnt).toEqual([[5, '1 $', 1]]);
  });
});
