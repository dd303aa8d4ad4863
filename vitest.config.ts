import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      // require() loads an ES module of dist/ (Node.js >= 20.19), never a .ts source: the tests
      // import the decoded views, the POP3 session and the deflate link statically instead (see the substitute's top comment).
      { find: /^.*\/decoded-views-loader\.js$/, replacement: fileURLToPath(new URL('./test/support/decoded-views-loader.ts', import.meta.url)) },
      { find: /^.*\/pop3-session-loader\.js$/, replacement: fileURLToPath(new URL('./test/support/pop3-session-loader.ts', import.meta.url)) },
      { find: /^.*\/deflate-link-loader\.js$/, replacement: fileURLToPath(new URL('./test/support/deflate-link-loader.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers; keep workers few on small CI machines.
    maxWorkers: 2,
  },
});
