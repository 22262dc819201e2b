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
  /** Simulations run now (0 when everything came from the cache). */
  simulatedNow: number;
  path: string;
}

/**
 * The key of a task's simulator: a hash of its settings and of the simulator code version
 * (src/simulators/version.ts), so a changed simulator writes to new cache files.
 */
export function simulatorKey(task: Task): string {
  const text = JSON.stringify({ task: task.name, config: task.simulatorConfig ?? null, version: SIMULATOR_VERSION });
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}

/** The cache file of a request. */
export function cachePath(task: Task, r: Pick<CacheRequest, 'dir' | 'purpose' | 'fidelity' | 'seed'>): string {
  return join(r.dir, task.name, `${r.purpose}-${r.fidelity}-seed${r.seed}-sim${simulatorKey(task)}.arrow`);
}

/** The first `n` pairs of the request's streams, from the cache, simulating (and appending) what is missing. */
export async function cachedJoint(task: Task, r: CacheRequest): Promise<CachedPairs> {
  const D = task.thetaDim;
  const C = task.xDim;
  const path = cachePath(task, r);
  let theta = new Float64Array(0);
  let x = new Float64Array(0);
  let have = 0;
  let seconds = 0;
  if (existsSync(path)) {
    const t = readArrow(path);
    const m = t.metadata;
    const ok = m.task === task.name && m.fidelity === r.fidelity && Number(m.seed) === r.seed && Number(m.offset) === r.offset && t.columns.length === D + C;
    if (!ok) throw new Error(`simulation cache ${path} does not match (task ${task.name}, ${r.fidelity}, seed ${r.seed}, offset ${r.offset}); delete it`);
    have = t.nRows;
    seconds = Number(m.seconds) || 0;
    theta = new Float64Array(have * D);
    x = new Float64Array(have * C);
    for (let i = 0; i < have; i++) {
      for (let j = 0; j < D; j++) theta[i * D + j] = t.data[i * (D + C) + j];
      for (let j = 0; j < C; j++) x[i * C + j] = t.data[i * (D + C) + D + j];
    }
  }
  let simulatedNow = 0;
  if (have < r.n) {
    const need = r.n - have;
    const t0 = performance.now();
    const more = await sampleJointWithProgress(task, need, r.seed, {
      fidelity: r.fidelity,
      offset: r.offset + have,
      workers: r.workers,
      quiet: r.quiet,
      label: `simulate ${task.name} ${r.fidelity.toUpperCase()} (${r.purpose}, seed ${r.seed})`,
    });
    seconds += (performance.now() - t0) / 1000;
    const th = new Float64Array(r.n * D);
    th.set(theta);
    th.set(more.theta, have * D);
    const xx = new Float64Array(r.n * C);
    xx.set(x);
    xx.set(more.x, have * C);
    theta = th;
    x = xx;
    simulatedNow = need;
    have = r.n;
    mkdirSync(join(r.dir, task.name), { recursive: true });
    const data = new Float64Array(have * (D + C));
    for (let i = 0; i < have; i++) {
      data.set(theta.subarray(i * D, (i + 1) * D), i * (D + C));
      data.set(x.subarray(i * C, (i + 1) * C), i * (D + C) + D);
    }
    writeArrow(path, makeTable([...task.thetaNames, ...task.xNames], data), {
      task: task.name,
      fidelity: r.fidelity,
      seed: String(r.seed),
      offset: String(r.offset),
      purpose: r.purpose,
      simulator: simulatorKey(task),
      simulator_version: String(SIMULATOR_VERSION),
      seconds: String(seconds),
    });
  }
  const secondsPerSim = have > 0 ? seconds / have : 0;
  return {
    theta: theta.slice(0, r.n * D),
    x: x.slice(0, r.n * C),
    seconds: secondsPerSim * r.n,
    secondsPerSim,
    simulatedNow,
    path,
  };
}
