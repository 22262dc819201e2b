/**
 * SBC and NLTP (src/metrics/sbc.ts, nltp.ts) with the gaussian_linear task's exact posterior as a
 * ConditionalDensity: ranks are uniform for the exact posterior and not for a deliberately too
 * narrow one (sd halved); NLTP matches its closed-form expectation and is worse when too narrow.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConditionalDensity } from '../src/inference/conditional.js';
import { nltp } from '../src/metrics/nltp.js';
import { ranksOf, sbc } from '../src/metrics/sbc.js';
import { Rng } from '../src/random.js';
import { GAUSSIAN_LINEAR_POSTERIOR_VAR, gaussianLinearTask } from '../src/tasks/gaussian-linear.js';
import { STREAM_OFFSET } from '../src/random.js';

/** N(x/2, s²·0.05·I): the exact gaussian_linear posterior for scale s = 1. */
function gaussianLinearPosterior(scale: number): ConditionalDensity {
  const D = 10;
  const sd = scale * Math.sqrt(GAUSSIAN_LINEAR_POSTERIOR_VAR);
  return {
    thetaDim: D,
    xDim: D,
    async sample(n, x, seed) {
      const r = new Rng(seed, 7);
      const out = new Float64Array(n * D);
      for (let i = 0; i < n; i++) for (let j = 0; j < D; j++) out[i * D + j] = 0.5 * x[j] + sd * r.normal();
      return out;
    },
    async logProb(theta, x) {
      const n = theta.length / D;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < D; j++) {
          const z = (theta[i * D + j] - 0.5 * x[i * D + j]) / sd;
          s += -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
        }
        out[i] = s;
      }
      return out;
    },
  };
}

test('ranksOf counts samples strictly below θ*', () => {
  assert.deepEqual(Array.from(ranksOf([1, 0], Float64Array.from([0, 0, 1, 1, 2, -1]), 2)), [1, 1]);
});

test('SBC: uniform ranks for the exact gaussian_linear posterior, not for a too-narrow one', async () => {
  const task = gaussianLinearTask();
  const { theta, x } = await task.sampleJoint(300, 5, { offset: STREAM_OFFSET.test });
  const exact = await sbc(gaussianLinearPosterior(1), theta, x, { L: 100, seed: 1 });
  assert.equal(exact.ranks.length, 300 * 10);
  // 10 dimensions at level 0.001 each: a false alarm has probability ≈ 1 %.
  for (const k of exact.ks) assert.ok(k.pValue > 0.001, `exact posterior: KS p = ${k.pValue}`);
  const narrow = await sbc(gaussianLinearPosterior(0.5), theta, x, { L: 100, seed: 1 });
  for (const k of narrow.ks) assert.ok(k.pValue < 1e-4, `too-narrow posterior: KS p = ${k.pValue}`);
});

test('NLTP: exact posterior matches the closed form; too narrow is worse', async () => {
  const task = gaussianLinearTask();
  const { theta, x } = await task.sampleJoint(2000, 6, { offset: STREAM_OFFSET.test });
  const r = await nltp(gaussianLinearPosterior(1), theta, x);
  // E[−log q(θ*|x*)] for the exact 10-D Gaussian posterior = 5·log(2π·0.05) + 5.
  const expected = 5 * Math.log(2 * Math.PI * GAUSSIAN_LINEAR_POSTERIOR_VAR) + 5;
  assert.ok(r.lower <= expected && expected <= r.upper, `CI [${r.lower}, ${r.upper}] misses ${expected}`);
  assert.ok(r.upper - r.lower < 0.3);
  assert.equal(r.nonFinite, 0);
  const narrow = await nltp(gaussianLinearPosterior(0.5), theta, x);
  assert.ok(narrow.lower > r.upper, `narrow ${narrow.mean} vs exact ${r.mean}`);
});

test('gaussian_linear reference posterior is the closed form N(x/2, 0.05 I)', () => {
  const task = gaussianLinearTask();
  const x = Float64Array.from({ length: 10 }, (_, j) => j / 5 - 1);
  const s = task.referencePosterior!(x, 20000, 3);
  for (const j of [0, 4, 9]) {
    let m = 0;
    let v = 0;
    for (let i = 0; i < 20000; i++) m += s[i * 10 + j];
    m /= 20000;
    for (let i = 0; i < 20000; i++) v += (s[i * 10 + j] - m) ** 2;
    v /= 19999;
    assert.ok(Math.abs(m - x[j] / 2) < 4 * Math.sqrt(0.05 / 20000), `mean ${m} vs ${x[j] / 2}`);
    assert.ok(Math.abs(v - 0.05) < 4 * 0.05 * Math.sqrt(2 / 20000), `variance ${v}`);
  }
});
