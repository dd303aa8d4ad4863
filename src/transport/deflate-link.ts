/**
 * COMPRESS=DEFLATE (RFC 4978) on a connection, for either end: what is written is deflated and
 * flushed, what comes in is inflated. The client connection (connection.ts) and mailwire's servers
 * (server.ts) both put one over their socket once the OK to COMPRESS has gone by.
 *
 * Back-pressure holds as on a plain socket, end to end: send() returns false while the deflater or
 * the socket is full and whenDrained() says when to go on (deflate-output.ts); pause() stops the
 * socket and the inflater's output alike (inflate-input.ts).
 */
import type { Socket } from 'node:net';
import { DeflateOutput } from './deflate-output.js';
import { InflateInput } from './inflate-input.js';

export interface DeflateLinkHooks {
  /** Inflated bytes from the peer. */
  deliver: (chunk: Buffer) => void;
  /** One side's stream is corrupt: `side` is "the peer's" (inbound) or "our" (outbound). */
  corrupt: (side: 'inbound' | 'outbound', error: Error) => void;
}

/** Both directions of a socket, deflated from now on. */
export class DeflateLink {
  private readonly input: InflateInput;
  private readonly output: DeflateOutput;

  /**
   * Takes over `socket`'s reading (the caller removes its own 'data' listener first; a paused socket
   * stays paused) and its writing (through send()).
   */
  constructor(socket: Socket, hooks: DeflateLinkHooks) {
    this.input = new InflateInput(socket, hooks.deliver, (error) => hooks.corrupt('inbound', error));
    this.output = new DeflateOutput(socket, (error) => hooks.corrupt('outbound', error));
  }

  /**
   * Inflates what came after the OK in the same read (already compressed). Resolves once it has gone
   * through the inflater: nothing sent after it may be shown before it.
   */
  receivePending(pending: Buffer): Promise<void> {
    return this.input.receivePending(pending);
  }

  /** Deflates and sends, flushed at once (RFC 4978 §4). False: wait for whenDrained() before sending more. */
  send(bytes: Buffer): boolean {
    return this.output.send(bytes);
  }

  /** Octets on their way out and still held in this process (deflater and socket buffers). */
  get pendingOctets(): number {
    return this.output.pendingOctets;
  }

  /** Calls back once the link can take more (at the next turn if it can now). */
  whenDrained(callback: () => void): void {
    this.output.whenDrained(callback);
  }

  /** Calls back once everything sent so far has been handed to the socket. */
  flushed(callback: () => void): void {
    this.output.flushed(callback);
  }

  /** Stops delivering inflated bytes, and reading the socket, until resume(). */
  pause(): void {
    this.input.pause();
  }

  resume(): void {
    this.input.resume();
  }

  /** The socket closed: calls back once the last inflated bytes have been delivered. */
  drain(callback: () => void): void {
    this.input.drain(callback);
  }
}
