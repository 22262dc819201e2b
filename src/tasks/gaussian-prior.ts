/**
 * Independent Gaussian prior N(mean, diag(variance)) on ℝ^d, without bounds (the gaussian_linear
 * benchmark task's N(0, 0.1·I)).
 */
import type { Prior } from '../prior.js';
import type { Rng } from '../random.js';

export class GaussianPrior implements Prior {
  readonly dim: number;
  readonly names: readonly string[];
  readonly mean: Float64Array;
  readonly variance: Float64Array;
  private readonly sd: Float64Array;
  private readonly logNorm: number;

  /** `variance` may be one number for all dimensions. */
  constructor(mean: ArrayLike<number>, variance: ArrayLike<number> | number, names?: readonly string[]) {
    this.dim = mean.length;
    if (this.dim === 0) throw new RangeError('GaussianPrior: empty mean');
    this.mean = Float64Array.from(mean);
    this.variance = typeof variance === 'number' ? new Float64Array(this.dim).fill(variance) : Float64Array.from(variance);
    if (this.variance.length !== this.dim) throw new RangeError('GaussianPrior: mean and variance lengths differ');
    for (const v of this.variance) if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`GaussianPrior: bad variance ${v}`);
    this.sd = this.variance.map(Math.sqrt);
    let ln = 0;
    for (const v of this.variance) ln -= 0.5 * Math.log(2 * Math.PI * v);
    this.logNorm = ln;
    this.names = names ?? Array.from({ length: this.dim }, (_, j) => `theta_${j + 1}`);
  }

  sample(n: number, rng: Rng): Float64Array {
    const out = new Float64Array(n * this.dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < this.dim; j++) out[i * this.dim + j] = this.mean[j] + this.sd[j] * rng.normal();
    return out;
  }

  logProb(theta: Float64Array): Float64Array {
    const n = theta.length / this.dim;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = this.logNorm;
      for (let j = 0; j < this.dim; j++) {
        const z = theta[i * this.dim + j] - this.mean[j];
        s -= (0.5 * z * z) / this.variance[j];
      }
      out[i] = s;
    }
    return out;
  }
}
