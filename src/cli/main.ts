/**
 * The mailwire command: parses the command line, connects, runs the session from -c, standard input
 * or the terminal, and maps every failure to one line on stderr and a documented exit code.
 * Session and transport code is loaded only when a session runs, so --help and --version start fast.
 */
import { homedir } from 'node:os';
import type { Env } from '../env.js';
import { isMailwireError, MailwireError } from '../errors.js';
import type { SessionEvent } from '../session/events.js';
import type { LineSource } from '../session/runner.js';
import { colorLevelFor } from './colors.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { parseCommandLine, type CliOptions } from './options.js';
import { parseTarget, targetUrl } from './target.js';

/** Runs mailwire with argv (without node and script) in the given environment; returns the exit code. */
export async function main(argv: readonly string[], env: Env): Promise<number> {
  const errorLine = (message: string) => env.stderr.write(`mailwire: ${message}\n`);
  try {
    const parsed = parseCommandLine(argv, {
      out: (s) => env.stdout.write(s),
      err: (s) => env.stderr.write(s),
    });
    if (parsed.kind === 'exit') return parsed.code;
    return await runSession(parsed.options, env);
  } catch (error) {
    if (isMailwireError(error)) {
      errorLine(error.code === 'usage' ? `${error.message} (see mailwire --help)` : error.message);
      return exitCodeFor(error.code);
    }
    const detail = env.vars.MAILWIRE_DEBUG ? `\n${(error as Error)?.stack ?? String(error)}` : ' (set MAILWIRE_DEBUG=1 for details)';
    errorLine(`internal error: ${(error as Error)?.message ?? String(error)}${detail}`);
    return ExitCode.Internal;
  }
}

async function runSession(options: CliOptions, env: Env): Promise<number> {
  const target = parseTarget(options.target, options.protocol);
  if (options.starttls && target.tls === 'implicit') {
    throw new MailwireError('usage', `--starttls cannot be used with implicit TLS (${targetUrl(target)})`);
  }
  const [{ SessionRunner }, { connect }, { TranscriptRenderer }, { TranscriptRecorder }, lines, terminal] = await Promise.all([
    import('../session/runner.js'),
    import('../transport/connection.js'),
    import('../render/transcript-renderer.js'),
    import('../transcript/recorder.js'),
    import('./line-source.js'),
    import('./terminal.js'),
  ]);
  const tlsMode = options.starttls ? 'starttls' : target.tls;
  const url = targetUrl(target);
  const renderer = new TranscriptRenderer({
    colorLevel: colorLevelFor({ noColorFlag: !options.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }),
    annotate: env.stdoutIsTTY,
    pop3Unstuff: true,
  });
  const recorder = options.record
    ? new TranscriptRecorder(options.record, { protocol: target.protocol, target: url, tls: tlsMode, date: new Date().toISOString() })
    : null;
  const show = (event: SessionEvent): boolean => {
    recorder?.record(event);
    const text = renderer.render(event);
    return text === '' || env.stdout.write(text);
  };

  // Where commands come from, and how a secret is asked for.
  const tty = options.commands.length === 0 && env.stdinIsTTY ? terminal.terminalInput(env.stdin, env.stdout) : null;
  const input: LineSource =
    options.commands.length > 0 ? lines.arrayLineSource(options.commands) : (tty ?? lines.streamLineSource(env.stdin));
  const getSecret = async (prompt: string): Promise<string | null> => {
    if (tty) return tty.askHidden(prompt);
    if (env.stdinIsTTY) return terminal.askHiddenOnce(env.stdin, env.stderr, prompt);
    return env.vars.MAILWIRE_PASSWORD ?? null;
  };

  const runner = new SessionRunner({
    protocol: target.protocol,
    host: target.host,
    port: target.port,
    url,
    tlsMode,
    tls: {
      insecure: options.insecure,
      ...(options.ca ? { caFile: options.ca } : {}),
      ...(options.servername ? { servername: options.servername } : {}),
    },
    timeoutMs: options.timeout === null ? null : options.timeout * 1000,
    connect,
    show,
    onOutputDrain: (resume) => env.stdout.once('drain', resume),
    getSecret,
    now: env.now,
  });
  try {
    await runner.open();
    await runner.runScript(input, { endOnClose: tty !== null });
    runner.close();
    return ExitCode.Ok;
  } catch (error) {
    runner.destroy();
    if (isMailwireError(error)) recorder?.record({ kind: 'notice', level: 'error', text: error.message });
    // A line left open on the terminal (mid-literal) is ended before the error line.
    env.stdout.write(renderer.finish());
    throw error;
  } finally {
    recorder?.close();
    tty?.close();
  }
}

/** Entry point for bin/mailwire.js: the real process as Env. */
export async function run(argv: readonly string[]): Promise<number> {
  // `mailwire ... | head` closes our stdout early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.Ok);
  });
  return main(argv, {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    stdoutIsTTY: process.stdout.isTTY === true,
    vars: process.env,
    now: () => performance.now(),
    homedir: homedir(),
    cwd: process.cwd(),
  });
}
