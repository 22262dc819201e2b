/**
 * Vega-lite corner plot: for d parameters, a d × d lower-triangular grid with the 1-D marginal
 * histograms of each sample set on the diagonal and pairwise scatter plots below it, optionally
 * with the true parameter marked. Typical sets: the estimated posterior and the reference posterior
 * for the same observation.
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';
import { histogram } from './histogram.js';

export interface CornerSet {
  label: string;
  /** Row-major n × d samples. */
  samples: ArrayLike<number>;
}

export interface CornerOptions {
  /** Axis titles (default: names). */
  labels?: readonly string[];
  /** Axis ranges per parameter (default: the pooled sample range). */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
  /** The true θ, drawn as lines/points. */
  truth?: ArrayLike<number>;
  /** At most this many points per set in each scatter (default 500). */
  maxPoints?: number;
  bins?: number;
  cell?: number;
  title?: string;
  colors?: readonly string[];
}

/** A corner plot (vega-lite): 1-D histograms on the diagonal and 2-D scatter below it, one colour per sample set, optional true θ lines. */
export function cornerSpec(sets: readonly CornerSet[], names: readonly string[], opts: CornerOptions = {}): VegaLiteSpec {
  const d = names.length;
  const low: number[] = [];
  const high: number[] = [];
  for (let j = 0; j < d; j++) {
    let lo = opts.low?.[j] ?? Infinity;
    let hi = opts.high?.[j] ?? -Infinity;
    if (opts.low === undefined || opts.high === undefined) {
      for (const s of sets) {
        for (let i = j; i < s.samples.length; i += d) {
          const v = s.samples[i];
          if (!Number.isFinite(v)) continue;
          if (opts.low === undefined) lo = Math.min(lo, v);
          if (opts.high === undefined) hi = Math.max(hi, v);
        }
      }
    }
    if (!(hi > lo)) {
      lo -= 0.5;
      hi += 0.5;
    }
    low.push(lo);
    high.push(hi);
  }
  const cell = opts.cell ?? 150;
  const labels = sets.map((s) => s.label);
  const color = {
    field: 'set',
    type: 'nominal',
    title: null,
    legend: { labelLimit: 320 },
    scale: opts.colors ? { domain: labels, range: [...opts.colors] } : { domain: labels },
  };
  const maxPoints = opts.maxPoints ?? 500;
  const rows: VegaLiteSpec[] = [];
  for (let r = 0; r < d; r++) {
    const row: VegaLiteSpec[] = [];
    for (let c = 0; c <= r; c++) {
      const xAxis = { title: r === d - 1 ? (opts.labels?.[c] ?? names[c]) : null };
      const xScale = { domain: [low[c], high[c]], nice: false };
      if (r === c) {
        const values: Record<string, number | string>[] = [];
        for (const s of sets)
          for (const b of histogram(s.samples, low[c], high[c], opts.bins ?? 25, d, c).bins)
            values.push({ set: s.label, lo: b.lo, hi: b.hi, density: b.density });
        const layers: VegaLiteSpec[] = [
          {
            data: { values },
            mark: { type: 'rect', opacity: 0.5 },
            encoding: {
              x: { field: 'lo', type: 'quantitative', scale: xScale, axis: xAxis },
              x2: { field: 'hi' },
              y: { field: 'density', type: 'quantitative', stack: null, axis: null },
              y2: { datum: 0 },
              color,
            },
          },
        ];
        if (opts.truth)
          layers.push({
            data: { values: [{ v: opts.truth[c] }] },
            mark: { type: 'rule', color: 'black', strokeDash: [4, 2] },
            encoding: { x: { field: 'v', type: 'quantitative' } },
          });
        row.push({ width: cell, height: cell, layer: layers });
      } else {
        const values: Record<string, number | string>[] = [];
        for (const s of sets) {
          const n = s.samples.length / d;
          const step = Math.max(1, Math.ceil(n / maxPoints));
          for (let i = 0; i < n; i += step) values.push({ set: s.label, x: s.samples[i * d + c], y: s.samples[i * d + r] });
        }
        const layers: VegaLiteSpec[] = [
          {
            data: { values },
            mark: { type: 'circle', size: 6, opacity: 0.35, clip: true },
            encoding: {
              x: { field: 'x', type: 'quantitative', scale: xScale, axis: xAxis },
              y: {
                field: 'y',
                type: 'quantitative',
                scale: { domain: [low[r], high[r]], nice: false },
                axis: { title: c === 0 ? (opts.labels?.[r] ?? names[r]) : null },
              },
              color,
            },
          },
        ];
        if (opts.truth)
          layers.push({
            data: { values: [{ x: opts.truth[c], y: opts.truth[r] }] },
            mark: { type: 'point', shape: 'cross', size: 120, color: 'black', filled: true },
            encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
          });
        row.push({ width: cell, height: cell, layer: layers });
      }
    }
    rows.push({ hconcat: row, resolve: { scale: { x: 'independent', y: 'independent' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Posterior samples',
    config: { font: FIGURE_FONT, view: { stroke: null }, concat: { spacing: 8 } },
    vconcat: rows,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
