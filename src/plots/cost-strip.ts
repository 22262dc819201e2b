/**
 * Vega-lite figure of simulation costs: each timed simulation as a tick on a log ms-per-trace
 * axis, one row per simulator, with the median marked, so costs that differ by orders of magnitude
 * (LF vs HF) share one readable axis.
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';
import { quantile } from './histogram.js';

export interface CostSet {
  label: string;
  /** Milliseconds per simulation. */
  ms: ArrayLike<number>;
}

/** A strip plot of per-simulation costs (ms) per simulator, with medians, on a log axis. */
export function costStripSpec(sets: readonly CostSet[], opts: { title?: string; width?: number; colors?: readonly string[] } = {}): VegaLiteSpec {
  const values = sets.flatMap((s) => Array.from(s.ms, (ms) => ({ sim: s.label, ms })));
  const medians = sets.map((s) => ({ sim: s.label, ms: quantile(s.ms, 0.5), text: `median ${quantile(s.ms, 0.5).toPrecision(3)} ms` }));
  const y = { field: 'sim', type: 'nominal', title: null, sort: sets.map((s) => s.label) };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Cost per simulation',
    width: opts.width ?? 520,
    height: { step: 48 },
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    layer: [
      {
        data: { values },
        mark: { type: 'tick', opacity: 0.5, thickness: 1.5 },
        encoding: {
          x: { field: 'ms', type: 'quantitative', title: 'ms per trace (log scale)', scale: { type: 'log' } },
          y,
          color: {
            field: 'sim',
            type: 'nominal',
            legend: null,
            scale: { domain: sets.map((s) => s.label), range: [...(opts.colors ?? ['#4c78a8', '#e45756', '#54a24b', '#b279a2'])] },
          },
        },
      },
      {
        data: { values: medians },
        mark: { type: 'tick', color: 'black', thickness: 3 },
        encoding: { x: { field: 'ms', type: 'quantitative' }, y },
      },
      {
        data: { values: medians },
        mark: { type: 'text', dy: -20, fontSize: 11 },
        encoding: { x: { field: 'ms', type: 'quantitative' }, y, text: { field: 'text' } },
      },
    ],
  };
}
