/**
 * The MF-NPE experiment on one task (issue 5; Krouglova et al. 2025, Sec. 4): for every seed, LF
 * budget and HF budget, train NPE on the HF pairs from scratch, MF-NPE (pre-train on the LF pairs,
 * fine-tune on the HF pairs) and keep the LF-only flow ('npe-lf'), then evaluate each posterior:
 *
 * - NLTP −log q(θ* | x*) on a held-out HF test set (streams (testSeed, STREAM_OFFSET.test + i),
 *   disjoint from every training stream);
 * - C2ST and MMD against a reference posterior at the first `nObs` test observations: the exact
 *   posterior where the task has one (OU), else NPE trained once on a large HF budget (HH; an
 *   approximation whose own NLTP is reported alongside).
 *
 * Data: replicate seed s uses HF training streams (s, i) and LF training streams (s, 2³⁹ + i), so LF
 * and HF parameters are independent draws; budgets are prefixes of one cached simulation set.
 * Networks: NPE and MF-NPE of seed s start from the same seed-derived initialization stream and
 * use the same validation split and batch order on the HF pairs (paired comparison).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng, STREAM_OFFSET, streamRng } from '../random.js';
import type { Task } from '../tasks/task.js';
import type { NpePosterior } from '../inference/posterior.js';
import type { ConditionalDensity } from '../inference/conditional.js';
import type { TrainOptions } from '../inference/train.js';
import { cachedJoint } from './cache.js';
import { getTask } from '../tasks/registry.js';
import type { ExperimentConfig, TrainSettings } from './config.js';

/** First stream of the LF training simulations of a replicate (HF training uses 0, 1, …). */
export const LF_STREAM_OFFSET = 2 ** 39;

export type MethodName = 'npe' | 'mf-npe' | 'npe-lf';
export type MetricName = 'nltp' | 'c2st' | 'mmd';

export interface MetricRow {
  method: MethodName;
  n_lf: number;
  n_hf: number;
  seed: number;
  metric: MetricName;
  value: number;
}

/** One value per test pair (nltp) or per observation (c2st, mmd): the units of paired statistics. */
export interface UnitRow extends MetricRow {
  /** Index of the test pair / observation in the test set. */
  unit: number;
}

export interface CostRow {
  method: MethodName;
  n_lf: number;
  n_hf: number;
  seed: number;
  /** Wall-clock seconds of the LF / HF training simulations this posterior used (prefix share). */
  lf_sim_s: number;
  hf_sim_s: number;
  /** Training seconds (MF-NPE: pre-training + fine-tuning; npe-lf: pre-training). */
  train_s: number;
  epochs: number;
}

export interface ReferenceInfo {
  kind: 'exact' | 'npe';
  /** HF simulations and seed of an NPE reference. */
  sims?: number;
  seed?: number;
  /** NLTP of the reference on the same test set (mean and 95 % CI), for NPE references. */
  nltp?: { mean: number; lower: number; upper: number; n: number };
  sim_s?: number;
  train_s?: number;
  /** Whether the reference model came from the cache. */
  cached?: boolean;
}

export interface ExperimentResult {
  config: ExperimentConfig;
  task: string;
  thetaNames: string[];
  xNames: string[];
  bounds: { low: number[]; high: number[] } | null;
  metrics: MetricRow[];
  units: UnitRow[];
  costs: CostRow[];
  reference: ReferenceInfo;
  /** Test-set simulation seconds (not part of any method's budget). */
  testSimSeconds: number;
  /** Wall-clock seconds of the whole run. */
  wallSeconds: number;
  /** Samples at observation 0 for the corner plot (seed seeds[0], smallest HF, largest LF budget). */
  corner: { obs: number; theta: number[]; x: number[]; n_lf: number; n_hf: number; sets: { label: string; samples: Float64Array }[] };
  /** HH only: the observed trace of observation 0 and HF traces at posterior draws. */
  predictive: { observed: Float64Array; draws: { label: string; theta: number[]; v: Float64Array }[] } | null;
  /** LF and HF training summaries of seeds[0] (largest budgets, at most 2000 rows each). */
  summaries: { lf: Float64Array; hf: Float64Array };
}

function log(quiet: boolean, msg: string): void {
  if (!quiet && !process.env.MFNPE_QUIET) process.stderr.write(`${msg}\n`);
}

function trainOptions(s: TrainSettings, seed: number, label: string, quiet: boolean): TrainOptions {
  return { learningRate: s.learningRate, maxEpochs: s.maxEpochs ?? undefined, patience: s.patience, batchSize: s.batchSize, seed, label, quiet };
}

function prefix(d: { theta: Float64Array; x: Float64Array }, n: number, D: number, C: number) {
  return { theta: d.theta.subarray(0, n * D), x: d.x.subarray(0, n * C) };
}

/** A derived seed for sampling/C2ST of (replicate seed, purpose k). */
function auxSeed(seed: number, k: number): number {
  return new Rng(seed, STREAM_OFFSET.aux + 1000 + k).seed31();
}

/** The task object for an experiment task name. */
export async function experimentTask(name: string): Promise<Task> {
  return getTask(name);
}

/** Scales θ rows by the prior box (θ − low)/(high − low), so MMD weighs every parameter alike. */
function boxScale(samples: Float64Array, bounds: { low: ArrayLike<number>; high: ArrayLike<number> } | null, D: number): Float64Array {
  if (!bounds) return samples;
  const out = new Float64Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const j = i % D;
    out[i] = (samples[i] - bounds.low[j]) / (bounds.high[j] - bounds.low[j]);
  }
  return out;
}

/** Runs the experiment on one task. Progress on stderr; results returned (see report.ts for files). */
export async function runExperiment(cfg: ExperimentConfig, opts: { quiet?: boolean } = {}): Promise<ExperimentResult> {
  const quiet = opts.quiet ?? false;
  const t0 = performance.now();
  const task = await experimentTask(cfg.task);
  if (!task.fidelities.includes('lf')) throw new Error(`task ${task.name} has no LF simulator`);
  const { trainNpe } = await import('../inference/npe.js');
  const { pretrainLf, finetuneHf } = await import('../inference/mfnpe.js');
  const { nltp } = await import('../metrics/nltp.js');
  const { c2st } = await import('../metrics/c2st.js');
  const { mmd } = await import('../metrics/mmd.js');
  const D = task.thetaDim;
  const C = task.xDim;
  const bounds = task.prior.bounds ?? null;
  const spec = { thetaDim: D, xDim: C, bounds, thetaNames: task.thetaNames, xNames: task.xNames };
  const cache = { dir: cfg.dataDir, workers: cfg.workers ?? undefined, quiet };
  const tag = `[${task.name}]`;

  // Held-out HF test set; the first nObs observations carry C2ST/MMD.
  const test = await cachedJoint(task, { ...cache, purpose: 'test', fidelity: 'hf', seed: cfg.testSeed, offset: STREAM_OFFSET.test, n: cfg.testSize });
  const nObs = cfg.nObs;
  const obsX = (k: number) => test.x.subarray(k * C, (k + 1) * C);
  const S = cfg.posteriorSamples;

  // Reference posterior samples at each observation.
  const refSamples: Float64Array[] = [];
  let reference: ReferenceInfo;
  if (task.referencePosterior) {
    for (let k = 0; k < nObs; k++) refSamples.push(task.referencePosterior(Float64Array.from(obsX(k)), S, auxSeed(cfg.testSeed, 500 + k)));
    reference = { kind: 'exact' };
    log(quiet, `${tag} reference: exact posterior samples at ${nObs} observations`);
  } else {
    const r = await referenceNpe(task, cfg, quiet);
    for (let k = 0; k < nObs; k++) refSamples.push(await r.posterior.sample(S, obsX(k), auxSeed(cfg.testSeed, 500 + k)));
    const nl = await nltp(r.posterior, test.theta, test.x);
    reference = {
      kind: 'npe',
      sims: cfg.reference.sims,
      seed: cfg.reference.seed,
      nltp: { mean: nl.mean, lower: nl.lower, upper: nl.upper, n: nl.n },
      sim_s: r.simSeconds,
      train_s: r.trainSeconds,
      cached: r.cached,
    };
    log(quiet, `${tag} reference NPE (${cfg.reference.sims} HF): NLTP ${nl.mean.toFixed(3)} [${nl.lower.toFixed(3)}, ${nl.upper.toFixed(3)}]`);
    r.posterior.dispose();
  }
  const refScaled = refSamples.map((s) => boxScale(s, bounds, D));

  const metrics: MetricRow[] = [];
  const units: UnitRow[] = [];
  const costs: CostRow[] = [];
  const maxLf = Math.max(...cfg.lfBudgets);
  const maxHf = Math.max(...cfg.hfBudgets);
  const cornerHf = Math.min(...cfg.hfBudgets);
  const corner: ExperimentResult['corner'] = {
    obs: 0,
    theta: Array.from(test.theta.subarray(0, D)),
    x: Array.from(obsX(0)),
    n_lf: maxLf,
    n_hf: cornerHf,
    sets: [{ label: 'reference', samples: refSamples[0] }],
  };
  const isHH = task.name === 'hh';
  const predictive: ExperimentResult['predictive'] = isHH ? { observed: await observedTrace(cfg.testSeed), draws: [] } : null;
  let summaries: ExperimentResult['summaries'] = { lf: new Float64Array(0), hf: new Float64Array(0) };

  /** Evaluates one posterior and records its rows; keeps corner/predictive material when asked. */
  const evaluate = async (q: NpePosterior, key: { method: MethodName; n_lf: number; n_hf: number; seed: number }, keep: string | null) => {
    const e0 = performance.now();
    const nl = await nltp(q as ConditionalDensity, test.theta, test.x);
    metrics.push({ ...key, metric: 'nltp', value: nl.mean });
    nl.values.forEach((v, i) => {
      units.push({ ...key, metric: 'nltp', unit: i, value: v });
    });
    let c2Sum = 0;
    let mmSum = 0;
    for (let k = 0; k < nObs; k++) {
      const samples = await q.sample(S, obsX(k), auxSeed(key.seed, k));
      const acc = await c2st(refSamples[k], samples, D, { seed: auxSeed(key.seed, 100 + k), folds: cfg.c2st.folds, stopping: cfg.c2st.stopping });
      const m2 = mmd(refScaled[k], boxScale(samples, bounds, D), D);
      units.push({ ...key, metric: 'c2st', unit: k, value: acc });
      units.push({ ...key, metric: 'mmd', unit: k, value: m2 });
      c2Sum += acc;
      mmSum += m2;
      if (k === 0 && keep) {
        corner.sets.push({ label: keep, samples });
        if (predictive) {
          const { simulateTrace } = await import('../simulators/simulate.js');
          for (let d = 0; d < cfg.predictiveDraws; d++) {
            const th = samples.subarray(d * D, (d + 1) * D);
            predictive.draws.push({ label: keep, theta: Array.from(th), v: simulateTrace('hf', th, streamRng(key.seed, STREAM_OFFSET.aux + 2000 + d)).v });
          }
        }
      }
    }
    metrics.push({ ...key, metric: 'c2st', value: c2Sum / nObs });
    metrics.push({ ...key, metric: 'mmd', value: mmSum / nObs });
    log(
      quiet,
      `${tag} seed ${key.seed} ${key.method}${key.n_lf ? ` ${key.n_lf} LF` : ''}${key.method !== 'npe-lf' ? ` ${key.n_hf} HF` : ''}: ` +
        `NLTP ${nl.mean.toFixed(3)}, C2ST ${(c2Sum / nObs).toFixed(3)}, MMD ${(mmSum / nObs).toFixed(4)} (evaluated in ${((performance.now() - e0) / 1000).toFixed(1)} s)`,
    );
  };

  for (const [r, seed] of cfg.seeds.entries()) {
    const hf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'hf', seed, offset: 0, n: maxHf });
    const lf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'lf', seed, offset: LF_STREAM_OFFSET, n: maxLf });
    if (r === 0) summaries = { lf: lf.x.slice(0, Math.min(maxLf, 2000) * C), hf: hf.x.slice(0, Math.min(maxHf, 2000) * C) };

    // NPE from scratch on each HF budget.
    for (const nHf of cfg.hfBudgets) {
      const { posterior, result } = await trainNpe(spec, prefix(hf, nHf, D, C), {
        flow: cfg.flow,
        seed,
        train: trainOptions(cfg.npe, seed, `${tag} seed ${seed} NPE ${nHf} HF`, quiet),
      });
      costs.push({
        method: 'npe',
        n_lf: 0,
        n_hf: nHf,
        seed,
        lf_sim_s: 0,
        hf_sim_s: hf.secondsPerSim * nHf,
        train_s: result.elapsedMs / 1000,
        epochs: result.epochs,
      });
      await evaluate(posterior, { method: 'npe', n_lf: 0, n_hf: nHf, seed }, r === 0 && nHf === cornerHf ? `NPE (${nHf} HF)` : null);
      posterior.dispose();
    }

    // MF-NPE: one pre-training per LF budget, fine-tuned on each HF budget.
    for (const nLf of cfg.lfBudgets) {
      const mfOpts = {
        flow: cfg.flow,
        seed,
        pretrain: trainOptions(cfg.pretrain, seed, `${tag} seed ${seed} pre-train ${nLf} LF`, quiet),
      };
      const pre = await pretrainLf(spec, prefix(lf, nLf, D, C), mfOpts);
      const preS = pre.result.elapsedMs / 1000;
      costs.push({ method: 'npe-lf', n_lf: nLf, n_hf: 0, seed, lf_sim_s: lf.secondsPerSim * nLf, hf_sim_s: 0, train_s: preS, epochs: pre.result.epochs });
      await evaluate(pre.posterior, { method: 'npe-lf', n_lf: nLf, n_hf: 0, seed }, null);
      for (const nHf of cfg.hfBudgets) {
        const fine = await finetuneHf(pre.posterior, prefix(hf, nHf, D, C), {
          ...mfOpts,
          finetune: {
            ...trainOptions(cfg.finetune, seed, `${tag} seed ${seed} fine-tune ${nLf} LF → ${nHf} HF`, quiet),
            freeze: cfg.finetune.freeze,
            refitX: cfg.finetune.refitX,
          },
        });
        costs.push({
          method: 'mf-npe',
          n_lf: nLf,
          n_hf: nHf,
          seed,
          lf_sim_s: lf.secondsPerSim * nLf,
          hf_sim_s: hf.secondsPerSim * nHf,
          train_s: preS + fine.result.elapsedMs / 1000,
          epochs: pre.result.epochs + fine.result.epochs,
        });
        await evaluate(
          fine.posterior,
          { method: 'mf-npe', n_lf: nLf, n_hf: nHf, seed },
          r === 0 && nHf === cornerHf && nLf === maxLf ? `MF-NPE (${nLf} LF, ${nHf} HF)` : null,
        );
        fine.posterior.dispose();
      }
      pre.posterior.dispose();
    }
  }

  return {
    config: cfg,
    task: task.name,
    thetaNames: [...task.thetaNames],
    xNames: [...task.xNames],
    bounds: bounds ? { low: Array.from(bounds.low), high: Array.from(bounds.high) } : null,
    metrics,
    units,
    costs,
    reference,
    testSimSeconds: test.seconds,
    wallSeconds: (performance.now() - t0) / 1000,
    corner,
    predictive,
    summaries,
  };
}

/** The HF voltage trace behind test observation 0 (same stream as its summary statistics). */
async function observedTrace(testSeed: number): Promise<Float64Array> {
  const { hhPrior } = await import('../prior.js');
  const { simulateTrace } = await import('../simulators/simulate.js');
  const rng = streamRng(testSeed, STREAM_OFFSET.test);
  const theta = hhPrior().sampleOne(rng);
  return simulateTrace('hf', theta, rng).v;
}

/**
 * The HH reference posterior: NPE trained once on `cfg.reference.sims` HF simulations of seed
 * `cfg.reference.seed`, cached in dataDir/<task>/reference-npe-n<N>-seed<S>/ with the settings it
 * was trained with (a change of settings retrains it).
 */
async function referenceNpe(
  task: Task,
  cfg: ExperimentConfig,
  quiet: boolean,
): Promise<{ posterior: NpePosterior; simSeconds: number; trainSeconds: number; cached: boolean }> {
  const { loadPosterior } = await import('../inference/posterior.js');
  const { trainNpe } = await import('../inference/npe.js');
  const dir = join(cfg.dataDir, task.name, `reference-npe-n${cfg.reference.sims}-seed${cfg.reference.seed}`);
  const settings = JSON.stringify({ flow: cfg.flow, npe: cfg.npe });
  if (existsSync(join(dir, 'config.json'))) {
    const post = await loadPosterior(dir);
    if (post.meta.experimentSettings === settings) {
      log(quiet, `[${task.name}] reference NPE loaded from ${dir}`);
      return { posterior: post, simSeconds: Number(post.meta.simSeconds) || 0, trainSeconds: Number(post.meta.trainSeconds) || 0, cached: true };
    }
    post.dispose();
  }
  const data = await cachedJoint(task, {
    dir: cfg.dataDir,
    workers: cfg.workers ?? undefined,
    quiet,
    purpose: 'reference',
    fidelity: 'hf',
    seed: cfg.reference.seed,
    offset: 0,
    n: cfg.reference.sims,
  });
  const spec = { thetaDim: task.thetaDim, xDim: task.xDim, bounds: task.prior.bounds ?? null, thetaNames: task.thetaNames, xNames: task.xNames };
  const { posterior, result } = await trainNpe(spec, data, {
    flow: cfg.flow,
    seed: cfg.reference.seed,
    train: trainOptions(cfg.npe, cfg.reference.seed, `[${task.name}] reference NPE ${cfg.reference.sims} HF`, quiet),
  });
  posterior.meta = {
    ...posterior.meta,
    task: task.name,
    sims: cfg.reference.sims,
    experimentSettings: settings,
    simSeconds: data.seconds,
    trainSeconds: result.elapsedMs / 1000,
  };
  posterior.save(dir);
  return { posterior, simSeconds: data.seconds, trainSeconds: result.elapsedMs / 1000, cached: false };
}
