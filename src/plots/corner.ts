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

/** Axis ranges per parameter: the given `low`/`high`, else the pooled range of the finite samples (widened by ±0.5 when empty or flat). */
function cornerRanges(sets: readonly CornerSet[], d: number, opts: CornerOptions): { low: number[]; high: number[] } {
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
  return { low, high };
}

/** What every cell of the grid shares: sets, names, ranges, cell size (px), colour encoding, options. */
interface CornerGrid {
  sets: readonly CornerSet[];
  names: readonly string[];
  d: number;
  low: number[];
  high: number[];
  cell: number;
  color: Record<string, unknown>;
  opts: CornerOptions;
}

/** Axis title of parameter j: its label, else its name. */
function axisTitle(g: CornerGrid, j: number): string {
  return g.opts.labels?.[j] ?? g.names[j];
}

/** The x encoding of a cell in column c: title only on the bottom row r = d − 1. */
function cellX(g: CornerGrid, r: number, c: number, field: string): Record<string, unknown> {
  const axis = { title: r === g.d - 1 ? axisTitle(g, c) : null };
  return { field, type: 'quantitative', scale: { domain: [g.low[c], g.high[c]], nice: false }, axis };
}

/** Diagonal cell (c, c) of row r: each set's histogram of parameter c (densities), and the true value as a dashed rule. */
function diagonalCell(g: CornerGrid, r: number, c: number): VegaLiteSpec {
  const values: Record<string, number | string>[] = [];
  for (const s of g.sets)
    for (const b of histogram(s.samples, g.low[c], g.high[c], g.opts.bins ?? 25, g.d, c).bins)
      values.push({ set: s.label, lo: b.lo, hi: b.hi, density: b.density });
  const layers: VegaLiteSpec[] = [
    {
      data: { values },
      mark: { type: 'rect', opacity: 0.5 },
      encoding: {
        x: cellX(g, r, c, 'lo'),
        x2: { field: 'hi' },
        y: { field: 'density', type: 'quantitative', stack: null, axis: null },
        y2: { datum: 0 },
        color: g.color,
      },
    },
  ];
  if (g.opts.truth)
    layers.push({
      data: { values: [{ v: g.opts.truth[c] }] },
      mark: { type: 'rule', color: 'black', strokeDash: [4, 2] },
      encoding: { x: { field: 'v', type: 'quantitative' } },
    });
  return { width: g.cell, height: g.cell, layer: layers };
}

/** Cell (r, c) below the diagonal: scatter of parameter c against r (at most maxPoints per set, evenly strided), and the true pair as a cross. */
function scatterCell(g: CornerGrid, r: number, c: number): VegaLiteSpec {
  const maxPoints = g.opts.maxPoints ?? 500;
  const values: Record<string, number | string>[] = [];
  for (const s of g.sets) {
    const n = s.samples.length / g.d;
    const step = Math.max(1, Math.ceil(n / maxPoints));
    for (let i = 0; i < n; i += step) values.push({ set: s.label, x: s.samples[i * g.d + c], y: s.samples[i * g.d + r] });
  }
  const y = { field: 'y', type: 'quantitative', scale: { domain: [g.low[r], g.high[r]], nice: false }, axis: { title: c === 0 ? axisTitle(g, r) : null } };
  const layers: VegaLiteSpec[] = [
    {
      data: { values },
      mark: { type: 'circle', size: 6, opacity: 0.35, clip: true },
      encoding: { x: cellX(g, r, c, 'x'), y, color: g.color },
    },
  ];
  if (g.opts.truth)
    layers.push({
      data: { values: [{ x: g.opts.truth[c], y: g.opts.truth[r] }] },
      mark: { type: 'point', shape: 'cross', size: 120, color: 'black', filled: true },
      encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
    });
  return { width: g.cell, height: g.cell, layer: layers };
}

/** A corner plot (vega-lite): 1-D histograms on the diagonal and 2-D scatter below it, one colour per sample set, optional true θ lines. */
export function cornerSpec(sets: readonly CornerSet[], names: readonly string[], opts: CornerOptions = {}): VegaLiteSpec {
  const d = names.length;
  const { low, high } = cornerRanges(sets, d, opts);
  const labels = sets.map((s) => s.label);
  const color = {
    field: 'set',
    type: 'nominal',
    title: null,
    legend: { labelLimit: 320 },
    scale: opts.colors ? { domain: labels, range: [...opts.colors] } : { domain: labels },
  };
  const g: CornerGrid = { sets, names, d, low, high, cell: opts.cell ?? 150, color, opts };
  const rows: VegaLiteSpec[] = [];
  for (let r = 0; r < d; r++) {
    const row: VegaLiteSpec[] = [];
    for (let c = 0; c <= r; c++) row.push(r === c ? diagonalCell(g, r, c) : scatterCell(g, r, c));
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
