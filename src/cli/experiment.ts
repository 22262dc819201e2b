/**
 * `mfnpe experiment`: the MF-NPE vs NPE study (docs/methods.md) on the HH task and the OU benchmark:
 * plan its units, run them (in this process, in worker processes, or one per cluster job), report
 * metrics, summary, paired differences, costs and figures (src/experiment/study.ts).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { checkWritable, ensureDir } from '../data/atomic.js';
import { InputError } from '../errors.js';
import { type ExperimentConfig, resolveConfigs } from '../experiment/config.js';
import { estimateUnit, measureCosts } from '../experiment/estimate.js';
import { ouComparison } from '../experiment/published.js';
import {
  configFile,
  readStudyPlan,
  reportStudy,
  runOneUnit,
  runStudy,
  studyPlan,
  type TaskPlan,
  unitComplete,
  writeStudyConfigs,
} from '../experiment/study.js';
import { getBool, getString, type Parsed, parseArgs, parseCount, requireString } from './args.js';

export const help = `mfnpe experiment [--config FILE.json] [--quick] --out DIR [options]
mfnpe experiment --plan [--config FILE.json] [--quick] --out DIR     print the units of work
mfnpe experiment --unit ID --out DIR                                 run one unit (cluster jobs)
mfnpe experiment --report DIR                                        report from the units' results

The MF-NPE study: for each seed, LF budget and HF budget, NPE on the HF pairs from scratch, MF-NPE
(pre-trained on LF, all weights fine-tuned on HF) and the LF-only flow (npe-lf), evaluated by NLTP on
a held-out HF test set and by C2ST/MMD at 10 test observations against a reference posterior (HH: NPE
trained once on a large HF budget, cached; OU: the exact posterior).
Default grid: 10³, 10⁴, 10⁵ LF × 50, 100, 500, 1000 HF × 5 seeds, HH reference on 10⁵ HF (hours).
--quick: 2 seeds; HH 10³ and 3·10³ LF × 50 and 200 HF, reference on 3·10³ HF; OU 10³ and 10⁴ LF ×
50, 100 and 1000 HF.

The work is split into units: per task a reference unit (test set and reference posterior), then
one unit per seed and budget chain (task/seedS/npe, task/seedS/lfN). Units run in --jobs worker
processes, each running one unit after another; each unit writes DIR/[task/]units/*.json, and a
unit whose file is complete is skipped, so rerunning an interrupted study resumes it. The results
do not depend on --jobs.

Output: the first task (default hh) in DIR, the others in DIR/<task>: metrics.csv
(method,n_lf,n_hf,seed,metric,value), units.csv, summary.csv, paired.csv, costs.csv,
costs-by-seed.csv, run.json, config.json and figures (*.svg, *.png). Simulations and the HH reference
model are cached in --data-dir (default data/) and reused: the same seeds give the same data.

  --config FILE    JSON settings: top-level keys for every task, "hh"/"ou" objects per task,
                   "tasks": ["hh", "ou"]; keys: lfBudgets, hfBudgets, seeds, testSize, testSeed,
                   nObs, posteriorSamples, reference {sims, seed}, flow {hidden, layers,
                   transforms, bins}, pretrain/finetune/npe {learningRate, maxEpochs, patience,
                   batchSize; finetune.freeze, finetune.refitX}, c2st {folds, stopping}, dataDir, workers, figures,
                   predictiveDraws
  --quick          the small grid (about 10 minutes on 2 cores)
  --tasks LIST     hh, ou or hh,ou (default: the config's, else hh,ou)
  --data-dir DIR   simulation cache (default data)
  --workers W      simulation worker threads per process (default: all cores)
  --jobs N         units run at once, in N worker processes that each run one unit after
                   another (default: the number of cores); --sequential is --jobs 1
                   (everything in this process)
  --plan           write DIR's config.json files and print one JSON line per unit (id, stage,
                   estimated CPU seconds from costs measured now), then a total line; runs nothing
  --unit ID        run one unit of the study planned in DIR (stage-1 units need their task's
                   reference unit done); returns at once when its results are complete
  --report DIR     write the tables and figures of DIR from its units' results
  --no-figures     skip the SVG/PNG figures
  --quiet          no progress on stderr`;

const FLAGS = {
  config: 'string',
  quick: 'boolean',
  out: 'string',
  tasks: 'string',
  'data-dir': 'string',
  workers: 'string',
  jobs: 'string',
  plan: 'boolean',
  unit: 'string',
  report: 'string',
  'no-figures': 'boolean',
  sequential: 'boolean',
  quiet: 'boolean',
} as const;

function readConfigFile(path: string): unknown {
  if (!existsSync(path)) throw new InputError(`--config ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`--config ${path} is a folder, expected a JSON file`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`--config ${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** The study's configurations from --config, --quick and the overriding flags. */
function studyConfigs(p: Parsed): ExperimentConfig[] {
  const configPath = getString(p, 'config');
  const json = (configPath ? readConfigFile(configPath) : {}) as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(`--config ${configPath}: expected a JSON object`);
  const tasksText = getString(p, 'tasks');
  if (tasksText !== undefined) json.tasks = tasksText.split(',').map((t) => t.trim().toLowerCase());
  const dataDir = getString(p, 'data-dir');
  if (dataDir !== undefined) json.dataDir = dataDir;
  const workers = getString(p, 'workers');
  if (workers !== undefined) json.workers = parseCount(workers, '--workers');
  if (getBool(p, 'no-figures')) json.figures = false;
  return resolveConfigs(json, getBool(p, 'quick'));
}

/** --jobs N (default: the number of cores; --sequential: 1). */
function jobsFlag(p: Parsed): number {
  const text = getString(p, 'jobs');
  if (text !== undefined && getBool(p, 'sequential')) throw new InputError('give either --jobs or --sequential, not both');
  if (getBool(p, 'sequential')) return 1;
  return text === undefined ? availableParallelism() : parseCount(text, '--jobs');
}

/** The plans of an existing study folder (a one-line error when it has none). */
function existingPlan(dir: string): TaskPlan[] {
  if (!existsSync(configFile(dir))) throw new InputError(`${dir} holds no planned study (no config.json): run mfnpe experiment --plan --out ${dir} first`);
  return readStudyPlan(dir);
}

/** `--plan`: one JSON line per unit with its estimated CPU seconds, then the total. */
async function printPlan(plans: TaskPlan[], quiet: boolean): Promise<void> {
  let total = 0;
  for (const plan of plans) {
    if (!quiet) process.stderr.write(`[${plan.cfg.task}] measuring simulation, training and C2ST costs on this machine…\n`);
    const costs = await measureCosts(plan.cfg);
    for (const unit of plan.units) {
      const cpu = estimateUnit(unit, plan.cfg, costs);
      total += cpu;
      console.log(
        JSON.stringify({ id: unit.id, task: unit.task, stage: unit.stage, seed: unit.seed, estimated_cpu_s: Math.round(cpu * 10) / 10, dir: plan.dir }),
      );
    }
  }
  console.log(
    JSON.stringify({
      total_units: plans.reduce((n, p) => n + p.units.length, 0),
      estimated_cpu_s: Math.round(total),
      estimated_cpu_h: Math.round((total / 3600) * 100) / 100,
    }),
  );
}

/** `--unit ID`: one unit of the study planned in DIR. */
async function runUnitCommand(out: string, id: string, quiet: boolean): Promise<void> {
  const plans = existingPlan(out);
  const plan = plans.find((pl) => pl.units.some((u) => u.id === id));
  if (!plan) throw new InputError(`--unit ${id}: no such unit in ${out} (units: ${plans.flatMap((pl) => pl.units.map((u) => u.id)).join(', ')})`);
  const unit = plan.units.find((u) => u.id === id)!;
  if (unitComplete(plan, unit)) {
    console.log(`unit ${id}: results complete, nothing to do`);
    return;
  }
  if (unit.stage === 1 && !unitComplete(plan, plan.units[0])) throw new InputError(`--unit ${id} needs ${plan.units[0].id} done first`);
  await runOneUnit(plan, unit, quiet);
  console.log(`unit ${id}: done`);
}

/** The printed summaries of a reported study (with the OU comparison). */
async function report(plans: TaskPlan[], quiet: boolean, wallSeconds?: number): Promise<void> {
  const texts: string[] = [];
  for (const r of await reportStudy(plans, { quiet, wallSeconds })) {
    texts.push(r.text);
    if (r.plan.cfg.task === 'ou') texts.push(ouComparison(r.res));
    if (!quiet) process.stderr.write(`[${r.plan.cfg.task}] results in ${r.plan.dir}\n`);
  }
  console.log(texts.join('\n\n'));
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, FLAGS, 'experiment');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'experiment'`);
  const quiet = getBool(p, 'quiet');
  const reportDir = getString(p, 'report');
  if (reportDir !== undefined) return report(existingPlan(reportDir), quiet);
  const out = requireString(p, 'out');
  if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file; expected a folder`);
  const unitId = getString(p, 'unit');
  if (unitId !== undefined) return runUnitCommand(out, unitId, quiet);
  const jobs = jobsFlag(p);
  const plans = studyPlan(studyConfigs(p), out);
  for (const pl of plans) {
    ensureDir(pl.dir);
    checkWritable(join(pl.dir, 'metrics.csv'));
  }
  writeStudyConfigs(plans);
  if (getBool(p, 'plan')) return printPlan(plans, quiet);
  const t0 = performance.now();
  await runStudy(plans, { jobs, quiet });
  await report(plans, quiet, (performance.now() - t0) / 1000);
  console.log(
    `\nwall-clock of the whole study: ${((performance.now() - t0) / 1000).toFixed(0)} s (${jobs} job${jobs > 1 ? 's' : ''}); files in ${plans.map((pl) => pl.dir).join(', ')}`,
  );
}
