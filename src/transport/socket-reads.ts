/**
 * How a client session's connection reads the server's socket (ConnectOptions.growingReads): into
 * memory of its own (net.Socket's `onread`) that grows while a long reply streams. Node.js reads a
 * socket 64 KiB at a time by default, so a 50 MB message body came in some 800 reads, and each went
 * through the framer, the session, the renderer, a write to stdout and the pause and resume that
 * follow it: that round, not the octets, was most of what mailwire spent above a program that only
 * copies the bytes. A read that fills the memory says more is waiting, and the next read may take
 * up to 1 MiB: the same body from Dovecot then comes in about 120 reads, each as much as the kernel
 * held (bench/PROFILES.md). The session takes a read in pieces of its choosing (receiveRead).
 *
 * Each chunk handed on is the caller's to keep, as with Node's own reads: a read that fills at
 * least a quarter of the memory hands that memory on (the next read gets new memory), a shorter one
 * is copied out (a reply line lands in Node's pool of small buffers) and the memory is read into
 * again. A short read (under 64 KiB) ends the long reply: the memory goes back to 64 KiB, so an idle
 * connection holds 64 KiB at most.
 */
import type { Socket } from 'node:net';

const SMALL = 64 * 1024;
const LARGE = 1024 * 1024;

/**
 * The `onread` option of net.connect(). Each chunk is pushed into the socket's stream, as Node's own
 * reads are, so that it flows, waits while the socket is paused, and stops the reading when the
 * stream is full, just the same.
 */
export interface SocketReads {
  buffer: () => Buffer;
  callback: (octets: number, buffer: Uint8Array) => boolean;
}

/** Reads for the socket that `socket()` returns once it exists (the option is given before it does). */
export function growingReads(socket: () => Socket): SocketReads {
  let size = SMALL;
  let memory: Buffer | null = null;
  return {
    buffer: () => (memory ??= Buffer.allocUnsafeSlow(size)),
    callback: (octets, buffer) => {
      let chunk: Buffer;
      if (octets >= buffer.length >>> 2) {
        chunk = Buffer.from(buffer.buffer, buffer.byteOffset, octets);
        memory = null;
      } else {
        chunk = Buffer.allocUnsafe(octets);
        chunk.set(buffer.subarray(0, octets));
      }
      if (octets === buffer.length) size = LARGE;
      else if (octets < SMALL) size = SMALL;
      if (memory !== null && memory.length !== size) memory = null;
      return socket().push(chunk);
    },
  };
}
