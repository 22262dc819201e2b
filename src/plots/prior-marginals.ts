/**
 * Vega-lite figure of the marginals of samples from a box prior: one panel per parameter, the
 * sample histogram (density) over the prior's support with the uniform density 1/(high − low)
 * drawn as a reference line, so a sampler error shows as bars departing from the line.
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';
import { histogram } from './histogram.js';

export interface PriorMarginalsOptions {
  /** Axis titles, one per parameter (default: the names). */
  labels?: readonly string[];
  bins?: number;
  title?: string;
  /** Panel size in px. */
  width?: number;
  height?: number;
}

/** Samples are row-major n × d (d = names.length); low/high are the box bounds. */
export function priorMarginalsSpec(
  samples: ArrayLike<number>,
  names: readonly string[],
  low: ArrayLike<number>,
  high: ArrayLike<number>,
  opts: PriorMarginalsOptions = {},
): VegaLiteSpec {
  const d = names.length;
  if (samples.length % d !== 0) throw new Error(`priorMarginalsSpec: ${samples.length} values is not a multiple of d = ${d}`);
  const n = samples.length / d;
  const panels = names.map((name, j) => {
    const h = histogram(samples, low[j], high[j], opts.bins ?? 20, d, j);
    const density = 1 / (high[j] - low[j]);
    const title = opts.labels?.[j] ?? name;
    return {
      width: opts.width ?? 200,
      height: opts.height ?? 160,
      layer: [
        {
          data: { values: h.bins },
          mark: { type: 'rect', color: '#4c78a8', opacity: 0.8 },
          encoding: {
            x: { field: 'lo', type: 'quantitative', title, scale: { domain: [low[j], high[j]], nice: false } },
            x2: { field: 'hi' },
            y: { field: 'density', type: 'quantitative', title: 'density' },
            y2: { datum: 0 },
          },
        },
        {
          data: { values: [{ density }] },
          mark: { type: 'rule', color: '#e45756', strokeWidth: 2, strokeDash: [5, 3] },
          encoding: { y: { field: 'density', type: 'quantitative' } },
        },
      ],
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? `Prior samples (n = ${n}); dashed: the uniform prior density`,
    config: { font: FIGURE_FONT, view: { stroke: null } },
    hconcat: panels,
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
