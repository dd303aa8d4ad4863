/**
 * COMPRESS=DEFLATE taking effect (RFC 4978 §3): after the server's OK both directions are raw
 * deflate. The switch is made at once, when the session's `start-compression` action comes, so the
 * next command already goes out deflated; and the next command also waits until the octets that
 * came with the OK have been inflated and shown, so the output stays in order.
 */
import type { Connection } from '../transport/connection.js';

export class CompressionStart {
  private running: Promise<void> | null = null;

  /** Switches the connection now; `pending` holds the octets that came after the OK, already compressed. */
  begin(conn: Connection | null, pending: Buffer): void {
    if (conn) this.running = conn.startCompression(pending);
  }

  /** Whether a switch was made and not yet waited for by finished(). */
  get pending(): boolean {
    return this.running !== null;
  }

  /** Waits until what came with the OK is inflated and shown (at once when nothing is pending). */
  async finished(): Promise<void> {
    const running = this.running;
    if (!running) return;
    await running;
    this.running = null;
  }
}
