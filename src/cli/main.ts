/**
 * The mailwire command: dispatches to a subcommand (replay, lint, ...) or runs a session with a
 * server, and maps every failure to one line on stderr and a documented exit code. Each command's
 * code is loaded only when it runs, so --help and --version start fast.
 */
import { homedir } from 'node:os';
import type { Env } from '../env.js';
import { isMailwireError, MailwireError } from '../errors.js';
import { escapeDisplayText } from '../render/escape.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { findSubcommand, helpArgv, subcommandHelp, SUBCOMMANDS } from './subcommands.js';
import { VERSION } from './version.js';
import { fileErrorText } from '../file-errors.js';

/** Runs mailwire with argv (without node and script) in the given environment; returns the exit code. */
export async function main(given: readonly string[], env: Env): Promise<number> {
  const asked = given[0] === 'help' ? helpArgv(given) : null;
  const argv = asked ?? given;
  const errorLine = (message: string) => env.stderr.write(errorLines(message));
  // A usage error names the subcommand and points at its own help (`mailwire lint --help`).
  const sub = findSubcommand(argv[0]);
  const who = given[0] === 'help' && asked === null ? 'mailwire help' : sub ? `mailwire ${sub.name}` : 'mailwire';
  const helpFor = sub ? `${who} --help` : 'mailwire --help';
  try {
    if (given[0] === 'help' && asked === null) {
      const names = SUBCOMMANDS.map((s) => s.name).join(', ');
      throw new MailwireError('usage', `no command "${given.slice(1).join(' ')}" (there are ${names}; mailwire help alone tells of the session command)`);
    }
    // `mailwire --version` is answered before the option parser is even loaded (start-up time).
    if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
      env.stdout.write(`${VERSION}\n`);
      return ExitCode.Ok;
    }
    if (sub) return await (await sub.load()).run(argv.slice(1), env);
    // Only a bare word first is looked at (a URL or host:port never is), so a session loads nothing more.
    if (/^[a-z][a-z0-9-]*$/i.test(argv[0] ?? '') && (argv.length === 1 || !(argv[1] as string).startsWith('-'))) {
      const unknown = (await import('./unknown-command.js')).unknownCommandMessage(argv, SUBCOMMANDS.map((s) => s.name));
      if (unknown !== null) throw new MailwireError('usage', unknown);
    }
    // A plain command line is parsed without commander, which costs more to load than the rest of
    // a one-command session's start-up; help, the version and errors are commander's.
    const plain = (await import('./session-options.js')).parsePlainSessionLine(argv);
    const parsed = plain
      ? { kind: 'run' as const, options: plain }
      : (await import('./options.js')).parseCommandLine(argv, { out: (s) => env.stdout.write(s), err: (s) => env.stderr.write(s) }, subcommandHelp());
    if (parsed.kind === 'exit') return parsed.code;
    const { idleTlsOptionsNote, runSession } = await import('./session-command.js');
    const note = idleTlsOptionsNote(parsed.options);
    if (note !== null) env.stderr.write(note);
    return await runSession(parsed.options, env);
  } catch (error) {
    if (isMailwireError(error)) {
      if (error.code === 'usage') env.stderr.write(`${who}: ${escapedLines(error.message)} (see ${helpFor})\n`);
      else errorLine(error.message);
      return exitCodeFor(error.code);
    }
    errorLine(internalError(error, env.vars.MAILWIRE_DEBUG));
    return ExitCode.Internal;
  }
}

/**
 * What mailwire says on stderr: each line after `mailwire: `, escaped. An error may quote what a
 * server, a file or a certificate said (capabilities, a subject, a SCRAM attribute), and a stack
 * repeats the message: escaped here, where every error reaches the terminal, and not at each place
 * that builds one. Text already escaped stays as it is (a backslash is never escaped).
 */
function errorLines(message: string): string {
  return `mailwire: ${escapedLines(message)}\n`;
}

/** A message with each of its lines escaped for the terminal (a usage error quotes the command line). */
function escapedLines(message: string): string {
  return message.split('\n').map(escapeDisplayText).join('\n');
}

/**
 * A bug, reported in one line; with MAILWIRE_DEBUG set, the stack follows (bin/mailwire.js maps it to
 * the sources). Whatever was thrown: an Error, or anything with a message, or a value.
 */
function internalError(error: unknown, debug: string | undefined): string {
  const { message, stack } = (typeof error === 'object' && error !== null ? error : {}) as { message?: unknown; stack?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  const detail = debug ? `\n${typeof stack === 'string' ? stack : String(error)}` : ' (set MAILWIRE_DEBUG=1 for details)';
  return `internal error: ${text}${detail}`;
}

/** Entry point for bin/mailwire.js: the real process as Env. */
export async function run(argv: readonly string[]): Promise<number> {
  // `mailwire ... | head` closes our stdout early: that is the reader's choice, not an error. Any
  // other failure to write it (a full disk, `> /dev/full`) loses the output: said, and exit 9.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.Ok);
    process.stderr.write(errorLines(`cannot write to standard output: ${fileErrorText(error)}`));
    process.exit(ExitCode.Input);
  });
  // A bug that throws inside an event handler escapes main()'s try/catch: still one line, exit 1.
  process.on('uncaughtException', (error) => {
    process.stderr.write(errorLines(internalError(error, process.env.MAILWIRE_DEBUG)));
    process.exit(ExitCode.Internal);
  });
  return main(argv, {
    // Made when first asked for: a run that never looks at stdin (--version, --help) does not build
    // the stream, nor load the modules behind it (for a file, fs streams and readline's).
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    get stdinIsTTY() {
      return process.stdin.isTTY === true;
    },
    stdoutIsTTY: process.stdout.isTTY === true,
    stdoutReleasesWrites: true,
    vars: process.env,
    // Monotonic milliseconds (only differences are used): process.hrtime, since the global
    // performance loads node:perf_hooks at its first use, about a millisecond of every session.
    now: () => Number(process.hrtime.bigint()) / 1e6,
    homedir: homedir(),
    cwd: process.cwd(),
  });
}
