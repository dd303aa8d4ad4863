/**
 * Checks the hostile-client fixture (test/support/pattern-client.ts) itself against a bare node:net
 * server: a long conversation leaves no listener behind on its socket (one per wait used to pile up
 * until Node warned of a leak), and a wait still ends when the server closes.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PatternClient } from '../support/pattern-client.js';

let server: Server;
let port = 0;

beforeAll(async () => {
  // Answers each "next" with one numbered line; "bye" gets a last line and the close.
  server = createServer((socket: Socket) => {
    let count = 0;
    let pending = '';
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      let end: number;
      while ((end = pending.indexOf('\r\n')) >= 0) {
        const line = pending.slice(0, end);
        pending = pending.slice(end + 2);
        if (line === 'next') socket.write(`line ${++count}\r\n`);
        if (line === 'bye') socket.end('closing\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  port = (server.address() as { port: number }).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('PatternClient', () => {
  it('200 waits, each for a line not yet sent, leave the socket with the listeners it started with', async () => {
    const client = new PatternClient(port);
    const listeners = (): Record<string, number> => ({
      close: client.socket.listenerCount('close'),
      error: client.socket.listenerCount('error'),
      data: client.socket.listenerCount('data'),
    });
    const before = listeners();
    for (let n = 1; n <= 200; n++) {
      // The wait starts before the line is asked for, so every one of them has to wait for data.
      const line = client.waitFor(/line \d+\r\n/);
      client.send('next\r\n');
      expect(await line).toBe(`line ${n}\r\n`);
    }
    expect(listeners()).toEqual(before);
    client.close();
  });

  it('a wait matched before the close returns its match; a wait the close leaves unmatched rejects', async () => {
    const client = new PatternClient(port);
    client.send('bye\r\n');
    expect(await client.waitFor(/closing\r\n/)).toBe('closing\r\n');
    await expect(client.waitFor(/never/)).rejects.toThrow(/closed while waiting for \/never\//);
  });
});
