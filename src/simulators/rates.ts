/**
 * Hodgkin–Huxley gate rate functions (Hodgkin & Huxley 1952, in the shifted-voltage convention of
 * hh-model.md, "Rate functions"): u = V − V_rest in mV, rates per ms.
 *
 * Numerically safe for every finite u: the x/(exp(x/y) − 1) forms are evaluated through expm1 and
 * switch to their series y(1 − x/(2y)) at the removable singularity x = 0, and exponent arguments
 * are clamped so exp never overflows to Infinity (the rates then saturate instead of becoming NaN).
 */

/** Largest exponent passed to Math.exp (e^700 ≈ 1e304 is still finite). */
const MAX_EXP = 700;

/** exp(z) with z clamped to ≤ 700: never Infinity. */
function safeExp(z: number): number {
  return Math.exp(z < MAX_EXP ? z : MAX_EXP);
}

/**
 * x / (exp(x/y) − 1) for y > 0, stable everywhere: the series y(1 − x/(2y)) near x = 0
 * (error below 1e-17 relative for |x/y| < 1e-8), the e^(−z) form for large positive z (no overflow).
 */
export function expRatio(x: number, y: number): number {
  const z = x / y;
  if (z > 1e-8) {
    // x e^{−z} / (1 − e^{−z}): e^{−z} underflows to 0 gracefully for huge z.
    const e = Math.exp(-z);
    return (x * e) / -Math.expm1(-z);
  }
  if (z < -1e-8) {
    // expm1(z) ∈ (−1, 0): no cancellation, no overflow.
    return x / Math.expm1(z);
  }
  return y * (1 - z / 2);
}

/** α_m(u) = 0.1 (25 − u) / (exp((25 − u)/10) − 1); the limit at u = 25 is 1. */
export function alphaM(u: number): number {
  return 0.1 * expRatio(25 - u, 10);
}

/** β_m(u) = 4 exp(−u/18). */
export function betaM(u: number): number {
  return 4 * safeExp(-u / 18);
}

/** α_h(u) = 0.07 exp(−u/20). */
export function alphaH(u: number): number {
  return 0.07 * safeExp(-u / 20);
}

/** β_h(u) = 1 / (exp((30 − u)/10) + 1). */
export function betaH(u: number): number {
  return 1 / (safeExp((30 - u) / 10) + 1);
}

/** α_n(u) = 0.01 (10 − u) / (exp((10 − u)/10) − 1); the limit at u = 10 is 0.1. */
export function alphaN(u: number): number {
  return 0.01 * expRatio(10 - u, 10);
}

/** β_n(u) = 0.125 exp(−u/80). */
export function betaN(u: number): number {
  return 0.125 * safeExp(-u / 80);
}

/** Steady-state open probability of the m gate, α_m/(α_m + β_m). */
export function mInf(u: number): number {
  const a = alphaM(u);
  return a / (a + betaM(u));
}

/** Steady-state open probability of the h gate. */
export function hInf(u: number): number {
  const a = alphaH(u);
  return a / (a + betaH(u));
}

/** Steady-state open probability of the n gate. */
export function nInf(u: number): number {
  const a = alphaN(u);
  return a / (a + betaN(u));
}

/** Index of each rate in the array filled by {@link allRates}. */
export const RATE = { am: 0, bm: 1, ah: 2, bh: 3, an: 4, bn: 5 } as const;

/**
 * Fills out[0..5] with (α_m, β_m, α_h, β_h, α_n, β_n) at u; for the once-per-step evaluation in the
 * simulators. Bit for bit the values of alphaM … betaN (the same operations in the same order), but
 * written out in one function: V8 does not always inline the small helpers, and a helper that is not
 * inlined returns its double boxed (a heap allocation per rate per step, ~5 % of LF time in GC).
 */
export function allRates(u: number, out: Float64Array): Float64Array {
  // α_m = 0.1 · expRatio(25 − u, 10).
  let x = 25 - u;
  let z = x / 10;
  out[0] = 0.1 * (z > 1e-8 ? (x * Math.exp(-z)) / -Math.expm1(-z) : z < -1e-8 ? x / Math.expm1(z) : 10 * (1 - z / 2));
  // β_m = 4 · safeExp(−u/18).
  z = -u / 18;
  out[1] = 4 * Math.exp(z < MAX_EXP ? z : MAX_EXP);
  // α_h = 0.07 · safeExp(−u/20).
  z = -u / 20;
  out[2] = 0.07 * Math.exp(z < MAX_EXP ? z : MAX_EXP);
  // β_h = 1 / (safeExp((30 − u)/10) + 1).
  z = (30 - u) / 10;
  out[3] = 1 / (Math.exp(z < MAX_EXP ? z : MAX_EXP) + 1);
  // α_n = 0.01 · expRatio(10 − u, 10).
  x = 10 - u;
  z = x / 10;
  out[4] = 0.01 * (z > 1e-8 ? (x * Math.exp(-z)) / -Math.expm1(-z) : z < -1e-8 ? x / Math.expm1(z) : 10 * (1 - z / 2));
  // β_n = 0.125 · safeExp(−u/80).
  z = -u / 80;
  out[5] = 0.125 * Math.exp(z < MAX_EXP ? z : MAX_EXP);
  return out;
}
