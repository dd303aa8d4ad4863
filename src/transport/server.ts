/**
 * The server side of a connection, for mailwire's own servers (serve, and a built-in sandbox): a
 * listener on a loopback address by default, plain or implicit TLS, and the STARTTLS / STLS upgrade of
 * an accepted connection. With transport/connection.ts the only code that touches node:net and
 * node:tls; above it are chunks of bytes and MailwireErrors.
 *
 * Back-pressure is the transport's: while more than READ_PAUSE_OCTETS written to a client wait to be
 * taken, nothing more is read from it (so a client that pipelines commands and never reads stops
 * costing the server), and a client that leaves more than `maxPendingOutputOctets` waiting is
 * dropped (server-limits.ts).
 *
 * A connection is handed out when it is accepted, before any TLS handshake: an implicit-TLS client
 * that never finishes its handshake holds a slot like any other, so it is counted (--max-connections)
 * and watched by the time limits from the start. close() always ends in a destroy, whatever state
 * TLS is in, and once a connection is closing nothing more the client sends is delivered.
 */
import { readFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import { MailwireError } from '../errors.js';
import { DeflateLink } from './deflate-link.js';
import { DEFAULT_SERVER_LIMITS } from './server-limits.js';
import { fileErrorText } from '../file-errors.js';

/** Output waiting for a client above which reading from it stops until the output has drained. */
export const READ_PAUSE_OCTETS = 1024 * 1024;

/**
 * After close() has sent the last output, how long the client has to close its side before the
 * connection is cut: a client that ignores the end (FIN) would otherwise hold its slot for ever.
 */
export const CLOSE_GRACE_MS = 5000;

export interface ServerTlsFiles {
  /** PEM certificate (chain) file. */
  certFile: string;
  /** PEM private key file. */
  keyFile: string;
}

export interface ListenOptions {
  host: string;
  /** 0 for a free port. */
  port: number;
  /** TLS from the first byte (imaps, pop3s). */
  implicitTls: boolean;
  /** Certificate and key for implicit TLS and for STARTTLS; null when the server has none. */
  tls: ServerTlsFiles | null;
  /** Output a client may leave waiting before it is dropped (default: server-limits.ts). */
  maxPendingOutputOctets?: number;
}

export interface ServerConnection {
  /** The client's address and port, e.g. "127.0.0.1", 50312. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /** TLS is in force (implicit, or after startTls()). */
  readonly secure: boolean;
  onData(listener: (chunk: Buffer) => void): void;
  /**
   * Resolves when the connection can carry data: at once on plain TCP, after the handshake for
   * implicit TLS. Rejects with MailwireError('tls') when that handshake fails (the connection closes).
   */
  readonly ready: Promise<void>;
  /** Called once when the connection ends (each listener given). */
  onClose(listener: () => void): void;
  write(bytes: Buffer): void;
  /** Octets written and not yet taken by the client. */
  readonly pendingOutputOctets: number;
  /** Stops reading from the client until resumeReading() (a server that yields its turn). */
  pauseReading(): void;
  resumeReading(): void;
  /** Calls `then` once the output has drained below the socket's mark (at once when it has). */
  whenDrained(then: () => void): void;
  /**
   * After the OK to STARTTLS / STLS has been written: runs the server side of the handshake. Bytes the
   * client sent in plaintext after its command and before the handshake are dropped and counted
   * (RFC 2595 §3.1 / the command injection of CVE-2011-0411). Rejects with MailwireError('tls').
   */
  startTls(): Promise<{ discardedBytes: number }>;
  /**
   * After the OK to COMPRESS DEFLATE has been written (RFC 4978 §3): both directions are deflated from
   * here on. A corrupt stream from the client ends the connection.
   */
  startCompression(): void;
  /**
   * Ends the connection after what was written has gone out; cut CLOSE_GRACE_MS later if the client
   * has not closed its side (or if the output stops going out meanwhile, or a TLS handshake does not
   * finish). From here on nothing the client sends is delivered: a server that has said goodbye
   * carries out no more commands.
   */
  close(): void;
  destroy(): void;
}

export interface Listener {
  readonly host: string;
  readonly port: number;
  /** Stops accepting connections; those open go on. */
  stopAccepting(): void;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** Loads the certificate and key, so that a wrong path is reported before anything listens. */
function loadTls(files: ServerTlsFiles): SecureContext {
  const read = (path: string, what: string): string => {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw new MailwireError('file', `cannot read ${what} ${path}: ${fileErrorText(error)}`);
    }
  };
  const cert = read(files.certFile, 'certificate');
  const key = read(files.keyFile, 'private key');
  try {
    return createSecureContext({ cert, key });
  } catch (error) {
    throw new MailwireError('tls', `cannot use certificate ${files.certFile} with key ${files.keyFile}: ${(error as Error).message}`);
  }
}

/** Why a server cannot listen, in words (the host is a name or address of this machine). */
const LISTEN_ERRORS: Readonly<Record<string, string>> = {
  EADDRINUSE: 'the address is in use',
  EADDRNOTAVAIL: 'no such local address',
  EACCES: 'permission denied (ports under 1024 usually need root)',
  ENOTFOUND: 'no such host name',
  EAI_NONAME: 'no such host name',
  EAI_AGAIN: 'the host name cannot be looked up now (temporary DNS failure)',
};

/**
 * Listens and hands each accepted connection to `onConnection`.
 * @throws MailwireError('usage') when the address cannot be listened on, 'file'/'tls' for the certificate
 */
export async function listen(options: ListenOptions, onConnection: (conn: ServerConnection) => void): Promise<Listener> {
  const context = options.tls ? loadTls(options.tls) : null;
  if (options.implicitTls && !context) throw new MailwireError('usage', 'implicit TLS needs a certificate and its key (--cert, --key)');
  const open = new Set<AcceptedConnection>();
  // Implicit TLS too is accepted on TCP and handed out at once, its handshake still to come (a
  // tls.Server hands a connection out only after the handshake: a client that stalls it would hold a
  // socket no limit counts or times).
  const server: Server = createTcpServer((socket) => {
    const conn = new AcceptedConnection(socket, context, options.implicitTls, options.maxPendingOutputOctets ?? DEFAULT_SERVER_LIMITS.maxPendingOutputOctets);
    open.add(conn);
    conn.onClose(() => open.delete(conn));
    onConnection(conn);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why = LISTEN_ERRORS[error.code ?? ''] ?? error.message;
      reject(new MailwireError('usage', `cannot listen on ${options.host}:${options.port}: ${why}`));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    stopAccepting: () => {
      if (server.listening) server.close();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const conn of open) conn.destroy();
        if (server.listening) server.close(() => resolve());
        else resolve();
      }),
  };
}

class AcceptedConnection implements ServerConnection {
  readonly remoteAddress: string;
  readonly remotePort: number;
  secure: boolean;
  readonly ready: Promise<void>;
  private top: Socket;
  private dataListener: ((chunk: Buffer) => void) | null = null;
  private readonly closeListeners: Array<() => void> = [];
  private closed = false;
  /** close() was called: what the client sends from here on is dropped. */
  private closing = false;
  /** A TLS handshake (implicit, or after STARTTLS) has begun and not finished. */
  private handshaking = false;
  private deflate: DeflateLink | null = null;
  /** Why reading is paused: the output waiting, the server's own yield; reading goes on when neither. */
  private outputHold = false;
  private serverHold = false;
  private readonly deliver = (chunk: Buffer): void => {
    // After the goodbye the client may go on sending (a QUIT, an EXPUNGE) during the close's grace:
    // none of it is the server's business any more.
    if (!this.closing) this.dataListener?.(chunk);
  };

  constructor(
    private readonly raw: Socket,
    private readonly context: SecureContext | null,
    implicitTls: boolean,
    private readonly maxPendingOutputOctets: number,
  ) {
    this.remoteAddress = raw.remoteAddress ?? '';
    this.remotePort = raw.remotePort ?? 0;
    this.secure = implicitTls;
    this.top = raw;
    raw.setNoDelay(true);
    this.watch(raw);
    if (implicitTls) {
      this.ready = this.handshake();
      // Whoever awaits `ready` hears of a failure; the close is reported to the close listeners anyway.
      this.ready.catch(() => undefined);
    } else {
      this.ready = Promise.resolve();
    }
  }

  onData(listener: (chunk: Buffer) => void): void {
    this.dataListener = listener;
    this.top.on('data', this.deliver);
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
    if (this.closed) queueMicrotask(listener);
  }

  write(bytes: Buffer): void {
    const socket = this.top;
    if (socket.destroyed || socket.writableEnded) return;
    // RFC 4978: once COMPRESS is in force, what is written goes deflated; what waits is counted in
    // the link's buffers as well as the socket's.
    if (this.deflate) this.deflate.send(bytes);
    else socket.write(bytes);
    if (this.pendingOutputOctets > this.maxPendingOutputOctets) {
      // The client takes nothing: holding more for it would cost the others.
      this.destroy();
      return;
    }
    if (this.pendingOutputOctets > READ_PAUSE_OCTETS && !this.outputHold) {
      this.outputHold = true;
      this.applyHolds();
      this.whenDrained(() => {
        this.outputHold = false;
        this.applyHolds();
      });
    }
  }

  get pendingOutputOctets(): number {
    return this.deflate ? this.deflate.pendingOctets : this.top.writableLength;
  }

  pauseReading(): void {
    this.serverHold = true;
    this.applyHolds();
  }

  resumeReading(): void {
    this.serverHold = false;
    this.applyHolds();
  }

  whenDrained(then: () => void): void {
    const socket = this.top;
    if (socket.destroyed) return;
    if (this.deflate) this.deflate.whenDrained(then);
    else if (socket.writableNeedDrain) socket.once('drain', then);
    else setImmediate(then);
  }

  startCompression(): void {
    if (this.deflate) return;
    this.top.off('data', this.deliver);
    this.deflate = new DeflateLink(this.top, { deliver: this.deliver, corrupt: () => this.destroy() });
  }

  private applyHolds(): void {
    if (this.top.destroyed) return;
    // Under COMPRESS the link holds the inflater's output as well as the socket.
    const reading = this.deflate ?? this.top;
    if (this.outputHold || this.serverHold) reading.pause();
    else reading.resume();
  }

  async startTls(): Promise<{ discardedBytes: number }> {
    if (!this.context) throw new MailwireError('tls', 'no certificate to start TLS with (--cert, --key)');
    if (this.secure) throw new MailwireError('tls', 'TLS is already in force on this connection');
    const raw = this.raw;
    raw.off('data', this.deliver);
    // Whatever the client sent after its STARTTLS and before the handshake started is not trusted.
    let discardedBytes = 0;
    const pending = raw.read() as Buffer | null;
    if (pending) discardedBytes += pending.length;
    await this.handshake();
    this.secure = true;
    if (this.dataListener) this.top.on('data', this.deliver);
    return { discardedBytes };
  }

  /** Runs the server side of a TLS handshake over the raw socket; what is written meanwhile waits for it. */
  private handshake(): Promise<void> {
    if (!this.context) return Promise.reject(new MailwireError('tls', 'no certificate to start TLS with (--cert, --key)'));
    const tls = new TLSSocket(this.raw, { isServer: true, secureContext: this.context });
    this.top = tls;
    this.handshaking = true;
    this.watch(tls);
    return new Promise<void>((resolve, reject) => {
      const failed = (error: MailwireError): void => {
        this.handshaking = false;
        this.destroy();
        reject(error);
      };
      tls.once('secure', () => {
        this.handshaking = false;
        resolve();
      });
      tls.once('error', (error) => failed(new MailwireError('tls', `TLS handshake with ${this.remoteAddress} failed: ${error.message}`)));
      tls.once('close', () => failed(new MailwireError('tls', `${this.remoteAddress} closed the connection during the TLS handshake`)));
    });
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.top.destroyed) return;
    // Once the last output is out, the client has a while to close its side, then it is cut off. The
    // grace runs from the close too: a client that stops taking its last output is cut as well, and
    // one still taking it (less waiting at each check) gets another while.
    let ended = false;
    let pendingAtCheck = this.pendingOutputOctets;
    const check = (): void => {
      const pending = this.pendingOutputOctets;
      if (!ended && pending > 0 && pending < pendingAtCheck && !this.top.destroyed) {
        pendingAtCheck = pending;
        grace = setTimeout(check, CLOSE_GRACE_MS).unref();
        return;
      }
      this.destroy();
    };
    let grace = setTimeout(check, CLOSE_GRACE_MS).unref();
    const end = (): void => {
      this.top.end(() => {
        ended = true;
        clearTimeout(grace);
        grace = setTimeout(check, CLOSE_GRACE_MS).unref();
      });
    };
    // What is written during a handshake waits for it (a full server's BYE to an imaps client), and
    // ending a TLS socket mid-handshake never completes: end once the handshake is done, and a client
    // that stalls it is cut when the grace is over.
    if (this.handshaking) this.top.once('secure', end);
    // Deflated output leaves asynchronously: end the socket after the last of it.
    else if (this.deflate) this.deflate.flushed(end);
    else end();
  }

  destroy(): void {
    this.top.destroy();
    this.raw.destroy();
  }

  private watch(socket: Socket): void {
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (socket !== this.top && socket !== this.raw) return;
      if (this.closed) return;
      this.closed = true;
      for (const listener of this.closeListeners) listener();
    });
  }
}
