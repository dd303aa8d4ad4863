/**
 * `mailwire proxy --listen URL --target URL`: stands between a mail client and its server, relays
 * both directions, shows every connection live as the session command shows a session, and with
 * --record writes one transcript per connection. Runs until Ctrl-C (SIGINT) or SIGTERM.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { makeStyler } from '../render/theme.js';
import { startProxy } from '../proxy/proxy-server.js';
import { connect } from '../transport/connection.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { certificateFingerprint, makeRunCertificate, type RunCertificate } from './proxy-certificate.js';
import { addLimitOptions, readLimitOptions } from './limit-options.js';
import { parseSubcommand } from './subcommand-options.js';
import { proxyLiveView } from './proxy-view.js';
import { DEFAULT_SERVER_LIMITS } from '../transport/server-limits.js';
import { parseTarget, serverTargetOf, targetUrl } from './target.js';
import { mkdirSync } from 'node:fs';
import { untilStopSignal } from './stop-signal.js';
import { fileErrorText } from '../file-errors.js';

interface ProxyOptions {
  listen: string;
  target: string;
  starttls: boolean;
  insecure: boolean;
  ca: string[];
  servername?: string;
  cert?: string;
  key?: string;
  listenCert?: string;
  listenKey?: string;
  record?: string;
  allowRemote: boolean;
  compress: boolean;
  timeout: string;
  color: boolean;
}

/** Loopback addresses: a proxy that sees passwords listens there unless --allow-remote. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || /^::ffff:127\./i.test(host);
}

/** The server limits the proxy takes: connections, one client line, output not taken, time idle and before login. */
const PROXY_LIMITS = ['maxConnections', 'maxLineOctets', 'maxPendingOutputOctets', 'maxIdleMs', 'maxTimeBeforeLoginMs'] as const;

function buildProgram(): Command {
  return addLimitOptions(new Command(), PROXY_LIMITS)
    .name('mailwire proxy')
    .description('Stand between a mail client and its server: relay both ways, show every line live, record each connection as a transcript.')
    .requiredOption('--listen <url>', 'where clients connect: imap://, imaps://, pop3:// or pop3s://HOST:PORT (loopback unless --allow-remote)')
    .requiredOption('--target <url>', 'the real server: imap://, imaps://, pop3:// or pop3s://HOST[:PORT]')
    .option('--starttls', "upgrade the server's leg with STARTTLS/STLS before relaying (for an imap:// or pop3:// target)", false)
    .option('-k, --insecure', "do not verify the server's certificate (the recordings say so)", false)
    .option('--ca <file>', 'trust this CA (PEM file or folder) for the server, in addition to the usual roots (repeatable)', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--servername <name>', "name the server's certificate must carry (SNI), when not the target's host")
    .option('--cert <file>', 'client certificate (PEM) the proxy shows the server')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--listen-cert <file>', "the proxy's own certificate (PEM), for imaps/pop3s and the client's STARTTLS/STLS")
    .option('--listen-key <file>', 'private key (PEM) of --listen-cert')
    .option('--record <dir>', 'write one transcript per connection into this folder (secrets masked)')
    .option('--no-compress', 'take COMPRESS=DEFLATE out of the capabilities and answer COMPRESS NO, instead of following deflate on both legs')
    .option('--allow-remote', 'listen on an address other than loopback (the proxy sees passwords)', false)
    .addOption(new Option('--timeout <seconds>', 'limit for connecting to the server and its TLS handshake').default('30', '30'))
    .option('--no-color', 'no colors, even on a terminal')
    .addHelpText(
      'after',
      `
Examples:
  mailwire proxy --listen imap://127.0.0.1:1143 --target imaps://mail.example.org
  mailwire proxy --listen pop3://127.0.0.1:1110 --target pop3://mail.example.org --starttls --record ./sessions
  mailwire proxy --listen imaps://127.0.0.1:1993 --target imaps://mail.example.org --listen-cert c.pem --listen-key k.pem

Then point the client at the --listen address. Each leg has its own TLS: the client's is plain,
STARTTLS (answered by the proxy) or implicit TLS (imaps, pop3s); the server's is what --target and
--starttls say, its certificate verified as the session command verifies it (--ca, -k). Without
--listen-cert the proxy makes a certificate for the run with openssl and prints its fingerprint.

What the proxy changes, each with a note: STARTTLS/STLS is its own to answer; SCRAM's -PLUS
mechanisms are taken out of the capabilities; a server that cannot be reached gets the client
"* BYE" / "-ERR" with the reason. COMPRESS DEFLATE (RFC 4978) is followed on both legs and shown
and recorded in clear; --no-compress takes it out of the capabilities (and COMPRESS gets NO).
A client idle for --max-idle, or not logged in (by the server) within --max-time-before-login,
gets "* BYE Autologout; ..." / "-ERR Autologout; ...", and both legs are closed.

Recordings replay against the server (mailwire replay FILE --target URL) and serve to a client
(mailwire serve FILE). Exit codes: 0 stopped by Ctrl-C; 2 bad command line; 9 a file could not be
read or written; 5 the listening certificate cannot be used.`,
    );
}

function pick(limits: typeof DEFAULT_SERVER_LIMITS): Pick<typeof DEFAULT_SERVER_LIMITS, (typeof PROXY_LIMITS)[number]> {
  return Object.fromEntries(PROXY_LIMITS.map((key) => [key, limits[key]])) as Pick<typeof DEFAULT_SERVER_LIMITS, (typeof PROXY_LIMITS)[number]>;
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<ProxyOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { opts } = parsed;
  if (!/^[a-z0-9]+:\/\//i.test(opts.listen)) throw new MailwireError('usage', `--listen ${opts.listen}: give a URL, e.g. imap://127.0.0.1:1143`);
  // Port 0 asks for any free port (printed once listening); a target may not say 0, a listener may.
  const anyPort = /:0\/?$/.test(opts.listen);
  const listenAt = { ...parseTarget(anyPort ? opts.listen.replace(/:0(\/?)$/, ':1$1') : opts.listen), ...(anyPort ? { port: 0 } : {}) };
  const target = parseTarget(opts.target);
  if (listenAt.protocol !== target.protocol) throw new MailwireError('usage', `--listen is ${listenAt.protocol} but --target is ${target.protocol}: the proxy relays one protocol`);
  if (!opts.allowRemote && !isLoopback(listenAt.host)) {
    throw new MailwireError('usage', `--listen ${listenAt.host} is not a loopback address: the proxy sees passwords; add --allow-remote if you mean it`);
  }
  if (opts.starttls && target.tls === 'implicit') throw new MailwireError('usage', `--starttls cannot be used with implicit TLS (${targetUrl(target)})`);
  if ((opts.listenCert === undefined) !== (opts.listenKey === undefined)) throw new MailwireError('usage', '--listen-cert and --listen-key go together');
  if (opts.key !== undefined && opts.cert === undefined) throw new MailwireError('usage', '--key needs --cert');
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new MailwireError('usage', `--timeout ${opts.timeout}: expected a number of seconds above 0`);
  if (opts.record !== undefined) {
    try {
      mkdirSync(opts.record, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new MailwireError('file', `cannot create ${opts.record}: ${fileErrorText(error)}`);
    }
  }

  const style = makeStyler(colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }));
  const colorLevel = colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars });
  const say = (text: string): void => void env.stdout.write(`${style([{ role: 'notice-info', text }])}\n`);

  const certificate: RunCertificate =
    opts.listenCert !== undefined && opts.listenKey !== undefined
      ? { certFile: opts.listenCert, keyFile: opts.listenKey, fingerprint: certificateFingerprint(opts.listenCert), dispose: () => undefined }
      : makeRunCertificate();

  const serverTarget = serverTargetOf(target, opts.starttls, {
    insecure: opts.insecure,
    ...(opts.ca.length > 0 ? { caPaths: opts.ca } : {}),
    ...(opts.cert === undefined ? {} : { certFile: opts.cert }),
    ...(opts.key === undefined ? {} : { keyFile: opts.key }),
    ...(opts.servername ? { servername: opts.servername } : {}),
  });

  const view = proxyLiveView({ colorLevel, output: env.stdout });

  let proxy;
  try {
    proxy = await startProxy({
      listen: { host: listenAt.host, port: listenAt.port, implicitTls: listenAt.tls === 'implicit' },
      certificate: { certFile: certificate.certFile, keyFile: certificate.keyFile },
      target: serverTarget,
      setup: { timeoutMs: timeout * 1000, connect },
      recordDir: opts.record ?? null,
      insecure: opts.insecure,
      followCompress: opts.compress,
      limits: { ...pick(DEFAULT_SERVER_LIMITS), ...readLimitOptions(opts as unknown as Record<string, unknown>) },
      view,
      onViewDrain: (resume) => env.stdout.once('drain', resume),
      now: () => new Date(),
    });
  } catch (error) {
    certificate.dispose();
    throw error;
  }
  const listenUrl = targetUrl({ protocol: listenAt.protocol, host: proxy.host, port: proxy.port, tls: listenAt.tls });
  say(`# proxy on ${listenUrl} -> ${serverTarget.url}${opts.starttls ? ' (STARTTLS)' : ''}; Ctrl-C stops`);
  say(`# the proxy's certificate${opts.listenCert === undefined ? ' (made for this run)' : ''}: SHA-256 ${certificate.fingerprint}`);
  if (opts.record !== undefined) say(`# recording each connection into ${opts.record}`);

  try {
    await untilStopSignal();
  } finally {
    await proxy.close();
    certificate.dispose();
  }
  say(`# proxy stopped${proxy.recordings.length > 0 ? `; ${proxy.recordings.length} recording(s) in ${opts.record}` : ''}`);
  return ExitCode.Ok;
}
