/**
 * The layer picture of docs/architecture.md, checked over the real import graph of src/: no import
 * cycle anywhere, every import points down the layer order, and the libraries that belong to one
 * layer (sockets, the terminal, colors, the option parser) are imported by that layer alone. Type-only
 * and lazy `import()` dependencies count like any other.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  externalViolations,
  findCycles,
  importGraph,
  importSites,
  layerViolations,
  readSourceTree,
  type LayerOrder,
} from '../support/import-graph.js';

/** Bottom first; layers on one rung may not import each other. Keep in step with docs/architecture.md. */
const LAYERS: LayerOrder = {
  rungs: [
    ['base'], // src/errors.ts, src/env.ts
    ['protocol'],
    ['transport'],
    ['session', 'sandbox'],
    ['render'],
    ['transcript'],
    ['shell', 'proxy'],
    ['cli'],
  ],
  rootLayer: 'base',
};

/** Libraries only some layers may import. */
const ONLY_IN = new Map<string, readonly string[]>([
  ['node:net', ['transport']],
  ['node:tls', ['transport']],
  ['node:readline', ['shell', 'cli']],
  ['chalk', ['render']],
  ['commander', ['cli']],
]);

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('the import graph of src/', () => {
  const graph = importGraph(readSourceTree(SRC));

  it('is read whole', () => {
    expect(graph.files.size).toBeGreaterThan(100);
    expect(graph.edges.get('cli/main.ts')?.map((e) => e.to)).toContain('cli/subcommands.ts');
  });

  it('has no cycle', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('only imports down the layer order', () => {
    expect(layerViolations(graph, LAYERS)).toEqual([]);
  });

  it('keeps sockets in transport, the terminal in shell and cli, colors in render, options in cli', () => {
    expect(externalViolations(graph, LAYERS, ONLY_IN)).toEqual([]);
  });
});

describe('the checks themselves', () => {
  const tree = (files: Record<string, string>) => importGraph(new Map(Object.entries(files)));

  it('see every kind of import: value, type-only, re-export, import() call and import() type', () => {
    const sites = importSites(
      'x.ts',
      [
        "import { a } from './a.js';",
        "import type { B } from './b.js';",
        "export { c } from './c.js';",
        "export * from './d.js';",
        "const e = () => import('./e.js');",
        "let f: typeof import('./f.js');",
        "type G = import('./g.js').G;",
        'const h = await import(name);',
      ].join('\n'),
    );
    expect(sites.map((s) => `${s.line} ${s.specifier}${s.computed ? ' (computed)' : ''}`)).toEqual([
      '1 ./a.js',
      '2 ./b.js',
      '3 ./c.js',
      '4 ./d.js',
      '5 ./e.js',
      '6 ./f.js',
      '7 ./g.js',
      '8 name (computed)',
    ]);
  });

  it('find a cycle closed by a type-only import, and one closed by a lazy import', () => {
    const graph = tree({
      'session/a.ts': "import { b } from './b.js';",
      'session/b.ts': "import type { A } from './a.js';",
      'cli/main.ts': "import { x } from './table.js';",
      'cli/table.ts': "export const load = () => import('./command.js');",
      'cli/command.ts': "import { helpText } from './table.js';",
      'cli/alone.ts': "import './alone.js';",
    });
    expect(findCycles(graph)).toEqual([
      'cli/alone.ts -> cli/alone.ts',
      'cli/command.ts -> cli/table.ts -> cli/command.ts',
      'session/a.ts -> session/b.ts -> session/a.ts',
    ]);
  });

  it('flag an import that runs up, one between siblings, and a folder the order does not name', () => {
    const graph = tree({
      'errors.ts': '',
      'protocol/request.ts': "import type { SessionEvent } from '../session/events.js';\nimport { MailwireError } from '../errors.js';",
      'session/events.ts': "import type { Request } from '../protocol/request.js';",
      'sandbox/server.ts': "import { x } from '../session/events.js';",
      'scratch/relay.ts': "import { x } from '../session/events.js';",
    });
    expect(layerViolations(graph, LAYERS)).toEqual([
      'protocol/request.ts:1: protocol imports session/events.ts (session), which is above it',
      'sandbox/server.ts:1: sandbox imports session/events.ts (session), which is beside it',
      "scratch/relay.ts: layer 'scratch' is not in the layer order",
    ]);
  });

  it('flag node:tls outside transport, a path to no file, and an import() no checker can follow', () => {
    const graph = tree({
      'transport/connection.ts': "import { connect } from 'node:tls';",
      'session/runner.ts': "import type { TLSSocket } from 'node:tls';\nimport { gone } from './gone.js';\nconst m = await import(name);",
    });
    expect(externalViolations(graph, LAYERS, ONLY_IN)).toEqual([
      'session/runner.ts:1: session imports node:tls (only transport may)',
      "session/runner.ts:2: './gone.js' names no source file",
      'session/runner.ts:3: import(name) is not a string literal',
    ]);
  });
});
