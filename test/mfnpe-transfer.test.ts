/**
 * MF-NPE really transfers: the fine-tuned flow starts from the pre-trained weights (not a fresh
 * initialization), frozen tensors stay bit-identical, the x standardizer is refitted on HF while
 * the θ one is kept, and the pre-trained (npe-lf) posterior is left untouched.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clonePosterior } from '../src/inference/clone.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import type { TrainOptions } from '../src/inference/train.js';
import { NpePosterior } from '../src/inference/posterior.js';
import { networkSeed } from '../src/inference/problem.js';
import { fitStandardizer } from '../src/flows/standardize.js';
import { Rng } from '../src/random.js';

process.env.MFNPE_QUIET = '1';

const spec = { thetaDim: 2, xDim: 3, bounds: { low: [0, 0], high: [1, 1] } };
const FLOW = { hidden: 16, layers: 2, transforms: 2, bins: 4 };

/** Toy pairs: x = (θ1, θ2, θ1 + θ2) + noise; LF and HF differ by a shift and scale of x. */
function pairs(n: number, seed: number, shift: number, scale: number) {
  const r = new Rng(seed);
  const theta = new Float64Array(n * 2);
  const x = new Float64Array(n * 3);
  for (let i = 0; i < n; i++) {
    const a = r.uniform();
    const b = r.uniform();
    theta[2 * i] = a;
    theta[2 * i + 1] = b;
    x[3 * i] = shift + scale * (a + 0.05 * r.normal());
    x[3 * i + 1] = shift + scale * (b + 0.05 * r.normal());
    x[3 * i + 2] = shift + scale * (a + b + 0.05 * r.normal());
  }
  return { theta, x };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const lf = pairs(400, 1, 0, 1);
const hf = pairs(100, 2, 0.5, 2);

/** An MF-NPE run pre-trained on the LF pairs. */
async function pretrained(seed: number, pretrain: TrainOptions): Promise<{ mf: MFNPE; pre: NpePosterior }> {
  const mf = new MFNPE(spec, { flow: FLOW, seed, pretrain });
  const pre = await mf.pretrain(lf.theta, lf.x);
  return { mf, pre };
}

test('clonePosterior copies weights, standardizers and densities exactly', async () => {
  const { pre } = await pretrained(3, { maxEpochs: 3 });
  const copy = await clonePosterior(pre);
  const w0 = pre.flow.getWeights();
  const w1 = copy.flow.getWeights();
  for (const [i, w] of w0.entries()) assert.deepEqual(w1[i].data, w.data, w.name);
  const th = hf.theta.subarray(0, 20);
  const xx = hf.x.subarray(0, 30);
  assert.deepEqual(await copy.logProb(th, xx), await pre.logProb(th, xx));
  pre.dispose();
  copy.dispose();
});

test('fine-tuning starts from the pre-trained weights, not a fresh initialization', async () => {
  const { mf, pre } = await pretrained(3, { maxEpochs: 30, learningRate: 1e-2 });
  const w0 = pre.flow.getWeights();
  const fresh = await NpePosterior.create({ ...spec, flow: FLOW, seed: networkSeed(3) });
  const wf = fresh.flow.getWeights();
  // One epoch at a tiny learning rate: the weights barely move from wherever training started.
  const fine = await mf.finetune(hf.theta, hf.x, { maxEpochs: 1, learningRate: 1e-9 });
  const w1 = fine.flow.getWeights();
  let fromPre = 0;
  let fromFresh = 0;
  for (const [i, w] of w0.entries()) {
    fromPre = Math.max(fromPre, maxAbsDiff(w1[i].data, w.data));
    fromFresh = Math.max(fromFresh, maxAbsDiff(w1[i].data, wf[i].data));
  }
  assert.ok(fromPre < 1e-6, `fine-tuned weights moved ${fromPre} from the pre-trained ones`);
  assert.ok(fromFresh > 1e-2, `pre-training should have moved the weights from the initialization (${fromFresh})`);
  // x standardizer refitted on the HF pairs; θ standardizer kept from pre-training.
  const hfStd = fitStandardizer(hf.x, 3);
  assert.ok(maxAbsDiff(fine.xStd!.mean, hfStd.mean) < 1e-12);
  assert.ok(maxAbsDiff(fine.xStd!.std, hfStd.std) < 1e-12);
  assert.deepEqual(fine.thetaStd!.mean, pre.thetaStd!.mean);
  // The pre-trained posterior (the npe-lf baseline) is untouched: same weights, LF standardizer.
  const lfStd = fitStandardizer(lf.x, 3);
  assert.ok(maxAbsDiff(pre.xStd!.mean, lfStd.mean) < 1e-12);
  for (const [i, w] of pre.flow.getWeights().entries()) assert.deepEqual(w.data, w0[i].data);
  assert.equal(fine.meta.method, 'mf-npe');
  for (const p of [pre, fresh, fine]) p.dispose();
});

test('frozen tensors keep their pre-trained values; the others are trained', async () => {
  const { mf, pre } = await pretrained(4, { maxEpochs: 5 });
  const w0 = pre.flow.getWeights();
  const freeze = ['context_w', 'context_b', 'input_w', 'hidden_w', 'hidden_b'];
  const fine = await mf.finetune(hf.theta, hf.x, { maxEpochs: 10, freeze });
  const w1 = fine.flow.getWeights();
  for (const [i, w] of w0.entries()) {
    if (freeze.includes(w.name)) assert.deepEqual(w1[i].data, w.data, `${w.name} should be frozen`);
    else assert.ok(maxAbsDiff(w1[i].data, w.data) > 1e-5, `${w.name} should have been fine-tuned`);
  }
  assert.deepEqual(fine.meta.frozen, freeze);
  await assert.rejects(mf.finetune(hf.theta, hf.x, { maxEpochs: 1, freeze: ['nope'] }), /cannot freeze 'nope'/);
  pre.dispose();
  fine.dispose();
});

test('finetune.refitX = false keeps the LF x standardizer', async () => {
  const { mf, pre } = await pretrained(5, { maxEpochs: 2 });
  const fine = await mf.finetune(hf.theta, hf.x, { maxEpochs: 2, refitX: false });
  assert.deepEqual(fine.xStd!.mean, pre.xStd!.mean);
  assert.deepEqual(fine.xStd!.std, pre.xStd!.std);
  pre.dispose();
  fine.dispose();
});

test('startCandidate: a fine-tuning that only gets worse keeps the pre-trained weights (best epoch 0)', async () => {
  const { mf, pre } = await pretrained(6, { maxEpochs: 20, learningRate: 1e-2 });
  const w0 = pre.flow.getWeights();
  // A learning rate far too large: every epoch is worse on validation than the start.
  const bad = { maxEpochs: 3, learningRate: 5, refitX: false };
  const kept = await mf.finetune(hf.theta, hf.x, { ...bad, startCandidate: true });
  assert.equal(mf.finetuneResult!.bestEpoch, 0);
  for (const [i, w] of kept.flow.getWeights().entries()) assert.deepEqual(w.data, w0[i].data);
  const moved = await mf.finetune(hf.theta, hf.x, { ...bad, startCandidate: false });
  assert.ok(mf.finetuneResult!.bestEpoch >= 1);
  assert.ok(
    moved.flow.getWeights().some((w, i) => maxAbsDiff(w.data, w0[i].data) > 1e-3),
    'without the start as a candidate the weights move',
  );
  for (const p of [kept, moved]) p.dispose();
  mf.dispose();
});

test('startCandidate with a refitted x standardizer: epoch 0 is the pre-trained flow as it was, returned exactly', async () => {
  const { mf, pre } = await pretrained(6, { maxEpochs: 20, learningRate: 1e-2 });
  const bad = { maxEpochs: 3, learningRate: 5, refitX: true, startCandidate: true };
  const kept = await mf.finetune(hf.theta, hf.x, bad);
  assert.equal(mf.finetuneResult!.bestEpoch, 0);
  // The same weights and the LF standardizer, so the same density everywhere.
  assert.deepEqual(kept.xStd!.mean, pre.xStd!.mean);
  assert.deepEqual(kept.xStd!.std, pre.xStd!.std);
  const [a, b] = [await pre.logProb(hf.theta, hf.x), await kept.logProb(hf.theta, hf.x)];
  assert.deepEqual(b, a);
  // Epoch 0's loss is the pre-trained flow's own validation loss, not the one under the HF standardizer.
  const refitOnly = await mf.finetune(hf.theta, hf.x, { ...bad, startCandidate: false, maxEpochs: 1 });
  assert.notDeepEqual(refitOnly.xStd!.mean, pre.xStd!.mean);
  for (const p of [kept, refitOnly]) p.dispose();
  mf.dispose();
});

test('a ladder stage fine-tunes a copy of the pre-trained flow and makes it the new start', async () => {
  const { mf, pre } = await pretrained(7, { maxEpochs: 3 });
  const mid = pairs(200, 8, 0.25, 1.5);
  const previous = await mf.advance(mid.theta, mid.x, { maxEpochs: 2 });
  assert.equal(previous, pre);
  assert.notEqual(mf.pretrained, pre);
  assert.equal(mf.stage, 1);
  assert.equal(mf.pretrained!.meta.method, 'npe-ladder');
  const fine = await mf.finetune(hf.theta, hf.x, { maxEpochs: 2 });
  assert.equal(fine.meta.method, 'mf-npe');
  for (const p of [previous, fine]) p.dispose();
  mf.dispose();
});
