/**
 * What the tests run in place of src/session/pop3-session-loader.ts (vitest.config.ts): the sources
 * are TypeScript, which require() cannot load, so pop3-session.ts is imported statically here. The
 * built command loads it with require(); test/integration/startup-modules.test.ts runs that.
 */
import * as pop3Session from '../../src/session/pop3-session.js';

export function loadPop3Session(): typeof pop3Session {
  return pop3Session;
}
