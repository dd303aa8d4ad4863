/**
 * A recording reads back as the octets that crossed the wire, both ways: random octets in server
 * lines, client lines and literals of either side go through the session's client lines and the
 * recorder into a file, and the file, read as replay and serve read it (transcript reader, script,
 * patterns, wireBytes), gives the same octets back. Octets rich in what the display form writes
 * specially: backslashes before `x1b` or `u{202e}`, controls, C1, invalid UTF-8, and `$`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ClientLineWriter } from '../../src/session/client-lines.js';
import type { Protocol, SessionEvent } from '../../src/session/events.js';
import { displayForm, wireBytes } from '../../src/protocol/display-form.js';
import { parsePattern, patternText } from '../../src/transcript/pattern.js';
import { TranscriptRecorder } from '../../src/transcript/recorder.js';
import { buildScript } from '../../src/transcript/script.js';
import { transcriptFromChunks } from '../../src/transcript/transcript-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'mailwire-octets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CRLF = Buffer.from('\r\n');

/**
 * Octets of a line: no LF (the framers end lines there), nothing that could make a volatile value a
 * pattern (no upper-case words, no "secs"), and never a `}` last (no literal marker by chance).
 */
const lineOctets = fc
  .array(
    fc.oneof(
      { weight: 8, arbitrary: fc.constantFrom(...'\\xu{}0129abcf $"()'.split('')).map((c) => Buffer.from(c, 'latin1')) },
      { weight: 2, arbitrary: fc.constantFrom('\\x1b', '\\u{202e}', '\\\\x41', '\x1b', '\r', '\t', '\0', '\x7f', '\u0085', '\u009b', '\u202e', '\ufeff', 'é', '😀').map((c) => Buffer.from(c, 'utf8')) },
      { weight: 1, arbitrary: fc.constantFrom(0x80, 0x9b, 0xc3, 0xe2, 0xed, 0xf0, 0xff).map((b) => Buffer.from([b])) },
    ),
    { maxLength: 30 },
  )
  .map((parts) => Buffer.concat(parts))
  .map((octets) => (octets[octets.length - 1] === 0x7d ? Buffer.concat([octets, Buffer.from('.')]) : octets));

/** A literal's octets: lines of such octets joined by CRLF, perhaps ending without one. */
const literalOctets = fc.array(lineOctets, { maxLength: 4 }).chain((lines) =>
  fc.boolean().map((ends) => Buffer.concat([lines.map((l) => l.toString('latin1')).join('\r\n'), ends && lines.length > 0 ? '\r\n' : ''].map((s) => Buffer.from(s, 'latin1')))),
);

/** A message of either side: a line, or a line announcing a literal, the literal, and the line's rest. */
const message = fc.record({ head: lineOctets, literal: fc.option(literalOctets), rest: lineOctets });

/** Records `events` and reads the file back. */
function recordAndRead(protocol: Protocol, events: SessionEvent[]): ReturnType<typeof transcriptFromChunks> {
  const path = join(dir, `t-${Math.random().toString(36).slice(2)}.txt`);
  const recorder = new TranscriptRecorder(path, { protocol, target: `${protocol}://127.0.0.1:1`, tls: 'none', date: '2026-12-05T00:00:00.000Z' });
  for (const e of events) recorder.record(e);
  recorder.close();
  const transcript = transcriptFromChunks([readFileSync(path)]);
  rmSync(path);
  return transcript;
}

/** The octets each direction's lines stand for, read as replay and serve read them. */
function octetsRead(transcript: ReturnType<typeof transcriptFromChunks>, protocol: Protocol): { C: Buffer; S: Buffer } {
  const out = { C: [] as Buffer[], S: [] as Buffer[] };
  for (const step of buildScript(transcript.lines, protocol)) {
    const literalChars = new Map<unknown, number>();
    for (const item of step.client) literalChars.set(item.line, item.literalChars);
    for (const r of step.server) r.lines.forEach((line, i) => literalChars.set(line, r.literalChars[i] ?? 0));
    for (const line of step.lines) {
      // Literal data as written; the rest of a line is a pattern, its `$$` a dollar sign.
      const chars = literalChars.get(line) ?? 0;
      const text = line.text.slice(0, chars) + patternText(parsePattern(line.text.slice(chars)));
      out[line.direction].push(wireBytes(text), CRLF);
    }
  }
  return { C: Buffer.concat(out.C), S: Buffer.concat(out.S) };
}

describe('a recording read back', () => {
  it('gives the octets of IMAP server and client lines and literals, whatever they hold', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(message, message), { maxLength: 4 }), fc.array(fc.nat(12), { maxLength: 3 }), (exchanges, cuts) => {
        const events: SessionEvent[] = [{ kind: 'imap-segment', bytes: Buffer.from('* OK ready'), first: true, literalSize: null }];
        const wire = { C: [] as Buffer[], S: [Buffer.from('* OK ready\r\n')] };
        const client = new ClientLineWriter('imap');
        exchanges.forEach(([c, s], n) => {
          // The client's command, as the session shows what it sends.
          const tag = Buffer.from(`a${n} x `);
          const head = Buffer.concat([tag, c.head, c.literal === null ? Buffer.alloc(0) : Buffer.from(` {${c.literal.length}+}`)]);
          events.push(client.lineEvent(displayForm(head), 'command'));
          wire.C.push(head, CRLF);
          if (c.literal !== null) {
            events.push(...client.literal(c.literal, false));
            events.push(client.lineEvent(displayForm(c.rest), 'continued'));
            wire.C.push(c.literal, c.rest, CRLF);
          }
          // The server's answer, as the framer hands it out: a literal in pieces.
          const first = Buffer.concat([Buffer.from('* 1 x '), s.head, s.literal === null ? Buffer.alloc(0) : Buffer.from(` {${s.literal.length}}`)]);
          events.push({ kind: 'imap-segment', bytes: first, first: true, literalSize: s.literal?.length ?? null });
          wire.S.push(first, CRLF);
          if (s.literal !== null) {
            let at = 0;
            for (const cut of [...cuts.map((k) => Math.min(k, s.literal!.length)).sort((a, b) => a - b), s.literal.length]) {
              if (cut > at) events.push({ kind: 'imap-literal-data', bytes: s.literal.subarray(at, cut) });
              at = Math.max(at, cut);
            }
            events.push({ kind: 'imap-literal-end', size: s.literal.length }, { kind: 'imap-segment', bytes: s.rest, first: false, literalSize: null });
            wire.S.push(s.literal, s.rest, CRLF);
          }
          events.push({ kind: 'imap-segment', bytes: Buffer.from(`a${n} OK done`), first: true, literalSize: null });
          wire.S.push(Buffer.from(`a${n} OK done\r\n`));
        });
        const read = octetsRead(recordAndRead('imap', events), 'imap');
        expect(read.S.toString('latin1')).toBe(Buffer.concat(wire.S).toString('latin1'));
        expect(read.C.toString('latin1')).toBe(Buffer.concat(wire.C).toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the octets of POP3 status and body lines (dot-stuffed as on the wire) and of commands', () => {
    const body = fc.array(fc.tuple(lineOctets, fc.boolean()), { maxLength: 5 });
    fc.assert(
      fc.property(fc.array(fc.tuple(lineOctets, lineOctets, body), { maxLength: 4 }), (exchanges) => {
        const events: SessionEvent[] = [{ kind: 'pop3-status', bytes: Buffer.from('+OK ready'), multiline: false }];
        const wire = { C: [] as Buffer[], S: [Buffer.from('+OK ready\r\n')] };
        const client = new ClientLineWriter('pop3');
        for (const [command, status, lines] of exchanges) {
          const line = Buffer.concat([Buffer.from('RETR '), command]);
          events.push(client.lineEvent(displayForm(line), 'command'));
          wire.C.push(line, CRLF);
          const reply = Buffer.concat([Buffer.from('+OK '), status]);
          events.push({ kind: 'pop3-status', bytes: reply, multiline: true });
          wire.S.push(reply, CRLF);
          for (const [text, stuffed] of lines) {
            // RFC 1939 §3: a body line that starts with "." goes with one more.
            const shown = stuffed ? Buffer.concat([Buffer.from('.'), text]) : text;
            events.push({ kind: 'pop3-body-line', bytes: shown, stuffed: shown[0] === 0x2e });
            wire.S.push(shown[0] === 0x2e ? Buffer.from('.') : Buffer.alloc(0), shown, CRLF);
          }
          events.push({ kind: 'pop3-end' });
          wire.S.push(Buffer.from('.\r\n'));
        }
        const read = octetsRead(recordAndRead('pop3', events), 'pop3');
        expect(read.S.toString('latin1')).toBe(Buffer.concat(wire.S).toString('latin1'));
        expect(read.C.toString('latin1')).toBe(Buffer.concat(wire.C).toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });
});
