'use strict';
// Preloaded by test/integration/code-cache.test.ts: gives this Node.js 20 the module.enableCompileCache
// of Node.js 22 (as a function that does nothing), so that the command takes it for such a Node.js.
require('node:module').enableCompileCache = function enableCompileCache() {};
