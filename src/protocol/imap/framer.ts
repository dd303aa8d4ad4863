/**
 * The IMAP framer: TCP chunks in, segments and literal data out (RFC 3501 §2.2, §4.3).
 *
 * IMAP is line-oriented except for literals: a line ending in `{n}` announces n octets of raw data,
 * after which the same response (or command) goes on with another line. The framer finds line ends
 * with Buffer.indexOf, counts literal octets without looking at them, and hands literal data out as
 * subarrays of the chunks it was given: a literal is never gathered, so a 500 MB message body passes
 * through in flat memory. Frames depend only on the bytes, never on where chunk boundaries fall.
 *
 * It frames both directions: server responses, and client commands (APPEND's message, LOGIN's
 * `{11+}` password) for replay, lint and the built-in server. Pure: no I/O.
 */
import { LineSplitter } from '../line-splitter.js';
import type { ImapFrame, LiteralMarker } from './frames.js';

/** Default cap on one line (without its line ending): 16 MiB, far above any sane server line. */
export const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const LF = 0x0a;
const CR = 0x0d;
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const TILDE = 0x7e; // ~
const PLUS = 0x2b;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * More digits than this cannot be a safe integer (2^53-1 has 16 digits), so they are refused before
 * any arithmetic: a hostile `{999...}` costs nothing to reject.
 */
const MAX_LITERAL_DIGITS = 16;

/**
 * Reads the literal marker at the very end of a segment (a line without its CRLF), if there is one.
 *
 * Accepts `{n}` (RFC 3501 §4.3), `~{n}` (RFC 3516 binary literal, `literal8`) and `{n+}` / `{n-}`
 * (RFC 7888 LITERAL+ / LITERAL-), in any combination of `~` and `+`/`-`. `number` is `1*DIGIT`
 * (RFC 3501 §9): no sign, no spaces, nothing after the closing brace, so `{-5}`, `{ 5}`, `{5 }` and
 * `x{5}y` are not markers. Used by the framer on every segment, and by the client side on the lines
 * the user types.
 *
 * @param segment - one line of IMAP text without its line ending
 * @returns the marker; null when the segment does not end in one; 'too-large' when it does but the
 *   announced size is not a safe integer (more than 16 digits or more than 2^53-1)
 */
export function parseLiteralMarker(segment: Buffer): LiteralMarker | null | 'too-large' {
  let i = segment.length - 1;
  if (i < 2 || segment[i] !== CLOSE_BRACE) return null;
  i--;
  let nonSynchronizing = false;
  if (segment[i] === PLUS || segment[i] === MINUS) {
    nonSynchronizing = true;
    i--;
  }
  const digitsEnd = i + 1;
  while (i >= 0) {
    const c = segment[i] as number;
    if (c < DIGIT_0 || c > DIGIT_9) break;
    i--;
  }
  const digitsStart = i + 1;
  if (digitsStart === digitsEnd || i < 0 || segment[i] !== OPEN_BRACE) return null;
  const binary = i > 0 && segment[i - 1] === TILDE;
  if (digitsEnd - digitsStart > MAX_LITERAL_DIGITS) return 'too-large';
  let size = 0;
  for (let d = digitsStart; d < digitsEnd; d++) size = size * 10 + ((segment[d] as number) - DIGIT_0);
  // Up to 16 digits the arithmetic is exact below 2^53, and anything above rounds to at least 2^53.
  if (!Number.isSafeInteger(size)) return 'too-large';
  return { size, binary, nonSynchronizing };
}

/**
 * Incremental IMAP framer. Feed it whatever the socket delivers; it returns the frames completed by
 * each chunk:
 *
 * - `segment`: a line without its CRLF (a bare LF is accepted and flagged `bareLf`). `first` is true
 *   for the line that starts a response; `literal` is the marker it ends in, or null when the
 *   response ends with it.
 * - `literal-data`: pieces of the announced literal, exactly `size` octets in all, as zero-copy
 *   subarrays of the pushed chunks (so do not reuse a chunk's memory while its frames are alive).
 * - `literal-end`: the literal is complete; the next segment continues the same response.
 * - `error`: `line-too-long` as soon as a line passes `maxLineBytes` (without waiting for its LF),
 *   or `literal-too-large` for a marker whose size is not a safe integer. After an error the framer
 *   has failed for good: the stream cannot be resynchronised, so every later push() returns [].
 */
export class ImapFramer {
  private readonly maxLineBytes: number;
  private readonly lines: LineSplitter;
  /** Octets of the current literal still to come; 0 when reading lines. */
  private literalRemaining = 0;
  private literalSize = 0;
  private inLiteral = false;
  /** Whether the next segment starts a new response. */
  private atResponseStart = true;
  private failed = false;

  /** Octets of the literal being read still to come; 0 between literals. */
  get literalOctetsLeft(): number {
    return this.literalRemaining;
  }

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.lines = new LineSplitter(this.maxLineBytes);
  }

  /**
   * Frames the next chunk of the stream.
   *
   * @param chunk - bytes as received; frames may be subarrays of it
   * @returns the frames this chunk completes, in order; [] once the framer has failed
   */
  push(chunk: Buffer): ImapFrame[] {
    const line = this.wholeLine(chunk);
    if (line !== null) return [line];
    const frames: ImapFrame[] = [];
    if (this.failed) return frames;
    this.lines.read(chunk, {
      takeOctets: (bytes, offset) => (this.inLiteral ? this.takeLiteral(bytes, offset, frames) : null),
      line: (line) => this.takeLine(line.bytes, line.bareLf, frames),
      tooLong: () => this.failLineTooLong(frames),
      failed: () => this.failed,
    });
    return frames;
  }

  /**
   * The chunk as the one segment it is, or null for anything else. A lock-step exchange reads one
   * reply line a chunk: a chunk that is a whole line ending in CRLF, read between responses with
   * nothing held and no literal announced, frames as that line, as read() would frame it, without the
   * general loop. Anything unusual (a literal, a held piece, a bare LF, two lines, a failed framer)
   * goes the general way.
   */
  private wholeLine(chunk: Buffer): ImapFrame | null {
    const end = chunk.length - 2;
    if (end < 0 || this.failed || !this.atResponseStart || this.lines.bufferedBytes !== 0 || end > this.maxLineBytes) return null;
    if (chunk[end + 1] !== LF || chunk[end] !== CR || chunk.indexOf(LF) !== end + 1 || chunk[end - 1] === CLOSE_BRACE) return null;
    return { type: 'segment', bytes: chunk.subarray(0, end), first: true, literal: null, bareLf: false };
  }

  /**
   * The octets of a line whose end never came (the connection closed): handed out once, so that what
   * the server sent is shown and recorded, not dropped. Null when nothing is held.
   */
  takeUnterminated(): { bytes: Buffer; first: boolean } | null {
    if (this.failed || this.lines.bufferedBytes === 0) return null;
    return { bytes: this.lines.takeHeld(), first: this.atResponseStart };
  }

  /** Bytes held for an unfinished segment (literal data is never held). For STARTTLS injection accounting. */
  get bufferedBytes(): number {
    return this.lines.bufferedBytes;
  }

  /**
   * Drops any partial state (an unfinished line, a literal in progress) and starts again at a
   * response boundary. After STARTTLS's OK (RFC 3501 §6.2.1), bytes that arrived before the
   * handshake are not trusted and must be discarded (the command injection of CVE-2011-0411); the
   * count says how many there were. A failed framer stays failed.
   *
   * @returns how many buffered bytes were dropped
   */
  reset(): number {
    const dropped = this.lines.reset();
    this.inLiteral = false;
    this.literalRemaining = 0;
    this.literalSize = 0;
    this.atResponseStart = true;
    return dropped;
  }

  /** Hands out as much of the current literal as this chunk holds, without copying or looking at it. */
  private takeLiteral(chunk: Buffer, offset: number, frames: ImapFrame[]): number {
    const take = Math.min(this.literalRemaining, chunk.length - offset);
    frames.push({ type: 'literal-data', bytes: chunk.subarray(offset, offset + take) });
    this.literalRemaining -= take;
    if (this.literalRemaining === 0) this.endLiteral(frames);
    return offset + take;
  }

  private endLiteral(frames: ImapFrame[]): void {
    frames.push({ type: 'literal-end', size: this.literalSize });
    this.inLiteral = false;
  }

  private takeLine(bytes: Buffer, bareLf: boolean, frames: ImapFrame[]): void {
    // RFC 3501 §2.2: lines end in CRLF. A bare LF is accepted (some servers send one) and flagged.
    const literal = parseLiteralMarker(bytes);
    if (literal === 'too-large') {
      this.fail(frames, 'literal-too-large', `literal size announced with ${literalDigitCount(bytes)} digits is over ${Number.MAX_SAFE_INTEGER} octets`);
      return;
    }
    frames.push({ type: 'segment', bytes, first: this.atResponseStart, literal, bareLf });
    if (literal === null) {
      this.atResponseStart = true;
      return;
    }
    // RFC 3501 §4.3: exactly `size` octets follow the CRLF, whatever they contain; then the same
    // response goes on (RFC 3501 §7.5 for commands).
    this.atResponseStart = false;
    this.inLiteral = true;
    this.literalSize = literal.size;
    this.literalRemaining = literal.size;
    if (literal.size === 0) this.endLiteral(frames);
  }

  private failLineTooLong(frames: ImapFrame[]): void {
    this.fail(frames, 'line-too-long', `line exceeds ${this.maxLineBytes} octets without a line ending`);
  }

  private fail(frames: ImapFrame[], code: 'line-too-long' | 'literal-too-large', message: string): void {
    this.reset();
    this.failed = true;
    frames.push({ type: 'error', code, message });
  }
}

/** How many digits the (too large) marker at the end of `segment` has, for the error sentence. */
function literalDigitCount(segment: Buffer): number {
  let i = segment.length - 2;
  if (segment[i] === PLUS || segment[i] === MINUS) i--;
  let count = 0;
  while (i >= 0 && (segment[i] as number) >= DIGIT_0 && (segment[i] as number) <= DIGIT_9) {
    count++;
    i--;
  }
  return count;
}
