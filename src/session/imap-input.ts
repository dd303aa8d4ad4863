/**
 * Turns input lines into whole IMAP commands, the way the RFC examples lay them out: a line ending in
 * a literal marker `{n}` / `{n+}` is followed by the literal's n octets, taken from the next input
 * lines with each line counted with its CRLF; whatever follows the literal goes on with the command
 * (RFC 3501 §7.5 sends `FRED FOOBAR {7}`: an 11-octet literal, then " {7}" on the same line), and a
 * command is complete at the first text that ends without a marker (an empty line after APPEND's
 * message). Pure: lines in, command plans out.
 */
import { parseLiteralMarker } from '../protocol/imap/framer.js';
import type { LiteralMarker } from '../protocol/imap/frames.js';

const CRLF = Buffer.from('\r\n');

/** One command ready to send: text segments with the literals between them. */
export interface ImapCommandPlan {
  /** Wire text without CRLF; segments.length === literals.length + 1. */
  segments: Buffer[];
  literals: Array<{ marker: LiteralMarker; data: Buffer }>;
}

/**
 * The plan of a command whose one line is `line`, as ImapInputAssembler would make it, without one:
 * null when the line announces a literal (then the assembler must read on).
 */
export function oneLinePlan(line: Buffer): ImapCommandPlan | null {
  const marker = parseLiteralMarker(line);
  return marker !== null && marker !== 'too-large' ? null : { segments: [line], literals: [] };
}

export class ImapInputAssembler {
  private segments: Buffer[] = [];
  private literals: Array<{ marker: LiteralMarker; data: Buffer }> = [];
  private literalNeed = 0;
  private literalPieces: Buffer[] = [];
  private marker: LiteralMarker | null = null;

  /** True while a command has started and needs more input lines. */
  get incomplete(): boolean {
    return this.segments.length > 0;
  }

  /** The next line is literal data (not a command's text). */
  get readingLiteral(): boolean {
    return this.marker !== null;
  }

  /** The literal being read: its announced size, or null. */
  get literalSize(): number | null {
    return this.marker?.size ?? null;
  }

  /** Literals of the current command read to their end so far. */
  get literalsRead(): number {
    return this.literals.length;
  }

  /** Octets the literal being read still needs (0 when not inside a literal). */
  get literalOctetsLeft(): number {
    return this.literalNeed;
  }

  /**
   * Takes one input line (without its line ending). Returns the finished command, or null when the
   * command needs more lines.
   */
  push(line: Buffer): ImapCommandPlan | null {
    if (this.marker === null) return this.takeSegment(line);
    // Inside a literal: the line counts with its CRLF.
    const available = Buffer.concat([line, CRLF]);
    const take = Math.min(this.literalNeed, available.length);
    this.literalPieces.push(available.subarray(0, take));
    this.literalNeed -= take;
    if (this.literalNeed > 0) return null;
    this.literals.push({ marker: this.marker, data: Buffer.concat(this.literalPieces) });
    this.literalPieces = [];
    this.marker = null;
    if (take === available.length) return null; // the literal ended with this line: the next line goes on
    // The literal ended inside this line: the rest of it (minus the line ending) continues the command.
    // (If the literal took the CR of the line ending, nothing but the line end is left.)
    return this.takeSegment(take <= line.length ? line.subarray(take) : Buffer.alloc(0));
  }

  /**
   * Takes a line of command text whose literals are given whole (the octets of `{file:PATH}`):
   * `texts[i]` is followed by `literals[i]`, each sent as a synchronizing literal `{n}` (RFC 3501
   * §4.3). The last text goes on like any typed line (it may end in a marker of its own).
   * Only valid when the next line is command text (not inside a literal).
   */
  pushWithLiterals(texts: readonly Buffer[], literals: readonly Buffer[]): ImapCommandPlan | null {
    for (let i = 0; i < literals.length; i++) {
      const data = literals[i] as Buffer;
      this.segments.push(Buffer.concat([texts[i] as Buffer, Buffer.from(`{${data.length}}`)]));
      this.literals.push({ marker: { size: data.length, binary: false, nonSynchronizing: false }, data });
    }
    return this.takeSegment(texts[literals.length] ?? Buffer.alloc(0));
  }

  /** Drops a half-assembled command (Ctrl-C, end of input). Returns whether there was one. */
  reset(): boolean {
    const had = this.incomplete;
    this.segments = [];
    this.literals = [];
    this.literalPieces = [];
    this.literalNeed = 0;
    this.marker = null;
    return had;
  }

  private takeSegment(text: Buffer): ImapCommandPlan | null {
    this.segments.push(text);
    const marker = parseLiteralMarker(text);
    if (marker !== null && marker !== 'too-large') {
      this.marker = marker;
      this.literalNeed = marker.size;
      if (marker.size === 0) {
        this.literals.push({ marker, data: Buffer.alloc(0) });
        this.marker = null;
      }
      return null;
    }
    const plan = { segments: this.segments, literals: this.literals };
    this.segments = [];
    this.literals = [];
    return plan;
  }
}
