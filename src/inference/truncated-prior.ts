/**
 * The truncated prior of TSNPE (Deistler et al. 2022, "Truncated proposals for scalable and
 * hassle-free simulation-based inference"; sbi's `get_density_thresholder` + `RestrictedPrior`):
 * the prior restricted to the highest-probability region (HPR) of the current posterior at x_o,
 *
 *   p̃(θ) ∝ p(θ) · 1[log q(θ | x_o) ≥ τ],
 *
 * where τ is the ε-quantile of log q(θ' | x_o) over M draws θ' ~ q(· | x_o): the HPR holds all but
 * a fraction ε of the posterior's mass. τ is the ⌊ε·M⌋-th smallest of the M log-densities (0-based,
 * as sbi), so ε·M ≥ 1 is required. Sampling is rejection from the prior; the acceptance rate (the
 * prior mass of the HPR) is reported. When it is very low (below `minAcceptance` after
 * `checkAfter` prior draws), a warning goes to stderr and the remaining draws come from
 * sampling–importance–resampling of the posterior (sbi's `sample_with='sir'`; see sir.ts).
 *
 * Spec defaults (sequential.md): ε = 10⁻⁶ and M = 10⁶; sbi's own ε is 10⁻⁴, the MF-NPE code used
 * 10⁻³ for its neuron task.
 */
import type { Prior } from '../prior.js';
import type { Rng } from '../random.js';
import type { ConditionalDensity } from './conditional.js';
import { EnsemblePosterior } from './ensemble.js';
import { ensembleThreshold } from './ensemble-threshold.js';
import { sirTruncated } from './sir.js';

/** Settings of the truncation (every number of the spec, with its default). */
export interface TruncationSettings {
  /** ε: posterior mass left out of the HPR (default 10⁻⁶). */
  quantile?: number;
  /** M: posterior draws that estimate τ (default 10⁶); ε·M ≥ 1. */
  draws?: number;
  /** Acceptance rate below which sampling falls back to SIR (default 10⁻³). */
  minAcceptance?: number;
  /** Prior draws made before the acceptance rate is judged (default 20 000). */
  checkAfter?: number;
  /** SIR fallback: posterior draws per returned θ (default 1024, sbi's oversampling factor). */
  oversampling?: number;
  /** Rows per batch of density evaluations (default 50 000; bounds memory). */
  batch?: number;
  /** Where the low-acceptance warning goes (default: a line on stderr). */
  warn?: (message: string) => void;
}

/** The truncation's defaults (docs/methods.md; Deistler et al. 2022): ε = 10⁻⁶ of M = 10⁶ posterior draws, and the low-acceptance fallback. */
export const TRUNCATION_DEFAULTS = {
  quantile: 1e-6,
  draws: 1_000_000,
  minAcceptance: 1e-3,
  checkAfter: 20_000,
  oversampling: 1024,
  batch: 50_000,
} as const;

export type ResolvedTruncation = Required<TruncationSettings>;

/** The settings with defaults filled in; bad values are RangeErrors (one line). */
export function truncationSettings(s: TruncationSettings = {}): ResolvedTruncation {
  const r = { ...TRUNCATION_DEFAULTS, warn: (m: string) => process.stderr.write(`mfnpe: warning: ${m}\n`), ...s };
  if (!(r.quantile > 0 && r.quantile < 1)) throw new RangeError(`truncation quantile ε must be in (0, 1), got ${r.quantile}`);
  for (const k of ['draws', 'checkAfter', 'oversampling', 'batch'] as const) {
    if (!Number.isInteger(r[k]) || r[k] < 1) throw new RangeError(`truncation setting ${k} must be an integer ≥ 1, got ${r[k]}`);
  }
  if (r.quantile * r.draws < 1) throw new RangeError(`truncation needs ε·M ≥ 1 so the ε-quantile exists; got ε = ${r.quantile}, M = ${r.draws}`);
  if (!(r.minAcceptance >= 0 && r.minAcceptance < 1)) throw new RangeError(`minimum acceptance must be in [0, 1), got ${r.minAcceptance}`);
  return r;
}

/** τ and what it cost: M draws from q and their M log-densities (from the sampling pass where the density gives them). */
export interface Threshold {
  /** τ: the ε-quantile of log q(θ' | x_o), θ' ~ q(· | x_o). */
  logProb: number;
  draws: number;
  seconds: number;
  /**
   * Of those seconds, drawing θ' ~ q, and evaluating log q(θ' | x_o). For an ensemble the draws come
   * with their own member's log q (counted in sampleSeconds) and logProbSeconds is the mixture on the
   * few draws that can be among the lowest (ensemble-threshold.ts).
   */
  sampleSeconds: number;
  logProbSeconds: number;
}

/**
 * τ of `density` at x_o from M draws (in batches; seeded by `rng`). For an ensemble, only the draws
 * that can be among the lowest are evaluated under every member (ensemble-threshold.ts; same τ).
 */
export async function hprThreshold(density: ConditionalDensity, xo: Float64Array, settings: TruncationSettings, rng: Rng): Promise<Threshold> {
  const s = truncationSettings(settings);
  if (density instanceof EnsemblePosterior) return ensembleThreshold(density, xo, s, rng);
  const t0 = performance.now();
  const lps = new Float64Array(s.draws);
  let sampleMs = 0;
  for (let start = 0; start < s.draws; start += s.batch) {
    const m = Math.min(s.batch, s.draws - start);
    const ts = performance.now();
    if (density.sampleWithLogProb) {
      // One pass: the flow's inverse yields each draw's log q (posterior.ts), so no density pass.
      lps.set((await density.sampleWithLogProb(m, xo, rng.seed31())).logProb, start);
      sampleMs += performance.now() - ts;
      continue;
    }
    const theta = await density.sample(m, xo, rng.seed31());
    sampleMs += performance.now() - ts;
    lps.set(await density.logProb(theta, xo), start);
  }
  // NaN sorts last in a typed array; any NaN would make τ meaningless, so it is refused.
  lps.sort();
  const tau = lps[Math.floor(s.quantile * s.draws)];
  if (Number.isNaN(tau) || tau === Infinity) throw new Error(`HPR threshold is not a number (${tau}): the posterior's log-densities are not finite`);
  const seconds = (performance.now() - t0) / 1000;
  return { logProb: tau, draws: s.draws, seconds, sampleSeconds: sampleMs / 1000, logProbSeconds: seconds - sampleMs / 1000 };
}

/** Draws from the truncated prior and how they were obtained. */
export interface TruncatedDraws {
  /** n × thetaDim, row-major. */
  theta: Float64Array;
  /** Prior draws evaluated. */
  proposed: number;
  /** Of those, inside the HPR. */
  accepted: number;
  /** accepted / proposed: the prior mass of the HPR (1 for an untruncated prior). */
  acceptance: number;
  /** Rows that came from the SIR fallback (0 unless acceptance was too low). */
  fallback: number;
}

/** The prior truncated to the HPR of a posterior at one observation. */
export class TruncatedPrior {
  readonly settings: ResolvedTruncation;
  /** How τ was estimated (set by {@link TruncatedPrior.fit}). */
  fitted: Threshold | null = null;

  constructor(
    readonly prior: Prior,
    readonly density: ConditionalDensity,
    readonly xo: Float64Array,
    /** τ (log-density units of q). */
    readonly threshold: number,
    settings: TruncationSettings = {},
  ) {
    this.settings = truncationSettings(settings);
  }

  /** The truncated prior of `density` at x_o, with τ estimated from M draws (seeded by `rng`). */
  static async fit(prior: Prior, density: ConditionalDensity, xo: Float64Array, settings: TruncationSettings, rng: Rng): Promise<TruncatedPrior> {
    const tau = await hprThreshold(density, xo, settings, rng);
    const tp = new TruncatedPrior(prior, density, xo, tau.logProb, settings);
    tp.fitted = tau;
    return tp;
  }

  /** 1 for rows of θ inside the HPR (log q(θ | x_o) ≥ τ), 0 outside. */
  async contains(theta: Float64Array): Promise<Uint8Array> {
    const lp = await this.density.logProb(theta, this.xo);
    return Uint8Array.from(lp, (v) => (v >= this.threshold ? 1 : 0));
  }

  /** n draws by rejection from the prior (SIR fallback at very low acceptance); reproducible from `rng`. */
  async sample(n: number, rng: Rng): Promise<TruncatedDraws> {
    const { batch, checkAfter, minAcceptance } = this.settings;
    const D = this.prior.dim;
    const out = new Float64Array(n * D);
    let got = 0;
    let proposed = 0;
    let accepted = 0;
    while (got < n) {
      const rate = proposed > 0 ? Math.max(accepted / proposed, minAcceptance, 1e-6) : 1;
      const m = Math.min(batch, Math.max(64, Math.ceil((1.2 * (n - got)) / rate)));
      const theta = this.prior.sample(m, rng);
      const inside = await this.contains(theta);
      proposed += m;
      for (let i = 0; i < m; i++) {
        if (!inside[i]) continue;
        accepted++;
        if (got < n) out.set(theta.subarray(i * D, i * D + D), got++ * D);
      }
      if (got < n && proposed >= checkAfter && accepted / proposed < minAcceptance) {
        const rest = n - got;
        this.settings.warn(
          `only ${accepted} of ${proposed} prior draws (${((100 * accepted) / proposed).toPrecision(2)} %) fell inside the posterior's ` +
            `highest-probability region; drawing the remaining ${rest} by sampling–importance–resampling of the posterior instead`,
        );
        const sir = await sirTruncated(this, rest, rng);
        out.set(sir, got * D);
        return { theta: out, proposed, accepted, acceptance: accepted / proposed, fallback: rest };
      }
    }
    return { theta: out, proposed, accepted, acceptance: accepted / proposed, fallback: 0 };
  }
}
