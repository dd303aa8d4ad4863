/**
 * Waiting for the server, within --timeout: each wait is a condition checked again whenever
 * something happens (data, a completion, a close, a failure), and one timer bounds the server's
 * silence while any timed wait is open. Untimed waits are for a person (a typed command waiting for
 * its turn) and never time out. Any server data refreshes the timer; so does our own output
 * draining, since a slow reader of our output is not the server's silence.
 */
import { MailwireError } from '../errors.js';

/** What the waits look at, and whom they tell when the server stayed silent too long. */
export interface WaitHooks {
  /** --timeout in milliseconds; null for none. */
  timeoutMs: number | null;
  /** What ended or broke the session, if anything did: every wait fails with it. */
  failure: () => MailwireError | null;
  closed: () => boolean;
  /** Reading is paused because our output is backed up: the timer waits too. */
  outputBlocked: () => boolean;
  /** The time ran out: `error` says what was being waited for. */
  timedOut: (error: MailwireError) => void;
}

interface Waiter {
  /** Bounded by --timeout (waits for the server); untimed waits are for a person (the shell). */
  timed: boolean;
  ready: () => boolean;
  describe: () => string;
  resolve: () => void;
  reject: (error: MailwireError) => void;
}

export class Waiters {
  private waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** Counts refreshTimer() calls: a timer that fired sees whether anything came meanwhile. */
  private activity = 0;

  constructor(private readonly hooks: WaitHooks) {}

  /** Resolves once `ready()`; rejects on a failure, a close, or --timeout (`describe()` says what was awaited). */
  until(ready: () => boolean, describe: () => string): Promise<void> {
    return this.add(true, ready, describe);
  }

  /** Like until(), without --timeout: the wait is for a person's command to get its turn. */
  untilUntimed(ready: () => boolean, describe: () => string): Promise<void> {
    return this.add(false, ready, describe);
  }

  /** Looks at every open wait again; call after anything that may have changed their conditions. */
  settle(): void {
    const failure = this.hooks.failure();
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (failure) w.reject(failure);
      else if (w.ready()) w.resolve();
      else if (this.hooks.closed()) w.reject(new MailwireError('broken', `connection closed by the server: ${w.describe()}`));
      else still.push(w);
    }
    this.waiters = still;
    if (!still.some((w) => w.timed)) this.stopTimer();
  }

  /** Something came: the server's silence starts again from now. */
  refreshTimer(): void {
    this.activity++;
    this.timer?.refresh();
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private add(timed: boolean, ready: () => boolean, describe: () => string): Promise<void> {
    const failure = this.hooks.failure();
    if (failure) return Promise.reject(failure);
    if (ready()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ timed, ready, describe, resolve, reject });
      if (timed) this.startTimer();
      this.settle();
    });
  }

  private startTimer(): void {
    const ms = this.hooks.timeoutMs;
    if (ms === null || this.timer) return;
    this.timer = setTimeout(() => {
      // Waiting on our own output (a paged or slow reader) is not the server's silence.
      if (this.hooks.outputBlocked()) {
        this.timer?.refresh();
        return;
      }
      // After a long stretch of our own work (showing or building a large literal) the timer may fire
      // with data or a drain already waiting behind it: those are taken first (the event loop polls
      // for I/O before it runs setImmediate), and any of them starts the silence again.
      const timer = this.timer;
      const seen = this.activity;
      setImmediate(() => {
        if (this.timer !== timer || timer === null) return;
        if (this.activity !== seen) {
          timer.refresh();
          return;
        }
        this.timer = null;
        const what = this.waiters.find((w) => w.timed)?.describe() ?? 'no reply';
        this.hooks.timedOut(new MailwireError('timeout', `${what} within ${ms / 1000} s (--timeout)`));
      });
    }, ms);
  }
}
