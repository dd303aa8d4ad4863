/**
 * In-process fake servers for what a real server will not do: control bytes, connections dropped
 * mid-literal, STARTTLS injection, silence. Each listens on 127.0.0.1 port 0 and is driven line by
 * line by the test's handler, which writes whatever bytes the case needs.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { testCerts } from './certs.js';

export interface FakeConnection {
  socket: Socket;
  write(text: string | Buffer): void;
  /** Upgrades this side to TLS (after a STARTTLS OK), with the test CA's localhost certificate. */
  startTls(): TLSSocket;
}

export interface FakeServer {
  port: number;
  url(scheme: 'imap' | 'pop3'): string;
  /** Every line the client sent, in order, across connections. */
  received: string[];
  close(): Promise<void>;
}

export interface FakeServerOptions {
  /** Written on connect (with CRLF added), unless null; a function makes one for each connection. */
  greeting: string | null | ((conn: FakeConnection) => string);
  /** Called for each line the client sends (without CRLF). */
  onLine?: (line: string, conn: FakeConnection) => void;
}

export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const received: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let current: Socket = socket;
    let buffer = '';
    const conn: FakeConnection = {
      socket,
      write: (text) => {
        if (!current.destroyed) current.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
      },
      startTls: () => {
        const certs = testCerts();
        socket.removeAllListeners('data');
        const tls = new TLSSocket(socket, { isServer: true, cert: certs.serverCert, key: certs.serverKey });
        tls.on('error', () => undefined);
        current = tls;
        buffer = '';
        tls.on('data', onData);
        return tls;
      },
    };
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i).replace(/\r$/, '');
        buffer = buffer.slice(i + 1);
        received.push(line);
        options.onLine?.(line, conn);
      }
    };
    socket.on('data', onData);
    if (options.greeting !== null) conn.write(`${typeof options.greeting === 'function' ? options.greeting(conn) : options.greeting}\r\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    url: (scheme) => `${scheme}://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The tag of an IMAP command line ("a1 NOOP" -> "a1"). */
export function tagOf(line: string): string {
  return line.split(' ')[0] ?? '';
}
