/**
 * The server's leg of the proxy upgraded with STARTTLS / STLS before anything is relayed (the target
 * given with --starttls): the greeting is read and held, the upgrade asked for and its OK awaited, the
 * handshake run; the held greeting then goes to the client as if it had just come. The client never
 * sees this exchange, and recordings do not hold it (replay does its own upgrade for `--starttls`).
 */
import { MailwireError } from '../errors.js';
import type { Protocol } from '../session/events.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import type { Connection } from '../transport/connection.js';

/** The tag of the proxy's own STARTTLS: never one a client's command could take over. */
const UPGRADE_TAG = 'MWPROXY1';

/** Reads whole lines from a connection whose data is handed to push(). */
export class ServerLines {
  private buffered: Buffer = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private ended: MailwireError | null = null;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): void {
    this.buffered = Buffer.concat([this.buffered, chunk]);
    this.waiter?.();
  }

  end(error: MailwireError): void {
    this.ended = error;
    this.waiter?.();
  }

  /** The next line with its line ending. */
  async next(): Promise<Buffer> {
    for (;;) {
      const lf = this.buffered.indexOf(0x0a);
      if (lf >= 0) {
        const line = this.buffered.subarray(0, lf + 1);
        this.buffered = this.buffered.subarray(lf + 1);
        return line;
      }
      if (this.buffered.length > this.maxLineBytes) throw new MailwireError('protocol', `the server sent a line of more than ${this.maxLineBytes} octets before TLS`);
      if (this.ended) throw this.ended;
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  /** Octets received after the last line read (before TLS: dropped, RFC 3207 §5's injection). */
  get leftover(): number {
    return this.buffered.length;
  }
}

/**
 * Runs the upgrade. Returns the held greeting (with its line ending) and the handshake's summary.
 * @throws MailwireError('starttls') when the server refuses, or the transport's TLS errors
 */
export async function upgradeServerLeg(conn: Connection, lines: ServerLines, protocol: Protocol, url: string): Promise<{ greeting: Buffer; summary: TlsSummary }> {
  const greeting = await lines.next();
  const name = protocol === 'imap' ? 'STARTTLS' : 'STLS';
  conn.write(Buffer.from(protocol === 'imap' ? `${UPGRADE_TAG} STARTTLS\r\n` : 'STLS\r\n'));
  for (;;) {
    const line = (await lines.next()).toString('latin1').replace(/\r?\n$/, '');
    if (protocol === 'imap' && line.startsWith('* ')) continue;
    const ok = protocol === 'imap' ? /^MWPROXY1 OK\b/i.test(line) : /^\+OK\b/.test(line);
    if (!ok) throw new MailwireError('starttls', `${url} refused ${name} (${line.slice(0, 200)}); nothing sent in plaintext`);
    break;
  }
  const { summary } = await conn.startTls();
  return { greeting, summary };
}
