/**
 * One-at-a-time conductance sweeps for the notebooks: traces at a reference θ with one
 * conductance set to each of a few values (e.g. the prior's bounds), to show what each conductance
 * does to the membrane potential.
 */
import { HH_PARAM_NAMES } from '../prior.js';
import { streamRng } from '../random.js';
import { DEFAULT_HH_CONFIG, type HHConfig } from '../simulators/config.js';
import { simulateTrace, type Fidelity } from '../simulators/simulate.js';
import { summaryStats } from '../simulators/summary.js';
import type { LabelledTrace } from '../plots/trace-overlay.js';

export interface SweepTrace extends LabelledTrace {
  theta: Float64Array;
  /** The four summary statistics of the trace (SUMMARY_NAMES). */
  x: Float64Array;
}

export interface SweepOptions {
  fidelity?: Fidelity;
  cfg?: HHConfig;
  /** Every trace uses the random stream (seed, 0): differences come from θ alone. */
  seed?: number;
  /** Panel titles per parameter (default HH_PARAM_NAMES). */
  labels?: readonly string[];
}

/**
 * For each parameter j and each value in values[j]: the trace at θ = theta0 with θ_j replaced.
 * Series labels are `low`/`high` for two values, else the value itself.
 */
export function conductanceSweep(theta0: ArrayLike<number>, values: readonly (readonly number[])[], opts: SweepOptions = {}): SweepTrace[] {
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const out: SweepTrace[] = [];
  values.forEach((vals, j) => {
    vals.forEach((val, k) => {
      const theta = Float64Array.from(theta0);
      theta[j] = val;
      const { v } = simulateTrace(opts.fidelity ?? 'lf', theta, streamRng(opts.seed ?? 0, 0), cfg);
      const name = opts.labels?.[j] ?? HH_PARAM_NAMES[j];
      const series = vals.length === 2 ? (k === 0 ? 'low' : 'high') : String(val);
      out.push({ v, panel: `${name} = ${vals.join(' / ')}`, series, theta, x: summaryStats(v, cfg) });
    });
  });
  return out;
}
