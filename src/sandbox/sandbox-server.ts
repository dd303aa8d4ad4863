/**
 * The sandbox: a POP3 + IMAP4rev1 server in memory, for trying and teaching. It puts the store,
 * the users, the TLS certificate and the listeners together; `mailwire demo` runs it in-process
 * and `mailwire sandbox` runs it alone. Behaviour follows the RFCs (GreenMail is the model for an
 * in-memory test server); state is never written to disk.
 */
import { randomInt } from 'node:crypto';
import type { ServerTlsFiles } from '../transport/server.js';
import { ConnectionLedger, DEFAULT_SERVER_LIMITS, FailedLogins, UserRate, type ServerLimits } from '../transport/server-limits.js';
import { ImapServerSession } from './imap-server-session.js';
import { openListener, type ListenerSpec, type RunningListener } from './listeners.js';
import { MailStore, type SeedAccount } from './mail-store.js';
import { Pop3ServerSession } from './pop3-server-session.js';
import { SANDBOX_CERT_FILE, SANDBOX_KEY_FILE } from './sandbox-files.js';
import { SANDBOX_USERS, UserDirectory, type SandboxUser } from './users.js';
import type { CommandLogSink } from './command-log.js';

export interface SandboxOptions {
  listen: readonly ListenerSpec[];
  /** What each account starts with. */
  seed: readonly SeedAccount[];
  users?: readonly SandboxUser[];
  /** Certificate and key files for imaps/pop3s and STARTTLS/STLS; the shipped sandbox certificate when omitted, none when null. */
  tls?: ServerTlsFiles | null;
  /** Refuse plaintext logins until TLS is up (IMAP LOGINDISABLED; POP3 USER/PASS and AUTH). */
  requireTls?: boolean;
  /**
   * A fixed APOP timestamp for every POP3 greeting instead of a fresh one. Only for replaying RFC
   * 1939's example as printed (`<1896.697170952@dbc.mtview.ca.us>`): a fixed timestamp makes APOP
   * digests replayable, which is the very thing RFC 1939 §7 says it must not be.
   */
  apopTimestamp?: string;
  version: string;
  now?: () => Date;
  /** STORAGE quota per account, in units of 1024 octets (default 10240: 10 MiB). */
  quotaLimitKb?: number;
  /** What one client may cost (server-limits.ts); the defaults where omitted. */
  limits?: Partial<ServerLimits>;
  /** Who may do what: OPEN_POLICY unless given (a class sandbox gives CLASS_POLICY). */
  policy?: SandboxPolicy;
  /** A live log of every command read, for the teacher (command-log.ts); none when omitted. */
  log?: CommandLogSink;
}

/**
 * The time limits of a sandbox that only this process's own client uses (demo, step --sandbox), on a
 * loopback port nobody else is told of: none. Its one user reads the help or listens to the teacher
 * before LOGIN, or leaves the shell open over a break; a time limit there guards against nobody.
 */
export const OWN_CLIENT_TIME_LIMITS: Readonly<Pick<ServerLimits, 'maxIdleMs' | 'maxTimeBeforeLoginMs'>> = Object.freeze({
  maxIdleMs: Number.POSITIVE_INFINITY,
  maxTimeBeforeLoginMs: Number.POSITIVE_INFINITY,
});

/** What users may do to the sandbox itself, beyond their own mail. */
export interface SandboxPolicy {
  /** SETQUOTA by the users themselves (RFC 2087's example needs it). */
  usersSetQuota: boolean;
  /** Failed logins slow down per user name: after 3, each attempt waits 1 s, 2 s, 4 s ... 30 s. */
  slowFailedLogins: boolean;
}

/** The sandbox on one's own machine: RFC 2087's SETQUOTA example works as printed. */
export const OPEN_POLICY: Readonly<SandboxPolicy> = Object.freeze({ usersSetQuota: true, slowFailedLogins: false });

/** A sandbox for a class: quotas are the teacher's, and guessing a classmate's password is slow. */
export const CLASS_POLICY: Readonly<SandboxPolicy> = Object.freeze({ usersSetQuota: false, slowFailedLogins: true });

/** The policies by the name `mailwire sandbox --policy` takes. */
export const SANDBOX_POLICIES: Readonly<Record<'open' | 'class', Readonly<SandboxPolicy>>> = { open: OPEN_POLICY, class: CLASS_POLICY };

export interface SandboxListener {
  spec: ListenerSpec;
  host: string;
  port: number;
  /** imap://127.0.0.1:10143, pop3s://[::1]:10995 ... */
  url: string;
}

export interface Sandbox {
  listeners: readonly SandboxListener[];
  store: MailStore;
  users: UserDirectory;
  close(): Promise<void>;
}

/** The URL of a listener, in curl's schemes (IPv6 in brackets). */
export function listenerUrl(spec: Pick<ListenerSpec, 'protocol' | 'tls'>, host: string, port: number): string {
  const scheme = `${spec.protocol}${spec.tls === 'implicit' ? 's' : ''}`;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** The shipped certificate and key (sandbox/certs). */
export const SANDBOX_TLS_FILES: ServerTlsFiles = { certFile: SANDBOX_CERT_FILE, keyFile: SANDBOX_KEY_FILE };

/** Starts the listeners; on failure, those already started are closed again. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const now = options.now ?? (() => new Date());
  const credentials = options.tls === undefined ? SANDBOX_TLS_FILES : options.tls;
  const limits: ServerLimits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const policy = options.policy ?? OPEN_POLICY;
  const store = new MailStore(options.seed, {
    firstUidValidity: Math.floor(now().getTime() / 1000),
    quotaLimitKb: options.quotaLimitKb ?? 10 * 1024,
    maxOctets: limits.maxStoreOctets,
  });
  const users = new UserDirectory(options.users ?? SANDBOX_USERS);
  // Shared by every listener: IMAP and POP3 connections of a user count together.
  const connections = new ConnectionLedger(limits);
  const rate = new UserRate(limits.commandsPerSecondPerUser);
  const failedLogins = policy.slowFailedLogins ? new FailedLogins() : null;
  let greeted = 0;
  /** Connections are numbered from 1 (IMAP and POP3 together), so the log can say who is who. */
  let connectionIds = 0;
  const log = options.log ?? null;
  const timestamp = () => options.apopTimestamp ?? `<${randomInt(1, 100000)}.${now().getTime()}.${++greeted}@mailwire-sandbox>`;

  const running: RunningListener[] = [];
  try {
    for (const spec of options.listen) {
      const implicitTls = spec.tls === 'implicit';
      running.push(
        await openListener(
          spec,
          (onAsync) =>
            spec.protocol === 'imap'
              ? new ImapServerSession({
                  store,
                  users,
                  tlsAvailable: credentials !== null,
                  implicitTls,
                  requireTls: options.requireTls ?? false,
                  version: options.version,
                  onAsync,
                  now,
                  limits,
                  connections,
                  rate,
                  failedLogins,
                  usersSetQuota: policy.usersSetQuota,
                  log,
                  connectionId: ++connectionIds,
                })
              : new Pop3ServerSession({
                  store,
                  users,
                  tlsAvailable: credentials !== null,
                  implicitTls,
                  requireTls: options.requireTls ?? false,
                  timestamp: timestamp(),
                  limits,
                  connections,
                  rate,
                  failedLogins,
                  now,
                  log,
                  connectionId: ++connectionIds,
                }),
          credentials,
          { connections, limits },
        ),
      );
    }
  } catch (error) {
    await Promise.all(running.map((l) => l.close()));
    throw error;
  }
  return {
    listeners: running.map((l) => ({ spec: l.spec, host: l.host, port: l.port, url: listenerUrl(l.spec, l.host, l.port) })),
    store,
    users,
    close: async () => {
      await Promise.all(running.map((l) => l.close()));
    },
  };
}
