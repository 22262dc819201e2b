/**
 * Conditional neural spline flow q(z | c) (Durkan et al. 2019) in the form zuko's `NSF` builds:
 * T masked autoregressive transforms with rational-quadratic splines, alternating ascending and
 * descending feature orders, base distribution N(0, I). Works in the flow's own coordinates:
 * z = standardized (and, for box priors, logit-transformed) θ, c = z-scored x — see
 * posterior.ts for the maps to and from θ and x.
 *
 * Layout, chosen so one training step is a few large ops (per-op overhead dominates at these sizes):
 * - The context part of every transform's first layer is ONE matmul for all T transforms
 *   (x is the same for all of them): c·W_ctx + b, W_ctx of shape [C, T·H], then split.
 * - Weights of the same role are stacked over transforms ([T, D, H], [T·(L−1), H, H],
 *   [T, H, D·P]); their MADE masks are multiplied in once per step, then unstacked.
 * - The spline of all features and the whole batch is one op (spline.ts).
 * Forward (density) direction θ → z is one pass; sampling inverts each transform with D passes
 * of its MADE (autoregressive inversion; pass r solves the feature of rank r with the closed-form
 * spline inverse). Each feature's spline parameters at the pass that solves it are those of the final
 * point, so sampling can return log q of its draws without a density pass ({@link Nsf.inverseWithLogProb}).
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { Rng } from '../random.js';
import { featureRanks, madeMasks, uniformInit } from './made.js';
import { makeSplineOp, splineInverseColumn, splineParamCount, type SplineShape } from './spline.js';

export interface NsfConfig {
  /** θ dimension D. */
  readonly thetaDim: number;
  /** x (context) dimension C. */
  readonly xDim: number;
  /** Hidden units per layer (default 50). */
  readonly hidden: number;
  /** Hidden layers per MADE (default 2; the MF-NPE code uses 5). */
  readonly layers: number;
  /** Number of autoregressive transforms (default 5). */
  readonly transforms: number;
  /** Spline bins K (default 8). */
  readonly bins: number;
  /** Spline interval [−bound, bound] (default 5). */
  readonly bound: number;
  /** Minimum knot slope (default 1e-3). */
  readonly minSlope: number;
  /** Factor on the spline width/height logits (default 1 as zuko; sbi's nflows NSF uses 1/√hidden). */
  readonly logitScale: number;
}

export const NSF_DEFAULTS = { hidden: 50, layers: 2, transforms: 5, bins: 8, bound: 5, minSlope: 1e-3, logitScale: 1 } as const;

/** Fills in defaults and validates a configuration. */
export function nsfConfig(c: Partial<NsfConfig> & { thetaDim: number; xDim: number }): NsfConfig {
  const cfg: NsfConfig = { ...NSF_DEFAULTS, ...c };
  const ints: (keyof NsfConfig)[] = ['thetaDim', 'xDim', 'hidden', 'layers', 'transforms', 'bins'];
  for (const k of ints) {
    if (!Number.isInteger(cfg[k]) || (cfg[k] as number) < 1) throw new RangeError(`flow setting ${k} must be an integer ≥ 1, got ${cfg[k]}`);
  }
  if (cfg.bins < 2) throw new RangeError(`flow setting bins must be ≥ 2, got ${cfg.bins}`);
  if (!(cfg.bound > 0)) throw new RangeError(`flow setting bound must be positive, got ${cfg.bound}`);
  if (!(cfg.minSlope > 0 && cfg.minSlope < 1)) throw new RangeError(`flow setting minSlope must be in (0, 1), got ${cfg.minSlope}`);
  if (!(cfg.logitScale > 0)) throw new RangeError(`flow setting logitScale must be positive, got ${cfg.logitScale}`);
  return cfg;
}

/** One named weight tensor's values (row-major) and shape. */
export interface NamedWeights {
  readonly name: string;
  readonly shape: number[];
  readonly data: Float32Array;
}

type Dense = (h: tfType.Tensor2D, w: tfType.Tensor2D, b: tfType.Tensor) => tfType.Tensor2D;

/**
 * A dense layer y = act(h·W + b) as one differentiable op (b: [out], or [rows, out] with the same
 * rows as h — the per-row context term; broadcast rank-2 biases are for inference only), with a
 * hand-written gradient: g = dy ⊙ 1[y > 0] (ReLU), ∂h = g·Wᵀ, ∂W = hᵀ·g, ∂b = Σ_rows g.
 * Two reasons: the tape then holds one node per layer instead of four, and tf.matMul's own
 * gradient uses transposed-operand matmuls, which the wasm backend runs ~8× slower than an
 * explicit transpose followed by a plain matmul (measured 650 µs vs 13 + 60 µs at 200×50×69).
 */
export function makeDense(tf: Tf, relu: boolean): Dense {
  const op = tf.customGrad(((h: tfType.Tensor2D, w: tfType.Tensor2D, b: tfType.Tensor, save: tfType.GradSaveFunc) => {
    const lin = tf.add(tf.matMul(h, w), b) as tfType.Tensor2D;
    const y = relu ? tf.relu(lin) : lin;
    save([h, w, y]);
    return {
      value: y,
      gradFunc: (dy: tfType.Tensor, saved: tfType.Tensor[]) => {
        const [sh, sw, sy] = saved as tfType.Tensor2D[];
        const g = (relu ? tf.mul(dy, tf.step(sy)) : dy) as tfType.Tensor2D;
        const gb = b.rank === 1 ? tf.sum(g, 0) : g;
        return [tf.matMul(g, tf.transpose(sw)), tf.matMul(tf.transpose(sh), g), gb];
      },
    };
  }) as never);
  return op as unknown as Dense;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class Nsf {
  readonly cfg: NsfConfig;
  readonly spline: SplineShape;
  /** Trainable variables, in a fixed order (see {@link Nsf.weightNames}). */
  readonly variables: tfType.Variable[];
  private readonly masks: { input: tfType.Tensor; hidden: tfType.Tensor | null; output: tfType.Tensor };
  private readonly splineOp: (x: tfType.Tensor2D, u: tfType.Tensor2D) => tfType.Tensor2D;
  private readonly denseRelu: Dense;
  private readonly denseLinear: Dense;
  private disposed = false;

  private constructor(
    private readonly tf: Tf,
    cfg: NsfConfig,
    init: NamedWeights[],
  ) {
    this.cfg = cfg;
    this.spline = { bins: cfg.bins, bound: cfg.bound, minSlope: cfg.minSlope, logitScale: cfg.logitScale };
    const { thetaDim: D, hidden: H, layers: L, transforms: T } = cfg;
    const P = splineParamCount(cfg.bins);
    const shape = { thetaDim: D, hidden: H, layers: L, outPerFeature: P };
    const mIn = new Float32Array(T * D * H);
    const mHid = new Float32Array(T * (L - 1) * H * H);
    const mOut = new Float32Array(T * H * D * P);
    for (let t = 0; t < T; t++) {
      const m = madeMasks(shape, t % 2 === 1);
      mIn.set(m.input, t * D * H);
      for (let l = 0; l < L - 1; l++) mHid.set(m.hidden, (t * (L - 1) + l) * H * H);
      mOut.set(m.output, t * H * D * P);
    }
    this.masks = {
      input: tf.tensor3d(mIn, [T, D, H]),
      hidden: L > 1 ? tf.tensor3d(mHid, [T * (L - 1), H, H]) : null,
      output: tf.tensor3d(mOut, [T, H, D * P]),
    };
    const expected = Nsf.weightShapes(cfg);
    if (init.length !== expected.length) throw new RangeError(`flow weights: expected ${expected.length} tensors, got ${init.length}`);
    this.variables = expected.map((e, i) => {
      const w = init[i];
      if (w.name !== e.name || w.shape.join('x') !== e.shape.join('x') || w.data.length !== e.shape.reduce((a, b) => a * b, 1)) {
        throw new RangeError(`flow weights: tensor ${i} should be ${e.name} [${e.shape}], got ${w.name} [${w.shape}]`);
      }
      const t = tf.tensor(w.data, e.shape);
      const v = tf.variable(t, true);
      t.dispose();
      return v;
    });
    this.splineOp = makeSplineOp(tf, this.spline);
    this.denseRelu = makeDense(tf, true);
    this.denseLinear = makeDense(tf, false);
  }

  /** Names and shapes of the weight tensors for a configuration. */
  static weightShapes(cfg: NsfConfig): { name: string; shape: number[]; fanIn: number }[] {
    const { thetaDim: D, xDim: C, hidden: H, layers: L, transforms: T } = cfg;
    const P = splineParamCount(cfg.bins);
    const out = [
      { name: 'context_w', shape: [C, T * H], fanIn: D + C },
      { name: 'context_b', shape: [T * H], fanIn: D + C },
      { name: 'input_w', shape: [T, D, H], fanIn: D + C },
    ];
    if (L > 1) {
      out.push({ name: 'hidden_w', shape: [T * (L - 1), H, H], fanIn: H });
      out.push({ name: 'hidden_b', shape: [T * (L - 1), H], fanIn: H });
    }
    out.push({ name: 'output_w', shape: [T, H, D * P], fanIn: H });
    out.push({ name: 'output_b', shape: [T, D * P], fanIn: H });
    return out;
  }

  /** A new flow with PyTorch-default initial weights drawn from `seed`. */
  static create(tf: Tf, cfg: NsfConfig, seed: number): Nsf {
    const rng = new Rng(seed);
    const init = Nsf.weightShapes(cfg).map((w) => {
      const n = w.shape.reduce((a, b) => a * b, 1);
      return { name: w.name, shape: w.shape, data: uniformInit(n, w.fanIn, rng) };
    });
    return new Nsf(tf, cfg, init);
  }

  /** A flow with the given weights (from {@link Nsf.getWeights} or a saved model). */
  static fromWeights(tf: Tf, cfg: NsfConfig, weights: NamedWeights[]): Nsf {
    return new Nsf(tf, cfg, weights);
  }

  /** Copies of the current weights. */
  getWeights(): NamedWeights[] {
    const shapes = Nsf.weightShapes(this.cfg);
    return this.variables.map((v, i) => ({ name: shapes[i].name, shape: shapes[i].shape, data: Float32Array.from(v.dataSync() as Float32Array) }));
  }

  /** Overwrites the weights (same configuration). */
  setWeights(weights: NamedWeights[]): void {
    const tf = this.tf;
    this.variables.forEach((v, i) => {
      tf.tidy(() => v.assign(tf.tensor(weights[i].data, v.shape)));
    });
  }

  /** Splits along the first axis; a reshape for one part (tfjs's unstack gradient fails on a single part). */
  private unstack(t: tfType.Tensor): tfType.Tensor[] {
    return t.shape[0] === 1 ? [this.tf.reshape(t, t.shape.slice(1))] : this.tf.unstack(t);
  }

  /** Masked, unstacked weights for one evaluation (call inside tf.tidy). */
  private layers() {
    const tf = this.tf;
    const unstack = (t: tfType.Tensor) => this.unstack(t);
    const L = this.cfg.layers;
    const v = this.variables;
    let i = 0;
    const ctxW = v[i++];
    const ctxB = v[i++];
    const inW = unstack(tf.mul(v[i++], this.masks.input)) as tfType.Tensor2D[];
    let hidW: tfType.Tensor2D[] = [];
    let hidB: tfType.Tensor1D[] = [];
    if (L > 1) {
      hidW = unstack(tf.mul(v[i++], this.masks.hidden!)) as tfType.Tensor2D[];
      hidB = unstack(v[i++]) as tfType.Tensor1D[];
    }
    const outW = unstack(tf.mul(v[i++], this.masks.output)) as tfType.Tensor2D[];
    const outB = unstack(v[i++]) as tfType.Tensor1D[];
    return { ctxW: ctxW as tfType.Tensor2D, ctxB: ctxB as tfType.Tensor1D, inW, hidW, hidB, outW, outB };
  }

  /** Context terms of every transform's first layer, [rows, T·H] split into T parts. */
  private contextParts(ws: ReturnType<Nsf['layers']>, c: tfType.Tensor2D): tfType.Tensor2D[] {
    const tf = this.tf;
    const all = this.denseLinear(c, ws.ctxW, ws.ctxB);
    // tfjs cannot take the gradient of a split into one part (its SplitV gradient concatenates none).
    if (this.cfg.transforms === 1) return [all];
    return tf.split(all, this.cfg.transforms, 1) as tfType.Tensor2D[];
  }

  /** Spline parameters [rows, D·P] of transform t at input z (MADE forward). */
  private made(ws: ReturnType<Nsf['layers']>, t: number, z: tfType.Tensor2D, ctx: tfType.Tensor2D): tfType.Tensor2D {
    return this.madeWith(ws, t, z, ctx, ws.outW[t], ws.outB[t]);
  }

  /** The MADE forward of transform t with the given output layer (all of it, or some features' columns). */
  private madeWith(
    ws: ReturnType<Nsf['layers']>,
    t: number,
    z: tfType.Tensor2D,
    ctx: tfType.Tensor2D,
    outW: tfType.Tensor2D,
    outB: tfType.Tensor1D,
  ): tfType.Tensor2D {
    const L = this.cfg.layers;
    let h = this.denseRelu(z, ws.inW[t], ctx);
    for (let l = 0; l < L - 1; l++) h = this.denseRelu(h, ws.hidW[t * (L - 1) + l], ws.hidB[t * (L - 1) + l]);
    return this.denseLinear(h, outW, outB);
  }

  /** Runs all transforms: f(z) and Σ_t log|det ∂f_t| per feature (call inside tf.tidy). */
  private transformAll(z: tfType.Tensor2D, c: tfType.Tensor2D): { y: tfType.Tensor2D; ld: tfType.Tensor2D } {
    const tf = this.tf;
    const D = this.cfg.thetaDim;
    const ws = this.layers();
    const ctx = this.contextParts(ws, c);
    let u = z;
    let ld: tfType.Tensor2D | null = null;
    for (let t = 0; t < this.cfg.transforms; t++) {
      const params = this.made(ws, t, u, ctx[t]);
      const [y, l] = tf.split(this.splineOp(u, params), [D, D], 1) as tfType.Tensor2D[];
      u = y;
      ld = ld === null ? l : (tf.add(ld, l) as tfType.Tensor2D);
    }
    return { y: u, ld: ld! };
  }

  /**
   * log q(z | c) for aligned rows, z [n, D] in flow coordinates, c [n, C] z-scored context:
   * log N(f(z); 0, I) + Σ_t log|det ∂f_t|. Differentiable with respect to the variables.
   */
  logProb(z: tfType.Tensor2D, c: tfType.Tensor2D): tfType.Tensor1D {
    const tf = this.tf;
    this.check();
    return tf.tidy(() => {
      const { y, ld } = this.transformAll(z, c);
      const terms = tf.sub(ld, tf.mul(tf.square(y), 0.5));
      return tf.sub(tf.sum(terms, 1), this.cfg.thetaDim * HALF_LOG_2PI) as tfType.Tensor1D;
    });
  }

  /** The forward map e = f(z) (flow coordinates → base) and log|det ∂f/∂z| per row, as arrays. */
  forward(z: Float32Array, c: Float32Array): { e: Float32Array; logDet: Float32Array } {
    const tf = this.tf;
    this.check();
    const { thetaDim: D, xDim: C } = this.cfg;
    const n = z.length / D;
    return tf.tidy(() => {
      const { y, ld } = this.transformAll(tf.tensor2d(z, [n, D]), tf.tensor2d(c, [c.length / C, C]));
      return { e: y.dataSync() as Float32Array, logDet: tf.sum(ld, 1).dataSync() as Float32Array };
    });
  }

  /** Mean negative log-likelihood of a batch (the training loss). */
  loss(z: tfType.Tensor2D, c: tfType.Tensor2D): tfType.Scalar {
    const tf = this.tf;
    return tf.tidy(() => tf.neg(tf.mean(this.logProb(z, c))) as tfType.Scalar);
  }

  /**
   * Inverse of the flow: base draws e [n, D] (row-major) → z = f⁻¹(e) given the context. `c` is
   * one context row (C values, broadcast to all n rows) or n rows.
   */
  inverse(e: Float32Array, c: Float32Array): Float32Array {
    return this.invert(e, c, null);
  }

  /**
   * {@link Nsf.inverse} and log q(z | c) of each result in the same pass: the same z (bit for bit),
   * and log N(e; 0, I) + Σ_t log|det ∂f_t/∂z_t|, each feature's log-derivative taken at the
   * autoregressive pass that solves it (its spline parameters there are those of the final z, so
   * no density pass is needed). Agrees with {@link Nsf.logProb} at z to float32 rounding.
   */
  inverseWithLogProb(e: Float32Array, c: Float32Array): { z: Float32Array; logProb: Float64Array } {
    const D = this.cfg.thetaDim;
    const n = e.length / D;
    const logDet = new Float64Array(n * D);
    const z = this.invert(e, c, logDet);
    const logProb = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = -D * HALF_LOG_2PI;
      for (let j = 0; j < D; j++) a += logDet[i * D + j] - 0.5 * e[i * D + j] * e[i * D + j];
      logProb[i] = a;
    }
    return { z, logProb };
  }

  /** The inverse; with `logDet` (n·D values), adds each transform's forward log f′ per feature to it. */
  private invert(e: Float32Array, c: Float32Array, logDet: Float64Array | null): Float32Array {
    const tf = this.tf;
    this.check();
    const { thetaDim: D, xDim: C, transforms: T } = this.cfg;
    const n = e.length / D;
    const cRows = c.length / C;
    if (cRows !== 1 && cRows !== n) throw new RangeError(`flow inverse: context has ${cRows} rows for ${n} draws`);
    let y = Float32Array.from(e);
    const ld = logDet ? new Float64Array(n * D) : undefined;
    const P = splineParamCount(this.cfg.bins);
    const H = this.cfg.hidden;
    tf.tidy(() => {
      const ws = this.layers();
      const ctx = this.contextParts(ws, tf.tensor2d(c, [cRows, C]));
      const zeros = tf.zeros([1, D]) as tfType.Tensor2D;
      for (let t = T - 1; t >= 0; t--) {
        // Autoregressive inversion: the spline parameters of the feature of rank r depend only on
        // the features of rank < r, so pass r (1..D) solves exactly that feature, from the
        // features solved before it (the others are masked out of its parameters, so their
        // placeholder values do not matter), and only its 3K − 1 output columns are computed.
        // Rank 1 depends on the context alone: with one context row, one MADE row serves all draws.
        // A feature's parameters at its pass are those of the final point, so the forward
        // log-derivatives come out of the same pass.
        const rank = featureRanks(D, t % 2 === 1);
        const z = new Float32Array(n * D);
        for (let r = 1; r <= D; r++) {
          const d = rank.indexOf(r);
          const shared = r === 1 && cRows === 1;
          const params = tf.tidy(() => {
            const outW = tf.slice(ws.outW[t], [0, d * P], [H, P]) as tfType.Tensor2D;
            const outB = tf.slice(ws.outB[t], [d * P], [P]) as tfType.Tensor1D;
            return this.madeWith(ws, t, shared ? zeros : tf.tensor2d(z, [n, D]), ctx[t], outW, outB);
          });
          splineInverseColumn(y, params.dataSync() as Float32Array, this.spline, z, ld, d, D, shared);
          params.dispose();
        }
        if (logDet && ld) for (let i = 0; i < ld.length; i++) logDet[i] += ld[i];
        y = z;
      }
    });
    return y;
  }

  private check(): void {
    if (this.disposed) throw new Error('this flow has been disposed');
  }

  /** Frees the variables and masks. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of this.variables) v.dispose();
    this.masks.input.dispose();
    this.masks.hidden?.dispose();
    this.masks.output.dispose();
  }
}
