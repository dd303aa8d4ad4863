/**
 * When a client of mailwire's servers has held its connection too long without using it: the two
 * time limits of server-limits.ts (--max-idle, --max-time-before-login) as a pure clock, times passed
 * in. What counts as use is a complete command (or a line that answers a continuation request): a
 * partial line or a partial literal does not count, so a client dripping a byte a minute is as idle
 * as a silent one. While the client is still taking a reply (output written and not yet taken, and
 * less of it waiting at each check) it is not idle: a slow reader of a large FETCH is not cut off.
 * What "waiting" can see is the output the process still holds: what the kernel has taken into
 * the socket's send buffer (with the client's receive buffer, a few MiB over loopback) is out of
 * sight, and Node reports no send-queue size (SIOCOUTQ) or acknowledgements. So a reply that fits
 * in those buffers counts as taken once the kernel has it, and a client that goes on reading it for
 * longer than --max-idle without a command is logged out. Guessing a reading time from the size
 * would spare a silent client as readily as a slow one; the limit is 30 minutes by default.
 * The time to log in runs from the connection, whatever the client sends meanwhile: otherwise a NOOP
 * a minute would keep an anonymous connection, and its slot, for ever.
 */
import type { ServerLimits } from './server-limits.js';

/** Which limit a connection reached. */
export type TimeLimit = 'idle' | 'login';

/** The limits a clock keeps; null for no login limit (serve, where a transcript decides). */
export interface TimeLimits {
  maxIdleMs: ServerLimits['maxIdleMs'];
  maxTimeBeforeLoginMs: ServerLimits['maxTimeBeforeLoginMs'] | null;
}

/**
 * What a client that reaches a limit is told before the connection closes: RFC 3501 §7.1.5's BYE
 * (§5.4 calls it autologout), and for POP3 an -ERR as Dovecot sends ("Disconnected for
 * inactivity"): RFC 1939 §3 says the server "should" close without a response, but a client that
 * reads its socket later is better told why it was closed. Neither ends a POP3 session in the
 * UPDATE state: nothing marked for deletion is deleted.
 */
export const TIME_LIMIT_GOODBYE: Readonly<Record<TimeLimit, Readonly<Record<'imap' | 'pop3', string>>>> = {
  idle: { imap: '* BYE Autologout; idle for too long\r\n', pop3: '-ERR Autologout; idle for too long\r\n' },
  login: { imap: '* BYE Autologout; took too long to log in\r\n', pop3: '-ERR Autologout; took too long to log in\r\n' },
};

export class IdleClock {
  /** The last complete command, or the last check at which the client was taking output. */
  private lastUse: number;
  private loggedIn = false;
  /** Output waiting at the last check that found the client taking it; null after a command. */
  private pendingAtCheck: number | null = null;

  constructor(
    private readonly limits: TimeLimits,
    private readonly connectedAt: number,
  ) {
    this.lastUse = connectedAt;
  }

  /** A complete command (or continuation line) came at `now`. */
  commandRead(now: number): void {
    this.lastUse = Math.max(this.lastUse, now);
    this.pendingAtCheck = null;
  }

  /** The client's output drained at `now`: the idle time counts from here. */
  outputTaken(now: number): void {
    this.lastUse = Math.max(this.lastUse, now);
  }

  /** The client logged in: from now on only the idle limit applies. */
  login(): void {
    this.loggedIn = true;
  }

  /** When a limit may next be reached: check() then. */
  get deadline(): number {
    const idle = this.lastUse + this.limits.maxIdleMs;
    const login = this.limits.maxTimeBeforeLoginMs;
    return this.loggedIn || login === null ? idle : Math.min(idle, this.connectedAt + login);
  }

  /**
   * The limit reached at `now`, or null. `pendingOutputOctets`: what was written to the client and
   * not yet taken; less of it than at the last such check means the client is reading, so not idle.
   * Output does not extend the time to log in: nothing before login is large.
   */
  check(now: number, pendingOutputOctets: number): TimeLimit | null {
    const login = this.limits.maxTimeBeforeLoginMs;
    if (!this.loggedIn && login !== null && now >= this.connectedAt + login) return 'login';
    if (now < this.lastUse + this.limits.maxIdleMs) return null;
    if (pendingOutputOctets > 0 && (this.pendingAtCheck === null || pendingOutputOctets < this.pendingAtCheck)) {
      this.pendingAtCheck = pendingOutputOctets;
      this.lastUse = now;
      return null;
    }
    return 'idle';
  }
}
