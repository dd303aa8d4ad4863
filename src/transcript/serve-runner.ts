/**
 * Wires a TranscriptServer (sans-io) to one accepted connection: client bytes in, the session's
 * actions performed (send, STARTTLS, close), reports handed on, at most MAX_REPORTS_SHOWN of each
 * kind (a client pipelining thousands of stray lines would otherwise make the console report as
 * large as it likes; the rest are counted). A client silent for --max-idle fails. The transport is
 * injected.
 */
import { isMailwireError } from '../errors.js';
import { endForTimeLimit, IdleWatch, SYSTEM_TIMERS, type WatchTimers } from '../transport/idle-watch.js';
import { DEFAULT_SERVE_LIMITS, formatLimitValue } from '../transport/server-limits.js';
import type { ServerConnection } from '../transport/server.js';
import type { Transcript } from './format.js';
import { TranscriptServer, type ServeAction, type ServeReport } from './serve.js';

/** Reports of one kind (mismatches, notes) shown per connection; the last, saying why it ended, always is. */
export const MAX_REPORTS_SHOWN = 20;

export interface ServedConnection {
  /** The client did everything the transcript shows, and nothing it does not. */
  passed: boolean;
  /** Client lines that did not match. */
  mismatches: number;
  /** Reports not handed on, past MAX_REPORTS_SHOWN of their kind. */
  reportsLeftOut: number;
  durationMs: number;
}

export interface ServeRunOptions {
  protocol: 'imap' | 'pop3';
  clock: () => Date;
  now: () => number;
  secrets?: ReadonlyMap<string, string>;
  /** A client line's longest. */
  maxLineOctets?: number;
  /** Time without a complete client line before the connection fails (default: DEFAULT_SERVE_LIMITS). */
  maxIdleMs?: number;
  /** The idle limit's clock and timers (tests inject their own). */
  timers?: WatchTimers;
  onReport: (report: ServeReport) => void;
}

/** Plays the transcript to one client; resolves when the connection is over. */
export function serveConnection(conn: ServerConnection, transcript: Transcript, options: ServeRunOptions): Promise<ServedConnection> {
  const started = options.now();
  const session = new TranscriptServer(transcript, {
    protocol: options.protocol,
    clock: options.clock,
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.maxLineOctets === undefined ? {} : { maxLineOctets: options.maxLineOctets }),
  });
  let failed = false;
  const shown = { mismatch: 0, note: 0 };
  let reportsLeftOut = 0;
  const report = (r: ServeReport): void => {
    if (shown[r.kind] >= MAX_REPORTS_SHOWN) {
      reportsLeftOut++;
      return;
    }
    shown[r.kind]++;
    options.onReport(r);
  };
  const maxIdleMs = options.maxIdleMs ?? DEFAULT_SERVE_LIMITS.maxIdleMs;
  // serve has no login of its own to wait for: the transcript decides what the client must do.
  const watch = new IdleWatch(
    conn,
    { maxIdleMs, maxTimeBeforeLoginMs: null },
    () => {
      const actions = session.timedOut(formatLimitValue(maxIdleMs, 'time'));
      if (actions.length === 0) return;
      failed = true;
      for (const action of actions) if (action.type === 'report') options.onReport(action.report);
      const goodbye = actions.find((a): a is Extract<ServeAction, { type: 'send' }> => a.type === 'send');
      endForTimeLimit(conn, goodbye?.bytes ?? Buffer.alloc(0));
    },
    options.timers ?? SYSTEM_TIMERS,
  );
  let commandsRead = 0;
  return new Promise((resolve) => {
    const perform = (actions: ServeAction[]): void => {
      if (session.commandsRead !== commandsRead) {
        commandsRead = session.commandsRead;
        watch.commandRead();
      }
      for (const action of actions) {
        switch (action.type) {
          case 'send':
            conn.write(action.bytes);
            break;
          case 'report':
            report(action.report);
            break;
          case 'close':
            // From here on the transport delivers nothing more of the client's (ServerConnection.close).
            conn.close();
            break;
          case 'start-compression':
            conn.startCompression();
            break;
          case 'start-tls':
            conn.startTls().then(
              ({ discardedBytes }) => {
                if (discardedBytes > 0) {
                  options.onReport({ kind: 'note', line: null, expected: null, received: null, message: `dropped ${discardedBytes} octets sent in plaintext after STARTTLS` });
                }
                perform(session.tlsEstablished());
              },
              (error: unknown) => {
                failed = true;
                options.onReport({ kind: 'mismatch', line: null, expected: null, received: null, message: isMailwireError(error) ? error.message : String(error) });
                conn.destroy();
              },
            );
            break;
        }
      }
    };
    conn.onData((chunk) => {
      // A fault a client's bytes found ends this connection only, never the server.
      let actions: ServeAction[];
      try {
        actions = session.receive(chunk);
      } catch (error) {
        failed = true;
        options.onReport({ kind: 'mismatch', line: null, expected: null, received: null, message: `internal error on the client's input: ${error instanceof Error ? error.message : String(error)}` });
        conn.destroy();
        return;
      }
      perform(actions);
    });
    conn.onClose(() => {
      watch.stop();
      const left = session.connectionClosed();
      if (left) {
        failed = true;
        options.onReport(left);
      }
      resolve({ passed: !failed && session.mismatches === 0, mismatches: session.mismatches, reportsLeftOut, durationMs: Math.round(options.now() - started) });
    });
    perform(session.start());
  });
}
