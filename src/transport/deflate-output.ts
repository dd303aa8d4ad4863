/**
 * The outbound half of COMPRESS=DEFLATE (RFC 4978): what is sent is deflated, sync-flushed at once,
 * and written to the socket only as fast as the socket takes it. Without this, a producer relaying a
 * 30 MB literal to a slow peer would see every write accepted and the message would pile up in the
 * deflater and the socket's buffer; here the deflater's output waits for the socket's 'drain', the
 * deflater's input then fills, and send() says so (false), as socket.write() does on a plain leg.
 */
import { constants as zlibConstants, createDeflateRaw, type DeflateRaw } from 'node:zlib';
import type { Socket } from 'node:net';

export class DeflateOutput {
  private readonly deflater: DeflateRaw;
  /** The socket said it was full: the deflater's output waits for its 'drain'. */
  private socketFull = false;
  /** Who waits for the link to take more (whenDrained); one chain of waits serves them all. */
  private drainWaiters: Array<() => void> = [];
  /** Who waits for the deflater's output to have been handed to the socket (flushed). */
  private handedWaiters: Array<() => void> = [];

  constructor(
    private readonly socket: Socket,
    corrupt: (error: Error) => void,
  ) {
    this.deflater = createDeflateRaw();
    this.deflater.on('error', corrupt);
    this.deflater.on('data', (chunk: Buffer) => this.toSocket(chunk));
  }

  /**
   * Deflates and sends; RFC 4978 §4: flushed at once, or the peer waits for the rest forever.
   * Returns false when the link holds more than it should (the deflater's input is over its mark,
   * or the socket is full): wait for whenDrained() before sending more.
   */
  send(bytes: Buffer): boolean {
    this.deflater.write(bytes);
    this.deflater.flush(zlibConstants.Z_SYNC_FLUSH);
    return !this.congested;
  }

  /** The producer should wait: deflater.write() said false, or the socket did. */
  get congested(): boolean {
    return this.deflater.writableNeedDrain || this.socket.writableNeedDrain;
  }

  /**
   * Octets held in this process on their way out: not yet deflated (uncompressed), deflated but not
   * yet written to the socket, and in the socket's own buffer. What a server counts against a client
   * that does not read (server-limits.ts' maxPendingOutputOctets).
   */
  get pendingOctets(): number {
    return this.deflater.writableLength + this.deflater.readableLength + this.socket.writableLength;
  }

  /**
   * Calls back once the link can take more: neither the deflater nor the socket needs a 'drain'
   * (on the next turn when neither does now). Never, if the socket is destroyed first, as a plain
   * socket's 'drain' never comes then either.
   */
  whenDrained(callback: () => void): void {
    this.drainWaiters.push(callback);
    if (this.drainWaiters.length > 1) return;
    if (!this.congested) setImmediate(() => this.awaitDrain());
    else this.awaitDrain();
  }

  /**
   * Calls back once everything sent so far has been handed to the socket: the flush has gone
   * through the deflater and no deflated octet waits for the socket's 'drain'. Only then may the
   * socket be ended, or the last reply (LOGOUT's) would be lost.
   */
  flushed(callback: () => void): void {
    this.deflater.flush(zlibConstants.Z_SYNC_FLUSH, () => {
      if (this.deflater.readableLength === 0) callback();
      else this.handedWaiters.push(callback);
    });
  }

  private toSocket(chunk: Buffer): void {
    const socket = this.socket;
    if (socket.destroyed || socket.writableEnded) return;
    if (!socket.write(chunk) && !this.socketFull) {
      // The deflater's output stays in its readable buffer; once that is over its mark zlib stops
      // deflating (its input fills, and send() returns false): memory stays bounded.
      this.socketFull = true;
      this.deflater.pause();
      socket.once('drain', () => {
        this.socketFull = false;
        this.deflater.resume();
      });
    }
    if (this.deflater.readableLength === 0 && this.handedWaiters.length > 0) {
      const waiters = this.handedWaiters;
      this.handedWaiters = [];
      for (const waiter of waiters) waiter();
    }
  }

  /** Waits for each 'drain' in turn (the deflater's, then the socket's) until neither is needed. */
  private awaitDrain(): void {
    if (this.socket.destroyed) return;
    if (this.deflater.writableNeedDrain) {
      this.deflater.once('drain', () => this.awaitDrain());
      return;
    }
    if (this.socket.writableNeedDrain) {
      this.socket.once('drain', () => this.awaitDrain());
      return;
    }
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }
}
