/**
 * The command line, declared as data for commander and parsed by a pure function: argv in, options
 * (or a MailwireError('usage')) out. Help and version text go to the given writers. The list of
 * other commands for --help is handed in by main(): the subcommand table sits above every command
 * and none of them may import it.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { MailwireError } from '../errors.js';
import { EXIT_CODE_HELP } from './exit-codes.js';
import { VERSION } from './version.js';
import type { TlsVersion } from '../transport/connection.js';
import { parseLanguage, type Language } from '../protocol/explain/language.js';

export interface CliOptions {
  target: string;
  protocol?: 'imap' | 'pop3';
  starttls: boolean;
  /**
   * --insecure: the server certificate is not verified. The interactive prompt and the recorded
   * transcript's header show a warning while it is in force.
   */
  insecure: boolean;
  /** --ca: CA certificate files or folders trusted in addition to the system's (repeatable). */
  ca: string[];
  servername?: string;
  /** --cert / --key: client certificate (PEM) and its key (PEM; default: in the --cert file). */
  cert?: string;
  key?: string;
  /** --tls-min / --tls-max: 'TLSv1' ... 'TLSv1.3'. */
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
  /** --ciphers: OpenSSL cipher list and/or TLS 1.3 suites. */
  ciphers?: string;
  /** --alpn: protocols to offer by ALPN. */
  alpn: string[];
  /** --show-certs: after each handshake, the whole chain and the verification in detail. */
  showCerts: boolean;
  /** Seconds; null means no timeout. */
  timeout: number | null;
  /** --max-time: seconds the whole session may take, as curl's --max-time; null (the default) for no bound. */
  maxTime: number | null;
  commands: string[];
  record?: string;
  color: boolean;
  /** User name for logins mailwire runs (AUTHENTICATE / AUTH with a known mechanism). */
  user?: string;
  /** The password of `-u USER:PASSWORD` (curl's form): used for every password asked for. */
  password?: string;
  /** -v: the detail of --show-certs, and each reply's latency even when the output is not a terminal. */
  verbose: boolean;
  /** SASL authorization identity: log in as --user, act as this one. */
  authzid?: string;
  /** Decoded views (mUTF-7 names, encoded-words, BODYSTRUCTURE trees) as # lines beside the raw lines. */
  decode: boolean;
  /** --explain: under each line, what it means here (the shell's .explain starts on). */
  explain?: boolean;
  /** --lang: the language of explanations, help texts and state names; else from LC_ALL/LC_MESSAGES/LANG. */
  lang?: Language;
}

/** What parsing produced: options to run with, or a message already printed (help, version). */
export type ParseOutcome = { kind: 'run'; options: CliOptions } | { kind: 'exit'; code: 0 };

export { VERSION } from './version.js';

// Paragraphs without line breaks of their own: commander wraps them to the help width.
const DESCRIPTION = [
  'An enhanced telnet for POP3 and IMAP4: talks to a mail server over plain TCP, STARTTLS or TLS, numbers IMAP tags, handles literals, computes APOP digests, and shows the session as an RFC-style transcript (C: what was sent, S: what came back), colorized and safe to print.',
  'Target: imap://host[:port], imaps://, pop3://, pop3s://, or host[:port] (143/993 IMAP, 110/995 POP3). Commands come from -c, from standard input (one per line, each sent after the previous one\'s reply), or, when standard input is a terminal, from an interactive shell (.help inside it lists what it does).',
].join('\n\n');

function parseTimeout(value: string): number | null {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number of seconds (0 for none)');
  return n === 0 ? null : n;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** "1.2", "tls1.2", "TLSv1.2" -> "TLSv1.2" (Node's names). */
function parseTlsVersion(value: string): TlsVersion {
  const m = /^(?:tls\s*v?)?1(?:\.([0-3]))?$/i.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected a TLS version: 1.0, 1.1, 1.2 or 1.3 (or TLSv1.2 ...)');
  const minor = m[1] ?? '0';
  return minor === '0' ? 'TLSv1' : (`TLSv1.${minor}` as TlsVersion);
}

/** --lang: "en" or "ru" (a locale name such as ru_RU.UTF-8 will do). */
export function parseLanguageOption(value: string): Language {
  const language = parseLanguage(value);
  if (language === null) throw new InvalidArgumentError('expected en or ru');
  return language;
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** `otherCommands`: the subcommand list shown in --help (subcommandHelp() of the subcommand table). */
export function buildProgram(write: { out: (s: string) => void; err: (s: string) => void }, otherCommands = ''): Command {
  return new Command()
    .name('mailwire')
    .description(DESCRIPTION)
    .version(VERSION, '-V, --version', 'print the version and exit')
    .argument('<target>', 'server to talk to, e.g. imap://mail.example.org or [::1]:110')
    .addOption(new Option('--protocol <name>', 'protocol when the target does not say it').choices(['imap', 'pop3']))
    .option('--starttls', 'upgrade to TLS right after the greeting (IMAP STARTTLS, POP3 STLS); stop if refused', false)
    .option('-k, --insecure', 'do not verify the server certificate (says so in the TLS summary)', false)
    .option('--ca <path>', 'trust the CA certificates (PEM) of this file or folder too (repeatable)', collect, [])
    .option('--servername <name>', 'TLS server name (SNI) and name to verify, if not the target host')
    .option('--timeout <seconds>', 'limit for connecting, the greeting and each reply (idle time: reset while data flows); 0 for none', parseTimeout, 30)
    .option('--max-time <seconds>', 'limit for the whole session, however the server trickles its data (exit 4); none by default, and IDLE or the shell are bounded only when given', parseTimeout, null)
    .option('-c, --command <line>', 'send this line (repeatable; replaces standard input)', collect, [])
    .option('--record <file>', 'write the session to FILE as a transcript, line by line (secrets masked; mailwire replay plays it back)')
    .option('--no-color', 'no colors, even on a terminal (NO_COLOR and FORCE_COLOR are honoured too)')
    .option('--show-certs', 'after each TLS handshake, show the whole chain, ALPN, SNI and the verification in detail (-v does too)', false)
    .option('--cert <file>', 'client certificate (PEM) to present; for SASL EXTERNAL and servers that ask for one')
    .option('--key <file>', 'private key (PEM) of --cert, when not in the same file')
    .option('--tls-min <version>', 'lowest TLS version to offer: 1.0, 1.1, 1.2 or 1.3', parseTlsVersion)
    .option('--tls-max <version>', 'highest TLS version to offer: 1.0, 1.1, 1.2 or 1.3', parseTlsVersion)
    .option('--ciphers <list>', 'OpenSSL cipher list and/or TLS 1.3 suites, colon-separated')
    .option('--alpn <protocols>', 'protocols to offer by ALPN, comma-separated (e.g. imap)', collectList, [])
    .option('-u, --user <name[:password]>', 'user name for the logins mailwire runs (asked for when absent); USER:PASSWORD, as curl splits it, also logs in right after the greeting')
    .option('-v, --verbose', 'more detail: the TLS details of --show-certs, and each reply\'s latency also when the output is not a terminal', false)
    .option('--authzid <name>', 'SASL authorization identity: log in as --user, act as NAME (e.g. a Dovecot master user)')
    .option('--no-decode', 'no decoded views (# lines with mUTF-7 mailbox names, MIME encoded-words, BODYSTRUCTURE trees)')
    .option('--explain', 'under each command and response, what it means here, with its RFC section (.explain in the shell)', false)
    .option('--lang <code>', 'language of explanations, help texts and state names: en or ru (default: from LC_ALL, LC_MESSAGES, LANG)', parseLanguageOption)
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
    .allowExcessArguments(false);
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
      throw new MailwireError('usage', error.message.replace(/^error: /, ''));
    }
    throw error;
  }
  const o = program.opts<{
    protocol?: 'imap' | 'pop3';
    starttls: boolean;
    insecure: boolean;
    ca: string[];
    servername?: string;
    showCerts: boolean;
    cert?: string;
    key?: string;
    tlsMin?: TlsVersion;
    tlsMax?: TlsVersion;
    ciphers?: string;
    alpn: string[];
    timeout: number | null;
    maxTime: number | null;
    command: string[];
    record?: string;
    color: boolean;
    user?: string;
    authzid?: string;
    decode: boolean;
    verbose: boolean;
    explain: boolean;
    lang?: Language;
  }>();
  // curl's -u USER:PASSWORD: the first colon splits (a user name with a colon cannot be given this way).
  const colon = o.user === undefined ? -1 : o.user.indexOf(':');
  const user = o.user === undefined || colon < 0 ? o.user : o.user.slice(0, colon);
  const password = o.user === undefined || colon < 0 ? undefined : o.user.slice(colon + 1);
  return {
    kind: 'run',
    options: {
      target: program.args[0] as string,
      ...(o.protocol ? { protocol: o.protocol } : {}),
      starttls: o.starttls,
      insecure: o.insecure,
      ca: o.ca,
      showCerts: o.showCerts,
      alpn: o.alpn,
      ...(o.cert === undefined ? {} : { cert: o.cert }),
      ...(o.key === undefined ? {} : { key: o.key }),
      ...(o.tlsMin === undefined ? {} : { tlsMin: o.tlsMin }),
      ...(o.tlsMax === undefined ? {} : { tlsMax: o.tlsMax }),
      ...(o.ciphers === undefined ? {} : { ciphers: o.ciphers }),
      ...(o.servername ? { servername: o.servername } : {}),
      timeout: o.timeout,
      maxTime: o.maxTime,
      commands: o.command,
      ...(o.record ? { record: o.record } : {}),
      color: o.color,
      ...(user === undefined ? {} : { user }),
      ...(password === undefined ? {} : { password }),
      verbose: o.verbose,
      ...(o.authzid === undefined ? {} : { authzid: o.authzid }),
      decode: o.decode,
      explain: o.explain,
      ...(o.lang === undefined ? {} : { lang: o.lang }),
    },
  };
}
