/**
 * Builds a {@link Task} from a per-simulation function, with the project's stream layout:
 * simulation i of a call with seed s uses stream (s, offset + i), on which θ_i is drawn from the
 * prior first and x_i after. `simulate(θ)` discards that prior draw so that simulating the θ of a
 * joint draw with the same seed and index reproduces its x. Cheap simulators only (one thread).
 */
import type { Prior } from '../prior.js';
import { streamRng, type Rng } from '../random.js';
import type { Fidelity, SimulateOptions, Task } from './task.js';

export interface SimpleTaskSpec {
  name: string;
  prior: Prior;
  xDim: number;
  fidelities?: readonly Fidelity[];
  /** The simulator's constants (part of the simulation cache key). */
  simulatorConfig?: unknown;
  /** Writes x for one θ into `out` (length xDim), drawing from `rng`. */
  simulateOne(theta: Float64Array, rng: Rng, fidelity: Fidelity, out: Float64Array): void;
  referencePosterior?(x: Float64Array, n: number, seed: number): Float64Array;
}

function checkFidelity(spec: SimpleTaskSpec, f: Fidelity): void {
  const ok = spec.fidelities ?? ['hf'];
  if (!ok.includes(f)) throw new RangeError(`task ${spec.name} has no '${f}' simulator (fidelities: ${ok.join(', ')})`);
}

function checkCount(n: number): void {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`bad number of simulations ${n}`);
}

export function makeSimpleTask(spec: SimpleTaskSpec): Task {
  const D = spec.prior.dim;
  const C = spec.xDim;
  const task: Task = {
    name: spec.name,
    prior: spec.prior,
    thetaDim: D,
    xDim: C,
    thetaNames: Array.from({ length: D }, (_, j) => `theta_${j + 1}`),
    xNames: Array.from({ length: C }, (_, j) => `x_${j + 1}`),
    fidelities: spec.fidelities ?? ['hf'],
    simulatorConfig: spec.simulatorConfig,
    async simulate(theta: Float64Array, seed: number, opts: SimulateOptions = {}): Promise<Float64Array> {
      const fid = opts.fidelity ?? 'hf';
      checkFidelity(spec, fid);
      if (theta.length % D !== 0) throw new RangeError(`task ${spec.name}: θ has ${theta.length} values, not a multiple of ${D}`);
      const n = theta.length / D;
      const offset = opts.offset ?? 0;
      const x = new Float64Array(n * C);
      for (let i = 0; i < n; i++) {
        const rng = streamRng(seed, offset + i);
        spec.prior.sample(1, rng); // keep the stream layout of sampleJoint
        spec.simulateOne(theta.subarray(i * D, (i + 1) * D), rng, fid, x.subarray(i * C, (i + 1) * C));
      }
      opts.onProgress?.(n, n);
      return x;
    },
    async sampleJoint(n: number, seed: number, opts: SimulateOptions = {}): Promise<{ theta: Float64Array; x: Float64Array }> {
      checkCount(n);
      const fid = opts.fidelity ?? 'hf';
      checkFidelity(spec, fid);
      const offset = opts.offset ?? 0;
      const theta = new Float64Array(n * D);
      const x = new Float64Array(n * C);
      for (let i = 0; i < n; i++) {
        const rng = streamRng(seed, offset + i);
        theta.set(spec.prior.sample(1, rng), i * D);
        spec.simulateOne(theta.subarray(i * D, (i + 1) * D), rng, fid, x.subarray(i * C, (i + 1) * C));
      }
      opts.onProgress?.(n, n);
      return { theta, x };
    },
  };
  if (spec.referencePosterior) {
    const ref = spec.referencePosterior;
    task.referencePosterior = (x: Float64Array, n: number, seed: number): Float64Array => {
      if (x.length !== C) throw new RangeError(`task ${spec.name}: an observation has ${C} values, got ${x.length}`);
      for (const v of x) if (!Number.isFinite(v)) throw new RangeError(`task ${spec.name}: observation value ${v} is not finite`);
      checkCount(n);
      return ref(x, n, seed);
    };
  }
  return task;
}
