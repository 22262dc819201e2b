/**
 * `mfnpe train`: simulate (or read) training pairs, train a posterior, save it to a directory.
 *
 * Methods live in {@link METHODS}: each declares its extra flags and a `run(ctx)` returning the
 * trained posterior, so a new method (e.g. MF-NPE) is one entry.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { countFlag, getBool, getString, parseArgs, parseCount, parseSeed, positiveFlag, requireString, type FlagSpec, type Parsed } from './args.js';
import type { Task } from '../tasks/task.js';
import { getTask } from '../tasks/registry.js';
import type { NpePosterior, PosteriorSpec } from '../inference/posterior.js';
import { BOX_SUPPORTS, type BoxSupport } from '../inference/support.js';
import type { TrainOptions } from '../inference/train.js';
import type { Table } from '../data/table.js';
import { mfNpeMethod, MF_NPE_HELP } from './train-mf-npe.js';
import { InputError } from '../errors.js';
import { HH_PARAM_NAMES } from '../prior.js';
import { SUMMARY_NAMES } from '../simulators/summary.js';

/** Everything a training method needs, parsed from the command line. */
export interface MethodContext {
  args: Parsed;
  /** The task (benchmark task or 'hh'), or null when training on --data without --task. */
  task: Task | null;
  /** Dimensions, prior bounds and names of θ and x. */
  spec: Omit<PosteriorSpec, 'flow' | 'seed'>;
  /** Flow settings from --hidden/--layers/--transforms/--bins. */
  flow: NonNullable<PosteriorSpec['flow']>;
  /** Training settings from --batch/--lr/--max-epochs/--seed/--quiet. */
  train: TrainOptions;
  seed: number;
  /** --sims, if given. */
  sims: number | undefined;
  /** --workers for simulation, if given. */
  workers: number | undefined;
  quiet: boolean;
  /** The training pairs: --data if given, else `sims` simulations of the task. */
  loadData(): Promise<{ theta: Float64Array; x: Float64Array }>;
}

export interface Method {
  summary: string;
  /** Extra flags of this method. */
  flags: FlagSpec;
  run(ctx: MethodContext): Promise<NpePosterior>;
}

export const METHODS: Record<string, Method> = {
  npe: {
    summary: 'neural posterior estimation (single round, amortized)',
    flags: {},
    async run(ctx) {
      const { trainNpe } = await import('../inference/npe.js');
      const data = await ctx.loadData();
      const { posterior } = await trainNpe(ctx.spec, data, { flow: ctx.flow, train: ctx.train, seed: ctx.seed });
      posterior.meta = { ...posterior.meta, task: ctx.task?.name ?? null };
      return posterior;
    },
  },
  'mf-npe': mfNpeMethod,
};

const BASE_FLAGS: FlagSpec = {
  task: 'string',
  method: 'string',
  sims: 'string',
  seed: 'string',
  hidden: 'string',
  layers: 'string',
  transforms: 'string',
  bins: 'string',
  batch: 'string',
  lr: 'string',
  'max-epochs': 'string',
  support: 'string',
  data: 'string',
  workers: 'string',
  out: 'string',
  quiet: 'boolean',
};

export const help = `mfnpe train --task NAME --method npe --sims N [options] --out MODEL_DIR

Trains a posterior q(θ|x) and saves it to MODEL_DIR (config.json + weights.bin).
  --task NAME        benchmark task (two_moons, gaussian_linear, slcp, gaussian_mixture, ou) or hh
  --method M         ${Object.keys(METHODS).join(', ')} (default npe)
  --sims N           number of simulations (prior draws, streams 0..N−1 of --seed)
  --data FILE        train on these pairs instead (CSV or Arrow; columns theta_*, x_*, or the HH
                     header g_na,g_k,g_l,n_spikes,mean_rest,std_rest,mean_stim)
  --seed S           seed of simulations, network initialization and training (default 0)
  --hidden H         hidden units per layer (default 50)
  --layers L         hidden layers per MADE (default 2)
  --transforms T     autoregressive transforms (default 5)
  --bins K           spline bins (default 8)
  --batch B          batch size (default 200)
  --lr LR            Adam learning rate (default 5e-4)
  --max-epochs E     cap on epochs (default: early stopping only, patience 20)
  --support S        box priors: logit (default; the flow models logit-transformed θ) or
                     rejection (as sbi/sbibm's NPE: z-scored θ, draws outside the box rejected,
                     log-probabilities corrected for the mass outside)
  --workers W        simulation worker threads (default: all cores)
  --quiet            no progress on stderr

${MF_NPE_HELP}`;

/** θ and x column names of a data table: theta_* and x_*, else the task's names, else the HH header. */
export function pairColumns(t: Table, task: Task | null, source: string): { thetaCols: string[]; xCols: string[] } {
  const tc = t.columns.filter((c) => /^theta_/.test(c));
  const xc = t.columns.filter((c) => /^x_/.test(c));
  if (tc.length > 0 && xc.length > 0) return { thetaCols: tc, xCols: xc };
  const candidates: [readonly string[], readonly string[]][] = [[HH_PARAM_NAMES, SUMMARY_NAMES]];
  if (task) candidates.unshift([task.thetaNames, task.xNames]);
  for (const [th, xs] of candidates) {
    if ([...th, ...xs].every((c) => t.columns.includes(c))) return { thetaCols: [...th], xCols: [...xs] };
  }
  throw new InputError(
    `${source}: expected columns theta_* and x_*${task ? ` (or ${[...task.thetaNames, ...task.xNames].join(',')})` : ''}, got ${t.columns.join(',')}`,
  );
}

/** Reads a CSV or Arrow table. */
export async function readTable(path: string): Promise<Table> {
  if (!existsSync(path)) throw new InputError(`${path} does not exist`);
  const arrow = await import('../data/arrow.js');
  if (arrow.isArrowPath(path)) return arrow.readArrow(path);
  return (await import('../data/csv.js')).readCsv(path);
}

/** Row-major θ and x from a table. */
export async function readPairs(path: string, task: Task | null): Promise<{ theta: Float64Array; x: Float64Array; thetaCols: string[]; xCols: string[] }> {
  const t = await readTable(path);
  const { thetaCols, xCols } = pairColumns(t, task, path);
  const { selectColumns } = await import('../data/table.js');
  return { theta: selectColumns(t, thetaCols), x: selectColumns(t, xCols), thetaCols, xCols };
}

/** Checks that MODEL_DIR can be created (its parent exists) and is not a file. */
function checkModelDir(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file; expected a model directory`);
  const parent = dirname(out) || '.';
  if (!existsSync(parent)) throw new InputError(`cannot create model directory ${out}: folder ${parent} does not exist`);
}

export async function run(argv: string[]): Promise<void> {
  // Method-specific flags are accepted for every method's parse, then checked below.
  const allFlags: FlagSpec = { ...BASE_FLAGS };
  for (const m of Object.values(METHODS)) Object.assign(allFlags, m.flags);
  const p = parseArgs(argv, allFlags, 'train');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'train'`);
  const methodName = (getString(p, 'method') ?? 'npe').trim().toLowerCase();
  const method = METHODS[methodName];
  if (!method) throw new InputError(`unknown --method '${methodName}' (expected ${Object.keys(METHODS).join(' or ')})`);
  for (const [name, m] of Object.entries(METHODS)) {
    if (name === methodName) continue;
    for (const f of Object.keys(m.flags)) {
      if (p.flags.has(f) && !(f in method.flags) && !(f in BASE_FLAGS)) throw new InputError(`option --${f} applies to --method ${name}, not ${methodName}`);
    }
  }
  const out = requireString(p, 'out');
  checkModelDir(out);
  const dataPath = getString(p, 'data');
  const taskName = getString(p, 'task');
  if (!taskName && !dataPath) throw new InputError('missing required option --task (or --data FILE)');
  const simsText = getString(p, 'sims');
  const sims = simsText === undefined ? undefined : parseCount(simsText, '--sims', 2);
  if (!dataPath && sims === undefined) throw new InputError('missing required option --sims (or --data FILE)');
  const seed = parseSeed(getString(p, 'seed'));
  const quiet = getBool(p, 'quiet');
  const workersText = getString(p, 'workers');
  const workers = workersText === undefined ? undefined : parseCount(workersText, '--workers');
  const flow = {
    hidden: countFlag(p, 'hidden', 50),
    layers: countFlag(p, 'layers', 2),
    transforms: countFlag(p, 'transforms', 5),
    bins: countFlag(p, 'bins', 8, 2),
  };
  const supportText = getString(p, 'support') ?? 'logit';
  if (!BOX_SUPPORTS.includes(supportText as BoxSupport)) throw new InputError(`--support must be one of ${BOX_SUPPORTS.join(', ')}, got '${supportText}'`);
  const support = supportText as BoxSupport;
  const maxEpochsText = getString(p, 'max-epochs');
  const train: TrainOptions = {
    batchSize: countFlag(p, 'batch', 200),
    learningRate: positiveFlag(p, 'lr', 5e-4),
    maxEpochs: maxEpochsText === undefined ? undefined : parseCount(maxEpochsText, '--max-epochs'),
    seed,
    quiet,
  };

  const task = taskName ? getTask(taskName) : null;
  let pre: Awaited<ReturnType<typeof readPairs>> | null = null;
  if (dataPath) {
    pre = await readPairs(dataPath, task);
    if (task && (pre.thetaCols.length !== task.thetaDim || pre.xCols.length !== task.xDim)) {
      throw new InputError(
        `${dataPath} has ${pre.thetaCols.length} θ and ${pre.xCols.length} x columns; task ${task.name} has ${task.thetaDim} and ${task.xDim}`,
      );
    }
  }
  const isHH = pre !== null && pre.thetaCols.join(',') === HH_PARAM_NAMES.join(',');
  const hhBounds = isHH && !task ? (await import('../prior.js')).hhPrior().bounds : null;
  const spec: MethodContext['spec'] = task
    ? { thetaDim: task.thetaDim, xDim: task.xDim, bounds: task.prior.bounds ?? null, thetaNames: task.thetaNames, xNames: task.xNames, support }
    : {
        thetaDim: pre!.thetaCols.length,
        xDim: pre!.xCols.length,
        bounds: hhBounds,
        thetaNames: pre!.thetaCols,
        xNames: pre!.xCols,
        support,
      };
  const ctx: MethodContext = {
    args: p,
    task,
    spec,
    flow,
    train,
    seed,
    sims,
    workers,
    quiet,
    async loadData() {
      if (pre) {
        const n = pre.theta.length / spec.thetaDim;
        if (sims !== undefined && sims < n) {
          return { theta: pre.theta.slice(0, sims * spec.thetaDim), x: pre.x.slice(0, sims * spec.xDim) };
        }
        return { theta: pre.theta, x: pre.x };
      }
      const { Progress } = await import('../data/progress.js');
      const prog = new Progress(`simulate ${task!.name}`, sims!, { quiet, unit: 'sims' });
      let last = 0;
      const data = await task!.sampleJoint(sims!, seed, {
        workers,
        onProgress: (done) => {
          prog.tick(done - last);
          last = done;
        },
      });
      prog.finish();
      return data;
    },
  };
  const posterior = await method.run(ctx);
  posterior.meta = { ...posterior.meta, method: methodName, command: ['mfnpe', 'train', ...argv].join(' ') };
  posterior.save(out);
  const t = posterior.meta.training as Record<string, unknown> | undefined;
  console.log(
    `saved ${methodName} posterior to ${out}` +
      (t
        ? ` (${t.pairs} pairs, ${t.epochs} epochs, best validation loss ${Number(t.bestValidationLoss).toFixed(4)} at epoch ${t.bestEpoch}, ${t.seconds} s)`
        : ''),
  );
  posterior.dispose();
}
