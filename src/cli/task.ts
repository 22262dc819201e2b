/**
 * `mfnpe task`: the benchmark tasks (two_moons, gaussian_linear, slcp, gaussian_mixture, ou).
 *   mfnpe task simulate --task NAME --n N [--fidelity hf|mf|lf] [--seed S] [--purpose train|test] [--out FILE] [--format csv|arrow] [--shard I/K] [--workers W]
 *   mfnpe task reference --task NAME --x X1,X2,... --n N [--seed S] [--out FILE]
 */
import { getString, parseArgs, parseCount, parseList, parseSeed, requireString } from './args.js';
import { parseFormat, parsePurpose } from './common.js';
import { checkWritable, writeFileAtomic } from '../data/atomic.js';
import { tableToCsv, writeCsv } from '../data/csv.js';
import { csvShardLine, encodeShardHeader, parseShard, type ShardHeader, type ShardSpec } from '../data/shard.js';
import { hstack, makeTable, type Table } from '../data/table.js';
import { SIMULATOR_VERSION } from '../simulators/version.js';
import { getTask, taskNames } from '../tasks/registry.js';
import { fidelityFromText } from './common.js';
import { InputError } from '../errors.js';
import { tableToArrowBytes } from '../data/arrow.js';
import { purposeOffset } from '../random.js';

export const help = `mfnpe task: benchmark tasks with known or public reference posteriors

usage:
  mfnpe task simulate --task NAME --n N [--fidelity hf|mf|lf] [--seed S] [--out FILE] [--format csv|arrow] [--shard I/K] [--workers W]
  mfnpe task reference --task NAME --x X1,X2,... --n N [--seed S] [--out FILE]
  mfnpe task list

simulate    N joint draws: θ_i from the prior, then x_i from the simulator (stream (S, i));
            columns theta_1.., x_1..
reference   N exact posterior samples p(θ | x) for one observation x (columns theta_1..):
            gaussian_linear (closed form), gaussian_mixture (exact truncated mixture) and ou (exact
            AR(1) likelihood on a fine grid). two_moons and slcp have none here: use the public
            reference samples of the SBI benchmark.
options:
  --task NAME       two_moons, gaussian_linear, slcp, gaussian_mixture, ou, hh (all: mfnpe task list)
  --n N             number of rows
  --fidelity F      simulator: hf (default), mf (hh: Langevin channels) or lf (hh: gates + voltage
                    noise; ou: i.i.d. N(μ, σ²) draws); each task lists its fidelities
  --x X1,X2,...     the observation (negative values: --x=-0.64,0.16 or --x -0.64,0.16)
  --seed S          integer seed (default 0)
  --purpose P       simulate: train (default; streams (S, i)) or test (streams (S, 2⁴⁰ + i), disjoint from
                    every training stream): write training and test sets from the same seed safely
  --out FILE        output file, written atomically (default: stdout; reference: CSV)
  --format csv|arrow  simulate: output format (default: from the extension, .arrow/.feather → Arrow IPC; else CSV)
  --shard I/K       simulate: only shard I of K (0-based): rows [⌊I·N/K⌋, ⌊(I+1)·N/K⌋) of the whole run, in a
                    shard file; \`mfnpe merge\` joins the K shards into the unsharded file, byte for byte
  --workers W       simulate: worker threads for the costly simulators (hh; default: all cores)`;

const SPEC = {
  task: 'string',
  n: 'string',
  fidelity: 'string',
  seed: 'string',
  x: 'string',
  out: 'string',
  format: 'string',
  shard: 'string',
  workers: 'string',
  purpose: 'string',
} as const;

/** Writes `task simulate` output (CSV or Arrow, a shard file with `shard`) to `out` or stdout. */
async function writeJoint(
  out: string | undefined,
  t: Table,
  format: 'csv' | 'arrow',
  meta: Record<string, string>,
  shard: ShardSpec | undefined,
): Promise<void> {
  const header: ShardHeader | undefined = shard && {
    ...shard,
    n: Number(meta.n),
    run: { command: 'task simulate', format, simulator_version: SIMULATOR_VERSION, ...meta },
  };
  let bytes: string | Uint8Array;
  if (format === 'arrow') {
    bytes = tableToArrowBytes(t, header ? { ...meta, shard: encodeShardHeader(header) } : meta);
  } else bytes = (header ? csvShardLine(header) : '') + tableToCsv(t);
  if (out === undefined || out === '-') process.stdout.write(bytes);
  else writeFileAtomic(out, bytes);
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'list') {
    console.log(taskNames().join('\n'));
    return;
  }
  if (sub !== 'simulate' && sub !== 'reference') {
    throw new InputError(
      sub === undefined ? 'task needs a subcommand: simulate, reference or list' : `unknown task subcommand '${sub}' (simulate, reference, list)`,
    );
  }
  const p = parseArgs(rest, SPEC, `task ${sub}`);
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'task ${sub}'`);
  const task = getTask(requireString(p, 'task'));
  const n = parseCount(requireString(p, 'n'), '--n');
  const seed = parseSeed(getString(p, 'seed'));
  const out = getString(p, 'out');
  if (out !== undefined && out !== '-') checkWritable(out);

  if (sub === 'simulate') {
    if (getString(p, 'x') !== undefined) throw new InputError('--x is for `task reference`');
    const fidelity = fidelityFromText(getString(p, 'fidelity') ?? 'hf');
    if (!task.fidelities.includes(fidelity))
      throw new InputError(`task ${task.name} has no '${fidelity}' simulator (fidelities: ${task.fidelities.join(', ')})`);
    const format = parseFormat(p, out === '-' ? undefined : out);
    const sText = getString(p, 'shard');
    const shard = sText === undefined ? undefined : parseShard(sText, n);
    // Row i of the run uses stream (seed, i): a shard simulates its rows at offset `start`.
    const start = shard?.start ?? 0;
    const wText = getString(p, 'workers');
    const workers = wText === undefined ? undefined : parseCount(wText, '--workers');
    const purpose = parsePurpose(p);
    const { theta, x } = await task.sampleJoint((shard?.end ?? n) - start, seed, { fidelity, offset: purposeOffset(purpose) + start, workers });
    const cols = [...Array.from({ length: task.thetaDim }, (_, j) => `theta_${j + 1}`), ...Array.from({ length: task.xDim }, (_, j) => `x_${j + 1}`)];
    const meta: Record<string, string> = { task: task.name, fidelity, seed: String(seed), n: String(n) };
    if (purpose === 'test') meta.purpose = 'test';
    await writeJoint(out, makeTable(cols, hstack(theta, task.thetaDim, x, task.xDim)), format, meta, shard);
    return;
  }

  if (getString(p, 'fidelity') !== undefined) throw new InputError('--fidelity is for `task simulate`');
  for (const f of ['format', 'shard', 'workers', 'purpose']) if (p.flags.has(f)) throw new InputError(`--${f} is for \`task simulate\``);
  const x = parseList(requireString(p, 'x'), '--x', task.xDim);
  if (!task.referencePosterior) {
    throw new InputError(`task ${task.name} has no exact reference posterior sampler; use the SBI benchmark's public reference samples`);
  }
  let samples: Float64Array;
  try {
    samples = task.referencePosterior(x, n, seed);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  writeCsv(
    out,
    makeTable(
      Array.from({ length: task.thetaDim }, (_, j) => `theta_${j + 1}`),
      samples,
    ),
  );
}
