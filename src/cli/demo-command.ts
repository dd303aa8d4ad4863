/**
 * `mailwire demo [imap|pop3|imaps|pop3s]`: starts the sandbox in this process on a free loopback
 * port, with the documents' example messages, and opens a session on it: the interactive one at a
 * terminal, the scripted one with -c or a pipe. Nothing to install, nothing written to disk; the
 * sandbox goes when the session ends. TLS connections verify the sandbox's certificate against the
 * sandbox CA shipped with mailwire (as --ca would).
 */
import { Argument, Command } from 'commander';
import type { Env } from '../env.js';
import { SANDBOX_CA_FILE, SANDBOX_MESSAGES_DIR } from '../sandbox/sandbox-files.js';
import { OWN_CLIENT_TIME_LIMITS, startSandbox } from '../sandbox/sandbox-server.js';
import type { SeedAccount } from '../sandbox/mail-store.js';
import { readExampleAccounts, readMailFolder } from '../sandbox/seed-files.js';
import { SANDBOX_USERS } from '../sandbox/users.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { VERSION } from './version.js';
import { parseLanguageOption, parseSecondsOption } from './options.js';
import { collectValues, limitOf } from './plain-command-line.js';
import { languageFromEnvironment, type Language } from '../protocol/explain/language.js';
import { Words } from '../protocol/explain/words.js';

interface DemoOptions {
  starttls: boolean;
  command: string[];
  record?: string;
  timeout: number | null;
  maildir?: string;
  color: boolean;
  showCerts: boolean;
  user?: string;
  decode: boolean;
  explain: boolean;
  lang?: Language;
}

const KINDS = ['imap', 'pop3', 'imaps', 'pop3s'] as const;
type DemoKind = (typeof KINDS)[number];

function buildProgram(): Command {
  return new Command()
    .name('mailwire demo')
    .description(
      'Start the built-in sandbox server (POP3 + IMAP4, in memory, on a free loopback port) and open a session on it. ' +
        'Log in as joe / password (IMAP examples) or mrose / tanstaaf (RFC 1939\'s APOP example).',
    )
    .addArgument(new Argument('[protocol]', 'which server to talk to').choices(KINDS).default('imap'))
    .option('--starttls', 'upgrade with STARTTLS / STLS right after the greeting', false)
    .option('-c, --command <line>', 'send this line (repeatable; replaces standard input)', collectValues, [])
    .option('--record <file>', 'write the session to FILE as a transcript (secrets masked)')
    .option('--timeout <seconds>', 'limit for the greeting and each reply; 0 for none', parseSecondsOption, 30)
    .option('--maildir <dir>', "every user's mailboxes from DIR (a Maildir, or a folder of .eml files) instead of the examples")
    .option('--no-color', 'no colors, even on a terminal')
    .option('--no-decode', 'no decoded views (# lines with encoded-words, BODYSTRUCTURE trees, mUTF-7 names)')
    .option('--show-certs', 'after the TLS handshake, show the certificate chain and the verification in detail', false)
    .option('-u, --user <name>', 'user name for AUTHENTICATE / AUTH exchanges mailwire runs')
    .option('--explain', 'under each command and response, what it means here, with its RFC section', false)
    .option('--lang <code>', 'language of explanations, help texts and state names: en or ru (default: from the locale)', parseLanguageOption)
    .addHelpText(
      'after',
      `
Examples:
  mailwire demo                                   talk IMAP to the sandbox at the terminal
  mailwire demo imap -c 'LOGIN joe password' -c 'SELECT INBOX' -c 'FETCH 1:* ENVELOPE' -c LOGOUT
  MAILWIRE_PASSWORD=tanstaaf mailwire demo pop3 -c 'APOP mrose' -c STAT -c QUIT
  mailwire demo imaps --show-certs                TLS from the first byte, the chain in detail

The sandbox's messages are the documents' examples (RFC 3501, RFC 1939, RFC 2046, RFC 2047 and the
lecture's); changes last as long as the session. mailwire sandbox runs the same server on its own.`,
    );
}

/** Every sandbox user gets the mailboxes of DIR (each a copy of its own). */
function seedFromFolder(dir: string): SeedAccount[] {
  const mailboxes = readMailFolder(dir);
  return SANDBOX_USERS.map((u) => ({ user: u.name, mailboxes }));
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<DemoOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { opts } = parsed;
  const kind = (parsed.args[0] ?? 'imap') as DemoKind;
  const protocol = kind.startsWith('imap') ? 'imap' : 'pop3';
  const implicit = kind.endsWith('s');
  const seed = opts.maildir === undefined ? readExampleAccounts(SANDBOX_MESSAGES_DIR) : seedFromFolder(opts.maildir);
  const sandbox = await startSandbox({ listen: [{ protocol, tls: implicit ? 'implicit' : 'plain', host: '127.0.0.1', port: 0 }], seed, version: VERSION, limits: OWN_CLIENT_TIME_LIMITS });
  try {
    const url = (sandbox.listeners[0] as { url: string }).url;
    const interactive = opts.command.length === 0 && env.stdinIsTTY;
    if (interactive) {
      const words = new Words(opts.lang ?? languageFromEnvironment(env.vars));
      env.stdout.write(`# ${words.text('demo.banner', { url })}\n# ${words.text(`demo.try.${protocol}`)}\n`);
    }
    const { runSession } = await import('./session-command.js');
    return await runSession(
      {
        target: url,
        starttls: opts.starttls,
        insecure: false,
        ca: [SANDBOX_CA_FILE],
        alpn: [],
        showCerts: opts.showCerts,
        maxTime: null,
        verbose: false,
        timeout: limitOf(opts.timeout),
        commands: opts.command,
        ...(opts.record === undefined ? {} : { record: opts.record }),
        color: opts.color,
        decode: opts.decode,
        explain: opts.explain,
        ...(opts.lang === undefined ? {} : { lang: opts.lang }),
        ...(opts.user === undefined ? {} : { user: opts.user }),
      },
      env,
    );
  } finally {
    await sandbox.close();
  }
}
