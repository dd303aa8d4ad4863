// Preloaded with `node --import` by the start-up tests: logs every module the process loads to the
// file named by MAILWIRE_MODULE_LOG, one a line. ESM imports (ours, packages', built-ins') are seen
// by a resolve hook; at exit, Node's list of the built-in modules it loaded (also those required
// lazily) is added as `builtin:NAME` lines.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';

const log = process.env.MAILWIRE_MODULE_LOG;
register('./hooks.mjs', import.meta.url, { data: { log } });
process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => `builtin:${m.slice('NativeModule '.length)}`);
  appendFileSync(log, `${builtins.join('\n')}\n`);
});
