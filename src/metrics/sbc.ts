/**
 * Simulation-based calibration (SBC; Talts et al. 2018): for test pairs (θ*, x*) from the prior
 * and the simulator, the rank of θ*_k among L posterior samples θ_k ~ q(θ | x*) (the count of
 * samples strictly below θ*_k), per dimension k. A calibrated posterior gives ranks uniform on
 * {0, …, L}; a KS test per dimension quantifies departures (too-narrow posteriors pile ranks at
 * 0 and L, biased ones shift them). Accepts any {@link ConditionalDensity}.
 */
import type { ConditionalDensity } from '../inference/conditional.js';
import { Rng } from '../random.js';
import { ksUniformRanks, type KsResult } from './stats.js';

/** Simulation-based calibration: the rank of each θ_i among posterior draws per parameter, and a KS test of their uniformity. */
export interface SbcResult {
  /** Ranks, row-major n × thetaDim, values in {0..L}. */
  ranks: Int32Array;
  /** Posterior samples per test pair. */
  L: number;
  /** KS test of each dimension's ranks against the discrete uniform on {0..L}. */
  ks: KsResult[];
}

/** Rank of θ* per dimension among n × dim samples (count strictly below). */
export function ranksOf(thetaStar: ArrayLike<number>, samples: Float64Array, dim: number): Int32Array {
  const L = samples.length / dim;
  const out = new Int32Array(dim);
  for (let s = 0; s < L; s++) for (let k = 0; k < dim; k++) if (samples[s * dim + k] < thetaStar[k]) out[k]++;
  return out;
}

/**
 * SBC ranks and KS p-values of `q` on test rows theta (n × thetaDim), x (n × xDim); L posterior
 * samples per pair (default 100). Pair i samples with a seed drawn from stream (seed, i), so results
 * do not depend on evaluation order.
 */
export async function sbc(
  q: ConditionalDensity,
  theta: Float64Array,
  x: Float64Array,
  opts: { L?: number; seed?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<SbcResult> {
  const dim = q.thetaDim;
  const n = theta.length / dim;
  const L = opts.L ?? 100;
  if (!Number.isInteger(n) || n < 1 || x.length !== n * q.xDim) throw new RangeError('sbc: θ and x rows do not align with the density');
  if (!(Number.isInteger(L) && L >= 1)) throw new RangeError(`sbc: L must be a positive integer, got ${L}`);
  const ranks = new Int32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const seed = new Rng(opts.seed ?? 0, i).seed31();
    const samples = await q.sample(L, x.subarray(i * q.xDim, (i + 1) * q.xDim), seed);
    ranks.set(ranksOf(theta.subarray(i * dim, (i + 1) * dim), samples, dim), i * dim);
    opts.onProgress?.(i + 1, n);
  }
  const ks: KsResult[] = [];
  for (let k = 0; k < dim; k++) {
    const col = new Int32Array(n);
    for (let i = 0; i < n; i++) col[i] = ranks[i * dim + k];
    ks.push(ksUniformRanks(col, L));
  }
  return { ranks, L, ks };
}
