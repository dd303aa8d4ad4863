#!/usr/bin/env node
// The installed command: everything lives in the built CLI; this file only hands it argv.
// With MAILWIRE_DEBUG set, an internal error shows its stack: Node.js then reads the bundle's source
// maps, as it loads the bundle, so that the stack names the TypeScript sources. Read only then: they
// cost start-up.
if (process.env.MAILWIRE_DEBUG) process.setSourceMapsEnabled(true);
const { run } = await import('../dist/bundle/main.js');

process.exitCode = await run(process.argv.slice(2));
