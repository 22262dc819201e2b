/**
 * The MF-NPE experiment on one task (Krouglova et al. 2025, Sec. 4; docs/methods.md): for every seed,
 * LF budget and HF budget, NPE on the HF pairs from scratch, MF-NPE (pre-train on the LF pairs,
 * fine-tune on the HF pairs) and the LF-only flow ('npe-lf'), each evaluated by NLTP on a held-out
 * HF test set and by C2ST and MMD against a reference posterior (evaluate.ts, reference.ts).
 *
 * The work is split into independent units (plan.ts), run here one after another; the rows of a unit
 * depend only on its seed and chain, so any order or process split gives the same results.
 */
import { cachedJoint } from './cache.js';
import type { ExperimentConfig } from './config.js';
import { cacheSettings, type ExperimentContext, observation, prepareContext } from './context.js';
import { planUnits } from './plan.js';
import { LF_STREAM_OFFSET } from './seeds.js';
import type { ExperimentResult, UnitResult } from './types.js';
import { runUnit } from './unit.js';
import { observedTrace } from './observed.js';

export type { CostRow, ExperimentResult, MethodName, MetricName, MetricRow, ReferenceInfo, UnitRow } from './types.js';
export { LF_STREAM_OFFSET };

/** Options of a run. */
export interface RunOptions {
  /** No progress on stderr. */
  quiet?: boolean;
  /** Return the trained posteriors in `result.posteriors` (the caller disposes them). */
  keepPosteriors?: boolean;
}

/** Runs the experiment on one task. Progress on stderr; results returned (see report.ts for files). */
export async function runExperiment(cfg: ExperimentConfig, opts: RunOptions = {}): Promise<ExperimentResult> {
  const t0 = performance.now();
  const ctx = await prepareContext(cfg, opts);
  const results: UnitResult[] = [];
  for (const unit of planUnits(cfg)) results.push(await runUnit(unit, ctx));
  return assemble(ctx, results, (performance.now() - t0) / 1000);
}

/** The LF and HF training summaries of the first seed (largest budgets, at most 2000 rows each). */
async function firstSeedSummaries(ctx: ExperimentContext): Promise<ExperimentResult['summaries']> {
  const { cfg, task } = ctx;
  const C = task.xDim;
  const seed = cfg.seeds[0];
  const cache = cacheSettings(cfg, ctx.quiet);
  const maxLf = Math.max(...cfg.lfBudgets);
  const maxHf = Math.max(...cfg.hfBudgets);
  const hf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'hf', seed, offset: 0, n: maxHf });
  const lf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'lf', seed, offset: LF_STREAM_OFFSET, n: maxLf });
  return { lf: lf.x.slice(0, Math.min(maxLf, 2000) * C), hf: hf.x.slice(0, Math.min(maxHf, 2000) * C) };
}

/** Joins the units' rows (in plan order) into the run's result. */
export async function assemble(ctx: ExperimentContext, results: UnitResult[], wallSeconds: number): Promise<ExperimentResult> {
  const { cfg, task, test } = ctx;
  const D = task.thetaDim;
  const bounds = task.prior.bounds ?? null;
  const corner: ExperimentResult['corner'] = {
    obs: 0,
    theta: Array.from(test.theta.subarray(0, D)),
    x: Array.from(observation(ctx, 0)),
    n_lf: Math.max(...cfg.lfBudgets),
    n_hf: Math.min(...cfg.hfBudgets),
    sets: [{ label: 'reference', samples: ctx.refSamples[0] }, ...results.flatMap((r) => r.corner)],
  };
  return {
    config: cfg,
    task: task.name,
    thetaNames: [...task.thetaNames],
    xNames: [...task.xNames],
    bounds: bounds ? { low: Array.from(bounds.low), high: Array.from(bounds.high) } : null,
    metrics: results.flatMap((r) => r.metrics),
    units: results.flatMap((r) => r.units),
    costs: results.flatMap((r) => r.costs),
    reference: ctx.reference,
    testSimSeconds: test.seconds,
    wallSeconds,
    corner,
    predictive: task.name === 'hh' ? { observed: observedTrace(cfg.testSeed), draws: results.flatMap((r) => r.predictive) } : null,
    summaries: await firstSeedSummaries(ctx),
    posteriors: results.flatMap((r) => r.posteriors),
  };
}
