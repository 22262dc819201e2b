/**
 * Neural posterior estimation (NPE; Papamakarios & Murray 2016, Greenberg et al. 2019), in sbi's
 * grammar: simulate (θ_i ~ prior, x_i ~ simulator(θ_i)), append the pairs, train a conditional density
 * estimator q(θ | x) by maximum likelihood, then sample it or evaluate it at any observation.
 *
 *   const npe = new NPE(task, { seed: 0 });
 *   npe.appendSimulations(theta, x);
 *   const posterior = await npe.train({ onEpoch });
 *   const samples = await posterior.sample(1000, xObs, 1);
 *
 * Calling `train` again (after appending more pairs) continues from the current weights with a new
 * optimizer on all pairs gathered so far: the sequential methods' rounds (docs/methods.md).
 */
import { clonePosterior } from './clone.js';
import { PairSet } from './pairs.js';
import { NpePosterior, type BoxSupport, type PosteriorSpec } from './posterior.js';
import { networkSeed, problemSpec, type ProblemShape } from './problem.js';
import { train, type TrainOptions, type TrainResult } from './train.js';

/** Flow settings (hidden units, layers, transforms, bins); defaults in flows/nsf.ts. */
export type FlowSettings = NonNullable<PosteriorSpec['flow']>;

/** Settings of an NPE run. */
export interface NpeSettings {
  /** Flow architecture (default: 50 hidden units, 2 layers, 5 transforms, 8 bins). */
  flow?: FlowSettings;
  /** Seed of the network's initial weights and of training (validation split, batch order); default 0. */
  seed?: number;
  /** How samples are kept in a box prior: 'logit' (default) or 'rejection' (sbi/sbibm's NPE). */
  support?: BoxSupport;
  /** Training defaults (learning rate, batch size, patience…); `train(options)` overrides them. */
  train?: TrainOptions;
  /**
   * Start from a copy of this trained posterior instead of new weights (weights, standardizers and
   * support are copied; `flow` and `support` are then ignored): MF-TSNPE's LF-pretrained start
   * (Krouglova et al. 2025). The given posterior is left as it is.
   */
  start?: NpePosterior;
}

/** Amortized NPE: gather pairs, train, get the posterior. */
export class NPE {
  /** The posterior being trained (null before the first `train`). */
  posterior: NpePosterior | null = null;
  /** The last training run's history and counts. */
  result: TrainResult | null = null;
  readonly spec: Omit<PosteriorSpec, 'flow' | 'seed'>;
  protected readonly pairs: PairSet;

  constructor(
    problem: ProblemShape,
    readonly settings: NpeSettings = {},
  ) {
    this.spec = { ...problemSpec(problem), support: settings.support };
    this.pairs = new PairSet(this.spec.thetaDim, this.spec.xDim);
  }

  /** The run seed (settings.seed, default 0). */
  get seed(): number {
    return this.settings.seed ?? 0;
  }

  /** Number of pairs appended so far. */
  get numSimulations(): number {
    return this.pairs.size;
  }

  /** Adds simulated pairs (row-major θ n × thetaDim, x n × xDim); shapes are checked here. */
  appendSimulations(theta: ArrayLike<number>, x: ArrayLike<number>): this {
    this.pairs.append(theta, x);
    return this;
  }

  /** Trains on every pair appended so far and returns the posterior (same object on later calls). */
  async train(options: TrainOptions = {}): Promise<NpePosterior> {
    if (!this.posterior) this.posterior = this.settings.start ? await startCopy(this.settings.start, this.spec) : await newPosterior(this.spec, this.settings);
    const post = this.posterior;
    const data = this.pairs.all();
    this.result = await train(post, data, { seed: this.seed, ...this.settings.train, ...options });
    post.meta = { ...post.meta, method: 'npe', seed: this.seed, training: trainingSummary(this.result, this.numSimulations) };
    return post;
  }
}

/** A new posterior with the run's seeded initial weights (the one place networks are seeded). */
export function newPosterior(spec: Omit<PosteriorSpec, 'flow' | 'seed'>, settings: Pick<NpeSettings, 'flow' | 'seed' | 'support'>): Promise<NpePosterior> {
  return NpePosterior.create({ ...spec, support: settings.support ?? spec.support, flow: settings.flow, seed: networkSeed(settings.seed ?? 0) });
}

/** A copy of `start` for a problem of this spec (dimensions checked). */
async function startCopy(start: NpePosterior, spec: Omit<PosteriorSpec, 'flow' | 'seed'>): Promise<NpePosterior> {
  if (start.thetaDim !== spec.thetaDim || start.xDim !== spec.xDim)
    throw new RangeError(`start posterior has θ/x dimensions ${start.thetaDim}/${start.xDim}, the problem ${spec.thetaDim}/${spec.xDim}`);
  if (!start.trained) throw new RangeError('start posterior has not been trained');
  return clonePosterior(start);
}

/** A JSON-able summary of a training run (saved with the model). */
export function trainingSummary(r: TrainResult, nPairs: number): Record<string, unknown> {
  return {
    pairs: nPairs,
    train: r.nTrain,
    validation: r.nVal,
    dropped: r.dropped,
    epochs: r.epochs,
    bestEpoch: r.bestEpoch,
    bestValidationLoss: r.bestValLoss,
    seconds: Math.round(r.elapsedMs) / 1000,
    msPerStep: Math.round(r.msPerStep * 100) / 100,
  };
}
