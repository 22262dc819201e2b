/**
 * Entry of a unit worker process (forked by processes.ts with an IPC channel): runs the units it is
 * sent, one after another, and answers each with a `done` message. It keeps one context per task
 * folder between units, as a study in one process does (study.ts): the context made for a task's
 * reference unit serves the task's replicate units, and a worker whose first unit of a task is a
 * replicate unit makes the context from the reference unit's file. It exits when its channel to the
 * parent closes (the study ended, or the parent died).
 */
import { getTf } from '../backend.js';
import type { ExperimentContext } from './context.js';
import type { UnitRequest, WorkerMessage } from './processes.js';
import { readTaskPlan, runOneUnit, type TaskPlan } from './study.js';

if (!process.send) throw new Error('unit-worker runs as a worker process of mfnpe experiment --jobs (forked with an IPC channel)');

/** The plan and, once a unit has run, the context of each task folder this worker has run units of. */
const tasks = new Map<string, { plan: TaskPlan; ctx?: ExperimentContext }>();

/** Runs one unit; resolves with the answer to send (its error message when it failed). */
async function runRequest(req: UnitRequest): Promise<WorkerMessage> {
  try {
    let task = tasks.get(req.dir);
    if (!task) {
      task = { plan: readTaskPlan(req.dir) };
      tasks.set(req.dir, task);
    }
    const unit = task.plan.units.find((u) => u.id === req.unit);
    if (!unit) throw new Error(`no unit ${req.unit} in ${req.dir}/config.json`);
    task.ctx = await runOneUnit(task.plan, unit, req.quiet, task.ctx);
    return { kind: 'done', unit: req.unit };
  } catch (e) {
    const err = e as Error;
    if (process.env.MFNPE_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return { kind: 'done', unit: req.unit, error: err?.message ?? String(e) };
  }
}

let queue = Promise.resolve();
process.on('message', (req: UnitRequest) => {
  queue = queue.then(async () => {
    const answer = await runRequest(req);
    process.send?.(answer, () => {});
  });
});
process.on('disconnect', () => process.exit(0));

// Start TensorFlow.js before the first unit (a failure shows again, as that unit's error).
await getTf().catch(() => {});
process.send({ kind: 'ready' } satisfies WorkerMessage);
