/**
 * What every unit of an experiment on one task shares: the task, the held-out HF test set, and the
 * reference posterior's samples at the first `nObs` test observations.
 */
import { STREAM_OFFSET } from '../random.js';
import { getTask } from '../tasks/registry.js';
import type { Task } from '../tasks/task.js';
import { type CachedPairs, cachedJoint } from './cache.js';
import type { ExperimentConfig } from './config.js';
import { referenceSamples } from './reference.js';
import type { ReferenceInfo } from './types.js';

export interface ExperimentContext {
  cfg: ExperimentConfig;
  task: Task;
  /** Held-out HF test pairs (streams (testSeed, STREAM_OFFSET.test + i)). */
  test: CachedPairs;
  /** Reference samples at observation k, and the same scaled to the prior box (for MMD). */
  refSamples: Float64Array[];
  refScaled: Float64Array[];
  reference: ReferenceInfo;
  quiet: boolean;
  /** Keep trained posteriors in the results instead of disposing them. */
  keepPosteriors: boolean;
}

/** Cache settings of a run. */
export function cacheSettings(cfg: ExperimentConfig, quiet: boolean) {
  return { dir: cfg.dataDir, workers: cfg.workers ?? undefined, quiet };
}

/** Observation k of the test set. */
export function observation(ctx: ExperimentContext, k: number): Float64Array {
  const C = ctx.task.xDim;
  return ctx.test.x.subarray(k * C, (k + 1) * C);
}

/** Scales θ rows by the prior box (θ − low)/(high − low), so MMD weighs every parameter alike. */
export function boxScale(samples: Float64Array, bounds: { low: ArrayLike<number>; high: ArrayLike<number> } | null, D: number): Float64Array {
  if (!bounds) return samples;
  const out = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const j = i % D;
    out[i] = (samples[i] - bounds.low[j]) / (bounds.high[j] - bounds.low[j]);
  }
  return out;
}

/**
 * Simulates (or reads) the test set and builds the reference samples, or takes them from the
 * reference unit's results (`reference`), which is how unit processes skip redrawing them.
 */
export async function prepareContext(
  cfg: ExperimentConfig,
  opts: { quiet?: boolean; keepPosteriors?: boolean; reference?: { samples: Float64Array[]; info: ReferenceInfo } } = {},
): Promise<ExperimentContext> {
  const quiet = opts.quiet ?? false;
  const task = getTask(cfg.task);
  if (!task.fidelities.includes('lf')) throw new Error(`task ${task.name} has no LF simulator`);
  const test = await cachedJoint(task, {
    ...cacheSettings(cfg, quiet),
    purpose: 'test',
    fidelity: 'hf',
    seed: cfg.testSeed,
    offset: STREAM_OFFSET.test,
    n: cfg.testSize,
  });
  const { samples, info } = opts.reference ?? (await referenceSamples(task, cfg, test, quiet));
  const bounds = task.prior.bounds ?? null;
  return {
    cfg,
    task,
    test,
    refSamples: samples,
    refScaled: samples.map((s) => boxScale(s, bounds, task.thetaDim)),
    reference: info,
    quiet,
    keepPosteriors: opts.keepPosteriors ?? false,
  };
}
