/**
 * What the tests run in place of src/transport/deflate-link-loader.ts (vitest.config.ts): the sources
 * are TypeScript, which require() cannot load, so deflate-link.ts is imported statically here. The
 * built command loads it with require(); test/integration/startup-modules.test.ts runs that.
 */
import * as deflateLink from '../../src/transport/deflate-link.js';

export function loadDeflateLink(): typeof deflateLink {
  return deflateLink;
}
