/**
 * The experiment's figures (SVG and PNG): {nltp,c2st,mmd}-vs-hf, nltp-vs-cost (NLTP against the
 * simulation CPU-seconds of all fidelities), corner, summaries-lf-hf and, for HH, predictive-traces.
 */
import { join } from 'node:path';
import { cornerSpec } from '../plots/corner.js';
import { HH_PARAM_LABELS, SUMMARY_LABELS } from '../plots/labels.js';
import { metricVsBudgetSpec } from '../plots/metric-vs-budget.js';
import { saveFigure } from '../plots/render.js';
import { summaryHistSpec } from '../plots/summary-hist.js';
import { traceOverlaySpec } from '../plots/trace-overlay.js';
import { ladderLabel, methodLadder } from './low-fidelity.js';
import { isSequential, SEQUENTIAL_LABELS } from './sequential-unit.js';
import { aggregateCosts, groupKey, METRICS, type SummaryRow } from './summary.js';
import type { ExperimentResult, MetricName } from './types.js';

function exp10(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `10^${e}` : String(n);
}

/** Titles of the metric-vs-budget figures. */
const METRIC_TITLES: Record<MetricName, string> = {
  nltp: 'NLTP −log q(θ*|x*) (lower is better)',
  c2st: 'C2ST accuracy vs reference (0.5 is ideal)',
  mmd: 'MMD² vs reference (0 is ideal)',
};

/** Pre-trained flows alone (no HF): 'npe-lf', 'npe-mf', 'npe-lf>mf1000'. */
function isPretrainedOnly(method: string): boolean {
  return method.startsWith('npe-');
}

/**
 * A figure's series name: 'NPE', 'MF-NPE (10^3 LF)', 'MF-NPE (MF 10^3)', 'LF only (10^3 LF)', 'MF only (10^3)',
 * and for the sequential methods 'TSNPE', 'MF-TSNPE (10^4)', 'A-MF-TSNPE (10^4)' (their own lines).
 */
function seriesName(s: { method: string; n_lf: number }): string {
  if (s.method === 'npe') return 'NPE';
  if (s.method === 'mf-npe') return `MF-NPE (${exp10(s.n_lf)} LF)`;
  if (s.method === 'npe-lf') return `LF only (${exp10(s.n_lf)} LF)`;
  if (isSequential(s.method)) return s.n_lf > 0 ? `${SEQUENTIAL_LABELS[s.method]} (${exp10(s.n_lf)})` : SEQUENTIAL_LABELS[s.method];
  const ladder = ladderLabel(methodLadder(s.method)!);
  return isPretrainedOnly(s.method) ? `${ladder} only (${exp10(s.n_lf)})` : `MF-NPE (${ladder}, ${exp10(s.n_lf)})`;
}

/** Mean and 95 % CI of a summary row (the mean where the CI is not finite). */
function band(s: SummaryRow) {
  return { value: s.mean, lo: finiteOr(s.ci_low, s.mean), hi: finiteOr(s.ci_high, s.mean) };
}

/** Points of one metric against the HF budget, one series per method and LF budget. */
function metricPoints(summary: SummaryRow[], metric: MetricName, hfBudgets: number[]) {
  const rows = summary.filter((s) => s.metric === metric);
  const points = rows.filter((s) => !isPretrainedOnly(s.method)).map((s) => ({ method: seriesName(s), budget: s.n_hf, ...band(s) }));
  // Pre-trained flows use no HF simulations: drawn flat across the HF axis for comparison.
  for (const s of rows.filter((r) => isPretrainedOnly(r.method))) for (const b of hfBudgets) points.push({ method: seriesName(s), budget: b, ...band(s) });
  return points;
}

/**
 * The NLTP-vs-cost figure: NLTP (mean and 95 % CI over seeds) against the simulation CPU-seconds of
 * all fidelities (LF + MF + HF training simulations, mean over seeds), one series per method and
 * low-fidelity budget: what a budget of compute, rather than of HF simulations, buys. `summary` is
 * `summarize(result.metrics)`. The experiment writes it as `nltp-vs-cost`; notebook 04 shows it.
 */
export function nltpVsCostSpec(res: ExperimentResult, summary: readonly SummaryRow[]): Record<string, unknown> {
  const cost = new Map(aggregateCosts(res.costs).map((c) => [groupKey(c as { method: string; n_lf: number; n_hf: number }), c.sim_cpu_s as number]));
  const points = summary
    .filter((s) => s.metric === 'nltp' && (cost.get(groupKey(s)) ?? 0) > 0)
    .map((s) => ({ method: seriesName(s), budget: cost.get(groupKey(s))!, ...band(s) }));
  return metricVsBudgetSpec(points, {
    title: `${res.task.toUpperCase()}: NLTP against total simulation cost (all fidelities), mean and 95 % CI over ${res.config.seeds.length} seeds`,
    yTitle: 'NLTP',
    xTitle: 'simulation CPU-seconds (LF + MF + HF training simulations)',
    width: 420,
  });
}

/** The figure of one metric against the HF budget. */
function metricFigure(res: ExperimentResult, summary: SummaryRow[], metric: MetricName): Record<string, unknown> {
  return metricVsBudgetSpec(metricPoints(summary, metric, res.config.hfBudgets), {
    title: `${res.task.toUpperCase()}: ${METRIC_TITLES[metric]}, mean and 95 % CI over ${res.config.seeds.length} seeds`,
    yTitle: metric.toUpperCase(),
    reference: metric === 'c2st' ? 0.5 : undefined,
    width: 420,
  });
}

/** The corner plot of the posteriors at the corner observation, the reference named by its kind. */
function cornerFigure(res: ExperimentResult): Record<string, unknown> {
  const c = res.corner;
  const reference = res.reference.kind === 'exact' ? 'exact posterior' : `reference NPE (${res.reference.sims} HF)`;
  return cornerSpec(
    c.sets.map((s) => ({ label: s.label === 'reference' ? reference : s.label, samples: s.samples })),
    res.thetaNames,
    {
      labels: res.task === 'hh' ? HH_PARAM_LABELS : res.thetaNames,
      truth: c.theta,
      low: res.bounds?.low,
      high: res.bounds?.high,
      title: `${res.task.toUpperCase()}: posteriors at test observation ${c.obs} (seed ${res.config.seeds[0]}); lines: true θ`,
    },
  );
}

/** Histograms of the training summaries per fidelity (LF, MF when simulated, HF). */
function summariesFigure(res: ExperimentResult): Record<string, unknown> {
  const sets = (['lf', 'mf', 'hf'] as const).flatMap((f) => (res.summaries[f] ? [{ label: f.toUpperCase(), x: res.summaries[f]! }] : []));
  return summaryHistSpec(sets, res.xNames, {
    labels: res.task === 'hh' ? SUMMARY_LABELS : res.xNames,
    title: `${res.task.toUpperCase()}: summary statistics of ${sets.map((s) => s.label).join(', ')} training simulations (θ from the prior)`,
  });
}

/** The observed trace against the HF traces at posterior draws, one panel per method. */
function predictiveFigure(predictive: NonNullable<ExperimentResult['predictive']>): Record<string, unknown> {
  const panels = [...new Set(predictive.draws.map((d) => d.label))];
  const traces = panels.flatMap((p) => [
    { v: predictive.observed, panel: p, series: 'observed' },
    ...predictive.draws.filter((d) => d.label === p).map((d) => ({ v: d.v, panel: p, series: 'posterior draws (HF)' })),
  ]);
  return traceOverlaySpec(traces, {
    title: 'Posterior predictive: HF traces at posterior samples vs the observed trace (test observation 0)',
    columns: panels.length,
    colors: ['black', '#e45756'],
    seriesOrder: ['observed', 'posterior draws (HF)'],
  });
}

/** Writes the experiment's figures (NAME.svg and NAME.png) into `dir`. */
export async function writeFigures(res: ExperimentResult, summary: SummaryRow[], dir: string): Promise<void> {
  const save = (spec: Record<string, unknown>, name: string) => saveFigure(spec, { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) });
  for (const metric of METRICS) await save(metricFigure(res, summary, metric), `${metric}-vs-hf`);
  await save(nltpVsCostSpec(res, summary), 'nltp-vs-cost');
  await save(cornerFigure(res), 'corner');
  await save(summariesFigure(res), 'summaries-lf-hf');
  if (res.predictive) await save(predictiveFigure(res.predictive), 'predictive-traces');
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
