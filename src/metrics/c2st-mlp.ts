/**
 * The C2ST classifier (src/metrics/c2st.ts): scikit-learn's `MLPClassifier` as sbibm's `c2st`
 * configures it (Lueckmann et al. 2021) — d inputs, two hidden layers of H = 10·d ReLU units, one
 * logistic output, log loss; Glorot-uniform initialization with bound √(6/(fan_in + fan_out)) for
 * weights and biases; trained by Adam with an L2 penalty on the weights (src/metrics/adam.ts). One
 * {@link Mlp} per cross-validation fold; {@link MlpRunner} runs the forward and the hand-written
 * backward pass of any of them on rows of the shared, z-scored input matrix.
 *
 * Speed design (TensorFlow.js on WebAssembly, where per-op overhead dominates for such small nets):
 * tfjs-wasm runs only 2-D, non-transposed matMuls through XNNPACK (batched or transposed ones take a
 * slow path, 5–20× slower), so each fold is a chain of 2-D fused matMuls: biases ride in the weight
 * matrices (inputs carry a constant 1 column and each hidden layer a constant unit with fixed,
 * gradient-masked weights), transposed weights are uploaded rather than transposed on the device,
 * the hand-written backward pass is a handful of ops, and the loss, its gradient, the L2 term and
 * Adam run in plain JavaScript (float64) on the ~10³–10⁴ parameters.
 */
import type { Tf } from '../backend.js';
import type { Rng } from '../random.js';
import { type AdamState, adamStep } from './adam.js';

/** Rows per forward-only chunk (evaluation of the loss and of the accuracy). */
const CHUNK = 4096;

/** Numerically stable log(1 + e^u). */
export function softplus(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/**
 * One fold's MLP d → H → H → 1 with biases folded into augmented weight matrices:
 * W1 (d+1) × (H+1), W2 (H+1) × (H+1), W3 (H+1) × 1. The last row of each block (index fan_in) holds
 * the biases; the last column of W1 and W2 is the constant unit (weight 1 from the bias row, 0 elsewhere, never trained).
 * Parameters live in float64 (Adam state too); float32 copies of W and Wᵀ are what gets uploaded.
 */
export class Mlp implements AdamState {
  readonly p: Float64Array;
  readonly m: Float64Array;
  readonly v: Float64Array;
  readonly grad: Float64Array;
  readonly trainable: Uint8Array;
  readonly penalized: Uint8Array;
  /** float32 W1, W2, W3 and their transposes (row-major). */
  readonly w32: Float32Array[];
  readonly wT32: Float32Array[];
  /** [offset, rows, cols] of each block in p. */
  readonly blocks: [number, number, number][];
  /** A copy of p kept by {@link keepBest}. */
  best: Float64Array | null = null;
  step = 0;

  /** Glorot-uniform weights and biases drawn from `rng`, block by block, row by row. */
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
    for (let b = 0; b < 3; b++) this.initBlock(b, Math.sqrt(6 / (fans[b][0] + fans[b][1])), rng);
    this.w32 = shapes.map(([r, c]) => new Float32Array(r * c));
    this.wT32 = shapes.map(([r, c]) => new Float32Array(r * c));
    this.sync();
  }

  /** Fills block b: U(−bound, bound) on trained entries, the constant unit's fixed 1/0 column. */
  private initBlock(b: number, bound: number, rng: Rng): void {
    const [o, rows, cols] = this.blocks[b];
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

  /** One Adam step on grad (+ α·W/n, scikit-learn's L2 gradient), then {@link sync}. */
  adam(lr: number, alphaOverN: number): void {
    adamStep(this, lr, alphaOverN);
    this.sync();
  }

  /** Remembers the current parameters. */
  keepBest(): void {
    this.best = this.p.slice();
  }

  /** Returns to the parameters of the last {@link keepBest}, if any. */
  restoreBest(): void {
    if (!this.best) return;
    this.p.set(this.best);
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
 * Forward and backward passes of {@link Mlp}s with d inputs and H hidden units on rows of `data`
 * (N × (d+1), float32, each row ending in the constant 1) with 0/1 labels; owns the scratch buffers
 * that every fold shares.
 */
export class MlpRunner {
  private readonly d1: number;
  private readonly H1: number;
  private readonly xb: Float32Array;
  private readonly xbT: Float32Array;
  private readonly h1T: Float32Array;
  private readonly d2b: Float32Array;
  private readonly d1b: Float32Array;

  constructor(
    private readonly tf: Tf,
    private readonly data: Float32Array,
    private readonly label: Uint8Array,
    d: number,
    H: number,
  ) {
    this.d1 = d + 1;
    this.H1 = H + 1;
    const maxRows = Math.max(label.length, 1);
    this.xb = new Float32Array(maxRows * this.d1);
    this.xbT = new Float32Array(maxRows * this.d1);
    this.h1T = new Float32Array(maxRows * this.H1);
    this.d2b = new Float32Array(maxRows * this.H1);
    this.d1b = new Float32Array(maxRows * this.H1);
  }

  /** Logits of rows idx[from..to) under `net` (forward pass only). */
  logits(net: Mlp, idx: Int32Array, from: number, to: number): Float32Array {
    const { tf, d1, H1, xb } = this;
    const n = to - from;
    gatherRows(this.data, d1, idx, from, to, xb, this.xbT);
    let z!: Float32Array;
    tf.tidy(() => {
      const x = tf.tensor2d(xb.subarray(0, n * d1), [n, d1]);
      const h1 = tf.fused.matMul({ a: x, b: tf.tensor2d(net.w32[0], [d1, H1]), activation: 'relu' });
      const h2 = tf.fused.matMul({ a: h1, b: tf.tensor2d(net.w32[1], [H1, H1]), activation: 'relu' });
      z = tf.matMul(h2, tf.tensor2d(net.w32[2], [H1, 1])).dataSync() as Float32Array;
    });
    return z;
  }

  /** Mean log loss of rows idx under `net`, in chunks. */
  meanLoss(net: Mlp, idx: Int32Array): number {
    let acc = 0;
    for (let lo = 0; lo < idx.length; lo += CHUNK) {
      const hi = Math.min(idx.length, lo + CHUNK);
      const z = this.logits(net, idx, lo, hi);
      for (let r = 0; r < hi - lo; r++) acc += softplus(this.label[idx[lo + r]] === 1 ? -z[r] : z[r]);
    }
    return acc / idx.length;
  }

  /** Share of rows idx that `net` classifies right (proba > ½ ⇔ logit > 0), in chunks. */
  accuracy(net: Mlp, idx: Int32Array): number {
    let correct = 0;
    for (let lo = 0; lo < idx.length; lo += CHUNK) {
      const hi = Math.min(idx.length, lo + CHUNK);
      const z = this.logits(net, idx, lo, hi);
      for (let r = 0; r < hi - lo; r++) if ((z[r] > 0 ? 1 : 0) === this.label[idx[lo + r]]) correct++;
    }
    return correct / idx.length;
  }

  /**
   * One minibatch Adam step of `net` on rows idx[from..to), with learning rate `lr` and L2 penalty
   * `alpha`; returns the summed log loss. Only the three (H+1)² products and the first layer run as
   * tensor ops; the output layer, the loss gradient, the ReLU masks and the transposes are O(n·H)
   * loops in JavaScript.
   */
  trainStep(net: Mlp, idx: Int32Array, from: number, to: number, lr: number, alpha: number): number {
    const n = to - from;
    gatherRows(this.data, this.d1, idx, from, to, this.xb, this.xbT);
    const { h1, h2 } = this.hidden(net, n);
    const lossSum = this.outputLayer(net, h1, h2, idx, from, n);
    this.hiddenGradients(net, h1, n);
    net.adam(lr, alpha / n);
    return lossSum;
  }

  /** Hidden activations h1, h2 (n × (H+1)) of the n gathered rows. */
  private hidden(net: Mlp, n: number): { h1: Float32Array; h2: Float32Array } {
    const { tf, d1, H1, xb } = this;
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
    return { h1, h2 };
  }

  /**
   * Output layer in float64: log loss softplus(s·z) with s = 1 − 2y, dL/dz (batch mean), dW3 into
   * net.grad, δ2 into d2b and h1ᵀ into h1T; returns the summed loss.
   */
  private outputLayer(net: Mlp, h1: Float32Array, h2: Float32Array, idx: Int32Array, from: number, n: number): number {
    const { H1, d2b, h1T } = this;
    const w3 = net.p.subarray(net.blocks[2][0]);
    const g3 = net.grad.subarray(net.blocks[2][0], net.blocks[2][0] + H1);
    let lossSum = 0;
    g3.fill(0);
    for (let r = 0; r < n; r++) {
      const row = r * H1;
      let z = 0;
      for (let j = 0; j < H1; j++) z += h2[row + j] * w3[j];
      const s = this.label[idx[from + r]] === 1 ? -1 : 1;
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
    return lossSum;
  }

  /** dW2 = h1ᵀδ2, δ1 = (δ2 W2ᵀ) ⊙ [h1 > 0], dW1 = xᵀδ1 into net.grad. */
  private hiddenGradients(net: Mlp, h1: Float32Array, n: number): void {
    const { tf, d1, H1, d1b } = this;
    let g2!: Float32Array;
    let e1!: Float32Array;
    tf.tidy(() => {
      const d2 = tf.tensor2d(this.d2b.subarray(0, n * H1), [n, H1]);
      g2 = tf.matMul(tf.tensor2d(this.h1T.subarray(0, n * H1), [H1, n]), d2).dataSync() as Float32Array;
      e1 = tf.matMul(d2, tf.tensor2d(net.wT32[1], [H1, H1])).dataSync() as Float32Array;
    });
    for (let k = 0; k < n * H1; k++) d1b[k] = h1[k] > 0 ? e1[k] : 0;
    let g1!: Float32Array;
    tf.tidy(() => {
      g1 = tf.matMul(tf.tensor2d(this.xbT.subarray(0, n * d1), [d1, n]), tf.tensor2d(d1b.subarray(0, n * H1), [n, H1])).dataSync() as Float32Array;
    });
    net.grad.set(g1, net.blocks[0][0]);
    net.grad.set(g2, net.blocks[1][0]);
  }
}
