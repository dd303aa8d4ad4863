'use strict';
// Preloaded by scripts/code-cache.mjs into a short session against the sandbox: compiles the bundle's
// files afresh and, when the session ends, writes each one's code cache beside it. Written then, a
// cache holds the functions the session ran as well as the file's top level.
const { writeFileSync } = require('node:fs');
const { useCodeCache } = require('../bin/code-cache.js');

const scripts = [];
useCodeCache((script, filename) => scripts.push({ script, filename }));
process.on('exit', () => {
  for (const { script, filename } of scripts) writeFileSync(`${filename}.cache`, script.createCachedData());
});
