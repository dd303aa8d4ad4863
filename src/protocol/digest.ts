/**
 * Hashes for the pure modules that need one (APOP's MD5, replay's shard SHA-256), with node:crypto
 * loaded at the first hash: every session and replay imports those modules, few of them hash, and
 * loading node:crypto costs each at start-up. require() because the callers hash synchronously, and
 * import() is not.
 */
import type { Hash } from 'node:crypto';
import { createRequire } from 'node:module';

let crypto: typeof import('node:crypto') | undefined;

/** node:crypto's createHash, loaded on the first call. */
export function createHash(algorithm: 'md5' | 'sha256'): Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return crypto.createHash(algorithm);
}
