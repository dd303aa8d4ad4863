/**
 * The sandbox's sockets: TCP and TLS listeners, and the wiring of each connection to a sans-io
 * server session (bytes in -> actions out), including the server side of STARTTLS/STLS. The only
 * sandbox module that touches node:net and node:tls.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, TLSSocket, type SecureContext } from 'node:tls';
import { MailwireError } from '../errors.js';
import type { ServerAction } from './imap-server-session.js';

/** What a listener serves. */
export interface ListenerSpec {
  protocol: 'imap' | 'pop3';
  /** 'implicit': TLS from the first byte (imaps, pop3s); 'plain': TCP, with STARTTLS/STLS when there is a certificate. */
  tls: 'plain' | 'implicit';
  host: string;
  /** 0 for a free port chosen by the system. */
  port: number;
}

/** One connection's protocol side. */
export interface ServerSession {
  greeting(): ServerAction[];
  receive(chunk: Buffer): ServerAction[];
  tlsStarted(): void;
  connectionClosed(): void;
}

/** Makes the session of a new connection; `onAsync` takes actions that arise between reads (IDLE). */
export type SessionFactory = (onAsync: (actions: ServerAction[]) => void) => ServerSession;

export interface RunningListener {
  spec: ListenerSpec;
  /** The address and port actually bound (the port chosen when spec.port was 0). */
  host: string;
  port: number;
  close(): Promise<void>;
}

export interface TlsCredentials {
  cert: string | Buffer;
  key: string | Buffer;
}

/** RFC 3501 §5.4: an autologout timer of at least 30 minutes; RFC 1939 §3 asks at least 10 for POP3. */
const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
/** How long a closing connection waits for the client's FIN before it is dropped. */
const CLOSE_GRACE_MS = 2000;

/** Runs one connection: greeting, then each chunk through the session, performing its actions. */
function serve(socket: Socket, makeSession: SessionFactory, tls: SecureContext | null): Socket {
  let current: Socket = socket;
  let closing = false;
  const all = new Set<Socket>([socket]);
  const perform = (actions: ServerAction[]): void => {
    for (const action of actions) {
      if (closing) return;
      if (action.type === 'send') current.write(action.bytes);
      else if (action.type === 'close') {
        closing = true;
        current.end();
        setTimeout(() => current.destroy(), CLOSE_GRACE_MS).unref();
      } else upgrade();
    }
  };
  const session = makeSession(perform);
  const onData = (chunk: Buffer) => perform(session.receive(chunk));
  const upgrade = (): void => {
    if (!tls) return;
    // The plaintext stream stops here: bytes that were already read after STARTTLS/STLS were
    // dropped by the session; the TLS layer reads everything from now on.
    current.removeListener('data', onData);
    const secure = new TLSSocket(current, { isServer: true, secureContext: tls });
    all.add(secure);
    secure.on('secure', () => session.tlsStarted());
    secure.on('data', onData);
    secure.on('error', () => secure.destroy());
    secure.on('close', () => socket.destroy());
    current = secure;
  };
  socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    session.connectionClosed();
    for (const s of all) s.destroy();
  });
  perform(session.greeting());
  return socket;
}

/**
 * Starts a listener. The TLS credentials serve implicit TLS and STARTTLS alike.
 * @throws MailwireError('usage') when the address cannot be bound (in use, not local, no permission)
 */
export async function openListener(spec: ListenerSpec, makeSession: SessionFactory, credentials: TlsCredentials | null): Promise<RunningListener> {
  const context = credentials ? createSecureContext({ cert: credentials.cert, key: credentials.key }) : null;
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  let server: Server;
  if (spec.tls === 'implicit') {
    if (!context || !credentials) throw new MailwireError('usage', `${spec.protocol}s needs a certificate`);
    server = createTlsServer({ cert: credentials.cert, key: credentials.key }, (socket) => track(serve(socket, makeSession, context)));
    // A client that fails the handshake (wrong CA, plain text) is simply dropped.
    server.on('tlsClientError', () => undefined);
  } else {
    server = createTcpServer((socket) => track(serve(socket, makeSession, context)));
  }
  server.maxConnections = 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new MailwireError('usage', `cannot listen on ${spec.host}:${spec.port}: ${error.code ?? error.message}`));
    });
    server.listen(spec.port, spec.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    spec,
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
