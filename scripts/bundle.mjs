/**
 * Bundles the compiled CLI (tsc's output in dist/) into dist/bundle/, the files the installed command
 * loads (`npm run build` runs it after tsc). Node.js 20's ES module loader costs about a millisecond a
 * module (resolving with a handful of statx calls, reading, compiling, linking), and a session loads
 * some sixty of ours one by one; a few larger files load in a fraction of that. The files are
 * CommonJS (dist/bundle/package.json says so, as bin/package.json does for the command): a run then
 * starts no ES module loader at all, which took about 4 ms of each. See bench/PROFILES.md.
 *
 * What loads when stays as the sources say; the bundle only puts modules together:
 * - main.js, the entry, and one chunk with what every run loads (cli/main.ts and its static imports:
 *   `mailwire --version` loads these two files);
 * - one chunk with what a plain session adds to them (cli/session-options.ts and
 *   cli/session-command.ts with their static imports);
 * - everything behind another dynamic import (commander's option parser, the shell, chalk, TLS files,
 *   the subcommands) in chunks of their own, as the bundler splits them;
 * - decoded-views.js, pop3-session.js and deflate-link.js as entries of their own, beside the chunks:
 *   their loaders (decoded-views-loader.ts and its kind) require() them synchronously by a path
 *   relative to the loader's module, `./decoded-views.js`, which the bundler does not follow and which
 *   therefore holds in the bundle as in dist/ (checked below).
 * Packages and Node's built-in modules stay outside, required where they are used (chalk, an ES
 * module, by the require() of ES modules that Node.js has had since 20.19: package.json's engines).
 * Each file has a source map that leads back to the TypeScript sources through tsc's maps, read only
 * when bin/mailwire.js turns source maps on (MAILWIRE_DEBUG), so that a stack trace names src/ files.
 * The maps carry no source text: the package ships none, and a line number is what a report needs.
 * chunks.json records which modules each file holds and which files it imports, for the start-up
 * tests (test/integration/startup-modules.test.ts).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { build } from 'rolldown';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = fileURLToPath(new URL('../dist/bundle/', import.meta.url));
/** The packages mailwire depends on: imported at run time from node_modules, never bundled. */
const PACKAGES = Object.keys(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).dependencies);
const inDist = (path) => `${DIST}${path}`;

/** Entries: the CLI, and the modules loaded by require() at run time (named as their sources are). */
const ENTRIES = {
  main: inDist('cli/main.js'),
  'decoded-views': inDist('protocol/imap/decoded-views.js'),
  'pop3-session': inDist('session/pop3-session.js'),
  'deflate-link': inDist('transport/deflate-link.js'),
};

/** Chunks of our choosing, in order: each takes its roots' static imports not taken by one before. */
const GROUPS = [
  { name: 'start', roots: ['cli/main.js'] },
  { name: 'session', roots: ['cli/session-options.js', 'cli/session-command.js'] },
];

/** Modules statically imported, directly or not, by `roots`, leaving out those in `taken`. */
function staticClosure(context, roots, taken) {
  const found = new Set();
  const pending = roots.map(inDist);
  while (pending.length > 0) {
    const id = pending.pop();
    if (found.has(id) || taken.has(id)) continue;
    const info = context.getModuleInfo(id);
    if (info === null) throw new Error(`bundle: ${id} is not part of the build`);
    if (info.isExternal) continue;
    found.add(id);
    pending.push(...info.importedIds);
  }
  return found;
}

const members = new Map(GROUPS.map((g) => [g.name, new Set()]));
const groupMembers = {
  name: 'group-members',
  buildEnd() {
    const taken = new Set();
    for (const group of GROUPS) {
      for (const id of staticClosure(this, group.roots, taken)) {
        members.get(group.name).add(id);
        taken.add(id);
      }
    }
  },
};

/** tsc's output with its map (dist/x.js.map, to src/x.ts), so that the bundle's maps lead to the sources. */
const withTscMaps = {
  name: 'tsc-maps',
  load(id) {
    if (!id.startsWith(DIST) || !id.endsWith('.js') || !existsSync(`${id}.map`)) return null;
    return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
  },
};

const output = await build({
  input: ENTRIES,
  platform: 'node',
  plugins: [groupMembers, withTscMaps],
  external: (id) => id.startsWith('node:') || PACKAGES.some((p) => id === p || id.startsWith(`${p}/`)),
  // Anything the bundler would have to guess about (an import it cannot resolve, say) stops the build.
  onLog(level, log) {
    if (level === 'warn') throw new Error(`bundle: ${log.message}`);
  },
  output: {
    dir: OUT,
    format: 'cjs',
    sourcemap: true,
    cleanDir: true,
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
    codeSplitting: {
      groups: GROUPS.map((g, i) => ({ name: g.name, test: (id) => members.get(g.name).has(id), priority: GROUPS.length - i })),
    },
  },
});

const chunks = {};
const files = new Set(output.output.map((file) => file.fileName));
/** The paths the loaders require(), as found in the bundle: each must be found (see below). */
const required = new Set();
for (const file of output.output) {
  if (file.type !== 'chunk') continue;
  chunks[file.fileName] = {
    modules: file.moduleIds.filter((id) => id.startsWith(DIST)).map((id) => relative(DIST, id)),
    // Files of the bundle only: the imports of packages and built-in modules are not ours.
    imports: file.imports.filter((name) => files.has(name)),
  };
  // A path required at run time must name a file of the bundle, beside the chunk that requires it.
  for (const [, path] of file.code.matchAll(/createRequire\)\(require\("url"\)\.pathToFileURL\(__filename\)\.href\)\("(\.[^"]+)"\)/g)) {
    if (!existsSync(new URL(path, `file://${OUT}${file.fileName}`))) throw new Error(`bundle: ${file.fileName} requires ${path}, which is not in ${relative(process.cwd(), OUT)}`);
    required.add(path);
  }
  // bin/code-cache.js compiles the bundle's files through node:vm, where an import() fails when it runs
  // (no loader is given for it): a built-in or a package is loaded by require() instead.
  if (/\bimport\(\s*["'`]/.test(file.code)) throw new Error(`bundle: ${file.fileName} holds an import(), which fails in a file compiled through node:vm; use require()`);
}
// A check that found nothing checked nothing: the bundler may have written those calls another way.
for (const entry of Object.keys(ENTRIES).filter((name) => name !== 'main')) {
  if (!required.has(`./${entry}.js`)) throw new Error(`bundle: no require() of ./${entry}.js found in the chunks; the check of required paths needs updating`);
}
for (const file of output.output) {
  if (file.type !== 'asset' || !file.fileName.endsWith('.map')) continue;
  const map = JSON.parse(readFileSync(`${OUT}${file.fileName}`, 'utf8'));
  if (!map.sources.every((source) => source.startsWith('../../src/') && source.endsWith('.ts'))) {
    throw new Error(`bundle: ${file.fileName} maps to ${map.sources.find((source) => !source.startsWith('../../src/'))}, not to a TypeScript source`);
  }
  delete map.sourcesContent;
  writeFileSync(`${OUT}${file.fileName}`, JSON.stringify(map));
}
// The package is "type": "module"; the bundle's files are CommonJS, which Node.js 20 loads without
// starting its ES module loader (a few milliseconds of every run).
writeFileSync(`${OUT}package.json`, '{ "type": "commonjs" }\n');
writeFileSync(`${OUT}chunks.json`, `${JSON.stringify(chunks, null, 1)}\n`);
