/**
 * MMD (src/metrics/mmd.ts): the spec's test vector to 1e-9, the exact median by histogram
 * refinement against sorting all pairs, zero mean on identical distributions and growth with a
 * mean shift.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kthPairwiseSqDistance, medianPairwiseDistance, mmd, mmdDetailed } from '../src/metrics/mmd.js';
import { mean, std } from '../src/metrics/stats.js';
import { Rng } from '../src/random.js';

test('MMD: the spec test vector (MMD² = −0.0070606307, s = 0.4915614438)', () => {
  const X = new Float64Array(20);
  const Y = new Float64Array(16);
  for (let i = 0; i < 10; i++) {
    X[2 * i] = i / 10;
    X[2 * i + 1] = ((i * i) % 7) / 7;
  }
  for (let j = 0; j < 8; j++) {
    Y[2 * j] = j / 10 + 0.3;
    Y[2 * j + 1] = ((3 * j) % 5) / 5;
  }
  const r = mmdDetailed(X, Y, 2);
  assert.ok(Math.abs(r.bandwidth - 0.4915614438) < 1e-9, `s = ${r.bandwidth}`);
  assert.ok(Math.abs(r.mmd2 - -0.0070606307) < 1e-9, `MMD² = ${r.mmd2}`);
});

test('MMD: the lower median of an even number of distances (torch.median)', () => {
  // Points 0, 1, 3 on a line: distances 1, 2, 3 (odd count, median 2); 0, 1, 3, 7: 1,2,3,4,6,7 → 3.
  assert.equal(medianPairwiseDistance(Float64Array.from([0, 1, 3]), 1), 2);
  assert.equal(medianPairwiseDistance(Float64Array.from([0, 1, 3, 7]), 1), 3);
});

test('MMD: exact median by histogram refinement equals the full sort', () => {
  const r = new Rng(5);
  const A = r.normals(1500 * 3);
  const M = (1500 * 1499) / 2;
  for (const k of [0, 17, Math.floor((M - 1) / 2), M - 1]) {
    assert.equal(kthPairwiseSqDistance(A, 3, k, 500), kthPairwiseSqDistance(A, 3, k));
  }
  // Ties: many identical points.
  const T = new Float64Array(800).map((_, i) => (i % 4 === 0 ? 1 : 0));
  assert.equal(medianPairwiseDistance(T, 1, 100), medianPairwiseDistance(T, 1));
});

test('MMD: mean ≈ 0 on identical distributions, grows with a mean shift', () => {
  const r = new Rng(9);
  const vals: number[] = [];
  for (let rep = 0; rep < 30; rep++) vals.push(mmd(r.normals(200 * 2), r.normals(200 * 2), 2));
  const m = mean(vals);
  const se = std(vals) / Math.sqrt(vals.length);
  assert.ok(Math.abs(m) < 4 * se, `mean MMD² ${m} ± ${se}`);
  let prev = -Infinity;
  for (const shift of [0.25, 0.5, 1, 2]) {
    const Y = r.normals(400 * 2);
    for (let i = 0; i < 400; i++) Y[2 * i] += shift;
    const v = mmd(r.normals(400 * 2), Y, 2);
    assert.ok(v > prev, `MMD² ${v} at shift ${shift} not above ${prev}`);
    assert.ok(v > 0);
    prev = v;
  }
});
