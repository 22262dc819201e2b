/**
 * CSV for numeric tables: one header row, then numbers. Used for small outputs and for exchange
 * with other tools; training sets use Arrow IPC (see arrow.ts).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';

import { AtomicWriter, writeFileAtomic } from './atomic.js';
import { makeTable, type Table } from './table.js';
import { InputError } from '../errors.js';

/** Shortest round-trip decimal form (17 significant digits at most). */
export function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(v);
}

export function csvHeader(columns: readonly string[]): string {
  return columns.join(',') + '\n';
}

/** Rows of a row-major matrix as CSV lines (no header). */
export function csvRows(data: Float64Array, nCols: number, from = 0, to = data.length / nCols): string {
  let s = '';
  for (let i = from; i < to; i++) {
    const row = new Array<string>(nCols);
    for (let j = 0; j < nCols; j++) row[j] = formatNumber(data[i * nCols + j]);
    s += row.join(',') + '\n';
  }
  return s;
}

export function tableToCsv(t: Table): string {
  return csvHeader(t.columns) + csvRows(t.data, t.columns.length);
}

/** Writes a table as CSV atomically (or to stdout when path is undefined or '-'). */
export function writeCsv(path: string | undefined, t: Table): void {
  const text = tableToCsv(t);
  if (path === undefined || path === '-') process.stdout.write(text);
  else writeFileAtomic(path, text);
}

/** Parses CSV text with one header row and numeric cells; errors name the file, row and column. */
export function parseCsv(text: string, source = 'input'): Table {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length === 0) throw new InputError(`${source} is empty`);
  const columns = lines[0].split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  const nc = columns.length;
  if (lines.length < 2) throw new InputError(`${source} has a header but no data rows`);
  const data = new Float64Array((lines.length - 1) * nc);
  for (let i = 1; i < lines.length; i++) {
    const cells = lines[i].split(',');
    if (cells.length !== nc) throw new InputError(`${source} row ${i + 1} has ${cells.length} cells, header has ${nc}`);
    for (let j = 0; j < nc; j++) {
      const c = cells[j].trim();
      const v = c === '' ? NaN : Number(c);
      if (!Number.isFinite(v)) throw new InputError(`${source} row ${i + 1}, column ${columns[j]}: '${cells[j]}' is not a finite number`);
      data[(i - 1) * nc + j] = v;
    }
  }
  return makeTable(columns, data);
}

/** Reads a CSV file with a header row of column names and numeric cells (empty cells are NaN) into a table. */
export function readCsv(path: string): Table {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`${path} is a folder, expected a CSV file`);
  return parseCsv(readFileSync(path, 'utf8'), path);
}

/** A CSV sink that streams rows to a temp file and renames on commit. */
export class CsvSink {
  private readonly w: AtomicWriter | null;
  constructor(
    readonly path: string | undefined,
    columns: readonly string[],
  ) {
    this.w = path === undefined || path === '-' ? null : new AtomicWriter(path);
    this.write(csvHeader(columns));
  }
  write(s: string): void {
    if (this.w) this.w.write(s);
    else process.stdout.write(s);
  }
  commit(): void {
    this.w?.commit();
  }
  abort(): void {
    this.w?.abort();
  }
}
