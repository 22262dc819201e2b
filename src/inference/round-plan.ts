/**
 * How a sequential run spends its simulation budget and its random streams (spec: sequential.md;
 * Deistler et al. 2022, TSNPE; Krouglova et al. 2025, MF-TSNPE and A-MF-TSNPE):
 *
 * - the HF budget N is split equally over R rounds (the official code's N // R; a remainder goes one
 *   simulation each to the first rounds, so all N are spent);
 * - round r's simulations use streams (seed, o_r + i) with o_r the number of simulations of the
 *   rounds before: disjoint over rounds, and a run with a larger budget is not a prefix (θ differ);
 * - everything else a round draws (proposal, threshold, candidate pool, fallback) has its own
 *   stream (seed, 2⁴¹ + 2²⁴ + 16·r + purpose), disjoint from simulations, training and test sets;
 * - ensemble member e > 0 trains with a seed drawn from stream (seed, 2⁴¹ + 2²³ + e).
 */
import { Rng, STREAM_OFFSET } from '../random.js';

/** What a round's random stream is for. */
export const ROUND_PURPOSE = { proposal: 0, threshold: 1, pool: 2, fallback: 3 } as const;
export type RoundPurpose = keyof typeof ROUND_PURPOSE;

/** First auxiliary stream of the sequential methods (above the training and network streams). */
const SEQUENTIAL_STREAM = STREAM_OFFSET.aux + 2 ** 24;
/** Streams of the ensemble members' seeds (one per member, below the rounds' streams). */
const MEMBER_STREAM = STREAM_OFFSET.aux + 2 ** 23;

/** Simulations per round: N split equally over R rounds, the remainder to the first rounds. */
export function roundSizes(budget: number, rounds: number): number[] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds must be an integer ≥ 1, got ${rounds}`);
  if (!Number.isInteger(budget) || budget < rounds)
    throw new RangeError(`the simulation budget (${budget}) must be an integer ≥ the number of rounds (${rounds})`);
  const base = Math.floor(budget / rounds);
  const extra = budget - base * rounds;
  return Array.from({ length: rounds }, (_, r) => base + (r < extra ? 1 : 0));
}

/** First simulation stream of each round (prefix sums of the round sizes). */
export function roundOffsets(sizes: readonly number[]): number[] {
  const out: number[] = [];
  let o = 0;
  for (const n of sizes) {
    out.push(o);
    o += n;
  }
  return out;
}

/**
 * θ chosen by acquisition in a later round of n simulations: n − ⌊(1 − share)·n⌋ (the official
 * code keeps int(0.8·n) from the truncated prior and acquires the rest).
 */
export function activeCount(n: number, share: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`active share must be in [0, 1], got ${share}`);
  return n - Math.floor((1 - share) * n + 1e-9);
}

/** The candidate pool of A-MF-TSNPE: 250 if N ≤ 1000, 2500 if N ≤ 10⁴, 25 000 above (official code). */
export function defaultPoolSize(budget: number): number {
  if (budget <= 1000) return 250;
  if (budget <= 10_000) return 2500;
  return 25_000;
}

/** The random stream of round r (1-based) for one purpose. */
export function roundRng(seed: number, round: number, purpose: RoundPurpose): Rng {
  return new Rng(seed, SEQUENTIAL_STREAM + 16 * round + ROUND_PURPOSE[purpose]);
}

/** The training seed of ensemble member e: the run seed for member 0, a derived seed for the others. */
export function memberSeed(seed: number, member: number): number {
  return member === 0 ? seed : new Rng(seed, MEMBER_STREAM + member).seed31();
}
