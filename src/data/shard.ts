/**
 * Shards of a simulation run: shard i of k (0-based, `--shard i/k`) holds the contiguous block of
 * simulation indices [⌊i·n/k⌋, ⌊(i+1)·n/k⌋) of a run of n simulations. Simulation j always uses the
 * random stream (seed, j), so a shard's rows are exactly the rows j of the whole run, and the k
 * shards concatenated in index order are the whole run (see merge.ts).
 *
 * A shard file is the run's file restricted to its rows, plus a shard header that names the run and
 * the shard: in CSV, one first line `#mfnpe-shard {json}` before the column header; in Arrow, the
 * schema metadata key `mfnpe.shard` holding the same JSON. Merging strips the header again, so the
 * merged file is byte for byte the unsharded run's file.
 *
 * No heavy imports here: the simulation commands load this module at start-up.
 */
import { InputError } from '../errors.js';

/** First characters of a CSV shard (then the header JSON, then a newline). */
export const CSV_SHARD_PREFIX = '#mfnpe-shard ';
/** Arrow metadata key (without the `mfnpe.` prefix) that holds the shard header JSON. */
export const ARROW_SHARD_KEY = 'shard';

/** A shard i of k of a run of n simulations, with its index range [start, end). */
export interface ShardSpec {
  index: number;
  count: number;
  start: number;
  end: number;
}

/** Plain JSON values only (the run identity is compared as canonical JSON). */
export type RunIdentity = Record<string, string | number | boolean | null>;

/** What a shard file says about itself. */
export interface ShardHeader extends ShardSpec {
  /** Total simulations of the run. */
  n: number;
  /** The run's identity: command, format and every option that defines its data. Equal for all shards of a run. */
  run: RunIdentity;
}

/** Index range of shard i of k over n simulations: [⌊i·n/k⌋, ⌊(i+1)·n/k⌋). */
export function shardRange(index: number, count: number, n: number): { start: number; end: number } {
  return { start: Math.floor((index * n) / count), end: Math.floor(((index + 1) * n) / count) };
}

/** Parses `--shard i/k` (0 ≤ i < k ≤ n, so no shard is empty) for a run of n simulations. */
export function parseShard(text: string, n: number): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`--shard must be I/K (shard I of K, 0-based: 0/4 … 3/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count) {
    throw new InputError(`--shard ${text}: need 0 ≤ I < K (shards are numbered 0 … K−1)`);
  }
  if (count > n) throw new InputError(`--shard ${text}: more shards (${count}) than simulations (${n})`);
  return { index, count, ...shardRange(index, count, n) };
}

/** `i/k` with the index range, for messages. */
export function describeShard(s: ShardSpec): string {
  return `shard ${s.index}/${s.count} (indices [${s.start}, ${s.end}))`;
}

/** The header JSON (one line). */
export function encodeShardHeader(h: ShardHeader): string {
  return JSON.stringify({ mfnpe_shard: 1, index: h.index, count: h.count, start: h.start, end: h.end, n: h.n, run: h.run });
}

/** The first line of a CSV shard, newline included. */
export function csvShardLine(h: ShardHeader): string {
  return CSV_SHARD_PREFIX + encodeShardHeader(h) + '\n';
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Parses and checks a header written by {@link encodeShardHeader}; `source` names the file in errors. */
export function decodeShardHeader(json: string, source: string): ShardHeader {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(json);
  } catch {
    throw new InputError(`${source}: unreadable shard header`);
  }
  const bad = () => new InputError(`${source}: corrupt shard header`);
  if (o === null || typeof o !== 'object' || o.mfnpe_shard !== 1) throw bad();
  const { index, count, start, end, n, run } = o;
  if (!isCount(index) || !isCount(count) || !isCount(start) || !isCount(end) || !isCount(n)) throw bad();
  if (run === null || typeof run !== 'object' || Array.isArray(run)) throw bad();
  if (index >= count || count > n) throw bad();
  const r = shardRange(index, count, n);
  if (r.start !== start || r.end !== end) throw bad();
  return { index, count, start, end, n, run: run as RunIdentity };
}
