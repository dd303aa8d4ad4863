/**
 * The sandbox's POP3 server side of one connection, sans-io (RFC 1939, with CAPA and response codes
 * from RFC 2449, STLS from RFC 2595, AUTH PLAIN from RFC 5034): lines from the client in, actions
 * out. The maildrop is the user's INBOX, shared with IMAP; a session locks it (one POP3 session per
 * maildrop: -ERR [IN-USE]), numbers its messages once, and changes nothing until QUIT moves it to
 * the UPDATE state (RFC 1939 §6). Lines are framed by the same Pop3Framer the client uses.
 */
import { findPop3Command } from '../protocol/pop3/commands.js';
import { Pop3Framer } from '../protocol/pop3/framer.js';
import type { Pop3Frame } from '../protocol/pop3/frames.js';
import { DEFAULT_SERVER_LIMITS, type ConnectionLedger, type FailedLogins, type ServerLimits, type UserRate } from '../transport/server-limits.js';
import type { ServerAction } from './imap-server-session.js';
import type { Account, MailStore, StoredMessage } from './mail-store.js';
import { decodeSaslPlain, type UserDirectory } from './users.js';
import type { CommandLogSink } from './command-log.js';
import { ServerTurns } from './server-turns.js';

export interface Pop3ServerSessionOptions {
  store: MailStore;
  users: UserDirectory;
  tlsAvailable: boolean;
  implicitTls: boolean;
  /** Refuse USER/PASS and AUTH until TLS is up (APOP, which sends no password, stays open). */
  requireTls: boolean;
  /** The greeting's APOP timestamp, `<process-ID.clock@hostname>` (RFC 1939 §7): unique per connection. */
  timestamp: string;
  /** What a client may cost (server-limits.ts); the defaults where omitted. */
  limits?: Partial<ServerLimits>;
  /** Logged-in connections per user, shared by all sessions of the server. */
  connections?: ConnectionLedger;
  /** Commands per second per user, shared with the user's IMAP sessions. */
  rate?: UserRate;
  /** Failed logins slow down per user (a class sandbox); null or omitted: they do not. */
  failedLogins?: FailedLogins | null;
  /** For the failed-login delays and the command rate. */
  now?: () => Date;
  /** The teacher's live log: every command read, with this connection's number. */
  log?: CommandLogSink | null;
  connectionId?: number;
}

/** RFC 2449 §4: command lines are short; 8 KiB leaves room for AUTH responses. */
const MAX_LINE_OCTETS = 8 * 1024;


const CRLF = Buffer.from('\r\n');
const DOT = 0x2e;
const DOT_BYTE = Buffer.from('.');

interface DropEntry {
  message: StoredMessage;
  deleted: boolean;
  /** RETR'd in this session: seen, once the session ends in UPDATE. */
  retrieved: boolean;
}

export class Pop3ServerSession {
  state: 'authorization' | 'transaction' | 'update' = 'authorization';
  private readonly limits: ServerLimits;
  private readonly framer: Pop3Framer;
  /** Lines read but not yet worked on, and the turn's share of work (server-turns.ts). */
  private readonly turns = new ServerTurns<Pop3Frame>();
  /** The user this connection is counted for in the ConnectionLedger. */
  private countedUser: string | null = null;
  private tlsActive: boolean;
  private awaitingTls = false;
  private closed = false;
  /** USER given, waiting for PASS (RFC 1939 §7). */
  private userName: string | null = null;
  private account: Account | null = null;
  /** The maildrop as numbered for this session: drop[msg - 1]. */
  private drop: DropEntry[] = [];
  /** An AUTH exchange waiting for the client's response line. */
  private saslPending = false;
  private actions: ServerAction[] = [];
  /** Complete lines read (commands and AUTH responses): the time limits run from the last. */
  commandsRead = 0;

  constructor(private readonly options: Pop3ServerSessionOptions) {
    this.tlsActive = options.implicitTls;
    this.limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
    this.framer = new Pop3Framer({ maxLineBytes: Math.min(MAX_LINE_OCTETS, this.limits.maxLineOctets) });
  }

  /**
   * RFC 1939 §4: "+OK" and, for APOP, a timestamp. The texts of the sandbox's replies are the
   * RFCs' own where the RFCs show one, so their examples can be compared line by line.
   */
  greeting(): ServerAction[] {
    this.ok(`POP3 server ready ${this.options.timestamp}`);
    return this.take();
  }

  /** The client has logged in: the TRANSACTION state or past it (RFC 1939 §3). */
  get loggedIn(): boolean {
    return this.state !== 'authorization';
  }

  receive(chunk: Buffer): ServerAction[] {
    if (this.closed || this.awaitingTls) return [];
    const frames = this.framer.push(chunk) as Pop3Frame[];
    for (const frame of frames) if (frame.type === 'status') this.commandsRead++;
    this.turns.push(frames);
    if (!this.turns.yielded) this.work();
    return this.take();
  }

  /** After a 'yield': the output has drained; work on what was read. */
  resume(): ServerAction[] {
    this.turns.begin();
    this.work();
    return this.take();
  }

  /**
   * Works through the lines read until they are done or the turn's share is used up; then yields,
   * so a client that pipelines RETR after RETR waits for its output to drain.
   */
  private work(): void {
    while (!this.turns.yielded && !this.closed && !this.awaitingTls) {
      const frame = this.turns.next();
      if (frame === undefined) break;
      if (frame.type === 'error') {
        this.err('Line too long');
        this.close();
        break;
      }
      // Expecting no replies, the framer hands every client line over as one single-line frame
      // (the first flagged as a greeting, which changes nothing here), with its length capped.
      if (frame.type !== 'status') continue;
      // The user's command rate, over all their connections: over it, the line waits.
      if (this.account && this.options.rate) {
        const wait = this.options.rate.take(this.account.user, (this.options.now ?? (() => new Date()))().getTime());
        if (wait > 0) {
          this.turns.putBack();
          this.turns.yielded = true;
          this.actions.push({ type: 'yield', afterMs: wait });
          break;
        }
      }
      this.options.log?.({
        at: (this.options.now ?? (() => new Date()))(),
        connection: this.options.connectionId ?? 0,
        user: this.account?.user ?? null,
        command: { protocol: 'pop3', kind: this.saslPending ? 'auth-response' : 'command', line: frame.bytes },
      });
      this.line(frame.bytes.toString('utf8'));
      if (this.turns.commandDone() && !this.closed) {
        this.turns.yielded = true;
        this.actions.push({ type: 'yield', afterMs: 0 });
      }
    }
  }

  tlsStarted(): void {
    this.tlsActive = true;
    this.awaitingTls = false;
  }

  /** RFC 1939 §6: a session that ends without QUIT changes nothing; the lock goes. */
  connectionClosed(): void {
    this.closed = true;
    this.turns.clear();
    this.account?.unlockMaildrop(this);
    if (this.countedUser !== null) this.options.connections?.logout(this.countedUser);
    this.countedUser = null;
  }

  private take(): ServerAction[] {
    const out = this.actions;
    this.actions = [];
    return out;
  }

  private send(line: string | Buffer): void {
    const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : line;
    this.turns.sent(bytes.length + 2);
    this.actions.push({ type: 'send', bytes: Buffer.concat([bytes, CRLF]) });
  }

  private ok(text: string): void {
    this.send(text === '' ? '+OK' : `+OK ${text}`);
  }

  private err(text: string): void {
    this.send(`-ERR ${text}`);
  }

  /** A multi-line reply (RFC 1939 §3): the lines dot-stuffed, then ".". */
  private multiline(status: string, lines: readonly (string | Buffer)[]): void {
    this.ok(status);
    for (const l of lines) {
      const bytes = typeof l === 'string' ? Buffer.from(l, 'utf8') : l;
      this.send(bytes[0] === DOT ? Buffer.concat([DOT_BYTE, bytes]) : bytes);
    }
    this.send('.');
  }

  private close(): void {
    this.actions.push({ type: 'close' });
    this.closed = true;
  }

  private get loginDisabled(): boolean {
    return this.options.requireTls && !this.tlsActive;
  }

  private line(text: string): void {
    if (this.saslPending) {
      this.saslPending = false;
      this.finishPlain(text.trim());
      return;
    }
    // A keyword, then one space and the arguments (RFC 1939 §3); a line that starts with other white
    // space (a lone CR, a tab) has no keyword.
    const m = /^(\S*)(?: (.*))?$/s.exec(text);
    if (!m) {
      this.err('Invalid command line');
      return;
    }
    const name = (m[1] as string).toUpperCase();
    const arg = m[2] ?? '';
    const spec = findPop3Command(name);
    if (!spec || !HANDLED.has(name)) {
      this.err(`Unknown command: ${name}`);
      return;
    }
    if (!spec.states.includes(this.state)) {
      this.err(this.state === 'authorization' ? 'Unknown command in AUTHORIZATION state (log in first)' : `${name} is only valid before login`);
      return;
    }
    this.dispatch(name, arg);
  }

  private dispatch(name: string, arg: string): void {
    const args = arg.trim() === '' ? [] : arg.trim().split(/\s+/);
    switch (name) {
      case 'CAPA':
        return this.capa();
      case 'USER':
        return this.user(args);
      case 'PASS':
        return this.pass(arg);
      case 'APOP':
        return this.apop(args);
      case 'AUTH':
        return this.auth(args);
      case 'STLS':
        return this.stls();
      case 'QUIT':
        return this.quit();
      case 'STAT':
        return this.stat();
      case 'LIST':
        return this.listOrUidl(args, false);
      case 'UIDL':
        return this.listOrUidl(args, true);
      case 'RETR':
        return this.retr(args);
      case 'TOP':
        return this.top(args);
      case 'DELE':
        return this.dele(args);
      case 'NOOP':
        return this.ok('');
      case 'RSET':
        return this.rset();
    }
  }

  // -- AUTHORIZATION --------------------------------------------------------------------------

  /** RFC 2449 §5: what this server offers now. */
  private capa(): void {
    const caps = ['TOP', 'UIDL', 'RESP-CODES', 'AUTH-RESP-CODE', 'PIPELINING'];
    if (this.state === 'authorization') {
      if (!this.loginDisabled) caps.push('USER', 'SASL PLAIN');
      if (this.options.tlsAvailable && !this.tlsActive) caps.push('STLS');
    }
    caps.push('EXPIRE NEVER', 'IMPLEMENTATION mailwire-sandbox');
    this.multiline('Capability list follows', caps);
  }

  private refusePlaintext(): boolean {
    if (!this.loginDisabled) return false;
    this.err('[AUTH] Plaintext authentication disallowed on non-secure (SSL/TLS) connections.');
    return true;
  }

  /** RFC 1939 §7 USER, answered as its examples are (a sandbox has no user names to hide). */
  private user(args: string[]): void {
    if (this.refusePlaintext()) return;
    if (args.length !== 1) return this.err('USER takes one argument: the mailbox name');
    const name = args[0] as string;
    if (!this.options.users.find(name)) return this.err(`sorry, no mailbox for ${name} here`);
    this.userName = name;
    this.ok(`${name} is a real hoopy frood`);
  }

  /** RFC 1939 §7: PASS takes the rest of the line (a password may contain spaces). */
  private pass(secret: string): void {
    if (this.refusePlaintext()) return;
    const name = this.userName;
    this.userName = null;
    if (name === null) return this.err('No user name given (send USER first)');
    this.judge(name, () => this.options.users.checkPassword(name, secret));
  }

  /** RFC 1939 §7: APOP name digest, the digest of this connection's timestamp and the secret. */
  private apop(args: string[]): void {
    if (args.length !== 2) return this.err('APOP takes a name and a digest');
    const [name, digest] = args as [string, string];
    this.judge(name, () => this.options.users.checkApop(name, this.options.timestamp, digest));
  }

  /** RFC 5034: AUTH lists the mechanisms; AUTH PLAIN [initial-response] logs in. */
  private auth(args: string[]): void {
    if (args.length === 0) return this.multiline('', ['PLAIN']);
    if (this.refusePlaintext()) return;
    if ((args[0] as string).toUpperCase() !== 'PLAIN') return this.err('Unrecognized authentication type');
    if (args.length > 2) return this.err('AUTH takes a mechanism and an optional initial response');
    if (args[1] !== undefined) return this.finishPlain(args[1] === '=' ? '' : args[1]);
    this.saslPending = true;
    // RFC 5034 §4: a continuation is "+" SP; PLAIN's first challenge is empty.
    this.send('+ ');
  }

  private finishPlain(response: string): void {
    if (response === '*') return this.err('AUTH cancelled');
    const plain = decodeSaslPlain(response);
    if (!plain) return this.err('Invalid SASL PLAIN response');
    this.judge(plain.authcid, () => {
      const name = this.options.users.checkPassword(plain.authcid, plain.password);
      return name !== null && plain.authzid !== '' && plain.authzid !== name ? 'not-authorized' : name;
    }, 'Maildrop locked and ready');
  }

  /**
   * Checks credentials for `user`, slowed down per user where failed logins are (a class sandbox):
   * while the user's wait lasts, the attempt fails unchecked (RFC 3206 SYS/TEMP), from any address.
   */
  private judge(user: string, check: () => string | null | 'not-authorized', text?: string): void {
    const guard = this.options.failedLogins;
    const now = (this.options.now ?? (() => new Date()))().getTime();
    const wait = guard?.waitFor(user, now) ?? 0;
    if (wait > 0) return this.err(`[SYS/TEMP] Too many failed logins for this user: try again in ${Math.ceil(wait / 1000)} s`);
    const name = check();
    if (name === 'not-authorized') return this.err('[AUTH] Not allowed to act as another user.');
    if (name === null) guard?.failed(user, now);
    else guard?.succeeded(user);
    this.loginAs(name, text);
  }

  /** Takes the maildrop for a user whose credentials checked out, or says why not. */
  private loginAs(name: string | null, text?: string): void {
    if (name === null) return this.err('[AUTH] Authentication failed.');
    const account = this.options.store.account(name);
    // RFC 1939 §8, RFC 2449 §8.1.1: one session per maildrop; IN-USE says why this one is refused.
    if (!account.lockMaildrop(this)) return this.err('[IN-USE] maildrop already locked');
    const ledger = this.options.connections;
    if (ledger && !ledger.login(name)) {
      account.unlockMaildrop(this);
      return this.err(`[SYS/TEMP] Too many connections for this user (at most ${this.limits.maxConnectionsPerUser})`);
    }
    if (ledger) this.countedUser = name;
    this.account = account;
    this.drop = account.inbox.messages.map((message) => ({ message, deleted: false, retrieved: false }));
    this.state = 'transaction';
    const { count, octets } = this.totals();
    // RFC 1939 §7's APOP and PASS examples, RFC 5034 §6's AUTH example.
    this.ok(text ?? `${name}'s maildrop has ${count} message${count === 1 ? '' : 's'} (${octets} octets)`);
  }

  /** RFC 2595 §4: STLS, then the handshake; what came after the command in plaintext is dropped. */
  private stls(): void {
    // RFC 2595 §4's own example of the refusal.
    if (this.tlsActive) return this.err('Command not permitted when TLS active');
    if (!this.options.tlsAvailable) return this.err('STLS is not available on this listener');
    this.ok('Begin TLS negotiation');
    this.awaitingTls = true;
    this.framer.reset();
    this.turns.clear();
    this.actions.push({ type: 'start-tls' });
  }

  /** RFC 1939 §6: QUIT in TRANSACTION enters UPDATE, removes what DELE marked, then signs off. */
  private quit(): void {
    if (this.state === 'transaction' && this.account) {
      this.state = 'update';
      const inbox = this.account.inbox;
      inbox.expunge(this.drop.filter((e) => e.deleted).map((e) => e.message));
      // Like Dovecot, messages retrieved over POP3 count as seen in IMAP from now on.
      for (const e of this.drop) if (e.retrieved && !e.deleted) inbox.setFlags(e.message, [...e.message.flags, '\\Seen']);
      this.account.unlockMaildrop(this);
      const left = inbox.messages.length;
      this.ok(`mailwire sandbox POP3 server signing off (${left === 0 ? 'maildrop empty' : `${left} message${left === 1 ? '' : 's'} left`})`);
    } else {
      this.ok('mailwire sandbox POP3 server signing off');
    }
    this.close();
  }

  // -- TRANSACTION ----------------------------------------------------------------------------

  private totals(): { count: number; octets: number } {
    const live = this.drop.filter((e) => !e.deleted);
    return { count: live.length, octets: live.reduce((n, e) => n + e.message.size, 0) };
  }

  /** The entry a message-number argument names, or an -ERR sent and null. */
  private entry(arg: string | undefined): DropEntry | null {
    if (arg === undefined || !/^\d+$/.test(arg)) {
      this.err('Invalid message number');
      return null;
    }
    const n = Number(arg);
    const e = this.drop[n - 1];
    if (!e || n < 1) {
      this.err(`no such message, only ${this.drop.length} messages in maildrop`);
      return null;
    }
    if (e.deleted) {
      this.err(`message ${n} already deleted`);
      return null;
    }
    return e;
  }

  private stat(): void {
    const { count, octets } = this.totals();
    this.ok(`${count} ${octets}`);
  }

  /** RFC 1939 §5 LIST and §7 UIDL: one message, or every message not marked deleted. */
  private listOrUidl(args: string[], uidl: boolean): void {
    const value = (e: DropEntry) => (uidl ? uniqueId(this.account as Account, e.message) : String(e.message.size));
    if (args.length > 0) {
      const e = this.entry(args[0]);
      if (e) this.ok(`${args[0]} ${value(e)}`);
      return;
    }
    const lines = this.drop.flatMap((e, i) => (e.deleted ? [] : [`${i + 1} ${value(e)}`]));
    if (uidl) return this.multiline('', lines);
    const { count, octets } = this.totals();
    this.multiline(`${count} messages (${octets} octets)`, lines);
  }

  private retr(args: string[]): void {
    const e = this.entry(args[0]);
    if (!e) return;
    e.retrieved = true;
    this.multiline(`${e.message.size} octets`, messageLines(e.message.raw));
  }

  /** RFC 1939 §7 TOP msg n: the header, the empty line, and the first n lines of the body. */
  private top(args: string[]): void {
    if (args.length !== 2 || !/^\d+$/.test(args[1] as string)) return this.err('TOP takes a message number and a line count');
    const e = this.entry(args[0]);
    if (!e) return;
    const mime = e.message.mime;
    const header = messageLines(e.message.raw.subarray(0, mime.bodyStart));
    const body = messageLines(e.message.raw.subarray(mime.bodyStart)).slice(0, Number(args[1]));
    this.multiline('', [...header, ...body]);
  }

  private dele(args: string[]): void {
    const e = this.entry(args[0]);
    if (!e) return;
    e.deleted = true;
    this.ok(`message ${args[0]} deleted`);
  }

  private rset(): void {
    for (const e of this.drop) e.deleted = false;
    const { count, octets } = this.totals();
    this.ok(`maildrop has ${count} message${count === 1 ? '' : 's'} (${octets} octets)`);
  }
}

const HANDLED = new Set(['CAPA', 'USER', 'PASS', 'APOP', 'AUTH', 'STLS', 'QUIT', 'STAT', 'LIST', 'UIDL', 'RETR', 'TOP', 'DELE', 'NOOP', 'RSET']);

/** The lines of a message without their line endings, as bytes (a last line without CRLF counts too). */
function messageLines(raw: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  while (start < raw.length) {
    let lf = raw.indexOf(0x0a, start);
    if (lf === -1) lf = raw.length;
    const end = lf > start && raw[lf - 1] === 0x0d ? lf - 1 : lf;
    lines.push(raw.subarray(start, end));
    start = lf + 1;
  }
  return lines;
}

/**
 * RFC 1939 §7 unique-id: printable, at most 70 characters, the same in every session. Dovecot's
 * default form: the UID and UIDVALIDITY in hex.
 */
function uniqueId(account: Account, message: StoredMessage): string {
  const hex = (n: number) => n.toString(16).padStart(8, '0');
  return `${hex(message.uid)}${hex(account.inbox.uidValidity)}`;
}
