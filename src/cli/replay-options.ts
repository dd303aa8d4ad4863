/**
 * `mailwire replay`'s options as data, read by commander (replay-program.ts: help, errors, unusual
 * forms) and by the plain parser, which reads the common command lines without loading commander.
 */
import type { Language } from '../protocol/explain/language.js';
import type { Protocol } from '../session/events.js';
import { parseShard, type Shard } from '../transcript/shard.js';
import { collectValues, limitOf, OptionValueError, parsePlainCommandLine, parseSeconds, type OptionSpec, type ParsedCommandLine } from './plain-command-line.js';
import { TRUSTED_HOSTS_VARIABLE } from './secret-destinations.js';
import { parseLanguageValue } from './session-options.js';

export interface ReplayOptions {
  target?: string;
  protocol?: Protocol;
  starttls: boolean;
  insecure: boolean;
  ca?: string;
  servername?: string;
  user?: string;
  trustHost: string[];
  timeout: number | null;
  jobs: number;
  junit?: string;
  shard?: Shard;
  verbose: boolean;
  explain: boolean;
  lang?: Language;
  color: boolean;
}

function positiveInteger(value: string): number {
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new OptionValueError('expected a whole number from 1 to 9999');
  return Number(value);
}

function shard(value: string): Shard {
  const parsed = parseShard(value);
  if (parsed === null) throw new OptionValueError('expected K/N, shard K of N (1 <= K <= N <= 1000), e.g. 2/4');
  return parsed;
}

/** replay's options, in the order --help lists them. */
export const REPLAY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--target <url>', description: 'server to replay against, e.g. imap://127.0.0.1:143 (default: the transcript\'s "# target:")' },
  { flags: '--protocol <name>', description: 'protocol when neither target nor transcript says it', choices: ['imap', 'pop3'] },
  { flags: '--starttls', description: 'upgrade with STARTTLS/STLS right after the greeting (unless the transcript does)', default: false },
  { flags: '-k, --insecure', description: 'do not verify the server certificate', default: false },
  { flags: '--ca <file>', description: 'trust this CA certificate (PEM) in addition to the system ones' },
  { flags: '--servername <name>', description: 'TLS server name (SNI) and name to verify, if not the target host' },
  {
    flags: '--trust-host <hosts>',
    description: `send your secrets to these hosts (host or host:port, comma-separated; repeatable) when a transcript's "# target:" names them; also ${TRUSTED_HOSTS_VARIABLE}`,
    parse: collectValues,
    default: [],
  },
  { flags: '-u, --user <name>', description: 'user for AUTHENTICATE/AUTH exchanges when the transcript names none ("# secret: USER")' },
  { flags: '--timeout <seconds>', description: 'how long to wait for an expected reply; 0 for ever', parse: parseSeconds, default: 10 },
  { flags: '-j, --jobs <n>', description: 'replay this many transcripts at once', parse: positiveInteger, default: 1 },
  { flags: '--junit <file>', description: 'also write the results as JUnit XML (for CI systems)' },
  { flags: '--shard <k/n>', description: 'replay only shard K of N of the transcripts given (for a CI matrix; see below)', parse: shard },
  { flags: '-v, --verbose', description: "show each transcript's live session after its result", default: false },
  { flags: '--explain', description: 'with --verbose (implied): under each line of the live session, what it means here', default: false },
  { flags: '--lang <code>', description: 'language of the explanations and of a failure\'s reason: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parse: parseLanguageValue },
  { flags: '--no-color', description: 'no colors, even on a terminal' },
];

export const REPLAY_HELP_AFTER = `
Each transcript's C: lines are sent in order (IMAP literals wait for "+" unless {n+}); the server's
replies are compared with its S: lines. IMAP untagged replies may come in any order and extra ones
are allowed, unless the transcript says "# match: ordered" / "# match: no-extra"; completions, "+"
requests and POP3 replies must match as written. Patterns: $name captures a value and must meet it
again, $ is a wildcard, $$ a dollar sign. S?: lines may appear, S!: lines must not.

Secrets: <secret> and APOP digests are filled from "# secret: USER SECRET" in the transcript, else
from MAILWIRE_PASSWORD (MAILWIRE_TOKEN for XOAUTH2/OAUTHBEARER), else asked for at the terminal. An
AUTHENTICATE/AUTH exchange with a <secret> in it is run again by mailwire against the new challenges.
A transcript may come from anyone, so your own secrets (the variables, the prompt) go only to a server
you chose: the --target, a host of --trust-host or ${TRUSTED_HOSTS_VARIABLE} (comma-separated, e.g.
"mail.example.org,127.0.0.1:143" in CI), or one you confirm at the terminal. Without --target, the
transcript's "# target:" gets only the secret written in the file itself; otherwise replay refuses (9).

Exit codes: 0 every transcript passed; 1 a transcript failed; 2 usage error; 3 to 10 as for a
session, for a transcript that could not run (no connection, timeout, TLS, a secret or file missing,
a login mailwire would not attempt); 9 also for a file that is no transcript (no "C:" or "S:" line).
A suite can be split over the jobs of a CI matrix: "--shard K/N" picks the transcripts whose path
relative to the folder given (a file: its path as given) hashes to shard K, so every transcript
runs in exactly one of the N jobs and adding a file moves no other. Give each job its own --junit
file; CI systems merge JUnit reports.

Examples:
  mailwire replay tests/ --target imap://127.0.0.1:143
  mailwire replay tests/ --target imaps://mail.example.org --jobs 4 --junit replay.xml
  mailwire replay tests/ --target imap://mail.test:143 --shard 2/4 --junit replay-2.xml
  MAILWIRE_PASSWORD=password mailwire replay login.txt -v    the live session after each result

See docs/transcripts.md.`;

/** The transcripts and options of a parsed command line (commander's or the plain parser's). */
export function replayOptionsOf(parsed: ParsedCommandLine): { args: string[]; opts: ReplayOptions } {
  const opts = parsed.opts as unknown as ReplayOptions;
  return { args: parsed.args, opts: { ...opts, timeout: limitOf(opts.timeout) } };
}

/** The transcripts and options of a plain replay command line, without commander; null when only commander can tell. */
export function parsePlainReplayLine(argv: readonly string[]): { args: string[]; opts: ReplayOptions } | null {
  const parsed = parsePlainCommandLine(argv, REPLAY_OPTIONS, { min: 1, max: Infinity });
  return parsed ? replayOptionsOf(parsed) : null;
}
