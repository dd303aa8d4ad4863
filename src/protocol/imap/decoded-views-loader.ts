/**
 * Loads decoded-views.ts (and its parsers) synchronously, at the first response that may show a
 * view: a session decides it while it handles the response, which it does synchronously, so import()
 * will not do. Node.js loads an ES module by require() since 20.19 (package.json's engines).
 * The bundler does not follow this require(): scripts/bundle.mjs makes decoded-views.js an entry of
 * its own beside the chunk that holds this module, so the same relative path serves dist/ and the
 * bundle (and the build checks that it does). The tests, which run the TypeScript sources, put a
 * static import in this module's place (vitest.config.ts): require() cannot load a .ts file.
 */
import { createRequire } from 'node:module';

type DecodedViewsModule = typeof import('./decoded-views.js');

let loaded: DecodedViewsModule | undefined;

/** decoded-views.js, loaded on the first call. */
export function loadDecodedViews(): DecodedViewsModule {
  loaded ??= createRequire(import.meta.url)('./decoded-views.js') as DecodedViewsModule;
  return loaded;
}
