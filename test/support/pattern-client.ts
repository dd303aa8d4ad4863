/**
 * A hostile client of mailwire's own servers over a bare node:net socket (no mailwire code): it
 * waits for text matching a pattern, keeps only a bounded tail of what no wait has taken (a server
 * may send hundreds of megabytes), and can stop reading altogether (`socket.pause()`).
 *
 * One 'close' listener serves the socket's whole life. A wait may go round once per chunk that
 * arrives; a listener added per round would pile up on the socket for as long as it lives, and
 * Node warns of a leak (MaxListenersExceededWarning) past ten of them.
 */
import { connect, type Socket } from 'node:net';

/** What is kept of unmatched text when it grows past KEEP_MAX: only what a test waits for is worth keeping. */
const KEEP_MAX = 1_000_000;
const KEEP_TAIL = 100_000;

export class PatternClient {
  readonly socket: Socket;
  private buffer = '';
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(port: number, host = '127.0.0.1') {
    this.socket = connect(port, host);
    this.socket.on('error', () => undefined);
    this.socket.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString('latin1');
      if (this.buffer.length > KEEP_MAX) this.buffer = this.buffer.slice(-KEEP_TAIL);
      this.wake();
    });
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Resolves with the first match of `pattern` and drops what came up to its end; rejects once the socket has closed without one. */
  async waitFor(pattern: RegExp): Promise<string> {
    for (;;) {
      const m = pattern.exec(this.buffer);
      if (m) {
        this.buffer = this.buffer.slice(m.index + m[0].length);
        return m[0];
      }
      if (this.closed) throw new Error(`closed while waiting for ${pattern}; got ${this.buffer.slice(-300)}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(text: string | Buffer): void {
    this.socket.write(text);
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const resolve of this.waiters.splice(0)) resolve();
  }
}
