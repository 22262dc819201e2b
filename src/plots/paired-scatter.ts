/**
 * Vega-lite figure of paired statistics: for each summary statistic, the LF value against the HF
 * value of simulations at the same θ, with the identity line. Points off the diagonal are the
 * LF/HF mismatch that multifidelity inference has to correct (docs/methods.md, "MF-NPE": MF-NPE pre-trains on LF,
 * fine-tunes on HF).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';
import { finiteRange } from './histogram.js';

export interface PairedScatterOptions {
  labels?: readonly string[];
  xLabel?: string;
  yLabel?: string;
  title?: string;
  /** At most this many points per panel (default 1000). */
  maxPoints?: number;
  width?: number;
  height?: number;
}

/** `a` and `b`: row-major n × d statistics of the same n θ (row i of a pairs with row i of b). */
export function pairedScatterSpec(a: ArrayLike<number>, b: ArrayLike<number>, names: readonly string[], opts: PairedScatterOptions = {}): VegaLiteSpec {
  const d = names.length;
  if (a.length !== b.length) throw new Error(`pairedScatterSpec: ${a.length} vs ${b.length} values`);
  const n = a.length / d;
  const step = Math.max(1, Math.ceil(n / (opts.maxPoints ?? 1000)));
  const panels = names.map((name, j) => {
    const values: { a: number; b: number }[] = [];
    for (let i = 0; i < n; i += step) values.push({ a: a[i * d + j], b: b[i * d + j] });
    const [lo1, hi1] = finiteRange(a, d, j);
    const [lo2, hi2] = finiteRange(b, d, j);
    const lo = Math.min(lo1, lo2);
    const hi = Math.max(hi1, hi2);
    const label = opts.labels?.[j] ?? name;
    return {
      width: opts.width ?? 200,
      height: opts.height ?? 200,
      title: { text: label, fontSize: 12 },
      layer: [
        {
          data: {
            values: [
              { a: lo, b: lo },
              { a: hi, b: hi },
            ],
          },
          mark: { type: 'line', color: 'gray', strokeDash: [4, 3] },
          encoding: { x: { field: 'a', type: 'quantitative' }, y: { field: 'b', type: 'quantitative' } },
        },
        {
          data: { values },
          mark: { type: 'circle', size: 12, opacity: 0.4, color: '#4c78a8' },
          encoding: {
            x: { field: 'a', type: 'quantitative', title: opts.xLabel ?? 'LF', scale: { zero: false } },
            y: { field: 'b', type: 'quantitative', title: opts.yLabel ?? 'HF', scale: { zero: false } },
          },
        },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Paired statistics at the same θ (dashed: identity)',
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    hconcat: panels,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
