/**
 * The HPR threshold τ of an ensemble posterior (A-MF-TSNPE; truncated-prior.ts) with far fewer
 * density evaluations, and exactly the same τ as evaluating the mixture on every draw.
 *
 * τ is the k-th smallest (0-based, k = ⌊ε·M⌋) of log q_mix over M draws, and every draw's value is
 * bounded below by the member that drew it: log q_mix(θ) ≥ log q_g(θ) − log E. The k-th smallest
 * exact value among the draws evaluated so far only decreases as draws are added, so a draw whose
 * bound is already above it can never be among the k + 1 smallest. Hence: each draw's own-member
 * density comes with the draw itself (the flow's inverse returns its log-determinants,
 * EnsemblePosterior.sampleTaggedWithLogProb), so the bulk of the M draws costs one sampling pass and
 * no density pass; the full mixture is evaluated (with logProb, as the brute-force path does) only
 * for the few draws whose bound falls below the running k-th smallest value (lowest bound first).
 * With ε·M = 1 that is a few hundred per batch.
 *
 * The own density from sampling equals logProb's to float32 rounding (< 10⁻³ nats, tested), not
 * bit for bit, so the bound is used with a margin of {@link BOUND_MARGIN} nats: a draw is skipped
 * only if its bound exceeds the running k-th smallest by that much. τ itself is always a value of
 * logProb, so it stays identical to the brute-force τ on the same draws.
 */
import type { Rng } from '../random.js';
import type { EnsemblePosterior } from './ensemble.js';

/** The truncation settings used here (truncated-prior.ts resolves them). */
export interface ThresholdSettings {
  readonly quantile: number;
  readonly draws: number;
  readonly batch: number;
}

/** τ and its cost (the shape of truncated-prior.ts's Threshold). */
export interface ThresholdResult {
  logProb: number;
  draws: number;
  seconds: number;
  /** Drawing the M samples, each with its own member's log q (one pass). */
  sampleSeconds: number;
  /** The rest: evaluating the mixture on the draws that can be among the lowest. */
  logProbSeconds: number;
}

/** The k + 1 smallest values seen so far (sorted ascending). */
class Smallest {
  values: number[] = [];
  constructor(readonly keep: number) {}

  /** The largest kept value once k + 1 are kept (an upper bound on the final k-th smallest), else +Infinity. */
  get bound(): number {
    return this.values.length >= this.keep ? this.values[this.keep - 1] : Infinity;
  }

  /** Adds values; NaN is kept out (it sorts last in the brute-force path too). */
  add(v: ArrayLike<number>): void {
    for (let i = 0; i < v.length; i++) if (!Number.isNaN(v[i])) this.values.push(v[i]);
    this.values.sort((a, b) => a - b);
    if (this.values.length > this.keep) this.values.length = this.keep;
  }
}

/** Rows evaluated under every member at a time, lowest bound first. */
const CHUNK = 256;

/**
 * Slack (nats) on the own-member bound for the difference between the sampling pass's log q and
 * logProb's (float32 rounding, amplified where a spline is steep; measured below 10⁻³). Costs only
 * the few extra draws whose bound lies within it of the running k-th smallest.
 */
export const BOUND_MARGIN = 0.05;

/**
 * Evaluates the mixture on the rows that can still be among the k + 1 smallest: in increasing order
 * of their lower bound, chunk by chunk, until the next bound is above the running k-th smallest.
 */
async function addCandidates(
  ens: EnsemblePosterior,
  theta: Float64Array,
  own: Float64Array,
  logE: number,
  smallest: Smallest,
  xo: Float64Array,
): Promise<void> {
  const D = ens.thetaDim;
  const order = Int32Array.from({ length: own.length }, (_, i) => i).sort((a, b) => own[a] - own[b]);
  for (let c = 0; c < order.length; c += CHUNK) {
    if (!(own[order[c]] - logE - BOUND_MARGIN < smallest.bound)) return;
    const rows = order.subarray(c, Math.min(c + CHUNK, order.length));
    const sub = new Float64Array(rows.length * D);
    rows.forEach((i, r) => {
      sub.set(theta.subarray(i * D, i * D + D), r * D);
    });
    smallest.add(await ens.logProb(sub, xo));
  }
}

/** τ of the ensemble's mixture at x_o from s.draws draws (identical to the brute-force τ on the same draws). */
export async function ensembleThreshold(ens: EnsemblePosterior, xo: Float64Array, s: ThresholdSettings, rng: Rng): Promise<ThresholdResult> {
  const t0 = performance.now();
  const logE = Math.log(ens.members.length);
  const k = Math.floor(s.quantile * s.draws);
  const smallest = new Smallest(k + 1);
  let sampleMs = 0;
  for (let start = 0; start < s.draws; start += s.batch) {
    const m = Math.min(s.batch, s.draws - start);
    const ts = performance.now();
    const { theta, ownLogProb: own } = await ens.sampleTaggedWithLogProb(m, xo, rng.seed31());
    sampleMs += performance.now() - ts;
    await addCandidates(ens, theta, own, logE, smallest, xo);
  }
  const tau = smallest.values[k];
  if (tau === undefined || Number.isNaN(tau) || tau === Infinity)
    throw new Error(`HPR threshold is not a number (${tau}): the posterior's log-densities are not finite`);
  const seconds = (performance.now() - t0) / 1000;
  return { logProb: tau, draws: s.draws, seconds, sampleSeconds: sampleMs / 1000, logProbSeconds: seconds - sampleMs / 1000 };
}
