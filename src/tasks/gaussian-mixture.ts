/**
 * gaussian_mixture (SBI benchmark; after Sisson et al. 2007): θ ∈ [−10, 10]² uniform;
 * x ~ ½ N(θ, I) + ½ N(θ, 0.01·I).
 * Exact posterior: since each component density is symmetric in (x, θ), p(θ | x) ∝ 1[θ ∈ box] ·
 * (½ N(θ; x, I) + ½ N(θ; x, 0.01·I)), the same equal-weight mixture centred on x truncated to the
 * prior box (both components integrate to 1 over ℝ², so truncation keeps the weights). Sampled
 * exactly by rejection from the untruncated mixture.
 */
import { BoxUniform } from '../prior.js';
import { Rng, STREAM_OFFSET } from '../random.js';
import { makeSimpleTask } from './simple.js';
import type { Task } from './task.js';

const LOW = -10;
const HIGH = 10;

/** The sbibm gaussian_mixture task (Lueckmann et al. 2021): 2-D box prior, x from a mixture of a narrow and a broad Gaussian around θ, exact posterior. */
export function gaussianMixtureTask(): Task {
  return makeSimpleTask({
    name: 'gaussian_mixture',
    prior: new BoxUniform([LOW, LOW], [HIGH, HIGH]),
    xDim: 2,
    simulateOne(theta, rng, _f, out) {
      const sd = rng.uniform() < 0.5 ? 1 : 0.1;
      out[0] = theta[0] + sd * rng.normal();
      out[1] = theta[1] + sd * rng.normal();
    },
    referencePosterior(x, n, seed) {
      const rng = new Rng(seed, STREAM_OFFSET.aux);
      const out = new Float64Array(n * 2);
      let tries = 0;
      for (let i = 0; i < n; ) {
        if (++tries > 1e4 * (n + 100))
          throw new RangeError(`gaussian_mixture: observation (${x[0]}, ${x[1]}) is too far outside the prior box for rejection sampling`);
        const sd = rng.uniform() < 0.5 ? 1 : 0.1;
        const a = x[0] + sd * rng.normal();
        const b = x[1] + sd * rng.normal();
        if (a < LOW || a > HIGH || b < LOW || b > HIGH) continue;
        out[2 * i] = a;
        out[2 * i + 1] = b;
        i++;
      }
      return out;
    },
  });
}
