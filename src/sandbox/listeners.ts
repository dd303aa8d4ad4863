/**
 * The sandbox's listeners: each accepted connection (from the shared server transport,
 * transport/server.ts) wired to a sans-io server session: bytes in, actions out (send, start TLS,
 * close), plus the time limits (transport/idle-watch.ts). No sockets here: the transport owns them.
 */
import { listen, type Listener, type ServerConnection, type ServerTlsFiles } from '../transport/server.js';
import { SERVER_FULL, type ConnectionLedger, type ServerLimits } from '../transport/server-limits.js';
import { TIME_LIMIT_GOODBYE } from '../transport/idle-clock.js';
import { endForTimeLimit, IdleWatch } from '../transport/idle-watch.js';
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
  /** Complete commands read so far, continuation lines included (not partial lines or literals): the time limits count from the last. */
  readonly commandsRead: number;
  /** The client has logged in. */
  readonly loggedIn: boolean;
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

/** The limits every listener of one server shares. */
export interface SharedLimits {
  connections: ConnectionLedger;
  limits: ServerLimits;
}

/** Runs one connection: the greeting, then each chunk through the session, performing its actions. */
function serve(conn: ServerConnection, makeSession: SessionFactory, protocol: ListenerSpec['protocol'], limits: ServerLimits): void {
  /**
   * The server has ended the connection (a goodbye at a time limit, LOGOUT, QUIT, a fault): from here
   * on the session takes no more input, not even commands it had read and was holding for its next
   * turn. A POP3 QUIT sent after the -ERR Autologout would otherwise reach UPDATE and delete what was
   * marked (README: nothing marked for deletion is deleted), an EXPUNGE after the BYE would expunge.
   */
  let closing = false;
  // RFC 3501 §5.4 autologout (RFC 1939 §3 for POP3), and the time to log in (server-limits.ts).
  const watch = new IdleWatch(conn, limits, (limit) => {
    closing = true;
    endForTimeLimit(conn, Buffer.from(TIME_LIMIT_GOODBYE[limit][protocol]));
  });
  let commandsRead = 0;
  let loggedIn = false;
  /** After each step: what the session read and whether it logged in, for the time limits. */
  const notice = (): void => {
    if (session.commandsRead !== commandsRead) {
      commandsRead = session.commandsRead;
      watch.commandRead();
    }
    if (session.loggedIn && !loggedIn) {
      loggedIn = true;
      watch.loggedIn();
    }
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
    if (closing) return;
    let actions: ServerAction[];
    try {
      actions = run();
    } catch {
      closing = true;
      conn.destroy();
      return;
    }
    notice();
    perform(actions);
  };
  conn.onData((chunk) => step(() => session.receive(chunk)));
  conn.onClose(() => {
    watch.stop();
    session.connectionClosed();
  });
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
      serve(conn, makeSession, spec.protocol, shared.limits);
    },
  );
  return { spec, host: listener.host, port: listener.port, close: () => listener.close() };
}
