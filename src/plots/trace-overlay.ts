/**
 * Vega-lite figure of several membrane-voltage traces: each trace has a panel label (one panel
 * per distinct label, in order) and a series label (colour within the panel), e.g. panels =
 * conductance varied, series = low/high value; or panels = θ, series = LF/HF. Traces are
 * decimated by keeping the extreme sample of each window (spike peaks survive) to keep specs small.
 */
import { DEFAULT_HH_CONFIG, type HHConfig } from '../simulators/config.js';
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface LabelledTrace {
  /** Voltage (mV) sampled every cfg.dt_ms from t = 0. */
  v: ArrayLike<number>;
  /** Panel title. */
  panel: string;
  /** Series label (legend). */
  series: string;
}

export interface TraceOverlayOptions {
  cfg?: HHConfig;
  title?: string;
  /** Keep one point per `window` samples (the one farthest from the window's mean); default 4. */
  window?: number;
  /** Panel size in px; panels per row. */
  width?: number;
  height?: number;
  columns?: number;
  /** Series order and colours (default: vega's category10). */
  seriesOrder?: readonly string[];
  colors?: readonly string[];
}

/** Indices kept when decimating: per window, the sample farthest from the window's mean. */
export function decimateExtremes(v: ArrayLike<number>, window: number): number[] {
  if (window <= 1) return Array.from({ length: v.length }, (_, i) => i);
  const keep: number[] = [];
  for (let s = 0; s < v.length; s += window) {
    const e = Math.min(v.length, s + window);
    let mean = 0;
    for (let i = s; i < e; i++) mean += v[i];
    mean /= e - s;
    let best = s;
    for (let i = s + 1; i < e; i++) if (Math.abs(v[i] - mean) > Math.abs(v[best] - mean)) best = i;
    keep.push(best);
  }
  if (keep[keep.length - 1] !== v.length - 1) keep.push(v.length - 1);
  return keep;
}

/** Voltage traces overlaid (mV against ms), grouped in panels and coloured by series; long traces are decimated keeping their extremes. */
export function traceOverlaySpec(traces: readonly LabelledTrace[], opts: TraceOverlayOptions = {}): VegaLiteSpec {
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const values: Record<string, number | string>[] = [];
  traces.forEach((tr, id) => {
    for (const i of decimateExtremes(tr.v, opts.window ?? 4)) {
      values.push({ t: Math.round(i * cfg.dt_ms * 1e4) / 1e4, v: Math.round(tr.v[i] * 100) / 100, panel: tr.panel, series: tr.series, id });
    }
  });
  const panels = [...new Set(traces.map((t) => t.panel))];
  const series = opts.seriesOrder ? [...opts.seriesOrder] : [...new Set(traces.map((t) => t.series))];
  const tEnd = Math.max(...traces.map((t) => (t.v.length - 1) * cfg.dt_ms));
  // The stimulus window, one row per panel: a layer inside a facet must take the facet's data.
  for (const panel of panels) values.push({ kind: 'stim', panel, start: cfg.stim_onset_ms, end: cfg.stim_offset_ms });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Membrane potential',
    data: { values },
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    facet: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelFontSize: 12 } },
    columns: opts.columns ?? Math.min(3, panels.length),
    spec: {
      width: opts.width ?? 300,
      height: opts.height ?? 180,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'stim'" }],
          mark: { type: 'rect', color: '#f2b134', opacity: 0.15 },
          encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
        },
        {
          transform: [{ filter: "datum.kind !== 'stim'" }],
          mark: { type: 'line', strokeWidth: 1.1, clip: true },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 't (ms)', scale: { domain: [0, tEnd], nice: false } },
            y: { field: 'v', type: 'quantitative', title: 'V (mV)', scale: { zero: false } },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              sort: series,
              legend: { labelLimit: 320 },
              scale: opts.colors ? { domain: series, range: [...opts.colors] } : { domain: series },
            },
            detail: { field: 'id', type: 'nominal' },
          },
        },
      ],
    },
  };
}
