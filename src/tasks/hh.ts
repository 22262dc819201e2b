/**
 * The stochastic Hodgkin–Huxley task: θ = (ḡ_Na, ḡ_K, ḡ_L) in mS/cm² under the uniform prior
 * [50, 200] × [20, 100] × [0.1, 1.0]; x = the four summary statistics (spike count, resting mean
 * and std, mean under stimulation) of the HF (stochastic channels), MF (the channels' diffusion
 * approximation) or LF simulator. No exact posterior. Simulation i of a call with seed s uses stream (s, offset + i), drawn θ first.
 *
 * Prior draws go through the worker-pool batch runner (src/simulators/batch.ts); given θ rows are
 * simulated in this thread.
 */
import { hhPrior, HH_PARAM_NAMES } from '../prior.js';
import { streamRng } from '../random.js';
import { runBatch, ROW_WIDTH } from '../simulators/batch.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { simulateSummary } from '../simulators/simulate.js';
import { SUMMARY_NAMES } from '../simulators/summary.js';
import type { Fidelity, SimulateOptions, Task } from './task.js';

/** The stochastic Hodgkin–Huxley task (docs/model.md): θ = (ḡ_Na, ḡ_K, ḡ_L) in mS/cm², x = four summary statistics, HF and LF simulators, no exact posterior. */
export function hhTask(): Task {
  const prior = hhPrior();
  const D = 3;
  const C = SUMMARY_NAMES.length;
  return {
    name: 'hh',
    prior,
    thetaDim: D,
    xDim: C,
    thetaNames: [...HH_PARAM_NAMES],
    xNames: [...SUMMARY_NAMES],
    fidelities: ['hf', 'mf', 'lf'] as readonly Fidelity[],
    simulatorConfig: DEFAULT_HH_CONFIG,
    async simulate(theta: Float64Array, seed: number, opts: SimulateOptions = {}): Promise<Float64Array> {
      const n = theta.length / D;
      const offset = opts.offset ?? 0;
      const fid = opts.fidelity ?? 'hf';
      const x = new Float64Array(n * C);
      for (let i = 0; i < n; i++) {
        const rng = streamRng(seed, offset + i);
        // The batch runner draws θ from the stream first; keep the stream layout the same by
        // discarding a prior draw, so simulate(θ_i) of a joint draw reproduces its x_i.
        prior.sampleOne(rng);
        const r = simulateSummary(fid, theta.subarray(i * D, i * D + D), rng);
        x.set(r.x, i * C);
        if (opts.onProgress && (i + 1) % 50 === 0) opts.onProgress(i + 1, n);
        if ((i + 1) % 20 === 0) await new Promise((res) => setImmediate(res));
      }
      opts.onProgress?.(n, n);
      return x;
    },
    async sampleJoint(n: number, seed: number, opts: SimulateOptions = {}): Promise<{ theta: Float64Array; x: Float64Array }> {
      const offset = opts.offset ?? 0;
      const theta = new Float64Array(n * D);
      const x = new Float64Array(n * C);
      let done = 0;
      await runBatch({ fidelity: opts.fidelity ?? 'hf', seed, theta: null }, offset + n, {
        from: offset,
        workers: opts.workers,
        onRows: (start, rows) => {
          const m = rows.length / ROW_WIDTH;
          for (let k = 0; k < m; k++) {
            const i = start - offset + k;
            for (let j = 0; j < D; j++) theta[i * D + j] = rows[k * ROW_WIDTH + j];
            for (let j = 0; j < C; j++) x[i * C + j] = rows[k * ROW_WIDTH + D + j];
          }
        },
        onProgress: (k) => {
          done += k;
          opts.onProgress?.(Math.min(done, n), n);
        },
      });
      return { theta, x };
    },
  };
}
