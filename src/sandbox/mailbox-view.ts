/**
 * One session's view of its selected mailbox: the message sequence numbers it has been told about,
 * and the changes other sessions made that it has not reported yet. RFC 3501 §7.4.1 and §5.5 set
 * the rules this enforces: sequence numbers change only when the session is told (EXISTS, EXPUNGE),
 * and an EXPUNGE may not be sent while a FETCH, STORE or SEARCH is being answered, nor when no
 * command is in progress (IDLE counts as one). Until then an expunged message keeps its number and
 * its data. Pure.
 */
import type { Mailbox, MailboxWatcher, StoredMessage } from './mail-store.js';

export class MailboxView implements MailboxWatcher {
  /** The messages as this session numbers them: messages[seq - 1]. */
  messages: StoredMessage[];
  private pendingAdded: StoredMessage[] = [];
  private readonly pendingExpunged = new Set<StoredMessage>();
  private readonly pendingFlags = new Set<StoredMessage>();
  private flagListChanged = false;
  private index: Map<StoredMessage, number> | null = null;
  /** The mailbox was deleted (by another session): the session must end. */
  deleted = false;
  /** Called whenever something is waiting to be reported (IDLE reports it at once). */
  onUpdate: () => void = () => undefined;
  /** A change made by this session itself, which its own command reports: not queued again. */
  private quiet = false;
  /** The \Recent count last reported (SELECT reports it first). */
  private reportedRecent: number;

  constructor(
    readonly mailbox: Mailbox,
    readonly readOnly: boolean,
  ) {
    // RFC 3501 §2.3.2: a read-write SELECT takes the \Recent messages nobody has seen yet.
    if (!readOnly) for (const m of mailbox.messages) if (m.recentOwner === 'unclaimed') m.recentOwner = this;
    this.messages = [...mailbox.messages];
    this.reportedRecent = this.recentCount;
    mailbox.watchers.add(this);
  }

  /**
   * `* n RECENT` when expunges changed the count since it was last reported (RFC 3501 §7.3.2: the
   * size of the mailbox changed), as Dovecot and Cyrus send it; null when it did not change.
   */
  recentUpdate(): string | null {
    const count = this.recentCount;
    if (count === this.reportedRecent) return null;
    this.reportedRecent = count;
    return `* ${count} RECENT`;
  }

  /** Stops watching (CLOSE, UNSELECT, another SELECT, logout). */
  close(): void {
    this.mailbox.watchers.delete(this);
  }

  /** Runs `change` (a STORE, a FETCH setting \Seen) without queueing its flag updates for this session. */
  ownChange<T>(change: () => T): T {
    this.quiet = true;
    try {
      return change();
    } finally {
      this.quiet = false;
    }
  }

  get exists(): number {
    return this.messages.length;
  }

  /** \Recent for this session: claimed by it, or (read-only) not yet claimed by anyone. */
  isRecent(message: StoredMessage): boolean {
    return message.recentOwner === this || (this.readOnly && message.recentOwner === 'unclaimed');
  }

  get recentCount(): number {
    return this.messages.filter((m) => this.isRecent(m)).length;
  }

  /** The sequence number of a message in this view, or 0. */
  seqOf(message: StoredMessage): number {
    if (!this.index) this.index = new Map(this.messages.map((m, i) => [m, i + 1]));
    return this.index.get(message) ?? 0;
  }

  /** The flags this session reports for a message: its flags, and \Recent when it is recent here. */
  flagsOf(message: StoredMessage): string[] {
    // System flags in RFC 3501 §2.3.2's order, as its examples and the lecture's slides show them
    // ("(\\Deleted \\Seen)"), then keywords as they were set, then \\Recent.
    const flags = [...message.flags].sort((a, b) => systemFlagRank(a) - systemFlagRank(b));
    if (this.isRecent(message)) flags.push('\\Recent');
    return flags;
  }

  get maxUid(): number {
    return this.messages.reduce((max, m) => Math.max(max, m.uid), 0);
  }

  messagesAdded(_mailbox: Mailbox, messages: readonly StoredMessage[]): void {
    for (const m of messages) if (!this.readOnly && m.recentOwner === 'unclaimed') m.recentOwner = this;
    this.pendingAdded.push(...messages);
    this.onUpdate();
  }

  messagesExpunged(_mailbox: Mailbox, messages: readonly StoredMessage[]): void {
    for (const m of messages) {
      // Added and gone before this session heard of it: it never existed here.
      const added = this.pendingAdded.indexOf(m);
      if (added !== -1) this.pendingAdded.splice(added, 1);
      else if (this.seqOf(m) > 0) this.pendingExpunged.add(m);
    }
    this.onUpdate();
  }

  flagsChanged(_mailbox: Mailbox, message: StoredMessage): void {
    if (this.quiet) return;
    this.pendingFlags.add(message);
    this.onUpdate();
  }

  keywordsAdded(): void {
    this.flagListChanged = true;
    this.onUpdate();
  }

  mailboxDeleted(): void {
    this.deleted = true;
    this.onUpdate();
  }

  /** Whether an EXPUNGE is waiting to be reported (FETCH/STORE/SEARCH must not report it). */
  get hasPendingExpunge(): boolean {
    return this.pendingExpunged.size > 0;
  }

  /**
   * The untagged responses for everything waiting, in the order that keeps numbers right:
   * EXPUNGEs (only when allowed, each renumbering the messages after it), then FLAGS for new
   * keywords, EXISTS and RECENT for new messages, then FETCH FLAGS for changed flags.
   */
  flush(allowExpunge: boolean): string[] {
    const lines: string[] = [];
    if (allowExpunge && this.pendingExpunged.size > 0) {
      // RFC 3501 §7.4.1: each EXPUNGE decrements the numbers of the messages after it, so they go
      // out in ascending order of their current numbers.
      const doomed = this.messages.filter((m) => this.pendingExpunged.has(m));
      for (const m of doomed) {
        const seq = this.messages.indexOf(m) + 1;
        this.messages.splice(seq - 1, 1);
        lines.push(`* ${seq} EXPUNGE`);
      }
      this.pendingExpunged.clear();
      this.index = null;
    }
    if (this.flagListChanged) {
      this.flagListChanged = false;
      const flags = this.mailbox.flagList.join(' ');
      lines.push(`* FLAGS (${flags})`);
      lines.push(this.readOnly ? '* OK [PERMANENTFLAGS ()] Read-only mailbox.' : `* OK [PERMANENTFLAGS (${flags} \\*)] Flags permitted.`);
    }
    if (this.pendingAdded.length > 0) {
      this.messages.push(...this.pendingAdded);
      this.pendingAdded = [];
      this.index = null;
      lines.push(`* ${this.messages.length} EXISTS`);
      this.reportedRecent = this.recentCount;
      lines.push(`* ${this.reportedRecent} RECENT`);
    } else if (lines.some((l) => l.endsWith(' EXPUNGE'))) {
      const recent = this.recentUpdate();
      if (recent) lines.push(recent);
    }
    for (const m of this.pendingFlags) {
      const seq = this.seqOf(m);
      if (seq > 0 && !m.expunged) lines.push(`* ${seq} FETCH (FLAGS (${this.flagsOf(m).join(' ')}))`);
    }
    this.pendingFlags.clear();
    return lines;
  }

  /** Whether anything is waiting. */
  get hasUpdates(): boolean {
    return this.pendingAdded.length > 0 || this.pendingExpunged.size > 0 || this.pendingFlags.size > 0 || this.flagListChanged || this.deleted;
  }

  /** Removes messages this session itself expunged, returning their sequence numbers as reported (RFC 3501 §6.4.3). */
  removeOwn(messages: readonly StoredMessage[]): number[] {
    const seqs: number[] = [];
    const gone = new Set(messages);
    for (let i = 0; i < this.messages.length; ) {
      const m = this.messages[i] as StoredMessage;
      if (gone.has(m)) {
        seqs.push(i + 1);
        this.messages.splice(i, 1);
        this.pendingExpunged.delete(m);
        this.pendingFlags.delete(m);
      } else {
        i++;
      }
    }
    this.index = null;
    return seqs;
  }
}

/** RFC 3501 §2.3.2's system flags, in its order; a keyword after them all (a stable sort keeps keywords' order). */
const SYSTEM_FLAGS = ['\\answered', '\\flagged', '\\deleted', '\\seen', '\\draft'];

function systemFlagRank(flag: string): number {
  const rank = SYSTEM_FLAGS.indexOf(flag.toLowerCase());
  return rank < 0 ? SYSTEM_FLAGS.length : rank;
}
