/**
 * Splitting a suite of transcripts into N shards for a CI matrix (GitHub Actions `strategy.matrix`,
 * GitLab `parallel:`): every job runs `mailwire replay SUITE --shard K/N` and gets a disjoint part.
 * A transcript's shard is a hash of its path relative to the suite, not its place in a sorted
 * list, so adding or removing a file moves no other file to another shard (and a job's cached
 * results stay valid). Pure.
 */
import { createHash } from '../protocol/digest.js';

/** Shard K of N, 1-based as CI systems number their jobs (`CI_NODE_INDEX` is 1..N). */
export interface Shard {
  index: number;
  count: number;
}

/** The most shards a suite may be split into: far more than any CI matrix runs. */
export const MAX_SHARDS = 1000;

/** Parses "K/N" (1 <= K <= N <= 1000); null when the text is not that. */
export function parseShard(text: string): Shard | null {
  const m = /^([1-9]\d{0,3})\/([1-9]\d{0,3})$/.exec(text.trim());
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count > MAX_SHARDS || index > count) return null;
  return { index, count };
}

/**
 * The shard (1..count) a transcript belongs to, from its path relative to the suite with `/` as
 * the separator, so that the same suite splits the same way on every machine and system.
 */
export function shardOf(suitePath: string, count: number): number {
  const digest = createHash('sha256').update(suitePath.split('\\').join('/'), 'utf8').digest();
  return (digest.readUInt32BE(0) % count) + 1;
}

/** The items of one shard, in their given order. */
export function inShard<T>(items: readonly T[], suitePathOf: (item: T) => string, shard: Shard): T[] {
  return items.filter((item) => shardOf(suitePathOf(item), shard.count) === shard.index);
}
