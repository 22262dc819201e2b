/**
 * Batch throughput of the simulators, for `mfnpe bench`: prior draws simulated on a warm worker pool
 * (src/simulators/batch.ts), on 1 worker and on all cores, with the speed-up and the CPU time per
 * simulation (equal on 1 and on all workers when parallelisation costs nothing).
 */
import { createPool, runBatch, type BatchJob } from './batch.js';
import type { Fidelity } from './fidelity.js';

/** Throughput of one fidelity on 1 and on `cores` workers. */
export interface BatchBench {
  n: number;
  sims_per_s_1: number;
  sims_per_s_all: number;
  speedup: number;
  cpu_ms_per_sim_1: number;
  cpu_ms_per_sim_all: number;
}

/**
 * Batch throughput of prior draws on a warm pool of `workers` threads: simulations per wall-clock
 * second, and the process CPU time (all threads) per simulation, which shows the cost of
 * parallelisation independently of other load on the machine.
 */
export async function batchThroughput(fidelity: Fidelity, n: number, workers: number): Promise<{ simsPerS: number; cpuMsPerSim: number }> {
  const pool = await createPool(workers);
  try {
    const job: BatchJob = { fidelity, seed: 777, theta: null };
    await runBatch(job, workers * 4, { pool, chunkSize: 1, onRows: () => undefined }); // warm-up: load + JIT every worker
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await runBatch(job, n, { pool, onRows: () => undefined });
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return { simsPerS: n / sec, cpuMsPerSim: (c.user + c.system) / 1000 / n };
  } finally {
    await pool.destroy();
  }
}

/**
 * Batch throughput of HF, MF and LF (in that order, `sizes[f]` prior draws each) on 1 worker and on
 * `cores` workers (the 1-worker numbers again when `cores` is 1).
 */
export async function benchBatches(sizes: Record<Fidelity, number>, cores: number): Promise<Record<Fidelity, BatchBench>> {
  const batch = {} as Record<Fidelity, BatchBench>;
  for (const fid of ['hf', 'mf', 'lf'] as const) {
    const n = sizes[fid];
    const one = await batchThroughput(fid, n, 1);
    const all = cores > 1 ? await batchThroughput(fid, n, cores) : one;
    batch[fid] = {
      n,
      sims_per_s_1: one.simsPerS,
      sims_per_s_all: all.simsPerS,
      speedup: all.simsPerS / one.simsPerS,
      cpu_ms_per_sim_1: one.cpuMsPerSim,
      cpu_ms_per_sim_all: all.cpuMsPerSim,
    };
  }
  return batch;
}
