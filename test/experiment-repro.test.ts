/**
 * The experiment is reproducible from its seeds: two runs of a tiny config from empty caches give
 * byte-identical metrics.csv and units.csv, and so does a run that reads the cached simulations.
 * The simulation cache is nested (a smaller budget is a prefix of a larger one, and a larger
 * request only appends the missing tail).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfigs } from '../src/experiment/config.js';
import { runExperiment } from '../src/experiment/run.js';
import { writeReport } from '../src/experiment/report.js';
import { cachedJoint } from '../src/experiment/cache.js';
import { getTask } from '../src/tasks/registry.js';
import { STREAM_OFFSET } from '../src/random.js';
import { TINY } from './helpers/tiny-config.js';

process.env.MFNPE_QUIET = '1';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-exp-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

async function runAll(dataDir: string, out: string): Promise<string[]> {
  const files: string[] = [];
  for (const cfg of resolveConfigs({ ...TINY, dataDir }, false)) {
    const res = await runExperiment(cfg, { quiet: true });
    const d = join(out, cfg.task);
    await writeReport(res, d);
    files.push(readFileSync(join(d, 'metrics.csv'), 'utf8'), readFileSync(join(d, 'units.csv'), 'utf8'));
  }
  return files;
}

test('two runs of a tiny config (HH and OU) give identical metrics, with or without the cache', async () => {
  const a = await runAll(join(dir, 'data-a'), join(dir, 'out-a'));
  const b = await runAll(join(dir, 'data-b'), join(dir, 'out-b'));
  const c = await runAll(join(dir, 'data-a'), join(dir, 'out-c')); // everything from the cache
  assert.equal(a.length, 4);
  for (let i = 0; i < a.length; i++) {
    assert.equal(b[i], a[i], `file ${i} differs between fresh runs`);
    assert.equal(c[i], a[i], `file ${i} differs when read from the cache`);
  }
  // The same metrics as before the architecture refactor (test/data/README.md).
  const fixtures = join(import.meta.dirname, 'data', 'experiment');
  assert.equal(a[0], readFileSync(join(fixtures, 'tiny-hh-metrics.csv'), 'utf8'), 'HH metrics.csv differs from the fixture');
  assert.equal(a[2], readFileSync(join(fixtures, 'tiny-ou-metrics.csv'), 'utf8'), 'OU metrics.csv differs from the fixture');
  const hh = a[0].trim().split('\n');
  assert.equal(hh[0], 'method,n_lf,n_hf,seed,metric,value');
  // 1 seed × (2 NPE + 1 npe-lf + 2 MF-NPE) posteriors × 3 metrics (OU: 2 seeds).
  assert.equal(hh.length - 1, 5 * 3);
  assert.equal(a[2].trim().split('\n').length - 1, 2 * 5 * 3);
  for (const line of hh.slice(1)) assert.ok(Number.isFinite(Number(line.split(',')[5])), line);
});

test('the simulation cache is nested: budgets are prefixes, a larger request appends the tail', async () => {
  const task = getTask('ou');
  const base = { dir: join(dir, 'nest'), purpose: 'train', fidelity: 'hf' as const, seed: 3, offset: 0, quiet: true };
  const small = await cachedJoint(task, { ...base, n: 30 });
  assert.equal(small.simulatedNow, 30);
  const big = await cachedJoint(task, { ...base, n: 50 });
  assert.equal(big.simulatedNow, 20);
  const direct = await task.sampleJoint(50, 3, { fidelity: 'hf' });
  assert.deepEqual(big.theta, direct.theta);
  assert.deepEqual(big.x, direct.x);
  const again = await cachedJoint(task, { ...base, n: 40 });
  assert.equal(again.simulatedNow, 0);
  assert.deepEqual(again.x, direct.x.subarray(0, 40 * task.xDim));
  // A test-set request uses its own streams: no overlap with the training set.
  const testSet = await cachedJoint(task, { ...base, purpose: 'test', offset: STREAM_OFFSET.test, n: 5 });
  assert.notDeepEqual(testSet.theta.subarray(0, 2), direct.theta.subarray(0, 2));
  await assert.rejects(cachedJoint(task, { ...base, offset: 7, n: 10 }), /does not match/);
});

test('the simulation cache is safe under concurrency: four processes filling one entry leave a complete, correct file', async () => {
  const { spawn } = await import('node:child_process');
  const cacheDir = join(dir, 'concurrent');
  const code = `
    const { cachedJoint } = await import(${JSON.stringify(join(import.meta.dirname, '..', 'src', 'experiment', 'cache.ts'))});
    const { getTask } = await import(${JSON.stringify(join(import.meta.dirname, '..', 'src', 'tasks', 'registry.ts'))});
    const n = Number(process.argv[1]);
    await cachedJoint(getTask('ou'), { dir: ${JSON.stringify(cacheDir)}, purpose: 'train', fidelity: 'hf', seed: 9, offset: 0, n, quiet: true });
  `;
  const runOne = (n: number) =>
    new Promise<number>((resolve) => {
      const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, String(n)], { stdio: 'inherit' });
      c.on('close', (status) => resolve(status ?? 1));
    });
  assert.deepEqual(await Promise.all([3000, 3000, 2000, 3000].map(runOne)), [0, 0, 0, 0]);
  const task = getTask('ou');
  const got = await cachedJoint(task, { dir: cacheDir, purpose: 'train', fidelity: 'hf', seed: 9, offset: 0, n: 3000, quiet: true });
  const direct = await task.sampleJoint(3000, 9, { fidelity: 'hf' });
  assert.deepEqual(got.theta, direct.theta);
  assert.deepEqual(got.x, direct.x);
});
