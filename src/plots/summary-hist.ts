/**
 * Vega-lite figure comparing the distributions of summary statistics between sample sets (e.g. LF
 * and HF simulations over the prior): one panel per statistic, the sets' histograms (densities)
 * overlaid on shared bins. Integer-valued statistics (spike counts) get one bin per integer; others
 * get equal bins over the pooled 0.5–99.5 % quantile range (values beyond are reported in the
 * panel title, not silently cut).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';
import { histogram, quantile } from './histogram.js';

export interface SampleSet {
  /** Legend label, e.g. 'LF' or 'HF'. */
  label: string;
  /** Row-major n × d statistics (d = names.length). */
  x: ArrayLike<number>;
}

export interface SummaryHistOptions {
  /** Axis titles per statistic (default: the names). */
  labels?: readonly string[];
  bins?: number;
  title?: string;
  width?: number;
  height?: number;
  colors?: readonly string[];
}

function isIntegerValued(sets: readonly SampleSet[], d: number, j: number): boolean {
  for (const s of sets) for (let i = j; i < s.x.length; i += d) if (Number.isFinite(s.x[i]) && !Number.isInteger(s.x[i])) return false;
  return true;
}

/**
 * Bins of statistic j: one per integer over the pooled range for integer-valued statistics, else
 * `bins` equal bins over the pooled 0.5–99.5 % quantile range (widened by ±0.5 when flat).
 */
function panelBins(sets: readonly SampleSet[], d: number, j: number, bins: number): { lo: number; hi: number; nBins: number } {
  if (isIntegerValued(sets, d, j)) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of sets) {
      lo = Math.min(lo, quantile(s.x, 0, d, j));
      hi = Math.max(hi, quantile(s.x, 1, d, j));
    }
    lo -= 0.5;
    hi += 0.5;
    return { lo, hi, nBins: Math.max(1, Math.round(hi - lo)) };
  }
  let lo = Math.min(...sets.map((s) => quantile(s.x, 0.005, d, j)));
  let hi = Math.max(...sets.map((s) => quantile(s.x, 0.995, d, j)));
  if (!(hi > lo)) {
    lo -= 0.5;
    hi += 0.5;
  }
  return { lo, hi, nBins: bins };
}

/** The panel of statistic j (titled `axis`): the sets' histograms (densities) on shared bins, with the count of values beyond the axis. */
function summaryPanel(sets: readonly SampleSet[], d: number, j: number, axis: string, opts: SummaryHistOptions): VegaLiteSpec {
  const { lo, hi, nBins } = panelBins(sets, d, j, opts.bins ?? 30);
  const rows: Record<string, number | string>[] = [];
  let outside = 0;
  for (const s of sets) {
    const h = histogram(s.x, lo, hi, nBins, d, j);
    outside += h.outside;
    for (const b of h.bins) rows.push({ set: s.label, lo: b.lo, hi: b.hi, density: b.density });
  }
  return {
    width: opts.width ?? 220,
    height: opts.height ?? 150,
    title: outside > 0 ? { text: axis, subtitle: `${outside} values beyond the axis`, fontSize: 12 } : { text: axis, fontSize: 12 },
    data: { values: rows },
    mark: { type: 'rect', opacity: 0.55 },
    encoding: {
      x: { field: 'lo', type: 'quantitative', title: axis, scale: { domain: [lo, hi], nice: false } },
      x2: { field: 'hi' },
      y: { field: 'density', type: 'quantitative', title: 'density', stack: null },
      y2: { datum: 0 },
      color: {
        field: 'set',
        type: 'nominal',
        title: null,
        scale: opts.colors ? { domain: sets.map((s) => s.label), range: [...opts.colors] } : { domain: sets.map((s) => s.label) },
      },
    },
  };
}

/** Histograms of each summary statistic, one colour per sample set (e.g. LF against HF simulations). */
export function summaryHistSpec(sets: readonly SampleSet[], names: readonly string[], opts: SummaryHistOptions = {}): VegaLiteSpec {
  const d = names.length;
  const panels = names.map((name, j) => summaryPanel(sets, d, j, opts.labels?.[j] ?? name, opts));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Summary statistics',
    config: { font: FIGURE_FONT, view: { stroke: null } },
    columns: 2,
    concat: panels,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
