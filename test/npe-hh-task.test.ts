/**
 * The HH task used by `mfnpe train --task hh`: joint draws come from the prior box, and
 * simulate(θ_i) reproduces x_i of a joint draw (same stream layout), with any number of workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../src/tasks/registry.js';

test('hh task: prior draws in the box; simulate(θ) reproduces sampleJoint; offsets are disjoint streams', async () => {
  const task = getTask('hh');
  assert.equal(task.thetaDim, 3);
  assert.deepEqual([...task.xNames], ['n_spikes', 'mean_rest', 'std_rest', 'mean_stim']);
  const { theta, x } = await task.sampleJoint(6, 11, { fidelity: 'lf', workers: 1 });
  const { low, high } = task.prior.bounds!;
  for (let i = 0; i < 6; i++) for (let j = 0; j < 3; j++) assert.ok(theta[i * 3 + j] >= low[j] && theta[i * 3 + j] <= high[j]);
  const again = await task.simulate(theta, 11, { fidelity: 'lf' });
  assert.deepEqual(again, x);
  const shifted = await task.sampleJoint(3, 11, { fidelity: 'lf', offset: 3, workers: 1 });
  assert.deepEqual(shifted.theta, theta.subarray(9), 'offset 3 is the tail of the same run');
  assert.deepEqual(shifted.x, x.subarray(12));
});
