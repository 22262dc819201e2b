/**
 * MF-NPE beats NPE on the OU task (Krouglova et al.'s first task) on a fixed seed, in a way that
 * cannot pass by chance: on 200 held-out HF test pairs (streams disjoint from training), the paired
 * NLTP difference MF-NPE − NPE (same 50 HF training pairs, same initialization stream, same split)
 * has a 95 % confidence interval entirely below zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../src/tasks/registry.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import { NPE } from '../src/inference/npe.js';
import { nltp } from '../src/metrics/nltp.js';
import { meanConfidenceInterval } from '../src/metrics/stats.js';
import { STREAM_OFFSET } from '../src/random.js';

process.env.MFNPE_QUIET = '1';

test('OU: MF-NPE (2000 LF → 50 HF) has lower NLTP than NPE (50 HF), paired 95 % CI below 0', async () => {
  const task = getTask('ou');
  const seed = 7;
  const lf = await task.sampleJoint(2000, seed, { fidelity: 'lf', offset: STREAM_OFFSET.lf });
  const hf = await task.sampleJoint(50, seed, { fidelity: 'hf' });
  const testSet = await task.sampleJoint(200, 0, { fidelity: 'hf', offset: STREAM_OFFSET.test });
  const npe = await new NPE(task, { seed }).appendSimulations(hf.theta, hf.x).train();
  const mf = new MFNPE(task, { seed, pretrain: { maxEpochs: 300 } });
  await mf.pretrain(lf.theta, lf.x);
  const fine = await mf.finetune(hf.theta, hf.x);
  const a = await nltp(npe, testSet.theta, testSet.x);
  const b = await nltp(fine, testSet.theta, testSet.x);
  const d = b.values.map((v, i) => v - a.values[i]);
  const ci = meanConfidenceInterval(d);
  assert.equal(a.nonFinite + b.nonFinite, 0);
  assert.ok(
    ci.upper < 0,
    `NLTP MF-NPE ${b.mean.toFixed(3)} vs NPE ${a.mean.toFixed(3)}: paired difference ${ci.mean.toFixed(3)} [${ci.lower.toFixed(3)}, ${ci.upper.toFixed(3)}]`,
  );
  for (const p of [npe, fine]) p.dispose();
  mf.dispose();
});
