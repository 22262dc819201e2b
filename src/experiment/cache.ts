/**
 * Simulation cache of the experiment: one Arrow file per (task, purpose, fidelity, seed), holding
 * the first N simulations of the streams (seed, offset + i), i = 0..N−1.
 *
 * Because simulation i depends only on its stream, a budget n ≤ N is the prefix [0, n) of the file
 * (nested budgets: the 50-simulation training set is the start of the 1000-simulation one), and a
 * larger request simulates only the missing tail [N, n) and appends it. The file's metadata keeps
 * the offset and the wall-clock seconds spent simulating, so the cost of any prefix is known even
 * when the data came from an earlier run.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readArrow, writeArrow } from '../data/arrow.js';
import { makeTable } from '../data/table.js';
import type { Fidelity } from '../simulators/fidelity.js';
import { SIMULATOR_VERSION } from '../simulators/version.js';
import { sampleJointWithProgress } from '../tasks/sample-joint.js';
import type { Task } from '../tasks/task.js';

/** A request to the simulation cache: which task streams, for what purpose, and how many simulations. */
export interface CacheRequest {
  /** Cache root (default 'data'). */
  dir: string;
  /** What the simulations are for: 'train', 'test', 'reference'… (part of the file name). */
  purpose: string;
  fidelity: Fidelity;
  seed: number;
  /** First stream index (e.g. STREAM_OFFSET.test for test sets). */
  offset: number;
  /** Number of simulations wanted. */
  n: number;
  workers?: number;
  quiet?: boolean;
}

/** Pairs from the cache with the simulation time attributed to them. */
export interface CachedPairs {
  theta: Float64Array;
  x: Float64Array;
  /** Wall-clock seconds attributed to these n simulations (n × the file's mean seconds per simulation). */
  seconds: number;
  /** Mean wall-clock seconds per simulation in the file (all workers together). */
  secondsPerSim: number;
  /**
   * Mean CPU seconds per simulation in the file (all worker threads; files written before CPU time
   * was recorded give their wall-clock seconds).
   */
  cpuSecondsPerSim: number;
  /** Simulations run now (0 when everything came from the cache). */
  simulatedNow: number;
  path: string;
}

/**
 * The key of a task's simulator: a hash of its settings and of the simulator code version
 * (src/simulators/version.ts), so a changed simulator writes to new cache files.
 */
export function simulatorKey(task: Task): string {
  return textKey(JSON.stringify({ task: task.name, config: task.simulatorConfig ?? null, version: SIMULATOR_VERSION }));
}

/** A short key of a settings text for file and folder names: the first `length` hex digits of its SHA-256. */
export function textKey(text: string, length = 12): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** The cache file of a request. */
export function cachePath(task: Task, r: Pick<CacheRequest, 'dir' | 'purpose' | 'fidelity' | 'seed'>): string {
  return join(r.dir, task.name, `${r.purpose}-${r.fidelity}-seed${r.seed}-sim${simulatorKey(task)}.arrow`);
}

/** Pairs held in a cache file: n rows of θ (n × thetaDim) and x (n × xDim), and the wall-clock seconds spent simulating them. */
interface CacheContents {
  theta: Float64Array;
  x: Float64Array;
  n: number;
  seconds: number;
  cpuSeconds: number;
}

/** The contents of the request's cache file (empty when there is none); throws when the file belongs to other streams. */
function readCache(task: Task, r: CacheRequest, path: string): CacheContents {
  const D = task.thetaDim;
  const C = task.xDim;
  if (!existsSync(path)) return { theta: new Float64Array(0), x: new Float64Array(0), n: 0, seconds: 0, cpuSeconds: 0 };
  const t = readArrow(path);
  const m = t.metadata;
  const ok = m.task === task.name && m.fidelity === r.fidelity && Number(m.seed) === r.seed && Number(m.offset) === r.offset && t.columns.length === D + C;
  if (!ok) throw new Error(`simulation cache ${path} does not match (task ${task.name}, ${r.fidelity}, seed ${r.seed}, offset ${r.offset}); delete it`);
  const n = t.nRows;
  const theta = new Float64Array(n * D);
  const x = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) theta[i * D + j] = t.data[i * (D + C) + j];
    for (let j = 0; j < C; j++) x[i * C + j] = t.data[i * (D + C) + D + j];
  }
  const seconds = Number(m.seconds) || 0;
  return { theta, x, n, seconds, cpuSeconds: m.cpu_seconds === undefined ? seconds : Number(m.cpu_seconds) || 0 };
}

/** `a` followed by `b` in a new array of length `length`. */
function concat(a: Float64Array, b: Float64Array, length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * `cached` extended to r.n pairs by simulating the missing streams (offset + cached.n …), the seconds
 * including this simulation's wall-clock and CPU time (the process's, worker threads included).
 */
async function simulateTail(task: Task, r: CacheRequest, cached: CacheContents): Promise<CacheContents> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const more = await sampleJointWithProgress(task, r.n - cached.n, r.seed, {
    fidelity: r.fidelity,
    offset: r.offset + cached.n,
    workers: r.workers,
    quiet: r.quiet,
    label: `simulate ${task.name} ${r.fidelity.toUpperCase()} (${r.purpose}, seed ${r.seed})`,
  });
  const seconds = cached.seconds + (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpuSeconds = cached.cpuSeconds + (c.user + c.system) / 1e6;
  return { theta: concat(cached.theta, more.theta, r.n * task.thetaDim), x: concat(cached.x, more.x, r.n * task.xDim), n: r.n, seconds, cpuSeconds };
}

/** Writes `all` to the request's cache file (rows θ then x, with the streams and seconds in the metadata). */
function writeCache(task: Task, r: CacheRequest, path: string, all: CacheContents): void {
  const D = task.thetaDim;
  const C = task.xDim;
  mkdirSync(join(r.dir, task.name), { recursive: true });
  const data = new Float64Array(all.n * (D + C));
  for (let i = 0; i < all.n; i++) {
    data.set(all.theta.subarray(i * D, (i + 1) * D), i * (D + C));
    data.set(all.x.subarray(i * C, (i + 1) * C), i * (D + C) + D);
  }
  writeArrow(path, makeTable([...task.thetaNames, ...task.xNames], data), {
    task: task.name,
    fidelity: r.fidelity,
    seed: String(r.seed),
    offset: String(r.offset),
    purpose: r.purpose,
    simulator: simulatorKey(task),
    simulator_version: String(SIMULATOR_VERSION),
    seconds: String(all.seconds),
    cpu_seconds: String(all.cpuSeconds),
  });
}

/** The first `n` pairs of the request's streams, from the cache, simulating (and appending) what is missing. */
export async function cachedJoint(task: Task, r: CacheRequest): Promise<CachedPairs> {
  const path = cachePath(task, r);
  let all = readCache(task, r, path);
  let simulatedNow = 0;
  if (all.n < r.n) {
    simulatedNow = r.n - all.n;
    all = await simulateTail(task, r, all);
    writeCache(task, r, path, all);
  }
  const secondsPerSim = all.n > 0 ? all.seconds / all.n : 0;
  const cpuSecondsPerSim = all.n > 0 ? all.cpuSeconds / all.n : 0;
  return {
    theta: all.theta.slice(0, r.n * task.thetaDim),
    x: all.x.slice(0, r.n * task.xDim),
    seconds: secondsPerSim * r.n,
    secondsPerSim,
    cpuSecondsPerSim,
    simulatedNow,
    path,
  };
}
