/**
 * The import graph of a TypeScript source tree, read with the TypeScript compiler's own parser, and
 * the two questions asked of it: is there a cycle, and does any import run against the layer order?
 * Every kind of import counts: value and type-only imports, `export ... from`, `import()` calls and
 * `import('...')` types, because each is a module a reader must follow to understand the importer.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import of one file: what it names, and where in the file (for failure messages). */
export interface ImportSite {
  /** The specifier as written: './events.js', 'node:tls', 'commander'. */
  specifier: string;
  line: number;
  /** The specifier is not a string literal (`import(name)`): no checker can follow it. */
  computed: boolean;
}

/** Files by path relative to the tree's root, with '/' separators ('session/runner.ts'). */
export interface ImportGraph {
  files: Set<string>;
  /** Imports of files of the tree, resolved to their paths. */
  edges: Map<string, { to: string; line: number }[]>;
  /** Everything that does not resolve to a file of the tree: packages, node: built-ins, broken paths. */
  external: Map<string, ImportSite[]>;
}

/** Every import site of one source text, in order. */
export function importSites(fileName: string, text: string): ImportSite[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const lineOf = (node: ts.Node): number => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const add = (node: ts.Node, argument: ts.Node | undefined): void => {
    if (argument && ts.isStringLiteralLike(argument)) sites.push({ specifier: argument.text, line: lineOf(node), computed: false });
    else sites.push({ specifier: argument ? argument.getText(source) : '', line: lineOf(node), computed: true });
  };
  // Iterative walk: nesting depth is the source's, never the stack's.
  const pending: ts.Node[] = [source];
  while (pending.length > 0) {
    const node = pending.pop() as ts.Node;
    if (ts.isImportDeclaration(node)) add(node, node.moduleSpecifier);
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier) add(node, node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0]);
    else if (ts.isImportTypeNode(node)) {
      add(node, ts.isLiteralTypeNode(node.argument) ? node.argument.literal : node.argument);
    }
    const children: ts.Node[] = [];
    ts.forEachChild(node, (child) => {
      children.push(child);
    });
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i] as ts.Node);
  }
  return sites.sort((a, b) => a.line - b.line);
}

/**
 * The graph of `sources` (path -> text, paths relative to the root with '/'). A relative specifier
 * resolves as NodeNext does for our sources: './x.js' names './x.ts'.
 */
export function importGraph(sources: ReadonlyMap<string, string>): ImportGraph {
  const files = new Set(sources.keys());
  const edges = new Map<string, { to: string; line: number }[]>();
  const external = new Map<string, ImportSite[]>();
  for (const [file, text] of sources) {
    const out: { to: string; line: number }[] = [];
    const outside: ImportSite[] = [];
    for (const site of importSites(file, text)) {
      const target = site.computed || !site.specifier.startsWith('.')
        ? null
        : posix.normalize(posix.join(posix.dirname(file), site.specifier.replace(/\.js$/, '.ts')));
      if (target !== null && files.has(target)) out.push({ to: target, line: site.line });
      else outside.push(site);
    }
    edges.set(file, out);
    external.set(file, outside);
  }
  return { files, edges, external };
}

/** The .ts files below `root`, read into the form importGraph takes. */
export function readSourceTree(root: string): Map<string, string> {
  const sources = new Map<string, string>();
  const folders = [root];
  while (folders.length > 0) {
    const folder = folders.pop() as string;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) folders.push(path);
      else if (entry.name.endsWith('.ts')) sources.set(relative(root, path).split(sep).join('/'), readFileSync(path, 'utf8'));
    }
  }
  return sources;
}

/**
 * Every cycle of the graph, one per strongly connected component of more than one file (or a file
 * that imports itself), each written as the path that closes it: 'a.ts -> b.ts -> a.ts'.
 */
export function findCycles(graph: ImportGraph): string[] {
  const cycles: string[] = [];
  for (const component of stronglyConnected(graph)) {
    const start = [...component].sort()[0] as string;
    const loop = shortestLoop(graph, start, component);
    if (loop) cycles.push(loop.join(' -> '));
  }
  return cycles.sort();
}

/** Tarjan's algorithm, iterative; only components that hold a cycle are returned. */
function stronglyConnected(graph: ImportGraph): Set<string>[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: Set<string>[] = [];
  let next = 0;
  for (const root of [...graph.files].sort()) {
    if (index.has(root)) continue;
    const work: { file: string; edge: number }[] = [{ file: root, edge: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { file: string; edge: number };
      const targets = graph.edges.get(frame.file) ?? [];
      if (frame.edge < targets.length) {
        const to = (targets[frame.edge++] as { to: string }).to;
        if (!index.has(to)) {
          index.set(to, next);
          low.set(to, next++);
          stack.push(to);
          onStack.add(to);
          work.push({ file: to, edge: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.file, Math.min(low.get(frame.file) as number, index.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.file, Math.min(low.get(parent.file) as number, low.get(frame.file) as number));
      if (low.get(frame.file) === index.get(frame.file)) {
        const component = new Set<string>();
        let member: string;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          component.add(member);
        } while (member !== frame.file);
        const selfLoop = (graph.edges.get(frame.file) ?? []).some((e) => e.to === frame.file);
        if (component.size > 1 || selfLoop) found.push(component);
      }
    }
  }
  return found;
}

/** Breadth-first from `start` back to itself inside `component`: the shortest cycle through it. */
function shortestLoop(graph: ImportGraph, start: string, component: Set<string>): string[] | null {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let at = 0; at < queue.length; at++) {
    const file = queue[at] as string;
    for (const { to } of graph.edges.get(file) ?? []) {
      if (!component.has(to)) continue;
      if (to === start) {
        const path = [start];
        for (let back: string | undefined = file; back !== undefined && back !== start; back = cameFrom.get(back)) path.unshift(back);
        path.unshift(start);
        return path;
      }
      if (!cameFrom.has(to)) {
        cameFrom.set(to, file);
        queue.push(to);
      }
    }
  }
  return null;
}

/**
 * The layer order, bottom first. Layers on one rung are siblings: neither may import the other.
 * A file belongs to the layer named by its first folder ('session/runner.ts' -> 'session'); files at
 * the root belong to the layer named `rootLayer`.
 */
export interface LayerOrder {
  rungs: readonly (readonly string[])[];
  rootLayer: string;
}

export function layerOf(file: string, order: LayerOrder): string {
  const slash = file.indexOf('/');
  return slash === -1 ? order.rootLayer : file.slice(0, slash);
}

/**
 * Imports that run against the layer order (to a layer on the same rung or a higher one), and files
 * in a folder the order does not name, each as one readable line.
 */
export function layerViolations(graph: ImportGraph, order: LayerOrder): string[] {
  const rung = new Map<string, number>();
  order.rungs.forEach((layers, at) => {
    for (const layer of layers) rung.set(layer, at);
  });
  const problems: string[] = [];
  for (const file of [...graph.files].sort()) {
    const from = layerOf(file, order);
    const fromRung = rung.get(from);
    if (fromRung === undefined) {
      problems.push(`${file}: layer '${from}' is not in the layer order`);
      continue;
    }
    for (const { to, line } of graph.edges.get(file) ?? []) {
      const into = layerOf(to, order);
      const intoRung = rung.get(into);
      if (into === from || intoRung === undefined) continue;
      if (intoRung >= fromRung) problems.push(`${file}:${line}: ${from} imports ${to} (${into}), which is ${intoRung === fromRung ? 'beside' : 'above'} it`);
    }
  }
  return problems;
}

/**
 * Imports of packages or built-ins that only some layers may use (node:net and node:tls: transport),
 * relative imports that name no file of the tree, and `import()` calls no checker can follow.
 */
export function externalViolations(graph: ImportGraph, order: LayerOrder, onlyIn: ReadonlyMap<string, readonly string[]>): string[] {
  const problems: string[] = [];
  for (const file of [...graph.files].sort()) {
    const layer = layerOf(file, order);
    for (const site of graph.external.get(file) ?? []) {
      const where = `${file}:${site.line}`;
      if (site.computed) problems.push(`${where}: import(${site.specifier}) is not a string literal`);
      else if (site.specifier.startsWith('.')) problems.push(`${where}: '${site.specifier}' names no source file`);
      else {
        const allowed = onlyIn.get(site.specifier);
        if (allowed && !allowed.includes(layer)) problems.push(`${where}: ${layer} imports ${site.specifier} (only ${allowed.join(', ')} may)`);
      }
    }
  }
  return problems;
}
