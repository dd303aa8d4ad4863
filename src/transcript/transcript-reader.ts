/**
 * A transcript read from chunks of bytes, as a file hands them out: lines are cut at each LF
 * (protocol/line-splitter.ts, which joins only the pieces of a line split across chunks), decoded as
 * UTF-8 one line at a time, and parsed by TranscriptParser. So a transcript of any length is read in
 * memory bounded by its longest line, wherever the chunks happen to split it. Pure: whoever reads the
 * file pushes its chunks (cli/transcript-files.ts).
 *
 * Cutting at LF before decoding gives the same text as decoding the whole file first: no UTF-8
 * sequence holds the octet 0x0A, and an incomplete sequence before it decodes to U+FFFD either way.
 * The splitter keeps views of the chunks for a line split across them: a caller must not reuse a
 * chunk's buffer for the next one.
 */
import { LineSplitter } from '../protocol/line-splitter.js';
import { TranscriptCollector, TranscriptParser, type Transcript, type TranscriptItem } from './format.js';

const LF = Buffer.from('\n');

export class TranscriptReader {
  readonly parser = new TranscriptParser();
  // A transcript line has no length cap of its own: what lint and replay do with a long line is
  // bounded where they do it.
  private readonly splitter = new LineSplitter(Number.MAX_SAFE_INTEGER);
  private lineNo = 0;

  /**
   * The items of the lines a chunk completes, in file order.
   * @throws TranscriptFormatError
   */
  push(chunk: Buffer): TranscriptItem[] {
    const items: TranscriptItem[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      const split = this.splitter.take(chunk, offset);
      if (split === null || split === 'too-long') break;
      offset = split.next;
      this.parse(split.bytes, split.bareLf, items);
    }
    return items;
  }

  /**
   * The item of a last line without its LF, if any.
   * @throws TranscriptFormatError
   */
  end(): TranscriptItem[] {
    if (this.splitter.bufferedBytes === 0) return [];
    const items: TranscriptItem[] = [];
    const split = this.splitter.take(LF, 0);
    if (split !== null && split !== 'too-long') this.parse(split.bytes, split.bareLf, items);
    return items;
  }

  /** Lines read so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  private parse(bytes: Buffer, bareLf: boolean, items: TranscriptItem[]): void {
    this.lineNo++;
    // The splitter took the CR of a CRLF; the parser drops exactly one CR, as it does for a whole file.
    const item = this.parser.line(bareLf ? bytes.toString('utf8') : `${bytes.toString('utf8')}\r`, this.lineNo);
    if (item !== null) items.push(item);
  }
}

/**
 * A whole transcript from its chunks (replay, serve, step and learn work on the whole).
 * @throws TranscriptFormatError
 */
export function transcriptFromChunks(chunks: Iterable<Buffer>): Transcript {
  const reader = new TranscriptReader();
  const collector = new TranscriptCollector();
  for (const chunk of chunks) for (const item of reader.push(chunk)) collector.add(item);
  for (const item of reader.end()) collector.add(item);
  return collector.transcript(reader.parser);
}
