/**
 * Priors over parameters θ. Samples and parameter sets are row-major Float64Arrays (n × dim).
 *
 * The stochastic HH task uses independent uniform priors on the conductances
 * θ = (ḡ_Na, ḡ_K, ḡ_L) ∈ [50, 200] × [20, 100] × [0.1, 1.0] mS/cm² (docs/model.md, §3 "Parameters and prior").
 */
import type { Rng } from './random.js';

/** A prior over θ: dimension, sampling, log-density and (for box priors) its bounds. */
export interface Prior {
  /** Number of parameters. */
  readonly dim: number;
  /** Parameter names, used as column names. */
  readonly names: readonly string[];
  /** n draws, row-major (n × dim). */
  sample(n: number, rng: Rng): Float64Array;
  /** log density of each row of `theta` (row-major); −Infinity outside the support. */
  logProb(theta: Float64Array): Float64Array;
  /** Lower and upper bounds of a box support, if the prior has one. */
  readonly bounds?: { readonly low: Float64Array; readonly high: Float64Array };
}

/** Independent uniform distributions on a box [low, high]. */
export class BoxUniform implements Prior {
  readonly dim: number;
  readonly names: readonly string[];
  readonly bounds: { readonly low: Float64Array; readonly high: Float64Array };
  private readonly logDensity: number;

  constructor(low: ArrayLike<number>, high: ArrayLike<number>, names?: readonly string[]) {
    if (low.length !== high.length || low.length === 0) throw new RangeError('BoxUniform: low and high must have the same, non-zero length');
    this.dim = low.length;
    const lo = Float64Array.from(low);
    const hi = Float64Array.from(high);
    let logVol = 0;
    for (let j = 0; j < this.dim; j++) {
      if (!(Number.isFinite(lo[j]) && Number.isFinite(hi[j]) && hi[j] > lo[j])) {
        throw new RangeError(`BoxUniform: bad bounds [${lo[j]}, ${hi[j]}] for parameter ${j + 1}`);
      }
      logVol += Math.log(hi[j] - lo[j]);
    }
    this.bounds = { low: lo, high: hi };
    this.logDensity = -logVol;
    this.names = names ?? Array.from({ length: this.dim }, (_, j) => `theta_${j + 1}`);
  }

  sample(n: number, rng: Rng): Float64Array {
    const { low, high } = this.bounds;
    const out = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < this.dim; j++) out[i * this.dim + j] = low[j] + (high[j] - low[j]) * rng.uniform();
    }
    return out;
  }

  /** Draw i of a run is a function of (rng stream) only; convenient for per-simulation streams. */
  sampleOne(rng: Rng, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const { low, high } = this.bounds;
    for (let j = 0; j < this.dim; j++) out[j] = low[j] + (high[j] - low[j]) * rng.uniform();
    return out;
  }

  logProb(theta: Float64Array): Float64Array {
    const n = theta.length / this.dim;
    const { low, high } = this.bounds;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let inside = true;
      for (let j = 0; j < this.dim; j++) {
        const v = theta[i * this.dim + j];
        if (!(v >= low[j] && v <= high[j])) inside = false;
      }
      out[i] = inside ? this.logDensity : -Infinity;
    }
    return out;
  }
}

/** Default prior bounds of the HH task, mS/cm². */
export const HH_PRIOR_LOW = [50, 20, 0.1] as const;
/** Default prior upper bounds of the HH task, mS/cm² (ḡ_Na, ḡ_K, ḡ_L). */
export const HH_PRIOR_HIGH = [200, 100, 1.0] as const;
/** Column names of θ for the HH task. */
export const HH_PARAM_NAMES = ['g_na', 'g_k', 'g_l'] as const;

/** The HH prior: uniform on [50, 200] × [20, 100] × [0.1, 1.0] mS/cm² for (ḡ_Na, ḡ_K, ḡ_L). */
export function hhPrior(low: ArrayLike<number> = HH_PRIOR_LOW, high: ArrayLike<number> = HH_PRIOR_HIGH): BoxUniform {
  return new BoxUniform(low, high, HH_PARAM_NAMES);
}
