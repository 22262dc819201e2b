/**
 * Loading the two sample sets that the two-sample metrics (C2ST, MMD) compare: CSV files with one
 * header row and the same number of numeric columns. Problems are one-line InputErrors.
 */

import { readCsv } from '../data/csv.js';
import { InputError } from '../errors.js';

export interface SamplePair {
  a: Float64Array;
  b: Float64Array;
  dim: number;
  nA: number;
  nB: number;
}

/** Reads A and B; both need ≥ `minRows` rows and the same column count. */
export function readSamplePair(pathA: string, pathB: string, minRows = 1): SamplePair {
  const A = readCsv(pathA);
  const B = readCsv(pathB);
  if (A.columns.length !== B.columns.length) {
    throw new InputError(`${pathA} has ${A.columns.length} columns but ${pathB} has ${B.columns.length}: the sample sets must have the same dimension`);
  }
  for (const [t, p] of [
    [A, pathA],
    [B, pathB],
  ] as const) {
    if (t.nRows < minRows) throw new InputError(`${p} has ${t.nRows} data row(s); need at least ${minRows}`);
  }
  return { a: A.data, b: B.data, dim: A.columns.length, nA: A.nRows, nB: B.nRows };
}
