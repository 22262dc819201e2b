/**
 * Maximum-likelihood training of the posterior flow, with sbi's defaults (Greenberg et al. 2019;
 * sbi's `train`): Adam (lr 5·10⁻⁴, β = (0.9, 0.999), ε = 10⁻⁸), batch 200 (last partial batch
 * dropped), 10 % random validation split, gradient-norm clipping at 5 (global norm over all
 * weights), early stopping once the validation loss has not improved for 20 epochs, best weights
 * restored at the end.
 *
 * `train(posterior, data, options)` trains from the posterior's current weights, so continuing
 * training is the same call: MF-NPE pre-trains on LF pairs, then calls `train` again on HF pairs
 * (a new optimizer, the HF learning rate, and — by default — an x-standardizer refitted on the HF
 * data; the θ standardization fitted on the first call is kept, since the weights assume it).
 * The steps live in clean.ts (invalid pairs), split.ts (validation split) and fit.ts (the loop).
 */
import { standardize } from '../flows/standardize.js';
import { validPairs } from './clean.js';
import { type EpochInfo, type FitSettings, fitFlow } from './fit.js';
import type { NpePosterior } from './posterior.js';
import { validationRows, validationSize, validationSplit } from './split.js';

export type { EpochInfo } from './fit.js';

/** Settings of one training run; every field has sbi's default. */
export interface TrainOptions {
  /** Adam learning rate (default 5e-4). */
  learningRate?: number;
  /** Batch size (default 200). */
  batchSize?: number;
  /** Fraction of pairs held out for validation (default 0.1). */
  validationFraction?: number;
  /** Global gradient-norm clip (default 5). */
  clipNorm?: number;
  /** Epochs without validation improvement before stopping (default 20). */
  patience?: number;
  /** Hard cap on epochs (default 2³¹ − 1, i.e. only early stopping). */
  maxEpochs?: number;
  /** Seed of the validation split and batch shuffles (default 0). */
  seed?: number;
  /** Refit the x standardizer on these data (default true). */
  refitX?: boolean;
  /** Names of flow weight tensors kept fixed (see Nsf.weightShapes; default none): MF-NPE's freezing option. */
  freeze?: readonly string[];
  /**
   * Make the starting flow a candidate of early stopping (its validation loss before the first
   * epoch, "epoch 0", under its own x standardizer even when `refitX` refits it; if it wins, the
   * flow is returned exactly as it started): training then never ends worse on validation than
   * where it started, which is what fine-tuning a pre-trained flow on few pairs needs (default false).
   */
  startCandidate?: boolean;
  /** Called after every epoch (e.g. a live loss plot). */
  onEpoch?: (info: EpochInfo) => void;
  /** No progress line on stderr. */
  quiet?: boolean;
  /** Label of the progress line (default 'train'). */
  label?: string;
}

/** What a training run did: epochs, best epoch and validation loss, history, pair counts and timing. */
export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  bestValLoss: number;
  history: EpochInfo[];
  nTrain: number;
  nVal: number;
  /** Pairs dropped because θ or x was not finite or θ lay outside the prior support. */
  dropped: number;
  elapsedMs: number;
  steps: number;
  msPerStep: number;
}

/** Resolves the defaults and checks the options (one-line RangeErrors). */
function fitSettings(o: TrainOptions): FitSettings & { validationFraction: number; refitX: boolean } {
  const s = {
    learningRate: o.learningRate ?? 5e-4,
    batchSize: o.batchSize ?? 200,
    validationFraction: o.validationFraction ?? 0.1,
    clipNorm: o.clipNorm ?? 5,
    patience: o.patience ?? 20,
    maxEpochs: o.maxEpochs ?? 2 ** 31 - 1,
    seed: o.seed ?? 0,
    freeze: o.freeze ?? [],
    startCandidate: o.startCandidate ?? false,
    label: o.label ?? 'train',
    quiet: Boolean(o.quiet || process.env.MFNPE_QUIET),
    onEpoch: o.onEpoch,
    refitX: o.refitX ?? true,
  };
  if (!(s.learningRate > 0)) throw new RangeError(`learning rate must be positive, got ${s.learningRate}`);
  if (!Number.isInteger(s.batchSize) || s.batchSize < 1) throw new RangeError(`batch size must be an integer ≥ 1, got ${s.batchSize}`);
  if (!(s.validationFraction > 0 && s.validationFraction < 1)) throw new RangeError(`validation fraction must be in (0, 1), got ${s.validationFraction}`);
  if (!Number.isInteger(s.maxEpochs) || s.maxEpochs < 1) throw new RangeError(`max epochs must be an integer ≥ 1, got ${s.maxEpochs}`);
  return s;
}

/**
 * Trains `post` on pairs (θ_i, x_i) (row-major, n × thetaDim and n × xDim) and keeps the weights
 * with the best validation loss.
 */
export async function train(post: NpePosterior, data: { theta: ArrayLike<number>; x: ArrayLike<number> }, options: TrainOptions = {}): Promise<TrainResult> {
  const D = post.thetaDim;
  const C = post.xDim;
  const s = fitSettings(options);
  if (data.theta.length % D !== 0 || data.x.length % C !== 0 || data.theta.length / D !== data.x.length / C) {
    throw new RangeError(`training data: θ has ${data.theta.length / D} rows of ${D}, x has ${data.x.length / C} rows of ${C}`);
  }
  const clean = validPairs(post, data);
  if (clean.n - validationSize(clean.n, s.validationFraction) < 1)
    throw new RangeError(`need at least 2 valid training pairs, got ${clean.n} (of ${clean.n + clean.dropped})`);
  const startXStd = post.xStd;
  post.fitStandardization(clean.theta, clean.x, s.refitX);
  const z = post.thetaToFlow(clean.theta).z;
  const split = validationSplit(z, standardize(post.xStd!, clean.x), D, C, s.validationFraction, s.seed);
  // A refitted standardizer changes what the starting flow sees: score epoch 0 on the validation
  // rows under the old one (the same seed gives the same rows), so the candidate is the starting
  // flow as it was, and restore the old standardizer if it wins.
  const refitted = s.startCandidate && startXStd !== null && startXStd !== post.xStd;
  const startValC = refitted ? validationRows(standardize(startXStd, clean.x), C, s.validationFraction, s.seed) : undefined;
  const t0 = performance.now();
  const fit = await fitFlow(post.tf, post.flow, split, { ...s, startValC });
  if (refitted && fit.bestEpoch === 0) post.xStd = startXStd;
  return {
    epochs: fit.history.length,
    bestEpoch: fit.bestEpoch,
    bestValLoss: fit.best,
    history: fit.history,
    nTrain: split.nTrain,
    nVal: split.nVal,
    dropped: clean.dropped,
    elapsedMs: performance.now() - t0,
    steps: fit.steps,
    msPerStep: fit.steps > 0 ? fit.stepMs / fit.steps : NaN,
  };
}
