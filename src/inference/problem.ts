/**
 * What a posterior needs to know of an inference problem: the dimensions of θ and x, their names, and
 * the box of a uniform prior (if any). A {@link Task} satisfies it as it is (its bounds sit on
 * `task.prior.bounds`), and so does a plain object, so this layer needs no task import.
 */
import { Rng, STREAM_OFFSET } from '../random.js';
import type { PosteriorSpec, PriorBounds } from './posterior.js';

/** The shape of an inference problem: a task, or `{ thetaDim, xDim, bounds? }`. */
export interface ProblemShape {
  readonly thetaDim: number;
  readonly xDim: number;
  readonly thetaNames?: readonly string[];
  readonly xNames?: readonly string[];
  /** Box of a uniform prior; null or absent for unbounded priors. */
  readonly bounds?: PriorBounds | null;
  /** A task's prior (its `bounds` are used when `bounds` is absent). */
  readonly prior?: { readonly bounds?: PriorBounds | null };
}

/** The seed of a posterior's initial weights, derived from the run seed: network seeding lives here only. */
export function networkSeed(seed: number): number {
  return new Rng(seed, STREAM_OFFSET.aux + 3).seed31();
}

/** The posterior spec (dimensions, names, prior box) of a problem, without flow settings or seed. */
export function problemSpec(p: ProblemShape): Omit<PosteriorSpec, 'flow' | 'seed'> {
  return {
    thetaDim: p.thetaDim,
    xDim: p.xDim,
    bounds: p.bounds !== undefined ? p.bounds : (p.prior?.bounds ?? null),
    thetaNames: p.thetaNames,
    xNames: p.xNames,
  };
}
