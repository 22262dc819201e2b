/**
 * `mfnpe task`: the benchmark tasks (two_moons, gaussian_linear, slcp, gaussian_mixture, ou).
 *   mfnpe task simulate --task NAME --n N [--fidelity hf|mf|lf] [--seed S] [--out FILE]
 *   mfnpe task reference --task NAME --x X1,X2,... --n N [--seed S] [--out FILE]
 */
import { getString, parseArgs, parseCount, parseList, parseSeed, requireString } from './args.js';
import { checkWritable } from '../data/atomic.js';
import { writeCsv } from '../data/csv.js';
import { hstack, makeTable } from '../data/table.js';
import { getTask, taskNames } from '../tasks/registry.js';
import { fidelityFromText } from './common.js';
import { InputError } from '../errors.js';

export const help = `mfnpe task: benchmark tasks with known or public reference posteriors

usage:
  mfnpe task simulate --task NAME --n N [--fidelity hf|mf|lf] [--seed S] [--out FILE]
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
  --out FILE        CSV output, written atomically (default: stdout)`;

const SPEC = { task: 'string', n: 'string', fidelity: 'string', seed: 'string', x: 'string', out: 'string' } as const;

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
    const { theta, x } = await task.sampleJoint(n, seed, { fidelity });
    const cols = [...Array.from({ length: task.thetaDim }, (_, j) => `theta_${j + 1}`), ...Array.from({ length: task.xDim }, (_, j) => `x_${j + 1}`)];
    writeCsv(out, makeTable(cols, hstack(theta, task.thetaDim, x, task.xDim)));
    return;
  }

  if (getString(p, 'fidelity') !== undefined) throw new InputError('--fidelity is for `task simulate`');
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
