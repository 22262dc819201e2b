/**
 * The benchmark-task interface: a prior, a simulator per fidelity and, where known, an exact
 * reference posterior. Parameters and data are row-major Float64Arrays (n × thetaDim, n × xDim).
 *
 * Simulation i of a call with seed s uses the random stream (s, offset + i) (see random.ts), so
 * results never depend on batching or workers and a smaller budget is a prefix of a larger one.
 */
import type { Prior } from '../prior.js';
import type { Fidelity } from '../simulators/fidelity.js';

export type { Fidelity };

/** Options of a task's simulate and sampleJoint calls. */
export interface SimulateOptions {
  /** Which simulator (tasks with one fidelity accept only 'hf', the default). */
  fidelity?: Fidelity;
  /** First stream index (default 0); test sets use an offset disjoint from training. */
  offset?: number;
  /** Worker threads for costly simulators (default: all cores). */
  workers?: number;
  /** Progress callback: (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** A benchmark task: prior, simulators by fidelity and, where known, an exact reference posterior. */
export interface Task {
  readonly name: string;
  readonly prior: Prior;
  readonly thetaDim: number;
  readonly xDim: number;
  readonly thetaNames: readonly string[];
  readonly xNames: readonly string[];
  /** Fidelities this task simulates ('hf' always; 'lf' for multifidelity tasks). */
  readonly fidelities: readonly Fidelity[];
  /** x for each row of theta; simulation i uses stream (seed, offset + i). */
  simulate(theta: Float64Array, seed: number, opts?: SimulateOptions): Promise<Float64Array>;
  /** n joint draws (θ_i from the prior, then x_i), θ_i and x_i from stream (seed, offset + i). */
  sampleJoint(n: number, seed: number, opts?: SimulateOptions): Promise<{ theta: Float64Array; x: Float64Array }>;
  /**
   * The simulator's settings (JSON-able): part of the experiment cache's key together with the
   * simulator code version, so a changed simulator never reuses stale cached data.
   */
  readonly simulatorConfig?: unknown;
  /** Exact posterior samples p(θ | x) (n × thetaDim), for tasks that have them. */
  referencePosterior?(x: Float64Array, n: number, seed: number): Float64Array;
}
