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
  /** Where the point comes from (e.g. 'mfnpe', 'published'): drawn as the line's dash pattern, explained in `subtitle`. */
  source?: string;
}

export interface MetricVsBudgetOptions {
  title?: string;
  /** A line under the title (e.g. what the dash patterns of `source` mean). */
  subtitle?: string;
  /** y-axis title, e.g. 'C2ST accuracy (0.5 is ideal)'. */
  yTitle?: string;
  /** x-axis title (default 'HF simulations (training budget)'; e.g. a cost axis). */
  xTitle?: string;
  /** A horizontal reference (0.5 for C2ST). */
  reference?: number;
  /** Labelled horizontal lines, e.g. a budget-free baseline (LF only) or the reference posterior's NLTP. */
  hlines?: readonly { label: string; value: number }[];
  width?: number;
  height?: number;
}

/** A metric against the HF simulation budget (log axis): one line with a CI band per method, optional reference lines. */
export function metricVsBudgetSpec(points: readonly MetricPoint[], opts: MetricVsBudgetOptions = {}): VegaLiteSpec {
  const budgets = points.map((p) => p.budget).filter((b) => b > 0);
  // A little room either side of the budgets on the log axis.
  const budgetDomain = budgets.length > 0 ? [Math.min(...budgets) / 1.25, Math.max(...budgets) * 1.25] : undefined;
  const layers: VegaLiteSpec[] = [
    {
      mark: { type: 'area', opacity: 0.2 },
      // Points without an interval (lo = hi) draw no band.
      transform: [{ filter: 'datum.hi > datum.lo' }],
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
        x: {
          field: 'budget',
          type: 'quantitative',
          title: opts.xTitle ?? 'HF simulations (training budget)',
          scale: { type: 'log', nice: false, domain: budgetDomain },
        },
        y: { field: 'value', type: 'quantitative', title: opts.yTitle ?? 'metric', scale: { zero: false } },
        color: { field: 'method', type: 'nominal', title: 'method', legend: { labelLimit: 300 } },
        ...(points.some((p) => p.source !== undefined) ? { strokeDash: { field: 'source', type: 'nominal', title: 'source', legend: null } } : {}),
      },
    },
  ];
  if (opts.reference !== undefined) {
    layers.push({
      data: { values: [{ r: opts.reference }] },
      mark: { type: 'rule', color: 'gray', strokeDash: [4, 3] },
      encoding: { y: { field: 'r', type: 'quantitative' } },
    });
  }
  const hl = (opts.hlines ?? []).filter((h) => Number.isFinite(h.value));
  if (hl.length > 0) {
    layers.push({
      data: { values: hl.map((h) => ({ ...h })) },
      mark: { type: 'rule', strokeDash: [2, 2], color: '#666' },
      encoding: { y: { field: 'value', type: 'quantitative' } },
    });
    layers.push({
      data: { values: hl.map((h) => ({ ...h })) },
      mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -2, color: '#444', fontSize: 10, x: 'width' },
      encoding: { y: { field: 'value', type: 'quantitative' }, text: { field: 'label' } },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: opts.title ?? `${opts.yTitle ?? 'metric'} vs HF budget`, ...(opts.subtitle ? { subtitle: opts.subtitle } : {}) },
    width: opts.width ?? 360,
    height: opts.height ?? 240,
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    data: { values: points.map((p) => ({ ...p })) },
    layer: layers,
  };
}
