/**
 * The layer rule of docs/architecture.md, checked over the import graph of src/: every project import
 * goes to the same or a lower layer, nothing outside src/cli/ imports src/cli/, and there are no
 * import cycles. Static imports, re-exports and dynamic `import()` of project modules all count.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'src');

/** Layer rank of each top-level module or folder of src/ (ground floor 0). */
const LAYERS: Record<string, number> = {
  random: 0,
  prior: 0,
  errors: 0,
  backend: 0,
  numeric: 0,
  data: 1,
  simulators: 2,
  flows: 3,
  inference: 4,
  tasks: 5,
  metrics: 6,
  plots: 7,
  experiment: 8,
  notebooks: 9,
  cli: 9,
  index: 10,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** 'cli', 'random', … of a file under src/. */
function layerOf(file: string): string {
  const rel = relative(SRC, file).split('/');
  return rel.length > 1 ? rel[0] : rel[0].replace(/\.ts$/, '');
}

/** Project files a source file imports (static, re-export or dynamic), resolved to .ts paths. */
function projectImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'/g)].map((m) => m[1] ?? m[2]);
  return specs.filter((s) => s.startsWith('.')).map((s) => resolve(dirname(file), s).replace(/\.js$/, '.ts'));
}

const files = sourceFiles(SRC);
const graph = new Map(files.map((f) => [f, projectImports(f)]));

test('every module belongs to a known layer', () => {
  const unknown = files.filter((f) => !(layerOf(f) in LAYERS)).map((f) => relative(SRC, f));
  assert.deepEqual(unknown, [], 'add new top-level modules to LAYERS (and docs/architecture.md)');
});

test('imports go only to the same or a lower layer; nothing outside cli/ imports cli/', () => {
  const bad: string[] = [];
  for (const [f, deps] of graph) {
    for (const d of deps) {
      const from = layerOf(f);
      const to = layerOf(d);
      const up = LAYERS[to] > LAYERS[from];
      const intoCli = to === 'cli' && from !== 'cli' && from !== 'index';
      if (up || intoCli) bad.push(`${relative(SRC, f)} → ${relative(SRC, d)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the import graph has no cycles', () => {
  // Depth-first search with colours; report each back edge's cycle.
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (f: string) => {
    state.set(f, 1);
    stack.push(f);
    for (const d of graph.get(f) ?? []) {
      if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((p) => relative(SRC, p)).join(' → '));
      else if (!state.has(d) && graph.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 2);
  };
  for (const f of files) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
});

test('every project import resolves to a file', () => {
  const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d)).map((d) => `${relative(SRC, f)} → ${relative(SRC, d)}`));
  assert.deepEqual(missing, []);
});
