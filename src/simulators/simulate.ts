/**
 * Facade over the three simulators (HF, MF, LF): validate θ, simulate, check the trace is finite, summarize.
 * Callers (batch, CLI, tasks) pass the Rng of simulation i (streamRng(seed, i)) and add the seed and
 * index to any error they report.
 */
import type { Rng } from '../random.js';
import { checkConfig, DEFAULT_HH_CONFIG, nSteps, type HHConfig } from './config.js';
import { simulateHF } from './hf.js';
import { simulateLF } from './lf.js';
import { simulateMF } from './mf.js';
import { firstNonFinite, summaryStats } from './summary.js';
import { checkTheta } from './validate.js';

import type { Fidelity } from './fidelity.js';

export type { Fidelity };

/** Reused trace buffer of the summary path (traces are never kept: only summaries). */
let scratch = new Float64Array(0);

function traceBuffer(n: number): Float64Array {
  if (scratch.length !== n) scratch = new Float64Array(n);
  return scratch;
}

function run(fidelity: Fidelity, theta: ArrayLike<number>, rng: Rng, cfg: HHConfig, out: Float64Array): { v: Float64Array; events: number } {
  if (cfg !== DEFAULT_HH_CONFIG) checkConfig(cfg);
  checkTheta(theta, fidelity, cfg);
  let events = 0;
  if (fidelity === 'hf') events = simulateHF(theta, rng, cfg, out).events;
  else if (fidelity === 'mf') simulateMF(theta, rng, cfg, out);
  else simulateLF(theta, rng, cfg, out);
  const bad = firstNonFinite(out, nSteps(cfg));
  if (bad >= 0) {
    throw new Error(
      `${fidelity.toUpperCase()} trace is not finite at t = ${(bad * cfg.dt_ms).toFixed(2)} ms (V = ${out[bad]}) for theta = ${Array.from(theta).join(',')}`,
    );
  }
  return { v: out, events };
}

/**
 * The 4 summary statistics (SUMMARY_NAMES) of one simulation, into `out` if given, and the HF event
 * count (0 for MF and LF). Throws RangeError for a bad θ and Error for a non-finite trace.
 */
export function simulateSummary(
  fidelity: Fidelity,
  theta: ArrayLike<number>,
  rng: Rng,
  cfg: HHConfig = DEFAULT_HH_CONFIG,
  out?: Float64Array,
): { x: Float64Array; events: number } {
  const { v, events } = run(fidelity, theta, rng, cfg, traceBuffer(nSteps(cfg)));
  return { x: summaryStats(v, cfg, out), events };
}

/** One full voltage trace (mV, fresh array of nSteps(cfg) samples) and the HF event count. */
export function simulateTrace(fidelity: Fidelity, theta: ArrayLike<number>, rng: Rng, cfg: HHConfig = DEFAULT_HH_CONFIG): { v: Float64Array; events: number } {
  return run(fidelity, theta, rng, cfg, new Float64Array(nSteps(cfg)));
}
