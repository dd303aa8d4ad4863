/**
 * A transcript read from chunks (transcript-reader.ts) is the transcript parsed whole, wherever the
 * chunks split it: inside a CRLF, inside a UTF-8 character, inside a literal's lines. And lint fed
 * item by item (lint.ts) hands out its findings as it goes, in line order, holding only those that
 * something still to come may precede.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTranscript, TranscriptFormatError, type Transcript, type TranscriptItem } from '../../src/transcript/format.js';
import { LintPrologue, lintTranscript, TranscriptLint, type Finding } from '../../src/transcript/lint.js';
import { transcriptFromChunks, TranscriptReader } from '../../src/transcript/transcript-reader.js';
import { cutAt, splitsOf } from '../support/chunking.js';

/** The transcript, or the format error, as a comparable value. */
function outcome(read: () => Transcript): unknown {
  try {
    return read();
  } catch (error) {
    if (error instanceof TranscriptFormatError) return { error: error.message, lineNo: error.lineNo };
    throw error;
  }
}

/** Lines of any kind a transcript holds, with line endings of either kind and characters of any width. */
const line = fc.oneof(
  fc.constantFrom(
    '# mailwire transcript v1',
    '# protocol: imap',
    '# protocol: pop3',
    '# recorded: 2026-01-01',
    '# state: selected',
    '# tls: bogus',
    '# secret: joe pw',
    '# match: ordered no-extra',
    '...',
    'S: * OK [CAPABILITY IMAP4rev1] ready',
    'C: a1 LOGIN {3}',
    'S: + go ahead',
    'C: joe {6}',
    'C: пароль',
    'S: * 1 FETCH (BODY[] {7}',
    'S: héllo',
    'S: )',
    'S: a1 OK done',
    'C: a2 NOOP',
    'S: +OK ready',
    'C: RETR 1',
    'S: ..',
    'S: .',
    '',
  ),
  fc.tuple(fc.constantFrom('C: ', 'S: ', 'S?: ', 'S!: ', '# ', ''), fc.string({ unit: 'binary', maxLength: 30 })).map(([p, t]) => `${p}${t}`),
);
const text = fc.tuple(fc.array(line, { maxLength: 25 }), fc.array(fc.constantFrom('\n', '\r\n', '\r\r\n'), { minLength: 1, maxLength: 25 }), fc.boolean()).map(
  ([lines, endings, lastEnded]) => lines.map((l, i) => `${l}${i < lines.length - 1 || lastEnded ? endings[i % endings.length] : ''}`).join(''),
);

describe('a transcript read from chunks', () => {
  it('is the transcript parsed whole, for any text cut anywhere (fast-check)', () => {
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 12 }), (source, cuts) => {
        const bytes = Buffer.from(source, 'utf8');
        const whole = outcome(() => parseTranscript(bytes.toString('utf8')));
        expect(outcome(() => transcriptFromChunks(cutAt(bytes, cuts.map((c) => c % (bytes.length + 1)))))).toEqual(whole);
      }),
      { numRuns: 400 },
    );
  });

  it('reads each fixture with literals the same, split at every byte and one byte at a time', () => {
    for (const path of ['test/fixtures/rfc/imap/rfc3501-8-sample-connection.txt', 'test/fixtures/rfc/imap/rfc3501-7.5-continuation-literals.txt', 'transcripts/seed/imap-append.txt']) {
      // CRLF line endings too, so that cuts fall between CR and LF.
      for (const source of [readFileSync(path, 'utf8'), readFileSync(path, 'utf8').replaceAll('\n', '\r\n')]) {
        const whole = parseTranscript(source);
        for (const { label, chunks } of splitsOf(Buffer.from(source, 'utf8'))) expect(transcriptFromChunks(chunks), `${path}, ${label}`).toEqual(whole);
      }
    }
  });

  it('cut inside a UTF-8 character or before a last line without LF, decodes as the whole file does', () => {
    const source = Buffer.concat([Buffer.from('C: a1 LOGIN joe пароль\r\nS: a1 OK '), Buffer.from([0xe2, 0x82]), Buffer.from('\r\nC: a2 LOGOUT')]);
    const whole = parseTranscript(source.toString('utf8'));
    for (const { label, chunks } of splitsOf(source)) expect(transcriptFromChunks(chunks), label).toEqual(whole);
    expect(whole.lines.map((l) => l.text)).toEqual(['a1 LOGIN joe пароль', 'a1 OK \ufffd', 'a2 LOGOUT']);
  });
});

/** A long IMAP session: a login, then FETCH after FETCH, every tenth one answered with a bad line. */
function* longSession(exchanges: number): Generator<string> {
  yield '# protocol: imap\nS: * OK [CAPABILITY IMAP4rev1] ready\nC: a1 LOGIN joe <secret>\nS: a1 OK done\nC: a2 SELECT INBOX\nS: a2 OK done\n';
  for (let i = 3; i < exchanges + 3; i++) yield `C: a${i} FETCH 1 (FLAGS)\nS: * 1 FETCH (FLAGS ${i % 10 === 0 ? '(\\Seen' : '(\\Seen)'})\nS: a${i} OK done\n`;
}

describe('lint fed item by item', () => {
  it('writes findings as it reads, in line order, holding back only a few (counted, not timed)', () => {
    const reader = new TranscriptReader();
    const items: TranscriptItem[] = [];
    for (const chunk of longSession(1000)) items.push(...reader.push(Buffer.from(chunk)));
    items.push(...reader.end());
    const prologue = new LintPrologue();
    for (const item of items) prologue.item(item);
    const written: Finding[] = [];
    const lint = new TranscriptLint(reader.parser.directives, prologue, {}, (f) => written.push(f));
    let mostHeld = 0;
    let writtenBeforeEnd = 0;
    for (const item of items) {
      lint.item(item);
      mostHeld = Math.max(mostHeld, lint.held);
    }
    writtenBeforeEnd = written.length;
    lint.end();
    // 100 bad responses, each an error found while reading, not at the end.
    expect(written.filter((f) => f.severity === 'error')).toHaveLength(100);
    expect(writtenBeforeEnd).toBeGreaterThanOrEqual(99);
    expect(mostHeld).toBeLessThanOrEqual(2);
    const lines = written.map((f) => f.lineNo ?? 0);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
    // The same findings as linting the transcript parsed whole.
    expect(written).toEqual(lintTranscript(parseTranscript([...longSession(1000)].join(''))));
  });

  it('an elision right after a fragment\'s first command stands for its completion: no "no completion" note', () => {
    // RFC 7162 §3.1.4.2's example: the SELECT's completion is among the lines left out.
    const findings = lintTranscript(
      parseTranscript(
        '# protocol: imap\nC: A142 SELECT INBOX\n...\nS: * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\n...\nC: A160 STORE 7 +FLAGS.SILENT (\\Deleted)\nS: * 7 FETCH (MODSEQ (2121231000))\nS: A160 OK Store completed\n',
      ),
    );
    expect(findings.filter((f) => f.rule === 'completion')).toEqual([]);
    expect(findings.filter((f) => f.rule === 'elision' || f.rule === 'format')).toHaveLength(2);
  });

  it('a "# state:" after a fragment\'s first exchange takes effect there, not from its first line', () => {
    const findings = lintTranscript(parseTranscript('# protocol: imap\nC: a1 LOGIN joe <secret>\nS: a1 OK done\n# state: selected\nC: a2 FETCH 1 (FLAGS)\nS: a2 OK done\n'));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });
});
