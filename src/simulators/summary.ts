/**
 * The four summary statistics of a voltage trace (hh-model.md, "Summary statistics"):
 *   1. n_spikes:  number of i with V[i−1] < threshold ≤ V[i] (threshold 0 mV), over the whole trace;
 *   2. mean_rest: mean of V over t < stimulus onset (10 ms);
 *   3. std_rest:  population standard deviation (ddof 0) of V over t < onset;
 *   4. mean_stim: mean of V over onset ≤ t < offset (10 ≤ t < 30 ms).
 * Windows are grid-index ranges (t = i·dt), so t = 10 ms is sample 1000 exactly at dt = 0.01 ms.
 */
import { DEFAULT_HH_CONFIG, timeIndex, type HHConfig } from './config.js';

/** The four summary statistics of a voltage trace, in order (docs/model.md, "Summary statistics"): spike count, resting mean and standard deviation (mV), mean under stimulation (mV). */
export const SUMMARY_NAMES = ['n_spikes', 'mean_rest', 'std_rest', 'mean_stim'] as const;
/** The name of one summary statistic. */
export type SummaryName = (typeof SUMMARY_NAMES)[number];

/** Summary statistics of trace v (mV) into out[0..3]. Windows are clipped to the trace length. */
export function summaryStats(v: Float64Array, cfg: HHConfig = DEFAULT_HH_CONFIG, out: Float64Array = new Float64Array(4)): Float64Array {
  const n = v.length;
  const thr = cfg.spike_threshold_mV;
  let spikes = 0;
  for (let i = 1; i < n; i++) if (v[i - 1] < thr && thr <= v[i]) spikes++;

  const restEnd = Math.min(timeIndex(cfg.stim_onset_ms, cfg), n);
  let sum = 0;
  for (let i = 0; i < restEnd; i++) sum += v[i];
  const meanRest = sum / restEnd;
  // Two-pass variance: no cancellation for the ~−65 mV offset.
  let ss = 0;
  for (let i = 0; i < restEnd; i++) {
    const d = v[i] - meanRest;
    ss += d * d;
  }
  const stimStart = Math.min(timeIndex(cfg.stim_onset_ms, cfg), n);
  const stimEnd = Math.min(timeIndex(cfg.stim_offset_ms, cfg), n);
  let sumStim = 0;
  for (let i = stimStart; i < stimEnd; i++) sumStim += v[i];

  out[0] = spikes;
  out[1] = meanRest;
  out[2] = Math.sqrt(ss / restEnd);
  out[3] = sumStim / (stimEnd - stimStart);
  return out;
}

/** Index of the first non-finite sample of v, or −1 when all are finite. */
export function firstNonFinite(v: Float64Array, n: number = v.length): number {
  for (let i = 0; i < n; i++) {
    const x = v[i];
    // x − x is NaN for ±Infinity and NaN, 0 otherwise: one comparison per sample.
    if (x - x !== 0) return i;
  }
  return -1;
}
