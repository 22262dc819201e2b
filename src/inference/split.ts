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

/** Splits rows z (n × D) and c (n × C) with the seed's split stream (aux + 1). */
export function validationSplit(z: Float32Array, c: Float32Array, D: number, C: number, fraction: number, seed: number): SplitData {
  const n = z.length / D;
  const nVal = validationSize(n, fraction);
  const perm = new Rng(seed, STREAM_OFFSET.aux + 1).permutation(n);
  const pick = (from: number, to: number, src: Float32Array, dim: number) => {
    const out = new Float32Array((to - from) * dim);
    for (let i = from; i < to; i++) out.set(src.subarray(perm[i] * dim, perm[i] * dim + dim), (i - from) * dim);
    return out;
  };
  return { valZ: pick(0, nVal, z, D), valC: pick(0, nVal, c, C), trainZ: pick(nVal, n, z, D), trainC: pick(nVal, n, c, C), nTrain: n - nVal, nVal };
}
