/**
 * Pop3Framer: the RFC example sessions replayed with the expectations their commands imply, the "."
 * terminator and dot-stuffing across chunk boundaries, SASL continuations, and size caps.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Pop3Framer } from '../../src/protocol/pop3/framer.js';
import type { Pop3Frame, Pop3ReplyShape } from '../../src/protocol/pop3/frames.js';
import { cutAt, frameAll, normalisePop3Frames, splitsOf, type Pop3FrameView } from '../support/chunking.js';
import { readRfcTranscript, rfcTranscriptFiles, type RfcTranscript } from '../support/rfc-transcript.js';

/** Lines joined as the wire has them: each followed by CRLF. */
function wire(...lines: string[]): Buffer {
  return Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
}

/**
 * The reply shape of a command line, RFC 1939 §5-7 and RFC 2449 §5: LIST and UIDL without an
 * argument, RETR, TOP and CAPA answer +OK with a body; everything else answers with one line.
 */
function replyShapeOf(command: string): Pop3ReplyShape {
  const [verb = '', ...args] = command.split(' ');
  switch (verb.toUpperCase()) {
    case 'LIST':
    case 'UIDL':
      return args.length === 0 ? 'multiline-if-ok' : 'single';
    case 'RETR':
    case 'TOP':
    case 'CAPA':
      return 'multiline-if-ok';
    default:
      return 'single';
  }
}

/**
 * What the client expects, command by command, in a transcript. A client line that follows a "+ "
 * continuation is a SASL response, not a command (RFC 5034 §4).
 */
function expectationsOf(transcript: RfcTranscript): Pop3ReplyShape[] {
  const shapes: Pop3ReplyShape[] = [];
  let afterContinuation = false;
  for (const { direction, text } of transcript.lines) {
    if (direction === 'S') {
      afterContinuation = text === '+' || text.startsWith('+ ');
    } else if (afterContinuation) {
      afterContinuation = false;
    } else {
      shapes.push(replyShapeOf(text));
    }
  }
  return shapes;
}

/** RFC 1939 §4's greeting, put in front of examples that start after it. */
const GREETING = '+OK POP3 server ready';

/** The server side of a transcript, with a greeting in front when the RFC example starts without one. */
function serverSideOf(transcript: RfcTranscript): Buffer {
  return transcript.lines[0]?.direction === 'S' ? transcript.server : Buffer.concat([wire(GREETING), transcript.server]);
}

function frameWith(shapes: readonly Pop3ReplyShape[], chunks: readonly Buffer[], options: { maxLineBytes?: number } = {}): { frames: Pop3Frame[]; framer: Pop3Framer } {
  const framer = new Pop3Framer(options);
  for (const shape of shapes) framer.expect(shape);
  return { frames: frameAll(framer, chunks), framer };
}

function frame(shapes: readonly Pop3ReplyShape[], whole: Buffer, options: { maxLineBytes?: number } = {}): Pop3FrameView[] {
  return normalisePop3Frames(frameWith(shapes, [Buffer.from(whole)], options).frames);
}

/** Asserts that every split and the byte-at-a-time delivery give the frames of the whole stream. */
function expectChunkingIndependent(shapes: readonly Pop3ReplyShape[], whole: Buffer, options: { maxLineBytes?: number } = {}): Pop3FrameView[] {
  const reference = frame(shapes, whole, options);
  for (const { label, chunks } of splitsOf(whole)) {
    expect(normalisePop3Frames(frameWith(shapes, chunks, options).frames), label).toEqual(reference);
  }
  return reference;
}

type Status = Pop3FrameView & { type: 'status' };

function greeting(text: string): Status {
  return { type: 'status', text, status: text.startsWith('-ERR') ? '-ERR' : '+OK', multiline: false, greeting: true, unsolicited: false };
}

function reply(text: string, options: Partial<Omit<Status, 'type' | 'text'>> = {}): Status {
  const status = /^\+OK( |$)/.test(text) ? '+OK' : /^-ERR( |$)/.test(text) ? '-ERR' : /^\+( |$)/.test(text) ? '+' : 'unknown';
  return { type: 'status', text, status, multiline: false, greeting: false, unsolicited: false, ...options };
}

function body(...lines: string[]): Pop3FrameView[] {
  return [...lines.map((text): Pop3FrameView => ({ type: 'body-line', text, stuffed: false })), { type: 'end' }];
}

/** Puts the frames back on the wire (re-stuffing), to check nothing was lost or added. */
function rewire(frames: readonly Pop3Frame[]): Buffer {
  const lines = frames.map((f) => {
    switch (f.type) {
      case 'status':
        return f.bytes.toString('latin1');
      case 'body-line':
        return (f.stuffed ? '.' : '') + f.bytes.toString('latin1');
      case 'end':
        return '.';
      case 'error':
        return `<${f.code}>`;
    }
  });
  return wire(...lines);
}

describe('Pop3Framer on the RFC example transcripts', () => {
  const files = rfcTranscriptFiles('pop3');

  it('has transcripts to read', () => {
    expect(files.length).toBeGreaterThan(15);
  });

  for (const file of files) {
    const transcript = readRfcTranscript('pop3', file);
    it(`${file}: frames every reply as its command expects, the same way however it is chunked`, () => {
      const shapes = expectationsOf(transcript);
      const server = serverSideOf(transcript);
      const { frames, framer } = frameWith(shapes, [Buffer.from(server)]);
      expect(rewire(frames).toString('latin1')).toBe(server.toString('latin1'));
      expect(frames[0]).toMatchObject({ type: 'status', greeting: true });
      for (const f of frames) {
        expect(f.type).not.toBe('error');
        if (f.type === 'status') expect(f.unsolicited, f.bytes.toString()).toBe(false);
      }
      expect(framer.pending).toBe(0);
      expect(frames[frames.length - 1]?.type).not.toBe('body-line');
      expectChunkingIndependent(shapes, server);
    });
  }

  it('RFC 1939 §10: the example session, from greeting to QUIT', () => {
    const transcript = readRfcTranscript('pop3', 'rfc1939-sec10-apop-session.txt');
    expect(expectationsOf(transcript)).toEqual(['single', 'single', 'multiline-if-ok', 'multiline-if-ok', 'single', 'multiline-if-ok', 'single', 'single']);
    expect(frame(expectationsOf(transcript), transcript.server)).toEqual([
      greeting('+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>'),
      reply("+OK mrose's maildrop has 2 messages (320 octets)"),
      reply('+OK 2 320'),
      reply('+OK 2 messages (320 octets)', { multiline: true }),
      ...body('1 120', '2 200'),
      reply('+OK 120 octets', { multiline: true }),
      ...body('<the POP3 server sends message 1>'),
      reply('+OK message 1 deleted'),
      reply('+OK 200 octets', { multiline: true }),
      ...body('<the POP3 server sends message 2>'),
      reply('+OK message 2 deleted'),
      reply('+OK dewey POP3 server signing off (maildrop empty)'),
    ]);
  });

  it('RFC 1939 §7: UIDL with and without an argument, and -ERR', () => {
    const transcript = readRfcTranscript('pop3', 'rfc1939-7-uidl.txt');
    expect(frame(expectationsOf(transcript), serverSideOf(transcript))).toEqual([
      greeting(GREETING),
      reply('+OK', { multiline: true }),
      ...body('1 whqtswO00WBw418f9t5JxYwZ', '2 QhdPYR:00WBw1Ph7x7'),
      reply('+OK 2 QhdPYR:00WBw1Ph7x7'),
      reply('-ERR no such message, only 2 messages in maildrop'),
    ]);
  });

  it('RFC 2449 §5: the CAPA list', () => {
    const transcript = readRfcTranscript('pop3', 'rfc2449-5-capa.txt');
    expect(frame(expectationsOf(transcript), serverSideOf(transcript))).toEqual([
      greeting(GREETING),
      reply('+OK Capability list follows', { multiline: true }),
      ...body('TOP', 'USER', 'SASL CRAM-MD5 KERBEROS_V4', 'RESP-CODES', 'LOGIN-DELAY 900', 'PIPELINING', 'EXPIRE 60', 'UIDL', 'IMPLEMENTATION Shlemazle-Plotz-v302'),
    ]);
  });

  it('RFC 5034 §6: an empty "+ " challenge keeps AUTH waiting for its +OK', () => {
    const transcript = readRfcTranscript('pop3', 'rfc5034-6-auth-plain-empty-challenge.txt');
    expect(expectationsOf(transcript)).toEqual(['multiline-if-ok', 'single']);
    expect(frame(expectationsOf(transcript), serverSideOf(transcript))).toEqual([
      greeting(GREETING),
      reply('+OK List of capabilities follows', { multiline: true }),
      ...body('SASL PLAIN DIGEST-MD5 GSSAPI ANONYMOUS', 'IMPLEMENTATION BlurdyBlurp POP3 server'),
      reply('+ '),
      reply('+OK Maildrop locked and ready'),
    ]);
  });

  it('RFC 1734 §2: two Kerberos challenges, then the AUTH +OK, then -ERR for an unknown mechanism', () => {
    const transcript = readRfcTranscript('pop3', 'rfc1734-2-auth-kerberos-v4.txt');
    expect(frame(expectationsOf(transcript), transcript.server)).toEqual([
      greeting('+OK POP3 server ready'),
      reply('+ AmFYig=='),
      reply('+ or//EoAADZI='),
      reply('+OK Kerberos V4 authentication successful'),
      reply('-ERR Unrecognized authentication type'),
    ]);
  });
});

describe('Pop3Framer multi-line replies', () => {
  const retr = ['multiline-if-ok'] as const;

  it('finds the "." terminator wherever the chunks are cut', () => {
    const whole = wire(GREETING, '+OK 12 octets', 'line one', '.', '+OK after');
    const frames = expectChunkingIndependent(['multiline-if-ok', 'single'], whole);
    expect(frames).toEqual([greeting(GREETING), reply('+OK 12 octets', { multiline: true }), ...body('line one'), reply('+OK after')]);
  });

  it('ends a body on "." split as ".\\r" then "\\n", or "\\r\\n." then "\\r\\n"', () => {
    const framer = new Pop3Framer();
    framer.expect('multiline-if-ok');
    expect(normalisePop3Frames(framer.push(Buffer.from(`${GREETING}\r\n+OK\r\nx\r`)))).toEqual([greeting(GREETING), reply('+OK', { multiline: true })]);
    expect(normalisePop3Frames(framer.push(Buffer.from('\n.')))).toEqual([{ type: 'body-line', text: 'x', stuffed: false }]);
    expect(normalisePop3Frames(framer.push(Buffer.from('\r')))).toEqual([]);
    expect(framer.bufferedBytes).toBe(2);
    expect(normalisePop3Frames(framer.push(Buffer.from('\n')))).toEqual([{ type: 'end' }]);
    expect(framer.bufferedBytes).toBe(0);
  });

  it('undoes dot-stuffing (RFC 1939 §3): "..", "..foo", ".foo"', () => {
    const whole = wire(GREETING, '+OK', '..', '..foo', '.foo', 'a.b', '...', '.');
    expect(expectChunkingIndependent(retr, whole)).toEqual([
      greeting(GREETING),
      reply('+OK', { multiline: true }),
      { type: 'body-line', text: '.', stuffed: true },
      { type: 'body-line', text: '.foo', stuffed: true },
      { type: 'body-line', text: 'foo', stuffed: true },
      { type: 'body-line', text: 'a.b', stuffed: false },
      { type: 'body-line', text: '..', stuffed: true },
      { type: 'end' },
    ]);
  });

  it('keeps empty body lines, and lines that only look like status lines', () => {
    expect(expectChunkingIndependent(retr, wire(GREETING, '+OK', '', '+OK not a reply', '-ERR neither', '.'))).toEqual([
      greeting(GREETING),
      reply('+OK', { multiline: true }),
      ...body('', '+OK not a reply', '-ERR neither'),
    ]);
  });

  it('reads -ERR to a multi-line command as a single line', () => {
    expect(expectChunkingIndependent(['multiline-if-ok', 'single'], wire(GREETING, '-ERR no such message', '+OK'))).toEqual([
      greeting(GREETING),
      reply('-ERR no such message'),
      reply('+OK'),
    ]);
  });

  it('reads a status it does not know as a single line that answers the command', () => {
    expect(frame(['multiline-if-ok', 'single'], wire(GREETING, '+OKAY 1 message', '-ERRORS', 'hello'))).toEqual([
      greeting(GREETING),
      reply('+OKAY 1 message', { status: 'unknown' }),
      reply('-ERRORS', { status: 'unknown' }),
      reply('hello', { unsolicited: true }),
    ]);
  });

  it('accepts bare LF line ends, the terminator included', () => {
    expect(expectChunkingIndependent(retr, Buffer.from(`${GREETING}\n+OK\nbody\r\n..x\n.\n+OK late\n`))).toEqual([
      greeting(GREETING),
      reply('+OK', { multiline: true }),
      { type: 'body-line', text: 'body', stuffed: false },
      { type: 'body-line', text: '.x', stuffed: true },
      { type: 'end' },
      reply('+OK late', { unsolicited: true }),
    ]);
  });

  it('says which lines ended in a bare LF (RFC 1939 §3 wants CRLF), for the session to tell', () => {
    const framer = new Pop3Framer();
    framer.expect('multiline-if-ok');
    framer.expect('single');
    const frames = framer.push(Buffer.from(`${GREETING}\n+OK\r\nbody\n..x\r\n.\n+OK bye\r\n`));
    expect(frames.map((f) => f.type !== 'error' && f.bareLf === true)).toEqual([true, false, true, false, true, false]);
  });

  it('streams a reply of 100 000 lines line by line', () => {
    const framer = new Pop3Framer();
    framer.expect('multiline-if-ok');
    framer.push(wire(GREETING, '+OK 100000 messages'));
    const block = wire(...Array.from({ length: 1000 }, (_, i) => `${i + 1} 4096`));
    let lines = 0;
    for (let i = 0; i < 100; i++) {
      const frames = framer.push(block);
      expect(frames).toHaveLength(1000);
      for (const f of frames) if (f.type === 'body-line') lines++;
      expect(framer.bufferedBytes).toBe(0);
    }
    expect(lines).toBe(100_000);
    expect(normalisePop3Frames(framer.push(wire('.')))).toEqual([{ type: 'end' }]);
  });

  it('takes each line within a chunk without copying it', () => {
    const framer = new Pop3Framer();
    framer.expect('multiline-if-ok');
    const chunk = wire(GREETING, '+OK', '..x', 'y', '.');
    const frames = framer.push(chunk);
    expect(frames).toHaveLength(5);
    for (const f of frames) if (f.type !== 'end') expect(f.type !== 'error' && f.bytes.buffer === chunk.buffer).toBe(true);
  });
});

describe('Pop3Framer status lines', () => {
  it('takes the first line as the greeting, whatever it says, without an expectation', () => {
    const framer = new Pop3Framer();
    expect(normalisePop3Frames(framer.push(wire('-ERR go away')))).toEqual([greeting('-ERR go away')]);
    expect(framer.pending).toBe(0);
  });

  it('keeps the expectation across "+ " and "+" continuations (RFC 5034 §4)', () => {
    const framer = new Pop3Framer();
    framer.push(wire(GREETING));
    framer.expect('single');
    expect(normalisePop3Frames(framer.push(wire('+ ')))).toEqual([reply('+ ')]);
    expect(framer.pending).toBe(1);
    expect(normalisePop3Frames(framer.push(wire('+')))).toEqual([reply('+')]);
    expect(framer.pending).toBe(1);
    expect(normalisePop3Frames(framer.push(wire('+OK Maildrop locked and ready')))).toEqual([reply('+OK Maildrop locked and ready')]);
    expect(framer.pending).toBe(0);
  });

  it('marks a line that answers nothing as unsolicited, single-line', () => {
    expect(expectChunkingIndependent([], wire(GREETING, '-ERR autologout; idle for too long', '+ what'))).toEqual([
      greeting(GREETING),
      reply('-ERR autologout; idle for too long', { unsolicited: true }),
      reply('+ what', { unsolicited: true }),
    ]);
  });

  it('matches pipelined replies to commands in order (RFC 2449 §6.6)', () => {
    const framer = new Pop3Framer();
    for (const shape of ['single', 'multiline-if-ok', 'multiline-if-ok', 'single'] as const) framer.expect(shape);
    expect(framer.pending).toBe(4);
    const frames = normalisePop3Frames(framer.push(wire(GREETING, '+OK user', '+OK', '1 2', '.', '-ERR no', '+OK bye')));
    expect(frames).toEqual([
      greeting(GREETING),
      reply('+OK user'),
      reply('+OK', { multiline: true }),
      ...body('1 2'),
      reply('-ERR no'),
      reply('+OK bye'),
    ]);
    expect(framer.pending).toBe(0);
  });

  it('accepts an expectation after the reply bytes arrived but before the line was complete', () => {
    const framer = new Pop3Framer();
    framer.push(Buffer.from(`${GREETING}\r\n+OK 2 mess`));
    framer.expect('multiline-if-ok');
    expect(normalisePop3Frames(framer.push(Buffer.from('ages\r\n.\r\n')))).toEqual([reply('+OK 2 messages', { multiline: true }), { type: 'end' }]);
  });
});

describe('Pop3Framer limits and failure', () => {
  it('fails with line-too-long as soon as the cap is passed, and stays failed', () => {
    const framer = new Pop3Framer({ maxLineBytes: 8 });
    framer.expect('multiline-if-ok');
    expect(normalisePop3Frames(framer.push(wire('+OK hi', '+OK')))).toEqual([greeting('+OK hi'), reply('+OK', { multiline: true })]);
    for (let i = 0; i < 8; i++) expect(framer.push(Buffer.from('x'))).toEqual([]);
    const frames = framer.push(Buffer.from('x'));
    expect(normalisePop3Frames(frames)).toEqual([{ type: 'error', code: 'line-too-long' }]);
    expect(frames[0]?.type === 'error' && frames[0].message).toBe('line exceeds 8 octets without a line ending');
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.push(wire('.', '+OK'))).toEqual([]);
  });

  it('counts a line without its CRLF, however it is chunked', () => {
    expect(expectChunkingIndependent([], wire('+OK 5678', '+OK'), { maxLineBytes: 8 })).toEqual([greeting('+OK 5678'), reply('+OK', { unsolicited: true })]);
    expect(expectChunkingIndependent([], wire('+OK 56789', '+OK'), { maxLineBytes: 8 })).toEqual([{ type: 'error', code: 'line-too-long' }]);
  });

  it('reset() drops the unfinished line and the body in progress, and keeps the expectations', () => {
    const framer = new Pop3Framer();
    framer.expect('single');
    framer.expect('single');
    framer.push(wire(GREETING, '+OK Begin TLS negotiation'));
    framer.push(Buffer.from('+OK injected'));
    expect(framer.bufferedBytes).toBe(12);
    expect(framer.reset()).toBe(12);
    expect(framer.bufferedBytes).toBe(0);
    expect(framer.pending).toBe(1);
    expect(normalisePop3Frames(framer.push(wire('+OK after TLS')))).toEqual([reply('+OK after TLS')]);
  });
});

describe('Pop3Framer properties', () => {
  const lineText = fc.string({ unit: fc.constantFrom(...'.+-OKER x1\x00\xff'.split('')), maxLength: 10 });
  const shape = fc.constantFrom<Pop3ReplyShape>('single', 'multiline-if-ok');
  /** A session of replies, with the expectations and frames it must give: built from the same model. */
  const session = fc
    .array(fc.record({ shape, ok: fc.boolean(), text: lineText, body: fc.array(lineText, { maxLength: 5 }), bareLf: fc.boolean() }), { maxLength: 8 })
    .map((replies) => {
      const lines: Array<{ text: string; bareLf: boolean }> = [{ text: GREETING, bareLf: false }];
      const frames: Pop3FrameView[] = [greeting(GREETING)];
      for (const r of replies) {
        const text = `${r.ok ? '+OK' : '-ERR'} ${r.text}`;
        const multiline = r.shape === 'multiline-if-ok' && r.ok;
        lines.push({ text, bareLf: r.bareLf });
        frames.push(reply(text, { multiline }));
        if (!multiline) continue;
        for (const b of r.body) {
          // RFC 1939 §3: the server stuffs every line that begins with ".".
          lines.push({ text: b.startsWith('.') ? `.${b}` : b, bareLf: r.bareLf });
          frames.push({ type: 'body-line', text: b, stuffed: b.startsWith('.') });
        }
        lines.push({ text: '.', bareLf: r.bareLf });
        frames.push({ type: 'end' });
      }
      const whole = Buffer.from(lines.map((l) => l.text + (l.bareLf ? '\n' : '\r\n')).join(''), 'latin1');
      return { whole, frames, shapes: replies.map((r) => r.shape) };
    });
  const cuts = fc.array(fc.nat({ max: 1000 }), { maxLength: 30 });

  it('frames any chunking of a valid session as the session describes', () => {
    fc.assert(
      fc.property(session, cuts, ({ whole, frames, shapes }, positions) => {
        expect(normalisePop3Frames(frameWith(shapes, cutAt(whole, positions)).frames)).toEqual(frames);
      }),
      { numRuns: 500 },
    );
  });

  const hostileByte = fc.oneof(fc.constantFrom(0x2e, 0x2b, 0x2d, 0x4f, 0x4b, 0x45, 0x52, 0x20, 0x0d, 0x0a), fc.integer({ min: 0, max: 255 }));

  it('never throws on random bytes, and still does not depend on chunking', () => {
    fc.assert(
      fc.property(fc.array(hostileByte, { maxLength: 300 }), fc.array(shape, { maxLength: 6 }), cuts, fc.integer({ min: 1, max: 16 }), (bytes, shapes, positions, maxLineBytes) => {
        const whole = Buffer.from(bytes);
        const reference = frameWith(shapes, [Buffer.from(whole)], { maxLineBytes }).frames;
        const errors = reference.filter((f) => f.type === 'error');
        expect(errors.length).toBeLessThanOrEqual(1);
        if (errors.length === 1) expect(reference[reference.length - 1]?.type).toBe('error');
        const chunked = frameWith(shapes, cutAt(whole, positions), { maxLineBytes }).frames;
        expect(normalisePop3Frames(chunked)).toEqual(normalisePop3Frames(reference));
      }),
      { numRuns: 1000 },
    );
  });
});
