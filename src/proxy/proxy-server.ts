/**
 * `mailwire proxy` without its command line: listens for clients and runs each connection through
 * runProxyConnection(), numbering them, recording each to a transcript of its own (secrets already
 * masked in the events), and handing every event to the live view with its connection's number.
 */
import { join } from 'node:path';
import type { SessionEvent } from '../session/events.js';
import type { ConnectionSetup, ServerTarget } from '../session/server-target.js';
import { RecordingExists, TranscriptRecorder } from '../transcript/recorder.js';
import { listen, type ServerTlsFiles } from '../transport/server.js';
import type { ServerLimits } from '../transport/server-limits.js';
import { refusalLine, runProxyConnection } from './proxy-connection.js';

export interface ProxyServerOptions {
  listen: { host: string; port: number; implicitTls: boolean };
  /** The proxy's own certificate: implicit TLS, and STARTTLS / STLS on a plain listener. */
  certificate: ServerTlsFiles | null;
  target: ServerTarget;
  setup: ConnectionSetup;
  /** --record DIR: one transcript per connection. */
  recordDir: string | null;
  /** Follow COMPRESS=DEFLATE on both legs (the default); false takes it out (--no-compress). */
  followCompress?: boolean;
  /** The server's certificate is not verified (-k): the recordings say so. */
  insecure: boolean;
  /** What one client may cost: connections in all, one client line, output it has not taken, time idle and before login. */
  limits: Pick<ServerLimits, 'maxConnections' | 'maxLineOctets' | 'maxPendingOutputOctets' | 'maxIdleMs' | 'maxTimeBeforeLoginMs'>;
  /**
   * Every event of every connection, in order; `open` is how many connections are open now. Returns
   * false when its output is full: the connections stop reading until `onViewDrain` calls back.
   */
  view: (connection: number, event: SessionEvent, open: number) => boolean | void;
  /** Calls `resume` once the view's output has drained (default: at once). */
  onViewDrain?: (resume: () => void) => void;
  /** The start of the run, for the recordings' file names and headers. */
  now: () => Date;
}

export interface ProxyServer {
  host: string;
  port: number;
  /** The transcripts written so far, in order of connection. */
  readonly recordings: readonly string[];
  /** Stops accepting, ends every open connection, waits for their recordings to close. */
  close(): Promise<void>;
  /** Resolves when every connection begun so far has ended. */
  idle(): Promise<void>;
}

/** A name for a recording that sorts by time: 2026-12-03T21-45-19Z-1.txt (2026-...-1b.txt for a second try). */
function recordingName(date: Date, connection: number, attempt = 0): string {
  const letter = attempt === 0 ? '' : String.fromCharCode(0x61 + attempt);
  return `${date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}-${connection}${letter}.txt`;
}

export async function startProxy(options: ProxyServerOptions): Promise<ProxyServer> {
  let count = 0;
  let open = 0;
  const running = new Set<Promise<void>>();
  const recordings: string[] = [];
  const listener = await listen({ ...options.listen, tls: options.certificate, maxPendingOutputOctets: options.limits.maxPendingOutputOctets }, (client) => {
    const n = ++count;
    if (open >= options.limits.maxConnections) {
      options.view(n, { kind: 'notice', level: 'warning', text: `proxy: connection ${n} refused: ${open} connections are open (--max-connections)` }, open);
      client.write(Buffer.from(`${refusalLine(options.target.protocol, 'too many connections', 'LIMIT')}\r\n`));
      client.close();
      return;
    }
    open++;
    const started = options.now();
    let recorder: TranscriptRecorder | null = null;
    try {
      recorder = options.recordDir === null ? null : openRecorder(options, started, n, recordings);
    } catch (error) {
      // Nothing is relayed that could not be recorded.
      options.view(n, { kind: 'notice', level: 'error', text: `proxy: connection ${n} refused: ${(error as Error).message}` }, open);
      open--;
      client.destroy();
      return;
    }
    const who = client.remoteAddress.includes(':') ? `[${client.remoteAddress}]:${client.remotePort}` : `${client.remoteAddress}:${client.remotePort}`;
    options.view(n, { kind: 'notice', level: 'info', text: `proxy: connection ${n} from ${who}${client.secure ? ' (TLS)' : ''}${recorder ? `, recorded to ${recorder.path}` : ''}` }, open);
    const done = runProxyConnection(client, {
      target: options.target,
      setup: options.setup,
      canStartTls: options.certificate !== null,
      followCompress: options.followCompress !== false,
      maxClientLineBytes: options.limits.maxLineOctets,
      timeLimits: { maxIdleMs: options.limits.maxIdleMs, maxTimeBeforeLoginMs: options.limits.maxTimeBeforeLoginMs },
      show: (event, own) => {
        const more = options.view(n, event, open);
        if (!own) recorder?.record(event);
        return more !== false;
      },
      onOutputDrain: options.onViewDrain ?? ((resume) => setImmediate(resume)),
      declareUser: (user) => recorder?.declareUser(user),
    }).finally(() => {
      open--;
      recorder?.close();
      running.delete(done);
    });
    running.add(done);
  });
  return {
    host: listener.host,
    port: listener.port,
    recordings,
    close: async () => {
      await listener.close();
      await Promise.all([...running]);
    },
    idle: async () => {
      while (running.size > 0) await Promise.all([...running]);
    },
  };
}

function openRecorder(options: ProxyServerOptions, date: Date, n: number, recordings: string[]): TranscriptRecorder {
  const header = { protocol: options.target.protocol, target: options.target.url, tls: options.target.tlsMode, date: date.toISOString(), insecure: options.insecure };
  // A name another proxy (or this one, restarted within the second) has taken gets a letter: -1b, -1c.
  for (let attempt = 0; ; attempt++) {
    const path = join(options.recordDir as string, recordingName(date, n, attempt));
    try {
      const recorder = new TranscriptRecorder(path, header, { newFile: true });
      recordings.push(path);
      return recorder;
    } catch (error) {
      if (!(error instanceof RecordingExists) || attempt >= 25) throw error;
    }
  }
}
