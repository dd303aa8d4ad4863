// Preloaded with `node --import` by the start-up tests: logs every module the process loads to the
// file named by MAILWIRE_MODULE_LOG, one a line. ESM imports (ours, packages', built-ins') are seen
// by a resolve hook; at exit, the files require() loaded (ES modules too, which the hooks do not see
// on Node.js 20) and Node's list of the built-in modules it loaded are added, the built-ins as
// `builtin:NAME` lines.
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

const log = process.env.MAILWIRE_MODULE_LOG;
register('./hooks.mjs', import.meta.url, { data: { log } });
process.on('exit', () => {
  const required = Object.keys(createRequire(import.meta.url).cache).map((path) => pathToFileURL(path).href);
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => `builtin:${m.slice('NativeModule '.length)}`);
  appendFileSync(log, `${[...required, ...builtins].join('\n')}\n`);
});
