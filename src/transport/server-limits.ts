/**
 * What one client may cost mailwire's servers (the sandbox, serve, and any server built on
 * transport/server.ts): the limits as data (name, option, default, what happens when a client
 * reaches one), so the command-line options, the README and the servers read the same table; and
 * the small pure parts that enforce the shared ones: a ledger of connections (in all and per user),
 * a per-user command rate, and a per-user delay after failed logins. Defaults admit a class of
 * students sharing one address and a user, and a few hundred concurrent loopback clients. Pure: the
 * clock is passed in.
 */

export interface ServerLimits {
  /** Open connections, all listeners together. */
  maxConnections: number;
  /** Open, logged-in connections of one user. */
  maxConnectionsPerUser: number;
  /** One command line, without its CRLF. */
  maxLineOctets: number;
  /** A command's lines and literals (APPEND's message apart) before login. */
  maxCommandOctetsBeforeLogin: number;
  /** A command's lines and literals (APPEND's message apart) after login. */
  maxCommandOctets: number;
  /** Literals in one command. */
  maxLiteralsPerCommand: number;
  /** One message (APPEND's literal). */
  maxMessageOctets: number;
  /** Output not yet taken by a slow client before it is disconnected; reading stops long before. */
  maxPendingOutputOctets: number;
  /** All mail held in memory, with messages being received. */
  maxStoreOctets: number;
  /** Mailboxes of one user, and octets of a mailbox name. */
  maxMailboxesPerUser: number;
  maxMailboxNameOctets: number;
  /** Commands one user may run per second, on all connections together (a burst of twice as many first). */
  commandsPerSecondPerUser: number;
  /** Time since the client's last complete command (or the last output it took) before it is logged out. */
  maxIdleMs: number;
  /** Time from connecting to logging in, whatever the client sends meanwhile. */
  maxTimeBeforeLoginMs: number;
}

/** How a limit is shown and set: its option, unit and the answer a client gets when it reaches it. */
export interface LimitDescription {
  key: keyof ServerLimits;
  option: string;
  /** 'time' is kept in milliseconds and written in seconds, or with ms, s, m, h. */
  unit: 'octets' | 'count' | 'per second' | 'time';
  /** What it bounds, for --help and the README. */
  what: string;
  /** What a client gets at the limit. */
  answer: string;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** The defaults: a class of 30+ on one address and one user, 200 loopback clients at once. */
export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = Object.freeze({
  maxConnections: 1000,
  maxConnectionsPerUser: 250,
  maxLineOctets: 64 * KiB,
  maxCommandOctetsBeforeLogin: 16 * KiB,
  maxCommandOctets: 1 * MiB,
  maxLiteralsPerCommand: 16,
  maxMessageOctets: 32 * MiB,
  maxPendingOutputOctets: 64 * MiB,
  maxStoreOctets: 512 * MiB,
  maxMailboxesPerUser: 1000,
  maxMailboxNameOctets: 1024,
  commandsPerSecondPerUser: 500,
  // RFC 3501 §5.4: an IMAP autologout timer is at least 30 minutes (RFC 1939 §3: 10 for POP3), and
  // RFC 2177 §3 has IDLE clients re-issue IDLE at least every 29 minutes, so 30 minutes cuts none.
  maxIdleMs: 30 * MINUTE,
  // Dovecot's login processes give a client 3 minutes to log in; an anonymous connection costs a
  // slot like any other, so it gets less time than a user's.
  maxTimeBeforeLoginMs: 3 * MINUTE,
});

/**
 * serve's defaults where they differ: serve plays a transcript to a client under test, and a client
 * that says nothing for a minute has failed the test (the report says where the transcript waits);
 * a client that is slow on purpose can be given more with --max-idle.
 */
export const DEFAULT_SERVE_LIMITS: Readonly<ServerLimits> = Object.freeze({ ...DEFAULT_SERVER_LIMITS, maxIdleMs: 1 * MINUTE });

export const LIMIT_DESCRIPTIONS: readonly LimitDescription[] = [
  { key: 'maxConnections', option: '--max-connections', unit: 'count', what: 'open connections in all', answer: 'IMAP "* BYE [LIMIT]", POP3 "-ERR [SYS/TEMP]", then closed' },
  { key: 'maxConnectionsPerUser', option: '--max-connections-per-user', unit: 'count', what: 'logged-in connections of one user', answer: 'the login is refused: IMAP "NO [LIMIT]", POP3 "-ERR [SYS/TEMP]"' },
  { key: 'maxLineOctets', option: '--max-line', unit: 'octets', what: 'one command line (POP3: 8 KiB at most)', answer: 'IMAP "* BAD" and "* BYE", POP3 "-ERR"; closed (RFC 3501 §7.1.3)' },
  { key: 'maxCommandOctetsBeforeLogin', option: '--max-command-before-login', unit: 'octets', what: "a command's lines and literals before login", answer: '"BAD [LIMIT]" (RFC 5530), before the literal is read when it is synchronizing; "* BYE" for a non-synchronizing one' },
  { key: 'maxCommandOctets', option: '--max-command', unit: 'octets', what: "a command's lines and literals after login, APPEND's message apart", answer: '"BAD [LIMIT]"' },
  { key: 'maxLiteralsPerCommand', option: '--max-literals', unit: 'count', what: 'literals in one command', answer: '"BAD [LIMIT]"' },
  { key: 'maxMessageOctets', option: '--max-message', unit: 'octets', what: 'one message (APPEND)', answer: '"NO [TOOBIG]" (RFC 4469, RFC 7889), before the literal is read when it is synchronizing' },
  { key: 'maxPendingOutputOctets', option: '--max-pending-output', unit: 'octets', what: 'output a client has not read yet (reading its commands stops at 1 MiB) and one command\'s output', answer: 'a larger FETCH ends with "NO [LIMIT]"; a client that reads nothing is disconnected' },
  { key: 'maxStoreOctets', option: '--max-store', unit: 'octets', what: 'all mail in memory, messages on their way in included', answer: 'APPEND and COPY: "NO [LIMIT]"' },
  { key: 'maxMailboxesPerUser', option: '--max-mailboxes', unit: 'count', what: 'mailboxes of one user', answer: 'CREATE: "NO [LIMIT]"' },
  { key: 'maxMailboxNameOctets', option: '--max-mailbox-name', unit: 'octets', what: 'a mailbox name, and a LIST pattern', answer: 'CREATE, RENAME: "NO [LIMIT]"; LIST: "BAD"' },
  { key: 'commandsPerSecondPerUser', option: '--max-commands-per-second', unit: 'per second', what: 'commands a second of one user, over all their connections', answer: 'commands wait (reading stops) until the rate allows them' },
  { key: 'maxIdleMs', option: '--max-idle', unit: 'time', what: "time since the client's last complete command (a partial one does not count)", answer: 'IMAP "* BYE Autologout; idle for too long", POP3 "-ERR Autologout; idle for too long", then closed; serve: 1 min by default, and the connection fails' },
  { key: 'maxTimeBeforeLoginMs', option: '--max-time-before-login', unit: 'time', what: 'time from connecting to logging in, whatever the client sends meanwhile', answer: 'IMAP "* BYE Autologout; took too long to log in", POP3 "-ERR Autologout; took too long to log in", then closed' },
];

/** What a client that comes when the server is full is told, before the connection closes. */
export const SERVER_FULL: Readonly<Record<'imap' | 'pop3', string>> = {
  // RFC 3501 §7.1.5 BYE at greeting time; RFC 5530 LIMIT.
  imap: '* BYE [LIMIT] Too many connections; try again later\r\n',
  // RFC 3206 §4: SYS/TEMP, a temporary problem of the server.
  pop3: '-ERR [SYS/TEMP] Too many connections; try again later\r\n',
};

/**
 * Reads "64k", "32M", "1G" or a plain number of octets; a count takes a plain number; a time is
 * seconds, or "500ms", "90s", "30m", "1h" (kept in milliseconds). Null when it does not parse.
 */
export function parseLimitValue(text: string, unit: LimitDescription['unit']): number | null {
  if (unit === 'time') return parseTimeValue(text);
  const m = /^\s*(\d+)\s*([kKmMgG]?)i?[bB]?\s*$/.exec(text);
  if (!m) return null;
  if (unit !== 'octets' && m[2] !== '') return null;
  const factor = { '': 1, k: KiB, m: MiB, g: 1024 * MiB }[(m[2] as string).toLowerCase() as '' | 'k' | 'm' | 'g'];
  const value = Number(m[1]) * factor;
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

function parseTimeValue(text: string): number | null {
  const m = /^\s*(\d+)\s*(ms|s|m|min|h)?\s*$/i.exec(text);
  if (!m) return null;
  const factor = { ms: 1, s: SECOND, m: MINUTE, min: MINUTE, h: HOUR }[((m[2] as string | undefined) ?? 's').toLowerCase() as 'ms' | 's' | 'm' | 'min' | 'h'];
  const value = Number(m[1]) * factor;
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** A limit as people read it: "64 KiB", "1000", "30 min". */
export function formatLimitValue(value: number, unit: LimitDescription['unit']): string {
  if (unit === 'time') {
    if (value % HOUR === 0) return `${value / HOUR} h`;
    if (value % MINUTE === 0) return `${value / MINUTE} min`;
    if (value % SECOND === 0) return `${value / SECOND} s`;
    return `${value} ms`;
  }
  if (unit !== 'octets') return String(value);
  if (value % MiB === 0) return `${value / MiB} MiB`;
  if (value % KiB === 0) return `${value / KiB} KiB`;
  return `${value} octets`;
}

/**
 * Open connections, in all and per logged-in user, shared by every listener of a server. A
 * connection is admitted or not when it comes; a login is admitted or not when it succeeds.
 */
export class ConnectionLedger {
  private open = 0;
  private readonly perUser = new Map<string, number>();

  constructor(private readonly limits: Pick<ServerLimits, 'maxConnections' | 'maxConnectionsPerUser'>) {}

  /** A new connection: false when the server is full (the connection is then not counted). */
  admit(): boolean {
    if (this.open >= this.limits.maxConnections) return false;
    this.open++;
    return true;
  }

  release(): void {
    if (this.open > 0) this.open--;
  }

  /** A successful login: false when the user has as many connections as allowed. */
  login(user: string): boolean {
    const n = this.perUser.get(user) ?? 0;
    if (n >= this.limits.maxConnectionsPerUser) return false;
    this.perUser.set(user, n + 1);
    return true;
  }

  logout(user: string): void {
    const n = (this.perUser.get(user) ?? 0) - 1;
    if (n <= 0) this.perUser.delete(user);
    else this.perUser.set(user, n);
  }

  get openConnections(): number {
    return this.open;
  }
}

/**
 * A token bucket per key (a user): `rate` tokens a second, at most `2 * rate` saved up. A command
 * takes a token; with none left it waits (the server stops reading that connection), so a busy
 * user slows down without failing, and other users are not affected. Keys with a full bucket are
 * forgotten, so the map holds only users active in the last seconds.
 */
export class UserRate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rate: number) {}

  /** Takes a token for `key` at `nowMs`: 0 when one was there, else how long to wait for it. */
  take(key: string, nowMs: number): number {
    const burst = 2 * this.rate;
    const b = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    b.tokens = Math.min(burst, b.tokens + ((nowMs - b.at) * this.rate) / 1000);
    b.at = nowMs;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      this.buckets.set(key, b);
      this.forgetIdle(nowMs);
      return 0;
    }
    this.buckets.set(key, b);
    return Math.ceil(((1 - b.tokens) * 1000) / this.rate);
  }

  private forgetIdle(nowMs: number): void {
    if (this.buckets.size < 1024) return;
    for (const [key, b] of this.buckets) if (b.tokens + ((nowMs - b.at) * this.rate) / 1000 >= 2 * this.rate) this.buckets.delete(key);
  }
}

/**
 * Failed logins per user name: after `free` failures in a row, each further attempt for that user
 * waits (1 s, 2 s, 4 s ... up to `maxDelayMs`), on every connection and address alike; a success
 * clears the count. Against guessing a classmate's password, not against the class.
 */
export class FailedLogins {
  private readonly failures = new Map<string, { count: number; notBefore: number }>();

  constructor(
    private readonly free = 3,
    private readonly maxDelayMs = 30_000,
  ) {}

  /** How long an attempt for `user` must wait at `nowMs` (0: it may be judged now). */
  waitFor(user: string, nowMs: number): number {
    const f = this.failures.get(user);
    return f ? Math.max(0, f.notBefore - nowMs) : 0;
  }

  failed(user: string, nowMs: number): void {
    const f = this.failures.get(user) ?? { count: 0, notBefore: 0 };
    f.count++;
    // After `free` failures in a row the next attempt already waits (README: "after 3 in a row").
    const over = f.count - this.free + 1;
    f.notBefore = over > 0 ? nowMs + Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(over - 1, 30)) : 0;
    this.failures.set(user, f);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string);
  }

  succeeded(user: string): void {
    this.failures.delete(user);
  }
}
