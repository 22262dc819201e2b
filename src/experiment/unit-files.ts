/**
 * Unit results on disk: one JSON file per unit of work under `<task folder>/units/`, written
 * atomically, so a crashed or preempted run leaves either a complete file or none, and a rerun skips
 * the units whose files exist. Floating-point values round-trip exactly (JSON's shortest
 * representation of a double), and non-finite values are stored as strings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { csvHeader, csvRows } from '../data/csv.js';
import type { Unit } from './plan.js';
import type { ReferenceInfo, UnitResult } from './types.js';

/** Format version of the unit files (a change makes old files unreadable, not silently wrong). */
export const UNIT_FILE_VERSION = 2;

/** What the reference unit leaves for the others and for the report. */
export interface ReferenceResult {
  reference: ReferenceInfo;
  testSimSeconds: number;
  /** Test pair 0 and the reference samples there (the corner figure). */
  theta0: number[];
  x0: number[];
  refSamples0: Float64Array;
  /** The reference samples at every observation: replicate units reuse them instead of redrawing. */
  refSamples: Float64Array[];
}

/** The folder of a task's unit files. */
export function unitDir(taskDir: string): string {
  return join(taskDir, 'units');
}

/** The file of one unit ('hh/seed0/lf1000' → units/seed0-lf1000.json). */
export function unitFile(taskDir: string, unit: Unit): string {
  return join(unitDir(taskDir), `${unit.id.split('/').slice(1).join('-')}.json`);
}

function replacer(_key: string, v: unknown): unknown {
  if (v instanceof Float64Array) return { f64: Array.from(v, encodeNumber) };
  return typeof v === 'number' ? encodeNumber(v) : v;
}

function encodeNumber(v: number): number | string {
  return Number.isFinite(v) ? v : String(v);
}

function reviver(_key: string, v: unknown): unknown {
  if (typeof v === 'string' && (v === 'NaN' || v === 'Infinity' || v === '-Infinity')) return Number(v);
  if (v && typeof v === 'object' && 'f64' in v && Array.isArray((v as { f64: unknown[] }).f64)) {
    return Float64Array.from((v as { f64: (number | string)[] }).f64, Number);
  }
  return v;
}

/**
 * Writes a unit's results atomically, with the hash of the settings they were made with and the
 * unit's wall-clock seconds.
 */
export function writeUnitFile(taskDir: string, unit: Unit, result: UnitResult | ReferenceResult, configHash: string, time: UnitTime): void {
  ensureDir(unitDir(taskDir));
  const data = 'posteriors' in result ? { ...result, posteriors: [], samples: undefined } : result;
  const doc = { version: UNIT_FILE_VERSION, unit, configHash, seconds: time.seconds, cpuSeconds: time.cpuSeconds, result: data };
  writeFileAtomic(unitFile(taskDir, unit), `${JSON.stringify(doc, replacer)}\n`);
}

/** Wall-clock and CPU seconds of a unit (CPU: this process and its simulation threads). */
export interface UnitTime {
  seconds: number;
  cpuSeconds: number;
}

/** Starts a unit's clock; the returned function reads it. */
export function unitClock(): () => UnitTime {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 };
  };
}

/** Reads a unit's results made with the settings of `configHash` (an Error naming the file otherwise). */
export function readUnitFile<T extends UnitResult | ReferenceResult>(taskDir: string, unit: Unit, configHash: string): T {
  const path = unitFile(taskDir, unit);
  if (!existsSync(path)) throw new Error(`unit ${unit.id} has no results in ${path}: run it first (mfnpe experiment --unit ${unit.id})`);
  const doc = JSON.parse(readFileSync(path, 'utf8'), reviver) as { version: number; unit: Unit; configHash: string; result: T };
  if (doc.version !== UNIT_FILE_VERSION || doc.unit.id !== unit.id) throw new Error(`${path} is not a version-${UNIT_FILE_VERSION} result of unit ${unit.id}`);
  if (doc.configHash !== configHash) throw new Error(`${path} was made with other settings than ${taskDir}/config.json: rerun unit ${unit.id}`);
  return doc.result;
}

/** The recorded wall-clock and process CPU seconds of a unit's run (for checking plan estimates). */
export function unitSeconds(taskDir: string, unit: Unit): UnitTime {
  const doc = JSON.parse(readFileSync(unitFile(taskDir, unit), 'utf8')) as UnitTime;
  return { seconds: doc.seconds, cpuSeconds: doc.cpuSeconds };
}

/** The folder of a task's saved posterior samples (`sequential.saveSamples`). */
export function samplesDir(taskDir: string): string {
  return join(taskDir, 'samples');
}

/**
 * Writes a unit's saved posterior samples, `<method>-lf<n_lf>-hf<n_hf>-seed<seed>-obs<k>.csv`, and
 * the reference samples at the same observations, `reference-obs<k>.csv` (θ columns named
 * `thetaNames`), each atomically; a reference file another unit wrote is left as it is (its content
 * is the same).
 */
export function writeSampleFiles(taskDir: string, result: UnitResult, refSamples: readonly Float64Array[], thetaNames: readonly string[]): void {
  if (!result.samples?.length) return;
  const dir = samplesDir(taskDir);
  ensureDir(dir);
  const D = thetaNames.length;
  const csv = (a: Float64Array) => `${csvHeader(thetaNames)}${csvRows(a, D)}`;
  for (const s of result.samples) {
    const ref = join(dir, `reference-obs${s.unit}.csv`);
    if (!existsSync(ref)) writeFileAtomic(ref, csv(refSamples[s.unit]));
    const k = s.key;
    writeFileAtomic(join(dir, `${k.method}-lf${k.n_lf}-hf${k.n_hf}-seed${k.seed}-obs${s.unit}.csv`), csv(s.samples));
  }
}
