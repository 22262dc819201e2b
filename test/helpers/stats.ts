/**
 * Small statistics helpers for the simulator tests: two-sample Kolmogorov–Smirnov test, medians and a
 * bootstrap standard error of the median.
 */
import { median } from '../../src/numeric.js';
import type { Rng } from '../../src/random.js';

export { median };

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Sample standard deviation (ddof 1). */
export function sd(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
}

/** Kolmogorov's limiting survival function Q(λ) = 2 Σ (−1)^{k−1} e^{−2k²λ²}. */
function kolmogorovQ(lambda: number): number {
  if (lambda < 0.2) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

/**
 * Two-sample KS test: D = sup |F_a − F_b| (ties handled by stepping over equal values together) and
 * its asymptotic p-value with Stephens' small-sample correction (λ = (√n_e + 0.12 + 0.11/√n_e) D).
 * Conservative for discrete data (spike counts), which is the safe direction for a no-flake test.
 */
export function ksTwoSample(a: ArrayLike<number>, b: ArrayLike<number>): { d: number; p: number } {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  const n = x.length;
  const m = y.length;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n && j < m) {
    const v = Math.min(x[i], y[j]);
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  const ne = Math.sqrt((n * m) / (n + m));
  return { d, p: kolmogorovQ((ne + 0.12 + 0.11 / ne) * d) };
}

/** Bootstrap standard error of the median (B resamples). */
export function bootstrapMedianSE(a: ArrayLike<number>, rng: Rng, B = 500): number {
  const n = a.length;
  const buf = new Float64Array(n);
  const meds = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) buf[i] = a[rng.int(n)];
    meds[b] = median(buf);
  }
  return sd(meds);
}
