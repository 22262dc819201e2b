/**
 * One unit of work (plan.ts): a replicate seed's NPE chain (NPE from scratch on each HF budget) or
 * MF-NPE chain (one pre-training on a low-fidelity ladder, low-fidelity.ts; the pre-trained flow as a
 * baseline; then a fine-tuned copy per HF budget). NPE and MF-NPE of a seed train on the same HF pairs
 * with the same seed (NPE's initialization; the validation rows and batch order drawn from the same
 * stream, MF-NPE holding out 30 % for validation against NPE's 10 %), and are compared pair by pair.
 */
import { MFNPE } from '../inference/mfnpe.js';
import { NPE } from '../inference/npe.js';
import type { NpePosterior } from '../inference/posterior.js';
import { ladderOffset } from '../tasks/ladder.js';
import { cachedJoint } from './cache.js';
import { type ExperimentConfig, trainOptions } from './config.js';
import { cacheSettings, type ExperimentContext, observation } from './context.js';
import { evaluatePosterior, predictiveDraws } from './evaluate.js';
import { fineTunedMethod, ladderBudgets, ladderLabel, type LowFidelity, parseLowFidelity, pretrainedMethod } from './low-fidelity.js';
import type { Unit } from './plan.js';
import type { CostRow, MethodName, PosteriorKey, UnitResult } from './types.js';
import type { ReferenceResult } from './unit-files.js';

/** The first n rows of pairs. */
function prefix(d: { theta: Float64Array; x: Float64Array }, n: number, D: number, C: number) {
  return { theta: d.theta.subarray(0, n * D), x: d.x.subarray(0, n * C) };
}

function emptyResult(): UnitResult {
  return { metrics: [], units: [], costs: [], corner: [], predictive: [], posteriors: [] };
}

/** Evaluates a posterior into `out`; keeps corner and predictive material under `label` when given. */
async function record(out: UnitResult, q: NpePosterior, key: PosteriorKey, label: string | null, ctx: ExperimentContext): Promise<void> {
  const ev = await evaluatePosterior(q, key, ctx);
  out.metrics.push(...ev.metrics);
  out.units.push(...ev.units);
  if (label) {
    out.corner.push({ label, samples: ev.samples0 });
    if (ctx.task.name === 'hh') out.predictive.push(...predictiveDraws(label, ev.samples0, key.seed, ctx));
  }
  if (ctx.keepPosteriors) out.posteriors.push({ key, posterior: q });
  else q.dispose();
}

/** The HF training pairs of a replicate (all budgets: prefixes of one cached set). */
function hfTraining(ctx: ExperimentContext, seed: number) {
  const n = Math.max(...ctx.cfg.hfBudgets);
  return cachedJoint(ctx.task, { ...cacheSettings(ctx.cfg, ctx.quiet), purpose: 'train', fidelity: 'hf', seed, offset: 0, n });
}

/** Runs one replicate unit; the first seed's smallest-HF posteriors feed the corner and predictive figures. */
export async function runUnit(unit: Unit, ctx: ExperimentContext): Promise<UnitResult> {
  if (unit.chain.kind === 'reference') throw new Error(`${unit.id} is the reference unit: use referenceResult(ctx)`);
  return unit.chain.kind === 'npe' ? runNpeChain(unit.seed, ctx) : runMfNpeChain(unit.seed, unit.chain.nLf, unit.chain.low ?? 'lf', ctx);
}

/** The reference unit's results: reference info, test-set cost and the corner figure's reference samples. */
export function referenceResult(ctx: ExperimentContext): ReferenceResult {
  const D = ctx.task.thetaDim;
  return {
    reference: ctx.reference,
    testSimSeconds: ctx.test.seconds,
    theta0: Array.from(ctx.test.theta.subarray(0, D)),
    x0: Array.from(observation(ctx, 0)),
    refSamples0: ctx.refSamples[0],
    refSamples: ctx.refSamples,
  };
}

async function runNpeChain(seed: number, ctx: ExperimentContext): Promise<UnitResult> {
  const { cfg, task } = ctx;
  const out = emptyResult();
  const hf = await hfTraining(ctx, seed);
  const first = seed === cfg.seeds[0];
  const cornerHf = Math.min(...cfg.hfBudgets);
  for (const nHf of cfg.hfBudgets) {
    const d = prefix(hf, nHf, task.thetaDim, task.xDim);
    const npe = new NPE(task, { flow: cfg.flow, seed }).appendSimulations(d.theta, d.x);
    const posterior = await npe.train(trainOptions(cfg.npe, seed, `[${task.name}] seed ${seed} NPE ${nHf} HF`, ctx.quiet));
    const r = npe.result!;
    const sim = { lf_sim_cpu_s: 0, mf_sim_cpu_s: 0, hf_sim_cpu_s: hf.cpuSecondsPerSim * nHf };
    out.costs.push({ method: 'npe', n_lf: 0, n_hf: nHf, seed, ...sim, train_s: r.elapsedMs / 1000, epochs: r.epochs });
    await record(out, posterior, { method: 'npe', n_lf: 0, n_hf: nHf, seed }, first && nHf === cornerHf ? `NPE (${nHf} HF)` : null, ctx);
  }
  return out;
}

/** The training pairs of one low-fidelity level: the first n of the seed's streams of that fidelity. */
async function lowTraining(ctx: ExperimentContext, seed: number, fidelity: LowFidelity['first']['fidelity'], n: number) {
  const cfg = ctx.cfg;
  // Every unit of a seed asks for the largest first-level budget of its fidelity, so the first one
  // simulates them all and the others read the cache.
  const want = Math.max(n, ...firstLevelBudgets(cfg, fidelity));
  const all = await cachedJoint(ctx.task, { ...cacheSettings(cfg, ctx.quiet), purpose: 'train', fidelity, seed, offset: ladderOffset(fidelity), n: want });
  return { ...prefix(all, n, ctx.task.thetaDim, ctx.task.xDim), cpuSecondsPerSim: all.cpuSecondsPerSim };
}

/** The first-level budgets of the config's ladders that start at `fidelity`. */
function firstLevelBudgets(cfg: ExperimentConfig, fidelity: string): number[] {
  const lows = cfg.lowFidelities.map((t) => parseLowFidelity(t, 'lowFidelities')).filter((l) => l.first.fidelity === fidelity);
  return lows.flatMap((l) => ladderBudgets(l, cfg.lfBudgets));
}

/** Simulation CPU seconds per low fidelity of a ladder's pre-training data. */
type LowCost = Pick<CostRow, 'lf_sim_cpu_s' | 'mf_sim_cpu_s'>;

/** Pre-trains on the ladder's first level at nLf, then advances through its later levels; returns the costs so far. */
async function pretrainLadder(mf: MFNPE, low: LowFidelity, nLf: number, seed: number, ctx: ExperimentContext) {
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

async function runMfNpeChain(seed: number, nLf: number, lowText: string, ctx: ExperimentContext): Promise<UnitResult> {
  const { cfg, task } = ctx;
  const low = parseLowFidelity(lowText, 'lowFidelities');
  const out = emptyResult();
  const hf = await hfTraining(ctx, seed);
  const mf = new MFNPE(task, { flow: cfg.flow, seed, finetune: { freeze: cfg.finetune.freeze, refitX: cfg.finetune.refitX } });
  const pre = await pretrainLadder(mf, low, nLf, seed, ctx);
  const preKey: PosteriorKey = { method: pretrainedMethod(low) as MethodName, n_lf: nLf, n_hf: 0, seed };
  out.costs.push({ ...preKey, ...pre.cost, hf_sim_cpu_s: 0, train_s: pre.train_s, epochs: pre.epochs });
  const ev = await evaluatePosterior(mf.pretrained!, preKey, ctx);
  out.metrics.push(...ev.metrics);
  out.units.push(...ev.units);
  const cornerHf = Math.min(...cfg.hfBudgets);
  const keepCorner = seed === cfg.seeds[0] && low.id === 'lf' && nLf === Math.max(...cfg.lfBudgets);
  const method = fineTunedMethod(low) as MethodName;
  const tag = `[${task.name}] seed ${seed} fine-tune ${ladderLabel(low.id)} ${nLf}`;
  for (const nHf of cfg.hfBudgets) {
    const h = prefix(hf, nHf, task.thetaDim, task.xDim);
    const fine = await mf.finetune(h.theta, h.x, trainOptions(cfg.finetune, seed, `${tag} → ${nHf} HF`, ctx.quiet));
    const r = mf.finetuneResult!;
    const key: PosteriorKey = { method, n_lf: nLf, n_hf: nHf, seed };
    out.costs.push({ ...key, ...pre.cost, hf_sim_cpu_s: hf.cpuSecondsPerSim * nHf, train_s: pre.train_s + r.elapsedMs / 1000, epochs: pre.epochs + r.epochs });
    const label = keepCorner && nHf === cornerHf ? `MF-NPE (${nLf} LF, ${nHf} HF)` : null;
    await record(out, fine, key, label, ctx);
  }
  if (ctx.keepPosteriors) out.posteriors.push({ key: preKey, posterior: mf.pretrained! });
  else mf.dispose();
  return out;
}
