/**
 * Reads the fields of a TLS structure (RFC 8446 §3: big-endian integers, vectors with a 1-, 2- or
 * 3-octet length in front) from a message body, never past its end. Running short is not a crash:
 * the cursor throws ShortInput, which the parser of the structure turns into its own problem value.
 * Pure.
 */

/** A field ran past the end of what holds it. */
export class ShortInput extends Error {}

export class WireCursor {
  private at = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.at;
  }

  u8(): number {
    return this.take(1)[0] as number;
  }

  u16(): number {
    return this.take(2).readUInt16BE(0);
  }

  u24(): number {
    const b = this.take(3);
    return ((b[0] as number) << 16) | ((b[1] as number) << 8) | (b[2] as number);
  }

  /** The next `n` octets (a view). */
  take(n: number): Buffer {
    if (n > this.remaining) throw new ShortInput(`${n} octets wanted, ${this.remaining} left`);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  /** A vector whose length is in the `lengthOctets` octets before it (opaque x<0..2^8-1> is 1, ...). */
  vector(lengthOctets: 1 | 2 | 3): Buffer {
    const n = lengthOctets === 1 ? this.u8() : lengthOctets === 2 ? this.u16() : this.u24();
    return this.take(n);
  }
}
