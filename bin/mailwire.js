#!/usr/bin/env node
// The installed command: everything lives in the compiled CLI; this file only hands it argv.
import { run } from '../dist/cli/main.js';

process.exitCode = await run(process.argv.slice(2));
