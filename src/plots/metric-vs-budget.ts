/**
 * Vega-lite figure of an evaluation metric (NLTP, C2ST accuracy, MMD…) against the number of
 * high-fidelity simulations, one line per method with its confidence interval as a band, on a log
 * budget axis: the MF-NPE headline figure (is MF-NPE at budget n as good as NPE at budget k·n?).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface MetricPoint {
  method: string;
  /** Number of HF simulations used for training. */
  budget: number;
  /** Point estimate (e.g. the mean over observations) and its interval. */
  value: number;
  lo: number;
  hi: number;
}

export interface MetricVsBudgetOptions {
  title?: string;
  /** y-axis title, e.g. 'C2ST accuracy (0.5 is ideal)'. */
  yTitle?: string;
  /** A horizontal reference (0.5 for C2ST). */
  reference?: number;
  width?: number;
  height?: number;
}

export function metricVsBudgetSpec(points: readonly MetricPoint[], opts: MetricVsBudgetOptions = {}): VegaLiteSpec {
  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'area', opacity: 0.2 },
      encoding: {
        x: { field: 'budget', type: 'quantitative' },
        y: { field: 'lo', type: 'quantitative' },
        y2: { field: 'hi' },
        color: { field: 'method', type: 'nominal' },
      },
    },
    {
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'budget', type: 'quantitative', title: 'HF simulations (training budget)', scale: { type: 'log' } },
        y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'metric', scale: { zero: false } },
        color: { field: 'method', type: 'nominal', title: 'method' },
      },
    },
  ];
  if (opts.reference !== undefined) {
    layers.push({ data: { values: [{ r: opts.reference }] }, mark: { type: 'rule', color: 'gray', strokeDash: [4, 3] }, encoding: { y: { field: 'r', type: 'quantitative' } } });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? (opts.yTitle ?? 'metric') + ' vs HF budget',
    width: opts.width ?? 360,
    height: opts.height ?? 240,
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    data: { values: points.map((p) => ({ ...p })) },
    layer: layers,
  };
}
