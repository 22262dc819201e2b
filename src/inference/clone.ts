/**
 * Copies of a posterior: MF-NPE fine-tunes a copy of the pre-trained flow, so one pre-training serves
 * every HF budget, and the ensemble of the active method starts each member from the same copy.
 */
import { NpePosterior } from './posterior.js';

/** A copy of a posterior (weights, standardizers, metadata) with its own tensors. */
export async function clonePosterior(post: NpePosterior): Promise<NpePosterior> {
  const copy = await NpePosterior.create({
    thetaDim: post.thetaDim,
    xDim: post.xDim,
    bounds: post.bounds,
    thetaNames: post.thetaNames,
    xNames: post.xNames,
    flow: post.flow.cfg,
    support: post.support,
  });
  copy.flow.setWeights(post.flow.getWeights());
  copy.thetaStd = post.thetaStd && { mean: post.thetaStd.mean.slice(), std: post.thetaStd.std.slice() };
  copy.xStd = post.xStd && { mean: post.xStd.mean.slice(), std: post.xStd.std.slice() };
  copy.meta = structuredClone(post.meta);
  return copy;
}
