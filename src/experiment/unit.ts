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
import { cachedJoint } from './cache.js';
import { trainOptions } from './config.js';
import { emptyResult, prefix, pretrainLadder } from './pretrain.js';
import { cacheSettings, type ExperimentContext, observation } from './context.js';
import { evaluatePosterior, predictiveDraws } from './evaluate.js';
import { fineTunedMethod, ladderLabel, parseLowFidelity, pretrainedMethod } from './low-fidelity.js';
import type { Unit } from './plan.js';
import type { MethodName, PosteriorKey, UnitResult } from './types.js';
import type { ReferenceResult } from './unit-files.js';
import { runSequentialUnit } from './sequential-unit.js';

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
  if (unit.chain.kind === 'sequential') return runSequentialUnit(unit.seed, unit.chain.method, unit.chain.obs, ctx);
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
