#!/usr/bin/env node
// The installed command: everything lives in the built CLI; this file only hands it argv.
import { run } from '../dist/bundle/main.js';

process.exitCode = await run(process.argv.slice(2));
