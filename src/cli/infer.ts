/**
 * `mfnpe infer`: the posterior for ONE observation by a sequential method (sequential.md): TSNPE,
 * MF-TSNPE or A-MF-TSNPE, over the library's SequentialNPE (src/inference/sequential.ts). The
 * observation is given as summary statistics (--x) or as a recorded voltage trace (--trace, read and
 * checked by src/tasks/recorded-trace.ts). Every input is checked before anything is simulated, and
 * the outputs are written to a temporary folder renamed to --out at the end: a failed run leaves
 * nothing behind.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { writeCsv } from '../data/csv.js';
import { makeTable } from '../data/table.js';
import { InputError } from '../errors.js';
import { AMFTSNPE } from '../inference/amf-tsnpe.js';
import type { SavedPosterior } from '../inference/load-any.js';
import { MFNPE } from '../inference/mfnpe.js';
import { loadPosterior, type NpePosterior } from '../inference/posterior.js';
import { roundRecordsCsv } from '../inference/round-record.js';
import { type SequentialNPE, type SequentialSettings, simulatorOf } from '../inference/sequential.js';
import { MFTSNPE, TSNPE } from '../inference/tsnpe.js';
import { cornerSpec } from '../plots/corner.js';
import { HH_PARAM_LABELS } from '../plots/labels.js';
import { saveFigure } from '../plots/render.js';
import { STREAM_OFFSET } from '../random.js';
import { recordedSummary } from '../tasks/recorded-trace.js';
import { getTask } from '../tasks/registry.js';
import { sampleJointWithProgress } from '../tasks/sample-joint.js';
import type { Task } from '../tasks/task.js';
import { countFlag, type FlagSpec, getBool, getString, parseArgs, parseCount, parseList, parseNumber, parseSeed, positiveFlag, requireString } from './args.js';

const METHODS = ['tsnpe', 'mf-tsnpe', 'a-mf-tsnpe'] as const;
type MethodName = (typeof METHODS)[number];

const FLAGS: FlagSpec = {
  task: 'string',
  method: 'string',
  x: 'string',
  trace: 'string',
  sims: 'string',
  'lf-sims': 'string',
  'lf-model': 'string',
  rounds: 'string',
  ensemble: 'string',
  'active-share': 'string',
  pool: 'string',
  'pool-from': 'string',
  quantile: 'string',
  'threshold-draws': 'string',
  samples: 'string',
  seed: 'string',
  hidden: 'string',
  transforms: 'string',
  batch: 'string',
  lr: 'string',
  'max-epochs': 'string',
  'pretrain-max-epochs': 'string',
  workers: 'string',
  out: 'string',
  quiet: 'boolean',
};

export const help = `mfnpe infer --task hh|ou --method tsnpe|mf-tsnpe|a-mf-tsnpe (--x X1,X2,… | --trace FILE.csv)
            --sims N [--lf-sims M | --lf-model DIR] [options] --out DIR

The posterior for one observation by a sequential method (R rounds over the HF budget N; each
later round draws θ from the prior truncated to the current posterior's highest-probability region).
  --method M         tsnpe (from new weights), mf-tsnpe (from the LF-pretrained flow) or
                     a-mf-tsnpe (an ensemble of LF-pretrained flows + acquisition)
  --x X1,X2,…        the observation's summary statistics (HH: n_spikes,mean_rest,std_rest,mean_stim)
  --trace FILE       HH only: a recorded voltage trace, CSV with header t,v (ms, mV), uniformly
                     sampled over 0–50 ms with the protocol of docs/model.md (stimulus 10 µA/cm² for
                     10 ≤ t < 30 ms); summarized with the simulator's definitions
  --sims N           HF simulation budget (≥ rounds), split equally over the rounds
  --lf-sims M        MF methods: pre-train on M LF simulations (streams 2^39 + i of --seed)
  --lf-model DIR     MF methods: start from this LF-pretrained flow instead
                     (e.g. from mfnpe train --method mf-npe --save-pretrained DIR)
  --rounds R         rounds (default 5)
  --ensemble E       a-mf-tsnpe: ensemble size (default 5)
  --active-share S   a-mf-tsnpe: share of later rounds chosen by acquisition (default 0.2)
  --pool P           a-mf-tsnpe: candidate pool (default 250/2500/25000 for N ≤ 10³/≤ 10⁴/above)
  --pool-from F      a-mf-tsnpe: prior (default) or truncated
  --quantile EPS     HPR truncation quantile ε (default 1e-6)
  --threshold-draws M  posterior draws estimating the threshold (default 1e6; ε·M ≥ 1)
  --samples K        posterior samples written (default 10000)
  --seed S           seed of everything (default 0)
  --hidden H, --transforms T   flow size (default 50, 5; ignored when starting from a flow)
  --batch B, --lr LR, --max-epochs E   training per round (defaults 200, 5e-4, early stopping)
  --pretrain-max-epochs E  cap on LF pre-training epochs
  --workers W        LF simulation threads (default: all cores)
  --quiet            no progress on stderr

Writes to DIR: posterior/ (loadable by mfnpe sample and mfnpe log-prob), samples.csv, rounds.csv
(round, theta drawn, acceptance rate, validation loss, seconds…), corner.svg, corner.png, infer.json.`;

/** Everything the run needs, checked before any simulation. */
interface InferPlan {
  task: Task;
  method: MethodName;
  xo: Float64Array;
  source: string;
  sims: number;
  lfSims?: number;
  lfModel?: string;
  samples: number;
  out: string;
  settings: SequentialSettings;
  pretrainMaxEpochs?: number;
  workers?: number;
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, FLAGS, 'infer');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'infer'`);
  const plan = parsePlan(p);
  const start = plan.method === 'tsnpe' ? null : await lfStart(plan);
  const runner = makeRunner(plan, start);
  const posterior = await runner.run(plan.xo, simulatorOf(plan.task), plan.sims);
  posterior.meta = { ...posterior.meta, task: plan.task.name, command: ['mfnpe', 'infer', ...argv].join(' ') };
  await writeOutputs(plan, runner, posterior);
  if (!plan.settings.quiet) process.stderr.write(`mfnpe: ${plan.method} posterior for ${plan.source} written to ${plan.out}\n`);
  posterior.dispose();
  start?.dispose();
}

function parsePlan(p: ReturnType<typeof parseArgs>): InferPlan {
  const task = getTask(requireString(p, 'task'));
  if (task.name !== 'hh' && task.name !== 'ou') throw new InputError(`--task must be hh or ou, got '${task.name}'`);
  const method = requireString(p, 'method').trim().toLowerCase() as MethodName;
  if (!METHODS.includes(method)) throw new InputError(`unknown --method '${method}' (expected ${METHODS.join(', ')})`);
  const out = requireString(p, 'out');
  checkOutDir(out);
  const { xo, source } = observation(p, task);
  const settings = sequentialSettings(p, method);
  const sims = parseCount(requireString(p, 'sims'), '--sims');
  const rounds = settings.rounds ?? 5;
  if (sims < rounds) throw new InputError(`--sims ${sims} is smaller than the number of rounds (${rounds}): every round needs a simulation`);
  const lf = lfSource(p, method, task);
  const pre = getString(p, 'pretrain-max-epochs');
  const workers = getString(p, 'workers');
  return {
    task,
    method,
    xo,
    source,
    sims,
    ...lf,
    samples: countFlag(p, 'samples', 10_000),
    out,
    settings,
    pretrainMaxEpochs: pre === undefined ? undefined : parseCount(pre, '--pretrain-max-epochs'),
    workers: workers === undefined ? undefined : parseCount(workers, '--workers'),
  };
}

/** --out DIR must be new (or an empty folder) in an existing folder. */
function checkOutDir(out: string): void {
  const parent = dirname(out) || '.';
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw new InputError(`cannot create ${out}: folder ${parent} does not exist`);
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file; expected a new folder`);
  if (readdirSync(out).length > 0) throw new InputError(`--out ${out} exists and is not empty; choose a new folder`);
}

/** x_o from --x (checked against the task) or --trace (HH only). */
function observation(p: ReturnType<typeof parseArgs>, task: Task): { xo: Float64Array; source: string } {
  const xText = getString(p, 'x');
  const trace = getString(p, 'trace');
  if ((xText === undefined) === (trace === undefined)) throw new InputError('give the observation as either --x X1,X2,… or --trace FILE.csv');
  if (xText !== undefined) return { xo: parseList(xText, `--x (task ${task.name}: ${task.xNames.join(',')})`, task.xDim), source: `x = (${xText})` };
  if (task.name !== 'hh') throw new InputError(`--trace applies to --task hh (a voltage recording), not ${task.name}`);
  return { xo: recordedSummary(trace as string).x, source: trace as string };
}

/** Method, ensemble, truncation and training settings from the flags (unsuited flags are errors). */
function sequentialSettings(p: ReturnType<typeof parseArgs>, method: MethodName): SequentialSettings {
  const active = method === 'a-mf-tsnpe';
  for (const f of ['ensemble', 'active-share', 'pool', 'pool-from']) {
    if (!active && p.flags.has(f)) throw new InputError(`option --${f} applies to --method a-mf-tsnpe, not ${method}`);
  }
  const share = getString(p, 'active-share');
  const shareValue = share === undefined ? undefined : parseNumber(share, '--active-share');
  if (shareValue !== undefined && !(shareValue >= 0 && shareValue <= 1)) throw new InputError(`--active-share must be in [0, 1], got '${share}'`);
  const poolFrom = getString(p, 'pool-from');
  if (poolFrom !== undefined && poolFrom !== 'prior' && poolFrom !== 'truncated')
    throw new InputError(`--pool-from must be prior or truncated, got '${poolFrom}'`);
  const quantile = positiveFlag(p, 'quantile', 1e-6);
  const draws = countFlag(p, 'threshold-draws', 1_000_000);
  if (!(quantile < 1) || quantile * draws < 1)
    throw new InputError(`--quantile ε must be < 1 with ε·M ≥ 1 (M = --threshold-draws); got ε = ${quantile}, M = ${draws}`);
  const maxEpochs = getString(p, 'max-epochs');
  const seed = parseSeed(getString(p, 'seed'));
  return {
    rounds: countFlag(p, 'rounds', 5),
    ensemble: active ? countFlag(p, 'ensemble', 5, 2) : 1,
    activeShare: active ? (shareValue ?? 0.2) : 0,
    poolSize: getString(p, 'pool') === undefined ? undefined : countFlag(p, 'pool', 250),
    poolFrom: (poolFrom as 'prior' | 'truncated' | undefined) ?? 'prior',
    truncation: { quantile, draws },
    seed,
    flow: { hidden: countFlag(p, 'hidden', 50), transforms: countFlag(p, 'transforms', 5) },
    train: {
      batchSize: countFlag(p, 'batch', 200),
      learningRate: positiveFlag(p, 'lr', 5e-4),
      maxEpochs: maxEpochs === undefined ? undefined : parseCount(maxEpochs, '--max-epochs'),
    },
    quiet: getBool(p, 'quiet'),
  };
}

/** --lf-sims or --lf-model: exactly one for the MF methods, neither for TSNPE. */
function lfSource(p: ReturnType<typeof parseArgs>, method: MethodName, task: Task): { lfSims?: number; lfModel?: string } {
  const sims = getString(p, 'lf-sims');
  const model = getString(p, 'lf-model');
  if (method === 'tsnpe') {
    if (sims !== undefined || model !== undefined) throw new InputError('--lf-sims and --lf-model apply to mf-tsnpe and a-mf-tsnpe, not tsnpe');
    return {};
  }
  if ((sims === undefined) === (model === undefined)) throw new InputError(`--method ${method} needs either --lf-sims M or --lf-model DIR`);
  if (model !== undefined) return { lfModel: model };
  if (!task.fidelities.includes('lf')) throw new InputError(`task ${task.name} has no LF simulator`);
  return { lfSims: parseCount(sims as string, '--lf-sims', 2) };
}

/** The LF-pretrained flow: loaded (--lf-model, checked against the task) or trained on --lf-sims. */
async function lfStart(plan: InferPlan): Promise<NpePosterior> {
  const { task } = plan;
  if (plan.lfModel) {
    const post = await loadPosterior(plan.lfModel);
    if (post.thetaDim !== task.thetaDim || post.xDim !== task.xDim) {
      post.dispose();
      throw new InputError(`--lf-model ${plan.lfModel} has θ/x dimensions ${post.thetaDim}/${post.xDim}; task ${task.name} has ${task.thetaDim}/${task.xDim}`);
    }
    return post;
  }
  const s = plan.settings;
  const lf = await sampleJointWithProgress(task, plan.lfSims as number, s.seed ?? 0, {
    fidelity: 'lf',
    offset: STREAM_OFFSET.lf,
    workers: plan.workers,
    quiet: s.quiet,
    label: `simulate ${task.name} LF`,
  });
  const mf = new MFNPE(task, { seed: s.seed, flow: s.flow, pretrain: { batchSize: s.train?.batchSize, maxEpochs: plan.pretrainMaxEpochs, quiet: s.quiet } });
  return mf.pretrain(lf.theta, lf.x);
}

function makeRunner(plan: InferPlan, start: NpePosterior | null): SequentialNPE {
  const { ensemble, activeShare, poolSize, poolFrom, ...common } = plan.settings;
  if (plan.method === 'tsnpe') return new TSNPE(plan.task, common);
  if (plan.method === 'mf-tsnpe') return new MFTSNPE(plan.task, start as NpePosterior, common);
  return new AMFTSNPE(plan.task, start as NpePosterior, { ...common, ensemble, activeShare, poolSize, poolFrom });
}

/** Writes every output into a temporary sibling folder, then renames it to --out. */
async function writeOutputs(plan: InferPlan, runner: SequentialNPE, posterior: SavedPosterior): Promise<void> {
  const stage = join(dirname(plan.out) || '.', `.${basename(plan.out)}.${process.pid}.tmp`);
  rmSync(stage, { recursive: true, force: true });
  try {
    ensureDir(stage);
    posterior.save(join(stage, 'posterior'));
    const samples = await posterior.sample(plan.samples, plan.xo, plan.settings.seed ?? 0);
    writeCsv(join(stage, 'samples.csv'), makeTable(plan.task.thetaNames, samples));
    writeFileAtomic(join(stage, 'rounds.csv'), roundRecordsCsv(runner.records));
    await saveCorner(plan, samples, stage);
    writeFileAtomic(join(stage, 'infer.json'), `${JSON.stringify(summary(plan, runner), null, 2)}\n`);
    if (existsSync(plan.out)) rmSync(plan.out, { recursive: true });
    renameSync(stage, plan.out);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw e;
  }
}

async function saveCorner(plan: InferPlan, samples: Float64Array, dir: string): Promise<void> {
  const { task } = plan;
  const b = task.prior.bounds;
  const spec = cornerSpec([{ label: plan.method, samples }], task.thetaNames, {
    labels: task.name === 'hh' ? HH_PARAM_LABELS : undefined,
    low: b?.low,
    high: b?.high,
    title: `${plan.method} posterior, ${plan.sims} HF simulations in ${plan.settings.rounds ?? 5} rounds (${plan.source})`,
  });
  await saveFigure(spec, { svg: join(dir, 'corner.svg'), png: join(dir, 'corner.png') });
}

function summary(plan: InferPlan, runner: SequentialNPE): Record<string, unknown> {
  const { flow, train, truncation, ...s } = plan.settings;
  return {
    task: plan.task.name,
    method: plan.method,
    observation: Array.from(plan.xo),
    observationNames: plan.task.xNames,
    source: plan.source,
    sims: plan.sims,
    lfSims: plan.lfSims ?? null,
    lfModel: plan.lfModel ?? null,
    settings: { ...s, flow, train, truncation },
    samples: plan.samples,
    rounds: runner.records.map((r) => ({ ...r, threshold: Number.isFinite(r.threshold) ? r.threshold : null })),
    seconds: runner.records.reduce((a, r) => a + r.seconds, 0),
  };
}
