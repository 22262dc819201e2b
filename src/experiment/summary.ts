/**
 * Summary statistics of an experiment's rows (docs/metrics.md, "Confidence intervals"): means and
 * 95 % Student-t CIs over seeds (the interval to quote), CIs over test units conditional on the
 * trained networks, paired MF-NPE − NPE differences, mean costs, and the HF budget at which MF-NPE
 * matches NPE.
 */
import { meanConfidenceInterval } from '../metrics/stats.js';
import type { CostRow, MetricName, MetricRow, UnitRow } from './types.js';

/** Summary of one method, budget and metric over seeds (and over test units). */
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
  /** Test pairs (nltp) or observations (c2st, mmd) behind the unit CI. */
  n_units: number;
  /**
   * 95 % CI over test units of the seed-averaged values: conditional on the trained networks (it
   * ignores seed-to-seed variation), for runs with too few seeds for a useful CI over seeds.
   */
  unit_ci_low: number;
  unit_ci_high: number;
}

/** A paired difference MF-NPE − NPE on the same HF pairs, with its 95 % CI. */
export interface PairedRow {
  comparison: string;
  metric: MetricName;
  n_lf: number;
  n_hf: number;
  /**
   * 'seed': one difference per replicate (the CI to quote); 'unit': per test pair (nltp) or
   * observation (c2st, mmd), averaged over seeds — conditional on the trained networks.
   */
  unit: 'seed' | 'unit';
  n: number;
  mean: number;
  ci_low: number;
  ci_high: number;
}

export const METRICS: MetricName[] = ['nltp', 'c2st', 'mmd'];
const METHOD_ORDER = ['npe', 'mf-npe', 'npe-lf'];

export function groupKey(r: { method: string; n_lf: number; n_hf: number }): string {
  return `${r.method}|${r.n_lf}|${r.n_hf}`;
}

export function sortRows<T extends { method: string; n_lf: number; n_hf: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method) || a.n_lf - b.n_lf || a.n_hf - b.n_hf);
}

/** Per test unit, the mean over seeds of one method, budget and metric. */
function unitMeans(units: readonly UnitRow[], key: string): number[] {
  const perUnit = new Map<number, number[]>();
  for (const u of units) {
    if (`${groupKey(u)}|${u.metric}` !== key) continue;
    if (!perUnit.has(u.unit)) perUnit.set(u.unit, []);
    perUnit.get(u.unit)!.push(u.value);
  }
  return [...perUnit.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
}

/** Mean and 95 % CI over seeds per method, budget and metric, and the CI over test units. */
export function summarize(metrics: readonly MetricRow[], units: readonly UnitRow[] = []): SummaryRow[] {
  const groups = new Map<string, { row: MetricRow; values: number[] }>();
  for (const m of metrics) {
    const k = `${groupKey(m)}|${m.metric}`;
    if (!groups.has(k)) groups.set(k, { row: m, values: [] });
    groups.get(k)!.values.push(m.value);
  }
  const out: SummaryRow[] = [];
  for (const [k, { row, values }] of groups) {
    const ci = meanConfidenceInterval(values);
    const perUnit = unitMeans(units, k);
    const uci = perUnit.length > 0 ? meanConfidenceInterval(perUnit) : { lower: NaN, upper: NaN };
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
      n_units: perUnit.length,
      unit_ci_low: uci.lower,
      unit_ci_high: uci.upper,
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
