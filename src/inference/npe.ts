/**
 * Neural posterior estimation (Papamakarios & Murray 2016; Greenberg et al. 2019), amortized,
 * single round: simulate (θ_i ~ prior, x_i ~ simulator(θ_i)), fit a conditional density estimator
 * q(θ | x) by maximum likelihood, evaluate it at any observation.
 *
 * `trainNpe` trains on given pairs; `runNpe` simulates them from a Task first. Both return an
 * {@link NpePosterior} (sample, logProb, save). MF-NPE builds on the same pieces:
 *   const post = await createPosterior({ ...spec });
 *   await train(post, lfPairs, { learningRate: 1e-4 });        // pre-train on LF
 *   await train(post, hfPairs, { learningRate: 5e-4 });        // fine-tune all weights on HF (x re-standardized)
 */
import type { Task } from '../tasks/task.js';
import { Rng, STREAM_OFFSET } from '../random.js';
import { NpePosterior, type BoxSupport, type PosteriorSpec } from './posterior.js';
import { train, type TrainOptions, type TrainResult } from './train.js';

export interface NpeOptions {
  /** Flow settings (hidden, layers, transforms, bins…). */
  flow?: PosteriorSpec['flow'];
  /** Training settings (learning rate, batch size, max epochs, onEpoch…). */
  train?: TrainOptions;
  /** Seed of the network initialization and of training (split, shuffles). */
  seed?: number;
  /** How samples are kept in a box prior: 'logit' (default) or 'rejection' (sbi/sbibm's NPE). */
  support?: BoxSupport;
}

/** The seed of a posterior's initial weights, derived from the run seed. */
export function initSeed(seed: number): number {
  return new Rng(seed, STREAM_OFFSET.aux + 3).seed31();
}

/** A new, untrained posterior for a task's dimensions and prior. */
export async function createPosterior(spec: PosteriorSpec): Promise<NpePosterior> {
  return NpePosterior.create(spec);
}

/** The posterior spec of a task (dimensions, prior bounds, names). */
export function taskSpec(task: Task, flow?: PosteriorSpec['flow'], seed = 0): PosteriorSpec {
  return {
    thetaDim: task.thetaDim,
    xDim: task.xDim,
    bounds: task.prior.bounds ?? null,
    thetaNames: task.thetaNames,
    xNames: task.xNames,
    flow,
    seed: initSeed(seed),
  };
}

/** Trains a new posterior on pairs (θ, x). */
export async function trainNpe(
  spec: Omit<PosteriorSpec, 'flow' | 'seed'>,
  data: { theta: ArrayLike<number>; x: ArrayLike<number> },
  opts: NpeOptions = {},
): Promise<{ posterior: NpePosterior; result: TrainResult }> {
  const seed = opts.seed ?? 0;
  const posterior = await NpePosterior.create({ ...spec, support: opts.support ?? spec.support, flow: opts.flow, seed: initSeed(seed) });
  const result = await train(posterior, data, { seed, ...opts.train });
  posterior.meta = { ...posterior.meta, method: 'npe', seed, training: summary(result, data.theta.length / spec.thetaDim) };
  return { posterior, result };
}

/** Simulates `sims` pairs from a task (streams seed, 0..sims−1) and trains NPE on them. */
export async function runNpe(task: Task, sims: number, opts: NpeOptions & { workers?: number; onSimProgress?: (done: number, total: number) => void } = {}) {
  const seed = opts.seed ?? 0;
  const data = await task.sampleJoint(sims, seed, { workers: opts.workers, onProgress: opts.onSimProgress });
  const out = await trainNpe(taskSpec(task), data, opts);
  out.posterior.meta = { ...out.posterior.meta, task: task.name, sims };
  return { ...out, data };
}

/** A JSON-able summary of a training run (saved with the model). */
export function summary(r: TrainResult, nPairs: number): Record<string, unknown> {
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
