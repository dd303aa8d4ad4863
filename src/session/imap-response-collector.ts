/**
 * Gathers whole IMAP server responses from the session's events — the text segments and the literals
 * between them — for what needs a response at once (decoded views, what the shell learns from LIST).
 * Literals stream through the session; only those up to a size cap are kept here, larger ones count as
 * not kept (null), so a 500 MB FETCH never sits in memory for this; and the literals of one response
 * together are kept up to a budget, so that a FETCH of many literals each under the cap (a thousand
 * `{60000}`) streams as one large literal does. Pure.
 */
import type { SessionEvent } from './events.js';

export interface CollectedResponse {
  /** segments[i] ends with the marker of literals[i]. */
  segments: Buffer[];
  /** null: a literal larger than the cap, not kept. */
  literals: Array<Buffer | null>;
}

export interface CollectorOptions {
  /** Which responses to gather, judged by their first segment. */
  wants: (firstSegment: Buffer) => boolean;
  /** Largest literal kept, in octets. */
  maxLiteralBytes: number;
  /** Most literal octets kept for one response, all its literals together (default: 16 literals at the cap). */
  maxResponseLiteralBytes?: number;
}

export class ImapResponseCollector {
  private current: { segments: Buffer[]; literals: Array<Buffer | null>; pieces: Buffer[]; size: number; kept: boolean; total: number } | null = null;
  private skipping = false;

  private readonly responseBudget: number;

  constructor(private readonly options: CollectorOptions) {
    this.responseBudget = options.maxResponseLiteralBytes ?? 16 * options.maxLiteralBytes;
  }

  /** Takes one event; returns a response when this event completed one that is wanted. */
  push(event: SessionEvent): CollectedResponse | null {
    switch (event.kind) {
      case 'imap-segment': {
        if (event.first) {
          this.skipping = !this.options.wants(event.bytes);
          // A response of one line is handed over as it is, at once: nothing outlives this call.
          if (!this.skipping && event.literalSize === null) {
            this.current = null;
            return { segments: [event.bytes], literals: [] };
          }
          this.current = this.skipping ? null : { segments: [], literals: [], pieces: [], size: 0, kept: true, total: 0 };
        }
        const cur = this.current;
        if (this.skipping || !cur) return null;
        // A copy: the event's bytes are a view of the chunk read from the socket (64 KiB), and a
        // response of many literals would otherwise keep every chunk it came in alive to its end.
        cur.segments.push(Buffer.from(event.bytes));
        if (event.literalSize !== null) {
          cur.pieces = [];
          cur.size = 0;
          cur.kept = event.literalSize <= this.options.maxLiteralBytes && cur.total + event.literalSize <= this.responseBudget;
          return null;
        }
        this.current = null;
        return { segments: cur.segments, literals: cur.literals };
      }
      case 'imap-literal-data': {
        const cur = this.current;
        if (!cur || !cur.kept) return null;
        cur.size += event.bytes.length;
        if (cur.size > this.options.maxLiteralBytes || cur.total + cur.size > this.responseBudget) {
          cur.kept = false;
          cur.pieces = [];
        } else {
          cur.pieces.push(event.bytes);
        }
        return null;
      }
      case 'imap-literal-end': {
        const cur = this.current;
        if (!cur) return null;
        cur.literals.push(cur.kept ? Buffer.concat(cur.pieces) : null);
        if (cur.kept) cur.total += cur.size;
        cur.pieces = [];
        return null;
      }
      default:
        return null;
    }
  }
}
