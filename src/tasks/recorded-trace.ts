/**
 * A recorded voltage trace as an observation of the HH task: read a CSV with columns `t,v` (time in
 * ms, membrane potential in mV), check that it fits the stimulus protocol of docs/model.md (uniform
 * sampling from t = 0 through t_end = 50 ms; step current 10 µA/cm² for 10 ≤ t < 30 ms), resample it
 * to the simulator's grid (dt = 0.01 ms, linear interpolation when the sampling interval differs)
 * and compute the four summary statistics with the simulator's own definitions (summary.ts).
 *
 * Any problem is one InputError line naming the file.
 */
import { readCsv } from '../data/csv.js';
import { InputError } from '../errors.js';
import { DEFAULT_HH_CONFIG, type HHConfig, nSteps } from '../simulators/config.js';
import { summaryStats } from '../simulators/summary.js';

/** Coarsest accepted sampling interval (ms): a spike stays above 0 mV for about 1 ms, so coarser sampling can miss it. */
export const MAX_TRACE_INTERVAL_MS = 0.5;
/** Relative tolerance on equal sampling intervals (rounding of printed times). */
const UNIFORM_TOLERANCE = 1e-3;

/** A recorded trace: times (ms) and voltages (mV). */
export interface RecordedTrace {
  t: Float64Array;
  v: Float64Array;
}

/** Reads a `t,v` CSV (header `t,v`, numbers only). */
export function readTraceCsv(path: string): RecordedTrace {
  const table = readCsv(path);
  const cols = table.columns.map((c) => c.trim().toLowerCase());
  if (cols.length !== 2 || cols[0] !== 't' || cols[1] !== 'v')
    throw new InputError(`${path} is not a voltage trace: expected the header t,v (ms, mV), got ${table.columns.join(',')}`);
  const n = table.data.length / 2;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    t[i] = table.data[2 * i];
    v[i] = table.data[2 * i + 1];
  }
  return { t, v };
}

/** The sampling interval of t (ms), checked: increasing, uniform, starting at 0, fine enough. */
export function samplingInterval(t: Float64Array, source: string): number {
  const n = t.length;
  if (n < 2) throw new InputError(`${source} has ${n} sample; a trace needs at least 2`);
  const dt = (t[n - 1] - t[0]) / (n - 1);
  if (!(dt > 0)) throw new InputError(`${source}: times must increase (t goes from ${t[0]} to ${t[n - 1]} ms)`);
  for (let i = 1; i < n; i++) {
    const d = t[i] - t[i - 1];
    if (Math.abs(d - dt) > UNIFORM_TOLERANCE * dt)
      throw new InputError(`${source} is unevenly sampled: t[${i}] − t[${i - 1}] = ${d} ms, the mean interval is ${dt.toPrecision(6)} ms`);
  }
  if (Math.abs(t[0]) > UNIFORM_TOLERANCE * dt) throw new InputError(`${source} starts at t = ${t[0]} ms; the protocol's time 0 is the start of the recording`);
  if (dt > MAX_TRACE_INTERVAL_MS) throw new InputError(`${source} is sampled every ${dt.toPrecision(4)} ms; spikes need at most ${MAX_TRACE_INTERVAL_MS} ms`);
  return dt;
}

/** The trace on the simulator's grid t = i·dt, i = 0..nSteps − 1 (checked; linear interpolation if needed). */
export function traceOnGrid(trace: RecordedTrace, source: string, cfg: HHConfig = DEFAULT_HH_CONFIG): Float64Array {
  const { t, v } = trace;
  const dt = samplingInterval(t, source);
  const end = t[t.length - 1];
  if (end < cfg.t_end_ms - UNIFORM_TOLERANCE * dt)
    throw new InputError(`${source} is too short: it ends at t = ${end} ms, the protocol needs 0–${cfg.t_end_ms} ms`);
  let maxAbs = 0;
  for (const x of v) maxAbs = Math.max(maxAbs, Math.abs(x));
  if (maxAbs < 1) throw new InputError(`${source}: v must be in mV (all |v| < 1: volts?)`);
  const m = nSteps(cfg);
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // Position of grid time i·dt_sim in the recording's samples.
    const pos = (i * cfg.dt_ms - t[0]) / dt;
    const k = Math.min(Math.max(Math.floor(pos + 1e-9), 0), t.length - 1);
    const f = Math.min(Math.max(pos - k, 0), 1);
    out[i] = f < 1e-9 || k + 1 >= t.length ? v[k] : v[k] + f * (v[k + 1] - v[k]);
  }
  return out;
}

/** The summary statistics (SUMMARY_NAMES) of the recorded trace in `path`, and the trace on the grid. */
export function recordedSummary(path: string, cfg: HHConfig = DEFAULT_HH_CONFIG): { x: Float64Array; v: Float64Array; intervalMs: number } {
  const trace = readTraceCsv(path);
  const v = traceOnGrid(trace, path, cfg);
  return { x: summaryStats(v, cfg), v, intervalMs: samplingInterval(trace.t, path) };
}
