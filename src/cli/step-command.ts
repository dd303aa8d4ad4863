/**
 * `mailwire step FILE`: walks a transcript one exchange at a time, for a projector: the command, the
 * server's answer, each line explained, the state diagram when the state changes; then it waits for
 * a key (Enter or Space: next, q: quit), or for --auto seconds. With standard input not a terminal it
 * runs straight through without waiting, for scripts and tests.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { makeStyler } from '../render/theme.js';
import type { Protocol } from '../session/events.js';
import { stepExchanges } from '../transcript/step.js';
import { colorLevelFor } from './colors.js';
import { ExitCode } from './exit-codes.js';
import { parseLanguageOption, parseSecondsOption } from './options.js';
import { parseSubcommand } from './subcommand-options.js';
import { awaitNextStep } from './step-keys.js';
import { parseTarget } from './target.js';
import { checkLiveOptions, runLiveStep, type LiveStepOptions } from './live-step.js';
import { loadTranscript } from './transcript-files.js';

interface StepOptions extends LiveStepOptions {
  protocol?: Protocol;
  lang?: Language;
  auto?: number;
  color: boolean;
}

/** --auto: how long a step stays before the next, at most an hour. */
function autoSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 3600) throw new MailwireError('usage', `--auto takes seconds, more than 0 and at most 3600, not "${value}"`);
  return n;
}

function buildProgram(): Command {
  return new Command()
    .name('mailwire step')
    .description('Walk a transcript one exchange at a time, each line explained, the state diagram at each change of state; offline, or live against a server or the built-in sandbox.')
    .argument('<transcript>', 'a transcript file (transcripts/seed/ holds the lecture\'s sessions)')
    .addOption(new Option('--protocol <name>', 'protocol of a transcript that does not say it ("# protocol:")').choices(['imap', 'pop3']))
    .option('--lang <code>', 'language of the explanations and the diagram: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
    .option('--auto <seconds>', 'go on by itself after this many seconds (keys still work)', autoSeconds)
    .option('--no-color', 'no colors, even on a terminal')
    .option('--target <url>', 'live: send the commands to this server, e.g. imap://127.0.0.1:143, and show its answers')
    .option('--sandbox', 'live: against the built-in sandbox, started in this process on a free loopback port', false)
    .option('--starttls', 'live: upgrade with STARTTLS/STLS right after the greeting (unless the transcript does)', false)
    .option('-k, --insecure', 'live: do not verify the server certificate', false)
    .option('--ca <file>', 'live: trust this CA certificate (PEM) in addition to the system ones')
    .option('--servername <name>', 'live: TLS server name (SNI) and name to verify, if not the target host')
    .option('-u, --user <name>', 'live: user to log in as first when the transcript starts logged in (--target), and for AUTHENTICATE/AUTH exchanges that name none')
    .option('--timeout <seconds>', 'live: how long to wait for a reply; 0 for ever', parseSecondsOption, 10)
    .addHelpText(
      'after',
      `
Keys: Enter or Space shows the next exchange, q (or Ctrl-C) quits. When standard input is not a terminal,
step shows every exchange without waiting.

Live (--target URL, --sandbox): each command of the transcript goes to the server, and its own answer
is shown, explained, with a mark (≠) where it differs from the transcript (replay's rules: patterns,
volatile values, untagged responses in any order). Secrets as for replay: "# secret:" lines, else
MAILWIRE_PASSWORD or a prompt, sent only to the --target named here. When the transcript is a
fragment that starts logged in, step logs in first (--sandbox as joe, POP3: mrose; --target as the
--user given) and selects INBOX when its first command needs a mailbox. Differences are marked, not
failures: replay is the test.

Exit codes: 0 shown to the end or quit (differences included); 2 usage error; 9 the file cannot be
read or is not a transcript, or a secret is missing; live: 3 no connection, 4 no reply within
--timeout, 5 TLS failed, 6 STARTTLS refused, 7 the connection broke before the transcript's end
(what was shown stays), 8 server output that cannot be framed, 10 a login mailwire would not run.

Examples:
  mailwire step transcripts/seed/pop3-apop-session.txt --lang ru      the lecture's APOP session, in Russian
  mailwire step transcripts/seed/imap-fetch.txt --auto 5              one exchange every 5 seconds
  mailwire step session.txt --no-color > session-steps.txt            every exchange at once, into a file
  mailwire step transcripts/seed/imap-select-status.txt --sandbox     the sandbox's own answers
  mailwire step transcripts/dovecot/imap-session.txt --target imap://127.0.0.1:143`,
    );
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<StepOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  const path = args[0] as string;
  const loaded = loadTranscript(path);
  if ('error' in loaded) throw loaded.error;
  // A live target's URL says its protocol too (a bare host:port does not).
  const fromUrl = opts.target !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(opts.target.trim()) ? parseTarget(opts.target).protocol : undefined;
  const protocol = opts.protocol ?? loaded.transcript.directives.protocol ?? fromUrl;
  if (!protocol) throw new MailwireError('usage', `${path}: the transcript does not say its protocol ("# protocol: imap"); give --protocol`);
  const language = opts.lang ?? languageFromEnvironment(env.vars);
  const colorLevel = colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars });
  checkLiveOptions(opts, argv);
  if (opts.target !== undefined || opts.sandbox) {
    await runLiveStep(path, loaded.transcript, protocol, opts, language, colorLevel, env);
    return ExitCode.Ok;
  }
  const style = makeStyler(colorLevel);
  const exchanges = stepExchanges(loaded.transcript, protocol, language);
  for (const exchange of exchanges) {
    const head = language === 'ru' ? `— шаг ${exchange.number} из ${exchanges.length} —` : `— step ${exchange.number} of ${exchanges.length} —`;
    env.stdout.write(`${style([{ role: 'annotation', text: head }])}\n`);
    for (const line of exchange.lines) env.stdout.write(`${style(line)}\n`);
    const last = exchange.number === exchanges.length;
    if (!env.stdinIsTTY || last) {
      env.stdout.write('\n');
      continue;
    }
    if (!(await awaitNextStep(env, opts.auto, language, style))) break;
  }
  return ExitCode.Ok;
}
