/**
 * Messages the RFC examples carry, as their lines (without line endings), read from the example
 * transcripts themselves so tests quote the documents rather than copies of them.
 */
import { readRfcTranscript } from './rfc-transcript.js';

function linesAfter(file: string, direction: 'C' | 'S', opening: RegExp, count: number): string[] {
  const lines = readRfcTranscript('imap', file).lines.filter((l) => l.direction === direction).map((l) => l.text);
  const at = lines.findIndex((l) => opening.test(l));
  if (at < 0) throw new Error(`${file}: no line matches ${opening}`);
  return lines.slice(at + 1, at + 1 + count);
}

/** The 310-octet message RFC 3501 §6.3.11 APPENDs (9 lines, the empty header/body separator included). */
export const RFC3501_APPEND_MESSAGE: readonly string[] = linesAfter('rfc3501-6.3.11-append.txt', 'C', /APPEND saved-messages/, 9);

/** The 342-octet header RFC 3501 §8 fetches with BODY[HEADER] (8 fields and the empty line). */
export const RFC3501_MINUTES_HEADER: readonly string[] = linesAfter('rfc3501-8-sample-connection.txt', 'S', /BODY\[HEADER\] \{342\}$/, 9);
