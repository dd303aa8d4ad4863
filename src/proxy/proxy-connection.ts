/**
 * One client of the proxy, from accept to close: connects to the server (TLS as the target says,
 * the certificate verified as the session command verifies it), upgrades the server's leg when asked,
 * then runs the protocol's relay between the two legs. Back-pressure both ways: when one leg cannot
 * take more (write() returns false), the other is paused until it drains, so a 50 MB message never
 * piles up in the proxy. One side closing closes the other. A server that cannot be reached or
 * refuses TLS gets the client a `* BYE` / `-ERR` with the reason.
 */
import { MailwireError } from '../errors.js';
import type { SessionEvent } from '../session/events.js';
import { connectedEvents, connectTo, type ConnectionSetup, type ServerTarget } from '../session/server-target.js';
import { refusedCertificateEvent } from '../session/tls-upgrade.js';
import type { Connection } from '../transport/connection.js';
import { TIME_LIMIT_GOODBYE, type TimeLimit, type TimeLimits } from '../transport/idle-clock.js';
import { endForTimeLimit, IdleWatch } from '../transport/idle-watch.js';
import { formatLimitValue } from '../transport/server-limits.js';
import { READ_PAUSE_OCTETS, type ServerConnection } from '../transport/server.js';
import { ImapRelay } from './imap-relay.js';
import { Pop3Relay } from './pop3-relay.js';
import type { Relay, RelayAction } from './relay-actions.js';
import { ReadHolds } from './read-holds.js';
import { ServerLines, upgradeServerLeg } from './server-leg-upgrade.js';

/** Default cap on one line of the server's: as the session command's framer (16 MiB). */
const DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024;

export interface ProxyConnectionOptions {
  target: ServerTarget;
  setup: ConnectionSetup;
  /** The proxy has a certificate of its own: it answers the client's STARTTLS / STLS. */
  canStartTls: boolean;
  /** Follow COMPRESS=DEFLATE on both legs (false: --no-compress). */
  followCompress: boolean;
  /** Cap on one line the client sends (--max-line). */
  maxClientLineBytes: number;
  /** Cap on one line the server sends. */
  maxLineBytes?: number;
  /**
   * Every event, in order; `own` for the proxy's own replies to the client (shown, not recorded).
   * Returns false when the live view's output is full: both legs then stop reading until
   * `onOutputDrain` calls back, so a slow terminal or pipe never makes the proxy hold a message.
   */
  show: (event: SessionEvent, own: boolean) => boolean;
  /** Calls `resume` once the live view's output has drained. */
  onOutputDrain: (resume: () => void) => void;
  /** A relayed SASL exchange was this user's login. */
  declareUser: (user: string) => void;
  /** --max-idle and --max-time-before-login: a client past either loses both legs. */
  timeLimits: TimeLimits;
}

/** Why the proxy ended a connection at a time limit, for the live view and the recording. */
function timeLimitReason(limit: TimeLimit, limits: TimeLimits): string {
  return limit === 'idle'
    ? `the client sent no complete command for ${formatLimitValue(limits.maxIdleMs, 'time')} (--max-idle)`
    : `the client did not log in within ${formatLimitValue(limits.maxTimeBeforeLoginMs ?? 0, 'time')} (--max-time-before-login)`;
}

/** The line a client gets when the proxy cannot reach the server: IMAP's BYE (RFC 3501 §7.1.5), POP3's -ERR. */
export function refusalLine(protocol: 'imap' | 'pop3', reason: string, imapCode: 'UNAVAILABLE' | 'LIMIT' = 'UNAVAILABLE'): string {
  const oneLine = reason.replace(/[\r\n]+/g, ' ');
  // RFC 5530 §3 response codes; RFC 3206 §4 SYS/TEMP for POP3.
  return protocol === 'imap' ? `* BYE [${imapCode}] mailwire proxy: ${oneLine}` : `-ERR [SYS/TEMP] mailwire proxy: ${oneLine}`;
}

/** Runs one proxied connection; resolves once both legs are closed. Never rejects. */
export async function runProxyConnection(client: ServerConnection, options: ProxyConnectionOptions): Promise<void> {
  const { target } = options;
  const notice = (level: 'info' | 'warning' | 'error', text: string): void => void options.show({ kind: 'notice', level, text }, false);
  let clientOpen = true;
  let clientGone: () => void = () => undefined;
  const clientClosed = new Promise<void>((resolve) => (clientGone = resolve));
  client.onClose(() => {
    clientOpen = false;
    clientGone();
  });

  // The server's leg, once connected: a time limit closes it with the client's.
  let serverLeg: Connection | null = null;
  /** The time limit that ended the connection, if one did. */
  let timedOut: string | null = null;
  // Once the proxy has ended the connection, the transport delivers nothing more the client sends:
  // a QUIT after the -ERR Autologout is neither relayed nor recorded (replayed, it would delete mail).
  const watch = new IdleWatch(client, options.timeLimits, (limit) => {
    timedOut = timeLimitReason(limit, options.timeLimits);
    notice('warning', `proxy: ${timedOut}; both legs closed`);
    const goodbye = TIME_LIMIT_GOODBYE[limit][target.protocol];
    // The proxy's own answer: shown, not recorded (the recording holds what the server said).
    if (endForTimeLimit(client, Buffer.from(goodbye))) options.show(goodbyeEvent(target.protocol, goodbye.trimEnd()), true);
    serverLeg?.close();
  });
  client.onClose(() => watch.stop());

  const refuse = (error: unknown): void => {
    const reason = error instanceof MailwireError ? error.message : String(error);
    const refused = refusedCertificateEvent(error);
    if (refused) options.show(refused, false);
    notice('error', `proxy: ${reason}`);
    const line = refusalLine(target.protocol, reason);
    client.write(Buffer.from(`${line}\r\n`));
    options.show(target.protocol === 'imap' ? { kind: 'imap-segment', bytes: Buffer.from(line), first: true, literalSize: null } : { kind: 'pop3-status', bytes: Buffer.from(line), multiline: false }, true);
    client.close();
  };

  // An implicit-TLS client is handed over before its handshake, so that the time limits run while it
  // stalls it; the server is not bothered until the handshake is done.
  try {
    await client.ready;
  } catch (error) {
    if (timedOut === null) notice('warning', `proxy: ${error instanceof MailwireError ? error.message : String(error)}`);
    await clientClosed;
    options.show({ kind: 'closed', reason: timedOut === null ? "the client's TLS handshake failed" : `closed by the proxy: ${timedOut}` }, false);
    return;
  }
  if (!clientOpen) {
    await clientClosed;
    options.show({ kind: 'closed', reason: timedOut === null ? 'the client left before the server answered' : `closed by the proxy: ${timedOut}` }, false);
    return;
  }

  let conn: Connection;
  try {
    conn = await connectTo(target, options.setup);
  } catch (error) {
    refuse(error);
    await clientClosed;
    options.show({ kind: 'closed', reason: 'the server could not be reached' }, false);
    return;
  }
  if (!clientOpen || timedOut !== null) {
    conn.destroy();
    await clientClosed;
    options.show({ kind: 'closed', reason: timedOut === null ? 'the client left before the server answered' : `closed by the proxy: ${timedOut}` }, false);
    return;
  }
  serverLeg = conn;
  for (const event of connectedEvents(target, conn)) options.show(event, false);

  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let serverData: (chunk: Buffer) => void;
  let serverError: MailwireError | null = null;
  let serverGone: () => void = () => undefined;
  const serverClosed = new Promise<void>((resolve) => (serverGone = resolve));
  const lines = new ServerLines(maxLineBytes);
  serverData = (chunk) => lines.push(chunk);
  conn.onData((chunk) => serverData(chunk));
  conn.onClose((error) => {
    serverError = error;
    lines.end(error ?? new MailwireError('broken', `${target.url} closed the connection`));
    serverGone();
  });

  let greeting: Buffer | null = null;
  if (target.tlsMode === 'starttls') {
    try {
      const upgraded = await upgradeServerLeg(conn, lines, target.protocol, target.url);
      greeting = upgraded.greeting;
      notice('info', `proxy: the server's leg upgraded with ${target.protocol === 'imap' ? 'STARTTLS' : 'STLS'} before the greeting was relayed`);
      options.show({ kind: 'tls', summary: upgraded.summary }, false);
    } catch (error) {
      conn.destroy();
      refuse(error);
      await clientClosed;
      options.show({ kind: 'closed', reason: 'TLS to the server failed' }, false);
      return;
    }
  }

  const relayOptions = { canStartTls: options.canStartTls, followCompress: options.followCompress, clientSecure: client.secure, serverSecure: target.tlsMode !== 'none', maxLineBytes, maxClientLineBytes: options.maxClientLineBytes };
  const relay: Relay = target.protocol === 'imap' ? new ImapRelay(relayOptions) : new Pop3Relay(relayOptions);
  const closeBoth = (): void => {
    client.close();
    conn.close();
  };
  const fail = (error: unknown): void => {
    notice('error', `proxy: ${error instanceof MailwireError ? error.message : String(error)}`);
    closeBoth();
  };
  // Back-pressure: a leg stops reading while the other leg, or the live view, cannot take more.
  const serverReads = new ReadHolds(() => conn.pause(), () => conn.resume());
  const clientReads = new ReadHolds(() => client.pauseReading(), () => client.resumeReading());
  const holdForView = (): void => {
    if (serverReads.holds('view-output')) return;
    serverReads.hold('view-output');
    clientReads.hold('view-output');
    options.onOutputDrain(() => {
      serverReads.release('view-output');
      clientReads.release('view-output');
    });
  };
  const perform = (actions: RelayAction[]): void => {
    for (const action of actions) {
      switch (action.type) {
        case 'to-server':
          // The server's leg is full: stop reading the client until it drains.
          if (!conn.write(action.bytes)) clientReads.hold('peer-output');
          break;
        case 'to-client':
          client.write(action.bytes);
          // The client is slow to take what the server sends: stop reading the server meanwhile.
          if (client.pendingOutputOctets > READ_PAUSE_OCTETS && !serverReads.holds('peer-output')) {
            serverReads.hold('peer-output');
            client.whenDrained(() => serverReads.release('peer-output'));
          }
          break;
        case 'show':
          if (!options.show(action.event, action.own === true)) holdForView();
          break;
        case 'client-tls':
          client
            .startTls()
            .then(({ discardedBytes }) => {
              relay.clientTlsEstablished();
              if (discardedBytes > 0) notice('warning', `proxy: dropped ${discardedBytes} octets the client sent before its TLS handshake`);
              notice('info', "proxy: the client's leg is now TLS");
            })
            // A handshake cut by a time limit has been reported already.
            .catch((error: unknown) => {
              if (timedOut === null) fail(error);
            });
          break;
        case 'compress':
          // RFC 4978 §3: the OK has just been written to the client in clear; from the next octet on
          // each leg is deflated, and both are inflated before the relay sees them.
          client.startCompression();
          try {
            conn.startCompression(action.serverPending).catch(fail);
          } catch (error) {
            fail(error);
          }
          break;
        case 'secret-user':
          options.declareUser(action.user);
          break;
        case 'close':
          notice('error', `proxy: ${action.reason}; both legs closed`);
          closeBoth();
          break;
        case 'client-command':
          watch.commandRead();
          break;
        case 'logged-in':
          watch.loggedIn();
          break;
      }
    }
  };
  conn.onDrain(() => clientReads.release('peer-output'));
  serverData = (chunk) => perform(relay.fromServer(chunk));
  if (greeting) perform(relay.fromServer(greeting));
  client.onData((chunk) => perform(relay.fromClient(chunk)));

  // One side closing closes the other, after what was written to it has gone out.
  await Promise.race([clientClosed, serverClosed]);
  perform(relay.finish());
  const serverFirst = clientOpen;
  if (timedOut !== null) {
    // Both legs are already closing.
    client.close();
    conn.close();
  } else if (serverFirst) {
    const error = serverError as MailwireError | null;
    notice(error ? 'error' : 'info', error ? `proxy: the server's leg broke: ${error.message}` : 'proxy: the server closed the connection; closing the client');
    client.close();
  } else {
    notice('info', 'proxy: the client closed the connection; closing the server');
    conn.close();
  }
  await Promise.all([clientClosed, serverClosed]);
  options.show({ kind: 'closed', reason: timedOut !== null ? `closed by the proxy: ${timedOut}` : serverFirst ? 'closed by the server' : 'closed by the client' }, false);
}

/** A line the proxy sends the client itself, as the live view shows the server's. */
function goodbyeEvent(protocol: 'imap' | 'pop3', line: string): SessionEvent {
  const bytes = Buffer.from(line);
  return protocol === 'imap' ? { kind: 'imap-segment', bytes, first: true, literalSize: null } : { kind: 'pop3-status', bytes, multiline: false };
}
