/**
 * A study: the experiment on one or more tasks, run unit by unit (plan.ts) with each unit's results
 * in its own file (unit-files.ts), then reported from those files. Units run in this process
 * (`jobs` = 1), in up to `jobs` worker processes, or one per cluster job (`mfnpe experiment --unit`);
 * the files, and so `metrics.csv`, are the same whichever way they ran. A unit whose file is complete
 * and matches the configuration is skipped, so rerunning a crashed or preempted study resumes it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../data/atomic.js';
import { getTask } from '../tasks/registry.js';
import { simulatorKey, textKey } from './cache.js';
import { type ExperimentConfig, resolveConfigs } from './config.js';
import { type ExperimentContext, prepareContext } from './context.js';
import { unitWork } from './estimate.js';
import { log } from './log.js';
import { planUnits, sequentialStarter, type Unit } from './plan.js';
import { workerPool } from './processes.js';
import { writeReport } from './report.js';
import { assemble } from './run.js';
import type { ReferenceInfo, UnitResult } from './types.js';
import { type ReferenceResult, readUnitFile, unitClock, unitFile, writeSampleFiles, writeUnitFile } from './unit-files.js';
import { referenceResult, runUnit } from './unit.js';

/** One task of a study: its configuration, its output folder and its units. */
export interface TaskPlan {
  cfg: ExperimentConfig;
  dir: string;
  units: Unit[];
}

/** Options of a study run. */
export interface StudyOptions {
  /** Worker processes (1: everything in this process). */
  jobs: number;
  quiet: boolean;
}

/** The file holding a task's resolved settings inside its folder. */
export function configFile(dir: string): string {
  return join(dir, 'config.json');
}

/** The tasks' plans: the first task in `out`, the others in `out/<task>`. */
export function studyPlan(configs: readonly ExperimentConfig[], out: string): TaskPlan[] {
  return configs.map((cfg, i) => ({ cfg, dir: i === 0 ? out : join(out, cfg.task), units: planUnits(cfg) }));
}

/** Writes each task's resolved settings beside its results (read back by unit processes and jobs). */
export function writeStudyConfigs(plans: readonly TaskPlan[]): void {
  for (const p of plans) {
    ensureDir(p.dir);
    const { task, ...rest } = p.cfg;
    writeFileAtomic(configFile(p.dir), `${JSON.stringify({ tasks: [task], ...rest }, null, 2)}\n`);
  }
}

/** The plans of a study folder written by {@link writeStudyConfigs} (the first task's folder is `out`). */
export function readStudyPlan(out: string): TaskPlan[] {
  const first = readTaskPlan(out);
  const plans = [first];
  for (const task of ['hh', 'ou']) {
    const dir = join(out, task);
    if (task !== first.cfg.task && existsSync(configFile(dir))) plans.push(readTaskPlan(dir));
  }
  return plans;
}

/** The plan of one task folder (its config.json). */
export function readTaskPlan(dir: string): TaskPlan {
  const path = configFile(dir);
  if (!existsSync(path)) throw new Error(`${path} does not exist: plan the study first (mfnpe experiment --plan --out ${dir})`);
  const cfg = resolveConfigs(JSON.parse(readFileSync(path, 'utf8')), false)[0];
  return { cfg, dir, units: planUnits(cfg) };
}

/**
 * A hash of what determines a task's results: its settings (not where data are cached or how many
 * threads simulate) and its simulator's key (settings and code version), so a unit file made by
 * another simulator version is recomputed, never mixed in.
 */
export function configHash(cfg: ExperimentConfig): string {
  const { dataDir: _d, workers: _w, figures: _f, ...rest } = cfg;
  const simulator = simulatorKey(getTask(cfg.task));
  return textKey(JSON.stringify({ ...rest, simulator }), 16);
}

/** Whether a unit's file exists and was made with these settings. */
export function unitComplete(plan: TaskPlan, unit: Unit): boolean {
  if (!existsSync(unitFile(plan.dir, unit))) return false;
  try {
    readUnitFile(plan.dir, unit, configHash(plan.cfg));
    return true;
  } catch {
    return false;
  }
}

/** The reference unit's samples and info, when its file is complete (else the context redraws them). */
function savedReference(plan: TaskPlan): { samples: Float64Array[]; info: ReferenceInfo } | undefined {
  if (!unitComplete(plan, plan.units[0])) return undefined;
  const ref = readUnitFile<ReferenceResult>(plan.dir, plan.units[0], configHash(plan.cfg));
  return ref.refSamples ? { samples: ref.refSamples, info: ref.reference } : undefined;
}

/** Runs one unit in this process (with a context for its task, made here if not given) and writes its file. */
export async function runOneUnit(plan: TaskPlan, unit: Unit, quiet: boolean, ctx?: ExperimentContext): Promise<ExperimentContext> {
  const clock = unitClock();
  const c = ctx ?? (await prepareContext(plan.cfg, { quiet, reference: unit.stage === 1 ? savedReference(plan) : undefined }));
  const result = unit.stage === 0 ? referenceResult(c) : await runUnit(unit, c);
  const time = clock();
  if ('samples' in result) writeSampleFiles(plan.dir, result, c.refSamples, c.task.thetaNames);
  writeUnitFile(plan.dir, unit, result, configHash(plan.cfg), time);
  log(quiet, `[${unit.task}] unit ${unit.id} done in ${time.seconds.toFixed(1)} s (${time.cpuSeconds.toFixed(1)} CPU-s)`);
  return c;
}

/**
 * Runs every unit of the plans that is not complete yet. With `jobs` > 1 the units run in up to
 * `jobs` worker processes (processes.ts): a task's replicate units start as soon as its own
 * reference unit is done (another task's may still be running), longest first.
 */
export async function runStudy(plans: readonly TaskPlan[], opts: StudyOptions): Promise<void> {
  if (opts.jobs <= 1) return runStudyHere(plans, opts.quiet);
  // Longest first (by training work): the last units to finish are short ones, so the workers
  // end close together.
  const todo = plans.map((plan) => ({
    plan,
    ref: unitComplete(plan, plan.units[0]) ? undefined : plan.units[0],
    rest: plan.units
      .slice(1)
      .filter((u) => !unitComplete(plan, u))
      .sort((a, b) => unitWork(b, plan.cfg) - unitWork(a, plan.cfg)),
  }));
  const count = todo.reduce((n, t) => n + (t.ref ? 1 : 0) + t.rest.length, 0);
  if (count === 0) return;
  const pool = workerPool(Math.min(opts.jobs, count), opts.quiet);
  try {
    const results = await Promise.allSettled(
      todo.map(async ({ plan, ref, rest }) => {
        if (ref) await pool.run({ dir: plan.dir, unit: ref.id });
        // A pre-trained sequential unit waits for its seed's starter (which pre-trains and caches the
        // flow) when that unit is to run here too; every other unit is queued at once, longest first.
        const started = new Map<string, Promise<void>>();
        const runUnitHere = (u: Unit): Promise<void> => {
          const starter = sequentialStarter(u, plan.cfg);
          const wait = starter && starter.id !== u.id ? started.get(starter.id) : undefined;
          const p = wait ? wait.then(() => pool.run({ dir: plan.dir, unit: u.id })) : pool.run({ dir: plan.dir, unit: u.id });
          started.set(u.id, p);
          return p;
        };
        const done = await Promise.allSettled(rest.map(runUnitHere));
        const failed = done.find((d) => d.status === 'rejected');
        if (failed) throw (failed as PromiseRejectedResult).reason;
      }),
    );
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } finally {
    await pool.close();
  }
}

/**
 * Every incomplete unit in this process, task by task, with one context per task: made by the task's
 * first unit (from the reference unit's file when that unit is a replicate unit), then reused.
 */
async function runStudyHere(plans: readonly TaskPlan[], quiet: boolean): Promise<void> {
  for (const plan of plans) {
    let ctx: ExperimentContext | undefined;
    for (const unit of plan.units) if (!unitComplete(plan, unit)) ctx = await runOneUnit(plan, unit, quiet, ctx);
  }
}

/** Reports each task from its unit files (metrics.csv, summary.csv, …, figures); returns the printed summaries. */
export async function reportStudy(
  plans: readonly TaskPlan[],
  opts: { quiet: boolean; wallSeconds?: number },
): Promise<{ plan: TaskPlan; text: string; res: Awaited<ReturnType<typeof assemble>> }[]> {
  const out = [];
  for (const plan of plans) {
    const hash = configHash(plan.cfg);
    const ref = readUnitFile<ReferenceResult>(plan.dir, plan.units[0], hash);
    const results = plan.units.slice(1).map((u) => readUnitFile<UnitResult>(plan.dir, u, hash));
    const wall = opts.wallSeconds ?? 0;
    const res = await assemble(plan.cfg, ref, results, wall, opts.quiet);
    out.push({ plan, text: await writeReport(res, plan.dir, { totalWallSeconds: opts.wallSeconds }), res });
  }
  return out;
}
