/**
 * Order statistics on arrays of numbers: the median and linearly interpolated quantiles. Pure
 * functions on anything array-like (plain arrays, typed arrays); the input is never modified.
 * Ground floor: no project imports.
 */

/** Ascending copy of `values` (NaN last). */
function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Median of `values`: the middle value of the sorted values, or the mean of the two middle ones for
 * an even count; NaN when empty.
 */
export function median(values: ArrayLike<number>): number {
  const s = sortedCopy(values);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Quantile q ∈ [0, 1] of already sorted (ascending) values, interpolated linearly between the two
 * nearest ranks at position q·(n − 1) (NumPy's default, Hyndman & Fan 1996 type 7); NaN when empty.
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const i = Math.floor(pos);
  return i + 1 < n ? sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** Quantile q ∈ [0, 1] of `values` (any order), as {@link quantileSorted}. */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(sortedCopy(values), q);
}
