'use strict';
/**
 * V8's code cache for the bundle's files: a run takes each file's compiled code from the cache beside
 * it (session-XXXX.js.cache) instead of compiling the file again. Without it a session compiles the
 * bundle and, as it first calls them, the functions it runs: about 6 ms of its start. Node.js 20 has
 * no compile cache of its own for CommonJS (module.enableCompileCache() came in 22.1).
 *
 * The caches are made by the build (scripts/code-cache.mjs, a short session against the sandbox), so
 * they hold the functions a session runs, not only the files' top levels; nothing writes them at run
 * time. V8 checks a cache against its own version, its flags and the length of the source, and
 * compiles as usual when one does not fit (another Node.js, NODE_OPTIONS with V8 flags). It does not
 * check the source's text, so a cache older than its file (an edited bundle) is not read.
 */
// The CommonJS loader, as this module's own: require('node:module') would load more of Node.js (about 1 ms).
const Module = module.constructor;
const { readFileSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** Where the bundle is, as Node.js names its files: by their real paths, as this file's own. */
const BUNDLE = join(__dirname, '..', 'dist', 'bundle');

/** Each bundle file compiled here: whether V8 took its cache ('taken', 'rejected' or 'none'). For the tests. */
const compiled = new Map();
let installed = false;

/**
 * Compiles the bundle's files through the code cache beside each. With `onCompiled`, caches are not
 * read: every file is compiled afresh and handed over with the script made of it, whose
 * createCachedData() gives its cache (what the build does). Once per process.
 */
function useCodeCache(onCompiled) {
  if (installed || !loaderTakesCaches()) return;
  installed = true;
  const compile = Module.prototype._compile;
  Module.prototype._compile = function compileFromCache(content, filename, ...rest) {
    if (dirname(filename) !== BUNDLE) return compile.call(this, content, filename, ...rest);
    const cachedData = onCompiled === undefined ? cacheOf(filename) : undefined;
    // The wrapper Node.js itself puts around a CommonJS file, on the file's first line: line numbers hold.
    const { Script } = require('node:vm');
    const script = new Script(`(function (exports, require, module, __filename, __dirname) { ${content}\n});`, { filename, cachedData });
    compiled.set(filename, cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'taken');
    onCompiled?.(script, filename);
    const wrapper = script.runInThisContext();
    return wrapper.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
}

/**
 * Whether this Node.js compiles CommonJS as Node.js 20 does, through Module.prototype._compile with
 * no cache of its own. Node.js 22 has its own (module.enableCompileCache) and a loader that keeps more
 * state around _compile: there the files load as Node.js loads them, without these caches.
 */
function loaderTakesCaches() {
  return typeof Module.enableCompileCache !== 'function';
}

/** The cache of a file, unless there is none or it is older than the file. */
function cacheOf(filename) {
  const cacheFile = `${filename}.cache`;
  try {
    if (statSync(cacheFile).mtimeMs < statSync(filename).mtimeMs) return undefined;
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

module.exports = { useCodeCache, compiled };
