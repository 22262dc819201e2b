/**
 * Ornstein–Uhlenbeck multifidelity task (Krouglova et al., MF-NPE, first task).
 * θ = (μ, σ) with prior U[0.1, 3.0] × U[0.1, 0.6].
 * - HF: Euler–Maruyama OU process, γ = 0.5, dt = 0.1, x₀ ~ N(μ + 3, 1),
 *   x_{t+1} = x_t + γ(μ − x_t)dt + σ√dt·ξ_t for t = 0..99 (101 values); data x₀, x₁₀, …, x₉₀.
 * - LF: 10 i.i.d. draws of N(μ, σ²) (same dimension).
 * Exact HF likelihood: the 10 recorded values are a Gaussian AR(1) chain,
 *   y₀ ~ N(μ + 3, 1),  y_k | y_{k−1} ~ N(μ + a(y_{k−1} − μ), σ²·v),
 *   a = (1 − γ dt)¹⁰,  v = dt Σ_{j<10} (1 − γ dt)^{2j}.
 * The reference posterior is this likelihood times the uniform prior, evaluated on a fine grid
 * (a coarse pass over the prior box locates the mass, a 1000 × 1000 grid covers it) and sampled
 * cell by cell with uniform jitter inside the cell.
 */
import { BoxUniform } from '../prior.js';
import { Rng, STREAM_OFFSET } from '../random.js';
import { makeSimpleTask } from './simple.js';
import type { Task } from './task.js';

export const OU = {
  gamma: 0.5,
  dt: 0.1,
  steps: 100,
  every: 10,
  low: [0.1, 0.1] as const,
  high: [3.0, 0.6] as const,
} as const;
const XDIM = 10;
const c = 1 - OU.gamma * OU.dt;
/** AR(1) coefficient between recorded values. */
export const OU_A = c ** OU.every;
/** Innovation variance between recorded values, per unit σ². */
export const OU_V = (() => {
  let s = 0;
  for (let j = 0; j < OU.every; j++) s += c ** (2 * j);
  return OU.dt * s;
})();
const LOG_2PI = Math.log(2 * Math.PI);

/** Exact log-likelihood log p(x | μ, σ) of the HF data x (10 values). */
export function ouLogLikelihood(mu: number, sigma: number, x: ArrayLike<number>): number {
  const d0 = x[0] - mu - 3;
  let ll = -0.5 * (LOG_2PI + d0 * d0);
  const varI = sigma * sigma * OU_V;
  let sq = 0;
  for (let k = 1; k < XDIM; k++) {
    const r = x[k] - mu - OU_A * (x[k - 1] - mu);
    sq += r * r;
  }
  ll += -0.5 * (XDIM - 1) * (LOG_2PI + Math.log(varI)) - (0.5 * sq) / varI;
  return ll;
}

/** A posterior tabulated on a regular grid of cells; sampled exactly from the piecewise-constant density. */
export interface GridPosterior {
  lo: [number, number];
  hi: [number, number];
  nx: number;
  ny: number;
  /** Cumulative cell probabilities (row-major, μ index major). */
  cdf: Float64Array;
  sample(n: number, rng: Rng): Float64Array;
  /** Largest log-likelihood found on the grid (cell centres). */
  maxLogLik: number;
}

function tabulate(x: ArrayLike<number>, lo: [number, number], hi: [number, number], nx: number, ny: number): { logp: Float64Array; max: number } {
  const logp = new Float64Array(nx * ny);
  let max = -Infinity;
  const hx = (hi[0] - lo[0]) / nx;
  const hy = (hi[1] - lo[1]) / ny;
  for (let i = 0; i < nx; i++) {
    const mu = lo[0] + (i + 0.5) * hx;
    for (let j = 0; j < ny; j++) {
      const v = ouLogLikelihood(mu, lo[1] + (j + 0.5) * hy, x);
      logp[i * ny + j] = v;
      if (v > max) max = v;
    }
  }
  return { logp, max };
}

/**
 * The grid posterior of the OU task for observation x. A 200 × 200 pass over the prior box finds
 * the cells within e^−40 of the maximum; the fine grid (nx × ny, default 1000 × 1000) covers their
 * bounding box widened by two coarse cells, clipped to the prior.
 */
export function ouGridPosterior(x: ArrayLike<number>, nx = 1000, ny = 1000): GridPosterior {
  const P = [OU.low[0], OU.low[1]] as [number, number];
  const Q = [OU.high[0], OU.high[1]] as [number, number];
  const cn = 200;
  const coarse = tabulate(x, P, Q, cn, cn);
  let i0 = cn;
  let i1 = -1;
  let j0 = cn;
  let j1 = -1;
  for (let i = 0; i < cn; i++) {
    for (let j = 0; j < cn; j++) {
      if (coarse.logp[i * cn + j] > coarse.max - 40) {
        i0 = Math.min(i0, i);
        i1 = Math.max(i1, i);
        j0 = Math.min(j0, j);
        j1 = Math.max(j1, j);
      }
    }
  }
  const hx = (Q[0] - P[0]) / cn;
  const hy = (Q[1] - P[1]) / cn;
  const lo: [number, number] = [Math.max(P[0], P[0] + (i0 - 2) * hx), Math.max(P[1], P[1] + (j0 - 2) * hy)];
  const hi: [number, number] = [Math.min(Q[0], P[0] + (i1 + 3) * hx), Math.min(Q[1], P[1] + (j1 + 3) * hy)];
  const fine = tabulate(x, lo, hi, nx, ny);
  const cdf = new Float64Array(nx * ny);
  let acc = 0;
  for (let k = 0; k < nx * ny; k++) {
    acc += Math.exp(fine.logp[k] - fine.max);
    cdf[k] = acc;
  }
  for (let k = 0; k < cdf.length; k++) cdf[k] /= acc;
  const cx = (hi[0] - lo[0]) / nx;
  const cy = (hi[1] - lo[1]) / ny;
  return {
    lo,
    hi,
    nx,
    ny,
    cdf,
    maxLogLik: fine.max,
    sample(n: number, rng: Rng): Float64Array {
      const out = new Float64Array(2 * n);
      for (let s = 0; s < n; s++) {
        const u = rng.uniform();
        let a = 0;
        let b = cdf.length - 1;
        while (a < b) {
          const m = (a + b) >>> 1;
          if (cdf[m] > u) b = m;
          else a = m + 1;
        }
        const i = Math.floor(a / ny);
        const j = a - i * ny;
        out[2 * s] = lo[0] + (i + rng.uniform()) * cx;
        out[2 * s + 1] = lo[1] + (j + rng.uniform()) * cy;
      }
      return out;
    },
  };
}

/** The Ornstein–Uhlenbeck task of the MF-NPE paper (Krouglova et al. 2025): θ = (μ, σ), HF = the OU process, LF = independent Gaussians; exact grid posterior. */
export function ouTask(): Task {
  const sqrtDt = Math.sqrt(OU.dt);
  return makeSimpleTask({
    name: 'ou',
    prior: new BoxUniform(OU.low, OU.high),
    xDim: XDIM,
    fidelities: ['hf', 'lf'],
    simulatorConfig: OU,
    simulateOne(theta, rng, fidelity, out) {
      const mu = theta[0];
      const sigma = theta[1];
      if (fidelity === 'lf') {
        for (let k = 0; k < XDIM; k++) out[k] = mu + sigma * rng.normal();
        return;
      }
      let v = mu + 3 + rng.normal();
      for (let t = 0; t < OU.steps; t++) {
        if (t % OU.every === 0) out[t / OU.every] = v;
        v += OU.gamma * (mu - v) * OU.dt + sigma * sqrtDt * rng.normal();
      }
    },
    referencePosterior(x, n, seed) {
      return ouGridPosterior(x).sample(n, new Rng(seed, STREAM_OFFSET.aux));
    },
  });
}
