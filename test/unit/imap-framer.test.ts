/**
 * ImapFramer: the RFC example transcripts framed in both directions, literals of every shape, size
 * caps, and the promise that chunk boundaries never change the frames.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_LINE_BYTES, ImapFramer, parseLiteralMarker } from '../../src/protocol/imap/framer.js';
import type { ImapFrame, LiteralMarker } from '../../src/protocol/imap/frames.js';
import { cutAt, frameAll, normaliseImapFrames, splitsOf, type ImapFrameView } from '../support/chunking.js';
import { readRfcTranscript, rfcTranscriptFiles } from '../support/rfc-transcript.js';

/** Lines joined as the wire has them: each followed by CRLF. */
function wire(...lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}

function frame(bytes: Buffer | string, options: { maxLineBytes?: number } = {}): ImapFrameView[] {
  const whole = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  return normaliseImapFrames(new ImapFramer(options).push(whole));
}

/** Asserts that every split and the byte-at-a-time delivery give the frames of the whole stream. */
function expectChunkingIndependent(whole: Buffer, options: { maxLineBytes?: number } = {}): ImapFrameView[] {
  const reference = frame(whole, options);
  for (const { label, chunks } of splitsOf(whole)) {
    const frames = normaliseImapFrames(frameAll(new ImapFramer(options), chunks));
    expect(frames, label).toEqual(reference);
  }
  return reference;
}

function segment(text: string, first: boolean, literal: LiteralMarker | null = null, bareLf = false): ImapFrameView {
  return { type: 'segment', text, first, literal, bareLf };
}

function marker(size: number, binary = false, nonSynchronizing = false): LiteralMarker {
  return { size, binary, nonSynchronizing };
}

function literal(text: string): ImapFrameView[] {
  const size = Buffer.byteLength(text, 'latin1');
  return size === 0 ? [{ type: 'literal-end', size }] : [{ type: 'literal-data', text }, { type: 'literal-end', size }];
}

/** Puts the frames back on the wire (every segment with CRLF), to check nothing was lost or added. */
function rewire(frames: readonly ImapFrame[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of frames) {
    if (f.type === 'segment') parts.push(f.bytes, Buffer.from(f.bareLf ? '\n' : '\r\n'));
    else if (f.type === 'literal-data') parts.push(f.bytes);
  }
  return Buffer.concat(parts);
}

describe('parseLiteralMarker', () => {
  const parse = (s: string) => parseLiteralMarker(Buffer.from(s, 'latin1'));

  it('reads {n}, ~{n}, {n+} and {n-} at the end of a segment (RFC 3501 §4.3, RFC 3516, RFC 7888)', () => {
    expect(parse('* 12 FETCH (BODY[HEADER] {342}')).toEqual(marker(342));
    expect(parse('A001 LOGIN {11}')).toEqual(marker(11));
    expect(parse('{0}')).toEqual(marker(0));
    expect(parse('* 1 FETCH (BINARY[] ~{5}')).toEqual(marker(5, true));
    expect(parse('A001 LOGIN {11+}')).toEqual(marker(11, false, true));
    expect(parse('A001 LOGIN {11-}')).toEqual(marker(11, false, true));
    expect(parse('A1 APPEND x ~{7+}')).toEqual(marker(7, true, true));
    expect(parse('x{007}')).toEqual(marker(7));
  });

  it('returns null when the segment does not end in a marker', () => {
    for (const s of ['', '}', '{}', '{+}', '{-5}', '{+5}', '{ 5}', '{5 }', 'x{5}y', '{abc}', '{5', '5}', '{5}}', '{5+-}', '{5++}', 'A1 OK done', '{5} ']) {
      expect(parse(s), s).toBeNull();
    }
  });

  it('refuses sizes that are not safe integers', () => {
    expect(parse('* 1 FETCH (BODY[] {99999999999999999999}')).toBe('too-large');
    expect(parse(`{${Number.MAX_SAFE_INTEGER + 1}}`)).toBe('too-large');
    expect(parse('{9999999999999999+}')).toBe('too-large');
    expect(parse(`{${Number.MAX_SAFE_INTEGER}}`)).toEqual(marker(Number.MAX_SAFE_INTEGER));
  });
});

describe('ImapFramer on the RFC example transcripts', () => {
  const files = rfcTranscriptFiles('imap');

  it('has transcripts to read', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    const transcript = readRfcTranscript('imap', file);
    for (const [side, bytes] of [
      ['server', transcript.server],
      ['client', transcript.client],
    ] as const) {
      if (bytes.length === 0) continue;
      it(`${file}, ${side} side: frames the whole stream, the same way however it is chunked`, () => {
        const framer = new ImapFramer();
        const frames = framer.push(Buffer.from(bytes));
        expect(frames.filter((f) => f.type === 'error')).toEqual([]);
        expect(rewire(frames).equals(bytes)).toBe(true);
        const lines = transcript.lines.filter((l) => l.direction === (side === 'server' ? 'S' : 'C')).map((l) => l.text);
        if (!lines.some((l) => parseLiteralMarker(Buffer.from(l)) !== null)) {
          // No literal: every line is a response (or command) of its own.
          expect(normaliseImapFrames(frames)).toEqual(lines.map((l) => segment(l, true)));
        }
        expectChunkingIndependent(bytes);
      });
    }
  }

  it('RFC 3501 §8: the 342-octet BODY[HEADER] literal, then ")" in the same response', () => {
    const frames = frame(readRfcTranscript('imap', 'rfc3501-8-sample-connection.txt').server);
    const at = frames.findIndex((f) => f.type === 'segment' && f.text === '* 12 FETCH (BODY[HEADER] {342}');
    expect(frames.slice(at, at + 5)).toEqual([
      segment('* 12 FETCH (BODY[HEADER] {342}', true, marker(342)),
      ...literal(
        [
          'Date: Wed, 17 Jul 1996 02:23:25 -0700 (PDT)',
          'From: Terry Gray <gray@cac.washington.edu>',
          'Subject: IMAP4rev1 WG mtg summary and minutes',
          'To: imap@cac.washington.edu',
          'cc: minutes@CNRI.Reston.VA.US, John Klensin <KLENSIN@MIT.EDU>',
          'Message-Id: <B27397-0100000@cac.washington.edu>',
          'MIME-Version: 1.0',
          'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
          '',
        ]
          .map((l) => `${l}\r\n`)
          .join(''),
      ),
      segment(')', false),
      segment('a004 OK FETCH completed', true),
    ]);
    expect(frames[at + 2]).toEqual({ type: 'literal-end', size: 342 });
  });

  it('RFC 3501 §6.3.11: the client side of APPEND, a 310-octet message literal and the closing CRLF', () => {
    const frames = frame(readRfcTranscript('imap', 'rfc3501-6.3.11-append.txt').client);
    expect(frames).toEqual([
      segment('A003 APPEND saved-messages (\\Seen) {310}', true, marker(310)),
      ...literal(
        [
          'Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)',
          'From: Fred Foobar <foobar@Blurdybloop.COM>',
          'Subject: afternoon meeting',
          'To: mooch@owatagu.siam.edu',
          'Message-Id: <B27397-0100000@Blurdybloop.COM>',
          'MIME-Version: 1.0',
          'Content-Type: TEXT/PLAIN; CHARSET=US-ASCII',
          '',
          'Hello Joe, do you think we can meet at 3:30 tomorrow?',
        ]
          .map((l) => `${l}\r\n`)
          .join(''),
      ),
      segment('', false),
    ]);
  });

  it('RFC 3501 §7.5: a literal that ends mid-line, the line going on with another literal', () => {
    const transcript = readRfcTranscript('imap', 'rfc3501-7.5-continuation-literals.txt');
    expect(frame(transcript.client)).toEqual([
      segment('A001 LOGIN {11}', true, marker(11)),
      ...literal('FRED FOOBAR'),
      segment(' {7}', false, marker(7)),
      ...literal('fat man'),
      segment('', false),
      // The server answered BAD, so the 102856-octet literal never comes: the framer waits for it.
      segment('A044 BLURDYBLOOP {102856}', true, marker(102856)),
    ]);
    expect(frame(transcript.server)).toEqual([
      segment('+ Ready for additional command text', true),
      segment('+ Ready for additional command text', true),
      segment('A001 OK LOGIN completed', true),
      segment('A044 BAD No such command as "BLURDYBLOOP"', true),
    ]);
  });

  it('RFC 7888 §3 and RFC 2088 §3: non-synchronizing literals {11+} and {7+}', () => {
    for (const file of ['rfc7888-3-literal-plus.txt', 'rfc2088-3-literal-plus.txt']) {
      expect(frame(readRfcTranscript('imap', file).client), file).toEqual([
        segment('A001 LOGIN {11+}', true, marker(11, false, true)),
        ...literal('FRED FOOBAR'),
        segment(' {7+}', false, marker(7, false, true)),
        ...literal('fat man'),
        segment('', false),
      ]);
    }
  });

  it('RFC 3501 §6.4.4: SEARCH CHARSET UTF-8 with a 6-octet literal', () => {
    expect(frame(readRfcTranscript('imap', 'rfc3501-6.4.4-search.txt').client)).toEqual([
      segment('A282 SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM "Smith"', true),
      segment('A283 SEARCH TEXT "string not in mailbox"', true),
      segment('A284 SEARCH CHARSET UTF-8 TEXT {6}', true, marker(6)),
      ...literal('XXXXXX'),
      segment('', false),
    ]);
  });
});

describe('ImapFramer literals', () => {
  it('passes CRLF, "*", ".", NUL and high bytes through a literal untouched', () => {
    const data = Buffer.from([0x2a, 0x20, 0x0d, 0x0a, 0x2e, 0x0d, 0x0a, 0x00, 0xff, 0x80, 0x0a, 0x0d, 0x7b, 0x31, 0x7d]);
    const whole = Buffer.concat([wire(`* 1 FETCH (BODY[] {${data.length}}`), data, wire(')', 'A1 OK done')]);
    const frames = expectChunkingIndependent(whole);
    expect(frames).toEqual([
      segment(`* 1 FETCH (BODY[] {${data.length}}`, true, marker(data.length)),
      { type: 'literal-data', text: data.toString('latin1') },
      { type: 'literal-end', size: data.length },
      segment(')', false),
      segment('A1 OK done', true),
    ]);
  });

  it('does not see a response line inside a literal', () => {
    const fake = '\r\n* OK fake\r\n';
    const frames = expectChunkingIndependent(wire(`* 1 FETCH (BODY[] {${fake.length}}`, `${fake})`, 'A1 OK done'));
    expect(frames.filter((f) => f.type === 'segment').map((f) => (f.type === 'segment' ? f.text : ''))).toEqual([
      `* 1 FETCH (BODY[] {${fake.length}}`,
      ')',
      'A1 OK done',
    ]);
    expect(frames[1]).toEqual({ type: 'literal-data', text: fake });
  });

  it('reads a binary literal ~{n} holding NUL (RFC 3516)', () => {
    const data = '\x00\x01\x02\r\n\x00';
    expect(expectChunkingIndependent(wire(`* 3 FETCH (BINARY[1] ~{${data.length}}`, `${data})`))).toEqual([
      segment(`* 3 FETCH (BINARY[1] ~{${data.length}}`, true, marker(data.length, true)),
      ...literal(data),
      segment(')', false),
    ]);
  });

  it('ends an empty literal {0} at once, with no data frame', () => {
    expect(expectChunkingIndependent(wire('* 1 FETCH (BODY[] {0}', ')', 'A1 OK'))).toEqual([
      segment('* 1 FETCH (BODY[] {0}', true, marker(0)),
      { type: 'literal-end', size: 0 },
      segment(')', false),
      segment('A1 OK', true),
    ]);
  });

  it('reads two literals in one response, and text after each', () => {
    const whole = Buffer.from('* 1 FETCH (BODY[1] {3}\r\nabc BODY[2] {4}\r\n\r\nxy FLAGS (\\Seen))\r\nA1 OK\r\n', 'latin1');
    expect(expectChunkingIndependent(whole)).toEqual([
      segment('* 1 FETCH (BODY[1] {3}', true, marker(3)),
      ...literal('abc'),
      segment(' BODY[2] {4}', false, marker(4)),
      ...literal('\r\nxy'),
      segment(' FLAGS (\\Seen))', false),
      segment('A1 OK', true),
    ]);
  });

  it('starts a literal right after the marker line, even when a chunk ends between CR and LF', () => {
    const framer = new ImapFramer();
    expect(normaliseImapFrames(framer.push(Buffer.from('* 1 FETCH (BODY[] {2}\r')))).toEqual([]);
    expect(framer.bufferedBytes).toBe(22);
    expect(normaliseImapFrames(framer.push(Buffer.from('\nab')))).toEqual([segment('* 1 FETCH (BODY[] {2}', true, marker(2)), ...literal('ab')]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('hands out literal data as views of the pushed chunks: a 10 MB literal is never copied', () => {
    const size = 10 * 1024 * 1024;
    const header = wire(`* 1 FETCH (BODY[] {${size}}`);
    const trailer = wire(')', 'A1 OK FETCH completed');
    const whole = Buffer.concat([header, Buffer.alloc(size, 0x78), trailer]);
    const chunks = cutAt(
      whole,
      Array.from({ length: Math.ceil(whole.length / 65536) }, (_, i) => i * 65536),
    );
    const framer = new ImapFramer();
    let dataBytes = 0;
    let dataFrames = 0;
    const rest: ImapFrame[] = [];
    for (const chunk of chunks) {
      for (const f of framer.push(chunk)) {
        if (f.type === 'literal-data') {
          expect(f.bytes.buffer).toBe(chunk.buffer);
          dataBytes += f.bytes.length;
          dataFrames++;
        } else {
          rest.push(f);
        }
      }
      expect(framer.bufferedBytes).toBeLessThan(64);
    }
    expect(dataBytes).toBe(size);
    expect(dataFrames).toBe(chunks.length);
    expect(normaliseImapFrames(rest)).toEqual([
      segment(`* 1 FETCH (BODY[] {${size}}`, true, marker(size)),
      { type: 'literal-end', size },
      segment(')', false),
      segment('A1 OK FETCH completed', true),
    ]);
  });

  it('streams a 500 MB literal in flat memory', () => {
    const size = 500 * 1024 * 1024;
    const chunk = Buffer.alloc(65536, 0x2e);
    const framer = new ImapFramer();
    framer.push(wire(`* 1 FETCH (BODY[] {${size}}`));
    const before = process.memoryUsage().arrayBuffers;
    let received = 0;
    let end: ImapFrame | undefined;
    for (let sent = 0; sent < size; sent += chunk.length) {
      for (const f of framer.push(chunk)) {
        if (f.type === 'literal-data') received += f.bytes.length;
        else end = f;
      }
      expect(framer.bufferedBytes).toBe(0);
    }
    expect(received).toBe(size);
    expect(end).toEqual({ type: 'literal-end', size });
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });
});

describe('ImapFramer segments', () => {
  it('takes each line within a chunk without copying it', () => {
    const chunk = wire('* 1 EXISTS', 'A1 OK done');
    const frames = new ImapFramer().push(chunk);
    expect(frames).toHaveLength(2);
    for (const f of frames) expect(f.type === 'segment' && f.bytes.buffer === chunk.buffer).toBe(true);
  });

  it('accepts a bare LF as a line end and says so', () => {
    expect(expectChunkingIndependent(Buffer.from('* 1 EXISTS\nA1 OK {1}\nx\r\n'))).toEqual([
      segment('* 1 EXISTS', true, null, true),
      segment('A1 OK {1}', true, marker(1), true),
      ...literal('x'),
      segment('', false),
    ]);
  });

  it('keeps a CR that is not before LF inside the segment', () => {
    expect(frame('* OK a\rb\r\r\n')).toEqual([segment('* OK a\rb\r', true)]);
  });

  it('ends the response at braces that are not a literal marker: {-5}, {5 }, { 5}, {abc}, x{5}y', () => {
    for (const text of ['* OK {-5}', '* OK {5 }', '* OK { 5}', '* OK {abc}', '* OK x{5}y', '* OK {}']) {
      expect(expectChunkingIndependent(wire(text, 'A1 OK')), text).toEqual([segment(text, true), segment('A1 OK', true)]);
    }
  });

  it('frames an empty line as an empty segment', () => {
    expect(frame('\r\n\r\n')).toEqual([segment('', true), segment('', true)]);
  });
});

describe('ImapFramer limits and failure', () => {
  it('defaults to a 16 MiB line cap', () => {
    expect(DEFAULT_MAX_LINE_BYTES).toBe(16 * 1024 * 1024);
  });

  it('fails with literal-too-large on {99999999999999999999}, and stays failed', () => {
    const framer = new ImapFramer();
    const frames = framer.push(wire('* 1 EXISTS', '* 1 FETCH (BODY[] {99999999999999999999}', 'A1 OK'));
    expect(normaliseImapFrames(frames)).toEqual([segment('* 1 EXISTS', true), { type: 'error', code: 'literal-too-large' }]);
    const error = frames[1];
    expect(error?.type === 'error' && error.message).toMatch(/20 digits/);
    expect(framer.push(wire('A2 OK'))).toEqual([]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('fails with line-too-long as soon as the cap is passed, without waiting for the LF', () => {
    const framer = new ImapFramer({ maxLineBytes: 10 });
    for (let i = 0; i < 10; i++) expect(framer.push(Buffer.from('a'))).toEqual([]);
    expect(framer.bufferedBytes).toBe(10);
    const frames = framer.push(Buffer.from('a'));
    expect(normaliseImapFrames(frames)).toEqual([{ type: 'error', code: 'line-too-long' }]);
    expect(frames[0]?.type === 'error' && frames[0].message).toBe('line exceeds 10 octets without a line ending');
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.push(Buffer.from('\r\nA1 OK\r\n'))).toEqual([]);
  });

  it('allows a line of exactly the cap, its CRLF not counted, however it is chunked', () => {
    expect(expectChunkingIndependent(wire('0123456789', 'A1 OK'), { maxLineBytes: 10 })).toEqual([segment('0123456789', true), segment('A1 OK', true)]);
    expect(expectChunkingIndependent(wire('0123456789X', 'A1 OK'), { maxLineBytes: 10 })).toEqual([{ type: 'error', code: 'line-too-long' }]);
    expect(expectChunkingIndependent(Buffer.from('* OK\r\n0123456789\rX\r\n'), { maxLineBytes: 10 })).toEqual([
      segment('* OK', true),
      { type: 'error', code: 'line-too-long' },
    ]);
  });

  it('applies the cap to each segment, not to the literals between them', () => {
    const whole = Buffer.concat([wire('A1 X {20}'), Buffer.alloc(20, 0x61), wire(' {3}'), Buffer.from('abc'), wire('')]);
    expect(expectChunkingIndependent(whole, { maxLineBytes: 10 })).toEqual([
      segment('A1 X {20}', true, marker(20)),
      ...literal('a'.repeat(20)),
      segment(' {3}', false, marker(3)),
      ...literal('abc'),
      segment('', false),
    ]);
  });

  it('reset() drops the unfinished segment, counts it, and starts a new response', () => {
    const framer = new ImapFramer();
    framer.push(Buffer.from('A1 OK Begin TLS\r\n* 1 FETCH (BODY[] {5}\r\nab'));
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.reset()).toBe(0);
    framer.push(Buffer.from('* injected'));
    expect(framer.bufferedBytes).toBe(10);
    expect(framer.reset()).toBe(10);
    expect(framer.bufferedBytes).toBe(0);
    expect(normaliseImapFrames(framer.push(wire('* OK after')))).toEqual([segment('* OK after', true)]);
  });
});

describe('ImapFramer properties', () => {
  const textUnit = fc.constantFrom(...'abcXYZ019 *()[]"\\.+-~{%\x00\x7f\xe9'.split(''));
  const part = fc.record({
    text: fc.string({ unit: textUnit, maxLength: 12 }),
    bareLf: fc.boolean(),
    /** Announced at the end of every part but a response's last. */
    literal: fc.record({
      data: fc.uint8Array({ maxLength: 24 }),
      binary: fc.boolean(),
      suffix: fc.constantFrom('', '+', '-'),
    }),
  });
  /** A stream of responses, with the frames it must give: built from the same model. */
  const stream = fc.array(fc.array(part, { minLength: 1, maxLength: 4 }), { maxLength: 6 }).map((responses) => {
    const bytes: Buffer[] = [];
    const frames: ImapFrameView[] = [];
    for (const parts of responses) {
      parts.forEach((p, i) => {
        const isLast = i === parts.length - 1;
        const lit = isLast ? null : p.literal;
        const text = lit ? `${p.text} ${lit.binary ? '~' : ''}{${lit.data.length}${lit.suffix}}` : p.text;
        bytes.push(Buffer.from(text + (p.bareLf ? '\n' : '\r\n'), 'latin1'));
        frames.push(segment(text, i === 0, lit ? marker(lit.data.length, lit.binary, lit.suffix !== '') : null, p.bareLf));
        if (lit) {
          bytes.push(Buffer.from(lit.data));
          frames.push(...literal(Buffer.from(lit.data).toString('latin1')));
        }
      });
    }
    return { whole: Buffer.concat(bytes), frames };
  });
  const cuts = fc.array(fc.nat({ max: 2000 }), { maxLength: 30 });

  it('frames any chunking of a valid stream as the stream describes', () => {
    fc.assert(
      fc.property(stream, cuts, ({ whole, frames }, positions) => {
        const got = normaliseImapFrames(frameAll(new ImapFramer(), cutAt(whole, positions)));
        expect(got).toEqual(frames);
      }),
      { numRuns: 500 },
    );
  });

  const hostileByte = fc.oneof(fc.constantFrom(0x7b, 0x7d, 0x7e, 0x2b, 0x2d, 0x30, 0x31, 0x39, 0x0d, 0x0a, 0x20), fc.integer({ min: 0, max: 255 }));

  it('never throws on random bytes, and still does not depend on chunking', () => {
    fc.assert(
      fc.property(fc.array(hostileByte, { maxLength: 300 }), cuts, fc.integer({ min: 1, max: 24 }), (bytes, positions, maxLineBytes) => {
        const whole = Buffer.from(bytes);
        const reference = new ImapFramer({ maxLineBytes }).push(Buffer.from(whole));
        expect(Array.isArray(reference)).toBe(true);
        const errors = reference.filter((f) => f.type === 'error');
        expect(errors.length).toBeLessThanOrEqual(1);
        if (errors.length === 1) expect(reference[reference.length - 1]?.type).toBe('error');
        for (const f of reference) if (f.type === 'segment') expect(f.bytes.length).toBeLessThanOrEqual(maxLineBytes);
        const chunked = frameAll(new ImapFramer({ maxLineBytes }), cutAt(whole, positions));
        expect(normaliseImapFrames(chunked)).toEqual(normaliseImapFrames(reference));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('ImapFramer: the shortcut for a chunk that is one whole line', () => {
  const textUnit = fc.constantFrom(...'abcXYZ019 *()[]"\\.+-~{}%\x00\xe9'.split(''));
  /** A line as a server may send it: plain, ending in a literal marker or a brace, CR-less, or holding more lines. */
  const line = fc.tuple(
    fc.string({ unit: textUnit, maxLength: 14 }),
    fc.constantFrom('', '', '', '', ' {3}', ' {0}', '}', ' {2+}', '\r', '\r\nb', '\nc'),
    fc.constantFrom('\r\n', '\r\n', '\r\n', '\r\n', '\n', '', '\r'),
  );
  /** Chunks that are mostly whole lines, some with literal octets or the next line's start after them. */
  const chunks = fc.array(
    fc.oneof(
      { arbitrary: line.map(([text, end, eol]) => text + end + eol), weight: 4 },
      { arbitrary: fc.string({ unit: textUnit, maxLength: 6 }), weight: 1 },
    ),
    { minLength: 1, maxLength: 12 },
  );

  it('frames as the general reading does, byte at a time, and is taken for most whole lines', () => {
    // Byte at a time, no chunk is a whole line ending in CRLF: the general reading alone.
    const wholeLine = vi.spyOn(ImapFramer.prototype as unknown as { wholeLine: (chunk: Buffer) => unknown }, 'wholeLine');
    let taken = 0;
    fc.assert(
      fc.property(chunks, fc.integer({ min: 4, max: 40 }), (texts, maxLineBytes) => {
        const pieces = texts.map((t) => Buffer.from(t, 'latin1'));
        const whole = Buffer.concat(pieces);
        const calls = wholeLine.mock.results.length;
        const got = frameAll(new ImapFramer({ maxLineBytes }), pieces);
        taken += wholeLine.mock.results.slice(calls).filter((r) => r.value !== null).length;
        const reference = frameAll(new ImapFramer({ maxLineBytes }), [...whole].map((b) => Buffer.from([b])));
        expect(normaliseImapFrames(got)).toEqual(normaliseImapFrames(reference));
      }),
      { numRuns: 1000 },
    );
    wholeLine.mockRestore();
    expect(taken).toBeGreaterThan(250);
  });

  it('takes a whole reply line between responses, and leaves literals, held pieces and bare LFs to the general reading', () => {
    const framer = new ImapFramer();
    const push = (text: string) => normaliseImapFrames(framer.push(Buffer.from(text, 'latin1')));
    expect(push('a1 OK done\r\n')).toEqual([segment('a1 OK done', true)]);
    expect(push('* 1 FETCH (BODY[] {4}\r\n')).toEqual([segment('* 1 FETCH (BODY[] {4}', true, marker(4))]);
    expect(push('ab\r\n')).toEqual(literal('ab\r\n'));
    expect(push(')\r\n')).toEqual([segment(')', false)]);
    expect(push('* OK')).toEqual([]);
    expect(push(' done\r\n')).toEqual([segment('* OK done', true)]);
    expect(push('* OK bare\n')).toEqual([segment('* OK bare', true, null, true)]);
    expect(push('a2 OK\r\na3 OK\r\n')).toEqual([segment('a2 OK', true), segment('a3 OK', true)]);
  });
});
