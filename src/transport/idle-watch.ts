/**
 * An IdleClock (idle-clock.ts) run by a timer, for one accepted connection of mailwire's servers: the
 * runner says when a complete command came and when the client logged in; the watch calls `onLimit`
 * once, when a time limit is reached, and the runner says goodbye and closes. One timer per
 * connection, moved only when it fires (a command does not touch it), so a busy client costs nothing
 * here. The timers are injected: tests run the clock by hand.
 */
import { IdleClock, type TimeLimit, type TimeLimits } from './idle-clock.js';
import type { ServerConnection } from './server.js';

/** The clock and timers a watch runs on. */
export interface WatchTimers {
  /** Milliseconds, monotonic. */
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's monotonic clock and timers, unref'd: a pending check never keeps the process alive. */
export const SYSTEM_TIMERS: WatchTimers = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** setTimeout's longest delay (2^31 - 1 ms, about 24 days): a later deadline is checked then, and again. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class IdleWatch {
  private readonly clock: IdleClock;
  private timer: unknown = null;
  private stopped = false;

  constructor(
    private readonly conn: Pick<ServerConnection, 'pendingOutputOctets' | 'whenDrained'>,
    limits: TimeLimits,
    private readonly onLimit: (limit: TimeLimit) => void,
    private readonly timers: WatchTimers = SYSTEM_TIMERS,
  ) {
    this.clock = new IdleClock(limits, timers.now());
    this.arm();
  }

  /** A complete command (or continuation line) was read. */
  commandRead(): void {
    this.clock.commandRead(this.timers.now());
  }

  /** The client logged in. */
  loggedIn(): void {
    this.clock.login();
  }

  /** The connection ended: no more checks. */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    const wait = Math.min(MAX_DELAY_MS, Math.max(0, this.clock.deadline - this.timers.now()));
    this.timer = this.timers.setTimeout(() => this.fire(), wait);
  }

  private fire(): void {
    this.timer = null;
    if (this.stopped) return;
    const limit = this.clock.check(this.timers.now(), this.conn.pendingOutputOctets);
    if (limit !== null) {
      this.stopped = true;
      this.onLimit(limit);
      return;
    }
    // Still taking a reply: the idle time counts from when it has drained.
    if (this.conn.pendingOutputOctets > 0) this.conn.whenDrained(() => this.clock.outputTaken(this.timers.now()));
    this.arm();
  }
}

/**
 * Ends a connection that reached a time limit: the goodbye, then a close. A client that has left
 * output untaken all this time would never read the goodbye: it is cut off at once. Returns whether
 * the goodbye was sent.
 */
export function endForTimeLimit(conn: Pick<ServerConnection, 'pendingOutputOctets' | 'write' | 'close' | 'destroy'>, goodbye: Buffer): boolean {
  if (conn.pendingOutputOctets > 0) {
    conn.destroy();
    return false;
  }
  conn.write(goodbye);
  conn.close();
  return true;
}
