/**
 * Files of an experiment run (one task) in a folder:
 *   metrics.csv        method,n_lf,n_hf,seed,metric,value (one value per trained posterior and metric)
 *   units.csv          the same per test pair (nltp) or per observation (c2st, mmd): column `unit`
 *   summary.csv        mean, sd and 95 % Student-t CI over seeds per method, budget and metric, and
 *                      the CI over test units (conditional on the trained networks)
 *   paired.csv         paired differences (MF-NPE methods − NPE, other ladders − LF pre-training,
 *                      sequential methods − NPE / MF-NPE / each other over their observations): over
 *                      seeds, and over test pairs/observations (each unit's difference averaged over
 *                      seeds; conditional on the networks)
 *   costs.csv          mean per method and budget: CPU-seconds of LF, MF and HF simulation, training seconds
 *   costs-by-seed.csv  the same per seed (with epochs)
 *   run.json           config, reference posterior (kind, own NLTP), wall-clock, machine
 *   figures: {nltp,c2st,mmd}-vs-hf, nltp-vs-cost, corner, summaries-lf-hf, predictive-traces (HH), as SVG and PNG.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { backendName } from '../backend.js';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { writeFigures } from './figures.js';
import { formatSummary } from './format.js';
import { fineTunedMethod, parseLowFidelity } from './low-fidelity.js';
import { pairedDifferences, summarize } from './summary.js';
import { writeTables } from './tables.js';
import type { ExperimentResult } from './types.js';

export { formatSummary } from './format.js';
export { aggregateCosts, hfToMatchNpe, hfToMatchNpeAtObservations, type PairedRow, pairedDifferences, type SummaryRow, summarize } from './summary.js';

/** run.json: configuration, reference, timings and the machine. */
function runInfo(res: ExperimentResult, totalWallSeconds: number | undefined): Record<string, unknown> {
  return {
    task: res.task,
    config: res.config,
    reference: res.reference,
    test_sim_s: res.testSimSeconds,
    wall_s: res.wallSeconds,
    total_wall_s: totalWallSeconds,
    // CPU seconds of this process so far (all its threads, simulation workers included): on a shared
    // machine the honest measure of the work, wall-clock being inflated by the other jobs.
    process_cpu_s: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
    c2st_classifier: 'MLP, two hidden layers of 10·d ReLU units, Adam, 5-fold CV (src/metrics/c2st.ts)',
    mmd: 'unbiased squared MMD, Gaussian kernel, median bandwidth of the reference, on θ scaled by the prior box to [0, 1]',
    machine: { cpus: cpus().length, load_average_1min_at_end: loadavg()[0], node: process.version, backend: backendName() },
  };
}

/** Writes the CSVs, run.json and figures of one task's run into `dir`; returns the summary text. */
export async function writeReport(res: ExperimentResult, dir: string, opts: { totalWallSeconds?: number } = {}): Promise<string> {
  ensureDir(dir);
  const summary = summarize(res.metrics, res.units);
  const seq = res.config.sequential;
  const paired = pairedDifferences(res.metrics, res.units, seq ? fineTunedMethod(parseLowFidelity(seq.lowFidelity, 'sequential.lowFidelity')) : undefined);
  await writeTables(res, summary, paired, dir);
  writeFileAtomic(join(dir, 'run.json'), JSON.stringify(runInfo(res, opts.totalWallSeconds), null, 2) + '\n');
  if (res.config.figures) await writeFigures(res, summary, dir);
  return formatSummary(res, summary, paired);
}
