import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inShard, parseShard, shardOf } from '../../src/transcript/shard.js';

describe('parseShard', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['2/4', { index: 2, count: 4 }],
    [' 4/4 ', { index: 4, count: 4 }],
    ['1000/1000', { index: 1000, count: 1000 }],
  ])('reads %j', (text, shard) => {
    expect(parseShard(text)).toEqual(shard);
  });

  it.each(['0/4', '5/4', '1/0', '4', '1/4/2', 'a/b', '-1/4', '1/1001', '01/4', '1 / 4', ''])('refuses %j', (text) => {
    expect(parseShard(text)).toBeNull();
  });
});

describe('shardOf', () => {
  const paths = Array.from({ length: 1000 }, (_, i) => `suite/${i % 7}/case-${i}.txt`);

  it('puts every transcript in exactly one shard, whatever the count', () => {
    for (const count of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: count }, (_, k) => inShard(paths, (p) => p, { index: k + 1, count }));
      expect(shards.flat().sort()).toEqual([...paths].sort());
      expect(new Set(shards.flat()).size).toBe(paths.length);
    }
  });

  it('splits a suite roughly evenly', () => {
    const sizes = [1, 2, 3, 4].map((index) => inShard(paths, (p) => p, { index, count: 4 }).length);
    for (const size of sizes) expect(size).toBeGreaterThan(200);
  });

  it('moves no other transcript when one is added', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 40 }), fc.string({ minLength: 1 }), fc.integer({ min: 1, max: 9 }), (suite, added, count) => {
        fc.pre(!suite.includes(added));
        const grown = [...suite, added].sort();
        for (let index = 1; index <= count; index++) {
          const before = inShard(suite, (p) => p, { index, count });
          const after = inShard(grown, (p) => p, { index, count }).filter((p) => p !== added);
          expect(after.sort()).toEqual([...before].sort());
        }
      }),
    );
  });

  it('is the same for a path written with either separator', () => {
    expect(shardOf('imap\\login.txt', 97)).toBe(shardOf('imap/login.txt', 97));
  });
});
