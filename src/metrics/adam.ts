/**
 * Adam (Kingma & Ba 2015) with an L2 penalty, in plain JavaScript (float64), exactly as
 * scikit-learn's `AdamOptimizer` with `MLPClassifier`'s `alpha` term (the optimizer of sbibm's C2ST,
 * Lueckmann et al. 2021): the gradient of each penalized weight gains α·W / n (n = the minibatch
 * size), the step size is lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ), and the update is −step · m / (√v + ε).
 * Masks select which entries are trained and which are penalized, so that fixed entries (the C2ST
 * network's constant units) and biases can share one flat parameter vector with the weights.
 */

/** β₁, β₂ and ε: scikit-learn's (and the Adam paper's) defaults. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** A flat parameter vector with its gradient, Adam moments and masks (all of one length). */
export interface AdamState {
  /** Parameters, updated in place. */
  readonly p: Float64Array;
  /** First and second moment estimates. */
  readonly m: Float64Array;
  readonly v: Float64Array;
  /** Gradient of the data loss (without the L2 term), filled by the caller before each step. */
  readonly grad: Float64Array;
  /** 1 where the entry is trained, 0 where it stays fixed. */
  readonly trainable: Uint8Array;
  /** 1 where the entry is L2-penalized (true weights), 0 elsewhere (biases, fixed entries). */
  readonly penalized: Uint8Array;
  /** Steps taken so far (t of the bias correction). */
  step: number;
}

/** One Adam step on `s.grad` plus the L2 gradient `alphaOverN`·p on penalized entries. */
export function adamStep(s: AdamState, lr: number, alphaOverN: number): void {
  const b1 = ADAM_BETA1;
  const b2 = ADAM_BETA2;
  const t = ++s.step;
  const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
  const { p, m, v, grad, trainable, penalized } = s;
  for (let k = 0; k < p.length; k++) {
    if (!trainable[k]) continue;
    const g = grad[k] + (penalized[k] ? alphaOverN * p[k] : 0);
    m[k] = b1 * m[k] + (1 - b1) * g;
    v[k] = b2 * v[k] + (1 - b2) * g * g;
    p[k] -= (lrT * m[k]) / (Math.sqrt(v[k]) + ADAM_EPSILON);
  }
}
