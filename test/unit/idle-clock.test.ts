/**
 * The time limits of mailwire's servers, on a clock run by hand: idle time counts from the last
 * complete command, never from a byte; the time to log in counts from the connection, whatever is
 * sent; a client still taking a reply is not idle, one that takes nothing is; and the watch fires
 * once, at the right moment, and not after stop().
 */
import { describe, expect, it } from 'vitest';
import { IdleClock, type TimeLimit } from '../../src/transport/idle-clock.js';
import { endForTimeLimit, IdleWatch, type WatchTimers } from '../../src/transport/idle-watch.js';
import { OWN_CLIENT_TIME_LIMITS } from '../../src/sandbox/sandbox-server.js';

const MIN = 60_000;
const LIMITS = { maxIdleMs: 30 * MIN, maxTimeBeforeLoginMs: 3 * MIN };

/** Timers run by hand: advance(ms) fires what falls due, in order. */
class HandTimers implements WatchTimers {
  at = 0;
  private pending: Array<{ due: number; run: () => void; id: number }> = [];
  private ids = 0;
  now = (): number => this.at;
  setTimeout = (run: () => void, ms: number): unknown => {
    const id = ++this.ids;
    this.pending.push({ due: this.at + ms, run, id });
    return id;
  };
  clearTimeout = (handle: unknown): void => {
    this.pending = this.pending.filter((p) => p.id !== handle);
  };
  advance(ms: number): void {
    const end = this.at + ms;
    for (;;) {
      this.pending.sort((a, b) => a.due - b.due);
      const next = this.pending[0];
      if (!next || next.due > end) break;
      this.pending.shift();
      this.at = next.due;
      next.run();
    }
    this.at = end;
  }
  get armed(): number {
    return this.pending.length;
  }
}

/** A connection whose untaken output the test sets. */
function fakeConnection(): { pendingOutputOctets: number; drained: Array<() => void>; whenDrained(then: () => void): void } {
  const conn = {
    pendingOutputOctets: 0,
    drained: [] as Array<() => void>,
    whenDrained: (then: () => void) => void conn.drained.push(then),
  };
  return conn;
}

describe('IdleClock', () => {
  it('counts idle time from the last complete command', () => {
    const clock = new IdleClock(LIMITS, 0);
    clock.login();
    clock.commandRead(10 * MIN);
    expect(clock.check(39 * MIN, 0)).toBeNull();
    expect(clock.deadline).toBe(40 * MIN);
    expect(clock.check(40 * MIN, 0)).toBe('idle');
  });

  it('gives a connection 3 minutes to log in, however many commands it sends', () => {
    const clock = new IdleClock(LIMITS, 0);
    for (let t = 0; t < 3 * MIN; t += 10_000) clock.commandRead(t);
    expect(clock.check(3 * MIN - 1, 0)).toBeNull();
    expect(clock.check(3 * MIN, 0)).toBe('login');
    const logged = new IdleClock(LIMITS, 0);
    logged.commandRead(2 * MIN);
    logged.login();
    expect(logged.check(3 * MIN, 0)).toBeNull();
    expect(logged.deadline).toBe(32 * MIN);
  });

  it('no login limit when there is none (serve)', () => {
    const clock = new IdleClock({ maxIdleMs: MIN, maxTimeBeforeLoginMs: null }, 0);
    clock.commandRead(50_000);
    expect(clock.check(100_000, 0)).toBeNull();
    expect(clock.check(110_000, 0)).toBe('idle');
  });

  it('a client still taking a reply is not idle; one that takes nothing more is', () => {
    const clock = new IdleClock(LIMITS, 0);
    clock.login();
    expect(clock.check(30 * MIN, 4_000_000)).toBeNull();
    expect(clock.check(60 * MIN, 3_000_000)).toBeNull();
    expect(clock.check(90 * MIN, 3_000_000)).toBe('idle');
  });

  it('idle time counts from when the output drained', () => {
    const clock = new IdleClock(LIMITS, 0);
    clock.login();
    expect(clock.check(30 * MIN, 1000)).toBeNull();
    clock.outputTaken(45 * MIN);
    expect(clock.check(60 * MIN, 0)).toBeNull();
    expect(clock.check(75 * MIN, 0)).toBe('idle');
  });
});

describe('IdleWatch', () => {
  it('fires once at the limit; commands move it; stop() ends it', () => {
    const timers = new HandTimers();
    const fired: TimeLimit[] = [];
    const watch = new IdleWatch(fakeConnection(), { maxIdleMs: 1000, maxTimeBeforeLoginMs: 5000 }, (l) => fired.push(l), timers);
    watch.loggedIn();
    timers.advance(900);
    watch.commandRead();
    timers.advance(900);
    expect(fired).toEqual([]);
    timers.advance(100);
    expect(fired).toEqual(['idle']);
    timers.advance(10_000);
    expect(fired).toEqual(['idle']);
    expect(timers.armed).toBe(0);

    const stopped = new IdleWatch(fakeConnection(), { maxIdleMs: 1000, maxTimeBeforeLoginMs: 5000 }, (l) => fired.push(l), timers);
    stopped.stop();
    timers.advance(10_000);
    expect(fired).toEqual(['idle']);
  });

  it('a sandbox only its own process uses (demo, step --sandbox) has no time limit: silent for 60 days, still there', () => {
    const timers = new HandTimers();
    const fired: TimeLimit[] = [];
    const watch = new IdleWatch(fakeConnection(), OWN_CLIENT_TIME_LIMITS, (l) => fired.push(l), timers);
    for (let day = 0; day < 60; day++) timers.advance(24 * 60 * MIN);
    expect(fired).toEqual([]);
    // Still checking, with a delay a timer can hold (2^31 - 1 ms at most), not firing at once.
    expect(timers.armed).toBe(1);
    watch.stop();
  });

  it('reaches the login limit though commands keep coming', () => {
    const timers = new HandTimers();
    const fired: TimeLimit[] = [];
    const watch = new IdleWatch(fakeConnection(), { maxIdleMs: 1000, maxTimeBeforeLoginMs: 3000 }, (l) => fired.push(l), timers);
    for (let i = 0; i < 5; i++) {
      timers.advance(500);
      watch.commandRead();
    }
    expect(fired).toEqual([]);
    for (let i = 0; i < 5; i++) {
      timers.advance(500);
      watch.commandRead();
    }
    expect(fired).toEqual(['login']);
  });

  it('waits for a reply being taken, and counts from its drain', () => {
    const timers = new HandTimers();
    const conn = fakeConnection();
    const fired: TimeLimit[] = [];
    const watch = new IdleWatch(conn, { maxIdleMs: 1000, maxTimeBeforeLoginMs: null }, (l) => fired.push(l), timers);
    watch.loggedIn();
    conn.pendingOutputOctets = 5000;
    timers.advance(1000);
    expect(fired).toEqual([]);
    conn.pendingOutputOctets = 0;
    timers.advance(500);
    for (const then of conn.drained.splice(0)) then();
    timers.advance(900);
    expect(fired).toEqual([]);
    timers.advance(100);
    expect(fired).toEqual(['idle']);
  });

  it('endForTimeLimit: the goodbye and a close, or a cut when the client takes nothing', () => {
    const calls: string[] = [];
    const conn = (pendingOutputOctets: number) => ({
      pendingOutputOctets,
      write: (b: Buffer) => void calls.push(`write ${b.toString().trim()}`),
      close: () => void calls.push('close'),
      destroy: () => void calls.push('destroy'),
    });
    expect(endForTimeLimit(conn(0), Buffer.from('* BYE Autologout; idle for too long\r\n'))).toBe(true);
    expect(endForTimeLimit(conn(10), Buffer.from('* BYE Autologout; idle for too long\r\n'))).toBe(false);
    expect(calls).toEqual(['write * BYE Autologout; idle for too long', 'close', 'destroy']);
  });
});
