/**
 * The experiment's CSV files: metrics.csv, units.csv, summary.csv (through a danfojs DataFrame, the
 * table users load back with dfd.readCSV), paired.csv, costs.csv, costs-by-seed.csv.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../data/atomic.js';
import { getDanfo } from '../data/dataframe.js';
import { aggregateCosts, type PairedRow, type SummaryRow } from './summary.js';
import type { ExperimentResult } from './types.js';

export function num(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(8))) : '';
}

export function toCsv(rows: readonly Record<string, unknown>[], columns: string[]): string {
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => (typeof r[c] === 'number' ? num(r[c] as number) : String(r[c]))).join(','));
  return lines.join('\n') + '\n';
}

/** summary.csv through a danfojs DataFrame (the table users load back with dfd.readCSV). */
async function summaryCsv(rows: SummaryRow[]): Promise<string> {
  const dfd = await getDanfo();
  const cols = ['method', 'n_lf', 'n_hf', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high', 'n_units', 'unit_ci_low', 'unit_ci_high'] as const;
  const data = rows.map((r) =>
    cols.map((c) => (typeof r[c] === 'number' ? (Number.isFinite(r[c] as number) ? Number((r[c] as number).toPrecision(8)) : NaN) : r[c])),
  );
  const df = new dfd.DataFrame(data, { columns: [...cols] });
  return (dfd.toCSV(df, {}) as string).replace(/NaN/g, '') + '\n';
}

/** Writes the CSV files of one task's run into `dir`. */
export async function writeTables(res: ExperimentResult, summary: SummaryRow[], paired: PairedRow[], dir: string): Promise<void> {
  const cols = ['method', 'n_lf', 'n_hf', 'seed', 'metric', 'value'];
  const rows = (r: readonly object[]) => r as unknown as Record<string, unknown>[];
  writeFileAtomic(join(dir, 'metrics.csv'), toCsv(rows(res.metrics), cols));
  writeFileAtomic(join(dir, 'units.csv'), toCsv(rows(res.units), [...cols.slice(0, 5), 'unit', 'value']));
  writeFileAtomic(join(dir, 'summary.csv'), await summaryCsv(summary));
  writeFileAtomic(join(dir, 'paired.csv'), toCsv(rows(paired), ['comparison', 'metric', 'n_lf', 'n_hf', 'unit', 'n', 'mean', 'ci_low', 'ci_high']));
  const sims = ['lf_sim_cpu_s', 'mf_sim_cpu_s', 'hf_sim_cpu_s'];
  writeFileAtomic(join(dir, 'costs.csv'), toCsv(aggregateCosts(res.costs), ['method', 'n_lf', 'n_hf', 'seeds', ...sims, 'sim_cpu_s', 'train_s', 'total_s']));
  writeFileAtomic(join(dir, 'costs-by-seed.csv'), toCsv(rows(res.costs), ['method', 'n_lf', 'n_hf', 'seed', ...sims, 'train_s', 'epochs']));
}
