/**
 * Maps between parameters θ and the unbounded space the flow models.
 *
 * Bounded (box) priors: v = logit((θ − low)/(high − low)) per coordinate, so every sample mapped
 * back with the logistic function lies inside the box and densities need no leakage correction
 * (sbi's "transform to unconstrained space"). Change of variables:
 *   log q(θ) = log q_v(v) + Σ_j log |dv_j/dθ_j|,  dv/dθ = 1 / ((high − low)·p·(1 − p)),  p = (θ − low)/(high − low).
 * Unbounded priors (e.g. gaussian_linear): identity, log-Jacobian 0.
 */
export interface ThetaTransform {
  readonly dim: number;
  /** v = T(θ) row-major, and log|det ∂v/∂θ| per row (−Infinity outside the support). */
  forward(theta: ArrayLike<number>): { v: Float64Array; logDet: Float64Array };
  /** θ = T⁻¹(v), row-major. */
  inverse(v: ArrayLike<number>): Float64Array;
}

export class IdentityTransform implements ThetaTransform {
  constructor(readonly dim: number) {}
  forward(theta: ArrayLike<number>): { v: Float64Array; logDet: Float64Array } {
    const v = Float64Array.from(theta);
    const logDet = new Float64Array(v.length / this.dim);
    for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) logDet[Math.floor(i / this.dim)] = -Infinity;
    return { v, logDet };
  }
  inverse(v: ArrayLike<number>): Float64Array {
    return Float64Array.from(v);
  }
}

export class BoxLogitTransform implements ThetaTransform {
  readonly dim: number;
  readonly low: Float64Array;
  readonly high: Float64Array;
  constructor(low: ArrayLike<number>, high: ArrayLike<number>) {
    this.low = Float64Array.from(low);
    this.high = Float64Array.from(high);
    this.dim = this.low.length;
    for (let j = 0; j < this.dim; j++) {
      if (!(this.high[j] > this.low[j])) throw new RangeError(`bad prior bounds [${this.low[j]}, ${this.high[j]}]`);
    }
  }

  forward(theta: ArrayLike<number>): { v: Float64Array; logDet: Float64Array } {
    const D = this.dim;
    const n = theta.length / D;
    const v = new Float64Array(theta.length);
    const logDet = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let ld = 0;
      for (let j = 0; j < D; j++) {
        const w = this.high[j] - this.low[j];
        const p = (theta[i * D + j] - this.low[j]) / w;
        if (!(p > 0 && p < 1)) {
          // On or outside the boundary: zero density under a flow on the open box.
          v[i * D + j] = p <= 0 ? -Infinity : Infinity;
          ld = -Infinity;
          continue;
        }
        v[i * D + j] = Math.log(p) - Math.log1p(-p);
        ld -= Math.log(w) + Math.log(p) + Math.log1p(-p);
      }
      logDet[i] = ld;
    }
    return { v, logDet };
  }

  inverse(v: ArrayLike<number>): Float64Array {
    const D = this.dim;
    const out = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const j = i % D;
      const s = 1 / (1 + Math.exp(-v[i]));
      const t = this.low[j] + (this.high[j] - this.low[j]) * s;
      // Clamp guards against rounding just past the bounds.
      out[i] = t < this.low[j] ? this.low[j] : t > this.high[j] ? this.high[j] : t;
    }
    return out;
  }
}
