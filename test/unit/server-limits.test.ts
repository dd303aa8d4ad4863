/**
 * The server limits as data: every limit is an option of mailwire sandbox, documented in the README
 * with its default; sizes read as people write them; the shared ledger, rate and login delays.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readLimitOptions } from '../../src/cli/limit-options.js';
import { ConnectionLedger, DEFAULT_SERVER_LIMITS, FailedLogins, formatLimitValue, LIMIT_DESCRIPTIONS, parseLimitValue, UserRate } from '../../src/transport/server-limits.js';
import { runMain } from '../support/cli.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

describe('server limits', () => {
  it('every limit is in the README with its default, and in mailwire sandbox --help', async () => {
    const help = await runMain(['sandbox', '--help']);
    for (const d of LIMIT_DESCRIPTIONS) {
      expect(README).toContain(`| \`${d.option}\` | ${d.what} | ${formatLimitValue(DEFAULT_SERVER_LIMITS[d.key], d.unit)} |`);
      expect(help.stdout).toContain(d.option);
    }
    expect(Object.keys(DEFAULT_SERVER_LIMITS).sort()).toEqual(LIMIT_DESCRIPTIONS.map((d) => d.key).sort());
  });

  it('reads sizes with k, M, G and counts as whole numbers; anything else is a usage error', () => {
    expect(parseLimitValue('65536', 'octets')).toBe(65536);
    expect(parseLimitValue('64k', 'octets')).toBe(65536);
    expect(parseLimitValue('32M', 'octets')).toBe(32 * 1024 * 1024);
    expect(parseLimitValue('1GiB', 'octets')).toBe(1024 ** 3);
    expect(parseLimitValue('0', 'count')).toBeNull();
    expect(parseLimitValue('10k', 'count')).toBeNull();
    expect(parseLimitValue('-5', 'octets')).toBeNull();
    expect(parseLimitValue('99999999999999999999', 'octets')).toBeNull();
    expect(readLimitOptions({ maxLine: '8k', maxConnections: '30' })).toEqual({ maxLineOctets: 8192, maxConnections: 30 });
    expect(() => readLimitOptions({ maxStore: 'lots' })).toThrow(/^--max-store lots: expected e\.g\. 65536, 64k or 32M$/);
    expect(() => readLimitOptions({ maxLine: '0' })).toThrow(/^--max-line 0: a limit must be more than 0$/);
  });

  it('reads times as seconds, or with ms, s, m, h, kept in milliseconds; shows them as people write them', () => {
    expect(parseLimitValue('90', 'time')).toBe(90_000);
    expect(parseLimitValue('500ms', 'time')).toBe(500);
    expect(parseLimitValue('30m', 'time')).toBe(30 * 60_000);
    expect(parseLimitValue('1h', 'time')).toBe(3_600_000);
    expect(parseLimitValue('0', 'time')).toBeNull();
    expect(parseLimitValue('1.5s', 'time')).toBeNull();
    expect(parseLimitValue('10k', 'time')).toBeNull();
    expect(formatLimitValue(30 * 60_000, 'time')).toBe('30 min');
    expect(formatLimitValue(1500, 'time')).toBe('1500 ms');
    expect(readLimitOptions({ maxIdle: '2s', maxTimeBeforeLogin: '1m' })).toEqual({ maxIdleMs: 2000, maxTimeBeforeLoginMs: 60_000 });
    expect(() => readLimitOptions({ maxIdle: 'soon' })).toThrow(/^--max-idle soon: expected seconds, or e\.g\. 90s, 30m, 1h$/);
    expect(() => readLimitOptions({ maxIdle: '0s' })).toThrow(/^--max-idle 0s: a limit must be more than 0/);
  });

  it('the ledger counts connections in all and per user', () => {
    const ledger = new ConnectionLedger({ maxConnections: 2, maxConnectionsPerUser: 1 });
    expect([ledger.admit(), ledger.admit(), ledger.admit()]).toEqual([true, true, false]);
    expect([ledger.login('joe'), ledger.login('joe'), ledger.login('mrc')]).toEqual([true, false, true]);
    ledger.logout('joe');
    ledger.release();
    expect([ledger.login('joe'), ledger.admit()]).toEqual([true, true]);
  });

  it('the rate saves up a burst of twice its rate, then lets one command through per 1/rate s', () => {
    const rate = new UserRate(10);
    const waits = Array.from({ length: 21 }, () => rate.take('joe', 0));
    expect(waits.filter((w) => w === 0)).toHaveLength(20);
    expect(waits[20]).toBe(100);
    expect(rate.take('mrc', 0)).toBe(0);
    expect(rate.take('joe', 100)).toBe(0);
    expect(rate.take('joe', 100)).toBe(100);
  });

  it('failed logins: 3 free, then 1 s, 2 s, 4 s ... at most 30 s; a success clears them', () => {
    const f = new FailedLogins();
    for (let i = 0; i < 2; i++) f.failed('joe', 0);
    expect(f.waitFor('joe', 0)).toBe(0);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      f.failed('joe', now);
      waits.push(f.waitFor('joe', now));
      now += waits.at(-1) as number;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    f.succeeded('joe');
    expect(f.waitFor('joe', now)).toBe(0);
  });
});
