/**
 * A transcript read from chunks of bytes, as a file hands them out: the lines a chunk completes are
 * decoded as UTF-8 together, up to its last LF, and cut at each LF; only a line split across chunks
 * is held (as views of the chunks) and joined when its LF comes. Each line goes to TranscriptParser.
 * So a transcript of any length is read in memory bounded by its longest line and the chunk size,
 * wherever the chunks happen to split it. Pure: whoever reads the file pushes its chunks
 * (cli/transcript-files.ts).
 *
 * Cutting at LF before decoding gives the same text as decoding the whole file first: no UTF-8
 * sequence holds the octet 0x0A, and an incomplete sequence before it decodes to U+FFFD either way.
 * For the same reason a run of whole lines decodes to the same text as its lines one by one, and
 * decoding them together spares a buffer and a decoder call per line. A caller must not reuse a
 * chunk's buffer for the next one: the piece of a split line is kept as a view of it.
 */
import { TranscriptCollector, TranscriptParser, type Transcript, type TranscriptItem } from './format.js';

const LF = 0x0a;

export class TranscriptReader {
  readonly parser = new TranscriptParser();
  // A transcript line has no length cap of its own: what lint and replay do with a long line is
  // bounded where they do it.
  /** The pieces of a line whose LF has not come yet. */
  private held: Buffer[] = [];
  private lineNo = 0;

  /**
   * The items of the lines a chunk completes, in file order.
   * @throws TranscriptFormatError
   */
  push(chunk: Buffer): TranscriptItem[] {
    const items: TranscriptItem[] = [];
    const lastLf = chunk.lastIndexOf(LF);
    if (lastLf === -1) {
      if (chunk.length > 0) this.held.push(chunk);
      return items;
    }
    let start = 0;
    if (this.held.length > 0) {
      // The line begun in earlier chunks ends at this chunk's first LF.
      const firstLf = chunk.indexOf(LF);
      this.held.push(chunk.subarray(0, firstLf));
      const line = Buffer.concat(this.held);
      this.held = [];
      const text = line.toString('utf8');
      this.parse(text, 0, text.length, items);
      start = firstLf + 1;
    }
    if (start <= lastLf) {
      // Each line keeps the CR of its CRLF: the parser drops exactly one CR, as it does for a whole
      // file. The lines are read where they stand in the decoded run (TranscriptParser.lineIn).
      const run = chunk.toString('utf8', start, lastLf);
      for (let from = 0; ; ) {
        const lf = run.indexOf('\n', from);
        this.parse(run, from, lf === -1 ? run.length : lf, items);
        if (lf === -1) break;
        from = lf + 1;
      }
    }
    if (lastLf + 1 < chunk.length) this.held.push(chunk.subarray(lastLf + 1));
    return items;
  }

  /**
   * The item of a last line without its LF, if any.
   * @throws TranscriptFormatError
   */
  end(): TranscriptItem[] {
    if (this.held.length === 0) return [];
    const items: TranscriptItem[] = [];
    const text = Buffer.concat(this.held).toString('utf8');
    this.held = [];
    this.parse(text, 0, text.length, items);
    return items;
  }

  /** Lines read so far. */
  get linesRead(): number {
    return this.lineNo;
  }

  /** The item of the line `source.slice(start, end)`, if it makes one. */
  private parse(source: string, start: number, end: number, items: TranscriptItem[]): void {
    this.lineNo++;
    const item = this.parser.lineIn(source, start, end, this.lineNo);
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
