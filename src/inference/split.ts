/**
 * The random validation split of sbi's training loop: a seeded permutation puts the first
 * ⌊fraction · n⌋ pairs (at least 1) in the validation set and the rest in the training set.
 */
import { Rng, STREAM_OFFSET } from '../random.js';

/** Flow-coordinate rows (float32) of the training and validation sets. */
export interface SplitData {
  trainZ: Float32Array;
  trainC: Float32Array;
  valZ: Float32Array;
  valC: Float32Array;
  nTrain: number;
  nVal: number;
}

/** Number of validation pairs for n pairs and a validation fraction. */
export function validationSize(n: number, fraction: number): number {
  return Math.max(1, Math.floor(fraction * n));
}

/** The split stream's permutation of n rows (seed's stream aux + 1): its first `validationSize` rows are the validation set. */
function splitOrder(n: number, seed: number): ArrayLike<number> {
  return new Rng(seed, STREAM_OFFSET.aux + 1).permutation(n);
}

/** Rows `order[from..to)` of `src` (rows of `dim` values), in that order. */
function pickRows(src: Float32Array, order: ArrayLike<number>, from: number, to: number, dim: number): Float32Array {
  const out = new Float32Array((to - from) * dim);
  for (let i = from; i < to; i++) out.set(src.subarray(order[i] * dim, order[i] * dim + dim), (i - from) * dim);
  return out;
}

/** Splits rows z (n × D) and c (n × C) with the seed's split stream (aux + 1). */
export function validationSplit(z: Float32Array, c: Float32Array, D: number, C: number, fraction: number, seed: number): SplitData {
  const n = z.length / D;
  const nVal = validationSize(n, fraction);
  const perm = splitOrder(n, seed);
  return {
    valZ: pickRows(z, perm, 0, nVal, D),
    valC: pickRows(c, perm, 0, nVal, C),
    trainZ: pickRows(z, perm, nVal, n, D),
    trainC: pickRows(c, perm, nVal, n, C),
    nTrain: n - nVal,
    nVal,
  };
}

/** The validation rows of other columns c (n × C) under the same split as {@link validationSplit}. */
export function validationRows(c: Float32Array, C: number, fraction: number, seed: number): Float32Array {
  const n = c.length / C;
  return pickRows(c, splitOrder(n, seed), 0, validationSize(n, fraction), C);
}
