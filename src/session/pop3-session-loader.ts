/**
 * Loads pop3-session.ts (and the POP3 framer under it) synchronously, when a POP3 session is made:
 * the runner and replay make their session in their constructors, and an IMAP session or replay
 * never needs the POP3 code (start-up time). Node.js loads an ES module by require() since 20.19
 * (package.json's engines). The bundler does not follow this require(): scripts/bundle.mjs makes
 * pop3-session.js an entry of its own beside the chunk that holds this module, so the same relative
 * path serves dist/ and the bundle. The tests, which run the TypeScript sources, put a static import
 * in this module's place (vitest.config.ts): require() cannot load a .ts file.
 */
import { createRequire } from 'node:module';

type Pop3SessionModule = typeof import('./pop3-session.js');

let loaded: Pop3SessionModule | undefined;

/** pop3-session.js, loaded on the first call. */
export function loadPop3Session(): Pop3SessionModule {
  loaded ??= createRequire(import.meta.url)('./pop3-session.js') as Pop3SessionModule;
  return loaded;
}
