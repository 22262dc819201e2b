/**
 * Settings of the MF-NPE experiment (docs/methods.md, "The MF-NPE experiment"): the budget grid, seeds, test set, reference posterior,
 * network and training settings, and the defaults of the full study and of the `--quick` grid.
 *
 * A config file (`mfnpe experiment --config FILE.json`) is a partial config applied to every task,
 * with optional per-task overrides and the list of tasks:
 *   { "seeds": [0, 1, 2], "hh": { "hfBudgets": [50, 100] }, "tasks": ["hh", "ou"] }
 * Unknown keys are errors (a typo must not silently fall back to a default).
 */
import { InputError } from '../errors.js';
import type { TrainOptions } from '../inference/train.js';
import { getTask } from '../tasks/registry.js';
import { parseLowFidelity } from './low-fidelity.js';

/** Training settings of one stage of the experiment (NPE, pre-training or fine-tuning). */
export interface TrainSettings {
  /** Adam learning rate. */
  learningRate: number;
  /** Cap on epochs (null: early stopping only). */
  maxEpochs: number | null;
  /** Epochs without validation improvement before stopping. */
  patience: number;
  batchSize: number;
  /** Fraction of the pairs held out for validation and early stopping (default 0.1). */
  validationFraction: number;
  /**
   * Make the starting weights a candidate of early stopping (train.ts `startCandidate`), so that a
   * stage never ends worse on validation than where it started: meaningful for fine-tuning.
   */
  startCandidate: boolean;
}

/** Settings of the MF-NPE experiment on one task (docs/methods.md, "The experiment"). */
export interface ExperimentConfig {
  /** Task name: 'hh' (stochastic Hodgkin–Huxley) or 'ou' (Ornstein–Uhlenbeck, exact posterior). */
  task: string;
  /** LF simulation budgets for MF-NPE pre-training (the first ladder level's budgets). */
  lfBudgets: number[];
  /**
   * What MF-NPE pre-trains on: fidelity ladders, cheapest first, whose first level runs at each of
   * `lfBudgets` unless it has its own count ('lf', 'mf', 'mf:1000', 'lf,mf:1000'; low-fidelity.ts).
   * Default ['lf'].
   */
  lowFidelities: string[];
  /** HF simulation budgets (training pairs of NPE and MF-NPE fine-tuning). */
  hfBudgets: number[];
  /** One replicate per seed: its LF and HF training data and its networks are drawn from this seed. */
  seeds: number[];
  /** Held-out HF test pairs (θ*, x*) for NLTP (streams (testSeed, STREAM_OFFSET.test + i)). */
  testSize: number;
  testSeed: number;
  /** C2ST/MMD at the first `nObs` test observations. */
  nObs: number;
  /** Posterior samples per set for C2ST and MMD (model vs reference). */
  posteriorSamples: number;
  /** Reference posterior of tasks without an exact one: NPE trained on `sims` HF simulations of `seed`. */
  reference: { sims: number; seed: number };
  /** Flow settings (spec: 5 transforms, 50 hidden units, 8 bins; sbi's 2 hidden layers). */
  flow: { hidden: number; layers: number; transforms: number; bins: number };
  /** MF-NPE pre-training on LF (official code: lr 10⁻⁴). */
  pretrain: TrainSettings;
  /**
   * MF-NPE fine-tuning on HF (lr 5·10⁻⁴; `freeze`: weight tensors kept fixed, default none;
   * `refitX`: refit the x standardizer on the HF pairs, default true as in the spec — false keeps
   * the LF one).
   */
  finetune: TrainSettings & { freeze: string[]; refitX: boolean };
  /** NPE from scratch on HF (and the HH reference posterior): sbi's defaults. */
  npe: TrainSettings;
  /** C2ST settings (the MLP classifier of src/metrics/c2st.ts). */
  c2st: { folds: number; stopping: 'validation' | 'sbibm' };
  /** Simulation and reference-model cache root. */
  dataDir: string;
  /** Simulation worker threads (null: all cores). */
  workers: number | null;
  /** Write figures (SVG and PNG). */
  figures: boolean;
  /** Posterior-predictive traces per method in the trace figure (HH only). */
  predictiveDraws: number;
  /**
   * Sequential methods run per observation (absent: none; docs/methods.md, "Sequential methods in
   * the experiment"). Absent from the object, not null, so configs without it hash as before.
   */
  sequential?: SequentialConfig;
}

/** The sequential methods of the experiment (src/inference/tsnpe.ts, amf-tsnpe.ts). */
export const SEQUENTIAL_METHODS = ['tsnpe', 'mf-tsnpe', 'a-mf-tsnpe'] as const;
/** One of {@link SEQUENTIAL_METHODS}. */
export type SequentialMethod = (typeof SEQUENTIAL_METHODS)[number];

/**
 * Settings of the sequential methods in the experiment: each runs once per replicate seed, test
 * observation k < `nObs` and HF budget, for that observation alone.
 */
export interface SequentialConfig {
  /** Which methods (default all three). */
  methods: SequentialMethod[];
  /** K: the first K test pairs are the observations (null: the config's `nObs`); C2ST/MMD at those below `nObs`. */
  nObs: number | null;
  /** HF budgets of a sequential run (null: the config's `hfBudgets`); each a separate run. */
  hfBudgets: number[] | null;
  /** Rounds R (default 5); every HF budget must be ≥ R. */
  rounds: number;
  /** A-MF-TSNPE's ensemble size E (default 5). */
  ensemble: number;
  /** A-MF-TSNPE's share of later rounds chosen by acquisition (default 0.2). */
  activeShare: number;
  /** A-MF-TSNPE's candidate pool (null: 250 / 2500 / 25 000 by budget). */
  poolSize: number | null;
  /** Where A-MF-TSNPE's candidates come from (default 'prior'). */
  poolFrom: 'prior' | 'truncated';
  /** The truncation's ε (default 10⁻⁶). */
  quantile: number;
  /** M: posterior draws estimating the truncation threshold (default 10⁶; ε·M ≥ 1). */
  thresholdDraws: number;
  /** The ladder MF-TSNPE and A-MF-TSNPE pre-train on (default 'lf'; low-fidelity.ts). */
  lowFidelity: string;
  /** Its first-level budget (null: the ladder's own count, else the largest of `lfBudgets`). */
  nLf: number | null;
  /** Training settings of every round (default sbi's, as `npe`). */
  train: TrainSettings;
  /**
   * Write each run's posterior samples at the observations with reference samples, and those
   * reference samples, as CSV under the task's `samples/` folder, for classifiers outside mfnpe
   * (scripts/sequential-rf.ts). Present only when true, so other configs hash as before.
   */
  saveSamples?: true;
}

const SBI_TRAIN: TrainSettings = { learningRate: 5e-4, maxEpochs: null, patience: 20, batchSize: 200, validationFraction: 0.1, startCandidate: false };

/** The sequential settings of `"sequential": {}`: every default. */
export function defaultSequential(): SequentialConfig {
  return {
    methods: [...SEQUENTIAL_METHODS],
    nObs: null,
    hfBudgets: null,
    rounds: 5,
    ensemble: 5,
    activeShare: 0.2,
    poolSize: null,
    poolFrom: 'prior',
    quantile: 1e-6,
    thresholdDraws: 1_000_000,
    lowFidelity: 'lf',
    nLf: null,
    train: { ...SBI_TRAIN },
  };
}

/** The full study (docs/methods.md, "Budgets and grids"): hours of CPU. */
export function defaultConfig(task: string): ExperimentConfig {
  return {
    task,
    lfBudgets: [1_000, 10_000, 100_000],
    lowFidelities: ['lf'],
    hfBudgets: [50, 100, 500, 1_000],
    seeds: [0, 1, 2, 3, 4],
    testSize: 200,
    testSeed: 0,
    nObs: 10,
    posteriorSamples: 1_000,
    reference: { sims: 100_000, seed: 1_000 },
    flow: { hidden: 50, layers: 2, transforms: 5, bins: 8 },
    pretrain: { ...SBI_TRAIN, learningRate: 1e-4 },
    // The pre-trained flow competes as epoch 0, on a 30 % validation share (MFNPE_DEFAULTS).
    finetune: { ...SBI_TRAIN, startCandidate: true, validationFraction: 0.3, freeze: [], refitX: true },
    npe: { ...SBI_TRAIN },
    c2st: { folds: 5, stopping: 'validation' },
    dataDir: 'data',
    workers: null,
    figures: true,
    predictiveDraws: 3,
  };
}

/**
 * The `--quick` grid (≤ 10 minutes on 2 cores; the two tasks run in parallel processes): two seeds,
 * 100 test pairs, 500 posterior samples.
 * - OU: 10³ and 10⁴ LF × 50, 100 and 1000 HF (the budgets of the published table).
 * - HH: 10³ and 3·10³ LF and 10³ MF × 50 and 200 HF, reference NPE on 3·10³ HF. (Pre-training on 10⁴ LF at
 *   lr 10⁻⁴ takes ~300 epochs, ~2 CPU-minutes per seed, which would push HH past 10 minutes.)
 */
export function quickConfig(task: string): ExperimentConfig {
  const base = defaultConfig(task);
  const common = { ...base, seeds: [0, 1], testSize: 100, posteriorSamples: 500 };
  if (task === 'ou') return { ...common, lfBudgets: [1_000, 10_000], hfBudgets: [50, 100, 1_000] };
  return { ...common, lfBudgets: [1_000, 3_000], lowFidelities: ['lf', 'mf:1000'], hfBudgets: [50, 200], reference: { sims: 3_000, seed: 1_000 } };
}

export const DEFAULT_TASKS = ['hh', 'ou'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function budgets(v: unknown, what: string, min = 2): number[] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((b) => Number.isInteger(b) && b >= min)) {
    throw new InputError(`${what} must be a non-empty list of integers ≥ ${min}, got ${JSON.stringify(v)}`);
  }
  return [...new Set(v as number[])].sort((a, b) => a - b);
}

function positiveInt(v: unknown, what: string, min = 1): number {
  if (!Number.isInteger(v) || (v as number) < min) throw new InputError(`${what} must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
  return v as number;
}

function trainSettings(base: TrainSettings, v: unknown, what: string, extra: string[] = []): TrainSettings & Record<string, unknown> {
  if (v === undefined) return { ...base };
  if (!isObject(v)) throw new InputError(`${what} must be an object`);
  const out: TrainSettings & Record<string, unknown> = { ...base };
  for (const [k, val] of Object.entries(v)) {
    if (k === 'learningRate') {
      if (typeof val !== 'number' || !(val > 0)) throw new InputError(`${what}.learningRate must be a positive number, got ${JSON.stringify(val)}`);
      out.learningRate = val;
    } else if (k === 'maxEpochs') out.maxEpochs = val === null ? null : positiveInt(val, `${what}.maxEpochs`);
    else if (k === 'patience') out.patience = positiveInt(val, `${what}.patience`);
    else if (k === 'batchSize') out.batchSize = positiveInt(val, `${what}.batchSize`);
    else if (k === 'validationFraction') {
      if (typeof val !== 'number' || !(val > 0 && val < 1))
        throw new InputError(`${what}.validationFraction must be a number in (0, 1), got ${JSON.stringify(val)}`);
      out.validationFraction = val;
    } else if (k === 'startCandidate') out.startCandidate = trueOrFalse(val, `${what}.startCandidate`);
    else if (extra.includes(k)) out[k] = val;
    else throw new InputError(`unknown setting ${what}.${k}`);
  }
  return out;
}

/** The `reference` setting `v` applied to `current`: an object {sims ≥ 20, seed ≥ 0}, both optional. */
function referenceSetting(current: ExperimentConfig['reference'], v: unknown, what: string): ExperimentConfig['reference'] {
  if (!isObject(v)) throw new InputError(`${what} must be an object {sims, seed}`);
  for (const kk of Object.keys(v)) if (kk !== 'sims' && kk !== 'seed') throw new InputError(`unknown setting ${what}.${kk}`);
  return {
    sims: v.sims === undefined ? current.sims : positiveInt(v.sims, `${what}.sims`, 20),
    seed: v.seed === undefined ? current.seed : positiveInt(v.seed, `${what}.seed`, 0),
  };
}

/** The `flow` setting `v` applied to a copy of `current`: positive integers (bins ≥ 2) for its existing keys. */
function flowSetting(current: ExperimentConfig['flow'], v: unknown, what: string): ExperimentConfig['flow'] {
  if (!isObject(v)) throw new InputError(`${what} must be an object`);
  const flow = { ...current };
  for (const [kk, vv] of Object.entries(v)) {
    if (!(kk in flow)) throw new InputError(`unknown setting ${what}.${kk}`);
    (flow as Record<string, number>)[kk] = positiveInt(vv, `${what}.${kk}`, kk === 'bins' ? 2 : 1);
  }
  return flow;
}

/** The `finetune` setting `v` applied to `current`: training settings plus `freeze` (weight names) and `refitX` (boolean). */
function finetuneSetting(current: ExperimentConfig['finetune'], v: unknown, what: string): ExperimentConfig['finetune'] {
  const t = trainSettings(current, v, what, ['freeze', 'refitX']);
  const freeze = t.freeze ?? [];
  if (!Array.isArray(freeze) || !freeze.every((s) => typeof s === 'string')) throw new InputError(`${what}.freeze must be a list of weight names`);
  if (typeof t.refitX !== 'boolean') throw new InputError(`${what}.refitX must be true or false`);
  return { ...t, freeze: freeze as string[], refitX: t.refitX };
}

/** The `c2st` setting `v` applied to a copy of `current`: folds ≥ 2, stopping 'validation' or 'sbibm'. */
function c2stSetting(current: ExperimentConfig['c2st'], v: unknown, what: string): ExperimentConfig['c2st'] {
  if (!isObject(v)) throw new InputError(`${what} must be an object`);
  const c2st = { ...current };
  for (const [kk, vv] of Object.entries(v)) {
    if (kk === 'folds') c2st.folds = positiveInt(vv, `${what}.folds`, 2);
    else if (kk === 'stopping') {
      if (vv !== 'validation' && vv !== 'sbibm') throw new InputError(`${what}.stopping must be 'validation' or 'sbibm'`);
      c2st.stopping = vv;
    } else throw new InputError(`unknown setting ${what}.${kk}`);
  }
  return c2st;
}

/** A non-empty list of low-fidelity ladders (low-fidelity.ts), each checked; duplicates removed. */
function lowFidelities(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.length === 0)
    throw new InputError(`${what} must be a non-empty list of ladders such as ["lf", "mf:1000"], got ${JSON.stringify(v)}`);
  const seen = new Map<string, string>();
  v.forEach((entry, i) => {
    const low = parseLowFidelity(entry, `${what}[${i}]`);
    const key = `${low.id}|${low.first.n}`;
    if (!seen.has(key)) seen.set(key, (entry as string).trim());
  });
  return [...seen.values()];
}

/** A non-empty string (a folder name). */
function folderName(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new InputError(`${what} must be a folder name`);
  return v;
}

/** A boolean (true or false). */
function trueOrFalse(v: unknown, what: string): boolean {
  if (typeof v !== 'boolean') throw new InputError(`${what} must be true or false`);
  return v;
}

/** A number in [0, 1]. */
function share(v: unknown, what: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new InputError(`${what} must be a number in [0, 1], got ${JSON.stringify(v)}`);
  return v;
}

/** The `sequential` setting `v` applied to `current` (or to the defaults); null removes it. */
function sequentialSetting(current: SequentialConfig | undefined, v: unknown, what: string): SequentialConfig | undefined {
  if (v === null) return undefined;
  if (!isObject(v)) throw new InputError(`${what} must be an object such as {"methods": ["tsnpe", "a-mf-tsnpe"], "rounds": 5}, or null`);
  const s: SequentialConfig = structuredClone(current ?? defaultSequential());
  for (const [k, val] of Object.entries(v)) {
    const w = `${what}.${k}`;
    if (k === 'methods') {
      if (!Array.isArray(val) || val.length === 0 || !val.every((m) => (SEQUENTIAL_METHODS as readonly unknown[]).includes(m)))
        throw new InputError(`${w} must be a non-empty list of ${SEQUENTIAL_METHODS.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(val)}`);
      s.methods = SEQUENTIAL_METHODS.filter((m) => val.includes(m));
    } else if (k === 'nObs') s.nObs = val === null ? null : positiveInt(val, w);
    else if (k === 'hfBudgets') s.hfBudgets = val === null ? null : budgets(val, w);
    else if (k === 'rounds') s.rounds = positiveInt(val, w);
    else if (k === 'ensemble') s.ensemble = positiveInt(val, w);
    else if (k === 'activeShare') s.activeShare = share(val, w);
    else if (k === 'poolSize') s.poolSize = val === null ? null : positiveInt(val, w);
    else if (k === 'poolFrom') {
      if (val !== 'prior' && val !== 'truncated') throw new InputError(`${w} must be 'prior' or 'truncated', got ${JSON.stringify(val)}`);
      s.poolFrom = val;
    } else if (k === 'quantile') {
      if (typeof val !== 'number' || !(val > 0 && val < 1)) throw new InputError(`${w} must be a number in (0, 1), got ${JSON.stringify(val)}`);
      s.quantile = val;
    } else if (k === 'thresholdDraws') s.thresholdDraws = positiveInt(val, w);
    else if (k === 'lowFidelity') {
      parseLowFidelity(val, w);
      s.lowFidelity = (val as string).trim();
    } else if (k === 'nLf') s.nLf = val === null ? null : positiveInt(val, w, 2);
    else if (k === 'train') s.train = trainSettings(s.train, val, w);
    else if (k === 'saveSamples') {
      if (trueOrFalse(val, w)) s.saveSamples = true;
      else delete s.saveSamples;
    } else throw new InputError(`unknown setting ${w}`);
  }
  return s;
}

/** Checks value `v` of one setting (named `what` in messages) against the config so far, `c`, and returns the fields it sets. */
type Setting = (v: unknown, what: string, c: ExperimentConfig) => Partial<ExperimentConfig>;

/** Each top-level setting of a config file (a Map: inherited names such as 'toString' are unknown settings). */
const SETTINGS = new Map<string, Setting>([
  ['lfBudgets', (v, what) => ({ lfBudgets: budgets(v, what) })],
  ['lowFidelities', (v, what) => ({ lowFidelities: lowFidelities(v, what) })],
  ['hfBudgets', (v, what) => ({ hfBudgets: budgets(v, what) })],
  ['seeds', (v, what) => ({ seeds: budgets(v, what, 0) })],
  ['testSize', (v, what) => ({ testSize: positiveInt(v, what, 10) })],
  ['testSeed', (v, what) => ({ testSeed: positiveInt(v, what, 0) })],
  ['nObs', (v, what) => ({ nObs: positiveInt(v, what) })],
  ['posteriorSamples', (v, what) => ({ posteriorSamples: positiveInt(v, what, 20) })],
  ['reference', (v, what, c) => ({ reference: referenceSetting(c.reference, v, what) })],
  ['flow', (v, what, c) => ({ flow: flowSetting(c.flow, v, what) })],
  ['pretrain', (v, what, c) => ({ pretrain: trainSettings(c.pretrain, v, what) })],
  ['npe', (v, what, c) => ({ npe: trainSettings(c.npe, v, what) })],
  ['finetune', (v, what, c) => ({ finetune: finetuneSetting(c.finetune, v, what) })],
  ['c2st', (v, what, c) => ({ c2st: c2stSetting(c.c2st, v, what) })],
  ['dataDir', (v, what) => ({ dataDir: folderName(v, what) })],
  ['workers', (v, what) => ({ workers: v === null ? null : positiveInt(v, what) })],
  ['figures', (v, what) => ({ figures: trueOrFalse(v, what) })],
  ['predictiveDraws', (v, what) => ({ predictiveDraws: positiveInt(v, what, 0) })],
  ['sequential', (v, what, c) => ({ sequential: sequentialSetting(c.sequential, v, what) })],
]);

/** Applies a partial config (parsed JSON) to `base`, checking every value. */
export function mergeConfig(base: ExperimentConfig, over: Record<string, unknown>, where = 'config'): ExperimentConfig {
  const c: ExperimentConfig = structuredClone(base);
  for (const [k, v] of Object.entries(over)) {
    const setting = SETTINGS.get(k);
    if (!setting) throw new InputError(`unknown setting ${where}.${k}`);
    Object.assign(c, setting(v, `${where}.${k}`, c));
    // `"sequential": null` removes the key, so the config hashes as one that never had it.
    if (c.sequential === undefined) delete c.sequential;
  }
  if (c.nObs > c.testSize) throw new InputError(`${where}: nObs (${c.nObs}) exceeds testSize (${c.testSize})`);
  return c;
}

/**
 * The per-task configs of a config file's JSON (or of the defaults): top-level keys apply to every
 * task, `hh`/`ou` objects override them, `tasks` lists the tasks to run.
 */
export function resolveConfigs(json: unknown, quick: boolean): ExperimentConfig[] {
  if (json !== undefined && !isObject(json)) throw new InputError('the config file must hold a JSON object');
  const obj = (json ?? {}) as Record<string, unknown>;
  const tasks = obj.tasks ?? DEFAULT_TASKS;
  if (!Array.isArray(tasks) || tasks.length === 0 || !tasks.every((t) => t === 'hh' || t === 'ou')) {
    throw new InputError(`config.tasks must be a non-empty list of 'hh' and 'ou', got ${JSON.stringify(tasks)}`);
  }
  const common: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (k !== 'tasks' && k !== 'hh' && k !== 'ou') common[k] = v;
  return [...new Set(tasks as string[])].map((task) => {
    const base = quick ? quickConfig(task) : defaultConfig(task);
    const over = obj[task];
    if (over !== undefined && !isObject(over)) throw new InputError(`config.${task} must be an object`);
    return checkSequential(
      checkLowFidelities(checkReferenceSeed(mergeConfig(mergeConfig(base, common), (over ?? {}) as Record<string, unknown>, `config.${task}`))),
    );
  });
}

/** Every fidelity of the low-fidelity ladders must be one the task simulates. */
function checkLowFidelities(c: ExperimentConfig): ExperimentConfig {
  const have = getTask(c.task).fidelities;
  for (const text of c.lowFidelities) {
    const low = parseLowFidelity(text, `config.${c.task}.lowFidelities`);
    for (const f of [low.first.fidelity, ...low.rest.map((l) => l.fidelity)]) {
      if (!have.includes(f)) throw new InputError(`config.${c.task}.lowFidelities: task ${c.task} has no ${f.toUpperCase()} simulator ('${text}')`);
    }
  }
  return c;
}

/** K: the sequential methods' observations (the first K test pairs). */
export function sequentialObs(c: ExperimentConfig): number {
  return c.sequential?.nObs ?? c.nObs;
}

/** The HF budgets of the sequential runs. */
export function sequentialHfBudgets(c: ExperimentConfig): number[] {
  return c.sequential?.hfBudgets ?? c.hfBudgets;
}

/** The first-level budget MF-TSNPE and A-MF-TSNPE pre-train on. */
export function sequentialNLf(c: ExperimentConfig): number {
  const s = c.sequential;
  const low = parseLowFidelity(s?.lowFidelity ?? 'lf', 'sequential.lowFidelity');
  return s?.nLf ?? low.first.n ?? Math.max(...c.lfBudgets);
}

/** The sequential settings checked against the rest of the task's config. */
function checkSequential(c: ExperimentConfig): ExperimentConfig {
  const s = c.sequential;
  if (!s) return c;
  const what = `config.${c.task}.sequential`;
  const K = sequentialObs(c);
  if (K > c.testSize) throw new InputError(`${what}.nObs (${K}) exceeds testSize (${c.testSize}): the observations are the first test pairs`);
  const small = sequentialHfBudgets(c).filter((n) => n < s.rounds);
  if (small.length > 0) throw new InputError(`${what}: HF budget ${small[0]} is smaller than rounds (${s.rounds}); every round needs a simulation`);
  if (s.methods.includes('a-mf-tsnpe') && s.activeShare > 0 && s.ensemble < 2)
    throw new InputError(`${what}: A-MF-TSNPE's acquisition (activeShare ${s.activeShare}) needs ensemble ≥ 2, got ${s.ensemble}`);
  if (s.quantile * s.thresholdDraws < 1)
    throw new InputError(`${what}: quantile × thresholdDraws must be ≥ 1 (got ${s.quantile} × ${s.thresholdDraws}); raise thresholdDraws`);
  const low = parseLowFidelity(s.lowFidelity, `${what}.lowFidelity`);
  const have = getTask(c.task).fidelities;
  for (const f of [low.first.fidelity, ...low.rest.map((l) => l.fidelity)]) {
    if (!have.includes(f)) throw new InputError(`${what}.lowFidelity: task ${c.task} has no ${f.toUpperCase()} simulator ('${s.lowFidelity}')`);
  }
  if (low.first.n !== null && s.nLf !== null && s.nLf !== low.first.n)
    throw new InputError(`${what}: nLf ${s.nLf} contradicts lowFidelity '${s.lowFidelity}' (its first level has ${low.first.n})`);
  return c;
}

/**
 * The HH reference NPE trains on streams (reference.seed, i): a replicate with the same seed would
 * train on the same simulations, so the two seeds must differ.
 */
function checkReferenceSeed(c: ExperimentConfig): ExperimentConfig {
  if (c.task === 'hh' && c.seeds.includes(c.reference.seed)) {
    throw new InputError(
      `config.${c.task}: reference.seed ${c.reference.seed} is also a replicate seed; the reference would train on that replicate's simulations`,
    );
  }
  return c;
}

/** Training options of one stage from its settings, seed, progress label and quietness. */
export function trainOptions(s: TrainSettings, seed: number, label: string, quiet: boolean): TrainOptions {
  return {
    learningRate: s.learningRate,
    maxEpochs: s.maxEpochs ?? undefined,
    patience: s.patience,
    batchSize: s.batchSize,
    validationFraction: s.validationFraction,
    startCandidate: s.startCandidate,
    seed,
    label,
    quiet,
  };
}
