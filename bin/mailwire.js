#!/usr/bin/env node
// The installed command: everything lives in the built CLI; this file only hands it argv. CommonJS,
// as the bundle is (bin/package.json): Node.js then starts no ES module loader for a run.
// The bundle's files load through V8's code cache the build made (code-cache.js). With
// MAILWIRE_DEBUG set, an internal error shows its stack: Node.js then reads the bundle's source maps,
// as it loads the bundle, so that the stack names the TypeScript sources. Read only then: they cost
// start-up; and the files are then compiled by Node.js itself, which is what reads the maps.
'use strict';
if (process.env.MAILWIRE_DEBUG) process.setSourceMapsEnabled(true);
else require('./code-cache.js').useCodeCache();
const { run } = require('../dist/bundle/main.js');

run(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
