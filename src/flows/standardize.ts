/**
 * Per-column z-scoring (sbi's "independent" z-score): v ↦ (v − mean)/std with the training set's
 * mean and (unbiased) standard deviation.
 *
 * Constant columns: a floor on the std (sbi uses a tiny one) turns any later deviation δ from the
 * constant into δ/floor — 10⁷·δ for a floor of 10⁻⁷ — which saturates the network. Columns whose
 * std is below `minStd` (default 10⁻⁷, relative to max(1, |mean|)) are therefore only centered
 * (std := 1): they carry no information in the training set, so their scale cannot be learned.
 */
export interface Standardizer {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

export const MIN_STD = 1e-7;

/** Fits mean/std per column of a row-major n × dim matrix; non-finite values are skipped. */
export function fitStandardizer(data: ArrayLike<number>, dim: number, minStd = MIN_STD): Standardizer {
  const n = data.length / dim;
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  const count = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j];
      if (Number.isFinite(v)) {
        mean[j] += v;
        count[j]++;
      }
    }
  }
  for (let j = 0; j < dim; j++) mean[j] = count[j] > 0 ? mean[j] / count[j] : 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) {
      const v = data[i * dim + j];
      if (Number.isFinite(v)) std[j] += (v - mean[j]) ** 2;
    }
  }
  for (let j = 0; j < dim; j++) {
    const sd = count[j] > 1 ? Math.sqrt(std[j] / (count[j] - 1)) : 0;
    std[j] = sd < minStd * Math.max(1, Math.abs(mean[j])) ? 1 : sd;
  }
  return { mean, std };
}

/** The identity standardizer (mean 0, std 1). */
export function identityStandardizer(dim: number): Standardizer {
  return { mean: new Float64Array(dim), std: new Float64Array(dim).fill(1) };
}

/** (v − mean)/std, row-major, into a new Float32Array (the flow's input precision). */
export function standardize(s: Standardizer, data: ArrayLike<number>): Float32Array {
  const dim = s.mean.length;
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const j = i % dim;
    out[i] = (data[i] - s.mean[j]) / s.std[j];
  }
  return out;
}

/** mean + std·v, row-major. */
export function unstandardize(s: Standardizer, data: ArrayLike<number>): Float64Array {
  const dim = s.mean.length;
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const j = i % dim;
    out[i] = s.mean[j] + s.std[j] * data[i];
  }
  return out;
}

/** log |det ∂(standardized)/∂v| = −Σ log std (the same for every row). */
export function standardizeLogDet(s: Standardizer): number {
  let a = 0;
  for (let j = 0; j < s.std.length; j++) a -= Math.log(s.std[j]);
  return a;
}
