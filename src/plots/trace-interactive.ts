/**
 * Vega-lite specification for interactive viewing (mfnpe view): named (x, y) series at full
 * resolution, as lines (voltage traces) or points (columns of a data file), with an interval
 * selection bound to the scales, so the mouse wheel zooms, dragging pans and a double-click resets,
 * and tooltips with the values. Optionally a shaded x-band (the stimulus window).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface XYSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface InteractiveOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  /** Lines (default) or points. */
  lines?: boolean;
  /** Shaded interval on the x axis. */
  band?: readonly [number, number];
  width?: number;
  height?: number;
}

export function interactiveXYSpec(series: readonly XYSeries[], opts: InteractiveOptions = {}): VegaLiteSpec {
  const lines = opts.lines ?? true;
  const values: { x: number; y: number; series: string }[] = [];
  for (const s of series) {
    if (s.x.length !== s.y.length) throw new Error(`series ${s.name}: ${s.x.length} x values, ${s.y.length} y values`);
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.x[i]) && Number.isFinite(s.y[i])) values.push({ x: s.x[i], y: s.y[i], series: s.name });
  }
  const layers: VegaLiteSpec[] = [];
  if (opts.band) {
    layers.push({
      data: { values: [{ start: opts.band[0], end: opts.band[1] }] },
      mark: { type: 'rect', color: '#f2b134', opacity: 0.15 },
      encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' } },
    });
  }
  layers.push({
    data: { values },
    // Lines: zoom the time axis only (V keeps its range); scatter: zoom both axes.
    params: [{ name: 'zoom', select: { type: 'interval', encodings: lines ? ['x'] : ['x', 'y'] }, bind: 'scales' }],
    mark: lines ? { type: 'line', strokeWidth: 1, clip: true } : { type: 'circle', size: 16, opacity: 0.5, clip: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: opts.xTitle ?? 'x', scale: { zero: false } },
      y: { field: 'y', type: 'quantitative', title: opts.yTitle ?? 'y', scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name) },
      tooltip: [{ field: 'series' }, { field: 'x', title: opts.xTitle ?? 'x' }, { field: 'y', title: opts.yTitle ?? 'y', format: '.3~f' }],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? '',
    width: opts.width ?? 900,
    height: opts.height ?? 420,
    config: { font: FIGURE_FONT, axis: { grid: true, gridOpacity: 0.4 } },
    layer: layers,
  };
}
