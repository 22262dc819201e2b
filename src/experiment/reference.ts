/**
 * The reference posterior that C2ST and MMD compare against, at each of the first `nObs` test
 * observations: the exact posterior where the task has one (OU), else NPE trained once on a large HF
 * budget (HH; an approximation whose own NLTP is reported alongside). The NPE reference trains on
 * streams of its own seed (`reference.seed`), which the configuration keeps apart from every replicate
 * seed, so it never sees a replicate's training data.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NPE } from '../inference/npe.js';
import { loadPosterior, type NpePosterior } from '../inference/posterior.js';
import { nltp } from '../metrics/nltp.js';
import type { Task } from '../tasks/task.js';
import { type CachedPairs, cachedJoint, simulatorKey } from './cache.js';
import { type ExperimentConfig, trainOptions } from './config.js';
import { log } from './log.js';
import { auxSeed } from './seeds.js';
import type { ReferenceInfo } from './types.js';

/** Reference samples (posteriorSamples each) at the first nObs test observations. */
export async function referenceSamples(
  task: Task,
  cfg: ExperimentConfig,
  test: CachedPairs,
  quiet: boolean,
): Promise<{ samples: Float64Array[]; info: ReferenceInfo }> {
  const C = task.xDim;
  const S = cfg.posteriorSamples;
  const obsX = (k: number) => test.x.subarray(k * C, (k + 1) * C);
  const samples: Float64Array[] = [];
  const tag = `[${task.name}]`;
  if (task.referencePosterior) {
    for (let k = 0; k < cfg.nObs; k++) samples.push(task.referencePosterior(Float64Array.from(obsX(k)), S, auxSeed(cfg.testSeed, 500 + k)));
    log(quiet, `${tag} reference: exact posterior samples at ${cfg.nObs} observations`);
    return { samples, info: { kind: 'exact' } };
  }
  const r = await referenceNpe(task, cfg, quiet);
  for (let k = 0; k < cfg.nObs; k++) samples.push(await r.posterior.sample(S, obsX(k), auxSeed(cfg.testSeed, 500 + k)));
  const nl = await nltp(r.posterior, test.theta, test.x);
  r.posterior.dispose();
  log(quiet, `${tag} reference NPE (${cfg.reference.sims} HF): NLTP ${nl.mean.toFixed(3)} [${nl.lower.toFixed(3)}, ${nl.upper.toFixed(3)}]`);
  const info: ReferenceInfo = {
    kind: 'npe',
    sims: cfg.reference.sims,
    seed: cfg.reference.seed,
    nltp: { mean: nl.mean, lower: nl.lower, upper: nl.upper, n: nl.n },
    sim_s: r.simSeconds,
    train_s: r.trainSeconds,
    cached: r.cached,
  };
  return { samples, info };
}

interface ReferenceModel {
  posterior: NpePosterior;
  simSeconds: number;
  trainSeconds: number;
  cached: boolean;
}

/**
 * NPE trained once on `cfg.reference.sims` HF simulations of seed `cfg.reference.seed`, cached in
 * dataDir/<task>/reference-npe-n<N>-seed<S>/ with the settings it was trained with (a change of
 * settings retrains it).
 */
async function referenceNpe(task: Task, cfg: ExperimentConfig, quiet: boolean): Promise<ReferenceModel> {
  // The simulator's key in the name: a changed simulator trains a new reference (src/experiment/cache.ts).
  const dir = join(cfg.dataDir, task.name, `reference-npe-n${cfg.reference.sims}-seed${cfg.reference.seed}-sim${simulatorKey(task)}`);
  const settings = JSON.stringify({ flow: cfg.flow, npe: cfg.npe });
  const cached = await loadCachedReference(dir, settings);
  if (cached) {
    log(quiet, `[${task.name}] reference NPE loaded from ${dir}`);
    return cached;
  }
  const seed = cfg.reference.seed;
  const data = await cachedJoint(task, {
    dir: cfg.dataDir,
    workers: cfg.workers ?? undefined,
    quiet,
    purpose: 'reference',
    fidelity: 'hf',
    seed,
    offset: 0,
    n: cfg.reference.sims,
  });
  const npe = new NPE(task, { flow: cfg.flow, seed }).appendSimulations(data.theta, data.x);
  const posterior = await npe.train(trainOptions(cfg.npe, seed, `[${task.name}] reference NPE ${cfg.reference.sims} HF`, quiet));
  const trainSeconds = npe.result!.elapsedMs / 1000;
  posterior.meta = { ...posterior.meta, task: task.name, sims: cfg.reference.sims, experimentSettings: settings, simSeconds: data.seconds, trainSeconds };
  posterior.save(dir);
  return { posterior, simSeconds: data.seconds, trainSeconds, cached: false };
}

async function loadCachedReference(dir: string, settings: string): Promise<ReferenceModel | null> {
  if (!existsSync(join(dir, 'config.json'))) return null;
  const post = await loadPosterior(dir);
  if (post.meta.experimentSettings === settings) {
    return { posterior: post, simSeconds: Number(post.meta.simSeconds) || 0, trainSeconds: Number(post.meta.trainSeconds) || 0, cached: true };
  }
  post.dispose();
  return null;
}
