/**
 * The connection to the server: TCP, implicit TLS (IMAPS 993, POP3S 995) or a STARTTLS/STLS upgrade
 * of a plain connection, with verified certificates unless --insecure. The only module that touches
 * node:net and node:tls (tls-client.ts, loaded at the first handshake); everything above gets chunks of bytes, a TlsSummary and MailwireErrors.
 */
import { connect as tcpConnect, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MailwireError } from '../errors.js';
import type { TlsSummary } from '../protocol/tls/summary.js';
import { certificateError, connectError, handshakeClosed, handshakeError, hostPort, seconds, sessionError } from './errors.js';
import type { DeflateLink } from './deflate-link.js';
import { loadDeflateLink } from './deflate-link-loader.js';
import { PlaintextFilter } from './plaintext-filter.js';
import { readOctetsDone } from './read-garbage.js';
import { growingReads } from './socket-reads.js';
import { SocketStream } from './socket-stream.js';
import type { TlsSetup } from './tls-client.js';

export interface TlsOptions {
  /** Go on whatever the certificate check says (the summary still tells what it said). */
  insecure: boolean;
  /** Name for SNI and for the certificate check, when not the host connected to. */
  servername?: string;
  /** More trusted CAs: PEM files, or folders of them (every *.pem, *.crt and OpenSSL hash link inside). */
  caPaths?: string[];
  /** A client certificate (PEM), for servers that ask for one and for SASL EXTERNAL. */
  certFile?: string;
  /** Its private key (PEM); when absent, the key is looked for in certFile. */
  keyFile?: string;
  /** Lowest and highest TLS versions to offer: 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'. */
  minVersion?: TlsVersion;
  maxVersion?: TlsVersion;
  /** OpenSSL cipher list (TLS 1.2 and below) and/or TLS 1.3 suite names, colon-separated. */
  ciphers?: string;
  /** Protocols to offer by ALPN (RFC 7301), e.g. ['imap']; none when absent. */
  alpn?: string[];
  /**
   * Read the certificates the server itself sends in its handshake (TlsDetails.sent), apart from what
   * the local trust store adds to verify them. Over implicit TLS this runs the connection through a
   * JavaScript stream for its whole life (socket-stream.ts), so it is for a run that shows the chain;
   * without it TlsDetails.sent is 'not-watched'.
   */
  watchSentChain?: boolean;
}

/** The TLS versions Node names (tls.DEFAULT_MIN_VERSION and friends). */
export type TlsVersion = 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface ConnectOptions {
  /** Host name or IP literal; an IPv6 literal without brackets ("::1"). */
  host: string;
  port: number;
  /** TLS from the first byte (imaps, pop3s). */
  implicitTls: boolean;
  tls: TlsOptions;
  /** Bounds the TCP connect and the TLS handshake together; a STARTTLS handshake gets as long again. */
  timeoutMs?: number;
  /**
   * Reads that grow to 1 MiB while a long reply streams (socket-reads.ts), for a client that hands
   * each read to its session in the pieces the session asks for (client-session.ts's receiveRead).
   * Otherwise Node's own reads, 64 KiB at most: what a server of ours (the proxy) relays.
   */
  growingReads?: boolean;
  /**
   * Gives up connecting when aborted: the socket is destroyed and connect() rejects. For a caller
   * that stops waiting (--max-time), so that no half-made connection keeps the process alive.
   */
  signal?: AbortSignal;
}

export interface Connection {
  /** The address actually connected to: '127.0.0.1', '::1'. */
  readonly remoteAddress: string;
  /** Summary of the last handshake; null while the connection is plain. */
  readonly tls: TlsSummary | null;
  /** Data from the server, in arrival order. Exactly one listener (the session runner). */
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the connection ends: error null for a clean close by the peer (FIN) or by us. */
  onClose(listener: (error: MailwireError | null) => void): void;
  /** Returns false when the bytes had to be queued: wait for onDrain before writing more (back-pressure). */
  write(bytes: Buffer): boolean;
  /** Called each time the queued output has gone out after a write() that returned false. */
  onDrain(listener: () => void): void;
  /** Stops reading from the server (TCP flow control holds the rest) until resume(): for a slow reader of our output. */
  pause(): void;
  resume(): void;
  /**
   * STARTTLS / STLS upgrade on the same socket after the server's OK: stops delivering data to onData at once,
   * counts and discards any bytes that arrive before the handshake (RFC 3207/2595 command injection: they
   * were sent in plaintext and are not to be trusted), runs the TLS handshake with the same TlsOptions, and
   * resolves with the summary and the number of discarded bytes. Rejects with MailwireError('tls'|'certificate'|'timeout'|'broken').
   */
  startTls(): Promise<{ summary: TlsSummary; discardedBytes: number }>;
  /**
   * COMPRESS=DEFLATE (RFC 4978) from now on: what comes in is inflated before onData sees it, what is
   * written is deflated, each write flushed with Z_SYNC_FLUSH so the server gets whole commands.
   * `pending` is what came after the server's OK in the same read: already compressed. Resolves once
   * `pending` has been inflated and delivered, so nothing sent after it can be shown before it.
   */
  startCompression(pending: Buffer): Promise<void>;
  /** Half-close politely (end) then destroy after a grace period. */
  close(): void;
  destroy(): void;
}

/** How long close() waits for the server to close its side before dropping the connection. */
const CLOSE_GRACE_MS = 2000;

/**
 * Connects (and for implicit TLS, completes the handshake) within `timeoutMs`. Rejects with a
 * MailwireError: 'file' (--ca, --cert, --key), 'dns', 'connect', 'timeout', 'tls' or 'certificate'.
 */
export async function connect(opts: ConnectOptions): Promise<Connection> {
  const t = opts.tls;
  const caPaths = t.caPaths ?? [];
  // node:tls and node:crypto (and the files) only for --ca and --cert: a plain session never loads them.
  const files = caPaths.length === 0 && t.certFile === undefined ? null : await import('./tls-client.js');
  const client = t.certFile === undefined || files === null ? null : await files.readClientCertificate(t.certFile, t.keyFile);
  const setup: TlsSetup = {
    insecure: t.insecure,
    ca: caPaths.length === 0 || files === null ? undefined : [...files.rootCertificates, ...(await files.readCaPaths(caPaths))],
    name: t.servername ?? opts.host,
    client: client === null || files === null ? null : { ...client, subject: files.certificateSubject(client.cert) },
    minVersion: t.minVersion,
    maxVersion: t.maxVersion,
    ciphers: t.ciphers,
    alpn: t.alpn ?? [],
    watchSentChain: t.watchSentChain === true,
  };
  const conn = new SocketConnection(opts.host, opts.port, setup, opts.timeoutMs, opts.growingReads === true);
  const abandon = (): void => conn.destroy();
  if (opts.signal?.aborted) abandon();
  opts.signal?.addEventListener('abort', abandon, { once: true });
  try {
    await conn.establish(opts.implicitTls);
  } finally {
    opts.signal?.removeEventListener('abort', abandon);
  }
  return conn;
}

type Phase = 'connecting' | 'handshake' | 'open' | 'closed';

/** How a wait for one socket event fails. */
interface Failure {
  error: (error: unknown) => MailwireError;
  close: () => MailwireError;
  timeoutMs: number | undefined;
  timeout: () => MailwireError;
}

class SocketConnection implements Connection {
  remoteAddress = '';
  tls: TlsSummary | null = null;

  private readonly raw: Socket;
  /** Where data comes from and goes to: the TCP socket, or the TLS socket on top of it. */
  private top: Socket;
  /** The stream TLS runs over instead of the TCP socket: STARTTLS's filter, or implicit TLS watched. */
  private stream: SocketStream | null = null;
  private phase: Phase = 'connecting';
  private error: MailwireError | null = null;
  private dataListener: ((chunk: Buffer) => void) | null = null;
  private closeListener: ((error: MailwireError | null) => void) | null = null;
  private drainListener: (() => void) | null = null;
  private closeReported = false;
  private graceTimer: NodeJS.Timeout | null = null;
  /** COMPRESS=DEFLATE, once in force. */
  private deflate: DeflateLink | null = null;
  private readonly deliver = (chunk: Buffer): void => {
    this.dataListener?.(chunk);
    readOctetsDone(chunk.length);
  };

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly setup: TlsSetup,
    private readonly timeoutMs: number | undefined,
    growing: boolean,
  ) {
    // Listeners go on before anything can happen, so no error is ever unhandled.
    const raw: Socket = tcpConnect({ host, port, noDelay: true, ...(growing ? { onread: growingReads(() => raw) } : {}) });
    this.raw = raw;
    this.top = this.raw;
    this.watch(this.raw);
  }

  /** TCP connect, then the implicit TLS handshake, sharing one time limit. */
  async establish(implicitTls: boolean): Promise<void> {
    const target = hostPort(this.host, this.port);
    const started = Date.now();
    const ms = this.timeoutMs;
    await this.waitFor(this.raw, 'connect', {
      error: (error) => connectError(error, this.host, this.port),
      close: () => new MailwireError('connect', `connection to ${target} closed while connecting`),
      timeoutMs: ms,
      timeout: () => new MailwireError('timeout', `no connection to ${target} within ${seconds(ms ?? 0)} (--timeout)`),
    });
    this.remoteAddress = this.raw.remoteAddress ?? this.host;
    if (implicitTls) {
      const left = ms === undefined ? undefined : Math.max(1, ms - (Date.now() - started));
      // The server's bytes are seen only through a stream of our own (socket-stream.ts says what it costs).
      if (this.setup.watchSentChain) this.stream = new SocketStream(this.raw);
      this.tls = await this.handshake(this.stream ?? this.raw, left);
    }
    this.phase = 'open';
  }

  onData(listener: (chunk: Buffer) => void): void {
    if (this.dataListener) throw new Error('Connection.onData: a listener is already registered');
    this.dataListener = listener;
    // Attaching the listener is what starts the flow: nothing is read before someone takes it.
    this.top.on('data', this.deliver);
  }

  onClose(listener: (error: MailwireError | null) => void): void {
    if (this.closeListener) throw new Error('Connection.onClose: a listener is already registered');
    this.closeListener = listener;
    if (this.phase === 'closed') queueMicrotask(() => this.reportClose());
  }

  write(bytes: Buffer): boolean {
    // During a STARTTLS handshake `top` is already the TLS socket, which holds writes until it is
    // secure: nothing written from here on ever goes out in plaintext.
    if (this.phase === 'closed' || this.top.destroyed || this.top.writableEnded) return true;
    if (this.deflate) {
      // Deflated output is flushed per write (RFC 4978 §4) and says, as the socket does, when it is full.
      const room = this.deflate.send(bytes);
      if (!room) this.deflate.whenDrained(() => this.drainListener?.());
      return room;
    }
    const more = this.top.write(bytes);
    if (!more) this.top.once('drain', () => this.drainListener?.());
    return more;
  }

  onDrain(listener: () => void): void {
    this.drainListener = listener;
  }

  startCompression(pending: Buffer): Promise<void> {
    if (this.deflate) throw new MailwireError('protocol', 'COMPRESS is already in force on this connection');
    this.top.off('data', this.deliver);
    // zlib is loaded here, at the first COMPRESS: a session that never compresses never loads it.
    const { DeflateLink } = loadDeflateLink();
    this.deflate = new DeflateLink(this.top, {
      deliver: this.deliver,
      corrupt: (side, error) => {
        this.error ??= new MailwireError('protocol', `${side === 'inbound' ? "the server's" : 'our'} DEFLATE stream is corrupt (${error.message})`);
        this.destroy();
      },
    });
    return this.deflate.receivePending(pending);
  }

  pause(): void {
    // Under COMPRESS the inflater's output is held too: bytes already read would go on coming.
    if (this.deflate) this.deflate.pause();
    else this.top.pause();
  }

  resume(): void {
    if (this.deflate) this.deflate.resume();
    else this.top.resume();
  }

  async startTls(): Promise<{ summary: TlsSummary; discardedBytes: number }> {
    if (this.phase === 'closed') {
      throw new MailwireError('broken', `connection to ${hostPort(this.host, this.port)} closed before the TLS upgrade`);
    }
    if (this.tls || this.phase !== 'open') {
      throw new MailwireError('starttls', 'TLS is already in force (or being negotiated) on this connection');
    }
    // From this line on, no plaintext reaches the session: the filter reads the socket instead.
    this.raw.off('data', this.deliver);
    const filter = new PlaintextFilter(this.raw);
    this.stream = filter;
    const summary = await this.handshake(filter, this.timeoutMs);
    this.tls = summary;
    this.phase = 'open';
    return { summary, discardedBytes: filter.discarded };
  }

  close(): void {
    if (this.phase === 'closed' || this.graceTimer) return;
    // Deflated output leaves asynchronously: end the socket after the last of it.
    if (this.deflate) this.deflate.flushed(() => this.top.end());
    else this.top.end();
    this.graceTimer = setTimeout(() => this.destroy(), CLOSE_GRACE_MS);
    this.graceTimer.unref();
  }

  destroy(): void {
    this.top.destroy();
    // After STARTTLS (or a watched implicit TLS) the TLS socket sits on a stream, not on the TCP handle: end both.
    this.stream?.destroy();
  }

  // --- internals ------------------------------------------------------------------------------

  /** Runs a client handshake over `socket` and makes the TLS socket the one data flows through. */
  private async handshake(socket: Socket | SocketStream, timeoutMs: number | undefined): Promise<TlsSummary> {
    const target = hostPort(this.host, this.port);
    const { insecure, name, alpn, client } = this.setup;
    this.phase = 'handshake';
    // node:tls and node:crypto are loaded at the first handshake: a plain TCP session never needs them.
    const { openTlsClient, summarizeTls, watchHandshake } = await import('./tls-client.js');
    let tlsSocket: TLSSocket;
    let watch: ReturnType<typeof watchHandshake> | null = null;
    try {
      tlsSocket = openTlsClient(socket, this.setup);
      // Before any of the server's bytes can reach the TLS socket: they come in a later turn.
      if (this.setup.watchSentChain && socket instanceof SocketStream) watch = watchHandshake(socket, tlsSocket);
    } catch (error) {
      // Options OpenSSL refuses, e.g. a --ca file whose PEM does not parse.
      this.error ??= new MailwireError('tls', `cannot set up TLS for ${target}: ${(error as Error).message}`);
      this.destroy();
      throw this.error;
    }
    this.top = tlsSocket;
    this.watch(tlsSocket);
    // A server that said OK to STARTTLS and went on in plain text: the handshake fails or times out,
    // and what it sent instead was dropped unseen (RFC 2595 §3.1). The error says so.
    const plainText = (error: MailwireError): MailwireError => {
      const octets = socket instanceof PlaintextFilter ? socket.discarded : 0;
      if (octets === 0) return error;
      return new MailwireError(error.code, `${error.message} (after its OK the server sent ${octets} ${octets === 1 ? 'octet' : 'octets'} of plain text, dropped, and no TLS: is it speaking TLS?)`);
    };
    try {
      await this.waitFor(tlsSocket, 'secureConnect', {
        error: (error) => plainText(handshakeError(error, this.host, this.port)),
        close: () => plainText(handshakeClosed(this.host, this.port)),
        timeoutMs,
        timeout: () =>
          plainText(new MailwireError('timeout', `TLS handshake with ${target} did not finish within ${seconds(this.timeoutMs ?? 0)} (--timeout)`)),
      });
    } catch (error) {
      watch?.end();
      throw error;
    }
    // 'secureConnect' is the moment `authorized` and `authorizationError` are final, and the
    // server's whole flight, its certificates among it, has been read.
    const summary = summarizeTls(
      tlsSocket,
      { insecure, name, sni: isIP(name) ? null : name, alpnOffered: alpn, clientCertificate: client?.subject ?? null },
      watch?.end() ?? null,
    );
    if (!summary.verified && !insecure) {
      // Verified here rather than by OpenSSL (rejectUnauthorized), so the failure can show the whole
      // chain and every reason. Nothing has been read or written over this TLS socket yet.
      this.error ??= certificateError(this.host, this.port, summary);
      this.destroy();
      throw this.error;
    }
    // Only now does decrypted data flow (for STARTTLS, the listener is already waiting).
    if (this.dataListener) tlsSocket.on('data', this.deliver);
    return summary;
  }

  /**
   * Waits for `event`; on an error, an early close or the time limit, records the failure (before
   * 'close' reaches onClose, which Node emits in the same tick as 'error'), destroys and rejects.
   */
  private waitFor(socket: Socket, event: 'connect' | 'secureConnect', failure: Failure): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const done = (error: MailwireError | null): void => {
        if (timer) clearTimeout(timer);
        socket.off(event, onEvent);
        socket.off('error', onError);
        socket.off('close', onClose);
        if (!error) return resolve();
        this.error ??= error;
        this.destroy();
        reject(this.error);
      };
      const onEvent = (): void => done(null);
      const onError = (error: unknown): void => done(failure.error(error));
      const onClose = (): void => done(failure.close());
      socket.once(event, onEvent);
      socket.once('error', onError);
      socket.once('close', onClose);
      const ms = failure.timeoutMs;
      if (ms !== undefined) timer = setTimeout(() => done(failure.timeout()), ms);
    });
  }

  /** Listeners for the whole life of a socket: errors become the close reason, 'close' ends it. */
  private watch(socket: Socket): void {
    socket.on('error', (error) => {
      // Before 'open', waitFor() turns errors into connect/handshake errors.
      if (this.phase === 'open') this.error ??= sessionError(error, this.host, this.port);
    });
    socket.on('close', () => {
      if (socket === this.top) this.closed();
    });
  }

  private closed(): void {
    if (this.phase === 'closed') return;
    if (this.phase === 'handshake') this.error ??= handshakeClosed(this.host, this.port);
    this.phase = 'closed';
    if (this.graceTimer) clearTimeout(this.graceTimer);
    // zlib is asynchronous: the last reply (LOGOUT's) may still be inside the inflater. The close is
    // reported after it has come out.
    if (this.deflate) this.deflate.drain(() => this.reportClose());
    else this.reportClose();
  }

  private reportClose(): void {
    if (this.closeReported || !this.closeListener) return;
    this.closeReported = true;
    this.closeListener(this.error);
  }
}
