/**
 * Merging the shards of a run (see shard.ts) into the file the unsharded run writes, byte for byte.
 *
 * The shards must all come from the same run (equal run identity: command, format, seed, n,
 * fidelity, θ or prior, task, configuration, simulator version) and together cover every simulation
 * index exactly once; they may be given in any order. Any problem (a missing, duplicated,
 * overlapping, foreign or truncated shard, a file that is no shard) is an InputError naming it, and
 * no output file is written: the output goes to a temporary file renamed into place at the end.
 *
 * CSV: the shard header line is dropped, the column header written once, then each shard's rows are
 * copied verbatim in index order. Arrow: the rows are concatenated and re-encoded with the run's
 * metadata (the shard's metadata minus `mfnpe.shard`), exactly as the unsharded run encodes them.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import * as arrow from 'apache-arrow';
import { tableToArrowBytes } from './arrow.js';
import { AtomicWriter, writeFileAtomic } from './atomic.js';
import { makeTable } from './table.js';
import { ARROW_SHARD_KEY, CSV_SHARD_PREFIX, decodeShardHeader, describeShard, type ShardHeader } from './shard.js';
import { InputError } from '../errors.js';

/** A shard file as read for merging. */
export interface ShardFile {
  path: string;
  format: 'csv' | 'arrow';
  header: ShardHeader;
  /** Column names, in order. */
  columns: string[];
}

interface CsvShard extends ShardFile {
  format: 'csv';
  /** The column header line, newline included, exactly as in the file. */
  columnsLine: string;
  /** Byte offset of the first data row. */
  bodyOffset: number;
}

interface ArrowShard extends ShardFile {
  format: 'arrow';
  /** Row-major values of the shard's rows. */
  rows: Float64Array;
  /** The file's mfnpe metadata (prefix removed) without the shard key, in file order. */
  metadata: [string, string][];
}

type AnyShard = CsvShard | ArrowShard;

const ARROW_MAGIC = 'ARROW1';
/** Longest CSV head (shard line + column line) read when looking for the header. */
const MAX_HEAD = 1 << 20;

function notAShard(path: string): InputError {
  return new InputError(`${path} is not an mfnpe shard (no shard header; shards are written with --shard I/K)`);
}

/** Reads the shard header and column line of a CSV shard (not its rows). */
function readCsvHead(path: string, fd: number): CsvShard {
  const buf = Buffer.alloc(Math.min(MAX_HEAD, fstatSync(fd).size));
  const got = readSync(fd, buf, 0, buf.length, 0);
  const head = buf.subarray(0, got);
  const nl1 = head.indexOf(10);
  const nl2 = nl1 < 0 ? -1 : head.indexOf(10, nl1 + 1);
  if (nl2 < 0 || !head.subarray(0, CSV_SHARD_PREFIX.length).equals(Buffer.from(CSV_SHARD_PREFIX))) throw notAShard(path);
  const header = decodeShardHeader(head.subarray(CSV_SHARD_PREFIX.length, nl1).toString('utf8'), path);
  const columnsLine = head.subarray(nl1 + 1, nl2 + 1).toString('utf8');
  const columns = columnsLine.trimEnd().split(',');
  return { path, format: 'csv', header, columns, columnsLine, bodyOffset: nl2 + 1 };
}

/** Reads a whole Arrow shard (rows, metadata and shard header). */
async function readArrowShard(path: string): Promise<ArrowShard> {
  let t: InstanceType<typeof arrow.Table>;
  try {
    t = arrow.tableFromIPC(readFileSync(path));
  } catch (e) {
    throw new InputError(`${path} is not a readable Arrow file (${(e as Error).message.split('\n')[0]})`);
  }
  const prefix = 'mfnpe.';
  const shardJson = t.schema.metadata.get(prefix + ARROW_SHARD_KEY);
  if (shardJson === undefined) throw notAShard(path);
  const header = decodeShardHeader(shardJson, path);
  const metadata: [string, string][] = [];
  for (const [k, v] of t.schema.metadata) if (k.startsWith(prefix) && k !== prefix + ARROW_SHARD_KEY) metadata.push([k.slice(prefix.length), v]);
  const columns = t.schema.fields.map((f) => f.name);
  const nc = columns.length;
  const nr = t.numRows;
  const rows = new Float64Array(nr * nc);
  columns.forEach((name, j) => {
    const child = t.getChildAt(j)!;
    if (!arrow.DataType.isFloat(child.type) || child.nullCount > 0) throw new InputError(`${path}: column ${name} is not a float64 column without nulls`);
    const col = child.toArray() as Float64Array;
    for (let i = 0; i < nr; i++) rows[i * nc + j] = col[i];
  });
  if (nr !== header.end - header.start) {
    throw new InputError(`${path}: has ${nr} rows but its header says ${describeShard(header)} (truncated or corrupt shard)`);
  }
  return { path, format: 'arrow', header, columns, rows, metadata };
}

/** Reads what merging needs from one shard file: its header, and for Arrow its rows. */
export async function readShard(path: string): Promise<ShardFile> {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`${path} is a folder, expected a shard file`);
  const fd = openSync(path, 'r');
  let magic: string;
  try {
    const b = Buffer.alloc(ARROW_MAGIC.length);
    magic = b.subarray(0, readSync(fd, b, 0, b.length, 0)).toString('latin1');
    if (magic !== ARROW_MAGIC) return readCsvHead(path, fd);
  } finally {
    closeSync(fd);
  }
  return readArrowShard(path);
}

/** The first key whose value differs between two run identities, as `key a vs b`, or null. */
function runDifference(a: ShardHeader['run'], b: ShardHeader['run']): string | null {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const show = (v: unknown) => {
    const t = typeof v === 'string' ? v : JSON.stringify(v ?? null);
    return t.length > 40 ? t.slice(0, 37) + '…' : t;
  };
  for (const k of keys) if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) return `${k} ${show(a[k])} vs ${show(b[k])}`;
  return null;
}

const FORMAT_NAME = { csv: 'a CSV', arrow: 'an Arrow' } as const;

/**
 * Checks that the shards are of one format and one run and cover indices [0, n) exactly once;
 * returns them in index order. Throws an InputError naming the first problem.
 */
export function checkShardSet(shards: ShardFile[]): ShardFile[] {
  if (shards.length === 0) throw new InputError('no shards to merge');
  const first = shards[0];
  const seen = new Map<string, string>();
  for (const s of shards) {
    const key = resolve(s.path);
    if (seen.has(key)) throw new InputError(`${s.path} is given twice`);
    seen.set(key, s.path);
    if (s.format !== first.format) throw new InputError(`${s.path} is ${FORMAT_NAME[s.format]} shard but ${first.path} is ${FORMAT_NAME[first.format]} shard`);
    const diff = runDifference(first.header.run, s.header.run) ?? (first.header.n !== s.header.n ? `n ${first.header.n} vs ${s.header.n}` : null);
    if (diff !== null) throw new InputError(`${s.path} is from another run than ${first.path} (${diff})`);
    const line = (x: ShardFile) => (x.format === 'csv' ? (x as CsvShard).columnsLine : x.columns.join(','));
    if (line(s) !== line(first)) throw new InputError(`${s.path} has other columns than ${first.path}`);
    if (s.format === 'arrow' && JSON.stringify((s as ArrowShard).metadata) !== JSON.stringify((first as ArrowShard).metadata)) {
      throw new InputError(`${s.path} has other file metadata than ${first.path}`);
    }
  }
  const sorted = [...shards].sort((a, b) => a.header.start - b.header.start || a.header.end - b.header.end);
  const n = first.header.n;
  let covered = 0;
  let prev: ShardFile | null = null;
  for (const s of sorted) {
    const h = s.header;
    if (prev && h.start < covered) {
      const p = prev.header;
      if (p.start === h.start && p.end === h.end) throw new InputError(`${prev.path} and ${s.path} are the same shard: ${describeShard(h)} (duplicate)`);
      throw new InputError(`${prev.path} (${describeShard(p)}) and ${s.path} (${describeShard(h)}) overlap`);
    }
    if (h.start > covered) throw new InputError(`missing shard: no shard holds simulation indices [${covered}, ${h.start}) of [0, ${n})`);
    covered = h.end;
    prev = s;
  }
  if (covered < n) throw new InputError(`missing shard: no shard holds simulation indices [${covered}, ${n}) of [0, ${n})`);
  return sorted;
}

/** Copies a CSV shard's rows to `w`, checking that it holds exactly its header's number of rows. */
function copyCsvRows(s: CsvShard, w: AtomicWriter): void {
  const fd = openSync(s.path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let pos = s.bodyOffset;
    let lines = 0;
    let last = 10;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got === 0) break;
      const chunk = buf.subarray(0, got);
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
      last = chunk[got - 1];
      w.write(chunk);
      pos += got;
    }
    const want = s.header.end - s.header.start;
    if (lines !== want || last !== 10) {
      throw new InputError(`${s.path}: has ${lines}${last !== 10 ? '+' : ''} rows but its header says ${describeShard(s.header)} (truncated or corrupt shard)`);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Merges shard files into `out` (the run's format). Checks everything first (see
 * {@link checkShardSet}); `out` appears only when the merge succeeded. Returns the shards in index order.
 */
export async function mergeShards(paths: string[], out: string): Promise<ShardFile[]> {
  const shards: ShardFile[] = [];
  for (const p of paths) shards.push(await readShard(p));
  const sorted = checkShardSet(shards) as AnyShard[];
  const outAbs = resolve(out);
  for (const s of sorted) if (resolve(s.path) === outAbs) throw new InputError(`--out ${out} is one of the shards`);
  const first = sorted[0];
  if (first.format === 'csv') {
    const w = new AtomicWriter(out);
    try {
      w.write(first.columnsLine);
      for (const s of sorted) copyCsvRows(s as CsvShard, w);
      w.commit();
    } catch (e) {
      w.abort();
      throw e;
    }
    return sorted;
  }
  const nc = first.columns.length;
  const all = new Float64Array(first.header.n * nc);
  for (const s of sorted as ArrowShard[]) all.set(s.rows, s.header.start * nc);
  writeFileAtomic(out, tableToArrowBytes(makeTable(first.columns, all), Object.fromEntries((first as ArrowShard).metadata)));
  return sorted;
}
