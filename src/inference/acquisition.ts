/**
 * The acquisition rule of A-MF-TSNPE (Krouglova et al. 2025, active MF-TSNPE; official code
 * `mf_npe/methods/active_mf_tsnpe.py`): from a pool of candidate θ, simulate those on which the
 * ensemble members disagree most, measured by the variance across members of log q_e(θ | x_o)
 * (epistemic uncertainty of the density estimate). The variance is the unbiased one (torch's
 * default); the ranking does not depend on that choice.
 */
import type { EnsemblePosterior } from './ensemble.js';

/**
 * Unbiased variance over members of the per-row values (E arrays of n values). Rows where a member
 * gives a non-finite value (θ outside the prior box) score −Infinity, so they are never chosen.
 */
export function memberVariance(each: readonly Float64Array[]): Float64Array {
  const E = each.length;
  const n = each[0].length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let mean = 0;
    let finite = true;
    for (let e = 0; e < E; e++) {
      mean += each[e][i];
      finite &&= Number.isFinite(each[e][i]);
    }
    if (!finite || E < 2) {
      out[i] = finite ? 0 : -Infinity;
      continue;
    }
    mean /= E;
    let ss = 0;
    for (let e = 0; e < E; e++) ss += (each[e][i] - mean) ** 2;
    out[i] = ss / (E - 1);
  }
  return out;
}

/** Indices of the k largest scores, largest first (ties: lower index first). */
export function topK(scores: Float64Array, k: number): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > scores.length) throw new RangeError(`cannot pick ${k} of ${scores.length} candidates`);
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, k);
}

/** The k candidates (rows of n × thetaDim) of largest disagreement, their indices and all scores. */
export async function acquire(
  ensemble: EnsemblePosterior,
  candidates: Float64Array,
  xo: Float64Array,
  k: number,
): Promise<{ theta: Float64Array; indices: Int32Array; scores: Float64Array }> {
  const D = ensemble.thetaDim;
  const scores = memberVariance(await ensemble.memberLogProbs(candidates, xo));
  const indices = topK(scores, k);
  const theta = new Float64Array(k * D);
  indices.forEach((c, j) => {
    theta.set(candidates.subarray(c * D, c * D + D), j * D);
  });
  return { theta, indices, scores };
}
