/**
 * gaussian_linear (SBI benchmark): θ ∈ ℝ¹⁰ with prior N(0, 0.1·I); x ~ N(θ, 0.1·I).
 * Exact posterior (conjugate Gaussian): N(Σ·(10·x), Σ) with Σ = (10·I + 10·I)⁻¹ = 0.05·I, i.e.
 * mean x/2 and variance 0.05 per coordinate.
 */
import { Rng, STREAM_OFFSET } from '../random.js';
import { GaussianPrior } from './gaussian-prior.js';
import { makeSimpleTask } from './simple.js';
import type { Task } from './task.js';

const DIM = 10;
const PRIOR_VAR = 0.1;
const NOISE_VAR = 0.1;
/** Posterior variance 1/(1/0.1 + 1/0.1) and the weight of x in the posterior mean. */
export const GAUSSIAN_LINEAR_POSTERIOR_VAR = 1 / (1 / PRIOR_VAR + 1 / NOISE_VAR);
const X_WEIGHT = GAUSSIAN_LINEAR_POSTERIOR_VAR / NOISE_VAR;

/** The sbibm gaussian_linear task (Lueckmann et al. 2021): 10-D Gaussian prior, x = θ + Gaussian noise, exact Gaussian posterior. */
export function gaussianLinearTask(): Task {
  const sdNoise = Math.sqrt(NOISE_VAR);
  const sdPost = Math.sqrt(GAUSSIAN_LINEAR_POSTERIOR_VAR);
  return makeSimpleTask({
    name: 'gaussian_linear',
    prior: new GaussianPrior(new Float64Array(DIM), PRIOR_VAR),
    xDim: DIM,
    simulateOne(theta, rng, _f, out) {
      for (let j = 0; j < DIM; j++) out[j] = theta[j] + sdNoise * rng.normal();
    },
    referencePosterior(x, n, seed) {
      const rng = new Rng(seed, STREAM_OFFSET.aux);
      const out = new Float64Array(n * DIM);
      for (let i = 0; i < n; i++) for (let j = 0; j < DIM; j++) out[i * DIM + j] = X_WEIGHT * x[j] + sdPost * rng.normal();
      return out;
    },
  });
}
