/**
 * Worker-thread entry for batch simulation (loaded by piscina from batch.ts): simulates one chunk of
 * consecutive indices and returns its rows. The rows depend only on (job, index), never on the worker.
 */
import { simulateRows, type BatchJob } from './batch.js';

export default function simulateChunk(task: { job: BatchJob; start: number; end: number }): { rows: Float64Array; events: number } {
  return simulateRows(task.job, task.start, task.end);
}
