/**
 * Data cleaning before training: pairs with a non-finite θ or x, or θ outside the prior support, are
 * dropped (as sbi drops invalid simulations), keeping the order of the rest.
 */
import type { NpePosterior } from './posterior.js';

/** The valid pairs of `data` (copied) and how many were dropped. */
export function validPairs(
  post: NpePosterior,
  data: { theta: ArrayLike<number>; x: ArrayLike<number> },
): { theta: Float64Array; x: Float64Array; n: number; dropped: number } {
  const D = post.thetaDim;
  const C = post.xDim;
  const n0 = data.theta.length / D;
  const { logDet } = post.transform.forward(data.theta);
  post.maskOutsideBox(data.theta, logDet);
  const keep: number[] = [];
  for (let i = 0; i < n0; i++) {
    let ok = Number.isFinite(logDet[i]);
    for (let j = 0; j < C && ok; j++) ok = Number.isFinite(data.x[i * C + j]);
    if (ok) keep.push(i);
  }
  const n = keep.length;
  const theta = new Float64Array(n * D);
  const x = new Float64Array(n * C);
  keep.forEach((src, i) => {
    for (let j = 0; j < D; j++) theta[i * D + j] = data.theta[src * D + j];
    for (let j = 0; j < C; j++) x[i * C + j] = data.x[src * C + j];
  });
  return { theta, x, n, dropped: n0 - n };
}
