/**
 * Batch simulation: many HH simulations (at one θ, or θ drawn from the prior), on all cores.
 *
 * Simulation i of a run with seed s draws everything from its own stream `streamRng(s, i)`: for prior
 * draws θ_i comes first from that stream, then the simulation continues on it. A row is therefore a
 * function of (job, i) alone, so the output is identical whatever the number of workers or chunking.
 *
 * Work is cut into chunks of consecutive indices (up to 4 HF, 16 MF or 32 LF simulations), sent to a piscina pool of
 * worker_threads, and handed back to the caller strictly in index order. Only a bounded window of
 * chunks is in flight or waiting, so memory stays bounded for any n (only summary rows, never traces).
 */
import { availableParallelism } from 'node:os';
import type { HHConfig } from './config.js';
import type { Fidelity } from './simulate.js';
import { simulateSummary } from './simulate.js';
import { SUMMARY_NAMES } from './summary.js';
import { hhPrior, HH_PRIOR_HIGH, HH_PRIOR_LOW, HH_PARAM_NAMES } from '../prior.js';
import { streamRng } from '../random.js';

/** Columns of a batch output row: θ then the four summary statistics. */
export const BATCH_COLUMNS: readonly string[] = [...HH_PARAM_NAMES, ...SUMMARY_NAMES];
/** Number of values per row (7). */
export const ROW_WIDTH = BATCH_COLUMNS.length;

/** What to simulate. Plain data: it is posted to worker threads as is. */
export interface BatchJob {
  fidelity: Fidelity;
  seed: number;
  /** A fixed θ = (ḡ_Na, ḡ_K, ḡ_L) in mS/cm² (`--theta … --reps`), or null for prior draws (`--prior`). */
  theta: number[] | null;
  /** Prior box for prior draws; defaults to the HH prior. */
  priorLow?: number[];
  priorHigh?: number[];
  /** Simulator configuration; defaults to DEFAULT_HH_CONFIG. */
  cfg?: HHConfig;
  /** First stream: simulation i uses stream (seed, offset + i); default 0 (training streams). */
  offset?: number;
}

/** The prior bounds a job uses (for checkpoints and file metadata). */
export function jobPriorBounds(job: BatchJob): { low: number[]; high: number[] } {
  return { low: job.priorLow ?? [...HH_PRIOR_LOW], high: job.priorHigh ?? [...HH_PRIOR_HIGH] };
}

/**
 * Simulates rows [start, end) of a job into a row-major Float64Array ((end−start) × 7).
 * Runs in the calling thread; workers call exactly this.
 */
export function simulateRows(job: BatchJob, start: number, end: number): { rows: Float64Array; events: number } {
  const n = end - start;
  const rows = new Float64Array(n * ROW_WIDTH);
  const { low, high } = jobPriorBounds(job);
  const prior = job.theta === null ? hhPrior(low, high) : null;
  const theta = new Float64Array(3);
  if (job.theta !== null) theta.set(job.theta);
  const x = new Float64Array(SUMMARY_NAMES.length);
  let events = 0;
  for (let k = 0; k < n; k++) {
    const rng = streamRng(job.seed, (job.offset ?? 0) + start + k);
    if (prior) prior.sampleOne(rng, theta);
    let r: { x: Float64Array; events: number };
    try {
      r = simulateSummary(job.fidelity, theta, rng, job.cfg, x);
    } catch (e) {
      const err = e as Error;
      err.message = `simulation ${start + k} of seed ${job.seed}: ${err.message}`;
      throw err;
    }
    events += r.events;
    const o = k * ROW_WIDTH;
    rows[o] = theta[0];
    rows[o + 1] = theta[1];
    rows[o + 2] = theta[2];
    rows.set(r.x, o + 3);
  }
  return { rows, events };
}

/** Rough single-thread cost of one simulation in ms, used to decide whether workers pay off. */
export function estimatedMsPerSim(fidelity: Fidelity): number {
  return fidelity === 'hf' ? 25 : fidelity === 'mf' ? 2 : 1;
}

/** Default chunk size: small enough to keep all workers busy to the end, large enough to amortise messages. */
export function defaultChunkSize(fidelity: Fidelity, n: number, workers: number): number {
  // HF: ≈ 25 ms per simulation, so 4 per chunk (~0.1 s) already amortises the message cost and keeps
  // the tail imbalance small; MF: ≈ 2 ms, 16 per chunk; LF: ≈ 1 ms per simulation, 32 per chunk.
  const cap = fidelity === 'hf' ? 4 : fidelity === 'mf' ? 16 : 32;
  return Math.max(1, Math.min(cap, Math.ceil(n / (8 * workers))));
}

/** Number of cores available to this process. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

export interface RunBatchOptions {
  /** Worker threads; 1 runs in the calling thread. Default: all cores. */
  workers?: number;
  /**
   * Use a worker pool (of `workers` threads, even 1) even when the batch is too small for it to pay
   * off. By default a pool is started only with more than one worker and more than ~0.3 s of work.
   */
  forcePool?: boolean;
  /** Simulations per chunk (default {@link defaultChunkSize}). */
  chunkSize?: number;
  /** First index to simulate (resumed runs); rows before it are not produced. Default 0. */
  from?: number;
  /** Receives consecutive chunks of rows in index order; may be async (it is awaited). */
  onRows: (start: number, rows: Float64Array) => void | Promise<void>;
  /** Called with the number of simulations completed (in any order), for progress. */
  onProgress?: (n: number) => void;
  /** An existing pool from {@link createPool} (kept open; benchmarks reuse a warm pool). */
  pool?: SimPool;
}

/** A piscina pool running {@link simulateRows} chunks. */
export interface SimPool {
  run(task: ChunkTask): Promise<{ rows: Float64Array; events: number }>;
  destroy(): Promise<void>;
  readonly maxThreads: number;
}

/** Starts a pool of `workers` threads (piscina), loading the worker from sources via tsx when needed. */
export async function createPool(workers: number): Promise<SimPool> {
  const { Piscina } = await import('piscina');
  const { filename, execArgv } = workerModule();
  return new Piscina<ChunkTask, { rows: Float64Array; events: number }>({
    filename,
    execArgv,
    minThreads: workers,
    maxThreads: workers,
    idleTimeout: 1000,
  });
}

export interface BatchResult {
  /** Total HF channel events (0 for LF). */
  events: number;
  /** Worker threads used (0 = everything ran in the calling thread). */
  workersUsed: number;
}

export interface ChunkTask {
  job: BatchJob;
  start: number;
  end: number;
}

/** The worker module and the flags a worker needs to load it (tsx when running from sources). */
export function workerModule(): { filename: string; execArgv: string[] } {
  const fromSource = import.meta.url.endsWith('.ts');
  return {
    filename: new URL(fromSource ? './worker.ts' : './worker.js', import.meta.url).href,
    // tsx resolved from this package, not from the working directory (which may be anywhere).
    execArgv: fromSource ? ['--import', import.meta.resolve('tsx')] : [],
  };
}

/**
 * Simulates indices [from, n) of `job` and hands rows to `onRows` in order.
 * Deterministic: the rows do not depend on `workers` or `chunkSize`.
 */
export async function runBatch(job: BatchJob, n: number, opts: RunBatchOptions): Promise<BatchResult> {
  const from = opts.from ?? 0;
  const todo = n - from;
  if (todo <= 0) return { events: 0, workersUsed: 0 };
  const cores = opts.workers ?? defaultWorkers();
  const pays = todo * estimatedMsPerSim(job.fidelity) > 300;
  const usePool = opts.pool !== undefined || Boolean(opts.forcePool) || (pays && cores > 1);
  const workers = opts.pool?.maxThreads ?? (usePool ? Math.max(1, Math.min(cores, todo)) : 1);
  if (!usePool) return { events: await runInThread(job, from, n, workers, opts), workersUsed: 0 };

  const own = opts.pool === undefined;
  const pool = opts.pool ?? (await createPool(workers));
  let events: number;
  try {
    events = await runOnPool(pool, job, from, n, workers, opts);
  } finally {
    if (own) await pool.destroy();
  }
  return { events, workersUsed: pool.maxThreads };
}

/** Simulates [from, n) in the calling thread, chunk by chunk in order; returns the HF events. */
async function runInThread(job: BatchJob, from: number, n: number, workers: number, opts: RunBatchOptions): Promise<number> {
  let events = 0;
  const chunk = opts.chunkSize ?? defaultChunkSize(job.fidelity, n - from, workers);
  let lastYield = Date.now();
  for (let s = from; s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    const r = simulateRows(job, s, e);
    events += r.events;
    opts.onProgress?.(e - s);
    await opts.onRows(s, r.rows);
    // Let the event loop run now and then (signal handlers such as Ctrl-C, stream writes).
    if (Date.now() - lastYield > 50) {
      await new Promise((resolve) => setImmediate(resolve));
      lastYield = Date.now();
    }
  }
  return events;
}

/**
 * Simulates [from, n) on `pool` (left open), handing rows over in index order; returns the HF events.
 * Chunks are submitted in index order and awaited in that order, so rows come out in order.
 * A window of chunks in flight/waiting keeps every worker busy while bounding memory. Without an
 * explicit chunk size, chunks shrink towards the end ("guided" scheduling) so the last chunks
 * finish together and no worker idles while another works through a long tail.
 */
async function runOnPool(pool: SimPool, job: BatchJob, from: number, n: number, workers: number, opts: RunBatchOptions): Promise<number> {
  let events = 0;
  const window = workers * 4;
  const cap = opts.chunkSize ?? defaultChunkSize(job.fidelity, n - from, workers);
  const queue: { start: number; promise: Promise<{ rows: Float64Array; events: number }> }[] = [];
  let next = from;
  const submit = () => {
    while (next < n && queue.length < window) {
      const s = next;
      const size = opts.chunkSize ?? Math.max(1, Math.min(cap, Math.ceil((n - s) / (2 * workers))));
      const e = Math.min(n, s + size);
      const promise = pool.run({ job, start: s, end: e });
      promise.then(
        () => opts.onProgress?.(e - s),
        () => undefined,
      );
      queue.push({ start: s, promise });
      next = e;
    }
  };
  submit();
  while (queue.length > 0) {
    const { start, promise } = queue[0];
    let r: { rows: Float64Array; events: number };
    try {
      r = await promise;
    } catch (err) {
      // Let the other in-flight chunks settle quietly before the pool is destroyed.
      for (const q of queue) q.promise.catch(() => undefined);
      throw err;
    }
    queue.shift();
    events += r.events;
    await opts.onRows(start, r.rows);
    submit();
  }
  return events;
}

/** Convenience: all rows of a (small) batch in memory, row-major n × 7. */
export async function simulateBatch(job: BatchJob, n: number, opts: Omit<RunBatchOptions, 'onRows'> = {}): Promise<{ rows: Float64Array; events: number }> {
  const rows = new Float64Array(n * ROW_WIDTH);
  const r = await runBatch(job, n, { ...opts, onRows: (s, chunk) => rows.set(chunk, s * ROW_WIDTH) });
  return { rows, events: r.events };
}
