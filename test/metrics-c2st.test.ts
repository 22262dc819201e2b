/**
 * C2ST (src/metrics/c2st.ts): calibration on known cases with fixed seeds. Same distribution →
 * 0.5 ± 0.03 (null sd of a 4000-sample accuracy ≈ 0.008); unit-variance Gaussians with means 1
 * apart → between 0.66 and the Bayes rate Φ(1/2) = 0.691 (+ noise): [0.66, 0.71]; two halves of a
 * public reference sample → about 0.5. Also: determinism, fold splitting, z-scoring.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { c2stDetailed, columnMeanStd, kFoldSplit } from '../src/metrics/c2st.js';
import { Rng } from '../src/random.js';
import { getTf } from '../src/backend.js';
import { sbibmFile } from './helpers/sbibm-data.js';

function gaussians(n: number, d: number, shift: number, seed: number): Float64Array {
  const r = new Rng(seed);
  const a = r.normals(n * d);
  for (let i = 0; i < n; i++) a[i * d] += shift;
  return a;
}

test('kFoldSplit: a partition with scikit-learn fold sizes', () => {
  const folds = kFoldSplit(23, 5, new Rng(1));
  assert.deepEqual(
    folds.map((f) => f.length),
    [5, 5, 5, 4, 4],
  );
  const all = Array.from(folds.flatMap((f) => Array.from(f))).sort((a, b) => a - b);
  assert.deepEqual(
    all,
    Array.from({ length: 23 }, (_, i) => i),
  );
});

test('columnMeanStd: means and sample standard deviations (n − 1, as torch.std in sbibm)', () => {
  const { mean, std } = columnMeanStd(Float64Array.from([1, 10, 3, 10]), 2);
  assert.deepEqual(Array.from(mean), [2, 10]);
  assert.deepEqual(Array.from(std), [Math.SQRT2, 0]);
});

test('C2ST: same 3-D Gaussian, 2000 vs 2000 → 0.5 ± 0.03; no tensor leak; deterministic', async () => {
  const tf = await getTf();
  const before = tf.memory().numTensors;
  const X = gaussians(2000, 3, 0, 11);
  const Y = gaussians(2000, 3, 0, 12);
  const r = await c2stDetailed(X, Y, 3, { seed: 1 });
  assert.ok(Math.abs(r.accuracy - 0.5) <= 0.03, `accuracy ${r.accuracy}`);
  assert.equal(r.foldAccuracies.length, 5);
  assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  const again = await c2stDetailed(X, Y, 3, { seed: 1 });
  assert.equal(again.accuracy, r.accuracy);
});

test('C2ST: means 1 apart in one dimension → [0.66, 0.71] (Bayes rate 0.691)', async () => {
  const X = gaussians(2000, 3, 0, 21);
  const Y = gaussians(2000, 3, 1, 22);
  const r = await c2stDetailed(X, Y, 3, { seed: 2 });
  assert.ok(r.accuracy >= 0.66 && r.accuracy <= 0.71, `accuracy ${r.accuracy}`);
});

test('C2ST: disjoint sets → ≈ 1', async () => {
  const X = gaussians(300, 2, 0, 31);
  const Y = gaussians(300, 2, 20, 32);
  const r = await c2stDetailed(X, Y, 2, { seed: 3 });
  assert.ok(r.accuracy > 0.99, `accuracy ${r.accuracy}`);
});

test('C2ST: the two halves of the public two_moons reference sample → about 0.5', async () => {
  const ref = sbibmFile('two_moons', 'reference_posterior_samples').data;
  const half = ref.length / 2;
  const r = await c2stDetailed(ref.subarray(0, half), ref.subarray(half), 2, { seed: 4 });
  assert.ok(Math.abs(r.accuracy - 0.5) <= 0.03, `accuracy ${r.accuracy}`);
});
