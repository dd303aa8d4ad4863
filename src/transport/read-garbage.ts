/**
 * A minor garbage collection after every few MiB read from the network. Each socket read is a new
 * Buffer of up to 64 KiB whose memory lies outside V8's heap, and it is garbage as soon as it has been
 * framed and shown. While a message body streams, little else is allocated: V8's young generation
 * then hardly fills, and it frees the dead reads only once their memory passes its own limit for
 * memory outside the heap (some 64 MB). Peak memory grew by that much whether the message had 50 MB
 * or 500 (bench/RESULTS.md, "Peak memory while streaming"). A minor collection costs well under a
 * millisecond when little is alive, as here; one every 4 MiB keeps the peak flat.
 *
 * Node.js has no call that asks for a collection without `--expose-gc`; setting the flag now exposes
 * `gc` in contexts made after it, so one new context lends it and the program's own global stays as it
 * was. Where that fails, nothing is collected early and nothing else changes.
 */
import { createRequire } from 'node:module';

const OCTETS_BETWEEN_COLLECTIONS = 4 * 1024 * 1024;

let sinceLast = 0;
/** The minor collection, once made (null where it cannot be). */
let collect: (() => void) | null | undefined;

/** Counts `octets` read from a socket, now garbage; collects the young generation every 4 MiB of them. */
export function readOctetsDone(octets: number): void {
  sinceLast += octets;
  if (sinceLast < OCTETS_BETWEEN_COLLECTIONS) return;
  sinceLast = 0;
  collect ??= minorCollection();
  collect?.();
}

function minorCollection(): (() => void) | null {
  try {
    const require = createRequire(import.meta.url);
    (require('node:v8') as typeof import('node:v8')).setFlagsFromString('--expose-gc');
    const gc: unknown = (require('node:vm') as typeof import('node:vm')).runInNewContext('gc');
    if (typeof gc !== 'function') return null;
    return () => (gc as (options: { type: 'minor' }) => void)({ type: 'minor' });
  } catch {
    return null;
  }
}
