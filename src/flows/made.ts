/**
 * MADE conditioners (Germain et al. 2015, "MADE: Masked Autoencoder for Distribution Estimation"),
 * as zuko's `MaskedMLP` builds them for a conditional autoregressive transform:
 *
 * - θ features get ranks 1..D in the transform's order (ascending or descending feature order);
 *   the context (z-scored x) has rank 0, i.e. it feeds every first-layer hidden unit.
 * - Hidden unit k has degree m_k = k mod D ∈ {0..D−1}: it may see the θ features of rank ≤ m_k.
 *   Degree-0 units see only the context, so the first feature's spline still depends on x.
 * - Hidden-to-hidden: unit of degree m′ feeds unit of degree m when m′ ≤ m.
 * - Output block of feature d (its 3K − 1 spline parameters) sees hidden units of degree < rank(d).
 *
 * The result is fully autoregressive: the parameters of feature d depend on x and on the features
 * before d in the order only. Masks are constant 0/1 matrices multiplied into the weights inside
 * the graph (one op per weight stack per step, shared by all transforms).
 */
import type { Rng } from '../random.js';

export interface MadeShape {
  /** θ dimension D. */
  readonly thetaDim: number;
  /** Hidden units per layer. */
  readonly hidden: number;
  /** Hidden layers (≥ 1). */
  readonly layers: number;
  /** Outputs per θ feature (3K − 1 for a spline with K bins). */
  readonly outPerFeature: number;
}

/** Rank (1..D) of each feature in the transform's order. */
export function featureRanks(D: number, descending: boolean): Int32Array {
  const r = new Int32Array(D);
  for (let d = 0; d < D; d++) r[d] = descending ? D - d : d + 1;
  return r;
}

/** Degrees of the hidden units: k mod D. */
export function hiddenDegrees(D: number, H: number): Int32Array {
  const m = new Int32Array(H);
  for (let k = 0; k < H; k++) m[k] = k % D;
  return m;
}

export interface MadeMasks {
  /** θ → first hidden layer, D × H (row-major). */
  readonly input: Float32Array;
  /** hidden → hidden, H × H (the same for every hidden-to-hidden layer). */
  readonly hidden: Float32Array;
  /** last hidden → outputs, H × (D·P); output column d·P + j belongs to feature d. */
  readonly output: Float32Array;
}

/** The three masks of one MADE with the given feature order. */
export function madeMasks(shape: MadeShape, descending: boolean): MadeMasks {
  const { thetaDim: D, hidden: H, outPerFeature: P } = shape;
  const rank = featureRanks(D, descending);
  const deg = hiddenDegrees(D, H);
  const input = new Float32Array(D * H);
  for (let d = 0; d < D; d++) for (let k = 0; k < H; k++) input[d * H + k] = rank[d] <= deg[k] ? 1 : 0;
  const hidden = new Float32Array(H * H);
  for (let a = 0; a < H; a++) for (let b = 0; b < H; b++) hidden[a * H + b] = deg[a] <= deg[b] ? 1 : 0;
  const output = new Float32Array(H * D * P);
  for (let k = 0; k < H; k++) {
    for (let d = 0; d < D; d++) {
      const on = deg[k] < rank[d] ? 1 : 0;
      for (let j = 0; j < P; j++) output[k * D * P + d * P + j] = on;
    }
  }
  return { input, hidden, output };
}

/**
 * PyTorch's default `nn.Linear` initialization, U(−1/√fan_in, 1/√fan_in) for weights and biases,
 * drawn from our seeded generator. fan_in counts masked inputs too (as zuko's MaskedLinear does).
 */
export function uniformInit(n: number, fanIn: number, rng: Rng): Float32Array {
  const a = 1 / Math.sqrt(fanIn);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * a;
  return out;
}
