/**
 * Wires a TranscriptServer (sans-io) to one accepted connection: client bytes in, the session's
 * actions performed (send, STARTTLS, close), reports handed on. The transport is injected.
 */
import { isMailwireError } from '../errors.js';
import type { ServerConnection } from '../transport/server.js';
import type { Transcript } from './format.js';
import { TranscriptServer, type ServeAction, type ServeReport } from './serve.js';

export interface ServedConnection {
  /** The client did everything the transcript shows, and nothing it does not. */
  passed: boolean;
  /** Client lines that did not match. */
  mismatches: number;
  durationMs: number;
}

export interface ServeRunOptions {
  protocol: 'imap' | 'pop3';
  clock: () => Date;
  now: () => number;
  secrets?: ReadonlyMap<string, string>;
  /** A client line's longest. */
  maxLineOctets?: number;
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
  return new Promise((resolve) => {
    const perform = (actions: ServeAction[]): void => {
      for (const action of actions) {
        switch (action.type) {
          case 'send':
            conn.write(action.bytes);
            break;
          case 'report':
            options.onReport(action.report);
            break;
          case 'close':
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
      const left = session.connectionClosed();
      if (left) {
        failed = true;
        options.onReport(left);
      }
      resolve({ passed: !failed && session.mismatches === 0, mismatches: session.mismatches, durationMs: Math.round(options.now() - started) });
    });
    perform(session.start());
  });
}
