/**
 * The session command, `mailwire [options] <target>`: connects, runs the session from -c, standard
 * input or the interactive shell (standard input a terminal), shows it and records it.
 */
import { createRequire } from 'node:module';
import type { Env } from '../env.js';
import { isMailwireError, MailwireError } from '../errors.js';
import { ALL_DECODED_VIEWS, TranscriptRenderer } from '../render/transcript-renderer.js';
import { languageFromEnvironment } from '../protocol/explain/language.js';
import type { Protocol, SessionEvent } from '../session/events.js';
import { SessionRunner, type LineSource, type RunnerOptions } from '../session/runner.js';
import { fileLiteralError, typedPath } from '../session/file-literals.js';
import type { RecordingHeader } from '../transcript/recorder.js';
import { connect } from '../transport/connection.js';
import { colorLevelFor } from './colors.js';
import { arrayLineSource, concatLineSources, streamLineSource } from './line-source.js';
import { ExitCode } from './exit-codes.js';
import { OutputBatch } from './output-batch.js';
import type { CliOptions } from './session-options.js';
import { parseTarget, serverName, targetUrl } from './target.js';

/** What the output gathered in one turn reaches before it is written anyway (a pipe holds 64 KiB). */
const FLUSH_OCTETS = 64 * 1024;
const TLS_ORDER = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export async function runSession(options: CliOptions, env: Env): Promise<number> {
  const target = parseTarget(options.target, options.protocol);
  if (options.starttls && target.tls === 'implicit') {
    throw new MailwireError('usage', `--starttls cannot be used with implicit TLS (${targetUrl(target)})`);
  }
  if (options.key !== undefined && options.cert === undefined) throw new MailwireError('usage', '--key needs --cert (the certificate it belongs to)');
  if (options.tlsMin && options.tlsMax && TLS_ORDER.indexOf(options.tlsMin) > TLS_ORDER.indexOf(options.tlsMax)) {
    throw new MailwireError('usage', `--tls-min ${options.tlsMin} is above --tls-max ${options.tlsMax}`);
  }
  if (target.user !== null && options.user !== undefined && target.user !== options.user) {
    throw new MailwireError('usage', `the URL logs in as ${target.user} and -u as ${options.user}: give one`);
  }
  const user = target.user ?? options.user;
  if (options.record === '') throw new MailwireError('usage', '--record needs the name of the file to write');
  // RFC 7301 §3.1: a protocol name is 1 to 255 octets.
  const badAlpn = options.alpn.find((name) => name === '' || Buffer.byteLength(name) > 255);
  if (badAlpn !== undefined) throw new MailwireError('usage', `--alpn: a protocol name has 1 to 255 octets (RFC 7301 §3.1), not ${Buffer.byteLength(badAlpn)}`);
  if (options.ciphers !== undefined) {
    // node:tls only when --ciphers is given, as a session that uses TLS would load it anyway.
    const problem = (await import('../transport/tls-client.js')).cipherListProblem(options.ciphers);
    if (problem !== null) throw new MailwireError('usage', `--ciphers "${options.ciphers}": ${problem} (OpenSSL cipher names or TLS 1.3 suites, colon-separated)`);
  }
  // A name goes into a command line (LOGIN, USER, APOP) or a SASL message, where CR or LF would end
  // the command and start another, and NUL would split a PLAIN message (RFC 4616 §2).
  for (const [what, name] of [['user name', user], ['--authzid name', options.authzid]] as const) {
    if (name !== undefined && /[\r\n\0]/.test(name)) throw new MailwireError('usage', `the ${what} holds CR, LF or NUL, which no login can carry`);
  }
  // A password on the command line works, as in curl, but is no secret any more.
  const givenPassword = target.password ?? options.password ?? null;
  // A URL that logs in (a user, ;AUTH=, a mailbox) or a password: only then the URL's login and the
  // SASL registry it checks ;AUTH= against are loaded; a bare imap://host:port starts without them.
  const logsIn = target.user !== null || target.auth !== null || target.mailbox !== null || givenPassword !== null;
  const login = logsIn ? (await import('./url-login.js')).urlLoginCommands(target, user, givenPassword !== null) : [];
  if (givenPassword !== null) {
    const where = target.password === null ? '-u USER:PASSWORD' : 'the URL';
    env.stderr.write(
      `mailwire: warning: the password in ${where} is kept in your shell's history and shown to every user of this machine in the process list; leave it out to be asked for it, or set MAILWIRE_PASSWORD\n`,
    );
  }
  const tlsMode = options.starttls ? 'starttls' : target.tls;
  const url = targetUrl(target);
  const colorLevel = colorLevelFor({ noColorFlag: !options.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars });
  const interactive = options.commands.length === 0 && env.stdinIsTTY && env.stdoutIsTTY;
  const language = options.lang ?? languageFromEnvironment(env.vars);
  // The shell can turn explanations on at any time: its explainer follows the session from the start.
  const explaining = options.explain === true || interactive;
  // Explanations (their catalogues in two languages) and the recorder are loaded only when used:
  // a scripted session starts sooner without them.
  const SessionExplainer = explaining ? (await import('../protocol/explain/session-explainer.js')).SessionExplainer : null;
  // chalk is loaded only when the output has colors (start-up time of a run to a pipe).
  const style = colorLevel > 0 ? (await import('../render/theme.js')).makeStyler(colorLevel) : undefined;
  // mailwire's own lines in the language asked for: other words than English only then (a small
  // catalogue of their own), so that a plain session loads no more words than it did. The recorder
  // has its own renderer, which has none: a recording's comments are the same in every language.
  const words = language === 'en' ? undefined : (await import('../render/session-words-ru.js')).RUSSIAN_WORDS;
  const renderer = new TranscriptRenderer({
    colorLevel,
    ...(style ? { style } : {}),
    annotate: env.stdoutIsTTY || options.verbose,
    showCerts: options.showCerts || options.verbose,
    decodedViews: options.decode ? ALL_DECODED_VIEWS : new Set(),
    ...(words ? { words } : {}),
    ...(SessionExplainer ? { explainerFor: (p: Protocol) => new SessionExplainer(p, language), explain: options.explain === true } : {}),
  });
  const recordingHeader = (): RecordingHeader => ({
    protocol: target.protocol,
    target: url,
    tls: tlsMode,
    date: new Date().toISOString(),
    insecure: options.insecure,
    showCerts: options.showCerts,
    ...(user === undefined ? {} : { user }),
  });
  const recorder = options.record ? new (await import('../transcript/recorder.js')).TranscriptRecorder(options.record, recordingHeader()) : null;
  /** Everything but how the session is shown and how people are asked: the same for script and shell. */
  type Io = Pick<RunnerOptions, 'show' | 'onOutputDrain' | 'getSecret' | 'getText' | 'onServerBytes'>;
  const runnerOptions = (io: Io): RunnerOptions => ({
    // The renderer decides what is shown (the shell toggles it); the session computes only that.
    decodedViews: () => renderer.decodedViews,
    protocol: target.protocol,
    host: target.host,
    port: target.port,
    url,
    tlsMode,
    tls: {
      insecure: options.insecure,
      ...(options.ca.length > 0 ? { caPaths: options.ca } : {}),
      ...(options.cert === undefined ? {} : { certFile: options.cert }),
      ...(options.key === undefined ? {} : { keyFile: options.key }),
      ...(options.tlsMin === undefined ? {} : { minVersion: options.tlsMin }),
      ...(options.tlsMax === undefined ? {} : { maxVersion: options.tlsMax }),
      ...(options.ciphers === undefined ? {} : { ciphers: options.ciphers }),
      ...(options.alpn.length > 0 ? { alpn: options.alpn } : {}),
      ...(options.servername ? { servername: serverName(options.servername) } : {}),
      // Read only where the chain is shown (--show-certs, -v, the shell's .tls): over implicit TLS
      // the watch runs the connection through a stream of JavaScript.
      ...(options.showCerts || options.verbose || interactive ? { watchSentChain: true } : {}),
    },
    timeoutMs: options.timeout === null ? null : options.timeout * 1000,
    connect,
    ...(user === undefined ? {} : { user }),
    ...(options.authzid === undefined ? {} : { authzid: options.authzid }),
    now: env.now,
    readFile: (path) => readLiteralFile(path, env),
    ...io,
    // Every password asked for is the one given on the command line, if any (a token never is).
    getSecret: (prompt, kind) => (givenPassword !== null && kind !== 'token' ? Promise.resolve(givenPassword) : io.getSecret(prompt, kind)),
  });

  const maxTimeMs = options.maxTime === null ? null : options.maxTime * 1000;

  // The shell needs the terminal on both sides; typing at a terminal with the output going to a
  // file gets plain lines instead (typed and asked on stderr, the file gets the transcript only).
  if (interactive) {
    const { runShell } = await import('../shell/shell.js');
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    try {
      return await runShell({
        env,
        protocol: target.protocol,
        url,
        hostPort: `${host}:${target.port}`,
        colorLevel,
        renderer,
        language,
        recorder,
        recordingHeader,
        maxTime: maxTimeMs === null ? null : { ms: maxTimeMs, error: () => maxTimeError(options.maxTime as number) },
        initialCommands: login,
        ...(user === undefined ? {} : { user }),
        makeRunner: (io) => new SessionRunner(runnerOptions(io)),
      });
    } catch (caught) {
      const error = isRefusedCertificate(caught) ? await sandboxTrustAdvice(caught) : caught;
      if (isMailwireError(error)) recorder?.record({ kind: 'notice', level: 'error', text: error.message });
      env.stdout.write(renderer.finish());
      throw error;
    } finally {
      recorder?.close();
    }
  }

  /** What the last 'closed' event said, so the recording does not say it twice. */
  let closedReason: string | null = null;
  // Output is gathered and written once per turn of the event loop (one TCP read renders to many
  // lines), or once it holds FLUSH_OCTETS: a write per read or per 64 KiB instead of one per line.
  // The runner stops reading the server while stdout reports it needs to drain.
  const pending = new OutputBatch();
  const flush = () => {
    const octets = pending.take();
    if (octets !== null) env.stdout.write(octets);
  };
  const show = (event: SessionEvent): boolean => {
    if (event.kind === 'closed') closedReason = event.reason;
    recorder?.record(event);
    const text = renderer.renderForWrite(event);
    if (typeof text !== 'string') {
      // A piece of literal text comes as bytes ready to write (a socket read's worth): written now,
      // after whatever text was gathered before it. Once written, its memory takes a later piece,
      // where stdout is done with a buffer when its write calls back.
      flush();
      if (env.stdoutReleasesWrites === true) {
        env.stdout.write(text, (error) => {
          if (error === null || error === undefined) renderer.releaseWritten(text);
        });
      } else {
        env.stdout.write(text);
      }
    } else if (text !== '') {
      if (pending.empty) queueMicrotask(flush);
      pending.append(text);
      // A read of up to 1 MiB (socket-reads.ts) renders to more: written as it grows, so that the
      // reader of stdout works on it while the rest of the read is rendered.
      if (pending.length >= FLUSH_OCTETS) flush();
    }
    return !env.stdout.writableNeedDrain;
  };

  // Where commands come from, and how a secret is asked for.
  // node:readline only for a terminal on stdin: a script from a pipe or -c never reads through it.
  const terminal = env.stdinIsTTY ? await import('./terminal.js') : null;
  const tty = options.commands.length === 0 && terminal ? terminal.terminalInput(env.stdin, env.stderr) : null;
  const given: LineSource =
    options.commands.length > 0 ? arrayLineSource(options.commands) : (tty ?? streamLineSource(env.stdin));
  const input = login.length === 0 ? given : concatLineSources(arrayLineSource(login), given);
  const getSecret = async (prompt: string, kind: 'password' | 'token' = 'password'): Promise<string | null> => {
    if (tty) return tty.askHidden(prompt);
    if (terminal) return terminal.askHiddenOnce(env.stdin, env.stderr, prompt);
    return (kind === 'token' ? env.vars.MAILWIRE_TOKEN : env.vars.MAILWIRE_PASSWORD) ?? null;
  };
  const getText = async (prompt: string): Promise<string | null> => {
    if (tty) return tty.ask(prompt);
    if (terminal) return terminal.askOnce(env.stdin, env.stderr, prompt);
    return null;
  };

  const runner = new SessionRunner(runnerOptions({ show, onOutputDrain: (resume) => env.stdout.once('drain', resume), getSecret, getText }));
  let deadline: NodeJS.Timeout | undefined;
  try {
    const session = (async () => {
      await runner.open();
      await runner.runScript(input, { endOnClose: tty !== null });
    })();
    if (maxTimeMs === null) {
      await session;
    } else {
      // The work is abandoned, not awaited, when the deadline wins: the connection is destroyed below.
      session.catch(() => undefined);
      const expired = new Promise<never>((_, reject) => {
        deadline = setTimeout(() => reject(maxTimeError(options.maxTime as number)), maxTimeMs);
      });
      await Promise.race([session, expired]);
    }
    runner.close();
    return ExitCode.Ok;
  } catch (caught) {
    const error = isRefusedCertificate(caught) ? await sandboxTrustAdvice(caught) : caught;
    runner.destroy();
    if (isMailwireError(error) && error.message !== closedReason) {
      recorder?.record({ kind: 'notice', level: 'error', text: error.message });
    }
    // A line left open on the terminal (mid-literal) is ended before the error line.
    flush();
    env.stdout.write(renderer.finish());
    throw error;
  } finally {
    clearTimeout(deadline);
    recorder?.close();
    tty?.close();
  }
}

/**
 * --max-time spent: unlike --timeout, which waits anew whenever a byte arrives, it bounds the whole
 * session, so a server that sends a byte every second cannot keep a script running for ever.
 */
function maxTimeError(seconds: number): MailwireError {
  return new MailwireError('timeout', `the session took longer than --max-time ${seconds} s; stopped (--timeout bounds each wait, --max-time the whole session)`);
}

/** `{file:PATH}`: the file's octets; `~/` is the home folder, a relative path is from the working folder. */
async function readLiteralFile(path: string, env: Env): Promise<Buffer> {
  try {
    // Loaded here: node:fs/promises costs a session about a millisecond to load, and few sessions send
    // a file. By require(): the bundle's files are compiled where import() of a built-in does not work.
    const { readFile } = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
    return await readFile(typedPath(path, env));
  } catch (error) {
    throw fileLiteralError(path, error);
  }
}

/** A refused certificate: the only error sandbox-trust.ts may reword. */
function isRefusedCertificate(error: unknown): boolean {
  return error instanceof MailwireError && error.code === 'certificate';
}

/**
 * The sandbox's advice for a refused certificate (sandbox-trust.ts), loaded only then: it reads the
 * sandbox certificate with node:crypto, which a session otherwise never needs at start-up.
 */
async function sandboxTrustAdvice(error: unknown): Promise<unknown> {
  return (await import('./sandbox-trust.js')).withSandboxTrustAdvice(error);
}

/**
 * A note for a command line whose TLS options wait for a STARTTLS typed later, if any, on a target
 * that starts in plain TCP: a hurried reader of the command line may believe the session encrypted
 * or verified. Null when there is nothing to say. For what the user typed (not the demo's own --ca).
 */
export function idleTlsOptionsNote(options: CliOptions): string | null {
  const target = parseTarget(options.target, options.protocol);
  const given = tlsOptionsGiven(options);
  if (target.tls !== 'none' || options.starttls || given.length === 0) return null;
  // A script that upgrades itself (-c STARTTLS) uses them when it does.
  const upgrade = target.protocol === 'imap' ? 'STARTTLS' : 'STLS';
  if (options.commands.some((line) => new RegExp(`^\\s*(?:\\S+\\s+)?${upgrade}\\s*$`, 'i').test(line))) return null;
  const verb = given.length === 1 ? 'applies' : 'apply';
  return `mailwire: note: ${given.join(', ')} ${verb} only once TLS starts, and ${targetUrl(target)} starts in plain TCP: add --starttls, type ${upgrade}, or use ${target.protocol}s://\n`;
}

/** The options given that only a TLS connection uses. */
function tlsOptionsGiven(options: CliOptions): string[] {
  const given: [boolean, string][] = [
    [options.insecure, '-k'],
    [options.ca.length > 0, '--ca'],
    [options.cert !== undefined, '--cert'],
    [options.tlsMin !== undefined, '--tls-min'],
    [options.tlsMax !== undefined, '--tls-max'],
    [options.ciphers !== undefined, '--ciphers'],
    [options.alpn.length > 0, '--alpn'],
    [options.servername !== undefined, '--servername'],
    [options.showCerts, '--show-certs'],
  ];
  return given.filter(([yes]) => yes).map(([, name]) => name);
}
