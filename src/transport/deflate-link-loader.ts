/**
 * Loads deflate-link.ts (and node:zlib under it) synchronously, when COMPRESS=DEFLATE (RFC 4978)
 * takes effect: the switch must be made at once, before the next byte is read or written, so import()
 * will not do; and a session that never compresses never loads zlib (start-up time). Node.js loads an
 * ES module by require() since 20.19 (package.json's engines). The bundler does not follow this
 * require(): scripts/bundle.mjs makes deflate-link.js an entry of its own beside the chunk that holds
 * this module, so the same relative path serves dist/ and the bundle. The tests, which run the
 * TypeScript sources, put a static import in this module's place (vitest.config.ts): require() cannot
 * load a .ts file.
 */
import { createRequire } from 'node:module';

type DeflateLinkModule = typeof import('./deflate-link.js');

let loaded: DeflateLinkModule | undefined;

/** deflate-link.js, loaded on the first call. */
export function loadDeflateLink(): DeflateLinkModule {
  loaded ??= createRequire(import.meta.url)('./deflate-link.js') as DeflateLinkModule;
  return loaded;
}
