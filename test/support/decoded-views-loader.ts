/**
 * What the tests run in place of src/protocol/imap/decoded-views-loader.ts (vitest.config.ts): the
 * sources are TypeScript, which require() cannot load, so decoded-views.ts is imported statically
 * here. The built command loads it with require(); test/integration/startup-modules.test.ts runs that.
 */
import * as decodedViews from '../../src/protocol/imap/decoded-views.js';

export function loadDecodedViews(): typeof decodedViews {
  return decodedViews;
}
