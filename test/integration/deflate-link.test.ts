/**
 * COMPRESS=DEFLATE's link over a real socket pair on loopback: back-pressure holds as on a plain
 * socket. A peer that reads nothing holds the producer back and what the process keeps for it stays
 * bounded (counted in octets, never timed); a reader that pauses gets nothing more, not even what the
 * inflater could still make of bytes already read; and once reading goes on, every octet arrives, in
 * order, exactly as it was sent.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect as netConnect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { promisify } from 'node:util';
import { constants as zlibConstants, deflateRaw, inflateRawSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connection } from '../../src/transport/connection.js';
import { DeflateLink } from '../../src/transport/deflate-link.js';

const sockets: Socket[] = [];
const servers: Server[] = [];
const connections: Connection[] = [];
afterEach(async () => {
  for (const c of connections.splice(0)) c.destroy();
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

/** A loopback pair: `near` is ours, `far` the peer's, which reads nothing until resumed. */
async function socketPair(): Promise<{ near: Socket; far: Socket }> {
  const server = createServer({ pauseOnConnect: true });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const near = netConnect((server.address() as AddressInfo).port, '127.0.0.1');
  await once(near, 'connect');
  const [far] = await accepted;
  sockets.push(near, far);
  return { near, far };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** 32 MB that deflate cannot shrink: far more than loopback's kernel buffers hold on both ends. */
const TOTAL = 32 * 1024 * 1024;
const CHUNK = 64 * 1024;
/** What the link may hold in the process: a chunk and the streams' marks, far below TOTAL. */
const BOUND = 512 * 1024;

describe('DeflateLink: outbound back-pressure', () => {
  it('a peer that reads nothing holds the producer back with a bounded amount held; then every octet inflates to what was sent', async () => {
    const { near, far } = await socketPair();
    const link = new DeflateLink(near, { deliver: () => undefined, corrupt: (side, error) => { throw new Error(`${side}: ${error.message}`); } });
    const data = randomBytes(TOTAL);
    let sent = 0;
    let waits = 0;
    let waiting = false;
    let maxHeld = 0;
    let maxSocketBuffer = 0;
    const sample = (): void => {
      maxHeld = Math.max(maxHeld, link.pendingOctets);
      maxSocketBuffer = Math.max(maxSocketBuffer, near.writableLength);
    };
    const producer = (async () => {
      while (sent < TOTAL) {
        const room = link.send(data.subarray(sent, sent + CHUNK));
        sent += CHUNK;
        sample();
        if (room === false) {
          waits++;
          waiting = true;
          await new Promise<void>((resolve) => link.whenDrained(resolve));
          waiting = false;
          sample();
        }
      }
    })();

    // Until nothing moves: the kernel's buffers are full (the socket waits for a 'drain' that does
    // not come, turn after turn) and the producer waits (or, were back-pressure ignored, has sent it all).
    let still = 0;
    let last = -1;
    while (still < 200) {
      await nextTurn();
      sample();
      still = sent === last && near.writableNeedDrain && (waiting || sent >= TOTAL) ? still + 1 : 0;
      last = sent;
    }
    expect(near.writableLength, 'octets queued in the socket while the peer reads nothing').toBeLessThan(BOUND);
    expect(sent, 'octets the producer got rid of while the peer reads nothing').toBeLessThan(TOTAL);
    expect(waiting).toBe(true);
    expect(maxHeld).toBeLessThan(BOUND);
    expect(maxSocketBuffer).toBeLessThan(BOUND);

    // The peer reads: the producer goes on, and what arrives inflates to exactly what was sent.
    const received: Buffer[] = [];
    far.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = once(far, 'end');
    far.resume();
    await producer;
    await new Promise<void>((resolve) => link.flushed(resolve));
    near.end();
    await ended;
    expect(waits).toBeGreaterThan(0);
    expect(maxHeld).toBeLessThan(BOUND);
    const inflated = inflateRawSync(Buffer.concat(received), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    expect(inflated.length).toBe(TOTAL);
    expect(sha256(inflated)).toBe(sha256(data));
  }, 120_000);
});

/** ~30 MB of text deflate shrinks a hundredfold: one read of it inflates to megabytes. Numbered lines show order. */
function compressibleText(): Buffer {
  const filler = 'All work and no play makes Jack a dull boy. '.repeat(20);
  return Buffer.from(Array.from({ length: 33_000 }, (_, i) => `${String(i).padStart(8, '0')} ${filler}\r\n`).join(''));
}

describe('DeflateLink: inbound pause', () => {
  it("a connection paused under COMPRESS delivers nothing more, not even what the inflater holds; resumed, it delivers every octet in order", async () => {
    const text = compressibleText();
    const deflated = await promisify(deflateRaw)(text, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const server = createServer((socket) => {
      sockets.push(socket);
      // The OK, then the whole deflated stream in one go (as a server that sends a big FETCH).
      socket.write('* PREAUTH ready\r\n', () => socket.write(deflated));
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const conn = await connect({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, implicitTls: false, tls: { insecure: false }, timeoutMs: 5000 });
    connections.push(conn);

    const delivered: Buffer[] = [];
    let octets = 0;
    let paused = false;
    let whilePaused = 0;
    let greeted: () => void = () => undefined;
    const greeting = new Promise<void>((resolve) => (greeted = resolve));
    let compressed = false;
    conn.onData((chunk) => {
      if (!compressed) {
        // The greeting in clear; from its end on, deflate (the test's server sends nothing else first).
        compressed = true;
        const end = chunk.indexOf('\r\n') + 2;
        void conn.startCompression(chunk.subarray(end));
        greeted();
        return;
      }
      if (paused) whilePaused += chunk.length;
      delivered.push(chunk);
      octets += chunk.length;
      if (delivered.length === 1) {
        // As the proxy does when the other leg or the view is full.
        paused = true;
        conn.pause();
      }
    });
    await greeting;
    while (delivered.length === 0) await nextTurn();
    // Held: many turns of the event loop, and round trips through zlib's thread pool, deliver nothing.
    for (let i = 0; i < 50; i++) {
      await promisify(deflateRaw)(randomBytes(1024));
      await nextTurn();
    }
    expect(whilePaused, 'octets delivered while paused').toBe(0);
    expect(octets).toBeLessThan(text.length);

    paused = false;
    conn.resume();
    while (octets < text.length) await nextTurn();
    const all = Buffer.concat(delivered);
    expect(all.length).toBe(text.length);
    expect(sha256(all)).toBe(sha256(text));
  }, 60_000);

  it('pausing after every chunk and resuming on the next turn loses and reorders nothing', async () => {
    const text = compressibleText();
    const deflated = await promisify(deflateRaw)(text, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const { near, far } = await socketPair();
    const delivered: Buffer[] = [];
    let octets = 0;
    let whilePaused = 0;
    let paused = false;
    const link = new DeflateLink(near, {
      deliver: (chunk) => {
        if (paused) whilePaused += chunk.length;
        delivered.push(chunk);
        octets += chunk.length;
        paused = true;
        link.pause();
        setImmediate(() => {
          paused = false;
          link.resume();
        });
      },
      corrupt: (side, error) => {
        throw new Error(`${side}: ${error.message}`);
      },
    });
    far.resume();
    far.write(deflated);
    while (octets < text.length) await nextTurn();
    expect(whilePaused).toBe(0);
    expect(delivered.length).toBeGreaterThan(100);
    expect(sha256(Buffer.concat(delivered))).toBe(sha256(text));
  }, 60_000);
});
