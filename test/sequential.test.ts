/**
 * The sequential methods (sequential.md): the truncated prior (threshold, rejection, acceptance,
 * SIR fallback), the ensemble posterior (mixture density, sampling, save/load), TSNPE's rounds
 * (same network, all pairs, x standardizer kept), A-MF-TSNPE's acquisition, reproducibility, and
 * TSNPE on OU against the exact posterior. Small flows and few epochs: seconds, not minutes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { memberVariance, topK } from '../src/inference/acquisition.js';
import { AMFTSNPE } from '../src/inference/amf-tsnpe.js';
import { clonePosterior } from '../src/inference/clone.js';
import type { ConditionalDensity } from '../src/inference/conditional.js';
import { EnsemblePosterior, mixtureLogProb } from '../src/inference/ensemble.js';
import { BOUND_MARGIN } from '../src/inference/ensemble-threshold.js';
import { loadAnyPosterior } from '../src/inference/load-any.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import { NPE } from '../src/inference/npe.js';
import { NpePosterior } from '../src/inference/posterior.js';
import { activeCount, defaultPoolSize, roundOffsets, roundSizes } from '../src/inference/round-plan.js';
import { simulatorOf } from '../src/inference/sequential.js';
import { hprThreshold, TruncatedPrior, truncationSettings } from '../src/inference/truncated-prior.js';
import { TSNPE } from '../src/inference/tsnpe.js';
import { c2st } from '../src/metrics/c2st.js';
import { BoxUniform } from '../src/prior.js';
import { Rng, STREAM_OFFSET } from '../src/random.js';
import { getTask } from '../src/tasks/registry.js';

process.env.MFNPE_QUIET = '1';

/** An isotropic 2-D Gaussian N(0, σ²I) as a "posterior" with exact log-density (x is ignored). */
function gaussian2d(sigma: number): ConditionalDensity {
  return {
    thetaDim: 2,
    xDim: 1,
    async sample(n, _x, seed) {
      return new Rng(seed).normals(2 * n).map((v) => sigma * v);
    },
    async logProb(theta) {
      const n = theta.length / 2;
      return Float64Array.from(
        { length: n },
        (_, i) => -Math.log(2 * Math.PI * sigma * sigma) - (theta[2 * i] ** 2 + theta[2 * i + 1] ** 2) / (2 * sigma * sigma),
      );
    },
  };
}

const SMALL_TRUNCATION = { quantile: 1e-3, draws: 2000 };
const xo1 = Float64Array.of(0);

test('round plan: equal split (remainder first), disjoint stream offsets, active count, pool size', () => {
  assert.deepEqual(roundSizes(100, 5), [20, 20, 20, 20, 20]);
  assert.deepEqual(roundSizes(12, 5), [3, 3, 2, 2, 2]);
  assert.deepEqual(roundOffsets([3, 3, 2]), [0, 3, 6]);
  assert.throws(() => roundSizes(4, 5), /budget/);
  assert.equal(activeCount(20, 0.2), 4);
  assert.equal(activeCount(10, 0.2), 2);
  assert.equal(activeCount(20, 0), 0);
  assert.deepEqual([defaultPoolSize(1000), defaultPoolSize(1001), defaultPoolSize(10_000), defaultPoolSize(10_001)], [250, 2500, 2500, 25_000]);
});

test('truncation settings: ε·M ≥ 1 is required', () => {
  assert.throws(() => truncationSettings({ quantile: 1e-6, draws: 1000 }), /ε·M ≥ 1/);
  assert.doesNotThrow(() => truncationSettings({ quantile: 1e-3, draws: 1000 }));
  assert.equal(truncationSettings().quantile, 1e-6);
  assert.equal(truncationSettings().draws, 1e6);
});

test('the threshold τ is the ε-quantile of log q under q (2-D Gaussian: τ = −log 2πσ² + log ε)', async () => {
  const sigma = 0.2;
  const eps = 0.01;
  const tau = await hprThreshold(gaussian2d(sigma), xo1, { quantile: eps, draws: 40_000 }, new Rng(1));
  const exact = -Math.log(2 * Math.PI * sigma * sigma) + Math.log(eps);
  assert.ok(Math.abs(tau.logProb - exact) < 0.1, `τ ${tau.logProb} vs ${exact}`);
});

test('the truncated prior keeps only θ above τ, and its acceptance rate is the HPR prior mass', async () => {
  const sigma = 0.2;
  const eps = 0.01;
  const prior = new BoxUniform([-1, -1], [1, 1]);
  const q = gaussian2d(sigma);
  const tp = await TruncatedPrior.fit(prior, q, xo1, { quantile: eps, draws: 40_000 }, new Rng(2));
  const d = await tp.sample(3000, new Rng(3));
  const lp = await q.logProb(d.theta, xo1);
  assert.ok(
    lp.every((v) => v >= tp.threshold),
    'every draw inside the HPR',
  );
  // HPR: the disk r² = −2σ² log ε; prior mass πr²/4 ≈ 0.289.
  const mass = (Math.PI * -2 * sigma * sigma * Math.log(eps)) / 4;
  assert.equal(d.fallback, 0);
  assert.ok(Math.abs(d.acceptance - mass) < 0.03, `acceptance ${d.acceptance} vs prior mass ${mass}`);
  assert.equal(d.acceptance, d.accepted / d.proposed);
  // Uniform inside the disk: E[r²] = R²/2.
  let r2 = 0;
  for (let i = 0; i < 3000; i++) r2 += (d.theta[2 * i] ** 2 + d.theta[2 * i + 1] ** 2) / 3000;
  assert.ok(Math.abs(r2 - (-2 * sigma * sigma * Math.log(eps)) / 2) < 0.01, `E r² ${r2}`);
});

test('very low acceptance: a warning and the SIR fallback, still inside the HPR', async () => {
  const warnings: string[] = [];
  const prior = new BoxUniform([-1, -1], [1, 1]);
  const q = gaussian2d(0.2);
  const settings = { quantile: 0.01, draws: 20_000, minAcceptance: 0.9, checkAfter: 500, oversampling: 256, warn: (m: string) => warnings.push(m) };
  const tp = await TruncatedPrior.fit(prior, q, xo1, settings, new Rng(2));
  const d = await tp.sample(400, new Rng(3));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /sampling–importance–resampling/);
  assert.ok(d.fallback > 0 && d.fallback <= 400);
  const inside = await tp.contains(d.theta);
  assert.ok(inside.every((v) => v === 1));
  // SIR targets the prior inside the HPR: E[r²] ≈ R²/2 as for rejection.
  let r2 = 0;
  for (let i = 0; i < 400; i++) r2 += (d.theta[2 * i] ** 2 + d.theta[2 * i + 1] ** 2) / 400;
  assert.ok(Math.abs(r2 - (-2 * 0.04 * Math.log(0.01)) / 2) < 0.03, `E r² ${r2}`);
});

/** A random-weight flow on the box [0, 1]² with unit standardizers (an untrained but proper density). */
async function boxFlow(seed: number): Promise<NpePosterior> {
  const p = await NpePosterior.create({ thetaDim: 2, xDim: 1, bounds: { low: [0, 0], high: [1, 1] }, flow: { hidden: 8, transforms: 2 }, seed });
  p.thetaStd = { mean: Float64Array.of(0.3, -0.2), std: Float64Array.of(0.8, 1.2) };
  p.xStd = { mean: Float64Array.of(0), std: Float64Array.of(1) };
  return p;
}

test('ensemble: log q = log of the mean member density; integrates to 1; samples agree with the density', async () => {
  const members = [await boxFlow(1), await boxFlow(2), await boxFlow(3)];
  const ens = new EnsemblePosterior(members);
  const x = Float64Array.of(0.5);
  const G = 150;
  const grid = new Float64Array(G * G * 2);
  for (let i = 0; i < G; i++)
    for (let j = 0; j < G; j++) {
      grid[2 * (i * G + j)] = (i + 0.5) / G;
      grid[2 * (i * G + j) + 1] = (j + 0.5) / G;
    }
  const lp = await ens.logProb(grid, x);
  const each = await ens.memberLogProbs(grid, x);
  for (const i of [0, 17, 5000, G * G - 1]) {
    const direct = Math.log(each.reduce((a, l) => a + Math.exp(l[i]), 0) / 3);
    assert.ok(Math.abs(lp[i] - direct) < 1e-9, `row ${i}: ${lp[i]} vs ${direct}`);
  }
  let mass = 0;
  let mean0 = 0;
  for (let k = 0; k < G * G; k++) {
    const w = Math.exp(lp[k]) / (G * G);
    mass += w;
    mean0 += w * grid[2 * k];
  }
  assert.ok(Math.abs(mass - 1) < 0.02, `∫ q = ${mass}`);
  const s = await ens.sample(20_000, x, 9);
  let sm = 0;
  for (let i = 0; i < 20_000; i++) sm += s[2 * i] / 20_000;
  assert.ok(Math.abs(sm - mean0 / mass) < 0.01, `sample mean ${sm} vs ∫θ q ${mean0 / mass}`);
  assert.deepEqual(await ens.sample(50, x, 9), await ens.sample(50, x, 9), 'same seed, same samples');
  ens.dispose();
});

test('ensemble threshold: evaluating only the draws that can be lowest gives exactly the brute-force τ', async () => {
  const ens = new EnsemblePosterior([await boxFlow(6), await boxFlow(7), await boxFlow(8)]);
  const x = Float64Array.of(0.2);
  const plain: ConditionalDensity = { thetaDim: 2, xDim: 1, sample: (n, xo, seed) => ens.sample(n, xo, seed), logProb: (t, xo) => ens.logProb(t, xo) };
  for (const quantile of [1e-4, 1e-3, 0.05]) {
    const settings = { quantile, draws: 20_000, batch: 4000 };
    const fast = await hprThreshold(ens, x, settings, new Rng(5));
    const brute = await hprThreshold(plain, x, settings, new Rng(5));
    assert.equal(fast.logProb, brute.logProb, `ε = ${quantile}`);
  }
  ens.dispose();
});

test('single-flow threshold: log q from the sampling pass gives τ of sampling then evaluating, to float32 rounding', async () => {
  const flow = await boxFlow(6);
  const x = Float64Array.of(0.2);
  const plain: ConditionalDensity = { thetaDim: 2, xDim: 1, sample: (n, xo, seed) => flow.sample(n, xo, seed), logProb: (t, xo) => flow.logProb(t, xo) };
  for (const quantile of [1e-3, 0.05]) {
    const settings = { quantile, draws: 20_000, batch: 4000 };
    const fast = await hprThreshold(flow, x, settings, new Rng(5));
    const brute = await hprThreshold(plain, x, settings, new Rng(5));
    assert.ok(Math.abs(fast.logProb - brute.logProb) < 1e-3, `ε = ${quantile}: ${fast.logProb} vs ${brute.logProb}`);
  }
  flow.dispose();
});

test('ensemble: sampleTaggedWithLogProb draws the rows of sampleTagged, with their own-member log q as logProb gives it', async () => {
  const ens = new EnsemblePosterior([await boxFlow(6), await boxFlow(7), await boxFlow(8)]);
  const x = Float64Array.of(-0.4);
  const n = 5000;
  const tagged = await ens.sampleTagged(n, x, 3);
  const withLp = await ens.sampleTaggedWithLogProb(n, x, 3);
  assert.deepEqual(withLp.theta, tagged.theta);
  assert.deepEqual(withLp.member, tagged.member);
  const own = await ens.ownLogProbs(tagged.theta, tagged.member, x);
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(withLp.ownLogProb[i] - own[i]));
  // float32 rounding on two routes (sampling pass vs density pass); the threshold's bound allows BOUND_MARGIN.
  assert.ok(worst < 1e-3 && worst < BOUND_MARGIN / 10, `max |Δ log q| ${worst}`);
  ens.dispose();
});

test('mixtureLogProb: logsumexp − log E, −Infinity when every member is −Infinity', () => {
  const out = mixtureLogProb([Float64Array.of(0, -Infinity, -1000), Float64Array.of(Math.log(3), -Infinity, -1000)]);
  assert.ok(Math.abs(out[0] - Math.log(2)) < 1e-12);
  assert.equal(out[1], -Infinity);
  assert.ok(Math.abs(out[2] + 1000) < 1e-9);
});

test('ensemble save → loadAnyPosterior: same densities and samples; a single flow loads as before', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-ens-'));
  try {
    const ens = new EnsemblePosterior([await boxFlow(4), await boxFlow(5)]);
    ens.meta = { method: 'test' };
    ens.save(join(dir, 'ens'));
    const back = await loadAnyPosterior(join(dir, 'ens'));
    assert.ok(back instanceof EnsemblePosterior);
    assert.equal(back.members.length, 2);
    assert.deepEqual(back.meta, { method: 'test' });
    const theta = Float64Array.of(0.2, 0.3, 0.7, 0.9);
    const x = Float64Array.of(1);
    const a = await ens.logProb(theta, x);
    const b = await back.logProb(theta, x);
    for (let i = 0; i < 2; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5);
    assert.deepEqual(await back.sample(20, x, 3), await ens.sample(20, x, 3));
    ens.members[0].save(join(dir, 'one'));
    assert.ok((await loadAnyPosterior(join(dir, 'one'))) instanceof NpePosterior);
    ens.dispose();
    back.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('TSNPE rounds: the same network continues (weights, x standardizer) on all pairs so far', async () => {
  const task = getTask('gaussian_linear');
  const xo = new Float64Array(10).fill(0.1);
  const train = { maxEpochs: 15, learningRate: 1e-3 };
  const run = new TSNPE(task, { seed: 2, rounds: 2, flow: { hidden: 12, transforms: 2 }, train, truncation: SMALL_TRUNCATION });
  const init = (
    await new NPE(task, { seed: 2, flow: { hidden: 12, transforms: 2 } })
      .appendSimulations(new Float64Array(20), new Float64Array(20))
      .train({ maxEpochs: 1, learningRate: 1e-30 })
  ).flow.getWeights();
  const seen: { post: unknown; weights: Float32Array[]; xMean: Float64Array; n: number }[] = [];
  await run.run(xo, simulatorOf(task), 60, (info) => {
    const post = info.posterior as NpePosterior;
    seen.push({ post, weights: post.flow.getWeights().map((w) => w.data.slice()), xMean: post.xStd!.mean.slice(), n: run.members[0].numSimulations });
    // Round 2: (almost) no step, so its weights must be round 1's if it continued from them.
    Object.assign(train, { maxEpochs: 1, learningRate: 1e-12 });
  });
  assert.equal(seen.length, 2);
  assert.equal(seen[0].post, seen[1].post, 'one posterior object across rounds');
  assert.deepEqual([seen[0].n, seen[1].n], [30, 60], 'all pairs so far');
  assert.equal(run.members[0].result!.nTrain + run.members[0].result!.nVal, 60);
  assert.deepEqual(seen[1].xMean, seen[0].xMean, 'x standardizer of round 1 kept');
  const maxDiff = (a: Float32Array[], b: Float32Array[]) => Math.max(...a.map((w, k) => Math.max(...w.map((v, i) => Math.abs(v - b[k][i])))));
  assert.ok(
    maxDiff(
      seen[0].weights,
      init.map((w) => w.data),
    ) > 1e-3,
    'round 1 trained away from the initial weights',
  );
  assert.ok(maxDiff(seen[1].weights, seen[0].weights) < 1e-6, 'round 2 started from round 1 weights');
});

/** A small LF-pretrained OU flow (the MF start). */
async function pretrainedOu(seed: number): Promise<NpePosterior> {
  const task = getTask('ou');
  const lf = await task.sampleJoint(400, seed, { fidelity: 'lf', offset: STREAM_OFFSET.lf });
  const mf = new MFNPE(task, { seed, flow: { hidden: 16, transforms: 2 }, pretrain: { maxEpochs: 20, learningRate: 1e-3 } });
  return mf.pretrain(lf.theta, lf.x);
}

test('A-MF-TSNPE: the acquired θ are the pool candidates on which the members disagree most', async () => {
  const task = getTask('ou');
  const pre = await pretrainedOu(1);
  const xo = (await task.sampleJoint(1, 1, { offset: STREAM_OFFSET.test })).x;
  const run = new AMFTSNPE(task, pre, { seed: 1, rounds: 2, ensemble: 3, train: { maxEpochs: 5 }, truncation: SMALL_TRUNCATION });
  let snapshot: NpePosterior[] = [];
  let checked = false;
  await run.run(xo, simulatorOf(task), 40, async (info) => {
    if (info.record.round === 1) {
      assert.equal(info.acquired, null);
      assert.equal(info.record.acquired, 0);
      snapshot = await Promise.all((info.posterior as EnsemblePosterior).members.map((m) => clonePosterior(m)));
      return;
    }
    const a = info.acquired!;
    assert.equal(a.pool.length / 2, 250, 'pool of 250 for N ≤ 1000');
    assert.equal(a.indices.length, 4, '20 θ per round: 16 truncated + 4 acquired');
    assert.equal(info.record.fromProposal, 16);
    const scores = memberVariance(await Promise.all(snapshot.map((m) => m.logProb(a.pool, xo))));
    assert.deepEqual(Array.from(a.indices), Array.from(topK(scores, 4)));
    const top = Math.min(...Array.from(a.indices, (i) => scores[i]));
    assert.ok(scores.every((s, i) => a.indices.includes(i) || s <= top));
    for (let j = 0; j < 4; j++)
      assert.deepEqual(Array.from(info.theta.subarray((16 + j) * 2, (17 + j) * 2)), Array.from(a.pool.subarray(a.indices[j] * 2, a.indices[j] * 2 + 2)));
    checked = true;
  });
  assert.ok(checked);
  assert.deepEqual(
    run.records.map((r) => r.drawn),
    [20, 20],
  );
  assert.ok(pre.trained, 'the pretrained flow is left as it is');
});

test('a sequential run is reproducible from its seed', async () => {
  const task = getTask('ou');
  const xo = (await task.sampleJoint(1, 2, { offset: STREAM_OFFSET.test })).x;
  const once = async (seed: number) => {
    const thetas: number[] = [];
    const run = new TSNPE(task, { seed, rounds: 2, flow: { hidden: 12, transforms: 2 }, train: { maxEpochs: 8 }, truncation: SMALL_TRUNCATION });
    const post = await run.run(xo, simulatorOf(task), 40, (info) => {
      thetas.push(...info.theta);
    });
    return { thetas, samples: Array.from(await post.sample(20, xo, 1)) };
  };
  const a = await once(5);
  const b = await once(5);
  const c = await once(6);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.thetas, c.thetas);
});

test('OU: TSNPE (500 HF, 5 rounds) beats the prior clearly against the exact posterior (C2ST, cross-entropy)', async () => {
  const task = getTask('ou');
  const thetaO = Float64Array.of(2, 0.12);
  const xo = await task.simulate(thetaO, 11, { offset: STREAM_OFFSET.test });
  const train = { maxEpochs: 300, batchSize: 25 };
  const run = new TSNPE(task, { seed: 3, rounds: 5, flow: { hidden: 32, transforms: 3 }, train, truncation: { quantile: 1e-4, draws: 20_000 } });
  const post = await run.run(xo, simulatorOf(task), 500);
  const ref = task.referencePosterior!(xo, 1000, 1);
  const accOurs = await c2st(ref, await post.sample(1000, xo, 2), 2, { seed: 0 });
  const accPrior = await c2st(ref, task.prior.sample(1000, new Rng(4)), 2, { seed: 0 });
  // E_ref[log q(θ | x_o)] against the prior's log-density on the same reference draws.
  const lq = await post.logProb(ref, xo);
  const gain = lq.reduce((a, v) => a + v, 0) / 1000 + Math.log(2.9 * 0.5);
  const msg = `TSNPE C2ST ${accOurs}, prior ${accPrior}, cross-entropy gain ${gain.toFixed(2)} nats`;
  assert.ok(accPrior > 0.9, msg);
  assert.ok(accOurs < 0.86 && accOurs < accPrior - 0.08, msg);
  assert.ok(gain > 0.8, msg);
  assert.ok(run.records[4].acceptance < 0.95, `the truncation shrinks: acceptance ${run.records.map((r) => r.acceptance)}`);
  assert.deepEqual(
    run.records.map((r) => r.drawn),
    [100, 100, 100, 100, 100],
  );
});
