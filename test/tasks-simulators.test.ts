/**
 * Benchmark task simulators (src/tasks): shapes, stream layout (simulate(θ) of a joint draw
 * reproduces its x; a smaller n is a prefix) and one statistical property each, with tolerances
 * of a few standard errors.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { getTask, taskNames } from '../src/tasks/registry.js';
import { slcpCovariance } from '../src/tasks/slcp.js';
import { OU, OU_A, OU_V } from '../src/tasks/ou.js';
import { InputError } from '../src/errors.js';

test('registry: the five tasks; unknown names are a InputError listing them', () => {
  assert.deepEqual(taskNames().slice(0, 5), ['two_moons', 'gaussian_linear', 'slcp', 'gaussian_mixture', 'ou']);
  assert.equal(getTask('Two-Moons').name, 'two_moons');
  assert.throws(
    () => getTask('nope'),
    (e: Error) => e instanceof InputError && /two_moons, gaussian_linear/.test(e.message),
  );
});

test('every task: shapes, prior support, simulate(θ) reproduces sampleJoint, prefix property', async () => {
  for (const name of ['two_moons', 'gaussian_linear', 'slcp', 'gaussian_mixture', 'ou']) {
    const task = getTask(name);
    for (const fidelity of task.fidelities) {
      const { theta, x } = await task.sampleJoint(50, 3, { fidelity });
      assert.equal(theta.length, 50 * task.thetaDim);
      assert.equal(x.length, 50 * task.xDim);
      assert.ok(x.every(Number.isFinite));
      for (const lp of task.prior.logProb(theta)) assert.ok(Number.isFinite(lp), `${name}: θ outside the prior`);
      const again = await task.simulate(theta, 3, { fidelity });
      assert.deepEqual(Array.from(again), Array.from(x), `${name}/${fidelity}: simulate(θ) differs from sampleJoint`);
      const prefix = await task.sampleJoint(20, 3, { fidelity });
      assert.deepEqual(Array.from(prefix.x), Array.from(x.subarray(0, 20 * task.xDim)));
    }
  }
  await assert.rejects(getTask('slcp').sampleJoint(2, 1, { fidelity: 'lf' }), /no 'lf' simulator/);
});

test('two_moons: x + (|z0|, −z1) − (0.25, 0) has radius ~ N(0.1, 0.01²) and a positive first coordinate', async () => {
  const task = getTask('two_moons');
  const n = 4000;
  const { theta, x } = await task.sampleJoint(n, 8);
  const c = Math.cos(-Math.PI / 4);
  const s = Math.sin(-Math.PI / 4);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const z0 = c * theta[2 * i] - s * theta[2 * i + 1];
    const z1 = s * theta[2 * i] + c * theta[2 * i + 1];
    const px = x[2 * i] + Math.abs(z0) - 0.25;
    const py = x[2 * i + 1] - z1;
    assert.ok(px > -1e-12, 'angle outside (−π/2, π/2)');
    const r = Math.hypot(px, py);
    sum += r;
    sq += r * r;
  }
  const m = sum / n;
  const sd = Math.sqrt(sq / n - m * m);
  assert.ok(Math.abs(m - 0.1) < 4 * (0.01 / Math.sqrt(n)), `mean radius ${m}`);
  assert.ok(Math.abs(sd - 0.01) < 0.001, `sd ${sd}`);
});

test('slcp: the four draws have mean m(θ) and covariance S(θ)', async () => {
  const task = getTask('slcp');
  const th = Float64Array.from([0.5, -1, 1.2, -0.9, 0.7]);
  const reps = 5000;
  const theta = new Float64Array(reps * 5);
  for (let i = 0; i < reps; i++) theta.set(th, i * 5);
  const x = await task.simulate(theta, 4);
  const [s11, s12, s22] = slcpCovariance(th);
  let m1 = 0;
  let m2 = 0;
  const N = reps * 4;
  for (let k = 0; k < N; k++) {
    m1 += x[2 * k];
    m2 += x[2 * k + 1];
  }
  m1 /= N;
  m2 /= N;
  let c11 = 0;
  let c12 = 0;
  let c22 = 0;
  for (let k = 0; k < N; k++) {
    const a = x[2 * k] - m1;
    const b = x[2 * k + 1] - m2;
    c11 += a * a;
    c12 += a * b;
    c22 += b * b;
  }
  c11 /= N - 1;
  c12 /= N - 1;
  c22 /= N - 1;
  assert.ok(Math.abs(m1 - th[0]) < 4 * Math.sqrt(s11 / N) && Math.abs(m2 - th[1]) < 4 * Math.sqrt(s22 / N), `mean (${m1}, ${m2})`);
  // sd of a sample variance ≈ σ²·√(2/N); of a covariance ≈ √((σ11σ22 + σ12²)/N).
  assert.ok(Math.abs(c11 - s11) < 4 * s11 * Math.sqrt(2 / N), `S11 ${c11} vs ${s11}`);
  assert.ok(Math.abs(c22 - s22) < 4 * s22 * Math.sqrt(2 / N), `S22 ${c22} vs ${s22}`);
  assert.ok(Math.abs(c12 - s12) < 4 * Math.sqrt((s11 * s22 + s12 * s12) / N), `S12 ${c12} vs ${s12}`);
});

test('gaussian_mixture: half the draws come from the narrow component', async () => {
  const task = getTask('gaussian_mixture');
  const n = 8000;
  const { theta, x } = await task.sampleJoint(n, 9);
  // P(‖x − θ‖ < 0.3) = ½(1 − e^{−4.5}) + ½(1 − e^{−0.045}) for the 2-D Gaussian radii.
  const p = 0.5 * (1 - Math.exp(-(0.3 ** 2) / (2 * 0.01))) + 0.5 * (1 - Math.exp(-(0.3 ** 2) / 2));
  let k = 0;
  for (let i = 0; i < n; i++) if (Math.hypot(x[2 * i] - theta[2 * i], x[2 * i + 1] - theta[2 * i + 1]) < 0.3) k++;
  assert.ok(Math.abs(k / n - p) < 4 * Math.sqrt((p * (1 - p)) / n), `fraction ${k / n} vs ${p}`);
});

test('OU: LF draws have mean μ and variance σ²; HF data follow the exact AR(1) moments', async () => {
  const task = getTask('ou');
  const mu = 1.7;
  const sigma = 0.4;
  const reps = 4000;
  const theta = new Float64Array(reps * 2);
  for (let i = 0; i < reps; i++) theta.set([mu, sigma], i * 2);
  const lf = await task.simulate(theta, 5, { fidelity: 'lf' });
  let m = 0;
  for (const v of lf) m += v;
  m /= lf.length;
  let v2 = 0;
  for (const v of lf) v2 += (v - m) ** 2;
  v2 /= lf.length - 1;
  assert.ok(Math.abs(m - mu) < (4 * sigma) / Math.sqrt(lf.length), `LF mean ${m}`);
  assert.ok(Math.abs(v2 - sigma * sigma) < 4 * sigma * sigma * Math.sqrt(2 / lf.length), `LF variance ${v2}`);

  const hf = await task.simulate(theta, 6, { fidelity: 'hf' });
  // E[y_k] = μ + 3a^k, Var[y_k] = a^{2k} + σ² v (1 − a^{2k})/(1 − a²).
  for (const k of [0, 1, 5, 9]) {
    let s = 0;
    for (let i = 0; i < reps; i++) s += hf[i * 10 + k];
    const mk = s / reps;
    let q = 0;
    for (let i = 0; i < reps; i++) q += (hf[i * 10 + k] - mk) ** 2;
    const vk = q / (reps - 1);
    const a2k = OU_A ** (2 * k);
    const trueVar = a2k + (sigma * sigma * OU_V * (1 - a2k)) / (1 - OU_A * OU_A);
    assert.ok(Math.abs(mk - (mu + 3 * OU_A ** k)) < 4 * Math.sqrt(trueVar / reps), `HF mean at ${k}: ${mk}`);
    assert.ok(Math.abs(vk - trueVar) < 4 * trueVar * Math.sqrt(2 / reps), `HF variance at ${k}: ${vk} vs ${trueVar}`);
  }
  assert.equal(OU.every * 9, 90);
});
