/**
 * Sampling–importance–resampling (SIR; Rubin 1988) from the truncated prior, the fallback of
 * the truncated prior (truncated-prior.ts) when rejection from the prior accepts too rarely (sbi's
 * `RestrictedPrior(..., sample_with='sir')`, Deistler et al. 2022). For each returned θ, K draws
 * θ_k ~ q(· | x_o) are weighted by the target over the proposal,
 *
 *   w_k ∝ p(θ_k) · 1[log q(θ_k | x_o) ≥ τ] / q(θ_k | x_o),
 *
 * and one of the K is kept with probability w_k / Σ w. As K grows this is exact; K = oversampling.
 */
import type { Prior } from '../prior.js';
import type { Rng } from '../random.js';
import type { ConditionalDensity } from './conditional.js';

/** What SIR needs of a truncated prior: the prior, the posterior at x_o, τ and its settings. */
export interface SirTarget {
  readonly prior: Prior;
  readonly density: ConditionalDensity;
  readonly xo: Float64Array;
  readonly threshold: number;
  readonly settings: { readonly oversampling: number; readonly batch: number };
}

/** Groups of K proposals evaluated per batch: about `batch` rows. */
function groupsPerBatch(batch: number, k: number): number {
  return Math.max(1, Math.floor(batch / k));
}

/** n draws from the truncated prior `tp` by SIR from its posterior; reproducible from `rng`. */
export async function sirTruncated(tp: SirTarget, n: number, rng: Rng): Promise<Float64Array> {
  const { oversampling: K, batch } = tp.settings;
  const D = tp.prior.dim;
  const out = new Float64Array(n * D);
  const per = groupsPerBatch(batch, K);
  for (let g0 = 0; g0 < n; g0 += per) {
    const groups = Math.min(per, n - g0);
    const theta = await tp.density.sample(groups * K, tp.xo, rng.seed31());
    const lq = await tp.density.logProb(theta, tp.xo);
    const lp = tp.prior.logProb(theta);
    for (let g = 0; g < groups; g++) {
      const pick = pickOne(lq, lp, g * K, K, tp.threshold, rng);
      out.set(theta.subarray(pick * D, pick * D + D), (g0 + g) * D);
    }
  }
  return out;
}

/** Index (in [from, from + K)) chosen with probability ∝ exp(lp − lq) among rows inside the HPR. */
function pickOne(lq: Float64Array, lp: Float64Array, from: number, K: number, tau: number, rng: Rng): number {
  const logw = new Float64Array(K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    const i = from + k;
    logw[k] = lq[i] >= tau && Number.isFinite(lq[i]) ? lp[i] - lq[i] : -Infinity;
    if (logw[k] > max) max = logw[k];
  }
  // No proposal inside (practically impossible: the HPR holds 1 − ε of q): keep the first one.
  if (max === -Infinity) return from;
  let total = 0;
  for (let k = 0; k < K; k++) total += logw[k] === -Infinity ? 0 : Math.exp(logw[k] - max);
  let u = rng.uniform() * total;
  for (let k = 0; k < K; k++) {
    if (logw[k] === -Infinity) continue;
    u -= Math.exp(logw[k] - max);
    if (u < 0) return from + k;
  }
  for (let k = K - 1; k >= 0; k--) if (logw[k] !== -Infinity) return from + k;
  return from;
}
