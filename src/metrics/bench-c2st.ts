/**
 * C2ST speed and agreement benchmark: our TensorFlow.js C2ST against scikit-learn's (sbibm's
 * settings, scripts/c2st-sklearn.py run with /usr/bin/python3) on identical CSV files.
 * Cases: same 3-D Gaussian, means 1 apart (3-D), for 10³ and 10⁴ samples per side; the two halves
 * of a public reference sample (two_moons); and a 10-D case where the approximation is slightly too
 * wide (gaussian_linear reference vs its exact posterior with the sd × 1.2).
 * Times are medians over `repeats` runs; our time covers the C2ST computation (no process start).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { tableToCsv } from '../data/csv.js';
import { readCsv } from '../data/csv.js';
import { makeTable } from '../data/table.js';
import { median } from '../numeric.js';
import { Rng } from '../random.js';
import { c2stDetailed, type C2stOptions } from './c2st.js';

export interface BenchC2stRow {
  name: string;
  n: number;
  dim: number;
  ours: { accuracy: number; seconds: number; epochs: number };
  oursSbibm?: { accuracy: number; seconds: number; epochs: number };
  sklearn?: { accuracy: number; seconds: number; epochs: number };
}

export interface BenchC2stOptions {
  /** Sample sizes per side for the Gaussian cases (default [1000, 10000]). */
  sizes?: number[];
  repeats?: number;
  /** Also run scikit-learn when /usr/bin/python3 has it (default true). */
  sklearn?: boolean;
  /** Also run our C2ST with sbibm's stopping rule up to this many samples per side (default 1000). */
  sbibmUpTo?: number;
  /** Directory holding test/data/sbibm (for the public-reference cases); skipped when absent. */
  dataDir?: string;
  /** scripts/c2st-sklearn.py. */
  sklearnScript?: string;
  log?: (line: string) => void;
}

function gaussians(n: number, d: number, shift: number, seed: number): Float64Array {
  const r = new Rng(seed);
  const a = r.normals(n * d);
  for (let i = 0; i < n; i++) a[i * d] += shift;
  return a;
}

function writeSamples(path: string, a: Float64Array, d: number): void {
  writeFileSync(
    path,
    tableToCsv(
      makeTable(
        Array.from({ length: d }, (_, j) => `v${j + 1}`),
        a,
      ),
    ),
  );
}

export function sklearnAvailable(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  return spawnSync('/usr/bin/python3', ['-c', 'import sklearn'], { encoding: 'utf8' }).status === 0;
}

function runSklearn(script: string, a: string, b: string, seed: number): { accuracy: number; seconds: number; epochs: number } {
  const r = spawnSync('/usr/bin/python3', [script, a, b, '--seed', String(seed), '--verbose'], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`scikit-learn C2ST failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  const seconds = Number(/seconds ([0-9.]+)/.exec(r.stdout)?.[1]);
  const ep = /epochs \[([0-9, ]+)\]/.exec(r.stdout)?.[1] ?? '';
  const epochs = ep.split(',').reduce((s, v) => s + Number(v), 0);
  return { accuracy: Number(lines[lines.length - 1]), seconds, epochs };
}

async function runOurs(A: Float64Array, B: Float64Array, d: number, seed: number, opts: C2stOptions) {
  const r = await c2stDetailed(A, B, d, { seed, ...opts });
  return { accuracy: r.accuracy, seconds: r.seconds, epochs: r.epochs.reduce((s, v) => s + v, 0) };
}

/** Runs the benchmark; returns one row per case (medians over repeats; accuracies of the last run). */
export async function benchC2st(opts: BenchC2stOptions = {}): Promise<BenchC2stRow[]> {
  const log = opts.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const sizes = opts.sizes ?? [1000, 10000];
  const repeats = opts.repeats ?? 3;
  const useSk = (opts.sklearn ?? true) && opts.sklearnScript !== undefined && sklearnAvailable();
  const sbibmUpTo = opts.sbibmUpTo ?? 1000;
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-bench-c2st-'));
  const cases: { name: string; A: Float64Array; B: Float64Array; d: number }[] = [];
  for (const n of sizes) {
    cases.push({ name: 'same 3-D Gaussian', A: gaussians(n, 3, 0, 101), B: gaussians(n, 3, 0, 102), d: 3 });
    cases.push({ name: 'mean shift δ=1 (3-D)', A: gaussians(n, 3, 0, 103), B: gaussians(n, 3, 1, 104), d: 3 });
  }
  if (opts.dataDir && existsSync(join(opts.dataDir, 'two_moons'))) {
    const tm = readCsv(join(opts.dataDir, 'two_moons', 'num_observation_1', 'reference_posterior_samples.csv')).data;
    cases.push({ name: 'two_moons reference halves', A: tm.subarray(0, tm.length / 2), B: tm.subarray(tm.length / 2), d: 2 });
    const gl = readCsv(join(opts.dataDir, 'gaussian_linear', 'num_observation_1', 'reference_posterior_samples.csv')).data;
    const x = readCsv(join(opts.dataDir, 'gaussian_linear', 'num_observation_1', 'observation.csv')).data;
    const r = new Rng(105);
    const wide = new Float64Array(gl.length);
    for (let i = 0; i < gl.length / 10; i++) for (let j = 0; j < 10; j++) wide[i * 10 + j] = 0.5 * x[j] + 1.2 * Math.sqrt(0.05) * r.normal();
    cases.push({ name: 'gaussian_linear ref vs sd×1.2 (10-D)', A: gl, B: wide, d: 10 });
  }
  const rows: BenchC2stRow[] = [];
  for (const c of cases) {
    const n = c.A.length / c.d;
    const fa = join(dir, `a-${rows.length}.csv`);
    const fb = join(dir, `b-${rows.length}.csv`);
    writeSamples(fa, c.A, c.d);
    writeSamples(fb, c.B, c.d);
    // Round-trip through the CSV so that both implementations see the same numbers.
    const A = readCsv(fa).data;
    const B = readCsv(fb).data;
    const ours: { accuracy: number; seconds: number; epochs: number }[] = [];
    const sk: typeof ours = [];
    const sb: typeof ours = [];
    for (let k = 0; k < repeats; k++) {
      ours.push(await runOurs(A, B, c.d, k + 1, {}));
      if (n <= sbibmUpTo) sb.push(await runOurs(A, B, c.d, k + 1, { stopping: 'sbibm' }));
      if (useSk) sk.push(runSklearn(opts.sklearnScript!, fa, fb, k + 1));
    }
    const summary = (a: typeof ours) => ({
      accuracy: median(a.map((r) => r.accuracy)),
      seconds: median(a.map((r) => r.seconds)),
      epochs: median(a.map((r) => r.epochs)),
    });
    const row: BenchC2stRow = { name: c.name, n, dim: c.d, ours: summary(ours) };
    if (sb.length) row.oursSbibm = summary(sb);
    if (sk.length) row.sklearn = summary(sk);
    rows.push(row);
    const f = (r?: { accuracy: number; seconds: number }) => (r ? `${r.accuracy.toFixed(4)} in ${r.seconds.toFixed(2)} s` : '—');
    log(
      `${c.name}, ${n} vs ${n}: ours ${f(row.ours)}; ours (sbibm stopping) ${f(row.oursSbibm)}; scikit-learn ${f(row.sklearn)}; load ${loadavg()[0].toFixed(1)}`,
    );
  }
  return rows;
}
