/**
 * What the experiment's chains share: prefixes of cached training pairs, the low-fidelity training
 * pairs of a seed, and pre-training on a low-fidelity ladder (MF-NPE units, and the pre-trained
 * start of MF-TSNPE and A-MF-TSNPE).
 */
import type { MFNPE } from '../inference/mfnpe.js';
import { ladderOffset } from '../tasks/ladder.js';
import { cachedJoint } from './cache.js';
import { type ExperimentConfig, sequentialNLf, trainOptions } from './config.js';
import { cacheSettings, type ExperimentContext } from './context.js';
import { ladderBudgets, ladderLabel, type LowFidelity, parseLowFidelity } from './low-fidelity.js';
import type { CostRow, UnitResult } from './types.js';

/** The first n rows of pairs. */
export function prefix(d: { theta: Float64Array; x: Float64Array }, n: number, D: number, C: number) {
  return { theta: d.theta.subarray(0, n * D), x: d.x.subarray(0, n * C) };
}

/** A unit result with no rows yet. */
export function emptyResult(): UnitResult {
  return { metrics: [], units: [], costs: [], corner: [], predictive: [], posteriors: [] };
}

/** The training pairs of one low-fidelity level: the first n of the seed's streams of that fidelity. */
export async function lowTraining(ctx: ExperimentContext, seed: number, fidelity: LowFidelity['first']['fidelity'], n: number) {
  const cfg = ctx.cfg;
  // Every unit of a seed asks for the largest first-level budget of its fidelity, so the first one
  // simulates them all and the others read the cache.
  const want = Math.max(n, ...firstLevelBudgets(cfg, fidelity));
  const all = await cachedJoint(ctx.task, { ...cacheSettings(cfg, ctx.quiet), purpose: 'train', fidelity, seed, offset: ladderOffset(fidelity), n: want });
  return { ...prefix(all, n, ctx.task.thetaDim, ctx.task.xDim), cpuSecondsPerSim: all.cpuSecondsPerSim };
}

/** The first-level budgets of the config's ladders (and of the sequential methods' pre-training) that start at `fidelity`. */
export function firstLevelBudgets(cfg: ExperimentConfig, fidelity: string): number[] {
  const lows = cfg.lowFidelities.map((t) => parseLowFidelity(t, 'lowFidelities')).filter((l) => l.first.fidelity === fidelity);
  const out = lows.flatMap((l) => ladderBudgets(l, cfg.lfBudgets));
  const s = cfg.sequential;
  if (s?.methods.some((m) => m !== 'tsnpe') && parseLowFidelity(s.lowFidelity, 'sequential.lowFidelity').first.fidelity === fidelity)
    out.push(sequentialNLf(cfg));
  return out;
}

/** Simulation CPU seconds per low fidelity of a ladder's pre-training data. */
export type LowCost = Pick<CostRow, 'lf_sim_cpu_s' | 'mf_sim_cpu_s'>;

/** Pre-trains on the ladder's first level at nLf, then advances through its later levels; returns the costs so far. */
export async function pretrainLadder(mf: MFNPE, low: LowFidelity, nLf: number, seed: number, ctx: ExperimentContext) {
  const cost: LowCost = { lf_sim_cpu_s: 0, mf_sim_cpu_s: 0 };
  const tag = `[${ctx.task.name}] seed ${seed}`;
  const first = await lowTraining(ctx, seed, low.first.fidelity, nLf);
  cost[`${low.first.fidelity}_sim_cpu_s`] += first.cpuSecondsPerSim * nLf;
  const name = low.first.fidelity.toUpperCase();
  await mf.pretrain(first.theta, first.x, trainOptions(ctx.cfg.pretrain, seed, `${tag} pre-train ${nLf} ${name}`, ctx.quiet));
  let train_s = mf.pretrainResult!.elapsedMs / 1000;
  let epochs = mf.pretrainResult!.epochs;
  for (const level of low.rest) {
    const d = await lowTraining(ctx, seed, level.fidelity, level.n);
    cost[`${level.fidelity}_sim_cpu_s`] += d.cpuSecondsPerSim * level.n;
    const label = `${tag} ladder ${ladderLabel(low.id)}: ${level.n} ${level.fidelity.toUpperCase()}`;
    (await mf.advance(d.theta, d.x, trainOptions(ctx.cfg.finetune, seed, label, ctx.quiet))).dispose();
    const r = mf.stageResults[mf.stageResults.length - 1];
    train_s += r.elapsedMs / 1000;
    epochs += r.epochs;
  }
  return { cost, train_s, epochs };
}
