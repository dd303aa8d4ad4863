'use strict';
// Preloaded by test/integration/code-cache.test.ts: at exit, writes to MAILWIRE_CACHE_REPORT what
// became of each bundle file's code cache, as bin/code-cache.js (the same module the command loads)
// recorded it, by file name.
const { writeFileSync } = require('node:fs');
const { basename, join } = require('node:path');
const { compiled } = require(join(process.argv[1], '..', 'code-cache.js'));

process.on('exit', () => {
  const caches = Object.fromEntries([...compiled].map(([filename, fate]) => [basename(filename), fate]));
  writeFileSync(process.env.MAILWIRE_CACHE_REPORT, JSON.stringify(caches));
});
