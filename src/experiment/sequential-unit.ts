/**
 * A sequential unit of the experiment (plan.ts): one replicate seed, one sequential method (TSNPE,
 * MF-TSNPE or A-MF-TSNPE; src/inference/tsnpe.ts, amf-tsnpe.ts) and one observation: test pair k,
 * (θ_k, x_k), drawn from the prior and the HF simulator. For each sequential HF budget it runs the
 * method for x_k from scratch (sequential runs are not nested: a larger budget is a new run) and
 * evaluates the final posterior there:
 *
 * - 'nltp': −log q(θ_k | x_k), the NLTP of the amortized methods restricted to this test pair;
 * - 'c2st' and 'mmd' against the reference posterior's samples at x_k, for k < nObs (the
 *   observations with reference samples), with the samples and seeds the amortized methods use.
 *
 * Its rows are unit rows (unit = k); assemble() turns a seed's observations into that seed's metric
 * rows (the mean over them) and its cost rows into one per seed (the mean). The run's seed is derived
 * from (replicate seed, k), so runs at different observations are independent; MF-TSNPE and
 * A-MF-TSNPE start from the seed's pre-trained flow (the ladder `sequential.lowFidelity` at `nLf`,
 * trained as the MF-NPE unit trains it), cached on disk by whichever unit needs it first and always
 * loaded from there, so every unit starts from the same weights whichever process trained them.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AMFTSNPE } from '../inference/amf-tsnpe.js';
import { MFNPE } from '../inference/mfnpe.js';
import { loadPosterior, type NpePosterior } from '../inference/posterior.js';
import type { SequentialNPE, SequentialSettings, Simulator } from '../inference/sequential.js';
import { MFTSNPE, TSNPE } from '../inference/tsnpe.js';
import { c2st } from '../metrics/c2st.js';
import { mmd } from '../metrics/mmd.js';
import type { Task } from '../tasks/task.js';
import { simulatorKey, textKey } from './cache.js';
import { type ExperimentConfig, type SequentialMethod, sequentialHfBudgets, sequentialNLf } from './config.js';
import { boxScale, type ExperimentContext, observation } from './context.js';
import { predictiveDraws } from './evaluate.js';
import { type LowFidelity, ladderUnitName, parseLowFidelity } from './low-fidelity.js';
import { log } from './log.js';
import { emptyResult, type LowCost, pretrainLadder } from './pretrain.js';
import { auxSeed, observationSeed } from './seeds.js';
import type { CostRow, MetricRow, UnitResult, UnitRow } from './types.js';

/** Names of the sequential methods for people. */
export const SEQUENTIAL_LABELS: Record<SequentialMethod, string> = { tsnpe: 'TSNPE', 'mf-tsnpe': 'MF-TSNPE', 'a-mf-tsnpe': 'A-MF-TSNPE' };

/** Whether a method is one of the sequential ones. */
export function isSequential(method: string): method is SequentialMethod {
  return method in SEQUENTIAL_LABELS;
}

/** A pre-trained start and what it cost (stored with the cached flow). */
interface Pretrained {
  posterior: NpePosterior;
  cost: LowCost;
  train_s: number;
  epochs: number;
}

/**
 * Where the seed's pre-trained flow is cached, the settings it is trained with, and its ladder and size:
 * dataDir/<task>/pretrained-<ladder>-seed<S>-sim<key>-set<settings key>/. The settings key (flow,
 * pre-training and, for a ladder, fine-tuning settings) keeps studies with other settings, e.g. 2
 * and 5 hidden layers sharing a data dir, in folders of their own.
 */
export function pretrainedCache(cfg: ExperimentConfig, task: Task, seed: number): { dir: string; settings: string; low: LowFidelity; nLf: number } {
  const low = parseLowFidelity(cfg.sequential!.lowFidelity, 'sequential.lowFidelity');
  const nLf = sequentialNLf(cfg);
  const settings = JSON.stringify({ flow: cfg.flow, pretrain: cfg.pretrain, ladder: low.rest.length > 0 ? cfg.finetune : null });
  const dir = join(cfg.dataDir, task.name, `pretrained-${ladderUnitName(low, nLf)}-seed${seed}-sim${simulatorKey(task)}-set${textKey(settings)}`);
  return { dir, settings, low, nLf };
}

/**
 * The seed's pre-trained flow for MF-TSNPE and A-MF-TSNPE, from its cache folder (pretrainedCache)
 * when it was trained with these settings; otherwise trained now (same streams and settings as the
 * MF-NPE unit's pre-training), saved there (a folder renamed into place, so a concurrent unit sees
 * all of it or nothing) and loaded back.
 */
async function pretrainedStart(seed: number, ctx: ExperimentContext): Promise<Pretrained> {
  const { cfg, task } = ctx;
  const { dir, settings, low, nLf } = pretrainedCache(cfg, task, seed);
  const cached = await loadPretrained(dir, settings);
  if (cached) return cached;
  const mf = new MFNPE(task, { flow: cfg.flow, seed });
  const pre = await pretrainLadder(mf, low, nLf, seed, ctx);
  const post = mf.pretrained!;
  post.meta = { ...post.meta, task: task.name, experimentSettings: settings, cost: pre.cost, train_s: pre.train_s, epochs: pre.epochs };
  const tmp = `${dir}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  post.save(tmp);
  mf.dispose();
  // Another unit may have put the same flow there meanwhile: use it, and never remove a folder that
  // a concurrent unit may be reading. Only a folder whose settings do not match (the folder name
  // holds their key, so a folder left by an older version) is replaced.
  const done = await loadPretrained(dir, settings);
  if (done) {
    rmSync(tmp, { recursive: true, force: true });
    return done;
  }
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  try {
    renameSync(tmp, dir);
  } catch {
    // Another unit put the same flow there first.
    rmSync(tmp, { recursive: true, force: true });
  }
  const loaded = await loadPretrained(dir, settings);
  if (!loaded) throw new Error(`the pre-trained flow in ${dir} could not be read back`);
  return loaded;
}

async function loadPretrained(dir: string, settings: string): Promise<Pretrained | null> {
  if (!existsSync(join(dir, 'config.json'))) return null;
  const post = await loadPosterior(dir);
  if (post.meta.experimentSettings !== settings) {
    post.dispose();
    return null;
  }
  const m = post.meta as { cost: LowCost; train_s: number; epochs: number };
  return { posterior: post, cost: m.cost, train_s: m.train_s, epochs: m.epochs };
}

/** The HF simulator of the task, counting the CPU seconds (this process, its threads included) it spends. */
function timedSimulator(task: Task, workers: number | null): { simulate: Simulator; cpuSeconds: () => number } {
  let cpu = 0;
  const simulate: Simulator = async (theta, seed, offset) => {
    const c0 = process.cpuUsage();
    const x = await task.simulate(theta, seed, { offset, fidelity: 'hf', workers: workers ?? undefined });
    const c = process.cpuUsage(c0);
    cpu += (c.user + c.system) / 1e6;
    return x;
  };
  return { simulate, cpuSeconds: () => cpu };
}

/** The runner of a method with the config's sequential settings. */
function runner(method: SequentialMethod, task: Task, start: NpePosterior | null, seed: number, ctx: ExperimentContext): SequentialNPE {
  const { cfg } = ctx;
  const s = cfg.sequential!;
  const t = s.train;
  const common: SequentialSettings = {
    rounds: s.rounds,
    seed,
    flow: cfg.flow,
    truncation: { quantile: s.quantile, draws: s.thresholdDraws },
    // No seed here: each member trains with its own (round-plan.ts memberSeed).
    train: {
      learningRate: t.learningRate,
      maxEpochs: t.maxEpochs ?? undefined,
      patience: t.patience,
      batchSize: t.batchSize,
      validationFraction: t.validationFraction,
      startCandidate: t.startCandidate,
    },
    quiet: ctx.quiet,
  };
  if (method === 'tsnpe') return new TSNPE(task, common);
  if (method === 'mf-tsnpe') return new MFTSNPE(task, start!, common);
  return new AMFTSNPE(task, start!, { ...common, ensemble: s.ensemble, activeShare: s.activeShare, poolSize: s.poolSize ?? undefined, poolFrom: s.poolFrom });
}

/** Runs one sequential unit: every sequential HF budget at observation k. */
export async function runSequentialUnit(seed: number, method: SequentialMethod, k: number, ctx: ExperimentContext): Promise<UnitResult> {
  const { cfg, task } = ctx;
  const D = task.thetaDim;
  const out = emptyResult();
  const xo = observation(ctx, k);
  const thetaO = ctx.test.theta.subarray(k * D, (k + 1) * D);
  const pre = method === 'tsnpe' ? null : await pretrainedStart(seed, ctx);
  const nLf = pre ? sequentialNLf(cfg) : 0;
  const runSeed = observationSeed(seed, k);
  const budgets = sequentialHfBudgets(cfg);
  const label = SEQUENTIAL_LABELS[method];
  try {
    for (const nHf of budgets) {
      const e0 = performance.now();
      const sim = timedSimulator(task, cfg.workers);
      const run = runner(method, task, pre?.posterior ?? null, runSeed, ctx);
      const q = await run.run(xo, sim.simulate, nHf);
      const key = { method, n_lf: nLf, n_hf: nHf, seed };
      const rounds = run.records;
      const runSeconds = rounds.reduce((a, r) => a + r.trainingSeconds + r.proposalSeconds, 0);
      const cost: CostRow = {
        ...key,
        lf_sim_cpu_s: pre?.cost.lf_sim_cpu_s ?? 0,
        mf_sim_cpu_s: pre?.cost.mf_sim_cpu_s ?? 0,
        hf_sim_cpu_s: sim.cpuSeconds(),
        train_s: (pre?.train_s ?? 0) + runSeconds,
        epochs: (pre?.epochs ?? 0) + rounds.reduce((a, r) => a + r.epochs, 0),
      };
      out.costs.push(cost);
      // The same log-density call as NLTP's (metrics/nltp.ts), on the one test pair.
      const nl = -(await q.logProb(Float64Array.from(thetaO), Float64Array.from(xo)))[0];
      out.units.push({ ...key, metric: 'nltp', unit: k, value: nl });
      let text = `NLTP ${nl.toFixed(3)}`;
      if (k < cfg.nObs) {
        const samples = await q.sample(cfg.posteriorSamples, xo, auxSeed(seed, k));
        const acc = await c2st(ctx.refSamples[k], samples, D, { seed: auxSeed(seed, 100 + k), folds: cfg.c2st.folds, stopping: cfg.c2st.stopping });
        const m2 = mmd(ctx.refScaled[k], boxScale(samples, task.prior.bounds ?? null, D), D);
        out.units.push({ ...key, metric: 'c2st', unit: k, value: acc }, { ...key, metric: 'mmd', unit: k, value: m2 });
        if (cfg.sequential?.saveSamples) {
          out.samples ??= [];
          out.samples.push({ key, unit: k, samples });
        }
        text += `, C2ST ${acc.toFixed(3)}, MMD ${m2.toFixed(4)}`;
        if (k === 0 && seed === cfg.seeds[0] && nHf === Math.min(...budgets)) {
          const name = `${label} (${nLf > 0 ? `${nLf} LF, ` : ''}${nHf} HF)`;
          out.corner.push({ label: name, samples });
          if (task.name === 'hh') out.predictive.push(...predictiveDraws(name, samples, seed, ctx));
        }
      }
      q.dispose();
      log(
        ctx.quiet,
        `[${task.name}] seed ${seed} ${method} obs ${k}${nLf ? ` ${nLf} LF` : ''} ${nHf} HF: ${text} (${((performance.now() - e0) / 1000).toFixed(1)} s)`,
      );
    }
  } finally {
    pre?.posterior.dispose();
  }
  return out;
}

/**
 * The sequential units' rows as the report needs them: each seed's metric row is the mean over the
 * observations it ran at (per method, budget and metric), and its cost row the mean of its
 * observations' costs. Rows of other methods pass through unchanged, in their order.
 */
export function sequentialRows(units: readonly UnitRow[], costs: readonly CostRow[]): { metrics: MetricRow[]; costs: CostRow[] } {
  const groups = new Map<string, { row: MetricRow; sum: number; n: number }>();
  for (const u of units) {
    if (!isSequential(u.method)) continue;
    const k = `${u.method}|${u.n_lf}|${u.n_hf}|${u.seed}|${u.metric}`;
    const g = groups.get(k) ?? { row: { method: u.method, n_lf: u.n_lf, n_hf: u.n_hf, seed: u.seed, metric: u.metric, value: 0 }, sum: 0, n: 0 };
    g.sum += u.value;
    g.n += 1;
    groups.set(k, g);
  }
  const metrics = [...groups.values()].map((g) => ({ ...g.row, value: g.sum / g.n }));
  const costGroups = new Map<string, CostRow[]>();
  const merged: CostRow[] = [];
  for (const c of costs) {
    if (!isSequential(c.method)) {
      merged.push(c);
      continue;
    }
    const k = `${c.method}|${c.n_lf}|${c.n_hf}|${c.seed}`;
    if (!costGroups.has(k)) {
      costGroups.set(k, []);
      merged.push(c);
    }
    costGroups.get(k)!.push(c);
  }
  const mean = (rows: CostRow[], f: keyof CostRow) => rows.reduce((a, r) => a + (r[f] as number), 0) / rows.length;
  const out = merged.map((c) => {
    if (!isSequential(c.method)) return c;
    const rows = costGroups.get(`${c.method}|${c.n_lf}|${c.n_hf}|${c.seed}`)!;
    return {
      ...c,
      lf_sim_cpu_s: mean(rows, 'lf_sim_cpu_s'),
      mf_sim_cpu_s: mean(rows, 'mf_sim_cpu_s'),
      hf_sim_cpu_s: mean(rows, 'hf_sim_cpu_s'),
      train_s: mean(rows, 'train_s'),
      epochs: mean(rows, 'epochs'),
    };
  });
  return { metrics, costs: out };
}
