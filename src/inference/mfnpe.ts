/**
 * Multifidelity neural posterior estimation by transfer learning (MF-NPE; Krouglova et al. 2025,
 * "Multifidelity simulation-based inference for computationally expensive simulators"):
 *
 * 1. pre-train the flow q(θ | x) on low-fidelity pairs (θ, x_LF) (the official code uses Adam with
 *    learning rate 10⁻⁴ here);
 * 2. fine-tune ALL weights on high-fidelity pairs (θ, x_HF) (learning rate 5·10⁻⁴), with the x
 *    standardizer refitted on the HF training data; the θ standardization of step 1 is kept, since
 *    the pre-trained weights assume it.
 *
 * LF and HF summaries have the same dimension and nothing is concatenated: an observation is
 * evaluated on its own, never together with an LF simulation at the true θ (that would leak θ into
 * the input).
 *
 * The pre-trained flow is also a baseline of its own ('npe-lf'): applied to HF observations as it
 * is, with its LF standardizer — the misspecified posterior you get without any HF data.
 *
 *   const { posterior, pretrained } = await trainMfNpe(spec, lfPairs, hfPairs, { seed: 1 });
 */
import { NpePosterior, type PosteriorSpec } from './posterior.js';
import { initSeed, summary } from './npe.js';
import { train, type TrainOptions, type TrainResult } from './train.js';

export type Pairs = { theta: ArrayLike<number>; x: ArrayLike<number> };

/** The official MF-NPE code's learning rates. */
export const MFNPE_DEFAULTS = { pretrainLearningRate: 1e-4, finetuneLearningRate: 5e-4 } as const;

export interface MfNpeOptions {
  /** Flow settings (hidden, layers, transforms, bins…), shared by both stages. */
  flow?: PosteriorSpec['flow'];
  /** Seed of the network initialization and of both training loops (default 0). */
  seed?: number;
  /** Pre-training settings on LF pairs (default learning rate 10⁻⁴). */
  pretrain?: TrainOptions;
  /**
   * Fine-tuning settings on HF pairs (default learning rate 5·10⁻⁴, x standardizer refitted on HF).
   * `finetune.freeze` names weight tensors kept at their pre-trained values (default: none).
   */
  finetune?: TrainOptions;
}

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

/** Stage 1: a new flow trained on LF pairs. This is also the 'npe-lf' baseline. */
export async function pretrainLf(
  spec: Omit<PosteriorSpec, 'flow' | 'seed'>,
  lf: Pairs,
  opts: MfNpeOptions = {},
): Promise<{ posterior: NpePosterior; result: TrainResult }> {
  const seed = opts.seed ?? 0;
  const posterior = await NpePosterior.create({ ...spec, flow: opts.flow, seed: initSeed(seed) });
  const result = await train(posterior, lf, {
    label: 'pre-train (LF)',
    ...opts.pretrain,
    seed: opts.pretrain?.seed ?? seed,
    learningRate: opts.pretrain?.learningRate ?? MFNPE_DEFAULTS.pretrainLearningRate,
    refitX: true,
  });
  posterior.meta = { ...posterior.meta, method: 'npe-lf', seed, pretraining: summary(result, lf.theta.length / spec.thetaDim) };
  return { posterior, result };
}

/**
 * Stage 2: fine-tunes a copy of `pretrained` on HF pairs (the pre-trained posterior is left as it
 * is). The copy starts from exactly the pre-trained weights; the x standardizer is refitted on the
 * HF pairs (set `finetune.refitX: false` to keep the LF one).
 */
export async function finetuneHf(pretrained: NpePosterior, hf: Pairs, opts: MfNpeOptions = {}): Promise<{ posterior: NpePosterior; result: TrainResult }> {
  if (!pretrained.trained) throw new Error('fine-tuning needs a pre-trained posterior');
  const seed = opts.seed ?? 0;
  const posterior = await clonePosterior(pretrained);
  const result = await train(posterior, hf, {
    label: 'fine-tune (HF)',
    ...opts.finetune,
    // The same seed as NPE on the same HF pairs: the same validation split and batch order, so
    // MF-NPE and NPE differ only in their starting weights (a paired comparison).
    seed: opts.finetune?.seed ?? seed,
    learningRate: opts.finetune?.learningRate ?? MFNPE_DEFAULTS.finetuneLearningRate,
    refitX: opts.finetune?.refitX ?? true,
  });
  posterior.meta = {
    ...pretrained.meta,
    method: 'mf-npe',
    seed,
    frozen: [...(opts.finetune?.freeze ?? [])],
    training: summary(result, hf.theta.length / pretrained.thetaDim),
  };
  return { posterior, result };
}

/** Both stages: returns the fine-tuned MF-NPE posterior and the pre-trained (npe-lf) one. */
export async function trainMfNpe(
  spec: Omit<PosteriorSpec, 'flow' | 'seed'>,
  lf: Pairs,
  hf: Pairs,
  opts: MfNpeOptions = {},
): Promise<{ posterior: NpePosterior; pretrained: NpePosterior; pretrain: TrainResult; finetune: TrainResult }> {
  const pre = await pretrainLf(spec, lf, opts);
  const fine = await finetuneHf(pre.posterior, hf, opts);
  return { posterior: fine.posterior, pretrained: pre.posterior, pretrain: pre.result, finetune: fine.result };
}
