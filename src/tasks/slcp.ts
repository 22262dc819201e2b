/**
 * slcp, "simple likelihood, complex posterior" (Papamakarios et al. 2019; SBI benchmark):
 * θ ∈ [−3, 3]⁵ uniform; m = (θ1, θ2), s1 = θ3², s2 = θ4², ρ = tanh(θ5),
 * S = [[s1², ρ s1 s2], [ρ s1 s2, s2²]] + 10⁻⁶ I; x = four i.i.d. draws of N(m, S), flattened
 * (x1, y1, x2, y2, …). The posterior has four symmetric modes (signs of θ3, θ4). No exact sampler
 * here: use the public reference samples.
 */
import { BoxUniform } from '../prior.js';
import { makeSimpleTask } from './simple.js';
import type { Task } from './task.js';

/** The 2×2 covariance S(θ) of one slcp draw, as [S11, S12, S22]. */
export function slcpCovariance(theta: ArrayLike<number>): [number, number, number] {
  const s1 = theta[2] * theta[2];
  const s2 = theta[3] * theta[3];
  const rho = Math.tanh(theta[4]);
  return [s1 * s1 + 1e-6, rho * s1 * s2, s2 * s2 + 1e-6];
}

/** The sbibm slcp task (Papamakarios et al. 2019; Lueckmann et al. 2021): 5-D box prior, four 2-D Gaussian draws with a θ-dependent covariance. */
export function slcpTask(): Task {
  return makeSimpleTask({
    name: 'slcp',
    prior: new BoxUniform([-3, -3, -3, -3, -3], [3, 3, 3, 3, 3]),
    xDim: 8,
    simulateOne(theta, rng, _f, out) {
      const [a, b, c] = slcpCovariance(theta);
      // Cholesky factor of [[a, b], [b, c]].
      const l11 = Math.sqrt(a);
      const l21 = b / l11;
      const l22 = Math.sqrt(Math.max(c - l21 * l21, 0));
      for (let k = 0; k < 4; k++) {
        const e1 = rng.normal();
        const e2 = rng.normal();
        out[2 * k] = theta[0] + l11 * e1;
        out[2 * k + 1] = theta[1] + l21 * e1 + l22 * e2;
      }
    },
  });
}
