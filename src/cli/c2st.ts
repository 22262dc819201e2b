/**
 * `mfnpe c2st A.csv B.csv [--seed S]`: classifier two-sample test accuracy (sbibm's C2ST; see
 * metrics/c2st.ts). Prints details on stderr-free lines and the accuracy as the last line.
 */
import { getBool, getString, parseArgs, parseSeed } from './args.js';
import { readSamplePair } from '../metrics/samples.js';
import { InputError } from '../errors.js';
import { c2stDetailed } from '../metrics/c2st.js';

export const help = `mfnpe c2st: classifier two-sample test (C2ST) accuracy between two sample sets

usage: mfnpe c2st A.csv B.csv [--seed S] [--stopping validation|sbibm] [--quiet]

A.csv, B.csv    one header row, numeric columns, same number of columns (e.g. reference and
                approximate posterior samples). A is the reference: both sets are z-scored with A's
                mean and standard deviation.
--seed S        seed of the folds, initialization and minibatches (default 0)
--stopping R    validation (default): stop each fold on a 10 % held-out split's log loss (fast);
                sbibm: scikit-learn's rule (training loss, up to 1000 epochs), as the SBI benchmark
--quiet         print only the accuracy

Classifier: MLP with two hidden layers of 10·d ReLU units, Adam (lr 1e-3), batch 200, L2 1e-4,
5-fold shuffled cross-validation (sbibm's settings). Output: 0.5 = indistinguishable, 1 = disjoint;
the accuracy is the last line.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { seed: 'string', stopping: 'string', quiet: 'boolean' }, 'c2st');
  if (p.positionals.length !== 2) throw new InputError(`c2st needs two CSV files (A.csv B.csv), got ${p.positionals.length} argument(s)`);
  const seed = parseSeed(getString(p, 'seed'));
  const stopping = getString(p, 'stopping') ?? 'validation';
  if (stopping !== 'validation' && stopping !== 'sbibm') throw new InputError(`--stopping must be validation or sbibm, got '${stopping}'`);
  const [fa, fb] = p.positionals;
  const s = readSamplePair(fa, fb, 1);
  if (s.nA + s.nB < 20) throw new InputError(`c2st needs at least 20 samples in total for 5-fold cross-validation, got ${s.nA} + ${s.nB}`);
  const r = await c2stDetailed(s.a, s.b, s.dim, { seed, stopping });
  if (!getBool(p, 'quiet')) {
    console.log(`samples ${s.nA} vs ${s.nB}, dimension ${s.dim}, stopping ${stopping}, seed ${seed}`);
    console.log(`fold accuracies ${r.foldAccuracies.map((a) => a.toFixed(4)).join(' ')}; epochs ${r.epochs.join(' ')}; ${r.seconds.toFixed(2)} s`);
  }
  console.log(String(r.accuracy));
}
