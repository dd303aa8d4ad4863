import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { growingReads } from '../../src/transport/socket-reads.js';

const KiB = 1024;

/** growingReads over a stand-in socket that keeps what is pushed, and says `room` to each push. */
function reads(room = true) {
  const pushed: Buffer[] = [];
  const socket = { push: (chunk: Buffer) => (pushed.push(chunk), room) } as unknown as Socket;
  const r = growingReads(() => socket);
  /** One read of `octets` octets, each `fill`, into the memory the kernel would be given now. */
  const read = (octets: number, fill: number) => {
    const memory = r.buffer();
    memory.fill(fill, 0, octets);
    return { memory, more: r.callback(octets, memory), chunk: pushed[pushed.length - 1] as Buffer };
  };
  return { read, buffer: r.buffer };
}

describe('growingReads, the memory a connection reads into', () => {
  it('reads short replies into one 64 KiB memory, each handed on as a copy of its own', () => {
    const { read, buffer } = reads();
    const first = read(30, 0x41);
    const second = read(4000, 0x42);
    expect(first.memory.length).toBe(64 * KiB);
    expect(second.memory).toBe(first.memory);
    expect(buffer()).toBe(first.memory);
    // Read into again: the chunks handed on keep what they held.
    expect(first.chunk.equals(Buffer.alloc(30, 0x41))).toBe(true);
    expect(second.chunk.equals(Buffer.alloc(4000, 0x42))).toBe(true);
  });

  it('grows to 1 MiB after a read that filled it, hands on what a long read filled, and shrinks after a short read', () => {
    const { read, buffer } = reads();
    const full = read(64 * KiB, 0x61);
    // Filled: handed on whole, not copied, and the next read gets new, larger memory.
    expect(full.chunk.buffer).toBe(full.memory.buffer);
    expect(full.chunk.length).toBe(64 * KiB);
    const large = buffer();
    expect(large.length).toBe(1024 * KiB);
    // Under a quarter of it: copied out, the memory read into again.
    const part = read(100 * KiB, 0x62);
    expect(part.memory).toBe(large);
    expect(part.chunk.buffer).not.toBe(large.buffer);
    // A quarter or more: handed on, new memory of the same size next.
    const long = read(300 * KiB, 0x63);
    expect(long.chunk.buffer).toBe(large.buffer);
    expect(long.chunk.equals(Buffer.alloc(300 * KiB, 0x63))).toBe(true);
    const next = buffer();
    expect(next).not.toBe(large);
    expect(next.length).toBe(1024 * KiB);
    expect(part.chunk.equals(Buffer.alloc(100 * KiB, 0x62))).toBe(true);
    // The long reply has ended: back to 64 KiB.
    read(20, 0x64);
    expect(buffer().length).toBe(64 * KiB);
  });

  it("says what the socket's stream says of each push: no room stops the reading", () => {
    expect(reads(true).read(10, 0x30).more).toBe(true);
    expect(reads(false).read(10, 0x30).more).toBe(false);
  });
});
