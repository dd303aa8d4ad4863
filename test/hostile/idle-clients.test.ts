/**
 * Clients that hold a connection without using it, over real sockets: a silent one, one that drips
 * a byte at a time, one that sends commands but never logs in. mailwire's servers take the slot back
 * with the goodbye the protocol defines (IMAP BYE, POP3 -ERR), and a client that goes on using its
 * connection keeps it. The limits are set to a second or two; what is asserted is what the client
 * got and that the connection closed, never how long it took.
 */
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS, listen } from '../../src/transport/server.js';
describe('the server transport', () => {
  it('a connection the server closes is let go though the client never closes its side', async () => {
    let serverClosed: () => void = () => undefined;
    const closed = new Promise<'let go'>((resolve) => (serverClosed = () => resolve('let go')));
    const listener = await listen({ host: '127.0.0.1', port: 0, implicitTls: false, tls: null }, (conn) => {
      conn.onClose(serverClosed);
      conn.write(Buffer.from('* BYE go away\r\n'));
      conn.close();
    });
    // allowHalfOpen: the client's side stays open after the server's FIN, as a hostile client keeps it.
    const socket = connect({ port: listener.port, host: '127.0.0.1', allowHalfOpen: true });
    socket.on('error', () => undefined);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString()));
    try {
      const held = new Promise<'held'>((resolve) => setTimeout(() => resolve('held'), CLOSE_GRACE_MS + 10_000).unref());
      expect(await Promise.race([closed, held])).toBe('let go');
      expect(text).toBe('* BYE go away\r\n');
    } finally {
      socket.destroy();
      await listener.close();
    }
  });
});
