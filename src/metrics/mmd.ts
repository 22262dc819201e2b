/**
 * Squared maximum mean discrepancy (Gretton et al. 2012) as computed by the SBI benchmark (sbibm,
 * Lueckmann et al. 2021): Gaussian kernel k(a, b) = exp(−‖a − b‖² / (2s²)) with bandwidth s = the
 * median of the pairwise distances within X (the reference; the lower median for an even count, as
 * torch.median), and the unbiased estimator
 *   MMD² = Σ_{i≠j} k(x_i, x_j) / (m(m−1)) + Σ_{i≠j} k(y_i, y_j) / (n(n−1)) − 2 Σ_{i,j} k(x_i, y_j) / (mn).
 * It can be negative when the sets are alike. A zero bandwidth (all reference samples identical)
 * gives NaN.
 *
 * Memory: nothing is n². The exact median of the m(m−1)/2 distances is found by histogram
 * refinement over repeated passes (each pass narrows the bin that holds the median rank), then a
 * small candidate set is sorted; kernel sums are accumulated row by row.
 */

export interface MmdResult {
  mmd2: number;
  /** Kernel bandwidth s. */
  bandwidth: number;
}

/** Squared distance between row i of a and row j of b (both with d columns). */
function sqDist(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let s = 0;
  const oa = i * d;
  const ob = j * d;
  for (let k = 0; k < d; k++) {
    const t = a[oa + k] - b[ob + k];
    s += t * t;
  }
  return s;
}

/** Below this many pairs the median is found by sorting them all. */
const DIRECT_PAIRS = 1 << 21;
const BINS = 1 << 16;

/**
 * The k-th smallest (0-based) squared pairwise distance within X (pairs i < j), exactly, without
 * storing all pairs when there are many.
 */
export function kthPairwiseSqDistance(X: Float64Array, d: number, k: number, directLimit = DIRECT_PAIRS): number {
  const n = X.length / d;
  const M = (n * (n - 1)) / 2;
  if (!(Number.isInteger(k) && k >= 0 && k < M)) throw new RangeError(`rank ${k} outside the ${M} pairwise distances`);
  if (M <= directLimit) {
    const all = new Float64Array(M);
    let q = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) all[q++] = sqDist(X, i, X, j, d);
    all.sort();
    return all[k];
  }
  // Nested bins: level L maps v to clamp(floor((v − lo_L)·scale_L), 0, BINS−1); the map is monotone
  // in v, so bins are ordered groups and the chain of chosen bins pins the k-th value down exactly.
  const los: number[] = [];
  const scales: number[] = [];
  const chosen: number[] = [];
  const binOf = (v: number, L: number): number => {
    const b = Math.floor((v - los[L]) * scales[L]);
    return b < 0 ? 0 : b >= BINS ? BINS - 1 : b;
  };
  /** Whether v falls in the chosen bin at every level before `upto`. */
  const inChain = (v: number, upto: number): boolean => {
    for (let L = 0; L < upto; L++) if (binOf(v, L) !== chosen[L]) return false;
    return true;
  };
  let vmax = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) vmax = Math.max(vmax, sqDist(X, i, X, j, d));
  let lo = 0;
  let hi = vmax;
  let rank = k; // rank of the target within the current candidate set
  let count = M;
  const hist = new Float64Array(BINS);
  for (let level = 0; level < 8 && count > directLimit && hi > lo; level++) {
    los.push(lo);
    scales.push(BINS / (hi - lo));
    hist.fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const v = sqDist(X, i, X, j, d);
        if (inChain(v, level)) hist[binOf(v, level)]++;
      }
    }
    let b = 0;
    while (rank >= hist[b]) rank -= hist[b++];
    chosen.push(b);
    count = hist[b];
    const width = (hi - lo) / BINS;
    hi = lo + (b + 1) * width;
    lo = lo + b * width;
  }
  // Collect the (few) candidates of the final chain and select.
  const levels = chosen.length;
  const cand = new Float64Array(count);
  let q = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = sqDist(X, i, X, j, d);
      if (inChain(v, levels)) cand[q++] = v;
    }
  }
  cand.sort();
  return cand[rank];
}

/** Median of the pairwise distances within X (lower median for an even count, as torch.median). */
export function medianPairwiseDistance(X: Float64Array, d: number, directLimit = DIRECT_PAIRS): number {
  const n = X.length / d;
  const M = (n * (n - 1)) / 2;
  return Math.sqrt(kthPairwiseSqDistance(X, d, Math.floor((M - 1) / 2), directLimit));
}

/** Σ_{i<j} k(a_i, a_j) within one set. */
function withinSum(a: Float64Array, d: number, gamma: number): number {
  const n = a.length / d;
  let total = 0;
  for (let i = 0; i < n; i++) {
    let row = 0;
    for (let j = i + 1; j < n; j++) row += Math.exp(-gamma * sqDist(a, i, a, j, d));
    total += row;
  }
  return total;
}

/** Σ_{i,j} k(a_i, b_j) across sets. */
function crossSum(a: Float64Array, b: Float64Array, d: number, gamma: number): number {
  const na = a.length / d;
  const nb = b.length / d;
  let total = 0;
  for (let i = 0; i < na; i++) {
    let row = 0;
    for (let j = 0; j < nb; j++) row += Math.exp(-gamma * sqDist(a, i, b, j, d));
    total += row;
  }
  return total;
}

/**
 * Unbiased squared MMD between X (the reference, m × d) and Y (n × d), row-major, with the Gaussian
 * kernel; the bandwidth defaults to the median pairwise distance within X.
 */
export function mmdDetailed(X: Float64Array, Y: Float64Array, d: number, bandwidth?: number): MmdResult {
  if (!(Number.isInteger(d) && d >= 1) || X.length % d !== 0 || Y.length % d !== 0) throw new RangeError('mmd: sample arrays do not match the dimension');
  const m = X.length / d;
  const n = Y.length / d;
  if (m < 2 || n < 2) throw new RangeError(`mmd needs at least 2 samples in each set, got ${m} and ${n}`);
  const s = bandwidth ?? medianPairwiseDistance(X, d);
  if (!(s > 0)) return { mmd2: NaN, bandwidth: s };
  const gamma = 1 / (2 * s * s);
  const kxx = (2 * withinSum(X, d, gamma)) / (m * (m - 1));
  const kyy = (2 * withinSum(Y, d, gamma)) / (n * (n - 1));
  const kxy = crossSum(X, Y, d, gamma) / (m * n);
  return { mmd2: kxx + kyy - 2 * kxy, bandwidth: s };
}

/** Unbiased squared MMD; see {@link mmdDetailed}. */
export function mmd(X: Float64Array, Y: Float64Array, d: number, bandwidth?: number): number {
  return mmdDetailed(X, Y, d, bandwidth).mmd2;
}
