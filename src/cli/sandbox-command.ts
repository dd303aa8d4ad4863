/**
 * `mailwire sandbox [--listen ADDRESS ...]`: runs the built-in POP3 + IMAP4 server on its own until
 * Ctrl-C (SIGINT) or SIGTERM, printing one URL per listener and the users, for a class whose
 * students connect with mailwire or any other client. Loopback unless another address is asked for.
 * With `--students N`, a class sandbox: an account per student, each seeded with the lecture's
 * mailboxes, the passwords in a roster file, the class policy, and a live log of every command.
 */
import { Command, Option } from 'commander';
import type { Env } from '../env.js';
import { MailwireError } from '../errors.js';
import type { ListenerSpec } from '../sandbox/listeners.js';
import type { SeedAccount } from '../sandbox/mail-store.js';
import { SANDBOX_CA_FILE, SANDBOX_MESSAGES_DIR } from '../sandbox/sandbox-files.js';
import { SANDBOX_POLICIES, startSandbox } from '../sandbox/sandbox-server.js';
import { addLimitOptions, readLimitOptions } from './limit-options.js';
import { readExampleAccounts, readMailFolder } from '../sandbox/seed-files.js';
import { SANDBOX_USERS } from '../sandbox/users.js';
import { ExitCode } from './exit-codes.js';
import { parseSubcommand } from './subcommand-options.js';
import { VERSION } from './version.js';
import { makeClass, MAX_STUDENTS, parseStudentCount, rosterText } from '../sandbox/class-roster.js';
import { readLectureMailboxes } from '../sandbox/lecture-seed.js';
import { formatCommandLogLine } from '../render/command-log-line.js';
import { BoundedLogWriter } from './bounded-log-writer.js';
import { openLogFile, openTerminalLog, writeRoster } from './roster-file.js';
import { untilStopSignal } from './stop-signal.js';

interface SandboxCommandOptions {
  listen: string[];
  maildir?: string;
  cert?: string;
  key?: string;
  tls: boolean;
  requireTls: boolean;
  apopTimestamp?: string;
  policy?: 'open' | 'class';
  students?: string;
  roster?: string;
  log?: string;
}

const SCHEMES: Record<string, Pick<ListenerSpec, 'protocol' | 'tls'>> = {
  imap: { protocol: 'imap', tls: 'plain' },
  imaps: { protocol: 'imap', tls: 'implicit' },
  pop3: { protocol: 'pop3', tls: 'plain' },
  pop3s: { protocol: 'pop3', tls: 'implicit' },
};

/** Well-known ports (IANA) say the protocol of a bare HOST:PORT. */
const WELL_KNOWN: Record<number, Pick<ListenerSpec, 'protocol' | 'tls'>> = {
  143: SCHEMES.imap as ListenerSpec,
  993: SCHEMES.imaps as ListenerSpec,
  110: SCHEMES.pop3 as ListenerSpec,
  995: SCHEMES.pop3s as ListenerSpec,
};

const ALL_KINDS = ['imap', 'imaps', 'pop3', 'pop3s'] as const;

function usage(text: string, why: string): MailwireError {
  return new MailwireError('usage', `--listen ${text}: ${why}`);
}

/**
 * Reads one --listen value:
 * - `imap://HOST[:PORT]` (imaps, pop3, pop3s): one listener; no port, or 0, means a free one;
 * - `HOST:PORT` with a well-known port (143, 993, 110, 995): that protocol;
 * - `HOST` alone: all four listeners on HOST, on free ports.
 * IPv6 addresses go in brackets when a port follows ([::1]:993).
 */
export function parseListenAddress(text: string): ListenerSpec[] {
  const input = text.trim();
  const url = /^([a-z0-9]+):\/\/(.*?)\/?$/i.exec(input);
  const authority = url ? (url[2] as string) : input;
  let host: string;
  let port: number | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(authority);
  if (bracketed) {
    host = bracketed[1] as string;
    if (bracketed[2] !== undefined) port = Number(bracketed[2]);
  } else if ((authority.match(/:/g) ?? []).length >= 2) {
    host = authority; // a bare IPv6 address: no port
  } else {
    const [h, p] = authority.split(':');
    host = h ?? '';
    if (p !== undefined) {
      if (!/^\d+$/.test(p)) throw usage(text, `"${p}" is not a port`);
      port = Number(p);
    }
  }
  if (host === '' || /[\s/@]/.test(host)) throw usage(text, 'expected [SCHEME://]HOST[:PORT], e.g. imap://127.0.0.1:1143 or 0.0.0.0');
  if (port !== null && port > 65535) throw usage(text, `port ${port} is out of range`);
  if (url) {
    const kind = SCHEMES[(url[1] as string).toLowerCase()];
    if (!kind) throw usage(text, `unknown scheme "${url[1]}://" (use imap://, imaps://, pop3:// or pop3s://)`);
    return [{ ...kind, host, port: port ?? 0 }];
  }
  if (port === null) return ALL_KINDS.map((k) => ({ ...(SCHEMES[k] as ListenerSpec), host, port: 0 }));
  const known = WELL_KNOWN[port];
  if (!known) throw usage(text, `port ${port} does not say the protocol: write imap://${input}, pop3://${input}, ...`);
  return [{ ...known, host, port }];
}

/** Loopback addresses: what the sandbox listens on unless told otherwise. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function buildProgram(): Command {
  const program = new Command()
    .name('mailwire sandbox')
    .description(
      'Run the built-in POP3 + IMAP4 server until Ctrl-C: in memory, with the documents\' example messages and users, ' +
        'for trying clients and for a class. Prints one URL per listener.',
    )
    .option('--listen <address>', 'where to listen (repeatable): imap://HOST[:PORT], imaps://, pop3://, pop3s://, HOST:143|993|110|995, or HOST for all four; default 127.0.0.1, free ports', (v: string, prev: string[]) => [...prev, v], [])
    .option('--maildir <dir>', "every user's mailboxes from DIR (a Maildir, or a folder of .eml files) instead of the examples")
    .option('--cert <file>', 'certificate (PEM) for imaps/pop3s and STARTTLS/STLS instead of the sandbox certificate')
    .option('--key <file>', 'private key (PEM) of --cert')
    .option('--no-tls', 'no TLS at all: no imaps/pop3s listeners, no STARTTLS/STLS')
    .option('--require-tls', 'refuse plaintext logins until STARTTLS/STLS (IMAP advertises LOGINDISABLED)', false)
    .option('--apop-timestamp <stamp>', 'greet every POP3 client with this APOP timestamp, e.g. "<1896.697170952@dbc.mtview.ca.us>", so RFC 1939\'s example replays as printed (never do this on a real server)')
    .addOption(
      new Option('--policy <name>', 'open: users may change their own quota (RFC 2087\'s SETQUOTA example); class: quotas are fixed and failed logins slow down per user (default: class with --students, else open)')
        .choices(['open', 'class']),
    )
    .option('--students <n>', `a class sandbox: accounts student01 .. studentNN (1 to ${MAX_STUDENTS}), each with the lecture's messages and its own password, written to the roster`)
    .option('--roster <file>', 'with --students: write the roster (the passwords) to FILE, replacing a FILE that exists; default: ./mailwire-roster.txt, or the next free name (mailwire-roster-2.txt ...) when it exists')
    .option('--log <file>', 'a live log of every command, one line each (who, when, what; secrets masked) to FILE (appended, mode 0600), or - for the terminal; with --students it goes to the terminal unless given');
  return addLimitOptions(program).addHelpText(
      'after',
      `
Users (their secrets are published: the sandbox is for examples, not for mail):
${SANDBOX_USERS.map((u) => `  ${`${u.name} / ${u.password}`.padEnd(24)} ${u.source}`).join('\n')}

TLS: the sandbox certificate is for localhost, 127.0.0.1 and ::1, signed by the sandbox CA:
  ${SANDBOX_CA_FILE}
Give that file to clients: mailwire --ca FILE, curl --cacert FILE, Python ssl.create_default_context(cafile=FILE).

Limits: each bounds what one client may cost (sizes in octets, or 64k, 32M, 1G); the defaults admit a class of 30+ sharing one address
and one user, and a few hundred clients at once. Commands over a user's rate wait; a client that
reaches another limit gets the answer the README lists (BAD, NO [LIMIT], NO [TOOBIG], * BYE).

Class sandbox (--students N): every student has an account of their own, student01 .. studentNN, with
the lecture's INBOX (message 2 has UID 34 and 743 octets, as on the slides) and a fresh password each
start. The passwords go to the roster file only (mode 0600; its path is printed): print it and hand
the lines out. The live log shows each command with its time, connection and user, passwords masked.
--students implies --policy class: students cannot change their quota, and a user's failed logins
slow down that user only. The example users above stay, for the teacher's demonstrations.

Examples:
  mailwire sandbox                                all four listeners on 127.0.0.1, free ports
  mailwire sandbox --students 30 --listen 0.0.0.0 a class of 30 on every address; roster in ./mailwire-roster.txt
  mailwire sandbox --students 30 --roster class.txt --log class-log.txt
  mailwire sandbox --log -                        the usual sandbox, with the live log on the terminal
  mailwire sandbox --listen imap://127.0.0.1:1143 --listen pop3://127.0.0.1:1110
  mailwire sandbox --require-tls                  LOGIN only after STARTTLS, as RFC 3501 §6.2.1 shows
  mailwire sandbox --maildir ~/Maildir            your own messages instead of the examples
Then, in another terminal: mailwire imap://127.0.0.1:1143 -c 'LOGIN joe password' -c LOGOUT`,
    );
}

function seedFromFolder(dir: string): SeedAccount[] {
  const mailboxes = readMailFolder(dir);
  return SANDBOX_USERS.map((u) => ({ user: u.name, mailboxes }));
}

/** The log on the terminal: a stream of its own where the system allows (roster-file.ts), else stdout as it is. */
function terminalLogWriter(env: Env): BoundedLogWriter {
  const own = env.stdout === process.stdout ? openTerminalLog() : null;
  return own ? new BoundedLogWriter(own) : new BoundedLogWriter(env.stdout, false);
}

export async function run(argv: readonly string[], env: Env): Promise<number> {
  const parsed = parseSubcommand<SandboxCommandOptions>(buildProgram(), argv, env);
  if (parsed === null) return ExitCode.Ok;
  const { opts } = parsed;
  const studentCount = opts.students === undefined ? null : parseStudentCount(opts.students);
  if (studentCount === null && opts.roster !== undefined) throw new MailwireError('usage', '--roster goes with --students N');
  const policy = opts.policy ?? (studentCount === null ? 'open' : 'class');
  if ((opts.cert === undefined) !== (opts.key === undefined)) throw new MailwireError('usage', '--cert and --key go together');
  if (!opts.tls && opts.cert !== undefined) throw new MailwireError('usage', '--no-tls and --cert contradict each other');
  if (opts.apopTimestamp !== undefined && !/^<[^<>@\s]+@[^<>@\s]+>$/.test(opts.apopTimestamp)) {
    throw new MailwireError('usage', `--apop-timestamp ${opts.apopTimestamp}: expected <something@host> (RFC 1939 §7 msg-id form)`);
  }
  let listen = (opts.listen.length === 0 ? ['127.0.0.1'] : opts.listen).flatMap(parseListenAddress);
  if (!opts.tls) {
    const implicit = listen.filter((l) => l.tls === 'implicit');
    if (opts.listen.some((l) => /^(imaps|pop3s):/i.test(l) || /:(993|995)$/.test(l))) throw new MailwireError('usage', '--no-tls cannot serve imaps/pop3s');
    listen = listen.filter((l) => !implicit.includes(l));
  }
  const examples = opts.maildir === undefined ? readExampleAccounts(SANDBOX_MESSAGES_DIR) : seedFromFolder(opts.maildir);
  const students = studentCount === null ? [] : makeClass(studentCount);
  // Every student starts with the same mailboxes: the lecture's, or the --maildir folder's.
  const lecture = students.length === 0 ? [] : opts.maildir === undefined ? readLectureMailboxes() : readMailFolder(opts.maildir);
  const seed = [...examples, ...students.map((s) => ({ user: s.name, mailboxes: lecture }))];
  // The log opens before the server does, so that a log that cannot be written stops nothing running.
  const logTarget = opts.log ?? (studentCount === null ? null : '-');
  const log = logTarget === null ? null : logTarget === '-' ? { path: null, writer: terminalLogWriter(env) } : (({ path, stream }) => ({ path, writer: new BoundedLogWriter(stream) }))(openLogFile(logTarget, env.cwd));
  const started = startSandbox({
    listen,
    seed,
    users: [...SANDBOX_USERS, ...students],
    ...(log === null ? {} : { log: (entry) => log.writer.write(formatCommandLogLine(entry)) }),
    version: VERSION,
    tls: !opts.tls ? null : opts.cert !== undefined && opts.key !== undefined ? { certFile: opts.cert, keyFile: opts.key } : undefined,
    requireTls: opts.requireTls,
    limits: readLimitOptions(opts as unknown as Record<string, unknown>),
    policy: SANDBOX_POLICIES[policy],
    ...(opts.apopTimestamp === undefined ? {} : { apopTimestamp: opts.apopTimestamp }),
  });
  const sandbox = await started.catch(async (error: unknown) => {
    await log?.writer.close();
    throw error;
  });
  const out = (line: string) => env.stdout.write(`${line}\n`);
  let rosterPath: string | null = null;
  if (students.length > 0) {
    try {
      rosterPath = writeRoster(rosterText(students, { started: new Date(), urls: sandbox.listeners.map((l) => l.url) }), opts.roster, env.cwd);
    } catch (error) {
      await sandbox.close();
      await log?.writer.close();
      throw error;
    }
  }
  out(`mailwire sandbox ${VERSION}: POP3 + IMAP4rev1 in memory (nothing is written to disk), ${opts.maildir === undefined ? "the documents' example messages" : `messages from ${opts.maildir}`}`);
  for (const l of sandbox.listeners) out(`  ${l.url}`);
  out("users (published secrets: examples, not mail):");
  for (const u of SANDBOX_USERS) out(`  ${`${u.name} / ${u.password}`.padEnd(24)} ${u.source}`);
  if (rosterPath !== null) {
    out(`class: ${students.length} student${students.length === 1 ? '' : 's'}, ${students[0]?.name}${students.length > 1 ? ` .. ${students[students.length - 1]?.name}` : ''}, each with the lecture's mailboxes; policy ${policy}`);
    out(`roster (the students' passwords, mode 0600): ${rosterPath}`);
  }
  if (log !== null) out(`log: one line per command, secrets masked: ${log.path ?? 'on this terminal'}`);
  if (opts.tls) {
    out(opts.cert === undefined ? `TLS: sandbox certificate for localhost, 127.0.0.1, ::1; trust ${SANDBOX_CA_FILE}` : `TLS: certificate ${opts.cert}`);
  }
  const first = sandbox.listeners.find((l) => l.spec.protocol === 'imap') ?? sandbox.listeners[0];
  if (first) out(`try: mailwire ${first.url} -c 'LOGIN joe password' -c 'SELECT INBOX' -c LOGOUT`);
  if (opts.apopTimestamp !== undefined) env.stderr.write(`mailwire sandbox: warning: every POP3 greeting carries ${opts.apopTimestamp}: APOP digests can be replayed\n`);
  const exposed = sandbox.listeners.filter((l) => !isLoopback(l.host));
  if (exposed.length > 0) {
    env.stderr.write(`mailwire sandbox: warning: listening beyond loopback (${exposed.map((l) => l.url).join(', ')}): anyone who can reach it can log in with the published passwords\n`);
  }
  out('Ctrl-C stops the sandbox.');

  const signal = await untilStopSignal();
  await sandbox.close();
  await log?.writer.close();
  out(`mailwire sandbox stopped (${signal})`);
  return ExitCode.Ok;
}
