/**
 * The library entry (src/index.ts, compiled to dist/index.js for the notebooks) loads through
 * require() — as tslab loads it — without TensorFlow.js, and so without top-level await anywhere in
 * its import graph. Checked against the sources (tsx's CommonJS loader refuses top-level await just
 * as require() of an ES module does), so a change is caught before any build.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');

function requireFromSource(file: string): ReturnType<typeof spawnSync> {
  const code = `
    const m = require(${JSON.stringify(file)});
    const tf = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
    process.stdout.write(JSON.stringify({ NPE: typeof m.NPE, MFNPE: typeof m.MFNPE, simulateTrace: typeof m.simulateTrace, tf: tf.length }));
  `;
  return spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: root, encoding: 'utf8' });
}

test('src/index.ts loads with require() and without TensorFlow.js', () => {
  const r = requireFromSource('./src/index.ts');
  assert.equal(r.status, 0, String(r.stderr));
  assert.deepEqual(JSON.parse(String(r.stdout)), { NPE: 'function', MFNPE: 'function', simulateTrace: 'function', tf: 0 });
});

test('the check fails for a module with top-level await (negative control)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-tla-'));
  try {
    const file = join(dir, 'tla.ts');
    writeFileSync(file, 'export const NPE = await Promise.resolve(1);\n');
    const r = requireFromSource(file);
    assert.notEqual(r.status, 0);
    assert.match(String(r.stderr), /[Tt]op-level await/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('getTf() loads TensorFlow.js on demand', () => {
  const code = `require('./src/backend.ts').getTf().then((tf) => process.stdout.write(typeof tf.tensor))`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', code], { cwd: root, encoding: 'utf8', env: { ...process.env, MFNPE_QUIET: '1' } });
  assert.equal(out, 'function');
});
