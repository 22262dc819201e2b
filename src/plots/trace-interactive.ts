/**
 * Vega-lite specification of membrane-voltage traces for interactive viewing (mfnpe view): full
 * resolution, one colour per trace, and an x-interval selection bound to the scales, so the mouse
 * wheel zooms, dragging pans and a double-click resets — enough to look at a spike's shape or at the
 * channel noise at rest.
 */
import { DEFAULT_HH_CONFIG, type HHConfig } from '../simulators/config.js';
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface NamedTrace {
  name: string;
  /** Voltage (mV) every cfg.dt_ms from t = 0. */
  v: ArrayLike<number>;
}

export function interactiveTraceSpec(traces: readonly NamedTrace[], opts: { title?: string; cfg?: HHConfig; width?: number; height?: number } = {}): VegaLiteSpec {
  const cfg = opts.cfg ?? DEFAULT_HH_CONFIG;
  const values: { t: number; v: number; trace: string }[] = [];
  for (const tr of traces) for (let i = 0; i < tr.v.length; i++) values.push({ t: Math.round(i * cfg.dt_ms * 1e6) / 1e6, v: tr.v[i], trace: tr.name });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Membrane potential (wheel: zoom, drag: pan, double-click: reset)',
    width: opts.width ?? 900,
    height: opts.height ?? 420,
    config: { font: FIGURE_FONT, axis: { grid: true, gridOpacity: 0.4 } },
    layer: [
      {
        data: { values: [{ start: cfg.stim_onset_ms, end: cfg.stim_offset_ms }] },
        mark: { type: 'rect', color: '#f2b134', opacity: 0.15 },
        encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
      },
      {
        data: { values },
        params: [{ name: 'zoom', select: { type: 'interval', encodings: ['x'] }, bind: 'scales' }],
        mark: { type: 'line', strokeWidth: 1, clip: true },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 't (ms)' },
          y: { field: 'v', type: 'quantitative', title: 'V (mV)', scale: { zero: false } },
          color: { field: 'trace', type: 'nominal', title: null, sort: traces.map((t) => t.name) },
          tooltip: [{ field: 'trace' }, { field: 't', title: 't (ms)' }, { field: 'v', title: 'V (mV)', format: '.2f' }],
        },
      },
    ],
  };
}
