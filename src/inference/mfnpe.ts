/**
 * Multifidelity neural posterior estimation by transfer learning (MF-NPE; Krouglova et al. 2025,
 * "Multifidelity simulation-based inference for computationally expensive simulators"):
 *
 * 1. pre-train the flow q(θ | x) on low-fidelity pairs (θ, x_LF) (Adam, learning rate 10⁻⁴, as the
 *    official code);
 * 2. fine-tune ALL weights of a copy on high-fidelity pairs (θ, x_HF) (learning rate 5·10⁻⁴), with the
 *    x standardizer refitted on the HF training data; the θ standardization of step 1 is kept, since
 *    the pre-trained weights assume it. The pre-trained flow itself competes in early stopping
 *    (epoch 0) on a 30 % validation share, so fine-tuning ends where validation says it is best,
 *    the start included (docs/results/finetune-defaults.md).
 *
 *   const mf = new MFNPE(task, { seed: 0 });
 *   await mf.pretrain(lf.theta, lf.x);              // mf.pretrained: the LF-only ('npe-lf') posterior
 *   const posterior = await mf.finetune(hf.theta, hf.x);
 *
 * A fidelity ladder (the official code's chain of low-fidelity levels) pre-trains on the cheapest
 * level, then fine-tunes on each next one with `advance`, then on HF:
 *
 *   await mf.pretrain(lf.theta, lf.x);
 *   await mf.advance(mfData.theta, mfData.x);      // mf.pretrained is now the LF → MF flow
 *   const posterior = await mf.finetune(hf.theta, hf.x);
 *
 * `finetune` leaves the pre-trained flow as it is, so one pre-training serves several HF budgets.
 * LF and HF summaries have the same dimension and nothing is concatenated: an observation is evaluated
 * on its own, never together with an LF simulation at the true θ (that would leak θ into the input).
 * See docs/methods.md.
 */
import { clonePosterior } from './clone.js';
import { newPosterior, trainingSummary, type FlowSettings } from './npe.js';
import { checkPairs } from './pairs.js';
import type { BoxSupport, NpePosterior, PosteriorSpec } from './posterior.js';
import { problemSpec, type ProblemShape } from './problem.js';
import { train, type TrainOptions, type TrainResult } from './train.js';

/**
 * Defaults of MF-NPE: the official code's learning rates, and for fine-tuning the pre-trained flow
 * as a candidate of early stopping with a 30 % validation share — the variant with the lowest mean
 * NLTP at 50 and 100 HF over seeds and LF/MF pre-training (docs/results/finetune-defaults.md).
 */
export const MFNPE_DEFAULTS = {
  pretrainLearningRate: 1e-4,
  finetuneLearningRate: 5e-4,
  finetuneStartCandidate: true,
  finetuneValidationFraction: 0.3,
} as const;

/** Settings of an MF-NPE run. */
export interface MfNpeSettings {
  /** Flow architecture, shared by both stages. */
  flow?: FlowSettings;
  /** Seed of the network initialization and of both training loops (default 0). */
  seed?: number;
  /** How samples are kept in a box prior (default 'logit'). */
  support?: BoxSupport;
  /** Pre-training settings (default learning rate 10⁻⁴). */
  pretrain?: TrainOptions;
  /**
   * Fine-tuning settings (default learning rate 5·10⁻⁴, x standardizer refitted on the HF pairs;
   * `refitX: false` keeps the LF one; `freeze` names weight tensors kept at their pre-trained values).
   */
  finetune?: TrainOptions;
}

/** MF-NPE: pre-train on cheap simulations, fine-tune copies on expensive ones. */
export class MFNPE {
  /** The pre-trained posterior (null before `pretrain`); also the 'npe-lf' baseline. */
  pretrained: NpePosterior | null = null;
  /** Result of the pre-training run. */
  pretrainResult: TrainResult | null = null;
  /** Result of the last fine-tuning run. */
  finetuneResult: TrainResult | null = null;
  /** Ladder stages after the first pre-training (0 without a ladder). */
  stage = 0;
  /** Training results of the ladder stages, in order. */
  stageResults: TrainResult[] = [];
  readonly spec: Omit<PosteriorSpec, 'flow' | 'seed'>;

  constructor(
    problem: ProblemShape,
    readonly settings: MfNpeSettings = {},
  ) {
    this.spec = { ...problemSpec(problem), support: settings.support };
  }

  /** The run seed (settings.seed, default 0). */
  get seed(): number {
    return this.settings.seed ?? 0;
  }

  /** Stage 1: a new flow trained on low-fidelity pairs; becomes `this.pretrained`. */
  async pretrain(theta: ArrayLike<number>, x: ArrayLike<number>, options: TrainOptions = {}): Promise<NpePosterior> {
    const n = checkPairs(theta, x, this.spec.thetaDim, this.spec.xDim);
    this.pretrained?.dispose();
    const post = await newPosterior(this.spec, this.settings);
    const o = { label: 'pre-train (LF)', ...this.settings.pretrain, ...options };
    this.pretrainResult = await train(post, pairsOf(theta, x), {
      ...o,
      seed: o.seed ?? this.seed,
      learningRate: o.learningRate ?? MFNPE_DEFAULTS.pretrainLearningRate,
      refitX: true,
    });
    post.meta = { ...post.meta, method: 'npe-lf', seed: this.seed, pretraining: trainingSummary(this.pretrainResult, n) };
    this.pretrained = post;
    return post;
  }

  /**
   * A ladder stage: fine-tunes a copy of the current pre-trained flow on the next fidelity's pairs
   * (fine-tuning settings, default label 'ladder stage k') and makes it the new pre-trained flow. The
   * previous one is returned (the caller disposes it or keeps it as a baseline).
   */
  async advance(theta: ArrayLike<number>, x: ArrayLike<number>, options: TrainOptions = {}): Promise<NpePosterior> {
    const pre = this.pretrained;
    if (!pre) throw new Error('advance needs pretrain (or usePretrained) first');
    this.stage += 1;
    const next = await this.finetune(theta, x, { label: `ladder stage ${this.stage + 1}`, ...options });
    next.meta = { ...next.meta, method: 'npe-ladder', ladderStage: this.stage };
    this.pretrained = next;
    this.stageResults.push(this.finetuneResult!);
    return pre;
  }

  /** Uses an already pre-trained posterior (e.g. loaded from disk) as the starting point. */
  usePretrained(post: NpePosterior): this {
    if (!post.trained) throw new Error('usePretrained needs a trained posterior');
    this.pretrained = post;
    return this;
  }

  /**
   * Stage 2: fine-tunes a copy of the pre-trained flow on high-fidelity pairs and returns it (the
   * pre-trained flow is left as it is). The copy starts from exactly the pre-trained weights.
   */
  async finetune(theta: ArrayLike<number>, x: ArrayLike<number>, options: TrainOptions = {}): Promise<NpePosterior> {
    const pre = this.pretrained;
    if (!pre) throw new Error('finetune needs pretrain (or usePretrained) first');
    const n = checkPairs(theta, x, this.spec.thetaDim, this.spec.xDim);
    const post = await clonePosterior(pre);
    const o = { label: 'fine-tune (HF)', ...this.settings.finetune, ...options };
    // The same seed as NPE on the same HF pairs: the validation rows and batch order come from the
    // same stream (with the default 30 % validation share against NPE's 10 %, not the same rows).
    this.finetuneResult = await train(post, pairsOf(theta, x), {
      ...o,
      seed: o.seed ?? this.seed,
      learningRate: o.learningRate ?? MFNPE_DEFAULTS.finetuneLearningRate,
      startCandidate: o.startCandidate ?? MFNPE_DEFAULTS.finetuneStartCandidate,
      validationFraction: o.validationFraction ?? MFNPE_DEFAULTS.finetuneValidationFraction,
      refitX: o.refitX ?? true,
    });
    post.meta = { ...pre.meta, method: 'mf-npe', seed: this.seed, frozen: [...(o.freeze ?? [])], training: trainingSummary(this.finetuneResult, n) };
    return post;
  }

  /** Frees the pre-trained flow's tensors. */
  dispose(): void {
    this.pretrained?.dispose();
    this.pretrained = null;
  }
}

function pairsOf(theta: ArrayLike<number>, x: ArrayLike<number>) {
  return { theta, x };
}
