/**
 * Lines out of a byte stream, for both framers: finds each LF with Buffer.indexOf, hands out a line
 * lying within one chunk as a view of it (no copy), joins only the pieces of a line split across
 * chunks, and enforces the line-length cap as soon as it is passed, not at the LF that may never come.
 * Pure.
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
