/**
 * Training pairs read from a table file (CSV or Arrow; docs/cli.md, "Data formats"): columns theta_*
 * and x_*, else the task's parameter and statistic names, else the HH header
 * g_na,g_k,g_l,n_spikes,mean_rest,std_rest,mean_stim.
 */
import { existsSync } from 'node:fs';
import { isArrowPath, readArrow } from '../data/arrow.js';
import { readCsv } from '../data/csv.js';
import { selectColumns, type Table } from '../data/table.js';
import { InputError } from '../errors.js';
import { HH_PARAM_NAMES } from '../prior.js';
import { SUMMARY_NAMES } from '../simulators/summary.js';

/** θ and x names of a problem: a task, a posterior, or null for files with theta_* and x_* (or HH) columns. */
export interface ColumnNames {
  readonly thetaNames: readonly string[];
  readonly xNames: readonly string[];
}

/** θ and x column names of a data table: theta_* and x_*, else the task's names, else the HH header. */
export function pairColumns(t: Table, names: ColumnNames | null, source: string): { thetaCols: string[]; xCols: string[] } {
  const tc = t.columns.filter((c) => /^theta_/.test(c));
  const xc = t.columns.filter((c) => /^x_/.test(c));
  if (tc.length > 0 && xc.length > 0) return { thetaCols: tc, xCols: xc };
  const candidates: [readonly string[], readonly string[]][] = [[HH_PARAM_NAMES, SUMMARY_NAMES]];
  if (names) candidates.unshift([names.thetaNames, names.xNames]);
  for (const [th, xs] of candidates) {
    if ([...th, ...xs].every((c) => t.columns.includes(c))) return { thetaCols: [...th], xCols: [...xs] };
  }
  const expected = names ? ` (or ${[...names.thetaNames, ...names.xNames].join(',')})` : '';
  throw new InputError(`${source}: expected columns theta_* and x_*${expected}, got ${t.columns.join(',')}`);
}

/** Reads a CSV or Arrow table. */
export function readTable(path: string): Table {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  return isArrowPath(path) ? readArrow(path) : readCsv(path);
}

/** Row-major θ and x from a table file, with the column names used. */
export function readPairs(path: string, names: ColumnNames | null): { theta: Float64Array; x: Float64Array; thetaCols: string[]; xCols: string[] } {
  const t = readTable(path);
  const { thetaCols, xCols } = pairColumns(t, names, path);
  return { theta: selectColumns(t, thetaCols), x: selectColumns(t, xCols), thetaCols, xCols };
}

/** Whether the θ columns are the HH conductances (so the HH prior box applies). */
export function isHHColumns(thetaCols: readonly string[]): boolean {
  return thetaCols.join(',') === HH_PARAM_NAMES.join(',');
}
