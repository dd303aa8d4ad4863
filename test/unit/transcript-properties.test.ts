/**
 * Properties of the transcript format, over random input (fast-check): parsing never fails but with
 * its own documented error, and never hangs; CRLF and LF files read the same; what serializeTranscript
 * writes parses back to the same lines; the pattern parser takes any line.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTranscript, serializeTranscript, TranscriptFormatError, type Transcript } from '../../src/transcript/format.js';
import { parsePattern } from '../../src/transcript/pattern.js';

/** Lines shaped like transcripts: protocol lines, directives, comments, and anything at all. */
const transcriptLine = fc.oneof(
  fc.tuple(fc.constantFrom('C:', 'S:', 'S?:', 'S!:', 'C: ', 'S: '), fc.string({ maxLength: 40 })).map(([p, t]) => `${p}${t}`),
  fc.tuple(fc.constantFrom('protocol', 'target', 'tls', 'recorded', 'secret', 'match', 'note', 'bogus'), fc.string({ maxLength: 20 })).map(
    ([d, v]) => `# ${d}: ${v}`,
  ),
  fc.constantFrom('# mailwire transcript v1', '# mailwire transcript v9', '...', '<open connection>', 'S: <wait for connection on TCP port 110>', ''),
  fc.string({ maxLength: 40 }),
);

const transcriptText = fc.array(transcriptLine, { maxLength: 30 });

/** What parsing gives, or the error's message: both must be the same for equivalent inputs. */
function outcome(source: string): Transcript | string {
  try {
    return parseTranscript(source);
  } catch (error) {
    if (error instanceof TranscriptFormatError) return `error: ${error.message}`;
    throw error;
  }
}

describe('parseTranscript over random input', () => {
  it('never throws anything but TranscriptFormatError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 500 }), transcriptText.map((l) => l.join('\n'))), (source) => {
        outcome(source);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads a file with CRLF line endings as the same file with LF', () => {
    fc.assert(
      fc.property(transcriptText, (lines) => {
        const lf = `${lines.join('\n')}\n`;
        const crlf = `${lines.join('\r\n')}\r\n`;
        expect(outcome(crlf)).toEqual(outcome(lf));
      }),
      { numRuns: 500 },
    );
  });

  it('parses back what serializeTranscript writes, to the same lines and directives', () => {
    fc.assert(
      fc.property(transcriptText, (lines) => {
        const first = outcome(`${lines.join('\n')}\n`);
        if (typeof first === 'string') return;
        const again = outcome(serializeTranscript(first));
        expect(typeof again).toBe('object');
        const strip = (t: Transcript) => ({
          directives: { ...t.directives, secrets: t.directives.secrets.map(({ user, secret }) => ({ user, secret })) },
          lines: t.lines.map(({ direction, expectation, text, rules }) => ({ direction, expectation, text, rules })),
        });
        expect(strip(again as Transcript)).toEqual(strip(first));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parsePattern over random input', () => {
  it('takes any line without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        parsePattern(text);
      }),
      { numRuns: 1000 },
    );
  });
});
