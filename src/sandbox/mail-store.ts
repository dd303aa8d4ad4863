/**
 * The sandbox's mail, in memory: accounts, their mailboxes and messages, with what IMAP keeps per
 * message (UID, flags, internal date: RFC 3501 §2.3) and per mailbox (UIDVALIDITY, UIDNEXT,
 * subscriptions). Several sessions share one store, and every change is told to the sessions that
 * have the mailbox selected (watchers), so each can report EXISTS, EXPUNGE and FETCH FLAGS when the
 * protocol lets it. POP3's exclusive maildrop lock (RFC 1939 §8) lives here too. Nothing is
 * written to disk. Pure: no I/O.
 */
import { canonicalMailboxName, isInferior, superiorNames } from './mailbox-names.js';
import { parseMessage, type MimePart } from './mime-message.js';
import type { ZonedDate } from './mail-dates.js';

/** RFC 3501 §2.3.2 system flags a client may set (\Recent is the server's alone). */
export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'] as const;

/** Someone who has a mailbox open and must hear of its changes (an IMAP session). */
export interface MailboxWatcher {
  messagesAdded(mailbox: Mailbox, messages: readonly StoredMessage[]): void;
  messagesExpunged(mailbox: Mailbox, messages: readonly StoredMessage[]): void;
  flagsChanged(mailbox: Mailbox, message: StoredMessage): void;
  /** New keywords: the FLAGS and PERMANENTFLAGS lists grew. */
  keywordsAdded(mailbox: Mailbox): void;
  mailboxDeleted(mailbox: Mailbox): void;
}

export class StoredMessage {
  /** Flags as written by clients (system flags and keywords), never \Recent. */
  readonly flags = new Set<string>();
  /**
   * RFC 3501 §2.3.2 \Recent: the message is recent in the first session that has the mailbox
   * selected after it arrived, and in no other. 'unclaimed' until such a session comes.
   */
  recentOwner: object | 'unclaimed' | null = 'unclaimed';
  /** Set when expunged; sessions that have not yet reported it may still read it. */
  expunged = false;
  private parsed: MimePart | null = null;

  constructor(
    readonly uid: number,
    readonly raw: Buffer,
    readonly internalDate: ZonedDate,
    flags: Iterable<string> = [],
  ) {
    for (const f of flags) this.flags.add(f);
  }

  /** The MIME structure, parsed on first use. */
  get mime(): MimePart {
    this.parsed ??= parseMessage(this.raw);
    return this.parsed;
  }

  get size(): number {
    return this.raw.length;
  }

  hasFlag(flag: string): boolean {
    const lower = flag.toLowerCase();
    for (const f of this.flags) if (f.toLowerCase() === lower) return true;
    return false;
  }
}

export class Mailbox {
  messages: StoredMessage[] = [];
  uidNext = 1;
  /** Keywords in use or ever set here: FLAGS lists them (RFC 3501 §7.2.6). */
  readonly keywords = new Set<string>();
  readonly watchers = new Set<MailboxWatcher>();

  constructor(
    public name: string,
    public uidValidity: number,
    /** False for a \Noselect name that only holds inferiors (RFC 3501 §6.3.4). */
    public selectable = true,
  ) {}

  /** Adds a message; watchers hear of it. */
  append(raw: Buffer, flags: Iterable<string>, internalDate: ZonedDate): StoredMessage {
    const message = new StoredMessage(this.uidNext++, raw, internalDate, flags);
    this.noteKeywords(message.flags);
    this.messages.push(message);
    for (const w of [...this.watchers]) w.messagesAdded(this, [message]);
    return message;
  }

  /** Removes the given messages (those still here); watchers hear of it. Returns what was removed. */
  expunge(doomed: readonly StoredMessage[]): StoredMessage[] {
    const set = new Set(doomed);
    const removed = this.messages.filter((m) => set.has(m));
    if (removed.length === 0) return removed;
    this.messages = this.messages.filter((m) => !set.has(m));
    for (const m of removed) m.expunged = true;
    for (const w of [...this.watchers]) w.messagesExpunged(this, removed);
    return removed;
  }

  /** Replaces a message's flags; watchers hear of it when they changed. */
  setFlags(message: StoredMessage, flags: Iterable<string>): boolean {
    const next = new Set(flags);
    const same = next.size === message.flags.size && [...next].every((f) => message.flags.has(f));
    if (same || message.expunged) return false;
    message.flags.clear();
    for (const f of next) message.flags.add(f);
    this.noteKeywords(next);
    for (const w of [...this.watchers]) w.flagsChanged(this, message);
    return true;
  }

  private noteKeywords(flags: Iterable<string>): void {
    let added = false;
    for (const f of flags) {
      if (f.startsWith('\\') || this.keywords.has(f)) continue;
      this.keywords.add(f);
      added = true;
    }
    if (added) for (const w of [...this.watchers]) w.keywordsAdded(this);
  }

  /** The flags FLAGS and PERMANENTFLAGS list: the system flags and the keywords in use. */
  get flagList(): string[] {
    return [...SYSTEM_FLAGS, ...this.keywords];
  }

  get size(): number {
    return this.messages.reduce((n, m) => n + m.size, 0);
  }
}

/** Why a mailbox operation was refused: an RFC 5530 response code (or none) and the text. */
export interface MailboxRefusal {
  code: 'NONEXISTENT' | 'ALREADYEXISTS' | 'CANNOT' | null;
  text: string;
}

export class Account {
  readonly mailboxes = new Map<string, Mailbox>();
  readonly subscriptions = new Set<string>();
  /** RFC 9208 STORAGE limit, in units of 1024 octets. */
  quotaLimitKb: number;
  /** Who holds the POP3 maildrop lock (RFC 1939 §8), if anyone. */
  private pop3Holder: object | null = null;

  constructor(
    readonly user: string,
    private readonly nextUidValidity: () => number,
    quotaLimitKb: number,
  ) {
    this.quotaLimitKb = quotaLimitKb;
    this.mailboxes.set('INBOX', new Mailbox('INBOX', nextUidValidity()));
  }

  get inbox(): Mailbox {
    return this.mailboxes.get('INBOX') as Mailbox;
  }

  find(name: string): Mailbox | undefined {
    return this.mailboxes.get(canonicalMailboxName(name));
  }

  /** Octets stored in all mailboxes: the STORAGE usage of the quota root "". */
  get usedOctets(): number {
    let n = 0;
    for (const m of this.mailboxes.values()) n += m.size;
    return n;
  }

  /** Whether `extra` more octets fit under the STORAGE limit (RFC 9208 §5.1). */
  fits(extra: number): boolean {
    return this.usedOctets + extra <= this.quotaLimitKb * 1024;
  }

  /**
   * RFC 3501 §6.3.3 CREATE: a trailing separator is dropped ("a level for inferiors"), and missing
   * superior names are created too. A \Noselect name becomes selectable again.
   */
  create(rawName: string): Mailbox | MailboxRefusal {
    const name = canonicalMailboxName(rawName.endsWith('/') ? rawName.slice(0, -1) : rawName);
    if (name === '' || name.includes('//')) return { code: 'CANNOT', text: 'Invalid mailbox name' };
    // "*" and "%" could never be listed by name (RFC 3501 §5.1: names with them are bad practice).
    if (/[*%]/.test(name)) return { code: 'CANNOT', text: 'Mailbox names may not contain "*" or "%"' };
    const existing = this.mailboxes.get(name);
    if (existing?.selectable) return { code: 'ALREADYEXISTS', text: 'Mailbox already exists' };
    for (const superior of superiorNames(name)) {
      if (!this.mailboxes.has(superior)) this.mailboxes.set(superior, new Mailbox(superior, this.nextUidValidity()));
    }
    if (existing) {
      existing.selectable = true;
      return existing;
    }
    const mailbox = new Mailbox(name, this.nextUidValidity());
    this.mailboxes.set(name, mailbox);
    return mailbox;
  }

  /**
   * RFC 3501 §6.3.4 DELETE: a mailbox with inferiors loses its messages and becomes \Noselect; it is
   * an error to delete a \Noselect name that has inferiors, or INBOX.
   */
  delete(rawName: string): MailboxRefusal | null {
    const name = canonicalMailboxName(rawName);
    if (name === 'INBOX') return { code: 'CANNOT', text: 'INBOX can not be deleted' };
    const mailbox = this.mailboxes.get(name);
    if (!mailbox) return { code: 'NONEXISTENT', text: `Mailbox doesn't exist: ${rawName}` };
    const hasInferiors = [...this.mailboxes.keys()].some((n) => isInferior(n, name));
    if (hasInferiors && !mailbox.selectable) return { code: null, text: `Name "${rawName}" has inferior hierarchical names` };
    for (const w of [...mailbox.watchers]) w.mailboxDeleted(mailbox);
    mailbox.watchers.clear();
    for (const m of mailbox.messages) m.expunged = true;
    if (hasInferiors) {
      mailbox.messages = [];
      mailbox.selectable = false;
    } else {
      this.mailboxes.delete(name);
    }
    return null;
  }

  /**
   * RFC 3501 §6.3.5 RENAME: inferiors are renamed too; renaming INBOX moves its messages to a new
   * mailbox and leaves INBOX empty (and its inferiors where they are).
   */
  rename(rawFrom: string, rawTo: string): MailboxRefusal | null {
    const from = canonicalMailboxName(rawFrom);
    const to = canonicalMailboxName(rawTo.endsWith('/') ? rawTo.slice(0, -1) : rawTo);
    const source = this.mailboxes.get(from);
    if (!source) return { code: 'NONEXISTENT', text: `Mailbox doesn't exist: ${rawFrom}` };
    if (to === '' || /[*%]/.test(to)) return { code: 'CANNOT', text: 'Invalid mailbox name' };
    if (this.mailboxes.has(to)) return { code: 'ALREADYEXISTS', text: 'Target mailbox already exists' };
    if (to === 'INBOX') return { code: 'ALREADYEXISTS', text: 'INBOX already exists' };
    if (isInferior(to, from)) return { code: 'CANNOT', text: "Can't rename mailbox under itself" };
    for (const superior of superiorNames(to)) {
      if (!this.mailboxes.has(superior)) this.mailboxes.set(superior, new Mailbox(superior, this.nextUidValidity()));
    }
    if (from === 'INBOX') {
      const target = new Mailbox(to, this.nextUidValidity());
      for (const m of source.messages) {
        const copy = new StoredMessage(target.uidNext++, m.raw, m.internalDate, m.flags);
        copy.recentOwner = m.recentOwner;
        target.messages.push(copy);
      }
      for (const k of source.keywords) target.keywords.add(k);
      source.expunge(source.messages);
      this.mailboxes.set(to, target);
      return null;
    }
    const moving = [...this.mailboxes.entries()].filter(([n]) => n === from || isInferior(n, from));
    for (const [n] of moving) this.mailboxes.delete(n);
    for (const [n, mailbox] of moving) {
      const renamed = to + n.slice(from.length);
      mailbox.name = renamed;
      this.mailboxes.set(renamed, mailbox);
    }
    return null;
  }

  /** RFC 1939 §8: takes the maildrop lock for `holder`; false when another session holds it. */
  lockMaildrop(holder: object): boolean {
    if (this.pop3Holder !== null && this.pop3Holder !== holder) return false;
    this.pop3Holder = holder;
    return true;
  }

  unlockMaildrop(holder: object): void {
    if (this.pop3Holder === holder) this.pop3Holder = null;
  }
}

/** A message to put in a mailbox when the store is made. */
export interface SeedMessage {
  raw: Buffer;
  flags: string[];
  internalDate: ZonedDate;
  /** \Recent for the first session that selects the mailbox (a Maildir's new/ messages, the examples). */
  recent: boolean;
  /** The UID it has (rising within its mailbox); the next free one when omitted. */
  uid?: number;
}

/** What an account starts with: mailbox names (canonical, "/"-separated) and their messages. */
export interface SeedAccount {
  user: string;
  /** `uidNext`: the UID the next new message gets, when more than one past the last seeded. */
  mailboxes: { name: string; messages: SeedMessage[]; uidNext?: number }[];
}

export interface MailStoreOptions {
  /** The first UIDVALIDITY handed out; later mailboxes get the following numbers. */
  firstUidValidity: number;
  /** Default STORAGE quota limit, in units of 1024 octets. */
  quotaLimitKb: number;
  /**
   * All mail the store may hold, in octets, whatever the users' quotas say (a user may raise their
   * own quota): the bound on the sandbox's memory. Infinity when omitted.
   */
  maxOctets?: number;
}

/** All accounts of one sandbox. */
export class MailStore {
  private readonly accounts = new Map<string, Account>();
  private readonly uidValidity: number;
  private readonly quotaLimitKb: number;
  /** Octets of messages on their way in (APPEND literals being read), held against maxOctets. */
  private reserved = 0;
  readonly maxOctets: number;

  constructor(seed: readonly SeedAccount[], options: MailStoreOptions) {
    this.uidValidity = options.firstUidValidity;
    this.quotaLimitKb = options.quotaLimitKb;
    this.maxOctets = options.maxOctets ?? Number.POSITIVE_INFINITY;
    for (const s of seed) {
      const account = this.account(s.user);
      for (const box of s.mailboxes) {
        const mailbox = account.find(box.name) ?? account.create(box.name);
        if (!(mailbox instanceof Mailbox)) continue;
        account.subscriptions.add(mailbox.name);
        for (const m of box.messages) {
          // RFC 3501 §2.3.1.1: UIDs rise; a seeded UID below the next one is ignored.
          if (m.uid !== undefined && m.uid > mailbox.uidNext) mailbox.uidNext = m.uid;
          const stored = mailbox.append(m.raw, m.flags, m.internalDate);
          if (!m.recent) stored.recentOwner = null;
        }
        if (box.uidNext !== undefined && box.uidNext > mailbox.uidNext) mailbox.uidNext = box.uidNext;
      }
    }
  }

  /**
   * Octets held: every stored message (a copy counts again, as it does against a quota), and the
   * messages being received.
   */
  get heldOctets(): number {
    let n = this.reserved;
    for (const account of this.accounts.values()) n += account.usedOctets;
    return n;
  }

  /** Whether `extra` more octets fit under maxOctets. */
  fits(extra: number): boolean {
    return this.maxOctets === Number.POSITIVE_INFINITY || this.heldOctets + extra <= this.maxOctets;
  }

  /**
   * Holds room for a message on its way in (an APPEND literal), so that many clients sending at
   * once cannot together pass maxOctets. False when there is no room; release() gives it back.
   */
  reserve(octets: number): boolean {
    if (!this.fits(octets)) return false;
    this.reserved += octets;
    return true;
  }

  release(octets: number): void {
    this.reserved = Math.max(0, this.reserved - octets);
  }

  /** The account of `user`, made empty (INBOX only) on first use. */
  account(user: string): Account {
    let account = this.accounts.get(user);
    if (!account) {
      // Each account counts its own UIDVALIDITY values (RFC 3501 §2.3.1.1 asks them per mailbox
      // name), so accounts seeded alike (a class's students) show the same numbers.
      let next = this.uidValidity;
      account = new Account(user, () => next++, this.quotaLimitKb);
      this.accounts.set(user, account);
    }
    return account;
  }
}
