/**
 * Rows and results of the MF-NPE experiment (docs/methods.md, "The experiment"): one metric value per
 * trained posterior, per test unit, and the costs of each posterior.
 */
import type { NpePosterior } from '../inference/posterior.js';
import type { ExperimentConfig, SequentialMethod } from './config.js';

/**
 * The experiment's methods: NPE from scratch, MF-NPE pre-trained on LF ('mf-npe') and the LF-only
 * pre-trained flow ('npe-lf'), and for other low-fidelity ladders 'mf-npe:<ladder>' and
 * 'npe-<ladder>' (low-fidelity.ts: 'mf-npe:mf', 'npe-mf', 'mf-npe:lf>mf1000'); with the config's
 * `sequential` key, the sequential methods run per observation ('tsnpe', 'mf-tsnpe', 'a-mf-tsnpe').
 */
export type MethodName = 'npe' | 'mf-npe' | 'npe-lf' | `mf-npe:${string}` | `npe-${string}` | SequentialMethod;
/** The experiment's metrics (docs/metrics.md). */
export type MetricName = 'nltp' | 'c2st' | 'mmd';

/** Which posterior: method, LF budget, HF budget, replicate seed. */
export interface PosteriorKey {
  method: MethodName;
  n_lf: number;
  n_hf: number;
  seed: number;
}

/** One metric value of one trained posterior. */
export interface MetricRow extends PosteriorKey {
  metric: MetricName;
  value: number;
}

/**
 * One value per test pair (nltp) or per observation (c2st, mmd): the units of paired statistics.
 * Sequential methods have one per observation they ran at (nltp: −log q(θ_k | x_k) at test pair k).
 */
export interface UnitRow extends MetricRow {
  /** Index of the test pair / observation in the test set. */
  unit: number;
}

/** Simulation CPU seconds per fidelity and training seconds of one posterior. */
export interface CostRow extends PosteriorKey {
  /**
   * CPU seconds (all simulation threads) of the LF / MF / HF training simulations this posterior
   * used: its share of the cache file's simulations, at the file's mean CPU seconds per simulation.
   */
  lf_sim_cpu_s: number;
  mf_sim_cpu_s: number;
  hf_sim_cpu_s: number;
  /**
   * Training seconds (MF-NPE: pre-training + fine-tuning; npe-lf: pre-training; sequential methods:
   * pre-training + the rounds' training and proposals, mean over observations).
   */
  train_s: number;
  epochs: number;
}

/** The reference posterior of C2ST and MMD. */
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

/** Posterior samples at observation 0 for the corner plot. */
export interface CornerSet {
  label: string;
  samples: Float64Array;
}

/** HF traces at posterior draws (HH only). */
export interface PredictiveDraw {
  label: string;
  theta: number[];
  v: Float64Array;
}

/** What one unit of work (a replicate seed's budget chain) produced. */
export interface UnitResult {
  metrics: MetricRow[];
  units: UnitRow[];
  costs: CostRow[];
  corner: CornerSet[];
  predictive: PredictiveDraw[];
  /** Trained posteriors, when the run was asked to keep them (the caller disposes them). */
  posteriors: { key: PosteriorKey; posterior: NpePosterior }[];
  /** Posterior samples at observations (`sequential.saveSamples`): written as CSV files, not into the unit file. */
  samples?: { key: PosteriorKey; unit: number; samples: Float64Array }[];
}

/** Everything one task's run produced: rows, costs, reference, timings and figure material. */
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
  corner: { obs: number; theta: number[]; x: number[]; n_lf: number; n_hf: number; sets: CornerSet[] };
  /** HH only: the observed trace of observation 0 and HF traces at posterior draws. */
  predictive: { observed: Float64Array; draws: PredictiveDraw[] } | null;
  /** Training summaries of seeds[0] per fidelity the run simulated (largest budgets, at most 2000 rows each). */
  summaries: { lf?: Float64Array; mf?: Float64Array; hf: Float64Array };
  /** Trained posteriors (only with `keepPosteriors`; the caller disposes them). */
  posteriors: { key: PosteriorKey; posterior: NpePosterior }[];
}
