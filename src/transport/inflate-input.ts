/**
 * The inbound half of COMPRESS=DEFLATE (RFC 4978): what the socket reads is inflated and delivered,
 * and a reader that pauses (a slow terminal, the other leg of the proxy) holds the whole path back.
 * Pausing the socket alone would not: one 64 KiB read of a deflated message inflates to up to about
 * 66 MB (deflate's ratio is bounded near 1032:1), which the inflater would go on delivering. So a pause
 * stops the inflater's output too; its input then fills, and the socket is paused until it drains.
 * Nothing is lost or reordered: held bytes wait in the streams' own buffers, in order.
 */
import { constants as zlibConstants, createInflateRaw, type InflateRaw } from 'node:zlib';
import type { Socket } from 'node:net';

export class InflateInput {
  private readonly inflater: InflateRaw;
  /** The reader asked for nothing more (pause()). */
  private readerPaused: boolean;
  /** The inflater's input is over its mark: the socket waits for the inflater's 'drain'. */
  private inflaterFull = false;

  /**
   * Takes over `socket`'s reading (the caller removes its own 'data' listener first). A socket the
   * caller had paused stays paused until resume().
   */
  constructor(
    private readonly socket: Socket,
    deliver: (chunk: Buffer) => void,
    corrupt: (error: Error) => void,
  ) {
    this.readerPaused = socket.isPaused();
    // The peer never ends its deflate stream (RFC 4978 has no end): at the close, what came is
    // inflated as a sync-flushed stream rather than the missing end being called an error.
    this.inflater = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    this.inflater.on('error', corrupt);
    // Paused before the listener goes on, which would otherwise start the flow.
    if (this.readerPaused) this.inflater.pause();
    this.inflater.on('data', deliver);
    socket.on('data', (chunk: Buffer) => this.fromSocket(chunk));
  }

  /**
   * Inflates what came after the OK in the same read (already compressed). Resolves once it has gone
   * through the inflater: zlib works asynchronously, and nothing sent after it may be shown before it.
   */
  receivePending(pending: Buffer): Promise<void> {
    if (pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.inflater.write(pending, () => resolve()));
  }

  /** Delivers nothing more until resume(): neither inflated bytes already read nor new reads. */
  pause(): void {
    this.readerPaused = true;
    this.inflater.pause();
    this.applyHolds();
  }

  resume(): void {
    this.readerPaused = false;
    this.inflater.resume();
    this.applyHolds();
  }

  /** The socket closed: calls back once the last inflated bytes have been delivered. */
  drain(callback: () => void): void {
    if (this.inflater.writableEnded) return callback();
    let called = false;
    const once = (): void => {
      if (called) return;
      called = true;
      callback();
    };
    // 'end' comes after the last 'data', so after a paused reader has resumed and taken it all.
    this.inflater.once('end', once);
    this.inflater.once('close', once);
    this.inflater.end();
  }

  private fromSocket(chunk: Buffer): void {
    if (this.inflater.writableEnded) return;
    if (!this.inflater.write(chunk) && !this.inflaterFull) {
      this.inflaterFull = true;
      this.applyHolds();
      this.inflater.once('drain', () => {
        this.inflaterFull = false;
        this.applyHolds();
      });
    }
  }

  /** The socket reads only while neither the reader nor the inflater holds it. */
  private applyHolds(): void {
    if (this.socket.destroyed) return;
    if (this.readerPaused || this.inflaterFull) this.socket.pause();
    else this.socket.resume();
  }
}
