/**
 * A bare client of mailwire's servers for tests of what a hostile client does at the edges of a
 * connection: plain TCP, implicit TLS, or TCP that never finishes (or never starts) its TLS
 * handshake. It keeps everything it got as text (latin1: bytes stay bytes), waits for a pattern or
 * for the server to close, and is destroyed with destroyAll() after each test.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

const open = new Set<Socket>();

/** The first octets of a TLS 1.2 ClientHello record: a handshake that starts and never goes on. */
export const PARTIAL_CLIENT_HELLO = Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]);

export class WireClient {
  text = '';
  /** The server closed its side (FIN), or the connection broke, before the client closed. */
  closedByServer = false;
  private closedByMe = false;
  private readonly closedOnce: Promise<void>;
  private waiting: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    open.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      this.text += chunk.toString('latin1');
      this.wake();
    });
    this.closedOnce = new Promise((resolve) => {
      const gone = (): void => {
        if (!this.closedByMe) this.closedByServer = true;
        this.wake();
        resolve();
      };
      // allowHalfOpen: the server's FIN is an 'end', and the socket stays open for the client to write.
      socket.on('end', gone);
      socket.on('close', () => {
        open.delete(socket);
        gone();
      });
    });
  }

  /** Plain TCP; the client's side stays open after the server's FIN, as a hostile client keeps it. */
  static plain(port: number): WireClient {
    return new WireClient(netConnect({ port, host: '127.0.0.1', allowHalfOpen: true }));
  }

  /** Implicit TLS, the certificate not checked. */
  static tls(port: number): WireClient {
    return new WireClient(tlsConnect({ port, host: '127.0.0.1', rejectUnauthorized: false }));
  }

  send(text: string | Buffer): void {
    if (!this.socket.destroyed && this.socket.writable) this.socket.write(text);
  }

  /** Resolves once the text got so far matches, or rejects when the server closes or `ms` pass first. */
  async until(pattern: RegExp, ms = 10_000): Promise<void> {
    const giveUp = Date.now() + ms;
    while (!pattern.test(this.text)) {
      if (this.socket.destroyed || this.closedByServer) throw new Error(`closed before ${pattern}: ${JSON.stringify(this.text)}`);
      const left = giveUp - Date.now();
      if (left <= 0) throw new Error(`no ${pattern} yet: ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Whether the server closed its side within `ms`; the client then closes the connection. */
  async serverCloses(ms: number): Promise<boolean> {
    const giveUp = new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    await Promise.race([this.closedOnce, giveUp]);
    const closed = this.closedByServer;
    this.close();
    return closed;
  }

  close(): void {
    if (!this.socket.destroyed) this.closedByMe = true;
    this.socket.destroy();
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** Destroys every client still open (for afterEach). */
export function destroyAll(): void {
  for (const socket of open) socket.destroy();
  open.clear();
}
