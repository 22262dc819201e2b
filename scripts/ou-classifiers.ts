/**
 * OU: how much of the gap between our C2ST and the published MF-NPE numbers is the classifier?
 * Trains NPE and MF-NPE (10⁴ LF) on seed 0's cached HF pairs (50, 100, 1000) as the experiment does,
 * samples 1000 posterior draws at the first 10 test observations, and scores each against the exact
 * posterior with our MLP C2ST and with a random forest (scripts/c2st-sklearn.py --classifier rf, scikit-learn).
 *
 *   node --import tsx scripts/ou-classifiers.ts [--data-dir data] > results/ou-classifiers.csv
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTask } from '../src/tasks/registry.js';
import { NPE } from '../src/inference/npe.js';
import { MFNPE } from '../src/inference/mfnpe.js';
import { c2st } from '../src/metrics/c2st.js';
import { cachedJoint } from '../src/experiment/cache.js';
import { LF_STREAM_OFFSET } from '../src/experiment/seeds.js';
import { Rng, STREAM_OFFSET } from '../src/random.js';
import type { NpePosterior } from '../src/inference/posterior.js';

process.env.MFNPE_QUIET = '1';
const dataDir = process.argv.includes('--data-dir') ? process.argv[process.argv.indexOf('--data-dir') + 1] : 'data';
const task = getTask('ou');
const seed = 0;
const S = 1000;
const cache = { dir: dataDir, quiet: true };
const hf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'hf', seed, offset: 0, n: 1000 });
const lf = await cachedJoint(task, { ...cache, purpose: 'train', fidelity: 'lf', seed, offset: LF_STREAM_OFFSET, n: 10000 });
const test = await cachedJoint(task, { ...cache, purpose: 'test', fidelity: 'hf', seed: 0, offset: STREAM_OFFSET.test, n: 10 });
const tmp = mkdtempSync(join(tmpdir(), 'ou-classifiers-'));
const csv = (a: Float64Array) => 'theta_1,theta_2\n' + Array.from({ length: a.length / 2 }, (_, i) => `${a[2 * i]},${a[2 * i + 1]}`).join('\n') + '\n';
const prefix = (n: number) => ({ theta: hf.theta.subarray(0, 2 * n), x: hf.x.subarray(0, 10 * n) });
const mf = new MFNPE(task, { seed });
await mf.pretrain(lf.theta, lf.x);
console.log('method,n_hf,obs,c2st_mlp,c2st_rf');
for (const nHf of [50, 100, 1000]) {
  const models: [string, NpePosterior][] = [
    ['npe', await new NPE(task, { seed }).appendSimulations(prefix(nHf).theta, prefix(nHf).x).train()],
    ['mf-npe', await mf.finetune(prefix(nHf).theta, prefix(nHf).x)],
  ];
  for (let k = 0; k < 10; k++) {
    const x = test.x.subarray(10 * k, 10 * k + 10);
    const ref = task.referencePosterior!(Float64Array.from(x), S, new Rng(k, STREAM_OFFSET.aux).seed31());
    const refPath = join(tmp, `ref-${k}.csv`);
    writeFileSync(refPath, csv(ref));
    for (const [name, q] of models) {
      const s = await q.sample(S, x, k + 1);
      const path = join(tmp, `${name}-${nHf}-${k}.csv`);
      writeFileSync(path, csv(s));
      const mlp = await c2st(ref, s, 2, { seed: k });
      const rfOut = execFileSync('/usr/bin/python3', [join(import.meta.dirname, 'c2st-sklearn.py'), refPath, path, '--seed', String(k), '--classifier', 'rf'], {
        encoding: 'utf8',
      });
      const rf = Number(rfOut.trim().split('\n').at(-1)); // the accuracy is the last line
      console.log(`${name},${nHf},${k},${mlp.toFixed(4)},${rf.toFixed(4)}`);
    }
  }
  for (const [, q] of models) q.dispose();
}
