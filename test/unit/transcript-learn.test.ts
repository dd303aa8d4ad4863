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
    expect(r.disagreements).toEqual([[4, 'the runs differ in a message number, count or size ("18" / "17"), which is never a pattern']]);
  });

  it('never patterns a count, a message number or a size in STATUS, [UNSEEN n], RFC822.SIZE, POP3 LIST; nor a message\'s text', () => {
    const notLearnt = (a: ReturnType<typeof imap>, b: ReturnType<typeof imap>, protocol: 'imap' | 'pop3' = 'imap') => {
      const r = learn(a, b, protocol);
      expect(r.learnt).toEqual([]);
      return r.disagreements.map(([, reason]) => reason);
    };
    const count = /^the runs differ in a message number, count or size \("\d+" \/ "\d+"\), which is never a pattern$/;
    for (const [x, y] of [
      ['S: * STATUS blurdybloop (MESSAGES 3 UIDNEXT 5)', 'S: * STATUS blurdybloop (MESSAGES 4 UIDNEXT 5)'],
      ['S: * OK [UNSEEN 1] first unseen', 'S: * OK [UNSEEN 2] first unseen'],
      ['S: * 1 FETCH (RFC822.SIZE 743 UID 7)', 'S: * 1 FETCH (RFC822.SIZE 750 UID 7)'],
    ]) {
      expect(notLearnt(imap('C: A1 NOOP', x as string, 'S: A1 OK done'), imap('C: A1 NOOP', y as string, 'S: A1 OK done')), x).toEqual([expect.stringMatching(count)]);
    }
    const list = (size: number) => pop3('S: +OK ready', 'C: LIST', 'S: +OK 1 messages', `S: 1 ${size}`, 'S: .');
    expect(notLearnt(list(48), list(50), 'pop3')).toEqual([expect.stringMatching(count)]);
    const retr = (body: string) => pop3('S: +OK ready', 'C: RETR 1', 'S: +OK message follows', 'S: Subject: hi', 'S:', `S: ${body}`, 'S: .');
    expect(notLearnt(retr('Hello 0'), retr('Hello 9'), 'pop3')).toEqual(["the message's text differs (message data is never a pattern)"]);
    // The values beside them are still learnt: UIDNEXT, a UID, a UIDL id.
    expect(learn(imap('C: A1 NOOP', 'S: * STATUS b (MESSAGES 3 UIDNEXT 5)', 'S: A1 OK done'), imap('C: A1 NOOP', 'S: * STATUS b (MESSAGES 3 UIDNEXT 6)', 'S: A1 OK done')).learnt).toEqual([[4, '* STATUS b (MESSAGES 3 UIDNEXT $)', 1]]);
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

  it('an untagged response only one run sends is one difference: the lines after it still pair and are learnt', () => {
    const r = learn(
      imap('S: * OK ready', 'C: A1 SELECT INBOX', 'S: * 2 EXISTS', 'S: * OK [UIDVALIDITY 100] ok', 'S: A1 OK done', 'C: A2 NOOP', 'S: A2 OK [X-ID 5] done', 'C: A3 LOGOUT', 'S: * BYE', 'S: A3 OK [X-ID 7] bye'),
      imap('S: * OK ready', 'C: A1 SELECT INBOX', 'S: * 2 EXISTS', 'S: * OK [UIDVALIDITY 200] ok', 'S: A1 OK done', 'C: A2 NOOP', 'S: * 3 EXISTS', 'S: A2 OK [X-ID 6] done', 'C: A3 LOGOUT', 'S: * BYE', 'S: A3 OK [X-ID 8] bye'),
    );
    expect(r.learnt).toEqual([[6, '* OK [UIDVALIDITY $] ok', 1], [9, 'A2 OK [X-ID $] done', 1], [12, 'A3 OK [X-ID $] bye', 1]]);
    expect(r.disagreements).toEqual([[null, 'only the second run sends this']]);
    const raw = learnFromRuns(
      imap('C: A1 NOOP', 'S: A1 OK done'),
      imap('C: A1 NOOP', 'S: * OK [X-NOTE 1] hello', 'S: A1 OK done'),
      'imap',
    );
    expect(raw.disagreements.map((d) => [d.first, d.second?.lineNo, d.second?.text])).toEqual([[null, 4, '* OK [X-NOTE 1] hello']]);
  });

  it('pairs untagged responses as replay matches them, in any order; a response the second run lacks is one difference', () => {
    const r = learn(
      imap('C: A1 SELECT INBOX', 'S: * FLAGS (\\Seen)', 'S: * OK [UIDNEXT 5] next', 'S: * OK [UIDVALIDITY 1] v', 'S: * 4 EXISTS', 'S: A1 OK [READ-WRITE] done', 'C: A2 NOOP', 'S: A2 OK [X-ID 1] done'),
      imap('C: A1 SELECT INBOX', 'S: * OK [UIDVALIDITY 2] v', 'S: * FLAGS (\\Seen)', 'S: * 4 EXISTS', 'S: A1 OK [READ-WRITE] done', 'C: A2 NOOP', 'S: A2 OK [X-ID 2] done'),
    );
    expect(r.learnt).toEqual([[6, '* OK [UIDVALIDITY $] v', 1], [10, 'A2 OK [X-ID $] done', 1]]);
    expect(r.disagreements).toEqual([[5, 'only the first run sends this']]);
  });

  it('POP3: a line of a multi-line reply only one run has is one difference, and the replies after it still pair', () => {
    const r = learn(
      pop3('S: +OK ready', 'C: UIDL', 'S: +OK', 'S: 1 whq.1700', 'S: .', 'C: QUIT', 'S: +OK bye 17'),
      pop3('S: +OK ready', 'C: UIDL', 'S: +OK', 'S: 1 whq.1800', 'S: 2 whq.1801', 'S: .', 'C: QUIT', 'S: +OK bye 18'),
      'pop3',
    );
    expect(r.learnt).toEqual([[6, '1 $', 1], [9, '+OK bye $', 1]]);
    expect(r.disagreements).toEqual([[null, 'only the second run sends this']]);
  });

  it('POP3 lines in another order are a difference, as replay (which matches them in order) finds them', () => {
    const r = learn(
      pop3('S: +OK ready', 'C: LIST', 'S: +OK 2 messages', 'S: 1 48', 'S: 2 50', 'S: .', 'C: QUIT', 'S: +OK bye'),
      pop3('S: +OK ready', 'C: LIST', 'S: +OK 2 messages', 'S: 2 50', 'S: 1 48', 'S: .', 'C: QUIT', 'S: +OK bye'),
      'pop3',
    );
    expect(r.learnt).toEqual([]);
    expect(r.disagreements.length).toBeGreaterThan(0);
    expect(r.disagreements.map(([, reason]) => reason)).toEqual(expect.arrayContaining(['only the first run sends this']));
  });

  it('IMAP untagged responses under "# match: ordered" must keep their order too; without it they need not', () => {
    const lines = (order: string[]) => ['C: A1 SELECT INBOX', ...order, 'S: A1 OK done'];
    const a = ['S: * 4 EXISTS', 'S: * FLAGS (\\Seen)'];
    const b = ['S: * FLAGS (\\Seen)', 'S: * 4 EXISTS'];
    expect(learn(imap(...lines(a)), imap(...lines(b))).disagreements).toEqual([]);
    const ordered = learn(imap('# match: ordered', ...lines(a)), imap('# match: ordered', ...lines(b)));
    expect(ordered.disagreements.length).toBeGreaterThan(0);
  });

  it('aligns recordings of 10^5 lines with two extra responses as it aligns ten lines', () => {
    const n = 50_000;
    const linesA = ['S: * OK ready'];
    const linesB = ['S: * OK ready'];
    for (let i = 1; i <= n; i++) {
      linesA.push(`C: A${i} NOOP`, `S: A${i} OK done`);
      if (i === 1) linesB.push(`C: A${i} NOOP`, 'S: * 1 EXISTS', `S: A${i} OK done`);
      else linesB.push(`C: A${i} NOOP`, `S: A${i} OK done`);
    }
    linesA.push('C: B1 FETCH 1:* UID');
    linesB.push('C: B1 FETCH 1:* UID');
    for (let i = 1; i <= n; i++) {
      linesA.push(`S: * ${i} FETCH (UID ${i} X-STAMP ${i === n ? 11 : 1})`);
      if (i === 1) linesB.push('S: * OK [X-NOTE 1] hello');
      linesB.push(`S: * ${i} FETCH (UID ${i} X-STAMP ${i === n ? 22 : 1})`);
    }
    linesA.push('S: B1 OK done');
    linesB.push('S: B1 OK done');
    const long = (lines: string[]) => parseTranscript(`# mailwire transcript v1\n# protocol: imap\n${lines.join('\n')}\n`);
    const r = learn(long(linesA), long(linesB));
    expect(r.learnt).toEqual([[3 * n + 4, `* ${n} FETCH (UID ${n} X-STAMP $)`, 1]]);
    expect(r.disagreements).toEqual([[null, 'only the second run sends this'], [null, 'only the second run sends this']]);
  });
});
