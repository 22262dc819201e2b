/**
 * The MF-NPE experiment on one task (Krouglova et al. 2025, Sec. 4; docs/methods.md): for every seed,
 * low-fidelity ladder and budget and HF budget, NPE on the HF pairs from scratch, MF-NPE (pre-train on
 * the low-fidelity pairs, fine-tune on the HF pairs) and the pre-trained flow alone ('npe-lf',
 * 'npe-mf'), each evaluated by NLTP on a held-out
 * HF test set and by C2ST and MMD against a reference posterior (evaluate.ts, reference.ts); with the
 * config's `sequential` key, also TSNPE, MF-TSNPE and A-MF-TSNPE run per test observation
 * (sequential-unit.ts).
 *
 * The work is split into independent units (plan.ts). `runExperiment` runs them one after another in
 * this process; study.ts runs them in worker processes or one per cluster job. The rows of a unit
 * depend only on its seed and chain, so every way of running gives the same results.
 */
import { cachedJoint } from './cache.js';
import type { ExperimentConfig } from './config.js';
import { cacheSettings, prepareContext } from './context.js';
import { observedTrace } from './observed.js';
import { planUnits } from './plan.js';
import { ladderBudgets, parseLowFidelity } from './low-fidelity.js';
import { LF_STREAM_OFFSET } from './seeds.js';
import type { ExperimentResult, UnitResult } from './types.js';
import type { ReferenceResult } from './unit-files.js';
import { referenceResult, runUnit } from './unit.js';
import { sequentialRows } from './sequential-unit.js';
import { ladderOffset } from '../tasks/ladder.js';
import { getTask } from '../tasks/registry.js';

export type { CostRow, ExperimentResult, MethodName, MetricName, MetricRow, ReferenceInfo, UnitRow } from './types.js';
export { LF_STREAM_OFFSET };

/** Options of a run. */
export interface RunOptions {
  /** No progress on stderr. */
  quiet?: boolean;
  /** Return the trained posteriors in `result.posteriors` (the caller disposes them). */
  keepPosteriors?: boolean;
}

/** Runs the experiment on one task in this process. Progress on stderr; results returned (report.ts writes the files). */
export async function runExperiment(cfg: ExperimentConfig, opts: RunOptions = {}): Promise<ExperimentResult> {
  const t0 = performance.now();
  const ctx = await prepareContext(cfg, opts);
  const results: UnitResult[] = [];
  for (const unit of planUnits(cfg)) if (unit.stage === 1) results.push(await runUnit(unit, ctx));
  return assemble(cfg, referenceResult(ctx), results, (performance.now() - t0) / 1000, opts.quiet ?? false);
}

/** The largest training budget of each low fidelity in the config's ladders. */
function lowFidelityBudgets(cfg: ExperimentConfig): Map<'lf' | 'mf', number> {
  const most = new Map<'lf' | 'mf', number>();
  for (const text of cfg.lowFidelities) {
    const low = parseLowFidelity(text, 'lowFidelities');
    const levels = [...ladderBudgets(low, cfg.lfBudgets).map((n) => ({ fidelity: low.first.fidelity, n })), ...low.rest];
    for (const l of levels) most.set(l.fidelity, Math.max(most.get(l.fidelity) ?? 0, l.n));
  }
  return most;
}

/** The training summaries of the first seed per fidelity (largest budgets, at most 2000 rows each), from the cache. */
async function firstSeedSummaries(cfg: ExperimentConfig, quiet: boolean): Promise<ExperimentResult['summaries']> {
  const task = getTask(cfg.task);
  const C = task.xDim;
  const seed = cfg.seeds[0];
  const cache = cacheSettings(cfg, quiet);
  const maxHf = Math.max(...cfg.hfBudgets);
  const hf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'hf', seed, offset: 0, n: maxHf });
  const out: ExperimentResult['summaries'] = { hf: hf.x.slice(0, Math.min(maxHf, 2000) * C) };
  for (const [fidelity, n] of lowFidelityBudgets(cfg)) {
    const d = await cachedJoint(task, { ...cache, purpose: 'train', fidelity, seed, offset: ladderOffset(fidelity), n });
    out[fidelity] = d.x.slice(0, Math.min(n, 2000) * C);
  }
  return out;
}

/** Joins the reference unit and the replicate units' results (in plan order) into the run's result. */
export async function assemble(
  cfg: ExperimentConfig,
  ref: ReferenceResult,
  results: UnitResult[],
  wallSeconds: number,
  quiet = true,
): Promise<ExperimentResult> {
  const task = getTask(cfg.task);
  const bounds = task.prior.bounds ?? null;
  const units = results.flatMap((r) => r.units);
  const seq = sequentialRows(
    units,
    results.flatMap((r) => r.costs),
  );
  const corner: ExperimentResult['corner'] = {
    obs: 0,
    theta: ref.theta0,
    x: ref.x0,
    n_lf: Math.max(...cfg.lfBudgets),
    n_hf: Math.min(...cfg.hfBudgets),
    sets: [{ label: 'reference', samples: ref.refSamples0 }, ...results.flatMap((r) => r.corner)],
  };
  return {
    config: cfg,
    task: task.name,
    thetaNames: [...task.thetaNames],
    xNames: [...task.xNames],
    bounds: bounds ? { low: Array.from(bounds.low), high: Array.from(bounds.high) } : null,
    // Sequential units leave unit rows only: each seed's metric row is their mean (appended after
    // the amortized rows), their cost rows one per seed.
    metrics: [...results.flatMap((r) => r.metrics), ...seq.metrics],
    units,
    costs: seq.costs,
    reference: ref.reference,
    testSimSeconds: ref.testSimSeconds,
    wallSeconds,
    corner,
    predictive: task.name === 'hh' ? { observed: observedTrace(cfg.testSeed), draws: results.flatMap((r) => r.predictive) } : null,
    summaries: await firstSeedSummaries(cfg, quiet),
    posteriors: results.flatMap((r) => r.posteriors),
  };
}
