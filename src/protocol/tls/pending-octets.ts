/**
 * Octets received and not yet read, for the TLS readers (tls-records.ts, handshake-messages.ts): the
 * chunks are kept as they came (views, no copy) and joined only when a whole unit is taken, so that
 * bytes arriving one at a time cost no more than bytes arriving at once. Pure.
 */
export class PendingOctets {
  private pieces: Buffer[] = [];
  /** Index of the first piece still held (pieces before it are read). */
  private head = 0;
  private total = 0;

  /** Octets held. */
  get length(): number {
    return this.total;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.pieces.push(chunk);
    this.total += chunk.length;
  }

  /** The octet at `index` from the front; undefined past the end. */
  at(index: number): number | undefined {
    if (index < 0 || index >= this.total) return undefined;
    let i = index;
    for (let p = this.head; p < this.pieces.length; p++) {
      const piece = this.pieces[p] as Buffer;
      if (i < piece.length) return piece[i];
      i -= piece.length;
    }
    return undefined;
  }

  /** Removes and returns the first `n` octets; a RangeError when fewer are held (callers check `length`). */
  take(n: number): Buffer {
    if (n > this.total) throw new RangeError(`PendingOctets.take(${n}) with ${this.total} held`);
    const first = this.pieces[this.head];
    let out: Buffer;
    if (n === 0) {
      out = Buffer.alloc(0);
    } else if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      this.consume(first, n);
    } else {
      out = Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const piece = this.pieces[this.head] as Buffer;
        const part = Math.min(piece.length, n - filled);
        piece.copy(out, filled, 0, part);
        filled += part;
        this.consume(piece, part);
      }
    }
    this.total -= n;
    return out;
  }

  clear(): void {
    this.pieces = [];
    this.head = 0;
    this.total = 0;
  }

  /** Drops `n` octets of the head piece; read pieces are let go of in batches, not one shift each. */
  private consume(piece: Buffer, n: number): void {
    if (n < piece.length) {
      this.pieces[this.head] = piece.subarray(n);
      return;
    }
    this.head++;
    if (this.head === this.pieces.length) {
      this.pieces = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.pieces.length) {
      this.pieces = this.pieces.slice(this.head);
      this.head = 0;
    }
  }
}
