/**
 * `mfnpe simulate`: many simulations of the stochastic HH neuron, one CSV (or Arrow) row of
 * θ and summary statistics per simulation.
 *
 *   mfnpe simulate --fidelity hf|mf|lf --theta G_NA,G_K,G_L --reps N [--seed S] [--workers W] [--out FILE]
 *   mfnpe simulate --fidelity hf|mf|lf --prior --n N [--seed S] [--workers W] [--out FILE]
 *
 * Row i uses the random stream (seed, i); for --prior θ_i is drawn first from that stream. With
 * --out, rows are checkpointed beside FILE so an interrupted run resumes when rerun identically.
 * With --shard i/k only the indices of shard i are simulated, into a shard file (see data/shard.ts).
 */
import { getBool, getString, parseArgs, parseCount, parseSeed, type Parsed } from './args.js';
import { exitQuietlyOnClosedStdout, parseFidelity, parseFormat, parsePurpose, parseTheta } from './common.js';
import { checkWritable } from '../data/atomic.js';
import { AtomicWriter } from '../data/atomic.js';
import { RowCheckpoint } from '../data/checkpoint.js';
import { csvHeader, csvRows } from '../data/csv.js';
import { Progress } from '../data/progress.js';
import { makeTable } from '../data/table.js';
import { BATCH_COLUMNS, ROW_WIDTH, defaultWorkers, jobPriorBounds, runBatch, type BatchJob } from '../simulators/batch.js';
import { DEFAULT_HH_CONFIG } from '../simulators/config.js';
import { csvShardLine, encodeShardHeader, parseShard, type ShardHeader, type ShardSpec } from '../data/shard.js';
import { SIMULATOR_VERSION } from '../simulators/version.js';
import { InputError } from '../errors.js';
import { tableToArrowBytes, writeArrow } from '../data/arrow.js';
import { purposeOffset } from '../random.js';

export const help = `mfnpe simulate: simulate the stochastic Hodgkin–Huxley neuron; one row of θ and summary statistics per simulation

usage:
  mfnpe simulate --fidelity hf|mf|lf --theta G_NA,G_K,G_L --reps N [--seed S] [--purpose train|test] [--workers W] [--out FILE] [--shard I/K]
  mfnpe simulate --fidelity hf|mf|lf --prior --n N [--seed S] [--purpose train|test] [--workers W] [--out FILE] [--shard I/K]

options:
  --fidelity hf|mf|lf  hf: Markov-chain channels simulated exactly (Gillespie); mf: the same channels in the
                       diffusion (Langevin) approximation; lf: deterministic gates + voltage noise
  --theta A,B,C        fixed conductances ḡ_Na, ḡ_K, ḡ_L in mS/cm² (with --reps N: N independent simulations)
  --prior              draw θ from the prior U([50,200]×[20,100]×[0.1,1.0]) (with --n N: N draws)
  --seed S             integer seed (default 0); simulation i uses stream (S, i), whatever the workers
  --purpose train|test training data (default: streams (S, i)) or a held-out test set (streams (S, 2⁴⁰ + i),
                       disjoint from every training stream of any seed's first 2⁴⁰ simulations)
  --workers W          worker threads (default: all cores)
  --out FILE           output file (default: stdout); written atomically. An interrupted run with --out
                       resumes where it stopped when rerun with the same arguments (FILE.partial, FILE.partial.json)
  --format csv|arrow   output format (default: from the extension, .arrow/.feather → Arrow IPC; else CSV)
  --quiet              no progress on stderr
  --chunk K            simulations per work unit sent to a worker (default: up to 4 HF / 16 MF / 32 LF, shrinking
                       towards the end); the output does not depend on it
  --shard I/K          only shard I of K (0-based, I = 0 … K−1): simulation indices [⌊I·N/K⌋, ⌊(I+1)·N/K⌋),
                       with the whole run's streams, in a shard file that names the run; \`mfnpe merge\`
                       joins the K shard files into the unsharded run's file, byte for byte

output columns: g_na,g_k,g_l,n_spikes,mean_rest,std_rest,mean_stim
  (conductances mS/cm²; n_spikes = upward crossings of 0 mV; mean_rest/std_rest = mean/std of V over
   t < 10 ms, mV; mean_stim = mean of V over 10 ≤ t < 30 ms, mV)`;

const SPEC = {
  fidelity: 'string',
  theta: 'string',
  reps: 'string',
  prior: 'boolean',
  n: 'string',
  seed: 'string',
  workers: 'string',
  out: 'string',
  format: 'string',
  quiet: 'boolean',
  chunk: 'string',
  shard: 'string',
  purpose: 'string',
} as const;

/** A fully validated simulate request. */
export interface SimulateRequest {
  job: BatchJob;
  n: number;
  workers: number;
  /** True when --workers was given (the pool is used even for small batches). */
  workersExplicit: boolean;
  out: string | undefined;
  format: 'csv' | 'arrow';
  quiet: boolean;
  chunk?: number;
  /** --shard i/k: simulate only this shard's indices. */
  shard?: ShardSpec;
}

/** Parses and validates argv; throws InputError (exit 2) on any problem, before any work is done. */
export function parseSimulate(argv: string[]): SimulateRequest {
  const p: Parsed = parseArgs(argv, SPEC, 'simulate');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'simulate' (see mfnpe simulate --help)`);
  const fidelity = parseFidelity(p);
  const thetaText = getString(p, 'theta');
  const prior = getBool(p, 'prior');
  if (thetaText !== undefined && prior) throw new InputError('give either --theta or --prior, not both');
  if (thetaText === undefined && !prior) throw new InputError('missing --theta G_NA,G_K,G_L (with --reps N) or --prior (with --n N)');
  let n: number;
  let theta: number[] | null = null;
  if (prior) {
    if (p.flags.has('reps')) throw new InputError('--reps goes with --theta; use --n with --prior');
    const nText = getString(p, 'n');
    if (nText === undefined) throw new InputError('missing --n N (number of prior draws)');
    n = parseCount(nText, '--n');
  } else {
    if (p.flags.has('n')) throw new InputError('--n goes with --prior; use --reps with --theta');
    const r = getString(p, 'reps');
    if (r === undefined) throw new InputError('missing --reps N (number of simulations at --theta)');
    n = parseCount(r, '--reps');
    theta = Array.from(parseTheta(thetaText!, fidelity));
  }
  const seed = parseSeed(getString(p, 'seed'));
  const wText = getString(p, 'workers');
  const workers = wText === undefined ? defaultWorkers() : parseCount(wText, '--workers');
  const cText = getString(p, 'chunk');
  const chunk = cText === undefined ? undefined : parseCount(cText, '--chunk');
  const outText = getString(p, 'out');
  const out = outText === undefined || outText === '-' ? undefined : outText;
  const format = parseFormat(p, out);
  const sText = getString(p, 'shard');
  const shard = sText === undefined ? undefined : parseShard(sText, n);
  if (out !== undefined) checkWritable(out);
  const purpose = parsePurpose(p);
  const job: BatchJob = purpose === 'test' ? { fidelity, seed, theta, offset: purposeOffset(purpose) } : { fidelity, seed, theta };
  return { job, n, workers, workersExplicit: wText !== undefined, out, format, quiet: getBool(p, 'quiet'), chunk, shard };
}

/** The identity of a run for its checkpoint: a resumed run must match all of it. */
function checkpointArgs(r: SimulateRequest): unknown {
  const { low, high } = jobPriorBounds(r.job);
  return {
    kind: 'mfnpe simulate',
    version: 1,
    simulator_version: SIMULATOR_VERSION,
    fidelity: r.job.fidelity,
    theta: r.job.theta,
    n: r.n,
    seed: r.job.seed,
    prior_low: r.job.theta === null ? low : null,
    prior_high: r.job.theta === null ? high : null,
    config: r.job.cfg ?? DEFAULT_HH_CONFIG,
    ...(r.job.offset ? { offset: r.job.offset } : {}),
    ...(r.shard ? { shard: [r.shard.index, r.shard.count] } : {}),
  };
}

/** Provenance stored in Arrow metadata. */
function provenance(r: SimulateRequest): Record<string, string> {
  const { low, high } = jobPriorBounds(r.job);
  const m: Record<string, string> = {
    fidelity: r.job.fidelity,
    simulator_version: String(SIMULATOR_VERSION),
    seed: String(r.job.seed),
    n: String(r.n),
    mode: r.job.theta === null ? 'prior' : 'theta',
    config: JSON.stringify(r.job.cfg ?? DEFAULT_HH_CONFIG),
  };
  if (r.job.offset) m.purpose = 'test';
  if (r.job.theta) m.theta = r.job.theta.join(',');
  else {
    m.prior_low = low.join(',');
    m.prior_high = high.join(',');
  }
  return m;
}

/** The shard header of a --shard run: the run's identity (what defines its data) and the shard. */
function shardHeader(r: SimulateRequest, shard: ShardSpec): ShardHeader {
  return { ...shard, n: r.n, run: { command: 'simulate', format: r.format, simulator_version: SIMULATOR_VERSION, ...provenance(r) } };
}

/** Arrow metadata of the output: the provenance, and the shard header for a shard. */
function arrowMetadata(r: SimulateRequest): Record<string, string> {
  return r.shard ? { ...provenance(r), shard: encodeShardHeader(shardHeader(r, r.shard)) } : provenance(r);
}

/** What precedes the rows of a CSV output: the shard line (shards only), then the column header. */
function csvHead(r: SimulateRequest): string {
  return (r.shard ? csvShardLine(shardHeader(r, r.shard)) : '') + csvHeader(BATCH_COLUMNS);
}

export interface SimulateHooks {
  /** Tests: stop (as if killed) once at least this many rows are checkpointed, leaving the checkpoint. */
  stopAfterRows?: number;
}

/** Thrown by the stopAfterRows hook. */
export class SimulatedInterruption extends Error {}

/** What every path of a run shares: indices [first, end) are simulated (the whole run, or one shard of it). */
interface RunRange {
  label: string;
  batchOpts: { workers: number; forcePool: boolean; chunkSize: number | undefined };
  first: number;
  end: number;
  rowsOut: number;
}

/** The range and batch options of a validated request. */
function runRange(r: SimulateRequest): RunRange {
  const first = r.shard?.start ?? 0;
  const end = r.shard?.end ?? r.n;
  return {
    label: `simulate ${r.job.fidelity}`,
    batchOpts: { workers: r.workers, forcePool: r.workersExplicit && r.workers > 1, chunkSize: r.chunk },
    first,
    end,
    rowsOut: end - first,
  };
}

/** Runs a validated request: simulations, progress, checkpoint, atomic output. */
export async function executeSimulate(r: SimulateRequest, hooks: SimulateHooks = {}): Promise<{ events: number; resumedFrom: number }> {
  const range = runRange(r);
  if (r.out === undefined) return simulateToStdout(r, range);
  return simulateToFile(r, r.out, range, hooks);
}

/** stdout: stream rows in order as chunks complete (CSV), or collect (Arrow, written at the end). */
async function simulateToStdout(r: SimulateRequest, range: RunRange): Promise<{ events: number; resumedFrom: number }> {
  const { label, batchOpts, first, end, rowsOut } = range;
  exitQuietlyOnClosedStdout();
  const progress = new Progress(label, rowsOut, { quiet: r.quiet, unit: 'sims' });
  const arrowRows = r.format === 'arrow' ? new Float64Array(rowsOut * ROW_WIDTH) : null;
  if (!arrowRows) process.stdout.write(csvHead(r));
  try {
    const res = await runBatch(r.job, end, {
      ...batchOpts,
      from: first,
      onProgress: (k) => progress.tick(k),
      onRows: (s, rows) => {
        if (arrowRows) arrowRows.set(rows, (s - first) * ROW_WIDTH);
        else process.stdout.write(csvRows(rows, ROW_WIDTH));
      },
    });
    progress.finish();
    if (arrowRows) {
      process.stdout.write(tableToArrowBytes(makeTable(BATCH_COLUMNS, arrowRows), arrowMetadata(r)));
    }
    return { events: res.events, resumedFrom: 0 };
  } catch (e) {
    progress.abort();
    throw e;
  }
}

/** --out FILE: rows go to a checkpoint beside FILE (resumed if there is one), then FILE is written from it. */
async function simulateToFile(r: SimulateRequest, out: string, range: RunRange, hooks: SimulateHooks): Promise<{ events: number; resumedFrom: number }> {
  const cp = RowCheckpoint.open(out, ROW_WIDTH, checkpointArgs(r));
  const resumedFrom = cp.rowsDone;
  if (resumedFrom > 0 && !r.quiet) process.stderr.write(`mfnpe: resuming ${out} at row ${resumedFrom} of ${range.rowsOut} (checkpoint ${out}.partial)\n`);
  const events = await simulateIntoCheckpoint(r, cp, range, hooks);
  try {
    writeFromCheckpoint(r, cp, out, range.rowsOut);
  } catch (e) {
    cp.close();
    throw e;
  }
  cp.remove();
  return { events, resumedFrom };
}

/**
 * Simulates the rows the checkpoint lacks into it, with progress and Ctrl-C handling; returns the HF
 * events. On failure the checkpoint is kept for an interruption, removed for an error (it would recur).
 */
async function simulateIntoCheckpoint(r: SimulateRequest, cp: RowCheckpoint, range: RunRange, hooks: SimulateHooks): Promise<number> {
  const { label, batchOpts, first, end, rowsOut } = range;
  const resumedFrom = cp.rowsDone;
  const progress = new Progress(label, rowsOut, { quiet: r.quiet, unit: 'sims', already: resumedFrom });
  // Ctrl-C: the checkpoint holds whole rows at every event-loop turn (rows are appended
  // synchronously), so stop at once and say how to continue.
  const onSigint = () => {
    progress.abort();
    process.stderr.write(`\nmfnpe: interrupted after ${cp.rowsDone} of ${rowsOut} rows; rerun the same command to resume\n`);
    process.exit(130);
  };
  process.once('SIGINT', onSigint);
  try {
    const res = await runBatch(r.job, end, {
      ...batchOpts,
      from: first + resumedFrom,
      onProgress: (k) => progress.tick(k),
      onRows: (_s, rows) => {
        cp.append(rows);
        if (hooks.stopAfterRows !== undefined && cp.rowsDone >= hooks.stopAfterRows && cp.rowsDone < rowsOut) {
          throw new SimulatedInterruption(`interrupted after ${cp.rowsDone} rows`);
        }
      },
    });
    process.removeListener('SIGINT', onSigint);
    progress.finish();
    return res.events;
  } catch (e) {
    process.removeListener('SIGINT', onSigint);
    progress.abort();
    if (e instanceof SimulatedInterruption) cp.close();
    else cp.remove(); // a failure (not an interruption) would recur: do not keep a checkpoint of it
    throw e;
  }
}

/** Writes FILE atomically from the complete checkpoint (`rowsOut` rows), as Arrow or CSV. */
function writeFromCheckpoint(r: SimulateRequest, cp: RowCheckpoint, out: string, rowsOut: number): void {
  if (r.format === 'arrow') {
    const all = new Float64Array(rowsOut * ROW_WIDTH);
    for (const { start, rows } of cp.read()) all.set(rows, start * ROW_WIDTH);
    writeArrow(out, makeTable(BATCH_COLUMNS, all), arrowMetadata(r));
    return;
  }
  const w = new AtomicWriter(out);
  try {
    w.write(csvHead(r));
    for (const { rows } of cp.read()) w.write(csvRows(rows, ROW_WIDTH));
    w.commit();
  } catch (e) {
    w.abort();
    throw e;
  }
}

export async function run(argv: string[]): Promise<void> {
  await executeSimulate(parseSimulate(argv));
}
