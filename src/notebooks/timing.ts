/**
 * Live cost measurement for the notebooks: wall-clock milliseconds per simulated trace, one
 * thread, over θ drawn from the prior (the HF cost grows with the channel counts, i.e. with
 * ḡ_Na and ḡ_K, so a single θ would misstate it).
 */
import { median } from '../numeric.js';
import { hhPrior } from '../prior.js';
import { streamRng, STREAM_OFFSET } from '../random.js';
import { DEFAULT_HH_CONFIG, type HHConfig } from '../simulators/config.js';
import { simulateSummary, type Fidelity } from '../simulators/simulate.js';

export interface CostSample {
  fidelity: Fidelity;
  /** ms per trace, one entry per simulation. */
  ms: Float64Array;
  /** HF channel transitions per trace (0 for LF). */
  events: Float64Array;
  medianMs: number;
  meanMs: number;
}

/** Times n single-threaded simulations at prior draws (after `warmup` untimed ones, for the JIT). */
export function measureCost(fidelity: Fidelity, n: number, seed: number, cfg: HHConfig = DEFAULT_HH_CONFIG, warmup = 3): CostSample {
  const prior = hhPrior();
  const theta = new Float64Array(3);
  const x = new Float64Array(4);
  for (let i = 0; i < warmup; i++) {
    const rng = streamRng(seed, STREAM_OFFSET.aux + i);
    prior.sampleOne(rng, theta);
    simulateSummary(fidelity, theta, rng, cfg, x);
  }
  const ms = new Float64Array(n);
  const events = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const rng = streamRng(seed, i);
    prior.sampleOne(rng, theta);
    const t0 = performance.now();
    events[i] = simulateSummary(fidelity, theta, rng, cfg, x).events;
    ms[i] = performance.now() - t0;
  }
  let sum = 0;
  for (const v of ms) sum += v;
  return { fidelity, ms, events, medianMs: median(ms), meanMs: sum / n };
}
