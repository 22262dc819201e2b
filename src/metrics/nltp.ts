/**
 * Negative log probability of the true parameters (NLTP; Lueckmann et al. 2021, "Benchmarking
 * simulation-based inference"): −log q(θ* | x*) averaged over a test set of pairs (θ*, x*) drawn from
 * the prior and the (high-fidelity) simulator, with a 95 % Student-t confidence interval. Lower is
 * better; it needs no reference posterior. Accepts any {@link ConditionalDensity}.
 */
import type { ConditionalDensity } from '../inference/conditional.js';
import { meanConfidenceInterval, type MeanCI } from './stats.js';

/** NLTP over test pairs: the mean −log q(θ_i | x_i) with its 95 % CI, the per-pair values and how many were not finite. */
export interface NltpResult extends MeanCI {
  /** −log q(θ*_i | x*_i) per test pair. */
  values: Float64Array;
  /** Test pairs whose log-density was not finite (they make the mean +∞ and are counted here). */
  nonFinite: number;
}

/**
 * NLTP of `q` on aligned test rows theta (n × thetaDim) and x (n × xDim).
 * Log-densities are requested in chunks of `batch` rows.
 */
export async function nltp(q: ConditionalDensity, theta: Float64Array, x: Float64Array, opts: { level?: number; batch?: number } = {}): Promise<NltpResult> {
  const n = theta.length / q.thetaDim;
  if (!Number.isInteger(n) || n < 2 || x.length !== n * q.xDim) {
    throw new RangeError(`nltp: need ≥ 2 aligned rows of θ (${q.thetaDim} columns) and x (${q.xDim} columns), got ${theta.length} and ${x.length} values`);
  }
  const batch = opts.batch ?? 4096;
  const values = new Float64Array(n);
  for (let lo = 0; lo < n; lo += batch) {
    const hi = Math.min(n, lo + batch);
    const lp = await q.logProb(theta.subarray(lo * q.thetaDim, hi * q.thetaDim), x.subarray(lo * q.xDim, hi * q.xDim));
    for (let i = 0; i < hi - lo; i++) values[lo + i] = -lp[i];
  }
  let nonFinite = 0;
  for (const v of values) if (!Number.isFinite(v)) nonFinite++;
  return { ...meanConfidenceInterval(values, opts.level ?? 0.95), values, nonFinite };
}
