/**
 * Prior-predictive simulation for the notebooks: n draws θ ~ prior and their summary statistics,
 * on worker threads (batch.ts), with a progress line on stderr every couple of seconds. Runs of
 * the two fidelities with the same seed use the same θ (θ_i is the first draw of stream i), so
 * their rows pair up for LF/HF comparisons.
 */
import { Progress } from '../data/progress.js';
import { simulateBatch, ROW_WIDTH } from '../simulators/batch.js';
import type { HHConfig } from '../simulators/config.js';
import type { Fidelity } from '../simulators/simulate.js';

export interface PriorSimulations {
  fidelity: Fidelity;
  /** Row-major n × 3 parameters and n × 4 summary statistics. */
  theta: Float64Array;
  x: Float64Array;
  n: number;
  /** Wall-clock seconds and worker threads used. */
  seconds: number;
  /** HF channel transitions in total (0 for LF). */
  events: number;
}

export interface SimulatePriorOptions {
  cfg?: HHConfig;
  /** Worker threads (default: all cores). */
  workers?: number;
  /** Seconds between progress lines (default 2; 0 = silent). */
  progressSeconds?: number;
}

/** n prior draws θ and their summaries x at one fidelity, on all cores, with a notebook-friendly progress line. */
export async function simulatePrior(fidelity: Fidelity, n: number, seed: number, opts: SimulatePriorOptions = {}): Promise<PriorSimulations> {
  const quiet = opts.progressSeconds === 0;
  const progress = new Progress(`${fidelity.toUpperCase()} simulations`, n, {
    unit: 'sims',
    quiet,
    intervalMs: 1000 * (opts.progressSeconds ?? 2),
    // Never a redrawn bar: in a notebook each redraw would become a new output line.
    stream: { write: (s: string) => process.stderr.write(s), isTTY: false },
  });
  const t0 = performance.now();
  const { rows, events } = await simulateBatch({ fidelity, seed, theta: null, cfg: opts.cfg }, n, {
    workers: opts.workers && opts.workers > 0 ? opts.workers : undefined,
    onProgress: (k) => progress.tick(k),
  });
  progress.finish();
  const theta = new Float64Array(n * 3);
  const x = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    theta.set(rows.subarray(i * ROW_WIDTH, i * ROW_WIDTH + 3), i * 3);
    x.set(rows.subarray(i * ROW_WIDTH + 3, (i + 1) * ROW_WIDTH), i * 4);
  }
  return { fidelity, theta, x, n, seconds: (performance.now() - t0) / 1000, events };
}
