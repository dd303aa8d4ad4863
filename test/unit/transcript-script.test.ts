/**
 * Transcripts as scripts: which client lines are commands, literal data or continuation responses,
 * and which server lines make up one response, read with the protocol's own framers; then matching
 * responses against the steps.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MATCH_RULES, parseTranscript, type Transcript } from '../../src/transcript/format.js';
import { matchLine, matchPatternLine, plainLineMatch, StepMatcher, type ReceivedResponse } from '../../src/transcript/match.js';
import { buildScript, type ExpectedResponse, type Step } from '../../src/transcript/script.js';
import { rfcTranscriptFiles } from '../support/rfc-transcript.js';
import { IMAP_COMMANDS } from '../../src/protocol/imap/commands.js';
import { looksLikeTag } from '../../src/protocol/imap/command-words.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/rfc/', import.meta.url));

function rfc(protocol: 'imap' | 'pop3', file: string): Transcript {
  return parseTranscript(readFileSync(`${FIXTURES}${protocol}/${file}`, 'utf8'));
}

function steps(protocol: 'imap' | 'pop3', file: string): Step[] {
  return buildScript(rfc(protocol, file).lines, protocol);
}

/** What a server that says exactly what the transcript shows would be received as. */
function asReceived(e: ExpectedResponse): ReceivedResponse {
  return { kind: e.kind, tag: e.tag, lines: e.lines.map((l) => l.text) };
}

describe('buildScript, IMAP', () => {
  it('reads APPEND: the command, its {310} literal as 9 data lines, the empty line that ends it; "+" then the completion', () => {
    const [greeting, append] = steps('imap', 'rfc3501-6.3.11-append.txt');
    expect(greeting?.server).toEqual([]);
    expect(append?.kind).toBe('command');
    expect(append?.command).toBe('APPEND');
    expect(append?.tag).toBe('A003');
    expect(append?.client.map((c) => c.role)).toEqual(['command', ...Array(9).fill('literal'), 'continued']);
    expect(append?.server.map((r) => r.kind)).toEqual(['continuation', 'tagged']);
    expect(append?.incompleteLiteral).toBe(false);
  });

  it('reads RFC 3501 §7.5: a literal that ends mid-line, and a literal never sent because the server refused first', () => {
    const [, login, blurdy] = steps('imap', 'rfc3501-7.5-continuation-literals.txt');
    expect(login?.client.map((c) => [c.role, c.literalChars])).toEqual([
      ['command', 0],
      ['literal', 11],
      ['literal', 7],
    ]);
    expect(login?.server.map((r) => r.kind)).toEqual(['continuation', 'continuation', 'tagged']);
    expect(blurdy?.incompleteLiteral).toBe(true);
    expect(blurdy?.server.map((r) => [r.kind, r.tag])).toEqual([['tagged', 'A044']]);
  });

  it('reads IDLE: the "+" opens the way for DONE, a continuation response, whatever untagged data comes between', () => {
    const s = steps('imap', 'rfc2177-3-idle.txt');
    expect(s.map((x) => `${x.kind}:${x.client[0]?.line.text ?? ''}`)).toEqual([
      'greeting:',
      'command:A001 SELECT INBOX',
      'command:A002 IDLE',
      'response:DONE',
      'command:A003 FETCH 4 ALL',
      'command:A004 IDLE',
      'response:DONE',
      'command:A005 FETCH 3 ALL',
      'command:A006 IDLE',
    ]);
    expect(s[5]?.server.map((r) => r.kind)).toEqual(['untagged', 'untagged', 'continuation', 'untagged', 'untagged', 'untagged']);
    expect(s[6]?.server.map((r) => [r.kind, r.tag])).toEqual([['tagged', 'A004']]);
    expect(s[8]?.server).toEqual([]);
  });

  it('reads AUTHENTICATE GSSAPI: every line after a "+" is a response, the empty one too', () => {
    const s = steps('imap', 'rfc3501-6.2.2-authenticate-gssapi.txt');
    expect(s.map((x) => x.kind)).toEqual(['greeting', 'command', 'response', 'response', 'response']);
    expect(s[0]?.server.map((r) => r.kind)).toEqual(['untagged']);
    expect(s[3]?.client[0]?.line.text).toBe('');
    expect(s[4]?.server.map((r) => r.kind)).toEqual(['tagged']);
  });

  it('reads a FETCH with a {342} literal as one response of 11 lines, data lines compared as they are', () => {
    const fetch = steps('imap', 'rfc3501-8-sample-connection.txt').find((x) => x.tag === 'a004');
    const r = fetch?.server[0];
    expect(r?.kind).toBe('untagged');
    expect(r?.lines).toHaveLength(11);
    expect(r?.literalChars[0]).toBe(0);
    expect(r?.literalChars.slice(1, 10)).toEqual(r?.lines.slice(1, 10).map((l) => l.text.length));
    expect(r?.literalChars[10]).toBe(0);
    expect(r?.complete).toBe(true);
  });

  it('reads LITERAL+ {11+} and {7+} on the client side without any "+"', () => {
    const [, login] = steps('imap', 'rfc7888-3-literal-plus.txt');
    expect(login?.client.map((c) => c.role)).toEqual(['command', 'literal', 'literal']);
    expect(login?.server.map((r) => r.kind)).toEqual(['tagged']);
  });
});

describe('buildScript, POP3', () => {
  it('knows multi-line replies from the command: LIST has a body, LIST 2 does not', () => {
    const s = steps('pop3', 'rfc1939-5-list.txt');
    expect(s.map((x) => [x.command, x.server.map((r) => r.kind).join(' ')])).toEqual([
      [null, ''],
      ['LIST', 'status body body end'],
      ['LIST', 'status'],
      ['LIST', 'status'],
    ]);
  });

  it('takes the greeting from the first line, and lines after a "+ " challenge as SASL responses', () => {
    const s = steps('pop3', 'rfc1734-2-auth-kerberos-v4.txt');
    expect(s.map((x) => `${x.kind}:${x.server.map((r) => r.kind).join(',')}`)).toEqual([
      'greeting:status',
      'command:continuation',
      'response:continuation',
      'response:status',
      'command:status',
    ]);
  });

  it('gives the replies after pipelined commands to them in order, each as long as its shape (RFC 2449 §6.6)', () => {
    const text = ['S: +OK ready', 'C: USER joe', 'C: PASS <secret>', 'C: LIST', 'C: RETR 1', 'C: STAT', 'S: +OK', 'S: +OK logged in', 'S: +OK 2 messages', 'S: 1 120', 'S: 2 200', 'S: .', 'S: +OK 120 octets', 'S: Subject: x', 'S: ..', 'S: .', 'S: +OK 2 320', 'C: QUIT', 'S: +OK bye'];
    const s = buildScript(parseTranscript(`# protocol: pop3\n${text.join('\n')}\n`).lines, 'pop3');
    expect(s.map((x) => [x.command, x.server.map((r) => r.lines[0]?.text).join(' | ')])).toEqual([
      [null, '+OK ready'],
      ['USER', '+OK'],
      ['PASS', '+OK logged in'],
      ['LIST', '+OK 2 messages | 1 120 | 2 200 | .'],
      ['RETR', '+OK 120 octets | Subject: x | .. | .'],
      ['STAT', '+OK 2 320'],
      ['QUIT', '+OK bye'],
    ]);
  });

  it('does not take the first reply for a greeting when the transcript starts with the client', () => {
    const s = steps('pop3', 'rfc2449-5-capa.txt');
    expect(s[1]?.server.map((r) => r.kind)).toEqual(['status', ...Array(9).fill('body'), 'end']);
  });
});

describe('StepMatcher', () => {
  const all = (['imap', 'pop3'] as const).flatMap((p) => rfcTranscriptFiles(p).map((f) => [p, f] as const));

  it.each(all)('%s %s: a server saying exactly what the transcript shows passes every step', (protocol, file) => {
    const captures = new Map<string, string>();
    for (const step of steps(protocol, file)) {
      const m = new StepMatcher(step, protocol, captures);
      for (const e of step.server.filter((x) => x.expectation === 'required')) {
        expect(m.offer(asReceived(e)), `line ${e.lines[0]?.lineNo}`).toEqual({ type: 'matched' });
      }
      expect(m.done).toBe(true);
    }
  });

  it('takes IMAP untagged responses in any order, extra ones too, unless the transcript says otherwise', () => {
    const select = steps('imap', 'rfc3501-6.3.1-select.txt')[1] as Step;
    const untagged = select.server.filter((r) => r.kind === 'untagged').map(asReceived).reverse();
    const tagged = asReceived(select.server.at(-1) as ExpectedResponse);
    const m = new StepMatcher(select, 'imap', new Map());
    for (const r of untagged) expect(m.offer(r).type).toBe('matched');
    expect(m.offer({ kind: 'untagged', tag: null, lines: ['* OK [HIGHESTMODSEQ 1] extra'] }).type).toBe('ignored');
    expect(m.offer(tagged).type).toBe('matched');
    expect(m.done).toBe(true);

    const strict = steps('imap', 'rfc3501-6.3.1-select.txt').map((s) => ({
      ...s,
      server: s.server.map((r) => ({ ...r, lines: r.lines.map((l) => ({ ...l, rules: { ordered: true, extra: false } })) })),
    }))[1] as Step;
    const ordered = new StepMatcher(strict, 'imap', new Map());
    const verdict = ordered.offer(untagged[0] as ReceivedResponse);
    expect(verdict.type).toBe('failed');
  });

  it('fails on a changed completion, naming the line, with both lines and where they differ', () => {
    const select = steps('imap', 'rfc3501-6.3.1-select.txt')[1] as Step;
    const m = new StepMatcher(select, 'imap', new Map());
    for (const r of select.server.slice(0, -1)) m.offer(asReceived(r));
    const verdict = m.offer({ kind: 'tagged', tag: 'A142', lines: ['A142 NO [NONEXISTENT] Mailbox does not exist'] });
    expect(verdict).toEqual({
      type: 'failed',
      mismatch: {
        line: expect.objectContaining({ lineNo: 13 }),
        expected: 'S: A142 OK [READ-WRITE] SELECT completed',
        received: 'S: A142 NO [NONEXISTENT] Mailbox does not exist',
        reason: 'the completion differs at line 13: expected "OK [READ-WRITE] SELECT completed"',
        said: expect.objectContaining({ key: 'replay.differs-at' }),
        at: 5,
      },
    });
  });

  it('fails when the completion comes before an untagged response the transcript shows, pointing at that line', () => {
    const select = steps('imap', 'rfc3501-6.3.1-select.txt')[1] as Step;
    const m = new StepMatcher(select, 'imap', new Map());
    m.offer({ kind: 'untagged', tag: null, lines: ['* 171 EXISTS'] });
    const verdict = m.offer(asReceived(select.server.at(-1) as ExpectedResponse));
    expect(verdict.type).toBe('failed');
    if (verdict.type !== 'failed') return;
    expect(verdict.mismatch.line?.lineNo).toBe(6);
    expect(verdict.mismatch.expected).toBe('S: * 172 EXISTS');
    expect(verdict.mismatch.received).toBe('S: * 171 EXISTS');
    expect(verdict.mismatch.reason).toMatch(/line 6 was not received before the command completed/);
  });

  it('lets pipelined commands interleave their untagged data with earlier completions, but not with the last (RFC 3501 §5.5)', () => {
    const source = [
      '# mailwire transcript v1',
      '# protocol: imap',
      'S: * OK ready',
      'C: 7 UID FETCH 1 (FLAGS)',
      'C: 8 UID FETCH 2 (FLAGS)',
      'S: * 1 FETCH (UID 1 FLAGS ())',
      'S: * 2 FETCH (UID 2 FLAGS ())',
      'S: 7 OK Fetch completed.',
      'S: 8 OK Fetch completed.',
      '',
    ].join('\n');
    const step = buildScript(parseTranscript(source).lines, 'imap').at(-1) as Step;
    const [one, two, done7, done8] = step.server.map(asReceived) as [ReceivedResponse, ReceivedResponse, ReceivedResponse, ReceivedResponse];
    const late = new StepMatcher(step, 'imap', new Map());
    expect([one, done7, two, done8].map((r) => late.offer(r).type)).toEqual(['matched', 'matched', 'matched', 'matched']);
    expect(late.done).toBe(true);
    const missing = new StepMatcher(step, 'imap', new Map());
    expect([one, done7].map((r) => missing.offer(r).type)).toEqual(['matched', 'matched']);
    const verdict = missing.offer(done8);
    expect(verdict.type === 'failed' && verdict.mismatch.reason).toMatch(/line 7 was not received before the command completed/);
  });

  it('ignores a late completion of an earlier command, and Dovecot\'s preliminary greeting', () => {
    const [greeting, select] = steps('imap', 'rfc3501-8-sample-connection.txt') as [Step, Step];
    const g = new StepMatcher(greeting, 'imap', new Map());
    expect(g.offer({ kind: 'untagged', tag: null, lines: ['* OK Waiting for authentication process to respond..'] }).type).toBe('ignored');
    expect(g.offer({ kind: 'untagged', tag: null, lines: ['* OK IMAP4rev1 Service Ready'] }).type).toBe('matched');
    const m = new StepMatcher(select, 'imap', new Map(), { earlierTags: new Set(['a000']) });
    expect(m.offer({ kind: 'tagged', tag: 'a000', lines: ['a000 OK NOOP completed'] }).type).toBe('ignored');
  });

  it('captures a UIDVALIDITY and holds later lines to it; optional and forbidden lines', () => {
    const t = parseTranscript(
      ['C: a1 SELECT INBOX', 'S: * OK [UIDVALIDITY $uv] ok', 'S?: * 1 RECENT', 'S!: * 0 EXISTS', 'S: a1 OK $', 'C: a2 STATUS INBOX (UIDVALIDITY)', 'S: * STATUS INBOX (UIDVALIDITY $uv)', 'S: a2 OK done'].join('\n'),
    );
    const [, select, status] = buildScript(t.lines, 'imap') as [Step, Step, Step];
    const captures = new Map<string, string>();
    const m = new StepMatcher(select, 'imap', captures);
    expect(m.offer({ kind: 'untagged', tag: null, lines: ['* OK [UIDVALIDITY 42] ok'] }).type).toBe('matched');
    expect(m.offer({ kind: 'tagged', tag: 'a1', lines: ['a1 OK Select completed (0.001 + 0.000 secs).'] }).type).toBe('matched');
    expect(m.done).toBe(true);
    expect(captures.get('uv')).toBe('42');
    const s = new StepMatcher(status, 'imap', captures);
    expect(s.offer({ kind: 'untagged', tag: null, lines: ['* STATUS INBOX (UIDVALIDITY 43)'] }).type).toBe('ignored');
    const bad = s.offer({ kind: 'tagged', tag: 'a2', lines: ['a2 OK done'] });
    expect(bad.type === 'failed' && bad.mismatch.reason).toMatch(/line 7 was not received/);

    const again = new StepMatcher(select, 'imap', new Map());
    const forbidden = again.offer({ kind: 'untagged', tag: null, lines: ['* 0 EXISTS'] });
    expect(forbidden.type === 'failed' && forbidden.mismatch.reason).toBe('line 4 must not appear, and the server sent it');
  });

  it('holds POP3 to every line in order: a body line too many fails at the terminator', () => {
    const list = steps('pop3', 'rfc1939-5-list.txt')[1] as Step;
    const m = new StepMatcher(list, 'pop3', new Map());
    for (const text of ['+OK 2 messages (320 octets)', '1 120', '2 200']) expect(m.offer({ kind: 'body', tag: null, lines: [text] }).type).toBe('matched');
    const verdict = m.offer({ kind: 'body', tag: null, lines: ['3 310'] });
    expect(verdict.type === 'failed' && verdict.mismatch).toMatchObject({ expected: 'S: .', received: 'S: 3 310', line: { lineNo: 10 } });
  });
});

describe('buildScript reads plain lines without the framers, as the framers read them', () => {
  // Lines whose last word is a filler: escaping one of its characters (`\x64` for "d") gives the same
  // wire bytes and sends the line through the framers, so both scripts must have the same shape.
  const withFiller = ['a1 NOOP', 'a2 LOGIN joe', 'a3 IDLE', 'a4 AUTHENTICATE PLAIN', 'DONE', '*', 'x', '* OK', '* 3 EXISTS', 'a1 OK', 'a2 NO', 'a3 BAD', '+', '+ go', ')', 'a4 OK [READ-WRITE]',
    // Tags and commands written every which way: the shortcut for `tag command` must read them as analyzeImapLine does.
    'a1 UID FETCH 1', 'a1 uid fetch', 'A001 noop', 'NOOP', 'abc NOOP', 'a.b select', 'x1\tNOOP', ' a1 NOOP', 'a1  NOOP', '1 2', 'é1 Noop', 'X1 XFOO',
    '*OK', '+go', '++', '* 1 FETCH (FLAGS ())', 'a1 OK [CAPABILITY IMAP4rev1]'];
  // Lines that stay as they are: literal markers (one too large for the framer), closing lines, data.
  const asIs = ['a5 LOGIN {5}', 'a6 APPEND box {12}', '* 1 FETCH (BODY[] {7}', 'a7 OK {99999999999999999}', ' {3}', ')', '', 'hello', '+', '<secret>'];
  const line = fc.record({
    direction: fc.constantFrom<'C' | 'S'>('C', 'S'),
    expectation: fc.constantFrom<'required' | 'optional' | 'forbidden'>('required', 'required', 'required', 'optional', 'forbidden'),
    text: fc.oneof(fc.constantFrom(...withFiller).map((t) => ({ text: `${t} done`, filler: true })), fc.constantFrom(...asIs).map((t) => ({ text: t, filler: false }))),
  });
  const shape = (steps: Step[]) =>
    steps.map((s) => ({
      kind: s.kind,
      command: s.command,
      tag: s.tag,
      incompleteLiteral: s.incompleteLiteral,
      client: s.client.map((c) => [c.role, c.line.lineNo, c.secretLiteral === true]),
      lines: s.lines.map((l) => l.lineNo),
      server: s.server.map((r) => [r.kind, r.tag, r.expectation, r.complete, r.lines.map((l) => l.lineNo)]),
    }));

  it('rests on no command name being shaped like a tag', () => {
    for (const c of IMAP_COMMANDS) expect(looksLikeTag(c.name), c.name).toBe(false);
  });

  it('gives the same steps for a transcript and its twin whose lines all go through the framers', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), (drawn) => {
        const lines = drawn.map((d, i) => ({
          lineNo: i + 1,
          direction: d.direction,
          expectation: d.direction === 'C' ? ('required' as const) : d.expectation,
          text: d.text.text,
          rules: DEFAULT_MATCH_RULES,
        }));
        const twins = lines.map((l, i) => (drawn[i]?.text.filler ? { ...l, text: l.text.replace(/d(?=one$)/, '\\x64') } : l));
        expect(twins.filter((t, i) => t.text !== lines[i]?.text).length).toBe(drawn.filter((d) => d.text.filler).length);
        expect(shape(buildScript(twins, 'imap'))).toEqual(shape(buildScript(lines, 'imap')));
      }),
      { numRuns: 500 },
    );
  });
});

describe('matchLine: the shortcut for lines without a pattern, or with one "$" at the end', () => {
  // Expected and received lines drawn from the same few pieces, so that they often agree, often part
  // at one character, and hold "$", "$$", named holes, brackets and quotes where the general reading
  // treats them apart.
  const piece = fc.constantFrom('a1', ' ', 'OK', 'x', '$', '$$', '$n', '(', ')', '[', ']', '"', 'é', '\ud83d\ude00', '');
  const text = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
  const shaped = fc.oneof(text, text.map((t) => `${t.replaceAll('$', '')} $`), text.map((t) => t.replaceAll('$', '')));

  it('says what the general reading says whenever it answers, and answers for most plain lines that match', () => {
    let taken = 0;
    fc.assert(
      fc.property(shaped, text, fc.boolean(), fc.constantFrom(new Map<string, string>(), new Map([['n', 'x']])), (expected, tail, same, captures) => {
        const received = same ? expected.replaceAll('$$', '$').replace(/\$$/, '') + tail : tail;
        const line = { lineNo: 1, direction: 'S' as const, expectation: 'required' as const, text: expected, rules: DEFAULT_MATCH_RULES };
        const shortcut = plainLineMatch(expected, received);
        const general = matchPatternLine(line, 0, received, captures, new Map());
        expect(matchLine(line, 0, received, captures, new Map())).toEqual(shortcut ?? general);
        if (shortcut === undefined) return;
        taken++;
        expect(shortcut, JSON.stringify([expected, received])).toEqual(general);
      }),
      { numRuns: 2000 },
    );
    expect(taken).toBeGreaterThan(300);
  });
});
