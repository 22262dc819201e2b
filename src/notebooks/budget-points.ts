/**
 * From the experiment's summary rows (mean and 95 % CI over seeds per method, budget and metric) to
 * the points of a metric-versus-HF-budget figure: one series per method that uses HF simulations
 * (NPE, and MF-NPE with each low-fidelity ladder of the config's `lowFidelities`), and one flat series
 * per pre-trained-only flow (LF only, MF only, LF → MF 1000 only: no HF simulations, the same value at
 * every HF budget).
 */
import { ladderLabel, methodLadder } from '../experiment/low-fidelity.js';
import type { SummaryRow } from '../experiment/report.js';
import type { MetricPoint } from '../plots/metric-vs-budget.js';

/** The points of a metric-vs-budget figure (see {@link metricVsBudgetPoints}). */
export interface BudgetPoints {
  /** NPE and every fine-tuned MF-NPE method: one series each, against the HF budget. */
  points: MetricPoint[];
  /** Pre-trained-only flows: one flat series each, at every HF budget of `points`. */
  flat: MetricPoint[];
  /** The LF-only value ('npe-lf' at the chosen LF budget), undefined when the summary has none. */
  lfOnly: number | undefined;
}

/** Pre-trained flows alone (no HF): 'npe-lf', 'npe-mf', 'npe-lf>mf1000'. */
function isPretrainedOnly(method: string): boolean {
  return method.startsWith('npe-');
}

/**
 * The points of a metric-vs-budget figure from summary rows: NPE, every MF-NPE method (series
 * 'MF-NPE' when LF pre-training is the only one, else 'MF-NPE (LF)', 'MF-NPE (MF)', 'MF-NPE (LF → MF
 * 1000)') and every pre-trained-only flow ('LF only', 'MF only', …) as a flat series. With `nLf`, a
 * method run at several first-level budgets keeps the rows at `nLf` (ladders with a count of their
 * own, such as 'mf:1000', keep theirs); a method left with several budgets gets one series per budget.
 */
export function metricVsBudgetPoints(summary: readonly SummaryRow[], metric: string, nLf?: number): BudgetPoints {
  const rows = summary.filter((r) => r.metric === metric);
  const methods = [...new Set(rows.map((r) => r.method))];
  const fineTuned = methods.filter((m) => m !== 'npe' && !isPretrainedOnly(m));
  const plainMfNpe = fineTuned.length === 1 && fineTuned[0] === 'mf-npe';
  const points: MetricPoint[] = [];
  const flatRows: { label: string; row: SummaryRow }[] = [];
  let lfOnly: number | undefined;
  for (const method of methods) {
    let own = rows.filter((r) => r.method === method);
    if (nLf !== undefined && method !== 'npe' && own.some((r) => r.n_lf === nLf)) own = own.filter((r) => r.n_lf === nLf);
    const several = new Set(own.map((r) => r.n_lf)).size > 1;
    const ladder = ladderLabel(methodLadder(method) ?? method);
    for (const r of own) {
      const suffix = several ? `, ${r.n_lf}` : '';
      if (isPretrainedOnly(method)) {
        if (method === 'npe-lf' && (nLf === undefined || r.n_lf === nLf) && lfOnly === undefined) lfOnly = r.mean;
        flatRows.push({ label: several ? `${ladder} only (${r.n_lf})` : `${ladder} only`, row: r });
        continue;
      }
      const label = method === 'npe' ? 'NPE' : plainMfNpe && !several ? 'MF-NPE' : `MF-NPE (${ladder}${suffix})`;
      points.push({ method: label, budget: r.n_hf, ...band(r) });
    }
  }
  // Pre-trained flows use no HF simulations: drawn flat across the HF budgets of the other series.
  const budgets = [...new Set(points.map((p) => p.budget))].sort((a, b) => a - b);
  const flat = flatRows.flatMap(({ label, row }) => budgets.map((budget) => ({ method: label, budget, ...band(row) })));
  return { points, flat, lfOnly };
}

/** Mean and 95 % CI of a row; with a single seed there is no CI over seeds: the point without a band. */
function band(r: SummaryRow): { value: number; lo: number; hi: number } {
  return { value: r.mean, lo: Number.isFinite(r.ci_low) ? r.ci_low : r.mean, hi: Number.isFinite(r.ci_high) ? r.ci_high : r.mean };
}
