/**
 * Benchmark tasks by name. Names map to factories, so a task is only built (and its module's
 * work done) when asked for. Hook for further tasks: add an entry to TASKS (e.g. the stochastic
 * HH task, `hh: () => hhTask()` from './hh.js') or call {@link registerTask} at start-up.
 */

import { gaussianLinearTask } from './gaussian-linear.js';
import { gaussianMixtureTask } from './gaussian-mixture.js';
import { hhTask } from './hh.js';
import { ouTask } from './ou.js';
import { slcpTask } from './slcp.js';
import type { Task } from './task.js';
import { twoMoonsTask } from './two-moons.js';
import { InputError } from '../errors.js';

const TASKS: Record<string, () => Task> = {
  two_moons: twoMoonsTask,
  gaussian_linear: gaussianLinearTask,
  slcp: slcpTask,
  gaussian_mixture: gaussianMixtureTask,
  ou: ouTask,
  hh: hhTask,
};

/** Adds (or replaces) a task factory under `name`. */
export function registerTask(name: string, factory: () => Task): void {
  TASKS[name] = factory;
}

/** Names of the registered tasks. */
export function taskNames(): string[] {
  return Object.keys(TASKS);
}

/** The task called `name` (case-insensitive; '-' and '_' alike); unknown names are a InputError. */
export function getTask(name: string): Task {
  const key = name.trim().toLowerCase().replace(/-/g, '_');
  const f = Object.hasOwn(TASKS, key) ? TASKS[key] : undefined;
  if (!f) throw new InputError(`unknown task '${name}' (tasks: ${taskNames().join(', ')})`);
  return f();
}
