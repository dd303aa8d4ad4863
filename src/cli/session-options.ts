/**
 * The session command's options as data: flags, help text, value parsers and defaults, read by
 * commander (options.ts, for --help, errors and every unusual command line) and by the plain parser
 * (plain-command-line.ts), which parses the common command lines without loading commander. Both
 * give the same options; the conversion to CliOptions is here, once.
 */
import type { TlsVersion } from '../transport/connection.js';
import { parseLanguage, type Language } from '../protocol/explain/language.js';
import { collectValues, limitOf, OptionValueError, parsePlainCommandLine, parseSeconds, type OptionSpec, type ParsedCommandLine } from './plain-command-line.js';

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

/** "1.2", "tls1.2", "TLSv1.2" -> "TLSv1.2" (Node's names). */
function parseTlsVersion(value: string): TlsVersion {
  const m = /^(?:tls\s*v?)?1(?:\.([0-3]))?$/i.exec(value.trim());
  if (!m) throw new OptionValueError('expected a TLS version: 1.0, 1.1, 1.2 or 1.3 (or TLSv1.2 ...)');
  const minor = m[1] ?? '0';
  return minor === '0' ? 'TLSv1' : (`TLSv1.${minor}` as TlsVersion);
}

/** --lang: "en" or "ru" (a locale name such as ru_RU.UTF-8 will do). */
export function parseLanguageValue(value: string): Language {
  const language = parseLanguage(value);
  if (language === null) throw new OptionValueError('expected en or ru');
  return language;
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter((v) => v !== '')];
}

/** The session command's options, in the order --help lists them. */
export const SESSION_OPTIONS: readonly OptionSpec[] = [
  { flags: '--protocol <name>', description: 'protocol when the target does not say it', choices: ['imap', 'pop3'] },
  { flags: '--starttls', description: 'upgrade to TLS right after the greeting (IMAP STARTTLS, POP3 STLS); stop if refused', default: false },
  { flags: '-k, --insecure', description: 'do not verify the server certificate (says so in the TLS summary)', default: false },
  { flags: '--ca <path>', description: 'trust the CA certificates (PEM) of this file or folder too (repeatable)', parse: collectValues, default: [] },
  { flags: '--servername <name>', description: 'TLS server name (SNI) and name to verify, if not the target host' },
  { flags: '--timeout <seconds>', description: 'limit for connecting, the greeting and each reply (idle time: reset while data flows); 0 for none', parse: parseSeconds, default: 30 },
  { flags: '--max-time <seconds>', description: 'limit for the whole session, however the server trickles its data (exit 4); none by default, and IDLE or the shell are bounded only when given', parse: parseSeconds, default: null },
  { flags: '-c, --command <line>', description: 'send this line (repeatable; replaces standard input)', parse: collectValues, default: [] },
  { flags: '--record <file>', description: 'write the session to FILE as a transcript, line by line (secrets masked; mailwire replay plays it back)' },
  { flags: '--no-color', description: 'no colors, even on a terminal (NO_COLOR and FORCE_COLOR are honoured too)' },
  { flags: '--show-certs', description: 'after each TLS handshake, show the whole chain, ALPN, SNI and the verification in detail (-v does too)', default: false },
  { flags: '--cert <file>', description: 'client certificate (PEM) to present; for SASL EXTERNAL and servers that ask for one' },
  { flags: '--key <file>', description: 'private key (PEM) of --cert, when not in the same file' },
  { flags: '--tls-min <version>', description: 'lowest TLS version to offer: 1.0, 1.1, 1.2 or 1.3', parse: parseTlsVersion },
  { flags: '--tls-max <version>', description: 'highest TLS version to offer: 1.0, 1.1, 1.2 or 1.3', parse: parseTlsVersion },
  { flags: '--ciphers <list>', description: 'OpenSSL cipher list and/or TLS 1.3 suites, colon-separated' },
  { flags: '--alpn <protocols>', description: 'protocols to offer by ALPN, comma-separated (e.g. imap)', parse: collectList, default: [] },
  {
    flags: '-u, --user <name[:password]>',
    description: 'user name for the logins mailwire runs (asked for when absent); USER:PASSWORD, as curl splits it, also logs in right after the greeting',
  },
  { flags: '-v, --verbose', description: "more detail: the TLS details of --show-certs, and each reply's latency also when the output is not a terminal", default: false },
  { flags: '--authzid <name>', description: 'SASL authorization identity: log in as --user, act as NAME (e.g. a Dovecot master user)' },
  { flags: '--no-decode', description: 'no decoded views (# lines with mUTF-7 mailbox names, MIME encoded-words, BODYSTRUCTURE trees)' },
  { flags: '--explain', description: 'under each command and response, what it means here, with its RFC section (.explain in the shell)', default: false },
  {
    flags: '--lang <code>',
    description: 'language of explanations, help texts, state names and the session\'s own # lines (a --record file stays English): en or ru (default: from LC_ALL, LC_MESSAGES, LANG)',
    parse: parseLanguageValue,
  },
];

/** The options as commander's opts() and the plain parser name them. */
interface SessionOpts {
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
}

/** CliOptions of a parsed command line (commander's or the plain parser's: the same shape). */
export function sessionOptionsOf(parsed: ParsedCommandLine): CliOptions {
  const o = parsed.opts as unknown as SessionOpts;
  // curl's -u USER:PASSWORD: the first colon splits (a user name with a colon cannot be given this way).
  const colon = o.user === undefined ? -1 : o.user.indexOf(':');
  const user = o.user === undefined || colon < 0 ? o.user : o.user.slice(0, colon);
  const password = o.user === undefined || colon < 0 ? undefined : o.user.slice(colon + 1);
  return {
    target: parsed.args[0] as string,
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
    timeout: limitOf(o.timeout),
    maxTime: limitOf(o.maxTime),
    commands: o.command,
    ...(o.record === undefined ? {} : { record: o.record }),
    color: o.color,
    ...(user === undefined ? {} : { user }),
    ...(password === undefined ? {} : { password }),
    verbose: o.verbose,
    ...(o.authzid === undefined ? {} : { authzid: o.authzid }),
    decode: o.decode,
    explain: o.explain,
    ...(o.lang === undefined ? {} : { lang: o.lang }),
  };
}

/**
 * The options of a plain command line (`imap://host -c NOOP --timeout 60`), without commander; null
 * when only commander can tell (help, the version, an error, an unusual form).
 */
export function parsePlainSessionLine(argv: readonly string[]): CliOptions | null {
  const parsed = parsePlainCommandLine(argv, SESSION_OPTIONS, { min: 1, max: 1 });
  return parsed ? sessionOptionsOf(parsed) : null;
}
