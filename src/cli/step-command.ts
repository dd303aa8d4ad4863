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
import { parseLanguageOption } from './options.js';
import { parseSubcommand } from './subcommand-options.js';
import { loadTranscript } from './transcript-files.js';

interface StepOptions {
  protocol?: Protocol;
  lang?: Language;
  auto?: number;
  color: boolean;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 3600) throw new MailwireError('usage', `--auto takes seconds between 0 and 3600, not "${value}"`);
  return n;
}

function buildProgram(): Command {
  return new Command()
    .name('mailwire step')
    .description('Walk a transcript one exchange at a time, each line explained, the state diagram at each change of state.')
    .argument('<transcript>', 'a transcript file (transcripts/seed/ holds the lecture\'s sessions)')
    .addOption(new Option('--protocol <name>', 'protocol of a transcript that does not say it ("# protocol:")').choices(['imap', 'pop3']))
    .option('--lang <code>', 'language of the explanations and the diagram: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
    .option('--auto <seconds>', 'go on by itself after this many seconds (keys still work)', parseSeconds)
    .option('--no-color', 'no colors, even on a terminal')
    .addHelpText(
      'after',
      `
Keys: Enter or Space shows the next exchange, q (or Ctrl-C) quits. When standard input is not a terminal,
step shows every exchange without waiting.

Exit codes: 0 shown to the end or quit; 2 usage error; 9 the file cannot be read or is not a transcript.

Examples:
  mailwire step transcripts/seed/pop3-apop-session.txt --lang ru      the lecture's APOP session, in Russian
  mailwire step transcripts/seed/imap-fetch.txt --auto 5              one exchange every 5 seconds
  mailwire step session.txt --no-color > session-steps.txt            every exchange at once, into a file`,
    );
}

/** Waits for Enter, Space or q on a terminal, or for the --auto time; true to go on. */
function nextKey(env: Env, autoSeconds: number | undefined): Promise<boolean> {
  const stdin = env.stdin as NodeJS.ReadStream;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = (goOn: boolean) => {
      if (timer) clearTimeout(timer);
      stdin.off('data', onData);
      stdin.setRawMode?.(false);
      stdin.pause();
      resolve(goOn);
    };
    const onData = (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 0x0d || byte === 0x0a || byte === 0x20) return done(true);
        // q, Q, Ctrl-C, Ctrl-D
        if (byte === 0x71 || byte === 0x51 || byte === 0x03 || byte === 0x04) return done(false);
      }
    };
    if (autoSeconds !== undefined) timer = setTimeout(() => done(true), autoSeconds * 1000);
    stdin.setRawMode?.(true);
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<StepOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { args, opts } = parsed;
  const path = args[0] as string;
  const loaded = loadTranscript(path);
  if ('error' in loaded) throw loaded.error;
  const protocol = opts.protocol ?? loaded.transcript.directives.protocol;
  if (!protocol) throw new MailwireError('usage', `${path}: the transcript does not say its protocol ("# protocol: imap"); give --protocol`);
  const language = opts.lang ?? languageFromEnvironment(env.vars);
  const style = makeStyler(colorLevelFor({ noColorFlag: !opts.color, stdoutIsTTY: env.stdoutIsTTY, vars: env.vars }));
  const exchanges = stepExchanges(loaded.transcript, protocol, language);
  const keys = language === 'ru' ? 'Enter или пробел — дальше, q — выход' : 'Enter or Space: next, q: quit';
  for (const exchange of exchanges) {
    const head = language === 'ru' ? `— шаг ${exchange.number} из ${exchanges.length} —` : `— step ${exchange.number} of ${exchanges.length} —`;
    env.stdout.write(`${style([{ role: 'annotation', text: head }])}\n`);
    for (const line of exchange.lines) env.stdout.write(`${style(line)}\n`);
    const last = exchange.number === exchanges.length;
    if (!env.stdinIsTTY || last) {
      env.stdout.write('\n');
      continue;
    }
    env.stdout.write(`${style([{ role: 'hint', text: `[${keys}]` }])}`);
    const goOn = await nextKey(env, opts.auto);
    env.stdout.write('\n\n');
    if (!goOn) break;
  }
  return ExitCode.Ok;
}
