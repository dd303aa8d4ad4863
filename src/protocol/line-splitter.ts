/**
 * Lines out of a byte stream, for both framers: finds each LF with Buffer.indexOf, hands out a line
 * lying within one chunk as a view of it (no copy), joins only the pieces of a line split across
 * chunks, and enforces the line-length cap as soon as it is passed, not at the LF that may never come.
 * read() is the one loop both framers run over a chunk. Pure.
 */

const LF = 0x0a;
const CR = 0x0d;

export interface SplitLine {
  /** The line without its line ending. */
  bytes: Buffer;
  /** The line ended in a bare LF instead of CRLF. */
  bareLf: boolean;
  /** Offset in the chunk just after the LF. */
  next: number;
}

/** What a framer does with a chunk's lines, and (IMAP) with the raw octets it owes between them. */
export interface LineReader {
  /**
   * Raw octets due before the next line (an IMAP literal's): takes what `chunk` holds of them from
   * `offset` and returns where they stopped; null when the next bytes are a line.
   */
  takeOctets?: (chunk: Buffer, offset: number) => number | null;
  line: (line: SplitLine) => void;
  /** A line passed the cap: the framer fails (the stream cannot be resynchronised). */
  tooLong: () => void;
  /** The framer has failed: the rest of the chunk is not read. */
  failed: () => boolean;
}

export class LineSplitter {
  /** Pieces of a line whose LF has not arrived yet (views of earlier chunks, not copies). */
  private partial: Buffer[] = [];
  private partialBytes = 0;

  constructor(readonly maxLineBytes: number) {}

  /** Bytes held for an unfinished line. */
  get bufferedBytes(): number {
    return this.partialBytes;
  }

  /**
   * The next line of `chunk` from `offset`: the line, or null when the chunk ends first (its bytes
   * are held for the next call), or 'too-long' once the line passes maxLineBytes (octets without
   * the line ending).
   */
  take(chunk: Buffer, offset: number): SplitLine | null | 'too-long' {
    const lf = chunk.indexOf(LF, offset);
    if (lf === -1) {
      const piece = chunk.subarray(offset);
      this.partial.push(piece);
      this.partialBytes += piece.length;
      // A trailing CR may still turn out to be half of the CRLF, so it does not count yet: the error
      // then comes at the same octet whatever the chunking.
      const lastIsCr = piece[piece.length - 1] === CR;
      return this.partialBytes - (lastIsCr ? 1 : 0) > this.maxLineBytes ? 'too-long' : null;
    }
    const line = this.complete(chunk.subarray(offset, lf));
    const bareLf = line[line.length - 1] !== CR;
    const bytes = bareLf ? line : line.subarray(0, line.length - 1);
    if (bytes.length > this.maxLineBytes) return 'too-long';
    return { bytes, bareLf, next: lf + 1 };
  }

  /**
   * Reads `chunk` through `reader`: the octets it owes when it owes some, otherwise line by line,
   * until the chunk ends (an unfinished line is held for the next chunk), a line passes the cap, or
   * the reader fails.
   */
  read(chunk: Buffer, reader: LineReader): void {
    let offset = 0;
    while (offset < chunk.length) {
      const afterOctets = reader.takeOctets?.(chunk, offset) ?? null;
      if (afterOctets !== null) {
        offset = afterOctets;
        continue;
      }
      const line = this.take(chunk, offset);
      if (line === null) break;
      if (line === 'too-long') {
        reader.tooLong();
        break;
      }
      offset = line.next;
      reader.line(line);
      if (reader.failed()) break;
    }
  }

  /** Hands out a held partial line (a connection that closed before its LF) and holds nothing more. */
  takeHeld(): Buffer {
    const held = Buffer.concat(this.partial, this.partialBytes);
    this.partial = [];
    this.partialBytes = 0;
    return held;
  }

  /** Drops a held partial line; returns how many bytes it had. */
  reset(): number {
    const dropped = this.partialBytes;
    this.partial = [];
    this.partialBytes = 0;
    return dropped;
  }

  /** The whole line up to its LF: the tail alone when nothing was held (no copy), else the pieces joined. */
  private complete(tail: Buffer): Buffer {
    if (this.partial.length === 0) return tail;
    this.partial.push(tail);
    const line = Buffer.concat(this.partial, this.partialBytes + tail.length);
    this.partial = [];
    this.partialBytes = 0;
    return line;
  }
}
