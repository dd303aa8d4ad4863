/**
 * The POP3 framer: TCP chunks in, status lines and multi-line bodies out (RFC 1939 §3).
 *
 * Nothing in a POP3 reply says whether a body follows: that depends on the command answered and on
 * its status. So the framer is told, for each command sent, what its reply may look like
 * (expect()), and matches replies to those expectations in order. Body lines are streamed one by one
 * with dot-stuffing undone; a reply of a million lines is never held whole. Frames depend only on the
 * bytes and the expectations, never on where chunk boundaries fall. Pure: no I/O.
 */
import { LineSplitter } from '../line-splitter.js';
import type { Pop3Frame, Pop3ReplyShape, Pop3Status } from './frames.js';

/** Default cap on one line (without its line ending): 16 MiB, as for IMAP. */
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const SPACE = 0x20;
const OK = Buffer.from('+OK');
const ERR = Buffer.from('-ERR');

/**
 * Classifies a status line. RFC 1939 §3: the indicators are "+OK" and "-ERR", sent in upper case,
 * followed by a space or the end of the line. RFC 5034 §4: a SASL continuation is "+" followed by a
 * space (and possibly nothing else); a lone "+" is accepted too, as some servers send it.
 */
function statusOf(line: Buffer): Pop3Status {
  if (hasIndicator(line, OK)) return '+OK';
  if (hasIndicator(line, ERR)) return '-ERR';
  if (line[0] === PLUS && (line.length === 1 || line[1] === SPACE)) return '+';
  return 'unknown';
}

function hasIndicator(line: Buffer, indicator: Buffer): boolean {
  if (line.length < indicator.length) return false;
  if (line.length > indicator.length && line[indicator.length] !== SPACE) return false;
  return line.compare(indicator, 0, indicator.length, 0, indicator.length) === 0;
}

/**
 * Incremental POP3 framer. Feed it whatever the socket delivers, and call expect() for every command
 * sent (before or after its reply's bytes are pushed, as long as it is before they are framed):
 *
 * - the first line of the connection is the greeting (RFC 1939 §4), a single line;
 * - each later status line answers the oldest waiting expectation; when that is 'multiline-if-ok'
 *   and the status is +OK, `body-line` frames follow until the "." line, which yields `end`;
 * - "-ERR" and unrecognised status lines are single lines; a "+ " continuation (RFC 5034 §4) leaves
 *   the expectation waiting, since the same command's final reply is still to come;
 * - a status line with nothing waiting is framed as `unsolicited`, single-line.
 *
 * A line longer than `maxLineBytes` yields an `error` frame as soon as the cap is passed. After an
 * error the framer has failed for good: every later push() returns [].
 */
export class Pop3Framer {
  private readonly maxLineBytes: number;
  private readonly lines: LineSplitter;
  /** Reply shapes of the commands sent and not yet answered, oldest first from `head`. */
  private expectations: Pop3ReplyShape[] = [];
  private head = 0;
  private greetingSeen = false;
  private inBody = false;
  private failed = false;

  constructor(options: { maxLineBytes?: number } = {}) {
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.lines = new LineSplitter(this.maxLineBytes);
  }

  /** The next reply, in order, answers a command with this shape. */
  expect(shape: Pop3ReplyShape): void {
    this.expectations.push(shape);
  }

  /** How many expectations are waiting. */
  get pending(): number {
    return this.expectations.length - this.head;
  }

  /**
   * Frames the next chunk of the stream.
   *
   * @param chunk - bytes as received; frames may be subarrays of it
   * @returns the frames this chunk completes, in order; [] once the framer has failed
   */
  push(chunk: Buffer): Pop3Frame[] {
    const frames: Pop3Frame[] = [];
    if (this.failed) return frames;
    this.lines.read(chunk, {
      // RFC 1939 §3: lines end in CRLF. A bare LF is tolerated, as many servers' bodies have them,
      // and said on the frame, for the session to tell.
      line: (line) => {
        const at = frames.length;
        if (this.inBody) this.takeBodyLine(line.bytes, frames);
        else this.takeStatusLine(line.bytes, frames);
        const frame = frames[at];
        if (line.bareLf && frame !== undefined && frame.type !== 'error') frame.bareLf = true;
      },
      tooLong: () => this.failLineTooLong(frames),
      failed: () => this.failed,
    });
    return frames;
  }

  /** Bytes held for an unfinished line. For STLS injection accounting. */
  get bufferedBytes(): number {
    return this.lines.bufferedBytes;
  }

  /** The octets of a line whose end never came (the connection closed), handed out once; null when none. */
  takeUnterminated(): Buffer | null {
    return this.lines.bufferedBytes === 0 ? null : this.lines.takeHeld();
  }

  /**
   * Drops any partial state (an unfinished line, a body in progress). After STLS's +OK (RFC 2595
   * §4), bytes that arrived before the handshake are not trusted and must be discarded (the command
   * injection of CVE-2011-0411); the count says how many there were. The greeting stays seen and
   * waiting expectations stay waiting. A failed framer stays failed.
   *
   * @returns how many buffered bytes were dropped
   */
  reset(): number {
    const dropped = this.lines.reset();
    this.inBody = false;
    return dropped;
  }

  private takeBodyLine(bytes: Buffer, frames: Pop3Frame[]): void {
    if (bytes[0] !== DOT) {
      frames.push({ type: 'body-line', bytes, stuffed: false });
    } else if (bytes.length === 1) {
      // RFC 1939 §3: a line of just "." ends the multi-line response.
      frames.push({ type: 'end' });
      this.inBody = false;
    } else {
      // RFC 1939 §3: a line beginning with "." was byte-stuffed; the first "." is removed.
      frames.push({ type: 'body-line', bytes: bytes.subarray(1), stuffed: true });
    }
  }

  private takeStatusLine(bytes: Buffer, frames: Pop3Frame[]): void {
    const status = statusOf(bytes);
    if (!this.greetingSeen) {
      // RFC 1939 §4: the server greets first, with a one-line reply that answers no command.
      this.greetingSeen = true;
      frames.push({ type: 'status', bytes, status, multiline: false, greeting: true, unsolicited: false });
      return;
    }
    const waiting = this.pending > 0;
    if (status === '+') {
      // RFC 5034 §4: a continuation asks for the next SASL response; the command is not answered yet.
      frames.push({ type: 'status', bytes, status, multiline: false, greeting: false, unsolicited: !waiting });
      return;
    }
    if (!waiting) {
      frames.push({ type: 'status', bytes, status, multiline: false, greeting: false, unsolicited: true });
      return;
    }
    const shape = this.takeExpectation();
    // RFC 1939 §3: only a positive reply to a multi-line command carries a body; -ERR never does.
    const multiline = shape === 'multiline-if-ok' && status === '+OK';
    frames.push({ type: 'status', bytes, status, multiline, greeting: false, unsolicited: false });
    this.inBody = multiline;
  }

  private takeExpectation(): Pop3ReplyShape {
    const shape = this.expectations[this.head] as Pop3ReplyShape;
    this.head++;
    // Compact now and then so a long pipelined session does not keep every answered expectation.
    if (this.head === this.expectations.length) {
      this.expectations = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.expectations.length) {
      this.expectations = this.expectations.slice(this.head);
      this.head = 0;
    }
    return shape;
  }

  private failLineTooLong(frames: Pop3Frame[]): void {
    this.reset();
    this.failed = true;
    frames.push({ type: 'error', code: 'line-too-long', message: `line exceeds ${this.maxLineBytes} octets without a line ending` });
  }
}
