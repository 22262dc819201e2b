/**
 * NPE posterior: accuracy against an exact Gaussian posterior, box priors through the logit
 * transform or by rejection with the leakage correction (samples inside the prior box, normalized
 * densities consistent with the sampler), the training loop
 * (callbacks, best weights, no tensor leaks, continued training with a new x-standardizer),
 * save/load, and the train/sample/log-prob CLI with its error handling.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTf } from '../src/backend.js';
import { NpePosterior, loadPosterior } from '../src/inference/posterior.js';
import { train, type EpochInfo } from '../src/inference/train.js';
import { NPE } from '../src/inference/npe.js';
import { Rng } from '../src/random.js';
import { mfnpe as runMfnpe } from './helpers/cli.js';

const mfnpe = (args: string[]) => runMfnpe(args, 180000);

/** θ ~ N(0, 0.1·I₂), x ~ N(θ, 0.1·I₂): exact posterior N(x/2, 0.05·I). */
function gaussianPairs(n: number, seed: number): { theta: Float64Array; x: Float64Array } {
  const rng = new Rng(seed);
  const theta = new Float64Array(2 * n);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    theta[i] = Math.sqrt(0.1) * rng.normal();
    x[i] = theta[i] + Math.sqrt(0.1) * rng.normal();
  }
  return { theta, x };
}

/** θ ~ U([0, 1] × [−2, 2]), x = θ + N(0, 0.05²·I): a posterior piled against the box edges. */
function boxPairs(n: number, seed: number): { theta: Float64Array; x: Float64Array } {
  const rng = new Rng(seed);
  const theta = new Float64Array(2 * n);
  const x = new Float64Array(2 * n);
  for (let i = 0; i < n; i++) {
    theta[2 * i] = rng.uniform();
    theta[2 * i + 1] = -2 + 4 * rng.uniform();
    x[2 * i] = theta[2 * i] + 0.05 * rng.normal();
    x[2 * i + 1] = theta[2 * i + 1] + 0.05 * rng.normal();
  }
  return { theta, x };
}

function meanVar(s: Float64Array, d: number, j: number): { mean: number; variance: number } {
  const n = s.length / d;
  let m = 0;
  for (let i = 0; i < n; i++) m += s[i * d + j] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (s[i * d + j] - m) ** 2 / (n - 1);
  return { mean: m, variance: v };
}

test('NPE on a 2-D Gaussian: posterior mean and variance match the exact N(x/2, 0.05·I)', async () => {
  const pairs = gaussianPairs(2000, 1);
  const npe = new NPE({ thetaDim: 2, xDim: 2 }, { seed: 2 }).appendSimulations(pairs.theta, pairs.x);
  const posterior = await npe.train({ quiet: true });
  const result = npe.result!;
  assert.ok(result.epochs > result.bestEpoch, 'early stopping ends after the best epoch');
  for (const xo of [
    [0.3, -0.2],
    [-0.6, 0.1],
    [0, 0.5],
  ]) {
    const s = await posterior.sample(4000, Float64Array.from(xo), 3);
    for (let j = 0; j < 2; j++) {
      const { mean, variance } = meanVar(s, 2, j);
      // Posterior sd 0.224: a mean error of 0.07 is 0.3 sd; Monte Carlo error alone is 0.0035.
      assert.ok(Math.abs(mean - xo[j] / 2) < 0.07, `x=${xo}: mean_${j} ${mean} vs ${xo[j] / 2}`);
      assert.ok(variance > 0.035 && variance < 0.07, `x=${xo}: var_${j} ${variance} vs 0.05`);
    }
    // log q at the exact posterior mean ≈ the exact log density there (log(1/(2π·0.05)) = 1.156).
    const lp = await posterior.logProb(Float64Array.from(xo.map((v) => v / 2)), Float64Array.from(xo));
    assert.ok(Math.abs(lp[0] - Math.log(1 / (2 * Math.PI * 0.05))) < 0.3, `log q at the mode ${lp[0]}`);
  }
  posterior.dispose();
});

for (const support of ['logit', 'rejection'] as const)
  test(`box prior (support '${support}'): samples inside the box; q integrates to 1 and agrees with the sampler; training loop`, async () => {
    const tf = await getTf();
    const before = tf.memory().numTensors;
    const post = await NpePosterior.create({ thetaDim: 2, xDim: 2, bounds: { low: [0, -2], high: [1, 2] }, seed: 4, support });
    const epochs: EpochInfo[] = [];
    const res = await train(post, boxPairs(1500, 5), { seed: 6, quiet: true, maxEpochs: 60, onEpoch: (e) => epochs.push(e) });
    assert.equal(epochs.length, res.epochs);
    epochs.forEach((e, i) => {
      assert.equal(e.epoch, i + 1);
      assert.ok(Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss) && e.best <= e.valLoss && e.elapsedMs >= 0);
    });
    assert.equal(res.bestValLoss, Math.min(...epochs.map((e) => e.valLoss)));
    for (const xo of [
      [0.05, 1.9],
      [0.5, 0],
      [0.02, 1.98],
    ]) {
      const n = 4000;
      const s = await post.sample(n, Float64Array.from(xo), 7);
      for (let i = 0; i < n; i++) {
        assert.ok(s[2 * i] >= 0 && s[2 * i] <= 1 && s[2 * i + 1] >= -2 && s[2 * i + 1] <= 2, `sample ${i} outside the box`);
      }
      // Sampling with log-densities: the same draws (after rejection, in 'rejection' mode), and the
      // log q that logProb gives them, to float32 rounding (the sampling pass and the density pass
      // compute it in float32 along different routes; well below 10⁻³ nats).
      const withLp = await post.sampleWithLogProb(n, Float64Array.from(xo), 7);
      assert.deepEqual(withLp.theta, s, 'sampleWithLogProb draws the samples of sample()');
      const lqs = await post.logProb(s, Float64Array.from(xo));
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(withLp.logProb[i] - lqs[i]));
      assert.ok(worst < 1e-3, `x=${xo}: max |Δ log q| between sampleWithLogProb and logProb ${worst}`);
      // The density integrates to 1 over the box (midpoint rule on a 300 × 300 grid), and the
      // probability of the lower-left quadrant around x matches the share of samples there. The
      // quadrant's corner is x moved to the nearest grid-cell edge, so no cell straddles it (a cell
      // cut in half at a sharp peak biases the grid sum by a few percent).
      const G = 300;
      const grid = new Float64Array(G * G * 2);
      for (let a = 0; a < G; a++) {
        for (let b = 0; b < G; b++) {
          grid[2 * (a * G + b)] = (a + 0.5) / G;
          grid[2 * (a * G + b) + 1] = -2 + (4 * (b + 0.5)) / G;
        }
      }
      const lq = await post.logProb(grid, Float64Array.from(xo));
      const corner = [Math.round(xo[0] * G) / G, -2 + (4 * Math.round(((xo[1] + 2) * G) / 4)) / G];
      const cell = (1 / G) * (4 / G);
      let total = 0;
      let quad = 0;
      for (let k = 0; k < G * G; k++) {
        const p = Math.exp(lq[k]) * cell;
        total += p;
        if (grid[2 * k] < corner[0] && grid[2 * k + 1] < corner[1]) quad += p;
      }
      assert.ok(Math.abs(total - 1) < 0.03, `x=${xo}: ∫q = ${total}`);
      let inQuad = 0;
      for (let i = 0; i < n; i++) if (s[2 * i] < corner[0] && s[2 * i + 1] < corner[1]) inQuad++;
      const share = inQuad / n;
      const se = Math.sqrt((quad * (1 - quad)) / n);
      assert.ok(Math.abs(share - quad) < 4 * se + 0.01, `x=${xo}: quadrant probability ${quad}, sample share ${share}`);
    }
    // Outside the box the density is zero.
    const out = await post.logProb(Float64Array.from([1.5, 0, 0.5, 0]), Float64Array.from([0.5, 0, 0.5, 0]));
    assert.equal(out[0], -Infinity);
    assert.ok(Number.isFinite(out[1]));
    if (support === 'rejection') {
      // Near the corner much of the flow's mass leaks out of the box, so the correction matters
      // (the integral above would be Z(x) without it); the mode is saved with the model.
      assert.ok((await post.logInsideMass([0.02, 1.98])) < Math.log(0.9), 'the flow should leak mass outside the box at x near a corner');
      const dir = mkdtempSync(join(tmpdir(), 'mfnpe-model-'));
      try {
        post.save(dir);
        const loaded = await loadPosterior(dir);
        assert.equal(loaded.support, 'rejection');
        const th = Float64Array.from([0.1, 1.8, 0.5, 0.1]);
        assert.deepEqual(await loaded.logProb(th, [0.05, 1.9]), await post.logProb(th, [0.05, 1.9]));
        loaded.dispose();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    // Continued training on new data: a new x-standardizer, the θ-standardizer kept.
    const thetaStd = post.thetaStd;
    const xMean = post.xStd!.mean.slice();
    const shifted = boxPairs(600, 8);
    for (let i = 0; i < shifted.x.length; i++) shifted.x[i] = 3 * shifted.x[i] + 1;
    const res2 = await train(post, shifted, { seed: 9, quiet: true, maxEpochs: 3, learningRate: 1e-4 });
    assert.equal(res2.epochs, 3);
    assert.equal(post.thetaStd, thetaStd);
    assert.ok(Math.abs(post.xStd!.mean[0] - (3 * xMean[0] + 1)) < 0.2, 'x standardizer refitted on the new data');
    post.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors leaked by training, sampling and log-prob');
  });

test('save/load round trip: identical log-probs and samples; corrupt directories are one-line errors', async () => {
  const pairs = boxPairs(400, 10);
  const npe = new NPE({ thetaDim: 2, xDim: 2, bounds: { low: [0, -2], high: [1, 2] }, thetaNames: ['a', 'b'] }, { seed: 1 });
  const posterior = await npe.appendSimulations(pairs.theta, pairs.x).train({ quiet: true, maxEpochs: 5 });
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-model-'));
  try {
    posterior.save(dir);
    const loaded = await loadPosterior(dir);
    const th = Float64Array.from([0.2, 0.3, 0.9, -1.5]);
    const xs = Float64Array.from([0.25, 0.2, 0.8, -1.4]);
    assert.deepEqual(await loaded.logProb(th, xs), await posterior.logProb(th, xs));
    assert.deepEqual(await loaded.sample(50, xs.subarray(0, 2), 11), await posterior.sample(50, xs.subarray(0, 2), 11));
    assert.deepEqual(loaded.thetaNames, ['a', 'b']);
    loaded.dispose();
    const cfg = readFileSync(join(dir, 'config.json'), 'utf8');
    writeFileSync(join(dir, 'config.json'), cfg.slice(0, 100));
    await assert.rejects(loadPosterior(dir), /corrupt model.*config\.json/);
    writeFileSync(join(dir, 'config.json'), cfg);
    writeFileSync(join(dir, 'weights.bin'), new Uint8Array(12));
    await assert.rejects(loadPosterior(dir), /corrupt model.*weights\.bin/);
    await assert.rejects(loadPosterior(join(dir, 'nope')), /does not exist/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    posterior.dispose();
  }
});

test('CLI: train --data, sample, log-prob; bad input exits 2 with one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-cli-'));
  try {
    const { theta, x } = gaussianPairs(600, 12);
    const rows = ['theta_1,theta_2,x_1,x_2'];
    for (let i = 0; i < 600; i++) rows.push([theta[2 * i], theta[2 * i + 1], x[2 * i], x[2 * i + 1]].join(','));
    const data = join(dir, 'pairs.csv');
    writeFileSync(data, rows.join('\n') + '\n');
    const model = join(dir, 'model');
    const tr = mfnpe(['train', '--data', data, '--method', 'npe', '--max-epochs', '8', '--seed', '3', '--out', model]);
    assert.equal(tr.code, 0, tr.stderr);
    assert.match(tr.stdout, /saved npe posterior/);
    assert.ok(existsSync(join(model, 'config.json')) && existsSync(join(model, 'weights.bin')));

    const out = join(dir, 'samples.csv');
    const sa = mfnpe(['sample', '--model', model, '--x=-0.64,0.16', '--n', '300', '--seed', '5', '--out', out]);
    assert.equal(sa.code, 0, sa.stderr);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'theta_1,theta_2');
    assert.equal(lines.length, 301);
    const sb = mfnpe(['sample', '--model', model, '--x', '-0.64,0.16', '--n', '300', '--seed', '5', '--out', '-']);
    assert.equal(sb.stdout.trim(), readFileSync(out, 'utf8').trim(), 'same seed, same samples; both --x spellings');

    const lp = mfnpe(['log-prob', '--model', model, '--data', data]);
    assert.equal(lp.code, 0, lp.stderr);
    const vals = lp.stdout.trim().split('\n').map(Number);
    assert.equal(vals.length, 601);
    const mean = vals.slice(0, 600).reduce((a, b) => a + b, 0) / 600;
    assert.ok(Math.abs(mean - vals[600]) < 1e-9 && vals.every(Number.isFinite));

    const bad: [string[], RegExp][] = [
      [['sample', '--model', model, '--x', '1,2,3', '--n', '5', '--out', '-'], /--x.*needs 2/],
      [['sample', '--model', join(dir, 'missing'), '--x', '1,2', '--n', '5', '--out', '-'], /does not exist/],
      [['sample', '--model', model, '--x', '1,2', '--n', '0', '--out', '-'], /--n must be an integer ≥ 1/],
      [['log-prob', '--model', data, '--data', data], /not a model directory/],
      [['train', '--task', 'no_such_task', '--sims', '10', '--out', join(dir, 'm2')], /unknown task|no_such_task/],
      [['train', '--data', data, '--method', 'magic', '--out', join(dir, 'm3')], /unknown --method/],
      [
        ['train', '--task', 'two_moons', '--sims', '50', '--support', 'clamp', '--out', join(dir, 'm4')],
        /--support must be one of logit, rejection, got 'clamp'/,
      ],
    ];
    // --support rejection is saved with the model and used by sample (draws inside the prior box).
    const rej = join(dir, 'rej');
    const tm = mfnpe(['train', '--task', 'two_moons', '--sims', '300', '--max-epochs', '3', '--support', 'rejection', '--out', rej]);
    assert.equal(tm.code, 0, tm.stderr);
    assert.equal(JSON.parse(readFileSync(join(rej, 'config.json'), 'utf8')).support, 'rejection');
    const rs = mfnpe(['sample', '--model', rej, '--x=-0.6,0.1', '--n', '500', '--out', '-']);
    assert.equal(rs.code, 0, rs.stderr);
    const draws = rs.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    assert.equal(draws.length, 500);
    assert.ok(
      draws.every((r) => r.every((v) => v >= -1 && v <= 1)),
      'rejection samples lie in the prior box [−1, 1]²',
    );
    for (const [args, re] of bad) {
      const r = mfnpe(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      const errLines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => !/TensorFlow.js backend/.test(l));
      assert.equal(errLines.length, 1, r.stderr);
      assert.match(errLines[0], re);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
