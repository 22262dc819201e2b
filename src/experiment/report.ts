/**
 * Files of an experiment run (one task) in a folder:
 *   metrics.csv        method,n_lf,n_hf,seed,metric,value (one value per trained posterior and metric)
 *   units.csv          the same per test pair (nltp) or per observation (c2st, mmd): column `unit`
 *   summary.csv        mean, sd and 95 % Student-t CI over seeds per method, budget and metric (danfojs)
 *   paired.csv         MF-NPE − NPE on the same HF pairs: over seeds, and over test pairs/observations
 *                      (each unit's difference averaged over seeds)
 *   costs.csv          mean seconds per method and budget: LF simulation, HF simulation, training
 *   costs-by-seed.csv  the same per seed (with epochs)
 *   run.json           config, reference posterior (kind, own NLTP), wall-clock, machine
 *   figures: {nltp,c2st,mmd}-vs-hf, corner, summaries-lf-hf, predictive-traces (HH), as SVG and PNG.
 */
import { loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { meanConfidenceInterval } from '../metrics/stats.js';
import type { CostRow, ExperimentResult, MetricName, MetricRow, UnitRow } from './types.js';

export interface SummaryRow {
  method: string;
  n_lf: number;
  n_hf: number;
  metric: MetricName;
  n: number;
  mean: number;
  sd: number;
  ci_low: number;
  ci_high: number;
}

export interface PairedRow {
  comparison: string;
  metric: MetricName;
  n_lf: number;
  n_hf: number;
  /** 'seed': one difference per replicate; 'unit': per test pair (nltp) / observation (c2st, mmd), averaged over seeds. */
  unit: 'seed' | 'unit';
  n: number;
  mean: number;
  ci_low: number;
  ci_high: number;
}

const METRICS: MetricName[] = ['nltp', 'c2st', 'mmd'];
const METHOD_ORDER = ['npe', 'mf-npe', 'npe-lf'];

function groupKey(r: { method: string; n_lf: number; n_hf: number }): string {
  return `${r.method}|${r.n_lf}|${r.n_hf}`;
}

function sortRows<T extends { method: string; n_lf: number; n_hf: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) || a.n_lf - b.n_lf || a.n_hf - b.n_hf);
}

/** Mean and 95 % CI over seeds per method, budget and metric. */
export function summarize(metrics: readonly MetricRow[]): SummaryRow[] {
  const groups = new Map<string, { row: MetricRow; values: number[] }>();
  for (const m of metrics) {
    const k = `${groupKey(m)}|${m.metric}`;
    if (!groups.has(k)) groups.set(k, { row: m, values: [] });
    groups.get(k)!.values.push(m.value);
  }
  const out: SummaryRow[] = [];
  for (const { row, values } of groups.values()) {
    const ci = meanConfidenceInterval(values);
    out.push({
      method: row.method,
      n_lf: row.n_lf,
      n_hf: row.n_hf,
      metric: row.metric,
      n: values.length,
      mean: ci.mean,
      sd: ci.sem * Math.sqrt(values.length),
      ci_low: ci.lower,
      ci_high: ci.upper,
    });
  }
  return sortRows(out).sort((a, b) => METRICS.indexOf(a.metric) - METRICS.indexOf(b.metric));
}

/** MF-NPE − NPE on the same HF budget and seed, with 95 % CIs over seeds and over units. */
export function pairedDifferences(metrics: readonly MetricRow[], units: readonly UnitRow[]): PairedRow[] {
  const out: PairedRow[] = [];
  const npe = new Map<string, number>();
  for (const m of metrics) if (m.method === 'npe') npe.set(`${m.n_hf}|${m.seed}|${m.metric}`, m.value);
  const npeUnit = new Map<string, number>();
  for (const u of units) if (u.method === 'npe') npeUnit.set(`${u.n_hf}|${u.seed}|${u.metric}|${u.unit}`, u.value);
  const cells = new Map<string, { n_lf: number; n_hf: number; metric: MetricName }>();
  for (const m of metrics) if (m.method === 'mf-npe') cells.set(`${m.n_lf}|${m.n_hf}|${m.metric}`, m);
  for (const c of cells.values()) {
    const bySeed: number[] = [];
    for (const m of metrics) {
      if (m.method !== 'mf-npe' || m.n_lf !== c.n_lf || m.n_hf !== c.n_hf || m.metric !== c.metric) continue;
      const base = npe.get(`${m.n_hf}|${m.seed}|${m.metric}`);
      if (base !== undefined) bySeed.push(m.value - base);
    }
    const perUnit = new Map<number, number[]>();
    for (const u of units) {
      if (u.method !== 'mf-npe' || u.n_lf !== c.n_lf || u.n_hf !== c.n_hf || u.metric !== c.metric) continue;
      const base = npeUnit.get(`${u.n_hf}|${u.seed}|${u.metric}|${u.unit}`);
      if (base === undefined) continue;
      if (!perUnit.has(u.unit)) perUnit.set(u.unit, []);
      perUnit.get(u.unit)!.push(u.value - base);
    }
    const unitMeans = [...perUnit.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    for (const [unit, vals] of [
      ['seed', bySeed],
      ['unit', unitMeans],
    ] as const) {
      if (vals.length === 0) continue;
      const ci = meanConfidenceInterval(vals);
      out.push({
        comparison: 'mf-npe - npe',
        metric: c.metric,
        n_lf: c.n_lf,
        n_hf: c.n_hf,
        unit,
        n: vals.length,
        mean: ci.mean,
        ci_low: ci.lower,
        ci_high: ci.upper,
      });
    }
  }
  return out.sort((a, b) => METRICS.indexOf(a.metric) - METRICS.indexOf(b.metric) || a.n_lf - b.n_lf || a.n_hf - b.n_hf || a.unit.localeCompare(b.unit));
}

/** Mean costs over seeds per method and budget. */
export function aggregateCosts(costs: readonly CostRow[]): Record<string, number | string>[] {
  const groups = new Map<string, CostRow[]>();
  for (const c of costs) {
    const k = groupKey(c);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(c);
  }
  const avg = (rows: CostRow[], f: (r: CostRow) => number) => rows.reduce((a, r) => a + f(r), 0) / rows.length;
  return sortRows([...groups.values()].map((rows) => ({ ...rows[0] }))).map((first) => {
    const rows = groups.get(groupKey(first))!;
    const lf = avg(rows, (r) => r.lf_sim_s);
    const hf = avg(rows, (r) => r.hf_sim_s);
    const tr = avg(rows, (r) => r.train_s);
    return { method: first.method, n_lf: first.n_lf, n_hf: first.n_hf, seeds: rows.length, lf_sim_s: lf, hf_sim_s: hf, train_s: tr, total_s: lf + hf + tr };
  });
}

function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '';
}

function toCsv(rows: readonly Record<string, unknown>[], columns: string[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => (typeof r[c] === 'number' ? num(r[c] as number) : String(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

/** summary.csv through a danfojs DataFrame (the table users load back with dfd.readCSV). */
async function summaryCsv(rows: SummaryRow[]): Promise<string> {
  const dfd = await import('danfojs-node');
  const cols = ['method', 'n_lf', 'n_hf', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high'] as const;
  const data = rows.map((r) =>
    cols.map((c) => (typeof r[c] === 'number' ? (Number.isFinite(r[c] as number) ? Number((r[c] as number).toPrecision(8)) : NaN) : r[c])),
  );
  const df = new dfd.DataFrame(data, { columns: [...cols] });
  return (dfd.toCSV(df, {}) as string).replace(/NaN/g, '') + '\n';
}

const METHOD_LABEL: Record<string, string> = { npe: 'NPE', 'mf-npe': 'MF-NPE', 'npe-lf': 'NPE-LF (LF only)' };

function methodLabel(r: { method: string; n_lf: number }): string {
  return r.method === 'npe' ? 'NPE' : `${METHOD_LABEL[r.method]}, ${r.n_lf} LF`;
}

/**
 * The headline number: how many HF simulations MF-NPE (at LF budget `nLf`) needs to reach NPE's mean
 * `metric` at NPE's largest HF budget. Between grid budgets the MF-NPE curve is interpolated linearly
 * in log(budget); `null` when MF-NPE does not reach it within the grid. Point estimates of means.
 */
export function hfToMatchNpe(
  summary: readonly SummaryRow[],
  nLf: number,
  metric: MetricName = 'nltp',
): { npeHf: number; target: number; mfNpeHf: number | null; atMost: boolean } | null {
  const npe = summary.filter((s) => s.method === 'npe' && s.metric === metric).sort((a, b) => a.n_hf - b.n_hf);
  const mf = summary.filter((s) => s.method === 'mf-npe' && s.n_lf === nLf && s.metric === metric).sort((a, b) => a.n_hf - b.n_hf);
  if (npe.length === 0 || mf.length === 0) return null;
  const last = npe[npe.length - 1];
  const target = last.mean;
  for (let i = 0; i < mf.length; i++) {
    if (mf[i].mean > target) continue;
    // Already at the smallest grid budget: the answer is an upper bound.
    if (i === 0) return { npeHf: last.n_hf, target, mfNpeHf: mf[0].n_hf, atMost: true };
    const [a, b] = [mf[i - 1], mf[i]];
    const f = (a.mean - target) / (a.mean - b.mean);
    return { npeHf: last.n_hf, target, mfNpeHf: Math.exp(Math.log(a.n_hf) + f * (Math.log(b.n_hf) - Math.log(a.n_hf))), atMost: false };
  }
  return { npeHf: last.n_hf, target, mfNpeHf: null, atMost: false };
}

/** A plain-text table of the summary (means and 95 % CIs over seeds), for stdout. */
export function formatSummary(res: ExperimentResult, summary: SummaryRow[], paired: PairedRow[]): string {
  const rows = new Map<string, Partial<Record<MetricName, SummaryRow>> & { label: string; n_hf: number }>();
  for (const s of summary) {
    const k = groupKey(s);
    if (!rows.has(k)) rows.set(k, { label: methodLabel(s), n_hf: s.n_hf });
    rows.get(k)![s.metric] = s;
  }
  const cell = (s: SummaryRow | undefined, digits: number) =>
    !s ? '' : `${s.mean.toFixed(digits)}${Number.isFinite(s.ci_low) ? ` [${s.ci_low.toFixed(digits)}, ${s.ci_high.toFixed(digits)}]` : ''}`;
  const table = [['method', 'HF sims', 'NLTP', 'C2ST', 'MMD']];
  for (const r of rows.values()) table.push([r.label, String(r.n_hf), cell(r.nltp, 3), cell(r.c2st, 3), cell(r.mmd, 4)]);
  const widths = table[0].map((_, j) => Math.max(...table.map((row) => row[j].length)));
  const lines = table.map((row) => row.map((c, j) => c.padEnd(widths[j])).join('  '));
  const ref = res.reference;
  const head = `${res.task}: mean [95 % CI over ${res.config.seeds.length} seeds]; NLTP on ${res.config.testSize} HF test pairs, C2ST/MMD at ${res.config.nObs} observations vs ${
    ref.kind === 'exact'
      ? 'the exact posterior'
      : `an NPE reference (${ref.sims} HF sims; its own NLTP ${ref.nltp!.mean.toFixed(3)} [${ref.nltp!.lower.toFixed(3)}, ${ref.nltp!.upper.toFixed(3)}])`
  }`;
  const diff = paired
    .filter((p) => p.metric === 'nltp')
    .map(
      (p) =>
        `  NLTP MF-NPE − NPE, ${p.n_lf} LF, ${p.n_hf} HF: ${p.mean.toFixed(3)}${Number.isFinite(p.ci_low) ? ` [${p.ci_low.toFixed(3)}, ${p.ci_high.toFixed(3)}]` : ''} over ${p.n} ${p.unit === 'seed' ? 'seeds' : 'test pairs'}`,
    );
  const match = [...new Set(summary.filter((r) => r.method === 'mf-npe').map((r) => r.n_lf))].map((nLf) => {
    const h = hfToMatchNpe(summary, nLf);
    if (!h) return '';
    return `  MF-NPE with ${nLf} LF reaches NPE's mean NLTP at ${h.npeHf} HF (${h.target.toFixed(3)}) ${h.mfNpeHf === null ? 'at no HF budget of the grid' : `with ${h.atMost ? '≤' : '≈'} ${Math.round(h.mfNpeHf)} HF simulations`}`;
  });
  return [head, ...lines, 'paired differences (negative: MF-NPE better):', ...diff, 'HF simulations to match NPE:', ...match].join('\n');
}

function exp10(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) ? `10^${e}` : String(n);
}

/** Writes the CSVs, run.json and figures of one task's run into `dir`; returns the summary text. */
export async function writeReport(res: ExperimentResult, dir: string, opts: { totalWallSeconds?: number } = {}): Promise<string> {
  ensureDir(dir);
  const summary = summarize(res.metrics);
  const paired = pairedDifferences(res.metrics, res.units);
  const cols = ['method', 'n_lf', 'n_hf', 'seed', 'metric', 'value'];
  writeFileAtomic(join(dir, 'metrics.csv'), toCsv(res.metrics as unknown as Record<string, unknown>[], cols));
  writeFileAtomic(join(dir, 'units.csv'), toCsv(res.units as unknown as Record<string, unknown>[], [...cols.slice(0, 5), 'unit', 'value']));
  writeFileAtomic(join(dir, 'summary.csv'), await summaryCsv(summary));
  writeFileAtomic(
    join(dir, 'paired.csv'),
    toCsv(paired as unknown as Record<string, unknown>[], ['comparison', 'metric', 'n_lf', 'n_hf', 'unit', 'n', 'mean', 'ci_low', 'ci_high']),
  );
  writeFileAtomic(join(dir, 'costs.csv'), toCsv(aggregateCosts(res.costs), ['method', 'n_lf', 'n_hf', 'seeds', 'lf_sim_s', 'hf_sim_s', 'train_s', 'total_s']));
  writeFileAtomic(
    join(dir, 'costs-by-seed.csv'),
    toCsv(res.costs as unknown as Record<string, unknown>[], ['method', 'n_lf', 'n_hf', 'seed', 'lf_sim_s', 'hf_sim_s', 'train_s', 'epochs']),
  );
  const { backendName } = await import('../backend.js');
  const run = {
    task: res.task,
    config: res.config,
    reference: res.reference,
    test_sim_s: res.testSimSeconds,
    wall_s: res.wallSeconds,
    total_wall_s: opts.totalWallSeconds,
    // CPU seconds of this process so far (all its threads, simulation workers included): on a shared
    // machine the honest measure of the work, wall-clock being inflated by the other jobs.
    process_cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    c2st_classifier: 'MLP, two hidden layers of 10·d ReLU units, Adam, 5-fold CV (src/metrics/c2st.ts)',
    mmd: 'unbiased squared MMD, Gaussian kernel, median bandwidth of the reference, on θ scaled by the prior box to [0, 1]',
    machine: { cpus: cpus().length, load_average_1min_at_end: loadavg()[0], node: process.version, backend: backendName() },
  };
  writeFileAtomic(join(dir, 'run.json'), JSON.stringify(run, null, 2) + '\n');
  if (res.config.figures) await writeFigures(res, summary, dir);
  return formatSummary(res, summary, paired);
}

async function writeFigures(res: ExperimentResult, summary: SummaryRow[], dir: string): Promise<void> {
  const { saveFigure } = await import('../plots/render.js');
  const { metricVsBudgetSpec } = await import('../plots/metric-vs-budget.js');
  const { cornerSpec } = await import('../plots/corner.js');
  const { summaryHistSpec } = await import('../plots/summary-hist.js');
  const isHH = res.task === 'hh';
  const labels = isHH ? (await import('../plots/labels.js')).HH_PARAM_LABELS : res.thetaNames;
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
  const xLabels = isHH ? (await import('../plots/labels.js')).SUMMARY_LABELS : res.xNames;
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
    const { traceOverlaySpec } = await import('../plots/trace-overlay.js');
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
