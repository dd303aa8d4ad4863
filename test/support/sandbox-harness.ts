/**
 * Drives the sandbox's sans-io server sessions in tests, the way the RFCs print a session: client
 * lines go in, and the server's lines that follow must be the ones the transcript shows. In an
 * expected server line, `$` stands for one token that varies (a UIDVALIDITY, a timestamp).
 */
import { expect } from 'vitest';
import { ImapServerSession, type ServerAction } from '../../src/sandbox/imap-server-session.js';
import { MailStore, type SeedAccount } from '../../src/sandbox/mail-store.js';
import { Pop3ServerSession } from '../../src/sandbox/pop3-server-session.js';
import { SANDBOX_MESSAGES_DIR } from '../../src/sandbox/sandbox-files.js';
import { readExampleAccounts } from '../../src/sandbox/seed-files.js';
import { SANDBOX_USERS, UserDirectory } from '../../src/sandbox/users.js';
import type { ImapServerSessionOptions } from '../../src/sandbox/imap-server-session.js';
import type { Pop3ServerSessionOptions } from '../../src/sandbox/pop3-server-session.js';
import type { SandboxOptions } from '../../src/sandbox/sandbox-server.js';

/** Plain IMAP and POP3 on loopback ports the system picks: the listeners most tests of a running sandbox want. */
export function plainLoopbackListeners(): SandboxOptions['listen'] {
  return [
    { protocol: 'imap', tls: 'plain', host: '127.0.0.1', port: 0 },
    { protocol: 'pop3', tls: 'plain', host: '127.0.0.1', port: 0 },
  ];
}

/** A fixed clock: UIDVALIDITY and APPEND's default internal date come from it. */
export const SANDBOX_NOW = new Date('2024-03-01T12:00:00Z');

let examples: SeedAccount[] | null = null;

/** The shipped example messages, read once. */
export function exampleSeed(): SeedAccount[] {
  examples ??= readExampleAccounts(SANDBOX_MESSAGES_DIR);
  return examples;
}

export interface SandboxWorld {
  store: MailStore;
  users: UserDirectory;
}

/** A fresh store with the example messages (or the given seed). */
export function sandboxWorld(seed: readonly SeedAccount[] = exampleSeed(), quotaLimitKb = 10 * 1024, maxStoreOctets?: number): SandboxWorld {
  const store = new MailStore(seed, { firstUidValidity: Math.floor(SANDBOX_NOW.getTime() / 1000), quotaLimitKb, ...(maxStoreOctets === undefined ? {} : { maxOctets: maxStoreOctets }) });
  return { store, users: new UserDirectory(SANDBOX_USERS) };
}

/** One client connection to a server session: what it was sent, whether it closed or started TLS. */
export class Connection {
  /** Everything the server wrote, in order, including what came between reads (IDLE). */
  private output: Buffer[] = [];
  private read = 0;
  closed = false;
  tlsStarts = 0;
  /** Yields with a wait (a user over the command rate) not yet resumed: resumeNow() does. */
  waits: number[] = [];
  /** Turns the session yielded (a yield without a wait is resumed at once, as the runner would once the output drained). */
  turns = 0;

  constructor(readonly session: { receive(b: Buffer): ServerAction[]; greeting(): ServerAction[]; resume(): ServerAction[] }) {}

  perform(actions: ServerAction[]): void {
    for (const a of actions) {
      if (a.type === 'send') this.output.push(a.bytes);
      else if (a.type === 'close') this.closed = true;
      else if (a.type === 'yield') {
        this.turns++;
        if (a.afterMs > 0) this.waits.push(a.afterMs);
        else this.perform(this.session.resume());
      } else this.tlsStarts++;
    }
  }

  /** The wait is over (the test moved its clock): the session goes on. */
  resumeNow(): string {
    this.waits = [];
    this.perform(this.session.resume());
    return this.take();
  }

  /** What the server wrote since the last call, as text (latin1: bytes stay bytes). */
  take(): string {
    const all = Buffer.concat(this.output).toString('latin1');
    const fresh = all.slice(this.read);
    this.read = all.length;
    return fresh;
  }

  /** Sends raw bytes (the caller writes the CRLFs) and returns what the server wrote in reply. */
  sendRaw(bytes: string | Buffer): string {
    this.perform(this.session.receive(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes));
    return this.take();
  }

  /** Sends lines, each followed by CRLF, and returns the server's reply lines. */
  send(...lines: string[]): string[] {
    return splitLines(this.sendRaw(lines.map((l) => `${l}\r\n`).join('')));
  }
}

/** Server output as lines (CRLF removed); a final empty piece is dropped. */
export function splitLines(text: string): string[] {
  const lines = text.split('\r\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export interface ImapOptions extends Partial<Pick<ImapServerSessionOptions, 'limits' | 'connections' | 'rate' | 'failedLogins' | 'usersSetQuota' | 'now'>> {
  tlsAvailable?: boolean;
  implicitTls?: boolean;
  requireTls?: boolean;
  maxAppendOctets?: number;
}

/** An IMAP connection to the sandbox, past its greeting. */
export function imapConnection(world: SandboxWorld, options: ImapOptions = {}): Connection & { greetingLine: string; imap: ImapServerSession } {
  let conn: Connection | null = null;
  const session = new ImapServerSession({
    store: world.store,
    users: world.users,
    tlsAvailable: options.tlsAvailable ?? true,
    implicitTls: options.implicitTls ?? false,
    requireTls: options.requireTls ?? false,
    version: '0.0.0-test',
    onAsync: (actions) => conn?.perform(actions),
    now: options.now ?? (() => SANDBOX_NOW),
    limits: { maxMessageOctets: options.maxAppendOctets ?? 1024 * 1024, ...options.limits },
    ...(options.connections ? { connections: options.connections } : {}),
    ...(options.rate ? { rate: options.rate } : {}),
    ...(options.failedLogins ? { failedLogins: options.failedLogins } : {}),
    ...(options.usersSetQuota === undefined ? {} : { usersSetQuota: options.usersSetQuota }),
  });
  conn = new Connection(session);
  conn.perform(session.greeting());
  const greetingLine = splitLines(conn.take())[0] as string;
  return Object.assign(conn, { greetingLine, imap: session });
}

/** An IMAP connection logged in as `user` (with the user's password). */
export function imapLoggedIn(world: SandboxWorld, user: string, options: ImapOptions = {}): ReturnType<typeof imapConnection> {
  const conn = imapConnection(world, options);
  const password = SANDBOX_USERS.find((u) => u.name === user)?.password as string;
  expect(conn.send(`L0 LOGIN "${user}" "${password}"`)).toEqual(['L0 OK LOGIN completed']);
  return conn;
}

export interface Pop3Options extends Partial<Pick<Pop3ServerSessionOptions, 'limits' | 'connections' | 'rate' | 'failedLogins' | 'now'>> {
  tlsAvailable?: boolean;
  implicitTls?: boolean;
  requireTls?: boolean;
  timestamp?: string;
}

/** A POP3 connection to the sandbox, past its greeting. */
export function pop3Connection(world: SandboxWorld, options: Pop3Options = {}): Connection & { greetingLine: string; pop3: Pop3ServerSession } {
  const session = new Pop3ServerSession({
    store: world.store,
    users: world.users,
    tlsAvailable: options.tlsAvailable ?? true,
    implicitTls: options.implicitTls ?? false,
    requireTls: options.requireTls ?? false,
    timestamp: options.timestamp ?? '<1896.697170952@dbc.mtview.ca.us>',
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.connections ? { connections: options.connections } : {}),
    ...(options.failedLogins ? { failedLogins: options.failedLogins } : {}),
    ...(options.rate ? { rate: options.rate } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const conn = new Connection(session);
  conn.perform(session.greeting());
  const greetingLine = splitLines(conn.take())[0] as string;
  return Object.assign(conn, { greetingLine, pop3: session });
}

/** An expected line with `$` holes as a regular expression (a hole is one token). */
function linePattern(expected: string): RegExp {
  const source = expected
    .split('$')
    .map((piece) => piece.replace(/[.*+?^{}()|[\]\\]/g, '\\$&'))
    .join('[^\\s()\\[\\]]+');
  return new RegExp(`^${source}$`);
}

/**
 * Plays an RFC-style transcript against a connection: each run of `C:` lines is sent (each line
 * with CRLF), and the server's reply must be exactly the run of `S:` lines that follows (`$`
 * matching one varying token). A bare `C:` / `S:` is an empty line. Other lines are ignored.
 */
export function converse(conn: Connection, transcript: string): void {
  const lines = transcript.split('\n').filter((l) => /^[CS]:( |$)/.test(l));
  let i = 0;
  while (i < lines.length) {
    const client: string[] = [];
    while (i < lines.length && (lines[i] as string).startsWith('C:')) client.push((lines[i++] as string).slice(3));
    const expected: string[] = [];
    while (i < lines.length && (lines[i] as string).startsWith('S:')) expected.push((lines[i++] as string).slice(3));
    const actual = client.length > 0 ? conn.send(...client) : splitLines(conn.take());
    const context = client.length > 0 ? `after C: ${client[0]}` : 'unsolicited';
    expect(actual.length, `${context}\n${actual.join('\n')}`).toBe(expected.length);
    expected.forEach((e, k) => {
      expect(actual[k], `${context}, server line ${k + 1}`).toMatch(linePattern(e));
    });
  }
}
