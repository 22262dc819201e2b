/**
 * The experiment's figures (SVG and PNG): {nltp,c2st,mmd}-vs-hf, corner, summaries-lf-hf and, for
 * HH, predictive-traces.
 */
import { join } from 'node:path';
import { cornerSpec } from '../plots/corner.js';
import { HH_PARAM_LABELS, SUMMARY_LABELS } from '../plots/labels.js';
import { metricVsBudgetSpec } from '../plots/metric-vs-budget.js';
import { saveFigure } from '../plots/render.js';
import { summaryHistSpec } from '../plots/summary-hist.js';
import { traceOverlaySpec } from '../plots/trace-overlay.js';
import { METRICS, type SummaryRow } from './summary.js';
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

/** Points (mean and 95 % CI, the mean where the CI is not finite) of one metric against the HF budget, one series per method and LF budget. */
function metricPoints(summary: SummaryRow[], metric: MetricName, hfBudgets: number[]) {
  const points = summary
    .filter((s) => s.metric === metric && s.method !== 'npe-lf')
    .map((s) => ({
      method: s.method === 'npe' ? 'NPE' : `MF-NPE (${exp10(s.n_lf)} LF)`,
      budget: s.n_hf,
      value: s.mean,
      lo: finiteOr(s.ci_low, s.mean),
      hi: finiteOr(s.ci_high, s.mean),
    }));
  // The LF-only flow uses no HF simulations: drawn flat across the HF axis for comparison.
  for (const s of summary.filter((r) => r.metric === metric && r.method === 'npe-lf')) {
    for (const b of hfBudgets)
      points.push({ method: `LF only (${exp10(s.n_lf)} LF)`, budget: b, value: s.mean, lo: finiteOr(s.ci_low, s.mean), hi: finiteOr(s.ci_high, s.mean) });
  }
  return points;
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

/** Histograms of the LF and HF training summaries. */
function summariesFigure(res: ExperimentResult): Record<string, unknown> {
  return summaryHistSpec(
    [
      { label: 'LF', x: res.summaries.lf },
      { label: 'HF', x: res.summaries.hf },
    ],
    res.xNames,
    {
      labels: res.task === 'hh' ? SUMMARY_LABELS : res.xNames,
      title: `${res.task.toUpperCase()}: summary statistics of LF and HF training simulations (θ from the prior)`,
    },
  );
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
  await save(cornerFigure(res), 'corner');
  await save(summariesFigure(res), 'summaries-lf-hf');
  if (res.predictive) await save(predictiveFigure(res.predictive), 'predictive-traces');
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
