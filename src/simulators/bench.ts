/**
 * Single-threaded speed of the three simulators at θ = (120, 36, 0.3) mS/cm² (the reference point of
 * hh-model.md), for `mfnpe bench` and scripts/bench-sim.ts: ms per trace of HF, MF and LF from the same
 * run, at the default channel counts and at `scale`× them (channel_scale, default 10: HF cost grows
 * with the number of channels, MF cost essentially does not). Medians after a warm-up (so the JIT has
 * compiled the hot loops); each trace uses its own stream (seed, i).
 *
 * The fidelities are timed in interleaved rounds (one HF trace, then a few MF and LF traces, …), so a
 * change of load on a shared machine affects all of them alike. Wall time per trace is the median over
 * single traces; CPU time (user + system, robust to other load) is measured per round and divided by
 * the traces in it (the CPU clock has 1 µs resolution and MF/LF traces take about 1 ms).
 */
import { median } from '../numeric.js';
import { streamRng } from '../random.js';
import { DEFAULT_HH_CONFIG, hhConfig, nSteps, type HHConfig } from './config.js';
import { simulateHF } from './hf.js';
import { simulateLF } from './lf.js';
import { simulateMF } from './mf.js';

export interface SimBenchResult {
  /** Median wall time of one HF trace (ms). */
  hf_ms_median: number;
  /** Median number of channel events per HF trace. */
  hf_events_per_trace: number;
  /** Median over traces of (trace time / events), in ns per event. */
  hf_ns_per_event: number;
  /** Median wall time of one MF trace (ms). */
  mf_ms_median: number;
  /** Median wall time of one LF trace (ms). */
  lf_ms_median: number;
  /** Median CPU time (user + system) of one HF trace (ms): less sensitive to a loaded machine. */
  hf_cpu_ms_median: number;
  /** hf_cpu_ms_median / hf_events_per_trace, in ns per event. */
  hf_cpu_ns_per_event: number;
  /** Median over rounds of the CPU time per MF trace (ms). */
  mf_cpu_ms_median: number;
  /** Median over rounds of the CPU time per LF trace (ms). */
  lf_cpu_ms_median: number;
  /** MF cost relative to HF (CPU medians): the target is ≤ 1/6. */
  mf_over_hf: number;
  /** Traces timed per fidelity. */
  hf_traces: number;
  mf_traces: number;
  lf_traces: number;
  /** The same for `scale`× the default channel counts (HF and MF; LF has no channels). */
  scaled: {
    channel_scale: number;
    hf_ms_median: number;
    hf_cpu_ms_median: number;
    hf_events_per_trace: number;
    mf_ms_median: number;
    mf_cpu_ms_median: number;
    mf_over_hf: number;
    hf_traces: number;
    mf_traces: number;
  };
}

export interface SimBenchOptions {
  theta?: ArrayLike<number>;
  /** HF traces to time (≥ 20; default 30); also the number of interleaved rounds. */
  hfTraces?: number;
  /** MF traces to time (≥ 20; default 200). */
  mfTraces?: number;
  /** LF traces to time (≥ 20; default 200). */
  lfTraces?: number;
  /** Channel scale of the second measurement (default 10). */
  scale?: number;
  /** HF traces at `scale`× (≥ 3; default 6); MF traces there: mfTraces / 4. */
  scaledHfTraces?: number;
  seed?: number;
  cfg?: HHConfig;
}

/** Wall ms of each trace and CPU ms per trace of each round, for one fidelity. */
interface Timing {
  wall: number[];
  cpu: number[];
  events: number[];
}

const newTiming = (): Timing => ({ wall: [], cpu: [], events: [] });

/** Times traces [from, to) of `sim` (returns the event count, 0 without events) into t. */
function timeRound(t: Timing, from: number, to: number, sim: (i: number) => number): void {
  if (to <= from) return;
  const c0 = process.cpuUsage();
  for (let i = from; i < to; i++) {
    const t0 = performance.now();
    const ev = sim(i);
    t.wall.push(performance.now() - t0);
    t.events.push(ev);
  }
  const c = process.cpuUsage(c0);
  t.cpu.push((c.user + c.system) / 1000 / (to - from));
}

/** Interleaved rounds: round r times HF trace r, then its share of MF and LF traces. */
function interleaved(rounds: number, sims: { n: number; sim: (i: number) => number }[]): Timing[] {
  const ts = sims.map(newTiming);
  for (let r = 0; r < rounds; r++) {
    for (const [k, { n, sim }] of sims.entries()) {
      const from = Math.floor((r * n) / rounds);
      const to = Math.floor(((r + 1) * n) / rounds);
      timeRound(ts[k], from, to, sim);
    }
  }
  return ts;
}

/** Trace simulators for the timing, all writing into `buf`: each returns its HF event count (0 for MF and LF). */
function traceSims(theta: ArrayLike<number>, seed: number, buf: Float64Array) {
  return {
    hf: (c: HHConfig) => (i: number) => simulateHF(theta, streamRng(seed, i), c, buf).events,
    mf: (c: HHConfig) => (i: number) => {
      simulateMF(theta, streamRng(seed, i), c, buf);
      return 0;
    },
    lf: (c: HHConfig) => (i: number) => {
      simulateLF(theta, streamRng(seed, i), c, buf);
      return 0;
    },
  };
}

/** Warm-up on the streams of seed + 1 (untimed): lets the JIT optimize every loop. */
function warmUp(theta: ArrayLike<number>, seed: number, cfg: HHConfig, buf: Float64Array): void {
  for (let i = 0; i < 5; i++) simulateHF(theta, streamRng(seed + 1, i), cfg, buf);
  for (let i = 0; i < 50; i++) simulateMF(theta, streamRng(seed + 1, i), cfg, buf);
  for (let i = 0; i < 50; i++) simulateLF(theta, streamRng(seed + 1, i), cfg, buf);
}

/** The medians at the default channel counts (all of the result but `scaled`). */
function summarise(h: Timing, m: Timing, l: Timing): Omit<SimBenchResult, 'scaled'> {
  const hfNs = h.wall.map((w, i) => (w * 1e6) / h.events[i]);
  return {
    hf_ms_median: median(h.wall),
    hf_events_per_trace: median(h.events),
    hf_ns_per_event: median(hfNs),
    mf_ms_median: median(m.wall),
    lf_ms_median: median(l.wall),
    hf_cpu_ms_median: median(h.cpu),
    hf_cpu_ns_per_event: (median(h.cpu) * 1e6) / median(h.events),
    mf_cpu_ms_median: median(m.cpu),
    lf_cpu_ms_median: median(l.cpu),
    mf_over_hf: median(m.cpu) / median(h.cpu),
    hf_traces: h.wall.length,
    mf_traces: m.wall.length,
    lf_traces: l.wall.length,
  };
}

/** The medians at `channelScale`× the default channel counts. */
function summariseScaled(hs: Timing, ms: Timing, channelScale: number): SimBenchResult['scaled'] {
  return {
    channel_scale: channelScale,
    hf_ms_median: median(hs.wall),
    hf_cpu_ms_median: median(hs.cpu),
    hf_events_per_trace: median(hs.events),
    mf_ms_median: median(ms.wall),
    mf_cpu_ms_median: median(ms.cpu),
    mf_over_hf: median(ms.cpu) / median(hs.cpu),
    hf_traces: hs.wall.length,
    mf_traces: ms.wall.length,
  };
}

/** Times HF, MF and LF in interleaved rounds, then HF and MF at `scale`× the channels (see the module comment). */
export function benchSimulators(opts: SimBenchOptions = {}): SimBenchResult {
  const theta = opts.theta ?? [120, 36, 0.3];
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const nHF = Math.max(20, opts.hfTraces ?? 30);
  const nMF = Math.max(20, opts.mfTraces ?? 200);
  const nLF = Math.max(20, opts.lfTraces ?? 200);
  const scale = opts.scale ?? 10;
  const nHFs = Math.max(3, opts.scaledHfTraces ?? 6);
  const nMFs = Math.max(10, Math.round(nMF / 4));
  const seed = opts.seed ?? 12345;
  const cfgS = hhConfig({ ...cfg, channel_scale: cfg.channel_scale * scale });
  const buf = new Float64Array(nSteps(cfg));
  const { hf, mf, lf } = traceSims(theta, seed, buf);
  warmUp(theta, seed, cfg, buf);

  const [h, m, l] = interleaved(nHF, [
    { n: nHF, sim: hf(cfg) },
    { n: nMF, sim: mf(cfg) },
    { n: nLF, sim: lf(cfg) },
  ]);
  const [hs, ms] = interleaved(nHFs, [
    { n: nHFs, sim: hf(cfgS) },
    { n: nMFs, sim: mf(cfgS) },
  ]);
  return { ...summarise(h, m, l), scaled: summariseScaled(hs, ms, cfgS.channel_scale) };
}
