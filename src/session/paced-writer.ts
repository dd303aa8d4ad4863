/**
 * What a session sends, written to the connection a piece at a time: the next piece goes when the
 * socket has taken the last one. A server says nothing while it reads a literal (RFC 3501 §4.3), so
 * without this a 30 MB APPEND to a slow reader is one write queued whole, and --timeout, which counts
 * the server's silence, fires although the server is still reading. Each piece the socket takes is
 * progress that the caller is told of; and no more than a piece waits in the socket's queue.
 */
import type { Connection } from '../transport/connection.js';

/** Octets handed to the socket at once; lines and small literals go in one write, as before. */
export const PIECE_OCTETS = 64 * 1024;

export class PacedWriter {
  /** What is still to be written, in order; the first may be the rest of a larger write. */
  private readonly queue: Buffer[] = [];
  /** The socket's queue is full: the next piece waits for its drain. */
  private blocked = false;

  /** `onProgress`: the socket took a piece that had to wait (the peer is reading). */
  constructor(
    private readonly conn: Connection,
    private readonly onProgress: () => void,
  ) {
    conn.onDrain(() => {
      this.blocked = false;
      this.onProgress();
      this.pump();
    });
  }

  /** Octets given to write() that the socket has not taken yet. */
  get pendingOctets(): number {
    let octets = 0;
    for (const bytes of this.queue) octets += bytes.length;
    return octets;
  }

  write(bytes: Buffer): void {
    // The common case (a command line while nothing waits) is one write, with no queue.
    if (!this.blocked && this.queue.length === 0 && bytes.length <= PIECE_OCTETS) {
      if (!this.conn.write(bytes)) this.blocked = true;
      return;
    }
    this.queue.push(bytes);
    if (!this.blocked) this.pump();
  }

  private pump(): void {
    while (!this.blocked && this.queue.length > 0) {
      const head = this.queue[0] as Buffer;
      let piece = head;
      if (head.length > PIECE_OCTETS) {
        piece = head.subarray(0, PIECE_OCTETS);
        this.queue[0] = head.subarray(PIECE_OCTETS);
      } else {
        this.queue.shift();
      }
      if (!this.conn.write(piece)) this.blocked = true;
    }
  }
}
