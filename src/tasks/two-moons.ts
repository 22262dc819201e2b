/**
 * two_moons (SBI benchmark, Lueckmann et al. 2021; after Greenberg et al. 2019): θ ∈ [−1, 1]²
 * uniform; a ~ U(−π/2, π/2), r ~ N(0.1, 0.01²), p = (r cos a + 0.25, r sin a); with the rotation by
 * −π/4, z0 = c θ1 − s θ2, z1 = s θ1 + c θ2 (c = cos(−π/4), s = sin(−π/4)), x = p + (−|z0|, z1).
 * The posterior is bimodal (crescent-shaped). No exact sampler here: use the public reference
 * samples.
 */
import { BoxUniform } from '../prior.js';
import { makeSimpleTask } from './simple.js';
import type { Task } from './task.js';

const C = Math.cos(-Math.PI / 4);
const S = Math.sin(-Math.PI / 4);

/** The sbibm two_moons task (Greenberg et al. 2019; Lueckmann et al. 2021): 2-D box prior, a crescent-shaped bimodal posterior. */
export function twoMoonsTask(): Task {
  return makeSimpleTask({
    name: 'two_moons',
    prior: new BoxUniform([-1, -1], [1, 1]),
    xDim: 2,
    simulateOne(theta, rng, _f, out) {
      const a = Math.PI * (rng.uniform() - 0.5);
      const r = 0.1 + 0.01 * rng.normal();
      const z0 = C * theta[0] - S * theta[1];
      const z1 = S * theta[0] + C * theta[1];
      out[0] = r * Math.cos(a) + 0.25 - Math.abs(z0);
      out[1] = r * Math.sin(a) + z1;
    },
  });
}
