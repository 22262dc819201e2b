/**
 * A numeric table: named columns over row-major Float64Array data. The exchange type between
 * simulation, CSV/Arrow files, training and metrics.
 */
export interface Table {
  readonly columns: readonly string[];
  /** Row-major values, nRows × columns.length. */
  readonly data: Float64Array;
  readonly nRows: number;
}

/** A table from column names and row-major data (rows × columns); checks that the data fill whole rows. */
export function makeTable(columns: readonly string[], data: Float64Array): Table {
  const nCols = columns.length;
  if (nCols === 0 || data.length % nCols !== 0) throw new RangeError(`table data of length ${data.length} does not fit ${nCols} columns`);
  return { columns, data, nRows: data.length / nCols };
}

/** Columns whose names start with `prefix` (e.g. 'theta_' or 'x_'), in order, as a new row-major array. */
export function selectColumns(t: Table, names: readonly string[]): Float64Array {
  const idx = names.map((n) => {
    const k = t.columns.indexOf(n);
    if (k < 0) throw new RangeError(`column ${n} not found (have ${t.columns.join(',')})`);
    return k;
  });
  const nc = t.columns.length;
  const out = new Float64Array(t.nRows * idx.length);
  for (let i = 0; i < t.nRows; i++) for (let j = 0; j < idx.length; j++) out[i * idx.length + j] = t.data[i * nc + idx[j]];
  return out;
}

/** Names of the columns that start with `prefix`, in table order. */
export function columnsWithPrefix(t: Table, prefix: string): string[] {
  return t.columns.filter((c) => c.startsWith(prefix));
}

/** Joins two row-aligned matrices side by side. */
export function hstack(a: Float64Array, da: number, b: Float64Array, db: number): Float64Array {
  const n = a.length / da;
  if (b.length / db !== n) throw new RangeError('hstack: row counts differ');
  const d = da + db;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    out.set(a.subarray(i * da, (i + 1) * da), i * d);
    out.set(b.subarray(i * db, (i + 1) * db), i * d + da);
  }
  return out;
}
