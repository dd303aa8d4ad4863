/**
 * The lines of a literal a client sends (APPEND's message), cut for display as they stream: each
 * complete line at once, a line longer than the cap in pieces, the last partial line at the end.
 * Nothing of the literal is held beyond one display line.
 */
import { displayForm } from '../protocol/display-form.js';

/** A display line is cut here at the latest: a literal of one long line never grows memory. */
const MAX_DISPLAY_LINE = 64 * 1024;

export class ClientLiteralLines {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  /** Takes a piece of the literal; returns the display lines it completes (without CRLF). */
  push(bytes: Buffer): string[] {
    const lines: string[] = [];
    let start = 0;
    for (;;) {
      const lf = bytes.indexOf(0x0a, start);
      if (lf < 0) break;
      this.pending.push(bytes.subarray(start, lf));
      lines.push(this.take(true));
      start = lf + 1;
    }
    if (start < bytes.length) {
      this.pending.push(bytes.subarray(start));
      this.pendingBytes += bytes.length - start;
      if (this.pendingBytes >= MAX_DISPLAY_LINE) lines.push(this.take(false));
    }
    return lines;
  }

  /** The rest after the literal's last octet: a line that did not end in LF, or null. */
  end(): string | null {
    return this.pendingBytes === 0 && this.pending.length === 0 ? null : this.take(false);
  }

  private take(atLf: boolean): string {
    let line = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    if (atLf && line[line.length - 1] === 0x0d) line = line.subarray(0, line.length - 1);
    // In display form, as the transcript format writes the octets (render/escape.ts).
    return displayForm(line);
  }
}
