/**
 * One optimization step of the flow on a batch (sbi's training step): loss −mean log q(z | c),
 * gradients, global-norm clipping (torch.nn.utils.clip_grad_norm_), Adam update.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import type { Nsf } from '../flows/nsf.js';

/** A step function (z, c) → batch loss, shared by training and the speed benchmark. */
export function makeTrainStep(
  tf: Tf,
  flow: Nsf,
  optimizer: tfType.Optimizer,
  clipNorm: number,
  variables: tfType.Variable[] = flow.variables,
): (z: tfType.Tensor2D, c: tfType.Tensor2D) => number {
  return (z, c) => {
    const { value, grads } = tf.variableGrads(() => flow.loss(z, c), variables);
    const names = Object.keys(grads);
    const sq = tf.tidy(() => tf.addN(names.map((k) => tf.sum(tf.square(grads[k])))));
    const norm = Math.sqrt(sq.dataSync()[0]);
    sq.dispose();
    // torch.nn.utils.clip_grad_norm_: scale by max_norm / (norm + 1e-6) when that is < 1.
    const coef = clipNorm / (norm + 1e-6);
    if (coef < 1) {
      for (const k of names) {
        const g = grads[k];
        grads[k] = tf.mul(g, coef);
        g.dispose();
      }
    }
    optimizer.applyGradients(grads);
    for (const k of names) grads[k].dispose();
    const loss = value.dataSync()[0];
    value.dispose();
    return loss;
  };
}

/** Mean loss −log q(z | c) over all rows, in chunks, without gradients. */
export function meanLoss(tf: Tf, flow: Nsf, z: Float32Array, c: Float32Array, D: number, C: number): number {
  const n = z.length / D;
  const chunk = 5000;
  let sum = 0;
  for (let s = 0; s < n; s += chunk) {
    const m = Math.min(chunk, n - s);
    const v = tf.tidy(() => {
      const lp = flow.logProb(tf.tensor2d(z.subarray(s * D, (s + m) * D), [m, D]), tf.tensor2d(c.subarray(s * C, (s + m) * C), [m, C]));
      return tf.sum(lp);
    });
    sum -= v.dataSync()[0];
    v.dispose();
  }
  return sum / n;
}
