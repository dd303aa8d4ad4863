/**
 * Just enough of a line-based client for checking the real-server fixtures with bare node:net /
 * node:tls sockets (no mailwire code): CRLF lines in, text out. Each client made by plain(), or
 * pushed on `clients`, is destroyed after each test of the file that imports this.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { afterEach } from 'vitest';

/** A socket read line by line. */
export class LineClient {
  private buffered = '';
  private waiting: Array<() => void> = [];
  private closed = false;
  private failure: Error | undefined;

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.buffered += chunk;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', (error) => {
      this.failure = error;
    });
  }

  private wake(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  async line(): Promise<string> {
    for (;;) {
      const end = this.buffered.indexOf('\r\n');
      if (end >= 0) {
        const line = this.buffered.slice(0, end);
        this.buffered = this.buffered.slice(end + 2);
        return line;
      }
      if (this.closed) throw this.failure ?? new Error(`connection closed; unterminated: ${JSON.stringify(this.buffered)}`);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
  }

  /** The greeting, past notices before it (Dovecot's "Waiting for authentication process"). */
  async greeting(notice = 'Waiting for authentication process'): Promise<string> {
    let line = await this.line();
    while (line.includes(notice)) line = await this.line();
    return line;
  }

  /** Sends a command and collects lines up to and including the first that starts with `until`. */
  async command(text: string, until: string): Promise<string[]> {
    this.socket.write(`${text}\r\n`);
    const lines: string[] = [];
    for (;;) {
      const line = await this.line();
      lines.push(line);
      if (line.startsWith(until)) return lines;
    }
  }
}

export const clients: LineClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.socket.destroy();
});

/** A plain connection to a loopback port. */
export function plain(port: number): LineClient {
  const client = new LineClient(netConnect({ host: '127.0.0.1', port }));
  clients.push(client);
  return client;
}
