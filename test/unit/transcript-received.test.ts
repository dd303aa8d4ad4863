/**
 * What replay compares: the collector turns session events into responses in the display form that
 * mailwire records, escapes included. One-line responses skip the renderer; they must read exactly
 * as the renderer writes them, whatever their bytes, and before and after responses with literals.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseImapResponseHead } from '../../src/protocol/imap/response.js';
import { TranscriptRenderer } from '../../src/render/transcript-renderer.js';
import type { SessionEvent } from '../../src/session/events.js';
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
        const rendered = new TranscriptRenderer({ colorLevel: 0, annotate: false, pop3Unstuff: false }).render(segment(bytes, true, null));
        const [response] = new ReceivedCollector().push(segment(bytes, true, null));
        expect(response?.lines).toEqual([rendered.replace(/\n$/, '').replace(/^S: ?/, '')]);
        const parsed = parseImapResponseHead(bytes.toString('utf8'));
        expect(response).toMatchObject({ kind: parsed.kind, tag: parsed.kind === 'tagged' ? parsed.tag : null });
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
