/**
 * Classifier two-sample test (C2ST; Lopez-Paz & Oquab 2017) as used by the SBI benchmark
 * (sbibm, Lueckmann et al. 2021): the cross-validated accuracy of a classifier that tells sample
 * set X (label 0) from sample set Y (label 1). 0.5 means indistinguishable, 1 means disjoint.
 *
 * Protocol, as sbibm's `c2st`: both sets z-scored with X's mean and standard deviation (n − 1
 * denominator, torch.std); 5-fold cross-validation with shuffled folds; in each fold a fresh
 * classifier trained on minibatches of min(200, n) reshuffled every epoch; the mean fold accuracy.
 *
 * Classifier (src/metrics/c2st-mlp.ts): scikit-learn's `MLPClassifier` as sbibm configures it — two
 * hidden layers of 10·d ReLU units, Glorot-uniform initialization, Adam (lr 10⁻³, β = (0.9, 0.999),
 * ε = 10⁻⁸; src/metrics/adam.ts) with an L2 penalty α = 10⁻⁴ on the weights — run as 2-D matMuls
 * on TensorFlow.js with a hand-written backward pass.
 *
 * Stopping rule (`stopping`; src/metrics/c2st-stopping.ts): 'validation' (default) stops on a
 * held-out 10 % of each fold's training part and keeps the best weights; 'sbibm' is scikit-learn's
 * training-loss rule (slower, overfits small overlapping samples).
 */
import { getTf } from '../backend.js';
import { checkSeed, Rng, STREAM_OFFSET } from '../random.js';
import { Mlp, MlpRunner } from './c2st-mlp.js';
import { Plateau, sbibmEpochLoss, type StoppingRule } from './c2st-stopping.js';

/** Settings of a C2ST: folds, seed, stopping rule and the classifier's size and training (sbibm's defaults). */
export interface C2stOptions {
  /** Seed of the fold split, the weight initialization and the minibatch shuffles (default 0). */
  seed?: number;
  /** Cross-validation folds (default 5). */
  folds?: number;
  /** Hidden units per layer = hiddenFactor · d (default 10). */
  hiddenFactor?: number;
  /** Minibatch size cap (default 200; the batch is min(200, training-set size)). */
  batchSize?: number;
  /** Adam learning rate (default 10⁻³). */
  learningRate?: number;
  /** L2 penalty α on the weights (default 10⁻⁴, scikit-learn's). */
  alpha?: number;
  /** Epoch cap (default 1000). */
  maxEpochs?: number;
  /** Improvement tolerance of the loss the stopping rule watches (default 10⁻⁴). */
  tol?: number;
  /** Epochs without improvement before stopping (default 10). */
  nIterNoChange?: number;
  /** 'validation' (default, fast) or 'sbibm' (scikit-learn's training-loss rule); see src/metrics/c2st-stopping.ts. */
  stopping?: StoppingRule;
  /** Share of each fold's training part held out for 'validation' stopping (default 0.1). */
  validationFraction?: number;
  /** z-score both sets with X's mean and std (default true). */
  zScore?: boolean;
  /** Called after each epoch with (epoch, folds still training). */
  onEpoch?: (epoch: number, active: number) => void;
}

/** A C2ST in detail: the mean accuracy, each fold's accuracy and epochs, and the seconds it took. */
export interface C2stResult {
  /** Mean test accuracy over the folds. */
  accuracy: number;
  foldAccuracies: number[];
  /** Training epochs per fold. */
  epochs: number[];
  /** Wall-clock seconds. */
  seconds: number;
}

/** Column means and sample standard deviations (n − 1 denominator, as torch.std in sbibm) of an n × d matrix. */
export function columnMeanStd(a: Float64Array, d: number): { mean: Float64Array; std: Float64Array } {
  const n = a.length / d;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += a[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = a[i * d + j] - mean[j];
      std[j] += v * v;
    }
  }
  for (let j = 0; j < d; j++) std[j] = n > 1 ? Math.sqrt(std[j] / (n - 1)) : 0;
  return { mean, std };
}

/**
 * Test-index sets of a shuffled k-fold split of 0..n−1, with scikit-learn's fold sizes (the first
 * n mod k folds one larger).
 */
export function kFoldSplit(n: number, k: number, rng: Rng): Int32Array[] {
  if (!(Number.isInteger(k) && k >= 2 && k <= n)) throw new RangeError(`cannot split ${n} samples into ${k} folds`);
  const perm = rng.permutation(n);
  const out: Int32Array[] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    out.push(perm.slice(start, start + size));
    start += size;
  }
  return out;
}

/** The options with their defaults filled in. */
interface Settings {
  seed: number;
  folds: number;
  hiddenFactor: number;
  batchSize: number;
  learningRate: number;
  alpha: number;
  maxEpochs: number;
  tol: number;
  patience: number;
  stopping: StoppingRule;
  valFraction: number;
  zScore: boolean;
}

function settings(opts: C2stOptions): Settings {
  const stopping = opts.stopping ?? 'validation';
  return {
    seed: checkSeed(opts.seed ?? 0),
    folds: opts.folds ?? 5,
    hiddenFactor: opts.hiddenFactor ?? 10,
    batchSize: opts.batchSize ?? 200,
    learningRate: opts.learningRate ?? 1e-3,
    alpha: opts.alpha ?? 1e-4,
    maxEpochs: opts.maxEpochs ?? 1000,
    tol: opts.tol ?? 1e-4,
    patience: opts.nIterNoChange ?? 10,
    stopping,
    valFraction: stopping === 'validation' ? (opts.validationFraction ?? 0.1) : 0,
    zScore: opts.zScore !== false,
  };
}

/** Rows of X and Y; a RangeError for a bad dimension, ragged arrays or fewer than 4 samples per fold. */
function sampleCounts(X: Float64Array, Y: Float64Array, dim: number, F: number): { nX: number; nY: number } {
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`c2st: bad dimension ${dim}`);
  if (X.length % dim !== 0 || Y.length % dim !== 0) throw new RangeError('c2st: sample arrays do not match the dimension');
  const nX = X.length / dim;
  const nY = Y.length / dim;
  if (nX < 1 || nY < 1 || nX + nY < 4 * F) throw new RangeError(`c2st: need at least ${4 * F} samples in total, got ${nX} + ${nY}`);
  return { nX, nY };
}

/**
 * The classifier's inputs: the rows of X then Y, z-scored with X's statistics (or not), each with a
 * trailing 1 (the bias input), as float32 (N × (d+1)); labels 0 for X, 1 for Y.
 */
function labelledInputs(X: Float64Array, Y: Float64Array, d: number, zScore: boolean): { data: Float32Array; label: Uint8Array } {
  const nX = X.length / d;
  const N = nX + Y.length / d;
  const d1 = d + 1;
  const { mean, std } = zScore ? columnMeanStd(X, d) : { mean: new Float64Array(d), std: new Float64Array(d).fill(1) };
  const data = new Float32Array(N * d1);
  const label = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    const src = i < nX ? X : Y;
    const r = i < nX ? i : i - nX;
    for (let j = 0; j < d; j++) {
      const s = std[j] > 0 ? std[j] : 1; // a constant column carries no information either way
      data[i * d1 + j] = (src[r * d + j] - mean[j]) / s;
    }
    data[i * d1 + d] = 1;
    label[i] = i < nX ? 0 : 1;
  }
  return { data, label };
}

/** One cross-validation fold: its test rows, and its training part split into training and validation rows. */
interface Fold {
  test: Int32Array;
  train: Int32Array;
  val: Int32Array;
}

/**
 * Shuffled k-fold split of N rows ({@link kFoldSplit}); each fold's training part is shuffled and its
 * first round(valFraction · size) rows (at least 1 when valFraction > 0) held out for validation.
 */
function splitFolds(N: number, F: number, valFraction: number, rng: Rng): Fold[] {
  const testSets = kFoldSplit(N, F, rng);
  return testSets.map((test, f) => {
    const rest = new Int32Array(N - test.length);
    let k = 0;
    for (let g = 0; g < F; g++) if (g !== f) for (const i of testSets[g]) rest[k++] = i;
    rng.shuffle(rest);
    const nVal = valFraction > 0 ? Math.max(1, Math.round(valFraction * rest.length)) : 0;
    return { test, val: rest.slice(0, nVal), train: rest.slice(nVal) };
  });
}

/** One epoch of `net` on its fold's (reshuffled) training rows; returns the loss the stopping rule watches. */
function trainEpoch(runner: MlpRunner, net: Mlp, fold: Fold, s: Settings, rng: Rng): number {
  const order = fold.train;
  rng.shuffle(order);
  const B = Math.min(s.batchSize, order.length);
  let lossSum = 0;
  let nBatches = 0;
  for (let lo = 0; lo < order.length; lo += B) {
    lossSum += runner.trainStep(net, order, lo, Math.min(order.length, lo + B), s.learningRate, s.alpha);
    nBatches++;
  }
  if (s.stopping === 'sbibm') return sbibmEpochLoss(lossSum, order.length, nBatches, s.alpha, net.sumSquares());
  return runner.meanLoss(net, fold.val);
}

/** Trains every fold's net, epoch by epoch, until each one's stopping rule fires; returns the epochs per fold. */
function trainFolds(runner: MlpRunner, nets: Mlp[], folds: Fold[], s: Settings, rng: Rng, onEpoch?: C2stOptions['onEpoch']): number[] {
  const F = folds.length;
  const plateaus = folds.map(() => new Plateau(s.stopping, s.tol, s.patience));
  const active = new Uint8Array(F).fill(1);
  const epochs = new Array<number>(F).fill(0);
  for (let epoch = 0; epoch < s.maxEpochs; epoch++) {
    let nActive = 0;
    for (let f = 0; f < F; f++) {
      if (!active[f]) continue;
      const loss = trainEpoch(runner, nets[f], folds[f], s, rng);
      epochs[f] = epoch + 1;
      if (plateaus[f].record(loss) && s.stopping === 'validation') nets[f].keepBest();
      if (plateaus[f].done) active[f] = 0;
      else nActive++;
    }
    onEpoch?.(epoch + 1, nActive);
    if (nActive === 0) break;
  }
  return epochs;
}

/**
 * Full C2ST with per-fold details. X and Y are row-major (nX × dim, nY × dim).
 */
export async function c2stDetailed(X: Float64Array, Y: Float64Array, dim: number, opts: C2stOptions = {}): Promise<C2stResult> {
  const t0 = performance.now();
  const s = settings(opts);
  const { nX, nY } = sampleCounts(X, Y, dim, s.folds);
  const { data, label } = labelledInputs(X, Y, dim, s.zScore);
  const rng = new Rng(s.seed, STREAM_OFFSET.aux);
  const folds = splitFolds(nX + nY, s.folds, s.valFraction, rng);
  const H = s.hiddenFactor * dim;
  const nets = folds.map(() => new Mlp(dim, H, rng));
  const runner = new MlpRunner(await getTf(), data, label, dim, H);
  const epochs = trainFolds(runner, nets, folds, s, rng, opts.onEpoch);
  const foldAccuracies = folds.map((fold, f) => {
    nets[f].restoreBest();
    return runner.accuracy(nets[f], fold.test);
  });
  const accuracy = foldAccuracies.reduce((a, b) => a + b, 0) / s.folds;
  return { accuracy, foldAccuracies, epochs, seconds: (performance.now() - t0) / 1000 };
}

/** C2ST accuracy between X and Y (row-major, `dim` columns); see {@link c2stDetailed}. */
export async function c2st(X: Float64Array, Y: Float64Array, dim: number, opts: C2stOptions = {}): Promise<number> {
  return (await c2stDetailed(X, Y, dim, opts)).accuracy;
}
