/**
 * Runs the same client session against two servers and reduces each reply to its shape, so a
 * server can be compared with another for structure: which responses came back and with which
 * response codes, whatever their numbers and texts. The session is driven over a raw socket and
 * read with mailwire's own framers (literals by octet count).
 */
import { connect, type Socket } from 'node:net';
import { ImapFramer } from '../../src/protocol/imap/framer.js';
import { pop3ReplyShapeFor } from '../../src/protocol/pop3/commands.js';
import { Pop3Framer } from '../../src/protocol/pop3/framer.js';

/** One command and the shapes of its responses (untagged ones sorted: their order is free). */
export interface ExchangeShape {
  command: string;
  untagged: string[];
  completion: string;
}

/**
 * The shape of one IMAP response line: `* 12 EXISTS` -> "EXISTS", `* OK [UIDVALIDITY 1] x` ->
 * "OK [UIDVALIDITY]", `* LIST (...) ...` -> "LIST", `a1 OK [READ-WRITE] x` -> "OK [READ-WRITE]",
 * `+ ...` -> "+".
 */
export function imapShape(line: string): string {
  if (line.startsWith('+')) return '+';
  const m = /^\S+ (?:\d+ )?([A-Za-z-]+)(?: \[([^\s\]]+))?/.exec(line);
  if (!m) return line;
  const kind = (m[1] as string).toUpperCase();
  return m[2] && ['OK', 'NO', 'BAD', 'BYE', 'PREAUTH'].includes(kind) ? `${kind} [${(m[2] as string).toUpperCase()}]` : kind;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Waits for responses until `done` says the exchange is over. */
class Reader {
  private waiting: (() => void) | null = null;
  readonly lines: string[] = [];

  constructor(socket: Socket, frame: (chunk: Buffer) => string[]) {
    socket.on('data', (chunk: Buffer) => {
      this.lines.push(...frame(chunk));
      this.waiting?.();
    });
  }

  async until(done: (lines: string[]) => boolean): Promise<void> {
    while (!done(this.lines)) await new Promise<void>((resolve) => (this.waiting = resolve));
    this.waiting = null;
  }
}

/**
 * An IMAP session: the greeting, then each command (tagged T1, T2, ... here; literals must be
 * `{n+}`, given in the command text with CRLFs) with its responses' shapes.
 */
export async function imapShapes(port: number, commands: readonly string[]): Promise<ExchangeShape[]> {
  const socket = await open(port);
  const framer = new ImapFramer();
  const reader = new Reader(socket, (chunk) =>
    framer.push(chunk).flatMap((f) => (f.type === 'segment' && f.first ? [f.bytes.toString('latin1')] : [])),
  );
  // Dovecot may say "Waiting for authentication process" before its real greeting.
  await reader.until((l) => l.some((x) => /^\* (OK|PREAUTH) (?!Waiting for authentication)/.test(x)));
  reader.lines.length = 0;
  const out: ExchangeShape[] = [];
  try {
    for (const [i, command] of commands.entries()) {
      const tag = `T${i + 1}`;
      socket.write(`${tag} ${command}\r\n`);
      await reader.until((l) => l.some((x) => x.startsWith(`${tag} `)));
      const lines = reader.lines.splice(0);
      const completion = lines.find((x) => x.startsWith(`${tag} `)) as string;
      out.push({
        command: command.split('\r\n')[0] as string,
        untagged: lines.filter((x) => x !== completion).map(imapShape).sort(),
        completion: imapShape(completion),
      });
    }
  } finally {
    socket.destroy();
  }
  return out;
}

/** A POP3 session: each command with its status and, for a multi-line reply, its line count. */
export async function pop3Shapes(port: number, commands: readonly string[]): Promise<ExchangeShape[]> {
  const socket = await open(port);
  const framer = new Pop3Framer();
  const reader = new Reader(socket, (chunk) =>
    framer.push(chunk).flatMap((f) => (f.type === 'status' ? [`${f.greeting ? 'greeting' : 'status'} ${f.status}`] : f.type === 'body-line' ? ['line'] : f.type === 'end' ? ['end'] : [])),
  );
  await reader.until((l) => l.length > 0);
  reader.lines.length = 0;
  const out: ExchangeShape[] = [];
  try {
    for (const command of commands) {
      const shape = pop3ReplyShapeFor(command);
      framer.expect(shape);
      socket.write(`${command}\r\n`);
      await reader.until((l) => l.length > 0 && (l[0] !== 'status +OK' || shape === 'single' || l.at(-1) === 'end'));
      const lines = reader.lines.splice(0);
      out.push({ command, untagged: lines.filter((l) => l === 'line').map(() => 'line'), completion: (lines[0] as string).replace('status ', '') });
    }
  } finally {
    socket.destroy();
  }
  return out;
}
