/**
 * Monotonic rational-quadratic spline (Durkan et al. 2019, "Neural Spline Flows", eqs. 4–8), with
 * the parametrization of zuko's `MonotonicRQSTransform`:
 *
 * - K bins on [−B, B]; the identity outside (log-Jacobian 0 there).
 * - Per feature 3K − 1 unconstrained parameters, laid out [widths (K) | heights (K) | inner
 *   derivatives (K − 1)]. Widths and heights: soft-clip a/(1 + |2a/log s|), then softmax, so every
 *   bin is at least a fixed fraction of 2B wide. Inner derivatives: soft-clip c/(1 + |c/log s|), then
 *   exp, so every knot slope lies in (s, 1/s) with s the minimum slope (10⁻³). Boundary derivatives
 *   are 1, which makes the map C¹ at ±B where it joins the identity.
 *
 * Why hand-written kernels: a spline built from TensorFlow.js primitives costs ~40 small ops
 * forward and ~80 backward per transform, and per-op overhead dominates at these sizes. Here the
 * whole spline is one op whose forward and backward run as tight loops over N rows (N = batch ×
 * θ-dimension) — see {@link makeSplineOp}. The loops work on any backend (they only read and
 * create tensors) and are checked against finite differences in test/flows-spline.test.ts.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';

export interface SplineShape {
  /** Number of bins K. */
  readonly bins: number;
  /** Half-width B of the spline interval [−B, B]. */
  readonly bound: number;
  /** Minimum knot slope s (derivatives lie in (s, 1/s)). */
  readonly minSlope: number;
  /**
   * Factor on the width and height logits before the soft clip (default 1, as zuko). sbi's
   * nflows-based NSF uses 1/√hidden, which smooths the splines (an option for experiments).
   */
  readonly logitScale?: number;
}

export const DEFAULT_SPLINE: SplineShape = { bins: 8, bound: 5, minSlope: 1e-3 };

/** Unconstrained parameters per feature: K widths, K heights, K − 1 inner derivatives. */
export function splineParamCount(bins: number): number {
  return 3 * bins - 1;
}

type Arr = ArrayLike<number>;
type Out = { [i: number]: number; length: number };

/** Soft clip a/(1 + β|a|): smooth, odd, bounded by 1/β. */
function softclip(a: number, beta: number): number {
  return a / (1 + beta * Math.abs(a));
}
/** d softclip / da = 1/(1 + β|a|)². */
function softclipGrad(a: number, beta: number): number {
  const d = 1 + beta * Math.abs(a);
  return 1 / (d * d);
}

/**
 * Softmax of the soft-clipped u[off..off+K) into out[o..o+K). The clipped logits lie in
 * (−1/β, 1/β) = (−3.5, 3.5) for the default minimum slope, so no max-shift is needed.
 */
function softmaxClipped(u: Arr, off: number, K: number, beta: number, out: Float64Array, o: number, scale = 1): void {
  let sum = 0;
  for (let j = 0; j < K; j++) {
    const e = Math.exp(softclip(scale * u[off + j], beta));
    out[o + j] = e;
    sum += e;
  }
  const inv = 1 / sum;
  for (let j = 0; j < K; j++) out[o + j] *= inv;
}

/**
 * What the backward pass needs from the forward pass, per row: the softmax widths p and heights q
 * (N × K) and the bin's local quantities. bin = −1 marks rows outside [−B, B) (identity).
 */
export class SplineCache {
  readonly p: Float64Array;
  readonly q: Float64Array;
  readonly bin: Int32Array;
  readonly xi: Float64Array;
  readonly w: Float64Array;
  readonly h: Float64Array;
  readonly d0: Float64Array;
  readonly d1: Float64Array;
  constructor(
    readonly n: number,
    readonly K: number,
  ) {
    this.p = new Float64Array(n * K);
    this.q = new Float64Array(n * K);
    this.bin = new Int32Array(n);
    this.xi = new Float64Array(n);
    this.w = new Float64Array(n);
    this.h = new Float64Array(n);
    this.d0 = new Float64Array(n);
    this.d1 = new Float64Array(n);
  }
}

/**
 * Forward map y = f(x) and log f'(x) for N rows: x (N), u (N × (3K − 1)) → y (N), logdet (N).
 * Fills `cache` (if given) for {@link splineBackwardCached}.
 */
export function splineForward(x: Arr, u: Arr, sh: SplineShape, y: Out, logdet: Out, cache?: SplineCache): void {
  const K = sh.bins;
  const B = sh.bound;
  const P = 3 * K - 1;
  const L = Math.abs(Math.log(sh.minSlope));
  const N = x.length;
  const c = cache ?? new SplineCache(N, K);
  const { p, q } = c;
  const ls = sh.logitScale ?? 1;
  for (let n = 0; n < N; n++) {
    const xv = x[n];
    if (!(xv >= -B && xv < B)) {
      y[n] = xv;
      logdet[n] = 0;
      c.bin[n] = -1;
      continue;
    }
    const off = n * P;
    const o = n * K;
    softmaxClipped(u, off, K, 2 / L, p, o, ls);
    softmaxClipped(u, off + K, K, 2 / L, q, o, ls);
    // Bin search on the knots X_j = −B + 2B Σ_{i<j} p_i, accumulating Y_k alongside.
    let k = 0;
    let xk = -B;
    let yk = -B;
    while (k < K - 1) {
      const next = xk + 2 * B * p[o + k];
      if (xv < next) break;
      xk = next;
      yk += 2 * B * q[o + k];
      k++;
    }
    const W = 2 * B * p[o + k];
    const H = 2 * B * q[o + k];
    const s = H / W;
    // Knot derivatives: 1 at the boundary knots, exp(softclip(c_{j−1})) at inner knot j.
    const d0 = k === 0 ? 1 : Math.exp(softclip(u[off + 2 * K + k - 1], 1 / L));
    const d1 = k === K - 1 ? 1 : Math.exp(softclip(u[off + 2 * K + k], 1 / L));
    let xi = (xv - xk) / W;
    xi = xi < 0 ? 0 : xi > 1 ? 1 : xi;
    const t = xi * (1 - xi);
    const denom = s + (d0 + d1 - 2 * s) * t;
    const num = s * xi * xi + d0 * t;
    y[n] = yk + (H * num) / denom;
    const nn = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi);
    logdet[n] = Math.log((s * s * nn) / (denom * denom));
    c.bin[n] = k;
    c.xi[n] = xi;
    c.w[n] = W;
    c.h[n] = H;
    c.d0[n] = d0;
    c.d1[n] = d1;
  }
}

/**
 * Gradients of L(y, logdet) given gy = ∂L/∂y and gl = ∂L/∂logdet: gx (N) and gu (N × (3K − 1)).
 * Derivation: derivatives of y and log f' with respect to the bin's local quantities (ξ, s, H, d₀,
 * d₁, Y_k), chained through knots = cumsum(softmax(softclip(u))) and derivatives = exp(softclip(u)).
 */
export function splineBackwardCached(u: Arr, gy: Arr, gl: Arr, sh: SplineShape, c: SplineCache, gx: Out, gu: Out): void {
  const K = sh.bins;
  const B = sh.bound;
  const P = 3 * K - 1;
  const L = Math.abs(Math.log(sh.minSlope));
  const beta = 2 / L;
  const ls = sh.logitScale ?? 1;
  const { p, q } = c;
  const N = c.n;
  for (let n = 0; n < N; n++) {
    const off = n * P;
    const k = c.bin[n];
    if (k < 0) {
      gx[n] = gy[n];
      for (let j = 0; j < P; j++) gu[off + j] = 0;
      continue;
    }
    const o = n * K;
    const W = c.w[n];
    const H = c.h[n];
    const s = H / W;
    const d0 = c.d0[n];
    const d1 = c.d1[n];
    const xi = c.xi[n];
    const t = xi * (1 - xi);
    const kappa = d0 + d1 - 2 * s;
    const denom = s + kappa * t;
    const den2 = denom * denom;
    const num = s * xi * xi + d0 * t;
    const nn = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi);
    const a = gy[n];
    const b = gl[n];
    // ∂/∂ξ, ∂/∂s, ∂/∂d0, ∂/∂d1 of y and of log f'.
    const dyXi = (H * ((2 * s * xi + d0 * (1 - 2 * xi)) * denom - num * kappa * (1 - 2 * xi))) / den2;
    const dyS = (H * (xi * xi * denom - num * (1 - 2 * t))) / den2;
    const dyD0 = (H * t * (denom - num)) / den2;
    const dyD1 = (-H * num * t) / den2;
    const dlXi = (2 * d1 * xi + 2 * s * (1 - 2 * xi) - 2 * d0 * (1 - xi)) / nn - (2 * kappa * (1 - 2 * xi)) / denom;
    const dlS = 2 / s + (2 * t) / nn - (2 * (1 - 2 * t)) / denom;
    const dlD0 = ((1 - xi) * (1 - xi)) / nn - (2 * t) / denom;
    const dlD1 = (xi * xi) / nn - (2 * t) / denom;
    const gXi = a * dyXi + b * dlXi;
    const gS = a * dyS + b * dlS;
    const gD0 = a * dyD0 + b * dlD0;
    const gD1 = a * dyD1 + b * dlD1;
    // ξ = (x − X_k)/W, s = H/W.
    gx[n] = gXi / W;
    const gXk = -gXi / W;
    const gW = (-gXi * xi - gS * s) / W;
    const gH = (a * num) / denom + gS / W;
    // X_k = −B + 2B Σ_{i<k} p_i, W = 2B p_k (same for Y_k = ..., H with q; ∂y/∂Y_k = 1).
    // Softmax backward: ∂/∂logit_i = p_i (g_i − Σ_j p_j g_j), then the soft clip.
    let sp = 0;
    let sq = 0;
    for (let i = 0; i < k; i++) {
      sp += p[o + i];
      sq += q[o + i];
    }
    // Σ_j p_j g_j with g_j = 2B gXk (j < k), 2B gW (j = k), 0 (j > k).
    const dotP = 2 * B * (gXk * sp + gW * p[o + k]);
    const dotQ = 2 * B * (a * sq + gH * q[o + k]);
    for (let i = 0; i < K; i++) {
      const gpi = i < k ? 2 * B * gXk : i === k ? 2 * B * gW : 0;
      const gqi = i < k ? 2 * B * a : i === k ? 2 * B * gH : 0;
      gu[off + i] = ls * p[o + i] * (gpi - dotP) * softclipGrad(ls * u[off + i], beta);
      gu[off + K + i] = ls * q[o + i] * (gqi - dotQ) * softclipGrad(ls * u[off + K + i], beta);
    }
    // Inner derivatives D_j = exp(softclip(c_{j−1})), j = 1..K−1.
    for (let j = 0; j < K - 1; j++) gu[off + 2 * K + j] = 0;
    if (k >= 1) gu[off + 2 * K + k - 1] = gD0 * d0 * softclipGrad(u[off + 2 * K + k - 1], 1 / L);
    if (k + 1 <= K - 1) gu[off + 2 * K + k] = gD1 * d1 * softclipGrad(u[off + 2 * K + k], 1 / L);
  }
}

/** {@link splineBackwardCached} without a cache (recomputes the forward pass). */
export function splineBackward(x: Arr, u: Arr, gy: Arr, gl: Arr, sh: SplineShape, gx: Out, gu: Out): void {
  const N = x.length;
  const c = new SplineCache(N, sh.bins);
  splineForward(x, u, sh, new Float64Array(N), new Float64Array(N), c);
  splineBackwardCached(u, gy, gl, sh, c, gx, gu);
}

/** Knots of one row (for the inverse): X_0..X_K, Y_0..Y_K (the knot derivatives are computed for the bin found only). */
class Knots {
  readonly xk: Float64Array;
  readonly yk: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  constructor(readonly K: number) {
    this.xk = new Float64Array(K + 1);
    this.yk = new Float64Array(K + 1);
    this.p = new Float64Array(K);
    this.q = new Float64Array(K);
  }
}

function computeKnots(u: Arr, row: number, sh: SplineShape, kn: Knots): void {
  const K = sh.bins;
  const B = sh.bound;
  const L = Math.abs(Math.log(sh.minSlope));
  const off = row * (3 * K - 1);
  const ls = sh.logitScale ?? 1;
  softmaxClipped(u, off, K, 2 / L, kn.p, 0, ls);
  softmaxClipped(u, off + K, K, 2 / L, kn.q, 0, ls);
  let cx = 0;
  let cy = 0;
  kn.xk[0] = -B;
  kn.yk[0] = -B;
  for (let j = 0; j < K; j++) {
    cx += kn.p[j];
    cy += kn.q[j];
    kn.xk[j + 1] = -B + 2 * B * cx;
    kn.yk[j + 1] = -B + 2 * B * cy;
  }
}

/** Knot derivative D_j of a row: 1 at the boundary knots (j = 0, K), exp(softclip(c_{j−1})) inside. */
function knotSlope(u: Arr, row: number, sh: SplineShape, j: number): number {
  const K = sh.bins;
  if (j === 0 || j === K) return 1;
  const L = Math.abs(Math.log(sh.minSlope));
  return Math.exp(softclip(u[row * (3 * K - 1) + 2 * K + j - 1], 1 / L));
}

/** Index k of the bin with knots[k] ≤ v < knots[k+1] (v inside [−B, B)). */
function findBin(knots: Float64Array, K: number, v: number): number {
  let k = 0;
  while (k < K - 1 && v >= knots[k + 1]) k++;
  return k;
}

/**
 * Inverse map x = f⁻¹(y) (closed-form root of the quadratic, Durkan et al. 2019 eqs. 6–8) and
 * log f'(x) (the forward log-derivative at the solution; the inverse's is its negative).
 */
export function splineInverse(y: Arr, u: Arr, sh: SplineShape, x: Out, logdet?: Out): void {
  const kn = new Knots(sh.bins);
  for (let n = 0; n < y.length; n++) invertAt(y, u, n, sh, kn, x, logdet, n, false);
}

/**
 * {@link splineInverse} of one column d of a row-major [rows, D] layout (y, x and logdet; other
 * columns are left as they are), with u holding that column's parameters only: [rows, 3K − 1], or
 * one row [1, 3K − 1] shared by all rows (`shared`). What the flow's autoregressive inversion
 * needs: one feature per pass.
 */
export function splineInverseColumn(y: Arr, u: Arr, sh: SplineShape, x: Out, logdet: Out | undefined, d: number, D: number, shared = false): void {
  const kn = new Knots(sh.bins);
  const rows = y.length / D;
  if (shared) computeKnots(u, 0, sh, kn);
  for (let r = 0; r < rows; r++) invertAt(y, u, shared ? 0 : r, sh, kn, x, logdet, r * D + d, shared);
}

/**
 * x[i] = f⁻¹(y[i]) with the parameters in row uRow of u, and logdet[i] = log f′(x[i]); `knotsReady`:
 * kn already holds that row's knots.
 */
function invertAt(y: Arr, u: Arr, uRow: number, sh: SplineShape, kn: Knots, x: Out, logdet: Out | undefined, i: number, knotsReady: boolean): void {
  const K = sh.bins;
  const B = sh.bound;
  const yv = y[i];
  if (!(yv >= -B && yv < B)) {
    x[i] = yv;
    if (logdet) logdet[i] = 0;
    return;
  }
  if (!knotsReady) computeKnots(u, uRow, sh, kn);
  const k = findBin(kn.yk, K, yv);
  const W = 2 * B * kn.p[k];
  const H = 2 * B * kn.q[k];
  const s = H / W;
  const d0 = knotSlope(u, uRow, sh, k);
  const d1 = knotSlope(u, uRow, sh, k + 1);
  const kappa = d0 + d1 - 2 * s;
  const dy = yv - kn.yk[k];
  const qa = H * (s - d0) + dy * kappa;
  const qb = H * d0 - dy * kappa;
  const qc = -s * dy;
  const disc = Math.max(qb * qb - 4 * qa * qc, 0);
  let xi = (2 * qc) / (-qb - Math.sqrt(disc));
  if (!Number.isFinite(xi)) xi = 0;
  xi = xi < 0 ? 0 : xi > 1 ? 1 : xi;
  x[i] = kn.xk[k] + xi * W;
  if (logdet) {
    const t = xi * (1 - xi);
    const denom = s + kappa * t;
    const nn = d1 * xi * xi + 2 * s * t + d0 * (1 - xi) * (1 - xi);
    logdet[i] = 2 * Math.log(s) + Math.log(nn) - 2 * Math.log(denom);
  }
}

/**
 * The float32 values of a tensor without a copy where the backend allows it: on wasm, a view of
 * the WebAssembly heap (valid until the next allocation, so read it before creating tensors);
 * elsewhere dataSync(). Saves a copy and garbage per call in the hot loop.
 */
export function tensorValues(tf: Tf, t: tfType.Tensor): Float32Array {
  const b = tf.backend() as unknown as { typedArrayFromHeap?: (t: tfType.Tensor) => Float32Array };
  if (tf.getBackend() === 'wasm' && typeof b.typedArrayFromHeap === 'function') return b.typedArrayFromHeap(t);
  return t.dataSync() as Float32Array;
}

/**
 * The spline as one differentiable TensorFlow.js op over a whole batch and all θ features:
 * (x [B, D], u [B, D·(3K−1)]) → [B, 2D] whose row b is (f(x_b1..x_bD), log f′(x_b1..x_bD)); the
 * parameters of feature d are columns d·(3K−1) … (d+1)·(3K−1)−1 of u. Forward and backward run the
 * loops above on the tensors' values (tf.customGrad), so the spline is one op each way.
 */
export function makeSplineOp(tf: Tf, sh: SplineShape): (x: tfType.Tensor2D, u: tfType.Tensor2D) => tfType.Tensor2D {
  const op = tf.customGrad(((x: tfType.Tensor2D, u: tfType.Tensor2D, save: tfType.GradSaveFunc) => {
    save([x, u]);
    const [B, D] = x.shape;
    const xv = tensorValues(tf, x);
    const uv = tensorValues(tf, u);
    const N = B * D;
    const y = new Float32Array(N);
    const ld = new Float32Array(N);
    const cache = new SplineCache(N, sh.bins);
    splineForward(xv, uv, sh, y, ld, cache);
    const out = new Float32Array(2 * N);
    for (let b = 0; b < B; b++) {
      for (let d = 0; d < D; d++) {
        out[b * 2 * D + d] = y[b * D + d];
        out[b * 2 * D + D + d] = ld[b * D + d];
      }
    }
    return {
      value: tf.tensor2d(out, [B, 2 * D]),
      gradFunc: (dy: tfType.Tensor, saved: tfType.Tensor[]) => {
        const us = saved[1];
        const uv2 = tensorValues(tf, us);
        const g = tensorValues(tf, dy);
        const gy = new Float32Array(N);
        const gl = new Float32Array(N);
        for (let b = 0; b < B; b++) {
          for (let d = 0; d < D; d++) {
            gy[b * D + d] = g[b * 2 * D + d];
            gl[b * D + d] = g[b * 2 * D + D + d];
          }
        }
        const gx = new Float32Array(N);
        const gu = new Float32Array(uv2.length);
        splineBackwardCached(uv2, gy, gl, sh, cache, gx, gu);
        return [tf.tensor2d(gx, [B, D]), tf.tensor2d(gu, us.shape as [number, number])];
      },
    };
  }) as never);
  return op as unknown as (x: tfType.Tensor2D, u: tfType.Tensor2D) => tfType.Tensor2D;
}
