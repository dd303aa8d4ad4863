/**
 * A Duplex over a connected TCP socket, for a TLS socket to run over instead of the socket itself when
 * the server's bytes are to be seen before TLS reads them: to drop plaintext after a STARTTLS OK
 * (plaintext-filter.ts), or to read the certificates the server sends (handshake-watch.ts).
 *
 * It costs: over a TCP socket Node.js's TLS reads the socket's handle itself, over this stream every
 * chunk passes through JavaScript, for the whole connection. So implicit TLS runs over it only when
 * the sent chain is asked for; STARTTLS runs over it always (the filter needs it).
 */
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';

export class SocketStream extends Duplex {
  /** Sees each chunk of the server's bytes just before TLS does; null when nobody looks. */
  watcher: ((chunk: Buffer) => void) | null = null;

  constructor(protected readonly raw: Socket) {
    // The TLS socket made over this stream takes its allowHalfOpen from it; a Duplex defaults to
    // true, and a TLS socket left half open never closes after the server's FIN.
    super({ allowHalfOpen: false });
    raw.on('data', (chunk: Buffer) => this.received(chunk));
    raw.on('end', () => this.ended());
    raw.on('error', (error) => this.destroy(error));
    raw.on('close', () => {
      if (!this.destroyed && !this.readableEnded) this.push(null);
    });
  }

  /** A chunk from the socket: handed on as it is (a subclass may drop some first). */
  protected received(chunk: Buffer): void {
    this.handOn(chunk);
  }

  /** The server has closed its side. */
  protected ended(): void {
    this.push(null);
  }

  /** Gives bytes to the TLS socket reading this stream (showing them to the watcher first). */
  protected handOn(chunk: Buffer): void {
    this.watcher?.(chunk);
    if (!this.push(chunk)) this.raw.pause();
  }

  override _read(): void {
    this.raw.resume();
  }

  /**
   * The server may close first: after its FIN this stream and the TCP socket end their own halves
   * (allowHalfOpen is false), while TLS still has records to write (our close_notify at LOGOUT, a last
   * deflate flush after COMPRESS). Written to an ended stream they would fail as "write after end"
   * and turn a clean LOGOUT into a lost connection; nobody is there to read them, so they are dropped.
   */
  override write(chunk: unknown, encoding?: BufferEncoding | ((error?: Error | null) => void), callback?: (error?: Error | null) => void): boolean {
    if (this.writableEnded || this.raw.destroyed || this.raw.writableEnded) {
      const done = typeof encoding === 'function' ? encoding : callback;
      if (done) queueMicrotask(() => done(null));
      return true;
    }
    return typeof encoding === 'function' ? super.write(chunk, encoding) : super.write(chunk, encoding as BufferEncoding, callback);
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.raw.destroyed || this.raw.writableEnded) return callback();
    this.raw.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    // The TLS side ends its half after the server's; the socket may be gone by then.
    if (this.raw.destroyed || this.raw.writableEnded) callback();
    else this.raw.end(() => callback());
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.raw.destroy();
    callback(error);
  }
}
