/**
 * `mfnpe bench`: speed of the simulators (default) — ms per trace of HF, MF and LF from one run
 * (medians over interleaved traces at θ = (120, 36, 0.3)), at the default channel counts and at 10×
 * them, HF channel events per trace and ns per event, and the throughput of a batch of prior draws
 * on 1 worker and on all cores (with the speed-up).
 * `mfnpe bench train` runs the training benchmark of src/inference/bench.ts.
 *
 * Timings on a shared machine vary: the load average is printed with the results.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countFlag, parseArgs } from './args.js';
import { defaultWorkers } from '../simulators/batch.js';
import { benchSimulators, type SimBenchResult } from '../simulators/bench.js';
import { benchBatches, type BatchBench } from '../simulators/bench-batch.js';
import { benchTrain } from '../inference/bench.js';
import { benchC2st } from '../metrics/bench-c2st.js';
import type { Fidelity } from '../simulators/fidelity.js';
import { InputError } from '../errors.js';

export const help = `mfnpe bench: speed benchmarks

usage:
  mfnpe bench [--reps R] [--batch-hf N] [--batch-mf N] [--batch-lf N] [--workers W]
  mfnpe bench train [options]      training benchmark of the flow (ms per step; last line JSON)
  mfnpe bench c2st [--repeats R] [--sizes N1,N2] [--no-sklearn]
                                   C2ST speed and accuracy, ours vs scikit-learn (/usr/bin/python3 with
                                   python3-sklearn) on identical files; last line JSON

Simulator benchmark (default): single-threaded ms per trace at θ = (120, 36, 0.3) for HF, MF and LF
in one run (medians of R HF traces, default 30, and of max(R, 200) MF and LF traces, interleaved,
after warm-up), wall and CPU time; HF channel events per trace and ns per event; HF and MF again at
10× the default channel counts (channel_scale 10: HF cost grows with it, MF cost does not); then
batch throughput (prior draws, simulations per second) on 1 worker and on W workers (default: all
cores) with the speed-up. Prints a table and, last, one JSON line.

options:
  --reps R        traces per fidelity for the single-thread timing (default 30, at least 20)
  --batch-hf N    HF prior draws per batch timing (default 128)
  --batch-mf N    MF prior draws per batch timing (default 1000)
  --batch-lf N    LF prior draws per batch timing (default 4000)
  --workers W     workers for the all-core batch (default: all cores)`;

const BENCH_TRAIN_HELP = `mfnpe bench train [--reps R] [--steps S]: ms per training step of the NSF
(batch 200, θ dim 3, x dim 4, 5 transforms, 8 bins, 50 hidden; 2 and 5 hidden layers).
Reference: PyTorch + zuko, one thread: ≈ 20 ms (2 layers), ≈ 28 ms (5 layers).
Last line: JSON {"backend", "ms_per_step_2_layers", "ms_per_step_5_layers", ...}.`;

/** `mfnpe bench train`: a short table, then the JSON line. */
async function benchTrainCommand(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(BENCH_TRAIN_HELP);
    return;
  }
  const p = parseArgs(argv, { reps: 'string', steps: 'string' }, 'bench train');
  const res = await benchTrain({ reps: countFlag(p, 'reps', 7), steps: countFlag(p, 'steps', 30) });
  console.log(`backend ${res.backend}; load average ${res.load_average_1min}`);
  console.log(`2 hidden layers: ${res.ms_per_step_2_layers} ms/step wall, ${res.cpu_ms_per_step_2_layers} ms CPU (PyTorch+zuko ≈ 20 ms)`);
  console.log(`5 hidden layers: ${res.ms_per_step_5_layers} ms/step wall, ${res.cpu_ms_per_step_5_layers} ms CPU (PyTorch+zuko ≈ 28 ms)`);
  console.log(JSON.stringify(res));
}

async function benchC2stCommand(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { repeats: 'string', sizes: 'string', 'no-sklearn': 'boolean' }, 'bench c2st');
  const repeats = countFlag(p, 'repeats', 3);
  const sizesText = p.flags.get('sizes');
  const sizes =
    typeof sizesText === 'string' ? sizesText.split(',').map((v) => countFlag({ flags: new Map([['n', v]]), positionals: [] }, 'n', 1, 10)) : undefined;
  const root = fileURLToPath(new URL('../../', import.meta.url));
  const rows = await benchC2st({
    repeats,
    sizes,
    sklearn: !p.flags.has('no-sklearn'),
    sklearnScript: join(root, 'scripts', 'c2st-sklearn.py'),
    dataDir: join(root, 'test', 'data', 'sbibm'),
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(rows));
}

/** The simulator benchmark's options: single-thread traces, batch sizes per fidelity, workers. */
interface SimBenchArgs {
  reps: number;
  sizes: Record<Fidelity, number>;
  cores: number;
}

/** Parses `mfnpe bench [options]` (the simulator benchmark); throws InputError on a bad flag. */
function parseSimBench(argv: string[]): SimBenchArgs {
  const p = parseArgs(argv, { reps: 'string', 'batch-hf': 'string', 'batch-mf': 'string', 'batch-lf': 'string', workers: 'string' }, 'bench');
  if (p.positionals.length > 0) throw new InputError(`unknown bench '${p.positionals[0]}' (expected nothing, 'train' or 'c2st')`);
  const reps = countFlag(p, 'reps', 30, 20);
  const hf = countFlag(p, 'batch-hf', 128);
  const mf = countFlag(p, 'batch-mf', 1000);
  const lf = countFlag(p, 'batch-lf', 4000);
  const cores = countFlag(p, 'workers', defaultWorkers());
  return { reps, sizes: { hf, mf, lf }, cores };
}

/** The rows (label, value, remark) of the simulator benchmark's table. */
function simBenchRows(sim: SimBenchResult, batch: Record<Fidelity, BatchBench>, cores: number, load: [number, number]): [string, string, string][] {
  const f = (v: number, d = 2) => v.toFixed(d);
  const sc = sim.scaled;
  const target = cores === 2 ? 'target ≥ 1.8 on 2 cores' : '';
  return [
    [`HF ms per trace (median of ${sim.hf_traces})`, f(sim.hf_ms_median), 'C reference: node --import tsx scripts/bench-sim-vs-c.ts'],
    ['HF CPU ms per trace (median)', f(sim.hf_cpu_ms_median), 'user+system time: robust to load'],
    ['HF channel events per trace', f(sim.hf_events_per_trace, 0), 'reference ≈ 4.6e5'],
    ['HF ns per event', f(sim.hf_ns_per_event, 1), ''],
    [`MF ms per trace (median of ${sim.mf_traces})`, f(sim.mf_ms_median, 3), ''],
    ['MF CPU ms per trace (median)', f(sim.mf_cpu_ms_median, 3), ''],
    [`LF ms per trace (median of ${sim.lf_traces})`, f(sim.lf_ms_median, 3), ''],
    ['LF CPU ms per trace (median)', f(sim.lf_cpu_ms_median, 3), ''],
    ['MF / HF CPU time', f(sim.mf_over_hf, 3), 'target ≤ 1/6 = 0.167'],
    [`HF CPU ms per trace at ${sc.channel_scale}× channels (${sc.hf_traces})`, f(sc.hf_cpu_ms_median), `${f(sc.hf_events_per_trace, 0)} events`],
    [`MF CPU ms per trace at ${sc.channel_scale}× channels (${sc.mf_traces})`, f(sc.mf_cpu_ms_median, 3), ''],
    [`MF / HF CPU time at ${sc.channel_scale}× channels`, f(sc.mf_over_hf, 4), ''],
    [`HF batch sims/s, 1 worker`, f(batch.hf.sims_per_s_1, 1), ''],
    [`HF batch sims/s, ${cores} workers`, f(batch.hf.sims_per_s_all, 1), ''],
    ['HF batch speed-up', f(batch.hf.speedup), target],
    [`HF batch CPU ms per sim, 1 → ${cores} workers`, `${f(batch.hf.cpu_ms_per_sim_1)} → ${f(batch.hf.cpu_ms_per_sim_all)}`, 'equal = no parallel overhead'],
    [`MF batch sims/s, 1 worker`, f(batch.mf.sims_per_s_1, 0), ''],
    [`MF batch sims/s, ${cores} workers`, f(batch.mf.sims_per_s_all, 0), ''],
    ['MF batch speed-up', f(batch.mf.speedup), target],
    [`LF batch sims/s, 1 worker`, f(batch.lf.sims_per_s_1, 0), ''],
    [`LF batch sims/s, ${cores} workers`, f(batch.lf.sims_per_s_all, 0), ''],
    ['LF batch speed-up', f(batch.lf.speedup), target],
    [`LF batch CPU ms per sim, 1 → ${cores} workers`, `${f(batch.lf.cpu_ms_per_sim_1, 3)} → ${f(batch.lf.cpu_ms_per_sim_all, 3)}`, ''],
    ['load average (1 min), start → end', `${f(load[0])} → ${f(load[1])}`, ''],
  ];
}

/** Prints rows as a table: labels padded to the left column, values right-aligned. */
function printTable(rows: [string, string, string][]): void {
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padStart(w1)}  ${c}`.trimEnd()).join('\n'));
}

/** `mfnpe bench` (`train`, `c2st` or, by default, the simulators): see the help above. */
export async function run(argv: string[]): Promise<void> {
  if (argv[0] === 'train') return benchTrainCommand(argv.slice(1));
  if (argv[0] === 'c2st') return benchC2stCommand(argv.slice(1));
  const { reps, sizes, cores } = parseSimBench(argv);
  const load0 = loadavg()[0];
  const err = (s: string) => process.stderr.write(s + '\n');

  err(`bench: ${reps} HF and ${Math.max(reps, 200)} MF and LF single-thread traces at θ = (120, 36, 0.3), then HF and MF at 10× the channels…`);
  const sim = benchSimulators({ hfTraces: reps, mfTraces: Math.max(reps, 200), lfTraces: Math.max(reps, 200) });

  err(`bench: batch throughput on 1 and ${cores} workers…`);
  const batch = await benchBatches(sizes, cores);
  const load1 = loadavg()[0];

  printTable(simBenchRows(sim, batch, cores, [load0, load1]));
  console.log(
    JSON.stringify({
      ...sim,
      cores,
      batch,
      loadavg_1min: [load0, load1],
    }),
  );
}
