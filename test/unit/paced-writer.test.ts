import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PIECE_OCTETS, PacedWriter } from '../../src/session/paced-writer.js';
import type { Connection } from '../../src/transport/connection.js';

/** A connection whose socket queue takes `room` octets before it is full, emptied by drain(). */
function socketWithRoom(room: number) {
  const written: Buffer[] = [];
  let queued = 0;
  let drainListener: (() => void) | null = null;
  const conn = {
    write(bytes: Buffer): boolean {
      written.push(Buffer.from(bytes));
      queued += bytes.length;
      return queued < room;
    },
    onDrain(listener: () => void) {
      drainListener = listener;
    },
  } as unknown as Connection;
  return {
    conn,
    written,
    /** The peer read everything queued: the socket says so, as it does after a write that returned false. */
    drain() {
      queued = 0;
      drainListener?.();
    },
    get queued() {
      return queued;
    },
  };
}

describe('PacedWriter', () => {
  it('sends every octet in order, whatever the writes and however often the socket fills', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 * PIECE_OCTETS }), { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 * PIECE_OCTETS }),
        (sizes, room) => {
          const socket = socketWithRoom(room);
          const writer = new PacedWriter(socket.conn, () => undefined);
          const sent = sizes.map((size, i) => Buffer.alloc(size, i + 1));
          for (const bytes of sent) {
            writer.write(bytes);
            // Never more than one piece past the socket's room waits in its queue.
            expect(socket.queued).toBeLessThan(room + PIECE_OCTETS + 1);
          }
          while (writer.pendingOctets > 0) socket.drain();
          // Buffer.equals: toEqual compares octet by octet, far too slowly for megabytes.
          expect(Buffer.concat(socket.written).equals(Buffer.concat(sent))).toBe(true);
          expect(socket.written.every((piece) => piece.length <= PIECE_OCTETS)).toBe(true);
        },
      ),
    );
  });

  it('hands a long write over a piece per drain, and says each one was taken', () => {
    const socket = socketWithRoom(1);
    let progress = 0;
    const writer = new PacedWriter(socket.conn, () => progress++);
    writer.write(Buffer.alloc(10 * PIECE_OCTETS, 0x78));
    expect(socket.written).toHaveLength(1);
    expect(writer.pendingOctets).toBe(9 * PIECE_OCTETS);
    socket.drain();
    expect(progress).toBe(1);
    expect(socket.written).toHaveLength(2);
    expect(writer.pendingOctets).toBe(8 * PIECE_OCTETS);
  });

  it('keeps a command written while a literal waits behind that literal', () => {
    const socket = socketWithRoom(1);
    const writer = new PacedWriter(socket.conn, () => undefined);
    writer.write(Buffer.alloc(2 * PIECE_OCTETS, 0x78));
    writer.write(Buffer.from('A002 NOOP\r\n'));
    while (writer.pendingOctets > 0) socket.drain();
    expect(Buffer.concat(socket.written).subarray(-11).toString()).toBe('A002 NOOP\r\n');
  });
});
