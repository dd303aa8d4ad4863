// Module hooks (run on Node's hooks thread) for register.mjs: every resolved module's URL is
// appended to the log file, synchronously, so none is lost when the process exits.
import { appendFileSync } from 'node:fs';

let log;

export function initialize(data) {
  log = data.log;
}

export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, `${resolved.url}\n`);
  return resolved;
}
