/**
 * CPU-second estimates of a study's units (`mfnpe experiment --plan`), from costs measured on this
 * machine when the plan is made — milliseconds per simulation of each fidelity, per training step of
 * the configured flow, and per C2ST at the configured sample size (all in CPU time) — times the work a unit does:
 * simulations, training steps (epochs × steps per epoch) and evaluations. Epoch counts are not known
 * before training; the typical counts below are the medians of the quick grid's costs-by-seed.csv per
 * task (docs/results/mfnpe-quick.md), so an estimate is a planning figure, good to a factor of about 2
 * (docs/results/scale-out.md checks it on the reduced grid). Sequential units take their round
 * epochs from the same medians (NPE's for TSNPE, fine-tuning's for the MF variants), unmeasured.
 */
import { nsfConfig } from '../flows/nsf.js';
import { measureTrainStep } from '../inference/bench.js';
import { NPE } from '../inference/npe.js';
import { c2st } from '../metrics/c2st.js';
import { mmd } from '../metrics/mmd.js';
import { nltp } from '../metrics/nltp.js';
import { Rng } from '../random.js';
import type { Fidelity } from '../simulators/fidelity.js';
import { getTask } from '../tasks/registry.js';
import type { Task } from '../tasks/task.js';
import { type ExperimentConfig, sequentialHfBudgets, sequentialNLf, type TrainSettings } from './config.js';
import { firstLevelBudgets } from './pretrain.js';
import { parseLowFidelity } from './low-fidelity.js';
import { planUnits, sequentialStarter, type Unit } from './plan.js';

/** Typical epochs to early stopping (patience 20) per task and kind of training run (quick-grid medians). */
export const TYPICAL_EPOCHS: Record<string, { npe: number; pretrain: number; finetune: number; reference: number }> = {
  hh: { npe: 95, pretrain: 316, finetune: 42, reference: 102 },
  ou: { npe: 59, pretrain: 158, finetune: 48, reference: 59 },
};

/** The typical epochs of a task (HH's for tasks without their own). */
function typicalEpochs(task: string) {
  return TYPICAL_EPOCHS[task] ?? TYPICAL_EPOCHS.hh;
}

/** Costs measured on this machine for one task's configuration. */
export interface MeasuredCosts {
  /** Milliseconds per simulation, per fidelity (one thread). */
  msPerSim: Partial<Record<Fidelity, number>>;
  /** Milliseconds per training step at the configured batch size. */
  msPerStep: number;
  /** Seconds of one C2ST between two sets of `posteriorSamples` samples. */
  c2stSeconds: number;
  /**
   * Seconds of the rest of one posterior's evaluation: NLTP on the test set, and sampling
   * `posteriorSamples` plus MMD at each of the nObs observations (measured on a briefly trained flow).
   */
  evalRestSeconds: number;
  /** Milliseconds per posterior draw with its log-density, in batches at one observation (sequential runs' truncation thresholds). */
  msPerDraw: number;
  /**
   * Seconds every unit spends before its own work: its share of the reference posterior's samples at
   * the nObs observations, which each unit process draws again (exact posteriors: measured on one
   * observation; NPE references: their sampling is small and not counted), plus process start-up.
   */
  contextSeconds: number;
}

/** Seconds of a unit process's start (Node, TensorFlow.js on WebAssembly, the library). */
const STARTUP_SECONDS = 2;

/** Seconds to draw the exact reference posterior at nObs observations (0 for tasks without one). */
async function measureReference(task: Task, cfg: ExperimentConfig): Promise<number> {
  if (!task.referencePosterior) return 0;
  const { x } = await task.sampleJoint(1, 321, { fidelity: 'hf' });
  const c0 = process.cpuUsage();
  task.referencePosterior(x, cfg.posteriorSamples, 1);
  return cpuSecondsSince(c0) * cfg.nObs;
}

/**
 * Milliseconds per simulation of a fidelity: CPU time of a few simulations in this thread, after as
 * many untimed ones (the first calls run before V8 has compiled the simulator and cost several times more).
 */
async function measureSim(task: Task, fidelity: Fidelity): Promise<number> {
  const n = fidelity === 'hf' && task.name === 'hh' ? 20 : 200;
  await task.sampleJoint(n, 986, { fidelity, workers: 1 });
  const c0 = process.cpuUsage();
  await task.sampleJoint(n, 987, { fidelity, workers: 1 });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / n;
}

/** Measures the costs the estimates need (a few seconds). */
export async function measureCosts(cfg: ExperimentConfig): Promise<MeasuredCosts> {
  const task = getTask(cfg.task);
  const msPerSim: MeasuredCosts['msPerSim'] = {};
  for (const f of task.fidelities) msPerSim[f] = await measureSim(task, f);
  const flow = nsfConfig({ ...cfg.flow, thetaDim: task.thetaDim, xDim: task.xDim });
  // Units train for minutes: time the steps after the backend's warm-up (bench.ts), as a median of 5 × 20.
  const step = await measureTrainStep(flow, cfg.npe.batchSize, { reps: 5, steps: 20, warmup: 250, quiet: true });
  const ev = await measureEvaluation(task, cfg);
  return {
    msPerSim,
    msPerStep: step.cpu,
    c2stSeconds: await measureC2st(task.thetaDim, cfg),
    evalRestSeconds: ev.rest,
    msPerDraw: ev.msPerDraw,
    contextSeconds: STARTUP_SECONDS + (await measureReference(task, cfg)),
  };
}

/**
 * Shifts (in standard deviations, along every axis) between the two Gaussian samples of the C2ST
 * probes. The classifier trains for more epochs the easier the two sets are to tell apart (about
 * twice as many at accuracy 0.98 as at 0.6), and a study's C2STs span that range — poorly trained
 * posteriors at small budgets near 1, good ones near 0.6 — so the probe averages over accuracies of
 * about 0.64, 0.75, 0.85, 0.92 and 0.98 (2-D) instead of timing one near-chance pair.
 */
const C2ST_PROBE_SHIFTS = [0.5, 1, 1.5, 2, 3];

/** CPU seconds of one C2ST between two sets of `posteriorSamples` samples: the mean over the probes. */
async function measureC2st(dim: number, cfg: ExperimentConfig): Promise<number> {
  const S = cfg.posteriorSamples;
  let total = 0;
  for (const shift of C2ST_PROBE_SHIFTS) {
    const rng = new Rng(5);
    const a = Float64Array.from({ length: S * dim }, () => rng.normal());
    const b = Float64Array.from({ length: S * dim }, () => rng.normal() + shift);
    const c0 = process.cpuUsage();
    await c2st(a, b, dim, { seed: 1, folds: cfg.c2st.folds, stopping: cfg.c2st.stopping });
    total += cpuSecondsSince(c0);
  }
  return total / C2ST_PROBE_SHIFTS.length;
}

/** CPU seconds of this process since `c0` (the estimates are CPU seconds, so load does not inflate them). */
function cpuSecondsSince(c0: NodeJS.CpuUsage): number {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/**
 * Seconds of NLTP on `testSize` pairs plus, at nObs observations, sampling `posteriorSamples` and an
 * MMD (one observation measured): a flow trained for two epochs on cheap simulations stands in for
 * the unit's flows (sampling cost depends on the architecture, not on the weights).
 */
async function measureEvaluation(task: Task, cfg: ExperimentConfig): Promise<{ rest: number; msPerDraw: number }> {
  const cheap: Fidelity = task.fidelities.includes('lf') ? 'lf' : 'hf';
  const d = await task.sampleJoint(Math.max(cfg.testSize, 200), 654, { fidelity: cheap, workers: 1 });
  const npe = new NPE(task, { flow: cfg.flow, seed: 0 }).appendSimulations(d.theta, d.x);
  const q = await npe.train({ maxEpochs: 2, quiet: true });
  const D = task.thetaDim;
  const c0 = process.cpuUsage();
  await nltp(q, d.theta.subarray(0, cfg.testSize * D), d.x.subarray(0, cfg.testSize * task.xDim));
  const nltpS = cpuSecondsSince(c0);
  const c1 = process.cpuUsage();
  const samples = await q.sample(cfg.posteriorSamples, d.x.subarray(0, task.xDim), 1);
  mmd(samples, samples, D);
  const perObsS = cpuSecondsSince(c1);
  // Truncation thresholds draw in large batches at one observation, with each draw's log-density.
  const batch = 20_000;
  const c2 = process.cpuUsage();
  await q.sampleWithLogProb(batch, d.x.subarray(0, task.xDim), 2);
  const drawS = cpuSecondsSince(c2);
  q.dispose();
  return { rest: nltpS + cfg.nObs * perObsS, msPerDraw: (1000 * drawS) / batch };
}

/** Seconds of one training run on n pairs with typical `epochs` (capped by the settings). */
function trainSeconds(n: number, s: TrainSettings, epochs: number, c: MeasuredCosts): number {
  const e = Math.min(epochs, s.maxEpochs ?? Infinity);
  const steps = Math.max(1, Math.floor((0.9 * n) / s.batchSize));
  return (e * (steps + 0.1) * c.msPerStep) / 1000;
}

/** Seconds to evaluate one posterior: NLTP, and sampling, C2ST and MMD at every observation. */
function evalSeconds(cfg: ExperimentConfig, c: MeasuredCosts): number {
  return cfg.nObs * c.c2stSeconds + c.evalRestSeconds;
}

/** Estimated CPU seconds of one unit. */
export function estimateUnit(unit: Unit, cfg: ExperimentConfig, c: MeasuredCosts): number {
  const hf = c.msPerSim.hf ?? 0;
  const maxHf = Math.max(...cfg.hfBudgets);
  const evalS = evalSeconds(cfg, c);
  const epochs = typicalEpochs(cfg.task);
  if (unit.chain.kind === 'reference') {
    const refSims = cfg.task === 'hh' ? cfg.reference.sims : 0;
    const refTrain = refSims > 0 ? trainSeconds(refSims, cfg.npe, epochs.reference, c) : 0;
    return ((cfg.testSize + refSims) * hf) / 1000 + refTrain;
  }
  if (unit.chain.kind === 'npe') {
    const train = cfg.hfBudgets.reduce((s, n) => s + trainSeconds(n, cfg.npe, epochs.npe, c) + evalS, 0);
    return c.contextSeconds + (maxHf * hf) / 1000 + train;
  }
  if (unit.chain.kind === 'sequential') return c.contextSeconds + sequentialSeconds(unit, cfg, c);
  const low = parseLowFidelity(unit.chain.low ?? 'lf', 'lowFidelities');
  const nLf = unit.chain.nLf;
  const sims =
    (firstToSimulate(unit, cfg) ? (maxFirstLevel(cfg, low.first.fidelity) * (c.msPerSim[low.first.fidelity] ?? 0)) / 1000 : 0) +
    low.rest.reduce((s, l) => s + (maxFirstLevel(cfg, l.fidelity) >= l.n ? 0 : (l.n * (c.msPerSim[l.fidelity] ?? 0)) / 1000), 0);
  const pre = trainSeconds(nLf, cfg.pretrain, epochs.pretrain, c) + evalS;
  const ladder = low.rest.reduce((s, l) => s + trainSeconds(l.n, cfg.finetune, epochs.finetune, c), 0);
  const fine = cfg.hfBudgets.reduce((s, n) => s + trainSeconds(n, cfg.finetune, epochs.finetune, c) + evalS, 0);
  return c.contextSeconds + sims + pre + ladder + fine;
}

/** The largest first-level budget of the config's ladders (and sequential pre-training) that start at `fidelity` (0 if none). */
function maxFirstLevel(cfg: ExperimentConfig, fidelity: Fidelity): number {
  return Math.max(0, ...firstLevelBudgets(cfg, fidelity));
}

/**
 * Pair-epochs of one sequential run per HF budget, summed: every round r of R trains each of the E
 * members on the r·N/R pairs so far for typical `epochs`; and the threshold draws of rounds 2…R.
 */
function sequentialRuns(cfg: ExperimentConfig, method: string, epochs: number): { pairEpochs: number; draws: number } {
  const s = cfg.sequential!;
  const E = method === 'a-mf-tsnpe' ? s.ensemble : 1;
  let pairEpochs = 0;
  for (const n of sequentialHfBudgets(cfg)) for (let r = 1; r <= s.rounds; r++) pairEpochs += E * epochs * ((r * n) / s.rounds);
  return { pairEpochs, draws: sequentialHfBudgets(cfg).length * (s.rounds - 1) * s.thresholdDraws };
}

/** Typical epochs of a sequential round: NPE's for TSNPE, fine-tuning's for the pre-trained starts. */
function sequentialEpochs(cfg: ExperimentConfig, method: string): number {
  const e = typicalEpochs(cfg.task);
  return Math.min(method === 'tsnpe' ? e.npe : e.finetune, cfg.sequential!.train.maxEpochs ?? Infinity);
}

/**
 * Seconds of a sequential unit: its HF simulations, the rounds' training, the thresholds (M draws and
 * log-densities per later round, E log-densities each for an ensemble), evaluation at its observation,
 * and for the seed's first MF unit in plan order the pre-training it caches for the others.
 */
function sequentialSeconds(unit: Unit, cfg: ExperimentConfig, c: MeasuredCosts): number {
  if (unit.chain.kind !== 'sequential') return 0;
  const s = cfg.sequential!;
  const method = unit.chain.method;
  const E = method === 'a-mf-tsnpe' ? s.ensemble : 1;
  const budgets = sequentialHfBudgets(cfg);
  const sims = (budgets.reduce((a, b) => a + b, 0) * (c.msPerSim.hf ?? 0)) / 1000;
  const run = sequentialRuns(cfg, method, sequentialEpochs(cfg, method));
  const steps = run.pairEpochs / s.train.batchSize;
  // Each draw's density comes from its sampling pass; an ensemble also evaluates the pruned
  // remainder under all members (≈ 20 % more).
  const threshold = (run.draws * c.msPerDraw * (E > 1 ? 1.2 : 1)) / 1000;
  const evalS = unit.chain.obs < cfg.nObs ? budgets.length * (c.c2stSeconds + c.evalRestSeconds / Math.max(1, cfg.nObs)) : 0;
  const pre = sequentialStarter(unit, cfg)?.id === unit.id ? trainSeconds(sequentialNLf(cfg), cfg.pretrain, typicalEpochs(cfg.task).pretrain, c) : 0;
  return sims + (steps * c.msPerStep) / 1000 + threshold + evalS + pre;
}

/**
 * Whether this unit is its seed's first (in plan order) to start at its first level's fidelity: that
 * unit simulates the seed's largest budget of it, and the later ones read the cache.
 */
function firstToSimulate(unit: Unit, cfg: ExperimentConfig): boolean {
  if (unit.chain.kind !== 'mf-npe') return false;
  const fidelity = parseLowFidelity(unit.chain.low ?? 'lf', 'lowFidelities').first.fidelity;
  const first = planUnits(cfg).find(
    (u) => u.seed === unit.seed && u.chain.kind === 'mf-npe' && parseLowFidelity(u.chain.low ?? 'lf', 'lowFidelities').first.fidelity === fidelity,
  );
  return first?.id === unit.id;
}

/**
 * A unit's training work in pair-epochs (training pairs × typical epochs, summed over its runs),
 * without measuring anything: enough to start the longest units first.
 */
export function unitWork(unit: Unit, cfg: ExperimentConfig): number {
  const epochs = typicalEpochs(cfg.task);
  const hf = cfg.hfBudgets.reduce((a, b) => a + b, 0);
  if (unit.chain.kind === 'reference') return cfg.reference.sims * epochs.reference;
  if (unit.chain.kind === 'npe') return hf * epochs.npe;
  if (unit.chain.kind === 'sequential') {
    // A threshold draw and its log-density cost about a third of a training pair-epoch (forward only).
    const run = sequentialRuns(cfg, unit.chain.method, sequentialEpochs(cfg, unit.chain.method));
    // The seed's starter also pre-trains the flow the others start from: it sorts first.
    const pre = sequentialStarter(unit, cfg)?.id === unit.id ? sequentialNLf(cfg) * epochs.pretrain : 0;
    return run.pairEpochs + run.draws / 3 + pre;
  }
  const rest = parseLowFidelity(unit.chain.low ?? 'lf', 'lowFidelities').rest.reduce((s, l) => s + l.n, 0);
  return unit.chain.nLf * epochs.pretrain + (rest + hf) * epochs.finetune;
}
