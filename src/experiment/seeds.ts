/**
 * Derived seeds and stream offsets of the experiment (docs/methods.md, "Random streams").
 * Replicate seed s uses HF training streams (s, i) and LF training streams (s, 2³⁹ + i), so LF and HF
 * parameters are independent draws; test pairs use (testSeed, 2⁴⁰ + i).
 */
import { Rng, STREAM_OFFSET } from '../random.js';

/** First stream of the LF training simulations of a replicate (HF training uses 0, 1, …). */
export const LF_STREAM_OFFSET = STREAM_OFFSET.lf;

/** A derived seed for sampling/C2ST of (replicate seed, purpose k). */
export function auxSeed(seed: number, k: number): number {
  return new Rng(seed, STREAM_OFFSET.aux + 1000 + k).seed31();
}

/**
 * The seed of a sequential run at observation k of replicate `seed`: its proposals, simulation
 * streams and networks (so runs at different observations are independent).
 */
export function observationSeed(seed: number, k: number): number {
  return new Rng(seed, STREAM_OFFSET.aux + 4000 + k).seed31();
}
