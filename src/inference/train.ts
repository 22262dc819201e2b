/**
 * Maximum-likelihood training of the posterior flow, with sbi's defaults (Greenberg et al. 2019;
 * sbi's `train`): Adam (lr 5·10⁻⁴, β = (0.9, 0.999), ε = 10⁻⁸), batch 200 (last partial batch
 * dropped), 10 % random validation split, gradient-norm clipping at 5 (global norm over all
 * weights), early stopping once the validation loss has not improved for 20 epochs, best weights
 * restored at the end.
 *
 * `train(posterior, data, options)` trains from the posterior's current weights, so continuing
 * training is the same call: MF-NPE pre-trains on LF pairs, then calls `train` again on HF pairs
 * (a new optimizer, the HF learning rate, and — by default — an x-standardizer refitted on the HF
 * data; the θ standardization fitted on the first call is kept, since the weights assume it).
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { Rng, STREAM_OFFSET } from '../random.js';
import { Nsf } from '../flows/nsf.js';
import { standardize } from '../flows/standardize.js';
import type { NpePosterior } from './posterior.js';

export interface EpochInfo {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss (−log q per pair, flow coordinates) over the epoch's batches. */
  trainLoss: number;
  /** Validation loss (−log q per pair, flow coordinates). */
  valLoss: number;
  /** Best validation loss so far (including this epoch). */
  best: number;
  /** Whether this epoch improved on the best validation loss. */
  improved: boolean;
  /** Milliseconds since training started. */
  elapsedMs: number;
}

export interface TrainOptions {
  /** Adam learning rate (default 5e-4). */
  learningRate?: number;
  /** Batch size (default 200). */
  batchSize?: number;
  /** Fraction of pairs held out for validation (default 0.1). */
  validationFraction?: number;
  /** Global gradient-norm clip (default 5). */
  clipNorm?: number;
  /** Epochs without validation improvement before stopping (default 20). */
  patience?: number;
  /** Hard cap on epochs (default 2³¹ − 1, i.e. only early stopping). */
  maxEpochs?: number;
  /** Seed of the validation split and batch shuffles (default 0). */
  seed?: number;
  /** Refit the x standardizer on these data (default true). */
  refitX?: boolean;
  /** Names of flow weight tensors kept fixed (see Nsf.weightShapes; default none): MF-NPE's freezing option. */
  freeze?: readonly string[];
  /** Called after every epoch (e.g. a live loss plot). */
  onEpoch?: (info: EpochInfo) => void;
  /** No progress line on stderr. */
  quiet?: boolean;
  /** Label of the progress line (default 'train'). */
  label?: string;
}

export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  bestValLoss: number;
  history: EpochInfo[];
  nTrain: number;
  nVal: number;
  /** Pairs dropped because θ or x was not finite or θ lay outside the prior support. */
  dropped: number;
  elapsedMs: number;
  steps: number;
  msPerStep: number;
}

/**
 * One optimization step on a batch: loss, gradients, global-norm clipping, Adam update.
 * Returns the batch loss. Shared by {@link train} and the speed benchmark.
 */
export function makeTrainStep(
  tf: Tf,
  flow: Nsf,
  optimizer: tfType.Optimizer,
  clipNorm: number,
  variables: tfType.Variable[] = flow.variables,
): (z: tfType.Tensor2D, c: tfType.Tensor2D) => number {
  return (z, c) => {
    const { value, grads } = tf.variableGrads(() => flow.loss(z, c), variables);
    const names = Object.keys(grads);
    const sq = tf.tidy(() => tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
    const norm = Math.sqrt(sq.dataSync()[0]);
    sq.dispose();
    // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is < 1.
    const coef = clipNorm / (norm + 1e-6);
    if (coef < 1) {
      for (const k of names) {
        const g = grads[k];
        grads[k] = tf.mul(g, coef);
        g.dispose();
      }
    }
    optimizer.applyGradients(grads);
    for (const k of names) grads[k].dispose();
    const loss = value.dataSync()[0];
    value.dispose();
    return loss;
  };
}

/** Mean loss over rows [0, n) of (z, c) in chunks, without gradients. */
function meanLoss(tf: Tf, flow: Nsf, z: Float32Array, c: Float32Array, D: number, C: number): number {
  const n = z.length / D;
  const chunk = 5000;
  let sum = 0;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const v = tf.tidy(() => {
      const lp = flow.logProb(tf.tensor2d(z.subarray(s * D, (s + m) * D), [m, D]), tf.tensor2d(c.subarray(s * C, (s + m) * C), [m, C]));
      return tf.sum(lp);
    });
    sum -= v.dataSync()[0];
    v.dispose();
  }
  return sum / n;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/**
 * Trains `post` on pairs (θ_i, x_i) (row-major, n × thetaDim and n × xDim) and keeps the weights
 * with the best validation loss.
 */
export async function train(post: NpePosterior, data: { theta: ArrayLike<number>; x: ArrayLike<number> }, options: TrainOptions = {}): Promise<TrainResult> {
  const tf = post.tf;
  const flow = post.flow;
  const D = post.thetaDim;
  const C = post.xDim;
  const lr = options.learningRate ?? 5e-4;
  const batchSize = options.batchSize ?? 200;
  const valFrac = options.validationFraction ?? 0.1;
  const clipNorm = options.clipNorm ?? 5;
  const patience = options.patience ?? 20;
  const maxEpochs = options.maxEpochs ?? 2 ** 31 - 1;
  const seed = options.seed ?? 0;
  const label = options.label ?? 'train';
  if (!(lr > 0)) throw new RangeError(`learning rate must be positive, got ${lr}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be an integer ≥ 1, got ${batchSize}`);
  if (!(valFrac > 0 && valFrac < 1)) throw new RangeError(`validation fraction must be in (0, 1), got ${valFrac}`);
  if (!Number.isInteger(maxEpochs) || maxEpochs < 1) throw new RangeError(`max epochs must be an integer ≥ 1, got ${maxEpochs}`);
  if (data.theta.length % D !== 0 || data.x.length % C !== 0 || data.theta.length / D !== data.x.length / C) {
    throw new RangeError(`training data: θ has ${data.theta.length / D} rows of ${D}, x has ${data.x.length / C} rows of ${C}`);
  }

  // Drop pairs with non-finite values or θ outside the prior support (as sbi drops invalid x).
  const n0 = data.theta.length / D;
  const { logDet } = post.transform.forward(data.theta);
  post.maskOutsideBox(data.theta, logDet);
  const keep: number[] = [];
  for (let i = 0; i < n0; i++) {
    let ok = Number.isFinite(logDet[i]);
    for (let j = 0; j < C && ok; j++) ok = Number.isFinite(data.x[i * C + j]);
    if (ok) keep.push(i);
  }
  const n = keep.length;
  const nVal = Math.max(1, Math.floor(valFrac * n));
  const nTrain = n - nVal;
  if (nTrain < 1) throw new RangeError(`need at least 2 valid training pairs, got ${n} (of ${n0})`);
  const theta = new Float64Array(n * D);
  const x = new Float64Array(n * C);
  keep.forEach((src, i) => {
    for (let j = 0; j < D; j++) theta[i * D + j] = data.theta[src * D + j];
    for (let j = 0; j < C; j++) x[i * C + j] = data.x[src * C + j];
  });
  post.fitStandardization(theta, x, options.refitX ?? true);
  const zAll = post.thetaToFlow(theta).z;
  const cAll = standardize(post.xStd!, x);

  // Random validation split; the rest is the training set, reshuffled every epoch.
  const splitRng = new Rng(seed, STREAM_OFFSET.aux + 1);
  const perm = splitRng.permutation(n);
  const pick = (from: number, to: number, src: Float32Array, dim: number) => {
    const out = new Float32Array((to - from) * dim);
    for (let i = from; i < to; i++) out.set(src.subarray(perm[i] * dim, perm[i] * dim + dim), (i - from) * dim);
    return out;
  };
  const valZ = pick(0, nVal, zAll, D);
  const valC = pick(0, nVal, cAll, C);
  const trZ = pick(nVal, n, zAll, D);
  const trC = pick(nVal, n, cAll, C);

  const bs = Math.min(batchSize, nTrain);
  const nBatches = Math.floor(nTrain / bs);
  const bz = new Float32Array(bs * D);
  const bc = new Float32Array(bs * C);
  const shuffleRng = new Rng(seed, STREAM_OFFSET.aux + 2);
  const optimizer = tf.train.adam(lr, 0.9, 0.999, 1e-8);
  const names = Nsf.weightShapes(flow.cfg).map((w) => w.name);
  for (const f of options.freeze ?? []) if (!names.includes(f)) throw new RangeError(`cannot freeze '${f}': the flow's weights are ${names.join(', ')}`);
  const trainable = flow.variables.filter((_, i) => !(options.freeze ?? []).includes(names[i]));
  if (trainable.length === 0) throw new RangeError('every weight tensor is frozen: nothing to train');
  const step = makeTrainStep(tf, flow, optimizer, clipNorm, trainable);

  const t0 = performance.now();
  let stepMs = 0;
  let steps = 0;
  const history: EpochInfo[] = [];
  let best = Infinity;
  let bestEpoch = 0;
  let bestWeights = flow.getWeights();
  let since = 0;
  const tty = Boolean(process.stderr.isTTY);
  let lastLine = t0;
  const quiet = options.quiet || Boolean(process.env.MFNPE_QUIET);
  try {
    for (let epoch = 1; epoch <= maxEpochs; epoch++) {
      const order = shuffleRng.permutation(nTrain);
      let sum = 0;
      for (let b = 0; b < nBatches; b++) {
        for (let i = 0; i < bs; i++) {
          const r = order[b * bs + i];
          bz.set(trZ.subarray(r * D, r * D + D), i * D);
          bc.set(trC.subarray(r * C, r * C + C), i * C);
        }
        const s0 = performance.now();
        const zt = tf.tensor2d(bz, [bs, D]);
        const ct = tf.tensor2d(bc, [bs, C]);
        sum += step(zt, ct);
        zt.dispose();
        ct.dispose();
        stepMs += performance.now() - s0;
        steps++;
      }
      const trainLoss = sum / nBatches;
      const valLoss = meanLoss(tf, flow, valZ, valC, D, C);
      const improved = valLoss < best;
      if (improved) {
        best = valLoss;
        bestEpoch = epoch;
        bestWeights = flow.getWeights();
        since = 0;
      } else {
        since++;
      }
      const info: EpochInfo = { epoch, trainLoss, valLoss, best, improved, elapsedMs: performance.now() - t0 };
      history.push(info);
      options.onEpoch?.(info);
      const now = performance.now();
      const done = since >= patience || epoch === maxEpochs;
      if (!quiet && (tty || now - lastLine > 10_000 || done)) {
        const line = `${label}: epoch ${epoch}, train ${fmt(trainLoss)}, val ${fmt(valLoss)}, best ${fmt(best)} (epoch ${bestEpoch}), ${(info.elapsedMs / 1000).toFixed(1)} s`;
        process.stderr.write(tty ? `\r\x1b[K${line}${done ? '\n' : ''}` : `${line}\n`);
        lastLine = now;
      }
      if (done) break;
      // Let timers and I/O (live plots, Ctrl-C) run between epochs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    optimizer.dispose();
  }
  flow.setWeights(bestWeights);
  const result: TrainResult = {
    epochs: history.length,
    bestEpoch,
    bestValLoss: best,
    history,
    nTrain,
    nVal,
    dropped: n0 - n,
    elapsedMs: performance.now() - t0,
    steps,
    msPerStep: steps > 0 ? stepMs / steps : NaN,
  };
  return result;
}
