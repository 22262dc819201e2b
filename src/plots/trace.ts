/**
 * Vega-lite specification of a membrane-voltage trace: V (mV) against t (ms), with the stimulus
 * window (I = 10 µA/cm² for 10 ≤ t < 30 ms by default) shaded and labelled.
 */
import { DEFAULT_HH_CONFIG, type HHConfig } from '../simulators/config.js';
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface TraceSpecOptions {
  /** Figure title, e.g. "HF trace, θ = (120, 36, 0.3) mS/cm², seed 0". */
  title?: string;
  /** Simulator configuration: the time step and the stimulus window come from it. */
  cfg?: HHConfig;
  /** Plot size in px. */
  width?: number;
  height?: number;
  /** Line colour. */
  color?: string;
}

/** Rounds to a few significant digits so the embedded data stay compact. */
function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** The vega-lite spec of trace `v` sampled every cfg.dt_ms from t = 0. */
export function traceSpec(v: ArrayLike<number>, opts: TraceSpecOptions = {}): VegaLiteSpec {
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const values = new Array<{ t: number; v: number }>(v.length);
  for (let i = 0; i < v.length; i++) values[i] = { t: round(i * cfg.dt_ms, 6), v: round(v[i], 3) };
  const tEnd = (v.length - 1) * cfg.dt_ms;
  const stim = {
    start: cfg.stim_onset_ms,
    end: cfg.stim_offset_ms,
    label: `stimulus I = ${cfg.stim_amp_uA_per_cm2} µA/cm²`,
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Membrane potential',
    width: opts.width ?? 640,
    height: opts.height ?? 280,
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    layer: [
      {
        data: { values: [stim] },
        mark: { type: 'rect', color: '#f2b134', opacity: 0.18 },
        encoding: {
          x: { field: 'start', type: 'quantitative' },
          x2: { field: 'end' },
        },
      },
      {
        data: { values: [stim] },
        mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -4, y: { expr: 'height' }, color: '#a86b00', fontSize: 11 },
        encoding: { x: { field: 'end', type: 'quantitative' }, text: { field: 'label' } },
      },
      {
        data: { values },
        mark: { type: 'line', strokeWidth: 1.2, color: opts.color ?? '#1f5fa8', clip: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'time t (ms)', scale: { domain: [0, tEnd], nice: false }, axis: { tickCount: 10 } },
          y: { field: 'v', type: 'quantitative', title: 'membrane potential V (mV)', scale: { zero: false } },
        },
      },
    ],
  };
}
