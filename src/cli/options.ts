/**
 * The session command line through commander, built from the option table (session-options.ts) and
 * parsed by a pure function: argv in, options (or a MailwireError('usage')) out. Help and version
 * text go to the given writers. main() comes here only for what the plain parser leaves (help, the
 * version, errors, unusual forms). The list of other commands for --help is handed in by main(): the
 * subcommand table sits above every command and none of them may import it.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { VERSION } from './version.js';
import type { Language } from '../protocol/explain/language.js';
import { OptionValueError, parseSeconds, type OptionSpec } from './plain-command-line.js';
import { MailwireError } from '../errors.js';
import { parseLanguageValue, SESSION_OPTIONS, sessionOptionsOf, type ParseOutcome } from './session-options.js';
import { QUIET_DEFAULTS, usageMessage } from './subcommand-options.js';

export type { CliOptions, ParseOutcome } from './session-options.js';

export { VERSION } from './version.js';

// Paragraphs without line breaks of their own: commander wraps them to the help width.
const DESCRIPTION = [
  'An enhanced telnet for POP3 and IMAP4: talks to a mail server over plain TCP, STARTTLS or TLS, numbers IMAP tags, handles literals, computes APOP digests, and shows the session as an RFC-style transcript (C: what was sent, S: what came back), colorized and safe to print.',
  'Target: imap://host[:port], imaps://, pop3://, pop3s://, or host[:port] (143/993 IMAP, 110/995 POP3). Commands come from -c, from standard input (one per line, each sent after the previous one\'s reply), or, when standard input is a terminal, from an interactive shell (.help inside it lists what it does).',
].join('\n\n');

/** A value parser of the option table, its OptionValueError worded by commander as its own errors. */
function commanderParser(parse: NonNullable<OptionSpec['parse']>): (value: string, previous: never) => unknown {
  return (value, previous) => {
    try {
      return parse(value, previous);
    } catch (error) {
      if (error instanceof OptionValueError) throw new InvalidArgumentError(error.message);
      throw error;
    }
  };
}

/** --lang for commander (the other commands take it too): "en" or "ru" (a locale name such as ru_RU.UTF-8 will do). */
export const parseLanguageOption = commanderParser(parseLanguageValue) as (value: string) => Language;

/** --timeout for commander (the other commands take it too): seconds, 0 kept as 0 for limitOf(). */
export const parseSecondsOption = commanderParser(parseSeconds) as (value: string) => number;

/** commander's Option for one entry of an option table. */
export function commanderOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.default !== undefined) option.default(spec.default);
  if (spec.parse) option.argParser(commanderParser(spec.parse) as (value: string, previous: unknown) => unknown);
  if (spec.choices) option.choices(spec.choices);
  return option;
}

/** `otherCommands`: the subcommand list shown in --help (subcommandHelp() of the subcommand table). */
export function buildProgram(write: { out: (s: string) => void; err: (s: string) => void }, otherCommands = ''): Command {
  const program = new Command()
    .name('mailwire')
    .description(DESCRIPTION)
    .version(VERSION, '-V, --version', 'print the version and exit')
    .argument('<target>', 'server to talk to, e.g. imap://mail.example.org or [::1]:110');
  for (const spec of SESSION_OPTIONS) program.addOption(commanderOption(spec));
  return program
    .addHelpText(
      'after',
      `
Examples:
  mailwire demo                              a session with the built-in sandbox (LOGIN joe password)
  mailwire imap://mail.example.org           an interactive shell: Tab completes, .help lists commands
  mailwire imap://mail.example.org --starttls -c CAPABILITY -c LOGOUT
  mailwire imaps://joe@mail.example.org/INBOX -c 'FETCH 1:* FLAGS' -c LOGOUT
                                             log in as joe (password asked), EXAMINE INBOX, then -c
  MAILWIRE_PASSWORD=tanstaaf mailwire pop3://mail.example.org -c 'APOP mrose' -c STAT -c QUIT
  mailwire imaps://mail.example.org -v -c LOGOUT
                                             the certificate chain and each reply's latency too
  mailwire imap://mail.example.org --record s.txt
                                             a transcript of the session, to replay later

IMAP tags: a line gets the next tag (A001, A002, ...) unless it clearly starts with one of yours: a
first word that is not a command, followed by a command ("a1 NOOP", "abc MYRIGHTS INBOX"), or holding
a digit or a dot ("a1 FOO x"). Commands mailwire does not know are tagged and sent too ("SELCT INBOX"
goes as "A001 SELCT INBOX"; the shell adds "did you mean SELECT?"). A blank line sends nothing.

Secrets: "LOGIN user" (IMAP), "PASS" and "APOP user" (POP3) typed without the secret ask for it
without echo, or take it from MAILWIRE_PASSWORD when standard input is not a terminal. APOP's digest is
computed from the greeting's timestamp. Secrets are shown and recorded as <secret>.

Logins: "AUTHENTICATE <mechanism>" (IMAP) or "AUTH <mechanism>" (POP3) typed alone is run by mailwire
for PLAIN, LOGIN, CRAM-MD5, SCRAM-SHA-1, SCRAM-SHA-256, XOAUTH2, OAUTHBEARER and EXTERNAL: user from
--user (or asked), password asked or from MAILWIRE_PASSWORD, token from MAILWIRE_TOKEN. Each base64
line is shown with its decoded content beside it; passwords, tokens and proofs are masked.
${otherCommands}
${EXIT_CODE_HELP}
`,
    )
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err, outputError: () => undefined })
    .showHelpAfterError(false)
    .allowExcessArguments(false)
    .configureHelp(QUIET_DEFAULTS);
}

/** Parses argv (without node and script); `otherCommands` as for buildProgram. */
export function parseCommandLine(
  argv: readonly string[],
  write: { out: (s: string) => void; err: (s: string) => void },
  otherCommands = '',
): ParseOutcome {
  const program = buildProgram(write, otherCommands);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return { kind: 'exit', code: 0 };
      }
      throw new MailwireError('usage', usageMessage(error));
    }
    throw error;
  }
  return { kind: 'run', options: sessionOptionsOf({ args: program.args, opts: program.opts() }) };
}
