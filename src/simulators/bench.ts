/**
 * Single-threaded speed of the two simulators at θ = (120, 36, 0.3) mS/cm² (the reference point of
 * hh-model.md), for `mfnpe bench` and scripts/bench-sim.ts. Medians over ≥ 20 traces after a warm-up
 * (so the JIT has compiled the hot loops); each trace uses its own stream (seed, i).
 */
import { median } from '../numeric.js';
import { streamRng } from '../random.js';
import { DEFAULT_HH_CONFIG, nSteps, type HHConfig } from './config.js';
import { simulateHF } from './hf.js';
import { simulateLF } from './lf.js';

export interface SimBenchResult {
  /** Median wall time of one HF trace (ms). */
  hf_ms_median: number;
  /** Median number of channel events per HF trace. */
  hf_events_per_trace: number;
  /** Median over traces of (trace time / events), in ns per event. */
  hf_ns_per_event: number;
  /** Median wall time of one LF trace (ms). */
  lf_ms_median: number;
  /** Median CPU time (user + system) of one HF trace (ms): less sensitive to a loaded machine. */
  hf_cpu_ms_median: number;
  /** hf_cpu_ms_median / hf_events_per_trace, in ns per event. */
  hf_cpu_ns_per_event: number;
  /** Median CPU time of one LF trace (ms), from batches of 10 traces (CPU clock resolution is 1 µs). */
  lf_cpu_ms_median: number;
  /** Traces timed per fidelity. */
  hf_traces: number;
  lf_traces: number;
}

export interface SimBenchOptions {
  theta?: ArrayLike<number>;
  /** HF traces to time (≥ 20; default 30). */
  hfTraces?: number;
  /** LF traces to time (≥ 20; default 200). */
  lfTraces?: number;
  seed?: number;
  cfg?: HHConfig;
}

export function benchSimulators(opts: SimBenchOptions = {}): SimBenchResult {
  const theta = opts.theta ?? [120, 36, 0.3];
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const nHF = Math.max(20, opts.hfTraces ?? 30);
  const nLF = Math.max(20, opts.lfTraces ?? 200);
  const seed = opts.seed ?? 12345;
  const buf = new Float64Array(nSteps(cfg));
  // Warm-up: let the JIT optimize both loops.
  for (let i = 0; i < 5; i++) simulateHF(theta, streamRng(seed + 1, i), cfg, buf);
  for (let i = 0; i < 50; i++) simulateLF(theta, streamRng(seed + 1, i), cfg, buf);

  const hfMs: number[] = [];
  const hfEvents: number[] = [];
  const hfNs: number[] = [];
  const hfCpu: number[] = [];
  for (let i = 0; i < nHF; i++) {
    const rng = streamRng(seed, i);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { events } = simulateHF(theta, rng, cfg, buf);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    hfCpu.push((c.user + c.system) / 1000);
    hfMs.push(ms);
    hfEvents.push(events);
    hfNs.push((ms * 1e6) / events);
  }
  const lfMs: number[] = [];
  const lfCpu: number[] = [];
  for (let b = 0; b < nLF; b += 10) {
    const c0 = process.cpuUsage();
    const end = Math.min(nLF, b + 10);
    for (let i = b; i < end; i++) {
      const rng = streamRng(seed, i);
      const t0 = performance.now();
      simulateLF(theta, rng, cfg, buf);
      lfMs.push(performance.now() - t0);
    }
    const c = process.cpuUsage(c0);
    lfCpu.push((c.user + c.system) / 1000 / (end - b));
  }
  return {
    hf_ms_median: median(hfMs),
    hf_events_per_trace: median(hfEvents),
    hf_ns_per_event: median(hfNs),
    lf_ms_median: median(lfMs),
    hf_cpu_ms_median: median(hfCpu),
    hf_cpu_ns_per_event: (median(hfCpu) * 1e6) / median(hfEvents),
    lf_cpu_ms_median: median(lfCpu),
    hf_traces: nHF,
    lf_traces: nLF,
  };
}
