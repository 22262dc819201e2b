/**
 * Small statistics helpers for the metrics: summary statistics, the normal and Student-t
 * distributions (for confidence intervals) and the Kolmogorov–Smirnov test (for SBC).
 * Pure functions on numbers and typed arrays.
 */

/** Arithmetic mean. */
export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}

/** Sample variance (n − 1 denominator); NaN for fewer than two values. */
export function variance(a: ArrayLike<number>): number {
  const n = a.length;
  if (n < 2) return NaN;
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i] - m) * (a[i] - m);
  return s / (n - 1);
}

/** Sample standard deviation (n − 1 denominator). */
export function std(a: ArrayLike<number>): number {
  return Math.sqrt(variance(a));
}

/** Error function, |error| < 1.2·10⁻⁷ (Numerical Recipes' erfc Chebyshev fit, rewritten). */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = 1 - t * Math.exp(poly);
  return x >= 0 ? r : -r;
}

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return 0.5 * (1 + erf(x / Math.SQRT2));
}

/** Standard normal quantile Φ⁻¹(p) (Acklam's rational approximation, relative error < 1.2·10⁻⁹). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return NaN;
  }
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const dd = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((dd[0] * q + dd[1]) * q + dd[2]) * q + dd[3]) * q + 1);
  }
  if (p > 1 - pLow) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** log Γ(x) for x > 0 (Lanczos, g = 7, 9 terms). */
export function logGamma(x: number): number {
  const g = 7;
  const coef = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const xx = x - 1;
  let s = coef[0];
  for (let i = 1; i < g + 2; i++) s += coef[i] / (xx + i);
  const t = xx + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Continued fraction of the regularized incomplete beta function (modified Lentz). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(lnFront) * betaContinuedFraction(a, b, x)) / a;
  return 1 - (Math.exp(lnFront) * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** Student-t CDF with ν degrees of freedom. */
export function studentTCdf(t: number, nu: number): number {
  const x = nu / (nu + t * t);
  const tail = 0.5 * incompleteBeta(x, nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Student-t quantile (bisection on the CDF; ν = ∞ gives the normal quantile). */
export function studentTQuantile(p: number, nu: number): number {
  if (!Number.isFinite(nu)) return normalQuantile(p);
  if (!(p > 0 && p < 1)) return p === 0 ? -Infinity : p === 1 ? Infinity : NaN;
  if (p < 0.5) return -studentTQuantile(1 - p, nu);
  let lo = 0;
  let hi = 1;
  while (studentTCdf(hi, nu) < p) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, nu) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

/** A sample mean with its standard error and 95 % Student-t confidence interval. */
export interface MeanCI {
  mean: number;
  /** Standard error of the mean. */
  sem: number;
  lower: number;
  upper: number;
  n: number;
  level: number;
}

/** Mean with a two-sided Student-t confidence interval (default 95 %). */
export function meanConfidenceInterval(a: ArrayLike<number>, level = 0.95): MeanCI {
  const n = a.length;
  const m = mean(a);
  const sem = n > 1 ? std(a) / Math.sqrt(n) : NaN;
  const q = n > 1 ? studentTQuantile(0.5 + level / 2, n - 1) : NaN;
  return { mean: m, sem, lower: m - q * sem, upper: m + q * sem, n, level };
}

/**
 * Kolmogorov distribution survival function Q(λ) = 2 Σ_{j≥1} (−1)^{j−1} e^{−2 j² λ²}, the
 * asymptotic P(√n·D > λ).
 */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 0.2) return 1; // the series converges slowly there; Q(0.2) = 1 − 10⁻²⁵-ish
  let s = 0;
  for (let j = 1; j <= 100; j++) {
    const term = Math.exp(-2 * j * j * lambda * lambda);
    s += (j % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-16) break;
  }
  return Math.min(1, Math.max(0, 2 * s));
}

/** A Kolmogorov–Smirnov test: the statistic D and its p-value. */
export interface KsResult {
  /** The KS statistic D = sup |F_n − F|. */
  statistic: number;
  /** Asymptotic p-value with Stephens' small-sample correction (conservative for discrete nulls). */
  pValue: number;
}

/** p-value of a KS statistic D from n observations. */
export function ksPValue(D: number, n: number): number {
  const sn = Math.sqrt(n);
  return kolmogorovSurvival((sn + 0.12 + 0.11 / sn) * D);
}

/** One-sample KS test of values against a continuous CDF. */
export function ksTest(values: ArrayLike<number>, cdf: (x: number) => number): KsResult {
  const x = Float64Array.from(values).sort();
  const n = x.length;
  let D = 0;
  for (let i = 0; i < n; i++) {
    const F = cdf(x[i]);
    D = Math.max(D, (i + 1) / n - F, F - i / n);
  }
  return { statistic: D, pValue: ksPValue(D, n) };
}

/**
 * KS test of integer ranks against the discrete uniform distribution on {0, …, L}:
 * D = max_k |F_n(k) − (k + 1)/(L + 1)| over the support (where a step-function sup is attained).
 */
export function ksUniformRanks(ranks: ArrayLike<number>, L: number): KsResult {
  const n = ranks.length;
  const counts = new Float64Array(L + 1);
  for (let i = 0; i < n; i++) {
    const r = ranks[i];
    if (!(Number.isInteger(r) && r >= 0 && r <= L)) throw new RangeError(`rank ${r} outside {0..${L}}`);
    counts[r]++;
  }
  let cum = 0;
  let D = 0;
  for (let k = 0; k <= L; k++) {
    cum += counts[k];
    D = Math.max(D, Math.abs(cum / n - (k + 1) / (L + 1)));
  }
  return { statistic: D, pValue: ksPValue(D, n) };
}
