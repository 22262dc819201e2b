/**
 * Joint draws (θ_i ~ prior, x_i ~ simulator(θ_i)) of a task with a progress line on stderr: the one
 * place where commands, the experiment cache and notebooks simulate training data with a ticker.
 */
import { Progress, type ProgressOptions } from '../data/progress.js';
import type { Pairs } from '../inference/pairs.js';
import type { SimulateOptions, Task } from './task.js';

/** Options of {@link sampleJointWithProgress}: the task's simulate options plus the progress line. */
export interface SampleWithProgressOptions extends Omit<SimulateOptions, 'onProgress'> {
  /** Label of the progress line (default 'simulate <task> <FIDELITY>'). */
  label?: string;
  /** No progress line. */
  quiet?: boolean;
  /** Progress settings (stream, interval). */
  progress?: Omit<ProgressOptions, 'quiet' | 'unit'>;
}

/** n joint draws of `task` from streams (seed, offset + i), reporting progress. */
export async function sampleJointWithProgress(task: Task, n: number, seed: number, opts: SampleWithProgressOptions = {}): Promise<Pairs> {
  const { label, quiet, progress, ...sim } = opts;
  const prog = new Progress(label ?? `simulate ${task.name} ${(sim.fidelity ?? 'hf').toUpperCase()}`, n, { ...progress, quiet, unit: 'sims' });
  let last = 0;
  const data = await task.sampleJoint(n, seed, {
    ...sim,
    onProgress: (done) => {
      prog.tick(done - last);
      last = done;
    },
  });
  prog.finish();
  return data;
}
