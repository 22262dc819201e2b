/**
 * Exact reference posteriors against independent references: gaussian_linear and gaussian_mixture
 * against the SBI benchmark's public reference samples (C2ST ≈ 0.5), and the OU grid posterior
 * against rejection sampling from the exact AR(1) likelihood (mean and covariance).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { c2st } from '../src/metrics/c2st.js';
import { Rng } from '../src/random.js';
import { getTask } from '../src/tasks/registry.js';
import { OU, ouGridPosterior, ouLogLikelihood } from '../src/tasks/ou.js';
import { sbibmFile } from './helpers/sbibm-data.js';

for (const [name, n, dim] of [
  ['gaussian_linear', 3000, 10],
  ['gaussian_mixture', 3000, 2],
] as const) {
  test(`${name}: exact posterior vs the public reference samples (observation 1) → C2ST ≈ 0.5`, async () => {
    const task = getTask(name);
    const x = sbibmFile(name, 'observation').data;
    const ours = task.referencePosterior!(x, n, 1);
    const ref = sbibmFile(name, 'reference_posterior_samples').data.subarray(0, n * dim);
    const acc = await c2st(ref, ours, dim, { seed: 5 });
    // Null sd of the accuracy with 2n samples ≈ 0.5/√(2n) ≈ 0.0065; 0.035 allows the classifier's own noise.
    assert.ok(Math.abs(acc - 0.5) < 0.035, `C2ST ${acc}`);
  });
}

test('OU: grid posterior mean and covariance match rejection sampling from the exact likelihood', async () => {
  const task = getTask('ou');
  const { x } = await task.sampleJoint(1, 21); // an observation from the HF simulator at a prior draw
  const grid = ouGridPosterior(x);
  const n = 40000;
  const gs = grid.sample(n, new Rng(1));
  // Rejection sampling: proposals uniform on the prior box, accepted with probability L(θ)/bound.
  const rng = new Rng(2);
  const logBound = grid.maxLogLik + 0.05;
  const rs = new Float64Array(2 * n);
  let maxRatio = -Infinity;
  for (let k = 0; k < n; ) {
    const mu = OU.low[0] + (OU.high[0] - OU.low[0]) * rng.uniform();
    const sigma = OU.low[1] + (OU.high[1] - OU.low[1]) * rng.uniform();
    const lr = ouLogLikelihood(mu, sigma, x) - logBound;
    maxRatio = Math.max(maxRatio, lr);
    if (Math.log(rng.uniformPos()) < lr) {
      rs[2 * k] = mu;
      rs[2 * k + 1] = sigma;
      k++;
    }
  }
  assert.ok(maxRatio <= 0, 'the rejection bound was not an upper bound');
  const moments = (s: Float64Array) => {
    const m = [0, 0];
    for (let i = 0; i < n; i++) for (let j = 0; j < 2; j++) m[j] += s[2 * i + j] / n;
    const c = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const a = s[2 * i] - m[0];
      const b = s[2 * i + 1] - m[1];
      c[0] += (a * a) / (n - 1);
      c[1] += (a * b) / (n - 1);
      c[2] += (b * b) / (n - 1);
    }
    return { m, c };
  };
  const G = moments(gs);
  const R = moments(rs);
  // Two independent samples of n: the sd of a mean difference is √(2 var/n), of a (co)variance
  // difference about √2·√((c_aa c_bb + c_ab²)/n); 5 sd.
  for (const j of [0, 1]) {
    const v = R.c[j === 0 ? 0 : 2];
    assert.ok(Math.abs(G.m[j] - R.m[j]) < 5 * Math.sqrt((2 * v) / n), `mean ${j}: grid ${G.m[j]} vs rejection ${R.m[j]}`);
  }
  const sdCov = (a: number, b: number, ab: number) => Math.SQRT2 * Math.sqrt((a * b + ab * ab) / n);
  assert.ok(Math.abs(G.c[0] - R.c[0]) < 5 * sdCov(R.c[0], R.c[0], R.c[0]), `var μ: ${G.c[0]} vs ${R.c[0]}`);
  assert.ok(Math.abs(G.c[2] - R.c[2]) < 5 * sdCov(R.c[2], R.c[2], R.c[2]), `var σ: ${G.c[2]} vs ${R.c[2]}`);
  assert.ok(Math.abs(G.c[1] - R.c[1]) < 5 * sdCov(R.c[0], R.c[2], R.c[1]), `cov: ${G.c[1]} vs ${R.c[1]}`);
  // Every grid sample lies in the prior box.
  for (let i = 0; i < n; i++) {
    assert.ok(gs[2 * i] >= OU.low[0] && gs[2 * i] <= OU.high[0] && gs[2 * i + 1] >= OU.low[1] && gs[2 * i + 1] <= OU.high[1]);
  }
});
