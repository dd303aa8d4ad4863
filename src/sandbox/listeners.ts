/**
 * The sandbox's listeners: each accepted connection (from the shared server transport,
 * transport/server.ts) wired to a sans-io server session: bytes in, actions out (send, start TLS,
 * close), plus an autologout timer. No sockets here: the transport owns them.
 */
import { listen, type Listener, type ServerConnection, type ServerTlsFiles } from '../transport/server.js';
import { SERVER_FULL, type ConnectionLedger, type ServerLimits } from '../transport/server-limits.js';
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
  /** After a 'yield', when the output has drained and the wait is over. */
  resume(): ServerAction[];
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

/**
 * RFC 3501 §5.4: an autologout timer of at least 30 minutes (RFC 1939 §3 asks at least 10 for
 * POP3): a connection idle that long is dropped, so a forgotten client does not stay for ever.
 */
const AUTOLOGOUT_MS = 30 * 60 * 1000;

/** The limits every listener of one server shares. */
export interface SharedLimits {
  connections: ConnectionLedger;
  limits: ServerLimits;
}

/** Runs one connection: the greeting, then each chunk through the session, performing its actions. */
function serve(conn: ServerConnection, makeSession: SessionFactory): void {
  let closing = false;
  let timer: NodeJS.Timeout | null = null;
  const touch = (): void => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => conn.destroy(), AUTOLOGOUT_MS);
    timer.unref();
  };
  const perform = (actions: ServerAction[]): void => {
    for (const action of actions) {
      if (closing) return;
      if (action.type === 'send') {
        conn.write(action.bytes);
      } else if (action.type === 'yield') {
        // The session's turn is over: read nothing more until its output has gone and the wait is over.
        conn.pauseReading();
        conn.whenDrained(() => {
          const later = (): void => {
            let yielded = false;
            step(() => {
              const next = session.resume();
              yielded = next.some((a) => a.type === 'yield');
              return next;
            });
            if (!yielded) conn.resumeReading();
          };
          if (action.afterMs > 0) setTimeout(later, action.afterMs).unref();
          else later();
        });
      } else if (action.type === 'close') {
        closing = true;
        conn.close();
      } else {
        // The transport drops what the client sent in plaintext after STARTTLS/STLS.
        conn.startTls().then(
          () => session.tlsStarted(),
          () => conn.destroy(),
        );
      }
    }
  };
  const session = makeSession(perform);
  /**
   * Runs a step of the session. A fault in it (a bug a client's bytes found) ends this connection
   * only: thrown from a socket's data handler it would end the process and every other client.
   */
  const step = (run: () => ServerAction[]): void => {
    let actions: ServerAction[];
    try {
      actions = run();
    } catch {
      closing = true;
      conn.destroy();
      return;
    }
    perform(actions);
  };
  conn.onData((chunk) => {
    touch();
    step(() => session.receive(chunk));
  });
  conn.onClose(() => {
    if (timer) clearTimeout(timer);
    session.connectionClosed();
  });
  touch();
  perform(session.greeting());
}

/**
 * Starts a listener; the certificate serves implicit TLS and STARTTLS/STLS alike.
 * @throws MailwireError('usage') when the address cannot be bound, 'file'/'tls' for the certificate
 */
export async function openListener(spec: ListenerSpec, makeSession: SessionFactory, tls: ServerTlsFiles | null, shared: SharedLimits): Promise<RunningListener> {
  const listener: Listener = await listen(
    { host: spec.host, port: spec.port, implicitTls: spec.tls === 'implicit', tls, maxPendingOutputOctets: shared.limits.maxPendingOutputOctets },
    (conn) => {
      if (!shared.connections.admit()) {
        conn.write(Buffer.from(SERVER_FULL[spec.protocol]));
        conn.close();
        return;
      }
      conn.onClose(() => shared.connections.release());
      serve(conn, makeSession);
    },
  );
  return { spec, host: listener.host, port: listener.port, close: () => listener.close() };
}
