/**
 * A server that costs the tests nothing to reason about: it greets (IMAP "* OK", POP3 "+OK"), answers
 * every line with OK, keeps the lines it got, and tells when its side of a connection closed. The
 * real server behind mailwire proxy in the tests of time limits and of what comes after a goodbye.
 */
import { createServer, type Socket } from 'node:net';

export interface OkServer {
  port: number;
  /** Every line received, in order, over all connections. */
  lines: string[];
  /** Resolves when a connection to it has closed. */
  closed: Promise<void>;
  close(): Promise<void>;
}

export async function startOkServer(protocol: 'imap' | 'pop3'): Promise<OkServer> {
  const sockets = new Set<Socket>();
  const lines: string[] = [];
  let closed: () => void = () => undefined;
  const closedOnce = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => closed());
    socket.write(protocol === 'imap' ? '* OK fake ready\r\n' : '+OK fake ready\r\n');
    let buffer = '';
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (let i = buffer.indexOf('\r\n'); i >= 0; i = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        lines.push(line);
        socket.write(protocol === 'imap' ? `${line.split(' ')[0]} OK done\r\n` : '+OK done\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    lines,
    closed: closedOnce,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
