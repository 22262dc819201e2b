/**
 * Fixed-edge histograms for figures: counts of values in nBins equal bins over [lo, hi], as
 * densities (count / (n · width)) so samples of different sizes and a prior density share an axis.
 * Values outside [lo, hi] and non-finite values are counted apart (`outside`), never dropped silently.
 */
import { quantileSorted } from '../numeric.js';

export interface HistogramBin {
  /** Left and right edge of the bin. */
  lo: number;
  hi: number;
  count: number;
  /** count / (n · width), n = all finite values including those outside [lo, hi]. */
  density: number;
}

export interface Histogram {
  bins: HistogramBin[];
  /** Number of finite values outside [lo, hi]. */
  outside: number;
  /** Number of non-finite values. */
  nonFinite: number;
}

/** Histogram of `values` (read with stride `stride` from `offset`) over [lo, hi] in nBins bins. */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, nBins: number, stride = 1, offset = 0): Histogram {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new Error(`histogram: bad range [${lo}, ${hi}]`);
  if (!Number.isInteger(nBins) || nBins < 1) throw new Error(`histogram: bad bin count ${nBins}`);
  const counts = new Float64Array(nBins);
  const width = (hi - lo) / nBins;
  let n = 0;
  let outside = 0;
  let nonFinite = 0;
  for (let i = offset; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    n++;
    if (v < lo || v > hi) {
      outside++;
      continue;
    }
    // The right edge belongs to the last bin.
    counts[Math.min(nBins - 1, Math.floor((v - lo) / width))]++;
  }
  const bins: HistogramBin[] = [];
  for (let b = 0; b < nBins; b++) {
    bins.push({ lo: lo + b * width, hi: lo + (b + 1) * width, count: counts[b], density: n > 0 ? counts[b] / (n * width) : 0 });
  }
  return { bins, outside, nonFinite };
}

/** Finite minimum and maximum of strided values (NaN, NaN when none). */
export function finiteRange(values: ArrayLike<number>, stride = 1, offset = 0): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = offset; i < values.length; i += stride) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : [NaN, NaN];
}

/** Quantile q ∈ [0, 1] (linear interpolation) of strided finite values. */
export function quantile(values: ArrayLike<number>, q: number, stride = 1, offset = 0): number {
  const xs: number[] = [];
  for (let i = offset; i < values.length; i += stride) if (Number.isFinite(values[i])) xs.push(values[i]);
  return quantileSorted(
    xs.sort((a, b) => a - b),
    q,
  );
}
