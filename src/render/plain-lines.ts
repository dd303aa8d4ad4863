/**
 * The literal fast path's work on each octet, in WebAssembly (plain-lines.wat): finding whether a
 * piece of a message body needs escaping and where its CRLFs are, and copying its lines with their
 * display marks (`S: ` before, a line feed after). Streaming a 50 MB body, these two loops were most
 * of mailwire's own CPU time in JavaScript (bench/PROFILES.md); with sixteen octets a step they cost
 * less than copying the piece in and the output out.
 *
 * The module's memory holds, in this order: the marks, the piece, the CRLFs' offsets and the output.
 * One instance serves the whole process (renderers take turns: each call runs to its end), its memory
 * grown to the largest piece seen; pieces are socket reads, up to 1 MiB (transport/socket-reads.ts).
 */
import { PLAIN_LINES_WASM } from './plain-lines-wasm.js';

/** What goes around each line: `start` before it, `end` after it, `empty` for an empty line. */
export interface LineMarks {
  start: Buffer;
  end: Buffer;
  empty: Buffer;
}

/** What is used here of the WebAssembly API (TypeScript declares it only in the DOM's library). */
declare const WebAssembly: {
  Module: new (octets: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  scan(src: number, n: number, crAt: number): number;
  lines(src: number, crAt: number, count: number, out: number, start: number, startLen: number, end: number, endLen: number, empty: number, emptyLen: number): number;
}

/** Room left after each region for the 16-octet loads and stores that reach past it. */
const SLACK = 32;
const PAGE = 64 * 1024;

const align = (octets: number): number => (octets + 15) & ~15;

/** Where the start marks lie: the first region of the memory. */
const START_AT = 0;

export class PlainLines {
  readonly #exports: Exports;
  #memory: Uint8Array;
  #crAtView: Int32Array;
  /** The marks in memory now, and where the end and empty marks begin (the start marks at 0). */
  #marks: LineMarks | null = null;
  #endAt = 0;
  #emptyAt = 0;
  /**
   * Where the piece (right after the marks), the CRLFs' offsets and the output begin (the output runs
   * to the memory's end).
   */
  #src = 0;
  #crAt = 0;
  #out = 0;

  private constructor(exports: Exports) {
    this.#exports = exports;
    this.#memory = new Uint8Array(exports.memory.buffer);
    this.#crAtView = new Int32Array(exports.memory.buffer);
  }

  /**
   * Copies `piece` and `marks` in and looks at the piece: how many CRLFs it has (crAt() gives their
   * offsets), or -1 when anything but its CRLFs is a C0 control or DEL. Whether its non-ASCII octets
   * are valid UTF-8 with nothing to escape is the caller's to check (escape.ts's plainCrlfLineEnds).
   */
  scan(piece: Buffer, marks: LineMarks): number {
    if (marks !== this.#marks) this.#placeMarks(marks);
    const n = piece.length;
    this.#crAt = align(this.#src + n + SLACK);
    this.#out = align(this.#crAt + 4 * (n >>> 1) + SLACK);
    this.#reserve(this.#out + SLACK);
    this.#memory.set(piece, this.#src);
    return this.#exports.scan(this.#src, n, this.#crAt);
  }

  /** The offset in the piece of the CR of its `k`th CRLF (from 0), as the last scan() found them. */
  crAt(k: number): number {
    return this.#crAtView[(this.#crAt >>> 2) + k] as number;
  }

  /**
   * The output memory, `octets` long: a view of the module's memory, valid until the next scan(). Its
   * contents are copied out before anything else uses the kernel.
   */
  output(octets: number): Buffer {
    this.#reserve(this.#out + octets + SLACK);
    return Buffer.from(this.#memory.buffer, this.#out, octets);
  }

  /**
   * Writes the lines between the first and the last of the `count` CRLFs the last scan() found, each
   * a display line with its marks, at `at` in the output; returns where they end.
   */
  wholeLines(at: number, count: number): number {
    const marks = this.#marks as LineMarks;
    const out = this.#out;
    const end = this.#exports.lines(
      this.#src, this.#crAt, count, out + at,
      START_AT, marks.start.length, this.#endAt, marks.end.length, this.#emptyAt, marks.empty.length,
    );
    return end - out;
  }

  #placeMarks(marks: LineMarks): void {
    this.#endAt = align(START_AT + marks.start.length + SLACK);
    this.#emptyAt = align(this.#endAt + marks.end.length + SLACK);
    this.#src = align(this.#emptyAt + marks.empty.length + SLACK);
    this.#reserve(this.#src);
    this.#memory.set(marks.start, START_AT);
    this.#memory.set(marks.end, this.#endAt);
    this.#memory.set(marks.empty, this.#emptyAt);
    this.#marks = marks;
  }

  /** Grows the memory to at least `octets` (growing makes new views: the old ones are detached). */
  #reserve(octets: number): void {
    const memory = this.#exports.memory;
    if (memory.buffer.byteLength >= octets) return;
    memory.grow(Math.ceil((octets - memory.buffer.byteLength) / PAGE));
    this.#memory = new Uint8Array(memory.buffer);
    this.#crAtView = new Int32Array(memory.buffer);
  }

  static #shared: PlainLines | null | undefined;

  /**
   * The process's kernel, made at the first call; null where WebAssembly is not there to run it
   * (`node --jitless`): the literal then takes the escaping path, which shows the same.
   */
  static shared(): PlainLines | null {
    if (PlainLines.#shared !== undefined) return PlainLines.#shared;
    try {
      const module = new WebAssembly.Module(Buffer.from(PLAIN_LINES_WASM, 'base64'));
      PlainLines.#shared = new PlainLines(new WebAssembly.Instance(module).exports as unknown as Exports);
    } catch {
      PlainLines.#shared = null;
    }
    return PlainLines.#shared;
  }
}
