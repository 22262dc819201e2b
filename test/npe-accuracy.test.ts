/**
 * NPE accuracy on the SBI benchmark's two_moons task at 10³ simulations: C2ST against the public
 * reference posterior samples of observation 1 (2,000 vs 2,000 samples to keep the test short).
 * Published NPE at 10³ simulations: 0.725 (mean over 10 observations, 10⁴ vs 10⁴ samples). Samples from the prior
 * score ≈ 0.97, so the threshold cannot pass by chance. The full comparison (10 observations,
 * 10⁴ samples, four tasks, 10³ and 10⁴ simulations) is scripts/bench-npe-accuracy.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../src/tasks/registry.js';
import { NPE } from '../src/inference/npe.js';
import { c2st } from '../src/metrics/c2st.js';
import { sbibmFile } from './helpers/sbibm-data.js';

test('two_moons, 10³ simulations: C2ST vs the reference posterior ≤ 0.70 (2,000 vs 2,000 samples)', async (t) => {
  const task = getTask('two_moons');
  const data = await task.sampleJoint(1000, 0);
  const posterior = await new NPE(task, { seed: 0 }).appendSimulations(data.theta, data.x).train({ quiet: true });
  const xo = sbibmFile('two_moons', 'observation').data;
  const ref = sbibmFile('two_moons', 'reference_posterior_samples').data.subarray(0, 2000 * 2);
  const samples = await posterior.sample(2000, xo, 1);
  const acc = await c2st(ref, samples, 2, { seed: 0 });
  t.diagnostic(`C2ST vs reference: ${acc.toFixed(3)}`);
  // With 2,000 samples a side the classifier sees less than with sbibm's 10⁴, so scores run lower
  // (this network: ≈ 0.57 here, 0.67 with 10⁴); 0.70 still fails for a visibly wrong posterior.
  assert.ok(acc <= 0.7, `C2ST ${acc}`);
  // The same classifier separates the prior from the reference: the test has teeth.
  const prior = task.prior.sample(2000, new (await import('../src/random.js')).Rng(3));
  const accPrior = await c2st(ref, prior, 2, { seed: 0 });
  assert.ok(accPrior > 0.9, `prior vs reference C2ST ${accPrior}`);
  posterior.dispose();
});
