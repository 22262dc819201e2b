/**
 * The NPE posterior q(θ | x): a conditional neural spline flow plus the maps between the user's
 * (θ, x) and the flow's coordinates:
 *   θ → v = logit((θ − low)/(high − low)) (box priors; identity otherwise) → z = (v − m_v)/s_v,
 *   x → c = (x − m_x)/s_x.
 * log q(θ | x) = log q_flow(z | c) + log|∂v/∂θ| − Σ log s_v, so densities are proper on the prior
 * box and samples always lie inside it.
 *
 * Box priors can instead be handled as sbi's NPE and the sbibm benchmark do (`support: 'rejection'`):
 * the flow models z-scored θ itself, draws outside the box are rejected, and log-probabilities are
 * divided by the flow's mass inside the box, Z(x) = P_q(θ ∈ box | x), estimated from draws
 * (Greenberg et al. 2019's "leakage" correction).
 *
 * Implements ConditionalDensity (sample, logProb), so metrics evaluate it like any other posterior.
 * `sampleWithLogProb` returns samples with their log q in one pass (the flow's inverse yields the
 * log-determinants), for callers that need both, such as the HPR threshold.
 */
import type { Tf } from '../backend.js';
import { getTf } from '../backend.js';
import { Rng } from '../random.js';
import { Nsf, nsfConfig, type NsfConfig } from '../flows/nsf.js';
import { fitStandardizer, standardize, standardizeLogDet, unstandardize, type Standardizer } from '../flows/standardize.js';
import { BoxLogitTransform, IdentityTransform, type ThetaTransform } from '../flows/transforms.js';
import type { ConditionalDensity } from './conditional.js';
import { readModel, writeModel } from './serialize.js';

import { BOX_SUPPORTS, type BoxSupport } from './support.js';
import { InputError } from '../errors.js';

export { BOX_SUPPORTS, type BoxSupport } from './support.js';

/** The box [low, high] of a uniform prior, one bound per parameter. */
export interface PriorBounds {
  readonly low: ArrayLike<number>;
  readonly high: ArrayLike<number>;
}

/** What a new posterior needs: dimensions, names, the prior box, flow settings, the seed of its initial weights and the box-support mode. */
export interface PosteriorSpec {
  thetaDim: number;
  xDim: number;
  /** Box support of the prior (logit transform); omit for unbounded priors. */
  bounds?: PriorBounds | null;
  thetaNames?: readonly string[];
  xNames?: readonly string[];
  /** Flow settings (defaults: 50 hidden, 2 layers, 5 transforms, 8 bins). */
  flow?: Partial<Omit<NsfConfig, 'thetaDim' | 'xDim'>>;
  /** Seed of the initial weights. */
  seed?: number;
  /** How samples are kept inside a box prior (default 'logit'); see {@link BoxSupport}. */
  support?: BoxSupport;
}

/** Draws used to estimate the inside-box mass Z(x) in 'rejection' mode (sbi's default, 10⁴). */
export const LEAKAGE_DRAWS = 10_000;
/** 'rejection' sampling gives up below this acceptance rate (sbi warns at similar levels). */
const MIN_ACCEPTANCE = 1e-3;

/** Rows per chunk in sample/logProb (bounds memory on large requests). */
const CHUNK = 20_000;

export class NpePosterior implements ConditionalDensity {
  readonly thetaDim: number;
  readonly xDim: number;
  readonly thetaNames: string[];
  readonly xNames: string[];
  readonly bounds: { low: Float64Array; high: Float64Array } | null;
  readonly transform: ThetaTransform;
  /** How the box prior's support is enforced ('logit' also for unbounded priors, where it is moot). */
  readonly support: BoxSupport;
  /** z-scoring of the transformed θ (fitted on the first training set, then kept). */
  thetaStd: Standardizer | null;
  /** z-scoring of x (refitted by each training call unless told otherwise). */
  xStd: Standardizer | null;
  /** Free-form provenance saved with the model (method, task, training summary…). */
  meta: Record<string, unknown> = {};

  constructor(
    readonly tf: Tf,
    readonly flow: Nsf,
    opts: {
      bounds?: PriorBounds | null;
      thetaNames?: readonly string[];
      xNames?: readonly string[];
      thetaStd?: Standardizer | null;
      xStd?: Standardizer | null;
      support?: BoxSupport;
    },
  ) {
    this.thetaDim = flow.cfg.thetaDim;
    this.xDim = flow.cfg.xDim;
    this.bounds = opts.bounds ? { low: Float64Array.from(opts.bounds.low), high: Float64Array.from(opts.bounds.high) } : null;
    if (this.bounds && this.bounds.low.length !== this.thetaDim)
      throw new RangeError(`prior bounds have ${this.bounds.low.length} values, θ has ${this.thetaDim}`);
    this.support = opts.support ?? 'logit';
    if (!BOX_SUPPORTS.includes(this.support)) throw new RangeError(`support must be one of ${BOX_SUPPORTS.join(', ')}, got '${String(this.support)}'`);
    this.transform = this.bounds && this.support === 'logit' ? new BoxLogitTransform(this.bounds.low, this.bounds.high) : new IdentityTransform(this.thetaDim);
    this.thetaNames = [...(opts.thetaNames ?? Array.from({ length: this.thetaDim }, (_, j) => `theta_${j + 1}`))];
    this.xNames = [...(opts.xNames ?? Array.from({ length: this.xDim }, (_, j) => `x_${j + 1}`))];
    this.thetaStd = opts.thetaStd ?? null;
    this.xStd = opts.xStd ?? null;
  }

  /** A new, untrained posterior. */
  static async create(spec: PosteriorSpec): Promise<NpePosterior> {
    const tf = await getTf();
    const cfg = nsfConfig({ ...spec.flow, thetaDim: spec.thetaDim, xDim: spec.xDim });
    const flow = Nsf.create(tf, cfg, spec.seed ?? 0);
    return new NpePosterior(tf, flow, spec);
  }

  /** Whether standardizers have been fitted (i.e. the posterior has been trained). */
  get trained(): boolean {
    return this.thetaStd !== null && this.xStd !== null;
  }

  /** Fits the θ standardizer (on transformed θ) if not yet fitted, and the x standardizer if `refitX`. */
  fitStandardization(theta: Float64Array, x: Float64Array, refitX: boolean): void {
    if (!this.thetaStd) this.thetaStd = fitStandardizer(this.transform.forward(theta).v, this.thetaDim);
    if (refitX || !this.xStd) this.xStd = fitStandardizer(x, this.xDim);
  }

  /** θ (n × D) → flow coordinates z (float32) and log|∂z/∂θ| per row (−Infinity outside the support). */
  thetaToFlow(theta: ArrayLike<number>): { z: Float32Array; logDet: Float64Array } {
    const std = this.requireTrained().thetaStd;
    const { v, logDet } = this.transform.forward(theta);
    if (this.support === 'rejection') this.maskOutsideBox(theta, logDet);
    const ld = standardizeLogDet(std);
    for (let i = 0; i < logDet.length; i++) logDet[i] += ld;
    const z = standardize(std, v);
    // Rows outside the support: any finite placeholder (their density is set to −Infinity).
    for (let i = 0; i < z.length; i++) if (!Number.isFinite(z[i])) z[i] = 0;
    return { z, logDet };
  }

  /** Whether row i of θ (n × thetaDim) lies in the prior box (always, without bounds). */
  insideBox(theta: ArrayLike<number>, i: number): boolean {
    if (!this.bounds) return true;
    const { low, high } = this.bounds;
    const D = this.thetaDim;
    for (let j = 0; j < D; j++) {
      const t = theta[i * D + j];
      if (!(t >= low[j] && t <= high[j])) return false;
    }
    return true;
  }

  /** Sets logDet[i] = −Infinity for rows of θ outside the prior box (none without bounds). */
  maskOutsideBox(theta: ArrayLike<number>, logDet: Float64Array): void {
    for (let i = 0; i < logDet.length; i++) if (!this.insideBox(theta, i)) logDet[i] = -Infinity;
  }

  /** m draws θ ~ q(θ | c) (c: one z-scored context row), without rejection. */
  private draw(m: number, c: Float32Array, rng: Rng): Float64Array {
    return this.flowToTheta(this.flow.inverse(this.baseDraws(m, rng), c));
  }

  /**
   * As {@link draw} (the same θ from the same rng state), with log q(θ | x) of each draw before any
   * leakage correction: the flow's log q(z | c) from the sampling pass, plus log|∂z/∂θ| computed
   * from θ exactly as {@link thetaToFlow} does for logProb (so a draw rounded onto the box boundary
   * gets −Infinity there as here).
   */
  private drawWithLogProb(m: number, c: Float32Array, rng: Rng): { theta: Float64Array; logProb: Float64Array } {
    const { z, logProb } = this.flow.inverseWithLogProb(this.baseDraws(m, rng), c);
    const theta = this.flowToTheta(z);
    const { logDet } = this.transform.forward(theta);
    const ld = standardizeLogDet(this.requireTrained().thetaStd);
    for (let i = 0; i < m; i++) logProb[i] = logDet[i] === -Infinity ? -Infinity : logProb[i] + logDet[i] + ld;
    return { theta, logProb };
  }

  /** m·thetaDim standard normal base draws (float32), in the order every sampler consumes them. */
  private baseDraws(m: number, rng: Rng): Float32Array {
    const e = new Float32Array(m * this.thetaDim);
    for (let i = 0; i < e.length; i++) e[i] = rng.normal();
    return e;
  }

  /** Flow coordinates z → θ. */
  flowToTheta(z: ArrayLike<number>): Float64Array {
    return this.transform.inverse(unstandardize(this.requireTrained().thetaStd, z));
  }

  /** x (n × C) → z-scored context (float32). */
  xToFlow(x: ArrayLike<number>): Float32Array {
    return standardize(this.requireTrained().xStd, x);
  }

  private requireTrained(): { thetaStd: Standardizer; xStd: Standardizer } {
    if (!this.thetaStd || !this.xStd) throw new Error('this posterior has not been trained yet');
    return { thetaStd: this.thetaStd, xStd: this.xStd };
  }

  private checkX(x: ArrayLike<number>, what: string): void {
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i])) throw new RangeError(`${what}: value ${i + 1} is not a finite number (${x[i]})`);
    }
  }

  /** n samples θ ~ q(θ | x) for one observation x (length xDim), row-major n × thetaDim. */
  async sample(n: number, x: Float64Array | ArrayLike<number>, seed = 0): Promise<Float64Array> {
    return (await this.sampleCore(n, x, seed, false)).theta;
  }

  /**
   * The samples of {@link sample} (same seed, same draws in the same order) together with their
   * log q(θ | x), as {@link logProb} would give them (equal to float32 rounding), at the cost of
   * sampling alone: the flow's inverse returns each transform's log-determinant (Nsf.inverseWithLogProb).
   * In 'rejection' mode only accepted draws are returned, and log Z(x) is subtracted as in logProb.
   */
  async sampleWithLogProb(n: number, x: Float64Array | ArrayLike<number>, seed = 0): Promise<{ theta: Float64Array; logProb: Float64Array }> {
    const r = await this.sampleCore(n, x, seed, true);
    const logProb = r.logProb as Float64Array;
    if (this.support === 'rejection' && this.bounds) {
      const lz = await this.logInsideMass(x);
      for (let i = 0; i < n; i++) logProb[i] -= lz;
    }
    return { theta: r.theta, logProb };
  }

  private async sampleCore(
    n: number,
    x: Float64Array | ArrayLike<number>,
    seed: number,
    withLogProb: boolean,
  ): Promise<{ theta: Float64Array; logProb: Float64Array | null }> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`number of samples must be an integer ≥ 1, got ${n}`);
    if (x.length !== this.xDim) throw new RangeError(`x has ${x.length} values, this posterior expects ${this.xDim} (${this.xNames.join(',')})`);
    this.checkX(x, 'x');
    const D = this.thetaDim;
    const c = this.xToFlow(x);
    const rng = new Rng(seed);
    const out = new Float64Array(n * D);
    const outLp = withLogProb ? new Float64Array(n) : null;
    const rejecting = this.support === 'rejection' && this.bounds !== null;
    let got = 0;
    let drawn = 0;
    while (got < n) {
      // Without rejection every draw is kept; with it, draw for the remaining count over the
      // acceptance rate seen so far (+10 %), so a few rounds suffice.
      const rate = drawn > 0 ? Math.max(got / drawn, MIN_ACCEPTANCE) : 1;
      const m = Math.min(CHUNK, rejecting ? Math.ceil((1.1 * (n - got)) / rate) + 16 : n - got);
      const { theta, logProb } = outLp ? this.drawWithLogProb(m, c, rng) : { theta: this.draw(m, c, rng), logProb: null };
      drawn += m;
      if (!rejecting) {
        out.set(theta, got * D);
        if (outLp && logProb) outLp.set(logProb, got);
        got += m;
      } else {
        for (let i = 0; i < m && got < n; i++) {
          if (!this.insideBox(theta, i)) continue;
          if (outLp && logProb) outLp[got] = logProb[i];
          out.set(theta.subarray(i * D, i * D + D), got++ * D);
        }
        if (drawn >= 100_000 && got / drawn < MIN_ACCEPTANCE) {
          throw new RangeError(
            `only ${got} of ${drawn} posterior draws fell inside the prior box at this x (acceptance below ${MIN_ACCEPTANCE}); the posterior leaks out of the prior support`,
          );
        }
      }
      await new Promise((r) => setImmediate(r));
    }
    return { theta: out, logProb: outLp };
  }

  /**
   * log Z(x) = log P_q(θ ∈ box | x), the flow's mass inside the prior box, from `draws` draws
   * (seeded, so repeated calls agree). 0 unless `support` is 'rejection' with a box prior.
   */
  async logInsideMass(x: ArrayLike<number>, draws = LEAKAGE_DRAWS, seed = 0): Promise<number> {
    if (this.support !== 'rejection' || !this.bounds) return 0;
    const c = this.xToFlow(x);
    const rng = new Rng(seed);
    let inside = 0;
    for (let start = 0; start < draws; start += CHUNK) {
      const m = Math.min(CHUNK, draws - start);
      const theta = this.draw(m, c, rng);
      for (let i = 0; i < m; i++) if (this.insideBox(theta, i)) inside++;
    }
    // At least one draw counted, so an estimate of 0 mass does not give log 0.
    return Math.log(Math.max(inside, 1) / draws);
  }

  /**
   * log q(θ_i | x_i) for aligned rows (theta n × thetaDim, x n × xDim, or one x for all rows).
   * −Infinity for θ outside the prior box.
   */
  async logProb(theta: Float64Array | ArrayLike<number>, x: Float64Array | ArrayLike<number>): Promise<Float64Array> {
    const tf = this.tf;
    const D = this.thetaDim;
    const C = this.xDim;
    if (theta.length % D !== 0) throw new RangeError(`theta has ${theta.length} values, not a multiple of θ dimension ${D}`);
    const n = theta.length / D;
    const single = x.length === C && n !== 1;
    if (!single && x.length !== n * C) throw new RangeError(`x has ${x.length} values for ${n} rows of θ (expected ${n * C} or ${C})`);
    this.checkX(x, 'x');
    const out = new Float64Array(n);
    const cAll = this.xToFlow(x);
    for (let start = 0; start < n; start += CHUNK) {
      const m = Math.min(CHUNK, n - start);
      const { z, logDet } = this.thetaToFlow(Float64Array.from({ length: m * D }, (_, i) => theta[start * D + i]));
      const cRows = single ? tf.tidy(() => tf.tile(tf.tensor2d(cAll, [1, C]), [m, 1])) : tf.tensor2d(cAll.subarray(start * C, (start + m) * C), [m, C]);
      const zt = tf.tensor2d(z, [m, D]);
      const lp = this.flow.logProb(zt, cRows as never);
      const vals = lp.dataSync();
      tf.dispose([zt, cRows, lp]);
      for (let i = 0; i < m; i++) out[start + i] = logDet[i] === -Infinity ? -Infinity : vals[i] + logDet[i];
      await new Promise((r) => setImmediate(r));
    }
    if (this.support === 'rejection' && this.bounds) {
      // Renormalize on the box: subtract log Z(x), once per distinct x.
      const cache = new Map<string, number>();
      for (let i = 0; i < n; i++) {
        if (out[i] === -Infinity) continue;
        const xi = single ? x : Array.prototype.slice.call(x, i * C, (i + 1) * C);
        const key = Array.prototype.join.call(xi, ',');
        let lz = cache.get(key);
        if (lz === undefined) {
          lz = await this.logInsideMass(xi);
          cache.set(key, lz);
        }
        out[i] -= lz;
      }
    }
    return out;
  }

  /** The JSON-able configuration (everything but the weights). */
  toConfig(): Record<string, unknown> {
    const arr = (a: ArrayLike<number> | undefined) => (a ? Array.from(a) : null);
    return {
      flow: this.flow.cfg,
      thetaNames: this.thetaNames,
      xNames: this.xNames,
      bounds: this.bounds ? { low: arr(this.bounds.low), high: arr(this.bounds.high) } : null,
      support: this.support,
      thetaStandardization: this.thetaStd ? { mean: arr(this.thetaStd.mean), std: arr(this.thetaStd.std) } : null,
      xStandardization: this.xStd ? { mean: arr(this.xStd.mean), std: arr(this.xStd.std) } : null,
      meta: this.meta,
    };
  }

  /** Saves to a directory: config.json + weights.bin (atomic writes). */
  save(dir: string): void {
    this.requireTrained();
    writeModel(dir, this.toConfig(), this.flow.getWeights());
  }

  /** Frees the flow's tensors. */
  dispose(): void {
    this.flow.dispose();
  }
}

function numArray(v: unknown, n: number, what: string, dir: string): Float64Array {
  if (!Array.isArray(v) || v.length !== n || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) {
    throw new InputError(`corrupt model in ${dir}: ${what} should be ${n} finite numbers`);
  }
  return Float64Array.from(v as number[]);
}

/** The saved support mode (models saved before the option existed are 'logit'). */
function loadSupport(v: unknown, dir: string): BoxSupport {
  if (v === undefined) return 'logit';
  if (!BOX_SUPPORTS.includes(v as BoxSupport))
    throw new InputError(`corrupt model in ${dir}: support should be one of ${BOX_SUPPORTS.join(', ')}, got ${JSON.stringify(v)}`);
  return v as BoxSupport;
}

/** Loads a posterior saved with {@link NpePosterior.save}. Problems are one-line InputErrors. */
export async function loadPosterior(dir: string): Promise<NpePosterior> {
  const { config, weights } = readModel(dir);
  const tf = await getTf();
  let cfg: NsfConfig;
  try {
    cfg = nsfConfig(config.flow as NsfConfig);
  } catch (e) {
    throw new InputError(`corrupt model in ${dir}: ${(e as Error).message}`);
  }
  const D = cfg.thetaDim;
  const C = cfg.xDim;
  const std = (v: unknown, n: number, what: string): Standardizer => {
    const o = v as { mean?: unknown; std?: unknown } | null;
    if (!o) throw new InputError(`corrupt model in ${dir}: no ${what}`);
    return { mean: numArray(o.mean, n, `${what}.mean`, dir), std: numArray(o.std, n, `${what}.std`, dir) };
  };
  const b = config.bounds as { low?: unknown; high?: unknown } | null;
  const bounds = b ? { low: numArray(b.low, D, 'bounds.low', dir), high: numArray(b.high, D, 'bounds.high', dir) } : null;
  let flow: Nsf;
  try {
    flow = Nsf.fromWeights(tf, cfg, weights);
  } catch (e) {
    throw new InputError(`corrupt model in ${dir}: ${(e as Error).message}`);
  }
  const names = (v: unknown, n: number) => (Array.isArray(v) && v.length === n ? (v as string[]) : undefined);
  const post = new NpePosterior(tf, flow, {
    bounds,
    thetaNames: names(config.thetaNames, D),
    xNames: names(config.xNames, C),
    thetaStd: std(config.thetaStandardization, D, 'thetaStandardization'),
    xStd: std(config.xStandardization, C, 'xStandardization'),
    support: loadSupport(config.support, dir),
  });
  post.meta = (config.meta as Record<string, unknown>) ?? {};
  return post;
}
