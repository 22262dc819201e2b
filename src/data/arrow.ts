/**
 * Training sets as Apache Arrow IPC files (the "file" format, also known as Feather v2).
 *
 * Layout: one Float64 column per named value, in order (for simulations: g_na, g_k, g_l, n_spikes,
 * mean_rest, std_rest, mean_stim), no nulls, one row per simulation in index order. Provenance
 * (fidelity, seed, n, …) is stored as string key/value pairs in the schema metadata, each key
 * prefixed with `mfnpe.`. The file is about 8 bytes per value, compact and lossless (unlike CSV),
 * and reads directly in Python:
 *
 *     import pyarrow.feather as feather; t = feather.read_table("train.arrow"); t.schema.metadata
 *     import pandas as pd; df = pd.read_feather("train.arrow")
 *
 * apache-arrow is imported by the CLI only when an Arrow file is read or written, to keep the start-up
 * of the simulation CLI light.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as arrow from 'apache-arrow';

import { writeFileAtomic } from './atomic.js';
import { makeTable, type Table } from './table.js';
import { InputError } from '../errors.js';

/** Prefix of the metadata keys written by mfnpe. */
export const ARROW_META_PREFIX = 'mfnpe.';

/** True if `path` names an Arrow file by its extension (.arrow, .feather, .ipc). */
export function isArrowPath(path: string | undefined): boolean {
  return path !== undefined && /\.(arrow|feather|ipc)$/i.test(path);
}

/** Encodes a table as Arrow IPC file bytes; `metadata` keys are stored with the `mfnpe.` prefix. */
export function tableToArrowBytes(t: Table, metadata: Record<string, string> = {}): Uint8Array {
  const nc = t.columns.length;
  const cols: Record<string, Float64Array> = {};
  t.columns.forEach((name, j) => {
    if (name in cols) throw new RangeError(`duplicate column name ${name}`);
    const c = new Float64Array(t.nRows);
    for (let i = 0; i < t.nRows; i++) c[i] = t.data[i * nc + j];
    cols[name] = c;
  });
  const plain = arrow.tableFromArrays(cols);
  const meta = new Map<string, string>(Object.entries(metadata).map(([k, v]) => [ARROW_META_PREFIX + k, v]));
  const schema = new arrow.Schema(plain.schema.fields, meta);
  const table = new arrow.Table(
    schema,
    plain.batches.map((b) => new arrow.RecordBatch(schema, b.data)),
  );
  return arrow.tableToIPC(table, 'file');
}

/** Writes a table as an Arrow IPC file, atomically. */
export function writeArrow(path: string, t: Table, metadata: Record<string, string> = {}): void {
  writeFileAtomic(path, tableToArrowBytes(t, metadata));
}

/** A table read from Arrow, with its mfnpe metadata (prefix removed). */
export interface ArrowTable extends Table {
  metadata: Record<string, string>;
}

/** Decodes Arrow IPC bytes (file or stream format) whose columns are all numeric. */
export function arrowBytesToTable(bytes: Uint8Array, source = 'input'): ArrowTable {
  let t: arrow.Table;
  try {
    t = arrow.tableFromIPC(bytes);
  } catch (e) {
    throw new InputError(`${source} is not an Arrow IPC file (${(e as Error).message})`);
  }
  const columns = t.schema.fields.map((f) => f.name);
  if (columns.length === 0) throw new InputError(`${source} has no columns`);
  const n = t.numRows;
  const nc = columns.length;
  const data = new Float64Array(n * nc);
  columns.forEach((name, j) => {
    const child = t.getChildAt(j)!;
    if (!arrow.DataType.isFloat(child.type) && !arrow.DataType.isInt(child.type)) {
      throw new InputError(`${source}: column ${name} is ${child.type}, expected numbers`);
    }
    let i = 0;
    for (const v of child) {
      const x = Number(v);
      if (v === null || !Number.isFinite(x)) throw new InputError(`${source} row ${i + 1}, column ${name}: not a finite number`);
      data[i++ * nc + j] = x;
    }
  });
  const metadata: Record<string, string> = {};
  for (const [k, v] of t.schema.metadata) if (k.startsWith(ARROW_META_PREFIX)) metadata[k.slice(ARROW_META_PREFIX.length)] = v;
  return { ...makeTable(columns, data), metadata };
}

/** Reads an Arrow IPC file into a row-major table; errors name the file. */
export function readArrow(path: string): ArrowTable {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`${path} is a folder, expected an Arrow file`);
  return arrowBytesToTable(readFileSync(path), path);
}
