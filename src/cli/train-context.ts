/**
 * What `mfnpe train` hands to a training method: the task or data file, the flow and training
 * settings parsed from the flags, and the HF training pairs (--data or --sims simulations).
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from '../errors.js';
import type { FlowSettings } from '../inference/npe.js';
import type { Pairs } from '../inference/pairs.js';
import type { NpePosterior, PosteriorSpec } from '../inference/posterior.js';
import { BOX_SUPPORTS, type BoxSupport } from '../inference/support.js';
import type { TrainOptions } from '../inference/train.js';
import { hhPrior } from '../prior.js';
import { isHHColumns, readPairs } from '../tasks/pairs-file.js';
import { getTask } from '../tasks/registry.js';
import { sampleJointWithProgress } from '../tasks/sample-joint.js';
import type { Task } from '../tasks/task.js';
import { countFlag, type FlagSpec, getBool, getString, type Parsed, parseCount, parseSeed, positiveFlag } from './args.js';

/** Everything a training method needs, parsed from the command line. */
export interface MethodContext {
  args: Parsed;
  /** The task, or null when training on --data without --task. */
  task: Task | null;
  /** Dimensions, prior bounds and names of θ and x. */
  spec: Omit<PosteriorSpec, 'flow' | 'seed'>;
  flow: FlowSettings;
  support: BoxSupport;
  /** Training settings from --batch/--lr/--max-epochs/--seed/--quiet. */
  train: TrainOptions;
  seed: number;
  /** --sims, if given. */
  sims: number | undefined;
  workers: number | undefined;
  quiet: boolean;
  /** The HF training pairs: --data if given (first --sims rows), else --sims simulations of the task. */
  loadData(): Promise<Pairs>;
}

/** A training method of `mfnpe train`. */
export interface Method {
  summary: string;
  /** Extra flags of this method. */
  flags: FlagSpec;
  run(ctx: MethodContext): Promise<NpePosterior>;
}

/** Checks that MODEL_DIR can be created (its parent exists) and is not a file. */
export function checkModelDir(out: string): void {
  if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file; expected a model directory`);
  const parent = dirname(out) || '.';
  if (!existsSync(parent)) throw new InputError(`cannot create model directory ${out}: folder ${parent} does not exist`);
}

function optionalCount(p: Parsed, name: string, min = 1): number | undefined {
  const text = getString(p, name);
  return text === undefined ? undefined : parseCount(text, `--${name}`, min);
}

/** Flow settings from --hidden/--layers/--transforms/--bins. */
function flowSettings(p: Parsed): FlowSettings {
  return { hidden: countFlag(p, 'hidden', 50), layers: countFlag(p, 'layers', 2), transforms: countFlag(p, 'transforms', 5), bins: countFlag(p, 'bins', 8, 2) };
}

function boxSupport(p: Parsed): BoxSupport {
  const text = getString(p, 'support') ?? 'logit';
  if (!BOX_SUPPORTS.includes(text as BoxSupport)) throw new InputError(`--support must be one of ${BOX_SUPPORTS.join(', ')}, got '${text}'`);
  return text as BoxSupport;
}

/** The problem's spec: the task's, else the data file's columns (HH columns get the HH prior box). */
function problemOf(task: Task | null, file: ReturnType<typeof readPairs> | null, support: BoxSupport): MethodContext['spec'] {
  if (task) return { thetaDim: task.thetaDim, xDim: task.xDim, bounds: task.prior.bounds ?? null, thetaNames: task.thetaNames, xNames: task.xNames, support };
  const f = file!;
  const bounds = isHHColumns(f.thetaCols) ? hhPrior().bounds : null;
  return { thetaDim: f.thetaCols.length, xDim: f.xCols.length, bounds, thetaNames: f.thetaCols, xNames: f.xCols, support };
}

/** Reads --data (checked against the task's dimensions), or null. */
function readDataFlag(dataPath: string | undefined, task: Task | null): ReturnType<typeof readPairs> | null {
  if (!dataPath) return null;
  const file = readPairs(dataPath, task);
  if (task && (file.thetaCols.length !== task.thetaDim || file.xCols.length !== task.xDim)) {
    throw new InputError(
      `${dataPath} has ${file.thetaCols.length} θ and ${file.xCols.length} x columns; task ${task.name} has ${task.thetaDim} and ${task.xDim}`,
    );
  }
  return file;
}

/** Parses the common flags of `mfnpe train` into a method context. */
export function methodContext(p: Parsed): MethodContext {
  const dataPath = getString(p, 'data');
  const taskName = getString(p, 'task');
  if (!taskName && !dataPath) throw new InputError('missing required option --task (or --data FILE)');
  const sims = optionalCount(p, 'sims', 2);
  if (!dataPath && sims === undefined) throw new InputError('missing required option --sims (or --data FILE)');
  const seed = parseSeed(getString(p, 'seed'));
  const quiet = getBool(p, 'quiet');
  const workers = optionalCount(p, 'workers');
  const flow = flowSettings(p);
  const support = boxSupport(p);
  const train: TrainOptions = {
    batchSize: countFlag(p, 'batch', 200),
    learningRate: positiveFlag(p, 'lr', 5e-4),
    maxEpochs: optionalCount(p, 'max-epochs'),
    seed,
    quiet,
  };
  const task = taskName ? getTask(taskName) : null;
  const file = readDataFlag(dataPath, task);
  const spec = problemOf(task, file, support);
  const loadData = async (): Promise<Pairs> => {
    if (file) {
      const n = file.theta.length / spec.thetaDim;
      if (sims !== undefined && sims < n) return { theta: file.theta.slice(0, sims * spec.thetaDim), x: file.x.slice(0, sims * spec.xDim) };
      return { theta: file.theta, x: file.x };
    }
    return sampleJointWithProgress(task!, sims!, seed, { workers, quiet, label: `simulate ${task!.name}` });
  };
  return { args: p, task, spec, flow, support, train, seed, sims, workers, quiet, loadData };
}
