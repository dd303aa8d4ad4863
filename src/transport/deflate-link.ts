/**
 * COMPRESS=DEFLATE (RFC 4978) on a connection, for either end: what is written is deflated and
 * flushed, what comes in is inflated. The client connection (connection.ts) and mailwire's servers
 * (server.ts) both put one over their socket once the OK to COMPRESS has gone by.
 */
import { constants as zlibConstants, createDeflateRaw, createInflateRaw, type DeflateRaw, type InflateRaw } from 'node:zlib';
import type { Socket } from 'node:net';

export interface DeflateLinkHooks {
  /** Inflated bytes from the peer. */
  deliver: (chunk: Buffer) => void;
  /** One side's stream is corrupt: `side` is "the peer's" (inbound) or "our" (outbound). */
  corrupt: (side: 'inbound' | 'outbound', error: Error) => void;
}

/** Both directions of a socket, deflated from now on. */
export class DeflateLink {
  private readonly inflater: InflateRaw;
  private readonly deflater: DeflateRaw;

  /**
   * Takes over `socket`'s reading (the caller removes its own 'data' listener first) and its writing
   * (through send()).
   */
  constructor(
    private readonly socket: Socket,
    hooks: DeflateLinkHooks,
  ) {
    // The peer never ends its deflate stream (RFC 4978 has no end): at the close, what came is
    // inflated as a sync-flushed stream rather than the missing end being called an error.
    this.inflater = createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    this.deflater = createDeflateRaw();
    this.inflater.on('error', (error) => hooks.corrupt('inbound', error));
    this.deflater.on('error', (error) => hooks.corrupt('outbound', error));
    this.inflater.on('data', hooks.deliver);
    this.deflater.on('data', (chunk: Buffer) => {
      if (!socket.destroyed && !socket.writableEnded) socket.write(chunk);
    });
    socket.on('data', (chunk: Buffer) => {
      if (!this.inflater.writableEnded) this.inflater.write(chunk);
    });
  }

  /**
   * Inflates what came after the OK in the same read (already compressed). Resolves once it has been
   * delivered: zlib works asynchronously, and nothing sent after it may be shown before it.
   */
  receivePending(pending: Buffer): Promise<void> {
    if (pending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.inflater.write(pending, () => resolve()));
  }

  /** Deflates and sends; RFC 4978 §4: flushed at once, or the peer waits for the rest forever. */
  send(bytes: Buffer): void {
    this.deflater.write(bytes);
    this.deflater.flush(zlibConstants.Z_SYNC_FLUSH);
  }

  /** Calls back once everything sent so far has been handed to the socket. */
  flushed(callback: () => void): void {
    this.deflater.flush(zlibConstants.Z_SYNC_FLUSH, callback);
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
    this.inflater.once('end', once);
    this.inflater.once('close', once);
    this.inflater.end();
  }
}
