/**
 * `mailwire serve FILE`: a server that plays the S: side of a transcript to every client that
 * connects and checks the client's C: lines, reporting on the console. Loopback by default.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { escapeDisplayText } from '../render/escape.js';
import { makeStyler } from '../render/theme.js';
import type { Protocol } from '../session/events.js';
import type { ServeReport } from '../transcript/serve.js';
import { MAX_REPORTS_SHOWN, serveConnection } from '../transcript/serve-runner.js';
import { mismatchSpans, formatDuration } from '../transcript/report.js';
import { buildScript } from '../transcript/script.js';
import { listen, type Listener } from '../transport/server.js';
import { ConnectionLedger, DEFAULT_SERVE_LIMITS, SERVER_FULL } from '../transport/server-limits.js';
import { addLimitOptions, readLimitOptions } from './limit-options.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { loadTranscript } from './transcript-files.js';
import { untilStopSignal } from './stop-signal.js';

interface ServeOptions {
  listen: string;
  protocol?: Protocol;
  cert?: string;
  key?: string;
  tls: boolean;
  once: boolean;
  color: boolean;
}

/** HOST:PORT, [v6]:PORT, or :PORT / PORT (loopback). */
export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*))?:?(\d{1,5})$/.exec(text.trim());
  const port = Number(m?.[3]);
  if (!m || port > 65535) throw new MailwireError('usage', `--listen ${text}: expected HOST:PORT, e.g. 127.0.0.1:1143 (port 0 for any free one)`);
  const host = m[1] ?? (m[2] || '127.0.0.1');
  return { host, port };
}

function buildProgram(): Command {
  const program = new Command()
    .name('mailwire serve')
    .description('Play the server side of a transcript to any client that connects, and check what the client sends against its C: lines.')
    .argument('<transcript>', 'the transcript to serve')
    .option('--listen <host:port>', 'address to listen on (port 0: any free port, printed)', '127.0.0.1:0')
    .addOption(new Option('--protocol <name>', 'protocol when the transcript does not say it').choices(['imap', 'pop3']))
    .option('--cert <file>', 'certificate (PEM) for STARTTLS/STLS and --tls')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--tls', 'implicit TLS from the first byte, like imaps/pop3s (default when the transcript says "# tls: implicit")', false)
    .option('--once', 'serve one connection, then exit: 0 if the client matched the transcript, 1 if not', false)
    .option('--no-color', 'no colors, even on a terminal');
  return addLimitOptions(program, ['maxConnections', 'maxLineOctets', 'maxPendingOutputOctets', 'maxIdleMs'], DEFAULT_SERVE_LIMITS).addHelpText(
      'after',
      `
Each connection gets the transcript from the start. The S: lines are sent as written (captured values
and stand-ins for $ holes put in; the client's own tags in place of the transcript's); each C: line is
compared with the client's next line, without its tag (case and quoting may differ where IMAP and
POP3 do not care; a string may be an atom, a quoted string or a literal in either); <secret>
accepts any value: in an IMAP command, one argument (an atom, a quoted string or a literal), in a
SASL exchange one base64 token ("*" cancels, and is no secret), in POP3's PASS the rest of the
line. A client line that does not match gets a BAD (IMAP) or -ERR (POP3) reply and a report here, and the transcript waits at
the same command; but what clients send on their own (CAPABILITY, NOOP, ID, NAMESPACE, ENABLE; POP3
CAPA, NOOP) serve answers from the transcript, and says so. A client that sends no complete line
for --max-idle fails, and is told so. The report shows the first ${MAX_REPORTS_SHOWN} mismatches and notes of each
connection and counts the rest. STARTTLS/STLS in the transcript needs --cert and --key.

Examples:
  mailwire serve transcripts/rfc/pop3/rfc1939-sec10-apop-session.txt --listen 127.0.0.1:1110
  mailwire serve session.txt --once               one client, then exit 0 (matched) or 1
  mailwire serve tls-session.txt --tls --cert cert.pem --key key.pem
See docs/transcripts.md.`,
    );
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<ServeOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  const path = args[0] as string;
  const loaded = loadTranscript(path);
  if ('error' in loaded) throw loaded.error;
  const { transcript } = loaded;
  const protocol = opts.protocol ?? transcript.directives.protocol;
  if (!protocol) throw new MailwireError('usage', `${path} does not say its protocol ("# protocol: imap|pop3"): give --protocol`);
  if (opts.protocol && transcript.directives.protocol && opts.protocol !== transcript.directives.protocol) {
    throw new MailwireError('usage', `--protocol ${opts.protocol} contradicts ${path} ("# protocol: ${transcript.directives.protocol}")`);
  }
  if ((opts.cert === undefined) !== (opts.key === undefined)) throw new MailwireError('usage', '--cert and --key go together');
  const implicitTls = opts.tls || transcript.directives.tls === 'implicit';
  const upgrade = protocol === 'imap' ? 'STARTTLS' : 'STLS';
  if (!opts.cert && buildScript(transcript.lines, protocol).some((s) => s.kind === 'command' && s.command === upgrade)) {
    throw new MailwireError('usage', `${path} does ${upgrade}: give --cert FILE --key FILE`);
  }
  const address = parseListen(opts.listen);
  const style = makeStyler(colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }));
  // Reports quote what a client sent: every text is escaped (escaping is idempotent: "\\" stays).
  const print = (spans: Parameters<typeof style>[0]): void => void env.stdout.write(`${style(spans.map((s) => ({ ...s, text: escapeDisplayText(s.text) })))}\n`);
  const limits = { ...DEFAULT_SERVE_LIMITS, ...readLimitOptions(opts as unknown as Record<string, unknown>) };
  const ledger = new ConnectionLedger(limits);
  const secrets = new Map(transcript.directives.secrets.flatMap((s) => (s.secret === null ? [] : [[s.user, s.secret] as [string, string]])));

  let count = 0;
  const results: boolean[] = [];
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const connections: Array<Promise<void>> = [];
  const listener: Listener = await listen(
    { host: address.host, port: address.port, implicitTls, tls: opts.cert && opts.key ? { certFile: opts.cert, keyFile: opts.key } : null, maxPendingOutputOctets: limits.maxPendingOutputOctets },
    (conn) => {
      if (!ledger.admit()) {
        conn.write(Buffer.from(SERVER_FULL[protocol]));
        conn.close();
        return;
      }
      conn.onClose(() => ledger.release());
      const n = ++count;
      const who = `${conn.remoteAddress.includes(':') ? `[${conn.remoteAddress}]` : conn.remoteAddress}:${conn.remotePort}`;
      print([{ role: 'notice-info', text: `# connection ${n} from ${who}` }]);
      const onReport = (report: ServeReport): void => {
        if (report.kind === 'note') {
          print([{ role: 'notice-warning', text: `# connection ${n}: ${report.message}` }]);
          return;
        }
        const lines = mismatchSpans(`${path}`, {
          line: report.line,
          expected: report.expected,
          received: report.received,
          reason: report.message,
          ...(report.at === undefined ? {} : { at: report.at }),
        }, 'client');
        for (const spans of lines) print(spans);
      };
      connections.push(
        serveConnection(conn, transcript, { protocol, clock: () => new Date(), now: env.now, secrets, onReport, maxLineOctets: limits.maxLineOctets, maxIdleMs: limits.maxIdleMs }).then((r) => {
          results.push(r.passed);
          if (r.reportsLeftOut > 0) print([{ role: 'notice-warning', text: `# connection ${n}: ${r.reportsLeftOut} more report${r.reportsLeftOut === 1 ? '' : 's'} left out (the first ${MAX_REPORTS_SHOWN} mismatches and notes are shown)` }]);
          const word = r.passed ? 'PASS' : 'FAIL';
          print([
            { role: r.passed ? 'status-ok' : 'status-no', text: word },
            { role: 'text', text: ` connection ${n} from ${who} ` },
            { role: 'annotation', text: `(${formatDuration(r.durationMs)}${r.mismatches > 0 ? `, ${r.mismatches} client line${r.mismatches === 1 ? '' : 's'} did not match` : ''})` },
          ]);
          if (opts.once) stop();
        }),
      );
      if (opts.once) listener.stopAccepting();
    },
  );
  const scheme = `${protocol}${implicitTls ? 's' : ''}`;
  const host = listener.host.includes(':') ? `[${listener.host}]` : listener.host;
  print([{ role: 'notice-info', text: `# serving ${path} on ${scheme}://${host}:${listener.port}${opts.once ? ' for one connection' : '; Ctrl-C stops'}` }]);

  // Ctrl-C (or a service manager's TERM) ends serving: a normal way out, with a summary.
  try {
    await untilStopSignal(stopped);
  } finally {
    await listener.close();
    await Promise.all(connections);
  }
  const passed = results.filter(Boolean).length;
  if (!opts.once || results.length !== 1) print([{ role: passed === results.length ? 'status-ok' : 'status-no', text: `${passed} passed, ${results.length - passed} failed` }]);
  return results.every(Boolean) ? ExitCode.Ok : ExitCode.Failed;
}
