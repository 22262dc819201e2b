/** The observed voltage trace behind HH test observation 0, for the posterior-predictive figure. */
import { hhPrior } from '../prior.js';
import { STREAM_OFFSET, streamRng } from '../random.js';
import { simulateTrace } from '../simulators/simulate.js';

/** The HF trace of test pair 0 (same stream as its summary statistics: (testSeed, STREAM_OFFSET.test)). */
export function observedTrace(testSeed: number): Float64Array {
  const rng = streamRng(testSeed, STREAM_OFFSET.test);
  const theta = hhPrior().sampleOne(rng);
  return simulateTrace('hf', theta, rng).v;
}
