/**
 * The θ of one round of a sequential run (sequential.md): round 1 from the prior; later rounds from
 * the truncated prior, except an active share chosen from a candidate pool by the ensemble's
 * disagreement (A-MF-TSNPE, Krouglova et al. 2025). Each purpose draws from its own stream of the
 * round (round-plan.ts), so a run is reproducible from its seed.
 */
import type { Prior } from '../prior.js';
import { acquire } from './acquisition.js';
import { EnsemblePosterior } from './ensemble.js';
import type { SavedPosterior } from './load-any.js';
import { activeCount, defaultPoolSize, roundRng } from './round-plan.js';
import type { TruncatedPrior } from './truncated-prior.js';

/** What a round's proposal needs of its run (a SequentialNPE). */
export interface ProposalContext {
  readonly problem: { readonly prior: Prior; readonly thetaDim: number };
  readonly seed: number;
  readonly activeShare: number;
  readonly settings: { readonly poolSize?: number; readonly poolFrom?: 'prior' | 'truncated' };
}

/** The acquisition of a round: the candidate pool, every candidate's score, the chosen rows. */
export interface Acquired {
  pool: Float64Array;
  /** Variance across members of log q_e(θ | x_o), per candidate. */
  scores: Float64Array;
  /** Chosen candidates (rows of `pool`), largest score first. */
  indices: Int32Array;
}

/** A round's θ (proposal draws first, then acquired ones) and how they were drawn. */
export interface RoundDraws {
  theta: Float64Array;
  fromProposal: number;
  acceptance: number;
  fallback: number;
  threshold: number;
  acquired: Acquired | null;
}

/** Draws the n θ of round r (1-based); `proposal` is null in round 1. */
export async function proposeRound(
  ctx: ProposalContext,
  r: number,
  n: number,
  budget: number,
  proposal: TruncatedPrior | null,
  posterior: SavedPosterior | null,
  xo: Float64Array,
): Promise<RoundDraws> {
  const prior = ctx.problem.prior;
  const rng = roundRng(ctx.seed, r, 'proposal');
  if (!proposal) return { theta: prior.sample(n, rng), fromProposal: n, acceptance: 1, fallback: 0, threshold: -Infinity, acquired: null };
  const nActive = posterior instanceof EnsemblePosterior ? activeCount(n, ctx.activeShare) : 0;
  const nProp = n - nActive;
  const D = ctx.problem.thetaDim;
  const theta = new Float64Array(n * D);
  const drawn = nProp > 0 ? await proposal.sample(nProp, rng) : null;
  if (drawn) theta.set(drawn.theta);
  let acquired: Acquired | null = null;
  if (nActive > 0) {
    const poolSize = ctx.settings.poolSize ?? defaultPoolSize(budget);
    if (nActive > poolSize) throw new RangeError(`the acquisition needs ${nActive} θ but the candidate pool has only ${poolSize}`);
    const poolRng = roundRng(ctx.seed, r, 'pool');
    const pool = ctx.settings.poolFrom === 'truncated' ? (await proposal.sample(poolSize, poolRng)).theta : prior.sample(poolSize, poolRng);
    const a = await acquire(posterior as EnsemblePosterior, pool, xo, nActive);
    theta.set(a.theta, nProp * D);
    acquired = { pool, scores: a.scores, indices: a.indices };
  }
  return {
    theta,
    fromProposal: nProp,
    acceptance: drawn ? drawn.acceptance : NaN,
    fallback: drawn ? drawn.fallback : 0,
    threshold: proposal.threshold,
    acquired,
  };
}
