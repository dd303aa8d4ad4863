/**
 * What one turn of the event loop renders, gathered as UTF-8 octets and written in one go. Rendered
 * pieces are encoded one by one as they come, into a buffer that grows, instead of being joined
 * into one string first: a single decoded line with a non-Latin-1 character (a Cyrillic subject)
 * would make the whole joined string two-byte, and encoding that for the write costs several times
 * what encoding its pieces does (most are ASCII, encoded on V8's one-byte path).
 */

/** A first buffer that holds a typical turn (one socket read of 64 KiB rendered) without growing. */
const INITIAL_OCTETS = 128 * 1024;

export class OutputBatch {
  #buffer: Buffer | null = null;
  #length = 0;

  /** Nothing gathered since the last take(). */
  get empty(): boolean {
    return this.#length === 0;
  }

  /** The octets gathered since the last take(). */
  get length(): number {
    return this.#length;
  }

  /** Appends text, encoded as UTF-8 (lone surrogates become U+FFFD, as a string write does). */
  append(text: string): void {
    // A UTF-16 code unit takes at most 3 octets in UTF-8 (a surrogate pair, two units, takes 4).
    const most = text.length * 3;
    let buffer = this.#buffer;
    if (buffer === null || buffer.length - this.#length < most) {
      const grown = Buffer.allocUnsafe(Math.max(INITIAL_OCTETS, 2 * (this.#length + most)));
      if (buffer !== null) buffer.copy(grown, 0, 0, this.#length);
      buffer = grown;
      this.#buffer = grown;
    }
    this.#length += buffer.write(text, this.#length, 'utf8');
  }

  /**
   * The octets gathered, and a fresh start: the buffer handed out is never written again (a stream
   * may hold it until it is flushed). Null when nothing was gathered.
   */
  take(): Buffer | null {
    const buffer = this.#buffer;
    const length = this.#length;
    this.#buffer = null;
    this.#length = 0;
    return buffer === null || length === 0 ? null : buffer.subarray(0, length);
  }
}
