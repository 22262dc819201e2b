/**
 * Summary statistics of an experiment's rows (docs/metrics.md, "Confidence intervals"): means and
 * 95 % Student-t CIs over seeds (the interval to quote), CIs over test units conditional on the
 * trained networks, paired MF-NPE − NPE differences, mean costs, and the HF budget at which MF-NPE
 * matches NPE.
 */
import { meanConfidenceInterval } from '../metrics/stats.js';
import type { CostRow, MetricName, MetricRow, PosteriorKey, UnitRow } from './types.js';

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
const SEQUENTIAL_ORDER = ['tsnpe', 'mf-tsnpe', 'a-mf-tsnpe'];

/**
 * Position of a method in tables: NPE, MF-NPE (LF), LF-only, then other ladders (fine-tuned, then
 * pre-trained only), then the sequential methods.
 */
function methodRank(method: string): number {
  const i = METHOD_ORDER.indexOf(method);
  if (i >= 0) return i;
  const j = SEQUENTIAL_ORDER.indexOf(method);
  if (j >= 0) return 5 + j;
  return method.startsWith('mf-npe:') ? 3 : 4;
}

export function groupKey(r: { method: string; n_lf: number; n_hf: number }): string {
  return `${r.method}|${r.n_lf}|${r.n_hf}`;
}

export function sortRows<T extends { method: string; n_lf: number; n_hf: number }>(rows: T[]): T[] {
  return rows.sort((a, b) => methodRank(a.method) - methodRank(b.method) || a.method.localeCompare(b.method) || a.n_lf - b.n_lf || a.n_hf - b.n_hf);
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

/** One paired comparison a − b; `sameLf`: matched at the same LF budget; `byUnits`: seeds' differences over shared units. */
interface Comparison {
  a: string;
  b: string;
  sameLf: boolean;
  byUnits: boolean;
}

/**
 * The paired comparisons of an experiment's methods: every MF-NPE method against NPE on the same HF
 * pairs ('mf-npe - npe', 'mf-npe:mf - npe'), and every other ladder against LF pre-training at the
 * same LF budget ('mf-npe:mf - mf-npe', 'npe-mf - npe-lf'). Sequential methods: each against NPE at
 * the same HF budget ('a-mf-tsnpe - npe'), the pre-trained ones against MF-NPE (`mfNpe`) at the same
 * LF and HF budgets, MF-TSNPE against TSNPE and A-MF-TSNPE against MF-TSNPE — all over the
 * observations the sequential method ran at.
 */
function comparisons(methods: ReadonlySet<string>, mfNpe: string): Comparison[] {
  const out: Comparison[] = [];
  const seq = SEQUENTIAL_ORDER.filter((m) => methods.has(m));
  const cmp = (a: string, b: string, sameLf: boolean, byUnits = false) => ({ a, b, sameLf, byUnits });
  const amortized = comparisonsAmortized(methods).map((c) => cmp(c.a, c.b, c.sameLf));
  out.push(...amortized);
  if (methods.has('npe')) for (const m of seq) out.push(cmp(m, 'npe', false, true));
  if (methods.has(mfNpe)) for (const m of seq) if (m !== 'tsnpe') out.push(cmp(m, mfNpe, true, true));
  if (methods.has('mf-tsnpe') && methods.has('tsnpe')) out.push(cmp('mf-tsnpe', 'tsnpe', false, true));
  if (methods.has('a-mf-tsnpe') && methods.has('mf-tsnpe')) out.push(cmp('a-mf-tsnpe', 'mf-tsnpe', true, true));
  return out;
}

/** The comparisons among the amortized methods. */
function comparisonsAmortized(methods: ReadonlySet<string>): { a: string; b: string; sameLf: boolean }[] {
  const out: { a: string; b: string; sameLf: boolean }[] = [];
  const fine = [...methods].filter((m) => m === 'mf-npe' || m.startsWith('mf-npe:')).sort((x, y) => methodRank(x) - methodRank(y) || x.localeCompare(y));
  if (methods.has('npe')) for (const m of fine) out.push({ a: m, b: 'npe', sameLf: false });
  for (const m of fine) if (m !== 'mf-npe' && methods.has('mf-npe')) out.push({ a: m, b: 'mf-npe', sameLf: true });
  const pre = [...methods].filter((m) => m.startsWith('npe-') && m !== 'npe-lf').sort();
  for (const m of pre) if (methods.has('npe-lf')) out.push({ a: m, b: 'npe-lf', sameLf: true });
  return out;
}

/**
 * Differences a − b per seed and per test unit (averaged over seeds) in one cell. With `byUnits` a
 * seed's difference is the mean of its unit differences over the units both ran at (a sequential
 * method's observations, a subset of NPE's test pairs), not the difference of their metric rows.
 */
function cellDifferences(
  metrics: readonly MetricRow[],
  units: readonly UnitRow[],
  cmp: Comparison,
  c: { n_lf: number; n_hf: number; metric: MetricName },
): { seed: number[]; unit: number[] } {
  const baseKey = (r: PosteriorKey & { metric: string }) => `${cmp.sameLf ? r.n_lf : 0}|${r.n_hf}|${r.seed}|${r.metric}`;
  const inCell = (r: MetricRow) => r.method === cmp.a && r.n_lf === c.n_lf && r.n_hf === c.n_hf && r.metric === c.metric;
  const base = new Map<string, number>();
  for (const m of metrics) if (m.method === cmp.b) base.set(baseKey(m), m.value);
  const baseUnit = new Map<string, number>();
  for (const u of units) if (u.method === cmp.b) baseUnit.set(`${baseKey(u)}|${u.unit}`, u.value);
  const seed: number[] = [];
  if (!cmp.byUnits) {
    for (const m of metrics) {
      const b = inCell(m) ? base.get(baseKey(m)) : undefined;
      if (b !== undefined) seed.push(m.value - b);
    }
  }
  const perUnit = new Map<number, number[]>();
  const perSeed = new Map<number, number[]>();
  for (const u of units) {
    const b = inCell(u) ? baseUnit.get(`${baseKey(u)}|${u.unit}`) : undefined;
    if (b === undefined) continue;
    if (!perUnit.has(u.unit)) perUnit.set(u.unit, []);
    perUnit.get(u.unit)!.push(u.value - b);
    if (!perSeed.has(u.seed)) perSeed.set(u.seed, []);
    perSeed.get(u.seed)!.push(u.value - b);
  }
  const mean = (v: number[]) => v.reduce((x, y) => x + y, 0) / v.length;
  if (cmp.byUnits) for (const v of perSeed.values()) seed.push(mean(v));
  return { seed, unit: [...perUnit.values()].map(mean) };
}

/**
 * Paired differences of the methods (comparisons above) on the same seeds, with 95 % CIs over seeds
 * and over units. `mfNpe`: the MF-NPE method the pre-trained sequential methods are compared with
 * (the one pre-trained on their ladder; default 'mf-npe').
 */
export function pairedDifferences(metrics: readonly MetricRow[], units: readonly UnitRow[], mfNpe = 'mf-npe'): PairedRow[] {
  const out: PairedRow[] = [];
  const cmps = comparisons(new Set(metrics.map((m) => m.method)), mfNpe);
  for (const cmp of cmps) {
    const cells = new Map<string, { n_lf: number; n_hf: number; metric: MetricName }>();
    for (const m of metrics) if (m.method === cmp.a) cells.set(`${m.n_lf}|${m.n_hf}|${m.metric}`, m);
    const rows: PairedRow[] = [];
    for (const c of cells.values()) {
      const d = cellDifferences(metrics, units, cmp, c);
      for (const unit of ['seed', 'unit'] as const) {
        if (d[unit].length === 0) continue;
        const ci = meanConfidenceInterval(d[unit]);
        const comparison = `${cmp.a} - ${cmp.b}`;
        rows.push({ comparison, metric: c.metric, n_lf: c.n_lf, n_hf: c.n_hf, unit, n: d[unit].length, mean: ci.mean, ci_low: ci.lower, ci_high: ci.upper });
      }
    }
    rows.sort((a, b) => METRICS.indexOf(a.metric) - METRICS.indexOf(b.metric) || a.n_lf - b.n_lf || a.n_hf - b.n_hf || a.unit.localeCompare(b.unit));
    out.push(...rows);
  }
  return out;
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
    const lf = avg(rows, (r) => r.lf_sim_cpu_s);
    const mf = avg(rows, (r) => r.mf_sim_cpu_s);
    const hf = avg(rows, (r) => r.hf_sim_cpu_s);
    const tr = avg(rows, (r) => r.train_s);
    const sim = lf + mf + hf;
    return {
      method: first.method,
      n_lf: first.n_lf,
      n_hf: first.n_hf,
      seeds: rows.length,
      lf_sim_cpu_s: lf,
      mf_sim_cpu_s: mf,
      hf_sim_cpu_s: hf,
      sim_cpu_s: sim,
      train_s: tr,
      total_s: sim + tr,
    };
  });
}

/**
 * The headline number: how many HF simulations MF-NPE (`method`, default LF pre-training, at
 * first-level budget `nLf`) needs to reach NPE's mean
 * `metric` at NPE's largest HF budget. Between grid budgets the MF-NPE curve is interpolated linearly
 * in log(budget); `null` when MF-NPE does not reach it within the grid. Point estimates of means.
 */
export function hfToMatchNpe(
  summary: readonly SummaryRow[],
  nLf: number,
  metric: MetricName = 'nltp',
  method = 'mf-npe',
): { npeHf: number; target: number; mfNpeHf: number | null; atMost: boolean } | null {
  const npe = summary.filter((s) => s.method === 'npe' && s.metric === metric).sort((a, b) => a.n_hf - b.n_hf);
  const mf = summary.filter((s) => s.method === method && s.n_lf === nLf && s.metric === metric).sort((a, b) => a.n_hf - b.n_hf);
  if (npe.length === 0 || mf.length === 0) return null;
  const last = npe[npe.length - 1];
  return { npeHf: last.n_hf, target: last.mean, ...budgetToReach(mf, last.mean) };
}

/**
 * The HF budget at which a curve of (budget, mean) points, lower better, first reaches `target`:
 * linear in log(budget) between grid budgets, an upper bound (`atMost`) when the smallest budget
 * already reaches it, null when no budget does.
 */
function budgetToReach(curve: readonly { n_hf: number; mean: number }[], target: number): { mfNpeHf: number | null; atMost: boolean } {
  for (let i = 0; i < curve.length; i++) {
    if (curve[i].mean > target) continue;
    if (i === 0) return { mfNpeHf: curve[0].n_hf, atMost: true };
    const [a, b] = [curve[i - 1], curve[i]];
    const f = (a.mean - target) / (a.mean - b.mean);
    return { mfNpeHf: Math.exp(Math.log(a.n_hf) + f * (Math.log(b.n_hf) - Math.log(a.n_hf))), atMost: false };
  }
  return { mfNpeHf: null, atMost: false };
}

/**
 * The sequential analogue of {@link hfToMatchNpe}: the HF budget at which sequential `method` (at
 * first-level budget `nLf`) reaches, in mean NLTP over its runs (seed × observation), NPE's mean NLTP
 * at NPE's largest HF budget over the same seeds and observations (per-unit rows; sequential.md,
 * evaluation). Runs without NPE's counterpart (same seed and observation) are left out, and the
 * target is NPE's mean over the runs of the smallest sequential budget.
 */
export function hfToMatchNpeAtObservations(
  units: readonly UnitRow[],
  method: string,
  nLf: number,
): { npeHf: number; target: number; mfNpeHf: number | null; atMost: boolean; runs: number } | null {
  const npeHf = Math.max(-Infinity, ...units.filter((u) => u.method === 'npe' && u.metric === 'nltp').map((u) => u.n_hf));
  const seq = units.filter((u) => u.method === method && u.n_lf === nLf && u.metric === 'nltp');
  if (!Number.isFinite(npeHf) || seq.length === 0) return null;
  const npe = new Map<string, number>();
  for (const u of units) if (u.method === 'npe' && u.metric === 'nltp' && u.n_hf === npeHf) npe.set(`${u.seed}|${u.unit}`, u.value);
  const runs = seq.filter((u) => npe.has(`${u.seed}|${u.unit}`));
  // The target is NPE's mean over the runs of the smallest sequential budget (every budget runs at the same observations).
  const budgets = [...new Set(runs.map((u) => u.n_hf))].sort((a, b) => a - b);
  if (budgets.length === 0) return null;
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const at = (n: number) => runs.filter((u) => u.n_hf === n);
  const target = mean(at(budgets[0]).map((u) => npe.get(`${u.seed}|${u.unit}`)!));
  const curve = budgets.map((n) => ({ n_hf: n, mean: mean(at(n).map((u) => u.value)) }));
  return { npeHf, target, ...budgetToReach(curve, target), runs: at(budgets[0]).length };
}
