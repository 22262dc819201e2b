/**
 * Classifier two-sample test (C2ST; Lopez-Paz & Oquab 2017) as used by the SBI benchmark
 * (sbibm, Lueckmann et al. 2021): the cross-validated accuracy of a classifier that tells sample
 * set X (label 0) from sample set Y (label 1). 0.5 means indistinguishable, 1 means disjoint.
 *
 * Classifier and protocol follow sbibm's `c2st` (scikit-learn `MLPClassifier`): both sets z-scored
 * with X's mean and standard deviation (n − 1 denominator, torch.std); two hidden layers of 10·d ReLU units; Adam
 * (lr 10⁻³, β = (0.9, 0.999), ε = 10⁻⁸); L2 penalty α = 10⁻⁴ on the weights; minibatches of
 * min(200, n) reshuffled every epoch; Glorot-uniform initialization with bound √(6/(fan_in + fan_out))
 * for weights and biases; 5-fold cross-validation with shuffled folds; the mean fold accuracy.
 *
 * Stopping rule (`stopping`):
 * - 'sbibm': scikit-learn's default — stop once the epoch's *training* loss has not improved by
 *   tol = 10⁻⁴ on the best for more than 10 epochs, at most 1000 epochs. On small, overlapping
 *   samples this trains for hundreds of epochs into overfitting.
 * - 'validation' (default): 10 % of each fold's training part is held out; stop once its log loss
 *   has not improved by tol for 10 epochs and keep the best weights (scikit-learn's
 *   `early_stopping=True`, with the loss instead of the noisier accuracy). It trains ~5–20× fewer
 *   epochs and lands within a few thousandths of the 'sbibm' accuracy (see README, "Metrics and
 *   benchmark tasks", for the side-by-side comparison with scikit-learn).
 *
 * Speed design (TensorFlow.js on WebAssembly, where per-op overhead dominates for such small nets):
 * tfjs-wasm runs only 2-D, non-transposed matMuls through XNNPACK (batched or transposed ones take a
 * slow path, 5–20× slower), so each fold is a chain of 2-D fused matMuls: biases ride in the weight
 * matrices (inputs carry a constant 1 column and each hidden layer a constant unit with fixed,
 * gradient-masked weights), transposed weights are uploaded rather than transposed on the device,
 * the hand-written backward pass is a handful of ops, and the loss, its gradient, the L2 term and
 * Adam run in plain JavaScript (float64) on the ~10³–10⁴ parameters.
 */
import { getTf } from '../backend.js';
import { Rng, STREAM_OFFSET, checkSeed } from '../random.js';

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
  /** Improvement tolerance of the training loss (default 10⁻⁴). */
  tol?: number;
  /** Epochs without improvement before stopping (default 10). */
  nIterNoChange?: number;
  /** 'validation' (default, fast) or 'sbibm' (scikit-learn's training-loss rule); see above. */
  stopping?: 'validation' | 'sbibm';
  /** Share of each fold's training part held out for 'validation' stopping (default 0.1). */
  validationFraction?: number;
  /** z-score both sets with X's mean and std (default true). */
  zScore?: boolean;
  /** Called after each epoch with (epoch, folds still training). */
  onEpoch?: (epoch: number, active: number) => void;
}

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

/** Numerically stable log(1 + e^u). */
function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/**
 * One fold's MLP d → H → H → 1 with biases folded into augmented weight matrices:
 * W1 (d+1) × (H+1), W2 (H+1) × (H+1), W3 (H+1) × 1. Row `in` of each block holds the biases; the last
 * column of W1 and W2 is the constant unit (weight 1 from the bias row, 0 elsewhere, never trained).
 * Parameters live in float64 (Adam state too); float32 copies of W and Wᵀ are what gets uploaded.
 */
class FoldNet {
  readonly p: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly grad: Float64Array;
  /** 1 where the entry is trained, 0 on the constant unit's fixed weights. */
  readonly trainable: Uint8Array;
  /** 1 on true weights (L2-penalized), 0 on biases and fixed entries. */
  readonly penalized: Uint8Array;
  /** float32 W1, W2, W3 and their transposes (row-major). */
  readonly w32: Float32Array[];
  readonly wT32: Float32Array[];
  /** [offset, rows, cols] of each block in p. */
  readonly blocks: [number, number, number][];
  best: Float64Array | null = null;
  step = 0;

  constructor(
    readonly d: number,
    readonly H: number,
    rng: Rng,
  ) {
    const shapes: [number, number][] = [
      [d + 1, H + 1],
      [H + 1, H + 1],
      [H + 1, 1],
    ];
    const fans: [number, number][] = [
      [d, H],
      [H, H],
      [H, 1],
    ];
    this.blocks = [];
    let off = 0;
    for (const [r, c] of shapes) {
      this.blocks.push([off, r, c]);
      off += r * c;
    }
    this.p = new Float64Array(off);
    this.m = new Float64Array(off);
    this.v = new Float64Array(off);
    this.grad = new Float64Array(off);
    this.trainable = new Uint8Array(off);
    this.penalized = new Uint8Array(off);
    for (let b = 0; b < 3; b++) {
      const [o, rows, cols] = this.blocks[b];
      const bound = Math.sqrt(6 / (fans[b][0] + fans[b][1]));
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const k = o + i * cols + j;
          if (b < 2 && j === cols - 1) {
            this.p[k] = i === rows - 1 ? 1 : 0;
            continue;
          }
          this.p[k] = (2 * rng.uniform() - 1) * bound;
          this.trainable[k] = 1;
          if (i < rows - 1) this.penalized[k] = 1;
        }
      }
    }
    this.w32 = shapes.map(([r, c]) => new Float32Array(r * c));
    this.wT32 = shapes.map(([r, c]) => new Float32Array(r * c));
    this.sync();
  }

  /** Refreshes the float32 copies (W and Wᵀ) from p. */
  sync(): void {
    for (let b = 0; b < 3; b++) {
      const [o, rows, cols] = this.blocks[b];
      const w = this.w32[b];
      const wt = this.wT32[b];
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < cols; j++) {
          const val = this.p[o + i * cols + j];
          w[i * cols + j] = val;
          wt[j * rows + i] = val;
        }
      }
    }
  }

  /** Sum of squared (penalized) weights. */
  sumSquares(): number {
    let s = 0;
    for (let k = 0; k < this.p.length; k++) if (this.penalized[k]) s += this.p[k] * this.p[k];
    return s;
  }

  /** One Adam step on grad (+ α·W/n, scikit-learn's L2 gradient), exactly as scikit-learn's AdamOptimizer. */
  adam(lr: number, alphaOverN: number): void {
    const b1 = 0.9;
    const b2 = 0.999;
    const eps = 1e-8;
    const t = ++this.step;
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    const { p, m, v, grad, trainable, penalized } = this;
    for (let k = 0; k < p.length; k++) {
      if (!trainable[k]) continue;
      const g = grad[k] + (penalized[k] ? alphaOverN * p[k] : 0);
      m[k] = b1 * m[k] + (1 - b1) * g;
      v[k] = b2 * v[k] + (1 - b2) * g * g;
      p[k] -= (lrT * m[k]) / (Math.sqrt(v[k]) + eps);
    }
    this.sync();
  }
}

/** Rows `idx[from..to)` of `data` (n × cols, float32) into `out` and, transposed, into `outT`. */
function gatherRows(data: Float32Array, cols: number, idx: Int32Array, from: number, to: number, out: Float32Array, outT: Float32Array): void {
  const n = to - from;
  for (let r = 0; r < n; r++) {
    const i = idx[from + r];
    for (let j = 0; j < cols; j++) {
      const val = data[i * cols + j];
      out[r * cols + j] = val;
      outT[j * n + r] = val;
    }
  }
}

/**
 * Full C2ST with per-fold details. X and Y are row-major (nX × dim, nY × dim).
 */
export async function c2stDetailed(X: Float64Array, Y: Float64Array, dim: number, opts: C2stOptions = {}): Promise<C2stResult> {
  const t0 = performance.now();
  const seed = checkSeed(opts.seed ?? 0);
  const F = opts.folds ?? 5;
  const lr = opts.learningRate ?? 1e-3;
  const alpha = opts.alpha ?? 1e-4;
  const maxEpochs = opts.maxEpochs ?? 1000;
  const tol = opts.tol ?? 1e-4;
  const patience = opts.nIterNoChange ?? 10;
  const stopping = opts.stopping ?? 'validation';
  const valFraction = stopping === 'validation' ? (opts.validationFraction ?? 0.1) : 0;
  if (!(Number.isInteger(dim) && dim >= 1)) throw new RangeError(`c2st: bad dimension ${dim}`);
  if (X.length % dim !== 0 || Y.length % dim !== 0) throw new RangeError('c2st: sample arrays do not match the dimension');
  const nX = X.length / dim;
  const nY = Y.length / dim;
  const N = nX + nY;
  if (nX < 1 || nY < 1 || N < 4 * F) throw new RangeError(`c2st: need at least ${4 * F} samples in total, got ${nX} + ${nY}`);
  const d = dim;
  const H = (opts.hiddenFactor ?? 10) * d;
  const d1 = d + 1;
  const H1 = H + 1;

  // Inputs with a trailing 1 (bias), z-scored with X's statistics; labels 0 for X, 1 for Y.
  const { mean, std } = opts.zScore === false ? { mean: new Float64Array(d), std: new Float64Array(d).fill(1) } : columnMeanStd(X, d);
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

  const rng = new Rng(seed, STREAM_OFFSET.aux);
  const testSets = kFoldSplit(N, F, rng);
  const trainSets: Int32Array[] = [];
  const valSets: Int32Array[] = [];
  for (let f = 0; f < F; f++) {
    const rest = new Int32Array(N - testSets[f].length);
    let k = 0;
    for (let g = 0; g < F; g++) if (g !== f) for (const i of testSets[g]) rest[k++] = i;
    rng.shuffle(rest);
    const nVal = valFraction > 0 ? Math.max(1, Math.round(valFraction * rest.length)) : 0;
    valSets.push(rest.slice(0, nVal));
    trainSets.push(rest.slice(nVal));
  }
  const nets = Array.from({ length: F }, () => new FoldNet(d, H, rng));

  const tf = await getTf();
  const maxRows = Math.max(N, 1);
  const xb = new Float32Array(maxRows * d1);
  const xbT = new Float32Array(maxRows * d1);

  /** Logits of rows idx[from..to) under net `f` (forward pass only). */
  const logits = (net: FoldNet, idx: Int32Array, from: number, to: number): Float32Array => {
    const n = to - from;
    gatherRows(data, d1, idx, from, to, xb, xbT);
    let z!: Float32Array;
    tf.tidy(() => {
      const x = tf.tensor2d(xb.subarray(0, n * d1), [n, d1]);
      const h1 = tf.fused.matMul({ a: x, b: tf.tensor2d(net.w32[0], [d1, H1]), activation: 'relu' });
      const h2 = tf.fused.matMul({ a: h1, b: tf.tensor2d(net.w32[1], [H1, H1]), activation: 'relu' });
      z = tf.matMul(h2, tf.tensor2d(net.w32[2], [H1, 1])).dataSync() as Float32Array;
    });
    return z;
  };

  /** Mean log loss of rows idx under net `f`, in chunks. */
  const meanLoss = (net: FoldNet, idx: Int32Array): number => {
    let acc = 0;
    for (let lo = 0; lo < idx.length; lo += 4096) {
      const hi = Math.min(idx.length, lo + 4096);
      const z = logits(net, idx, lo, hi);
      for (let r = 0; r < hi - lo; r++) acc += softplus(label[idx[lo + r]] === 1 ? -z[r] : z[r]);
    }
    return acc / idx.length;
  };

  /**
   * One minibatch gradient step of `net` on rows idx[from..to); returns the summed log loss.
   * Only the three (H+1)² products and the first layer run as tensor ops; the output layer, the
   * loss gradient, the ReLU masks and the transposes are O(n·H) loops in JavaScript.
   */
  const h1T = new Float32Array(maxRows * H1);
  const d2b = new Float32Array(maxRows * H1);
  const d1b = new Float32Array(maxRows * H1);
  const trainStep = (net: FoldNet, idx: Int32Array, from: number, to: number): number => {
    const n = to - from;
    gatherRows(data, d1, idx, from, to, xb, xbT);
    const w3 = net.p.subarray(net.blocks[2][0]);
    const g3 = net.grad.subarray(net.blocks[2][0], net.blocks[2][0] + H1);
    let lossSum = 0;
    // (tidy must not return typed arrays: it would walk every element looking for tensors.)
    let h1!: Float32Array;
    let h2!: Float32Array;
    tf.tidy(() => {
      const x = tf.tensor2d(xb.subarray(0, n * d1), [n, d1]);
      const a1 = tf.fused.matMul({ a: x, b: tf.tensor2d(net.w32[0], [d1, H1]), activation: 'relu' });
      const a2 = tf.fused.matMul({ a: a1, b: tf.tensor2d(net.w32[1], [H1, H1]), activation: 'relu' });
      h1 = a1.dataSync() as Float32Array;
      h2 = a2.dataSync() as Float32Array;
    });
    // Output layer, log loss softplus(s·z) with s = 1 − 2y, dL/dz (batch mean), dW3 and δ2.
    g3.fill(0);
    for (let r = 0; r < n; r++) {
      const row = r * H1;
      let z = 0;
      for (let j = 0; j < H1; j++) z += h2[row + j] * w3[j];
      const s = label[idx[from + r]] === 1 ? -1 : 1;
      const u = s * z;
      lossSum += softplus(u);
      const g = s / (1 + Math.exp(-u)) / n;
      for (let j = 0; j < H1; j++) {
        const a = h2[row + j];
        g3[j] += a * g;
        d2b[row + j] = a > 0 ? g * w3[j] : 0;
      }
      for (let j = 0; j < H1; j++) h1T[j * n + r] = h1[row + j];
    }
    let g2!: Float32Array;
    let e1!: Float32Array;
    tf.tidy(() => {
      const d2 = tf.tensor2d(d2b.subarray(0, n * H1), [n, H1]);
      g2 = tf.matMul(tf.tensor2d(h1T.subarray(0, n * H1), [H1, n]), d2).dataSync() as Float32Array;
      e1 = tf.matMul(d2, tf.tensor2d(net.wT32[1], [H1, H1])).dataSync() as Float32Array;
    });
    for (let k = 0; k < n * H1; k++) d1b[k] = h1[k] > 0 ? e1[k] : 0;
    let g1!: Float32Array;
    tf.tidy(() => {
      g1 = tf.matMul(tf.tensor2d(xbT.subarray(0, n * d1), [d1, n]), tf.tensor2d(d1b.subarray(0, n * H1), [n, H1])).dataSync() as Float32Array;
    });
    net.grad.set(g1, net.blocks[0][0]);
    net.grad.set(g2, net.blocks[1][0]);
    net.adam(lr, alpha / n);
    return lossSum;
  };

  const active = new Uint8Array(F).fill(1);
  const best = new Float64Array(F).fill(Infinity);
  const noImprove = new Int32Array(F);
  const epochs = new Array<number>(F).fill(0);
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    let nActive = 0;
    for (let f = 0; f < F; f++) {
      if (!active[f]) continue;
      const net = nets[f];
      const order = trainSets[f];
      rng.shuffle(order);
      const B = Math.min(opts.batchSize ?? 200, order.length);
      let lossSum = 0;
      let nBatches = 0;
      for (let lo = 0; lo < order.length; lo += B) {
        lossSum += trainStep(net, order, lo, Math.min(order.length, lo + B));
        nBatches++;
      }
      epochs[f] = epoch + 1;
      let loss: number;
      if (stopping === 'sbibm') {
        // scikit-learn's epoch loss: mean log loss plus, per batch, ½α‖W‖² (here with the
        // end-of-epoch weights rather than those of each batch), over the training-set size.
        loss = lossSum / order.length + (nBatches * 0.5 * alpha * net.sumSquares()) / order.length;
      } else {
        loss = meanLoss(net, valSets[f]);
      }
      if (loss > best[f] - tol) noImprove[f]++;
      else noImprove[f] = 0;
      if (loss < best[f]) {
        best[f] = loss;
        if (stopping === 'validation') net.best = net.p.slice();
      }
      const stop = stopping === 'sbibm' ? noImprove[f] > patience : noImprove[f] >= patience;
      if (stop) active[f] = 0;
      else nActive++;
    }
    opts.onEpoch?.(epoch + 1, nActive);
    if (nActive === 0) break;
  }

  const foldAccuracies = testSets.map((t, f) => {
    const net = nets[f];
    if (net.best) {
      net.p.set(net.best);
      net.sync();
    }
    let correct = 0;
    for (let lo = 0; lo < t.length; lo += 4096) {
      const hi = Math.min(t.length, lo + 4096);
      const z = logits(net, t, lo, hi);
      for (let r = 0; r < hi - lo; r++) if ((z[r] > 0 ? 1 : 0) === label[t[lo + r]]) correct++; // proba > ½ ⇔ logit > 0
    }
    return correct / t.length;
  });
  const accuracy = foldAccuracies.reduce((a, b) => a + b, 0) / F;
  return { accuracy, foldAccuracies, epochs, seconds: (performance.now() - t0) / 1000 };
}

/** C2ST accuracy between X and Y (row-major, `dim` columns); see {@link c2stDetailed}. */
export async function c2st(X: Float64Array, Y: Float64Array, dim: number, opts: C2stOptions = {}): Promise<number> {
  return (await c2stDetailed(X, Y, dim, opts)).accuracy;
}
