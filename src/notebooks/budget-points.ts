/**
 * From the experiment's summary rows (mean and 95 % CI over seeds per method, budget and metric) to
 * the points of a metric-versus-HF-budget figure, at one LF budget: NPE (no LF) and MF-NPE lines, and
 * the budget-free LF-only baseline (the LF-pretrained flow as is) as a horizontal line.
 */
import type { SummaryRow } from '../experiment/report.js';
import type { MetricPoint } from '../plots/metric-vs-budget.js';

const LABELS: Record<string, string> = { npe: 'NPE', 'mf-npe': 'MF-NPE', 'npe-lf': 'LF only' };

/** The points of a metric-vs-budget figure from summary rows: NPE and MF-NPE at one LF budget, and the LF-only value. */
export function metricVsBudgetPoints(summary: readonly SummaryRow[], metric: string, nLf: number): { points: MetricPoint[]; lfOnly: number | undefined } {
  const points: MetricPoint[] = [];
  let lfOnly: number | undefined;
  for (const r of summary) {
    if (r.metric !== metric) continue;
    if (r.method === 'npe-lf') {
      if (r.n_lf === nLf) lfOnly = r.mean;
      continue;
    }
    if (r.method === 'mf-npe' && r.n_lf !== nLf) continue;
    // With a single seed there is no CI over seeds: draw the point without a band.
    const lo = Number.isFinite(r.ci_low) ? r.ci_low : r.mean;
    const hi = Number.isFinite(r.ci_high) ? r.ci_high : r.mean;
    points.push({ method: LABELS[r.method] ?? r.method, budget: r.n_hf, value: r.mean, lo, hi });
  }
  return { points, lfOnly };
}
