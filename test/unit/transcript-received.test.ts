/**
 * What replay compares: the collector turns session events into responses in the display form that
 * mailwire records, escapes included. One-line responses skip the renderer; they must read exactly
 * as the renderer writes them, whatever their bytes, and before and after responses with literals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fetchDataStart } from '../../src/protocol/imap/decoded-view-heads.js';
import { parseImapResponseHead } from '../../src/protocol/imap/response.js';
import { TranscriptRenderer } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';
import { ImapSession } from '../../src/session/imap-session.js';
import { ReceivedCollector } from '../../src/transcript/received.js';

const segment = (bytes: Buffer, first: boolean, literalSize: number | null): SessionEvent => ({ kind: 'imap-segment', bytes, first, literalSize });

/** A line as the framer hands it out: any bytes but LF. */
const lineBytes = fc.uint8Array({ maxLength: 60 }).map((a) => Buffer.from(a.filter((b) => b !== 0x0a)));
const head = fc.constantFrom('* OK ', 'a1 OK ', '+ ', '* 3 FETCH ', 'a1 NO ', '', '+', '*');

describe('ReceivedCollector', () => {
  it('reads a one-line response as the recording renderer writes it, for any bytes', () => {
    fc.assert(
      fc.property(head, lineBytes, (h, rest) => {
        const bytes = Buffer.concat([Buffer.from(h), rest]);
        const rendered = new TranscriptRenderer({ colorLevel: 0, annotate: false }).render(segment(bytes, true, null));
        const [response] = new ReceivedCollector().push(segment(bytes, true, null));
        expect(response?.lines).toEqual([rendered.replace(/\n$/, '').replace(/^S: ?/, '')]);
        const parsed = parseImapResponseHead(bytes.toString('utf8'));
        expect(response).toMatchObject({ kind: parsed.kind, tag: parsed.kind === 'tagged' ? parsed.tag : null });
      }),
      { numRuns: 500 },
    );
  });

  it("reads a response the same from the session's parse of its head as from its own, for any bytes", () => {
    // The session decodes a head as latin1; a tag that is not ASCII must still come out as UTF-8 reads it.
    const anyHead = fc.constantFrom('* OK ', 'a1 OK ', '+ ', '+', '* 3 FETCH (BODY[] {3}\r\nabc)', 'ä1 OK ', 'a\u00ff NO ', '\u20ac BAD ', '* BYE ');
    fc.assert(
      fc.property(anyHead, lineBytes, fc.boolean(), (h, rest, tail) => {
        const session = new ImapSession(() => 0);
        session.receive(Buffer.from('* OK ready\r\n'));
        const wire = Buffer.concat([Buffer.from(h, 'utf8'), rest, Buffer.from('\r\n'), tail ? Buffer.from('a2 OK done\r\n') : Buffer.alloc(0)]);
        const events = session.receive(wire).flatMap((a) => (a.type === 'show' ? [a.event] : []));
        const shared = new ReceivedCollector();
        const own = new ReceivedCollector();
        const viaShared = events.flatMap((e) => shared.push(e));
        const viaOwn = events.flatMap((e) => {
          if (e.kind !== 'imap-segment') return own.push(e);
          const { head: _head, ...withoutHead } = e;
          return own.push(withoutHead);
        });
        expect(viaShared).toEqual(viaOwn);
        // The session does hand its parse on: the first segment of each response carries it, but for
        // `* n FETCH` data, which the session does not read.
        for (const e of events) {
          if (e.kind !== 'imap-segment' || !e.first) continue;
          expect(e.head).toEqual(fetchDataStart(e.bytes) >= 0 ? undefined : parseImapResponseHead(e.bytes.toString('latin1')));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps a literal that leaves its line open apart from the next response', () => {
    const c = new ReceivedCollector();
    const events: SessionEvent[] = [
      segment(Buffer.from('* 1 FETCH (BODY[] {5}'), true, 5),
      { kind: 'imap-literal-data', bytes: Buffer.from('ab\x1bcd') },
      { kind: 'imap-literal-end', size: 5 },
      segment(Buffer.from(')'), false, null),
      segment(Buffer.from('a1 OK done \x07'), true, null),
    ];
    const responses = events.flatMap((e) => c.push(e));
    expect(responses).toEqual([
      { kind: 'untagged', tag: null, lines: ['* 1 FETCH (BODY[] {5}', 'ab\\x1bcd)'] },
      { kind: 'tagged', tag: 'a1', lines: ['a1 OK done \\x07'] },
    ]);
  });
});
