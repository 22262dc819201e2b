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

export async function writeFigures(res: ExperimentResult, summary: SummaryRow[], dir: string): Promise<void> {
  const isHH = res.task === 'hh';
  const labels = isHH ? HH_PARAM_LABELS : res.thetaNames;
  const save = (spec: Record<string, unknown>, name: string) => saveFigure(spec, { svg: join(dir, `${name}.svg`), png: join(dir, `${name}.png`) });
  const hfBudgets = res.config.hfBudgets;
  const titles: Record<MetricName, string> = {
    nltp: 'NLTP −log q(θ*|x*) (lower is better)',
    c2st: 'C2ST accuracy vs reference (0.5 is ideal)',
    mmd: 'MMD² vs reference (0 is ideal)',
  };
  for (const metric of METRICS) {
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
    await save(
      metricVsBudgetSpec(points, {
        title: `${res.task.toUpperCase()}: ${titles[metric]}, mean and 95 % CI over ${res.config.seeds.length} seeds`,
        yTitle: metric.toUpperCase(),
        reference: metric === 'c2st' ? 0.5 : undefined,
        width: 420,
      }),
      `${metric}-vs-hf`,
    );
  }
  const c = res.corner;
  await save(
    cornerSpec(
      c.sets.map((s) => ({
        label: s.label === 'reference' ? (res.reference.kind === 'exact' ? 'exact posterior' : `reference NPE (${res.reference.sims} HF)`) : s.label,
        samples: s.samples,
      })),
      res.thetaNames,
      {
        labels,
        truth: c.theta,
        low: res.bounds?.low,
        high: res.bounds?.high,
        title: `${res.task.toUpperCase()}: posteriors at test observation ${c.obs} (seed ${res.config.seeds[0]}); lines: true θ`,
      },
    ),
    'corner',
  );
  const xLabels = isHH ? SUMMARY_LABELS : res.xNames;
  await save(
    summaryHistSpec(
      [
        { label: 'LF', x: res.summaries.lf },
        { label: 'HF', x: res.summaries.hf },
      ],
      res.xNames,
      { labels: xLabels, title: `${res.task.toUpperCase()}: summary statistics of LF and HF training simulations (θ from the prior)` },
    ),
    'summaries-lf-hf',
  );
  if (res.predictive) {
    const panels = [...new Set(res.predictive.draws.map((d) => d.label))];
    const traces = panels.flatMap((p) => [
      { v: res.predictive!.observed, panel: p, series: 'observed' },
      ...res.predictive!.draws.filter((d) => d.label === p).map((d) => ({ v: d.v, panel: p, series: 'posterior draws (HF)' })),
    ]);
    await save(
      traceOverlaySpec(traces, {
        title: 'Posterior predictive: HF traces at posterior samples vs the observed trace (test observation 0)',
        columns: panels.length,
        colors: ['black', '#e45756'],
        seriesOrder: ['observed', 'posterior draws (HF)'],
      }),
      'predictive-traces',
    );
  }
}

function finiteOr(v: number, fallback: number): number {
  return Number.isFinite(v) ? v : fallback;
}
