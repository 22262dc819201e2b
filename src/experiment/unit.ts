/**
 * One unit of work (plan.ts): a replicate seed's NPE chain (NPE from scratch on each HF budget) or
 * MF-NPE chain (one LF pre-training, the LF-only flow as a baseline, then a fine-tuned copy per HF
 * budget). NPE and MF-NPE of a seed start from the same seed-derived initialization and use the same
 * validation split and batch order on the HF pairs, so they differ only in the pre-training.
 */
import { MFNPE } from '../inference/mfnpe.js';
import { NPE } from '../inference/npe.js';
import type { NpePosterior } from '../inference/posterior.js';
import { cachedJoint } from './cache.js';
import { trainOptions } from './config.js';
import { cacheSettings, type ExperimentContext, observation } from './context.js';
import { evaluatePosterior, predictiveDraws } from './evaluate.js';
import type { Unit } from './plan.js';
import { LF_STREAM_OFFSET } from './seeds.js';
import type { PosteriorKey, UnitResult } from './types.js';
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
  return unit.chain.kind === 'npe' ? runNpeChain(unit.seed, ctx) : runMfNpeChain(unit.seed, unit.chain.nLf, ctx);
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
    out.costs.push({ method: 'npe', n_lf: 0, n_hf: nHf, seed, lf_sim_s: 0, hf_sim_s: hf.secondsPerSim * nHf, train_s: r.elapsedMs / 1000, epochs: r.epochs });
    await record(out, posterior, { method: 'npe', n_lf: 0, n_hf: nHf, seed }, first && nHf === cornerHf ? `NPE (${nHf} HF)` : null, ctx);
  }
  return out;
}

async function runMfNpeChain(seed: number, nLf: number, ctx: ExperimentContext): Promise<UnitResult> {
  const { cfg, task } = ctx;
  const D = task.thetaDim;
  const C = task.xDim;
  const out = emptyResult();
  const hf = await hfTraining(ctx, seed);
  const maxLf = Math.max(...cfg.lfBudgets);
  const lf = await cachedJoint(task, { ...cacheSettings(cfg, ctx.quiet), purpose: 'train', fidelity: 'lf', seed, offset: LF_STREAM_OFFSET, n: maxLf });
  const tag = `[${task.name}] seed ${seed}`;
  const mf = new MFNPE(task, { flow: cfg.flow, seed, finetune: { freeze: cfg.finetune.freeze, refitX: cfg.finetune.refitX } });
  const l = prefix(lf, nLf, D, C);
  const pre = await mf.pretrain(l.theta, l.x, trainOptions(cfg.pretrain, seed, `${tag} pre-train ${nLf} LF`, ctx.quiet));
  const preS = mf.pretrainResult!.elapsedMs / 1000;
  const lfSimS = lf.secondsPerSim * nLf;
  out.costs.push({ method: 'npe-lf', n_lf: nLf, n_hf: 0, seed, lf_sim_s: lfSimS, hf_sim_s: 0, train_s: preS, epochs: mf.pretrainResult!.epochs });
  const preKey: PosteriorKey = { method: 'npe-lf', n_lf: nLf, n_hf: 0, seed };
  const ev = await evaluatePosterior(pre, preKey, ctx);
  out.metrics.push(...ev.metrics);
  out.units.push(...ev.units);
  const cornerHf = Math.min(...cfg.hfBudgets);
  const keepCorner = seed === cfg.seeds[0] && nLf === maxLf;
  for (const nHf of cfg.hfBudgets) {
    const h = prefix(hf, nHf, D, C);
    const fine = await mf.finetune(h.theta, h.x, trainOptions(cfg.finetune, seed, `${tag} fine-tune ${nLf} LF → ${nHf} HF`, ctx.quiet));
    const r = mf.finetuneResult!;
    out.costs.push({
      method: 'mf-npe',
      n_lf: nLf,
      n_hf: nHf,
      seed,
      lf_sim_s: lfSimS,
      hf_sim_s: hf.secondsPerSim * nHf,
      train_s: preS + r.elapsedMs / 1000,
      epochs: mf.pretrainResult!.epochs + r.epochs,
    });
    const label = keepCorner && nHf === cornerHf ? `MF-NPE (${nLf} LF, ${nHf} HF)` : null;
    await record(out, fine, { method: 'mf-npe', n_lf: nLf, n_hf: nHf, seed }, label, ctx);
  }
  if (ctx.keepPosteriors) out.posteriors.push({ key: preKey, posterior: pre });
  else mf.dispose();
  return out;
}
