/**
 * The server a session talks to, and connecting to it: the option run the interactive runner and
 * replay share, and the connect-then-announce both do the same way (the `connected` event, and the
 * TLS summary at once for implicit TLS).
 */
import type { Connection, ConnectOptions, TlsOptions } from '../transport/connection.js';
import type { Protocol, SessionEvent, TlsMode } from './events.js';

export interface ServerTarget {
  protocol: Protocol;
  host: string;
  port: number;
  /** Display form of the target, e.g. imap://127.0.0.1:143. */
  url: string;
  /** 'starttls': upgrade right after the greeting. */
  tlsMode: TlsMode;
  tls: TlsOptions;
}

/** How to reach a target: the transport's connect, and the limit for connecting (null for none). */
export interface ConnectionSetup {
  timeoutMs: number | null;
  connect: (options: ConnectOptions) => Promise<Connection>;
}

/**
 * Connects to `target` (TLS from the start for implicit TLS), within the setup's time limit. A client
 * session's reads grow while a long reply streams (`growingReads`); it takes them with receiveRead().
 */
export function connectTo(target: ServerTarget, setup: ConnectionSetup, reads: 'growing' | 'plain' = 'plain', signal?: AbortSignal): Promise<Connection> {
  return setup.connect({
    ...(signal === undefined ? {} : { signal }),
    host: target.host,
    port: target.port,
    implicitTls: target.tlsMode === 'implicit',
    tls: target.tls,
    ...(setup.timeoutMs === null ? {} : { timeoutMs: setup.timeoutMs }),
    ...(reads === 'growing' ? { growingReads: true } : {}),
  });
}

/** What a fresh connection shows: where it went, and its TLS summary when TLS came first. */
export function connectedEvents(target: ServerTarget, conn: Connection): SessionEvent[] {
  const connected: SessionEvent = {
    kind: 'connected',
    protocol: target.protocol,
    host: target.host,
    port: target.port,
    address: conn.remoteAddress,
    tls: target.tlsMode,
  };
  return conn.tls ? [connected, { kind: 'tls', summary: conn.tls }] : [connected];
}
