/**
 * `mfnpe sample`: posterior samples θ ~ q(θ | x) from a saved model, as CSV (header theta_1,…).
 */
import { getString, parseArgs, parseCount, parseList, parseSeed, requireString } from './args.js';
import { checkWritable } from '../data/atomic.js';
import { writeCsv } from '../data/csv.js';
import { makeTable } from '../data/table.js';
import { loadAnyPosterior } from '../inference/load-any.js';
import { InputError } from '../errors.js';

export const help = `mfnpe sample --model MODEL_DIR --x X1,X2,... --n N [--seed S] --out FILE.csv

Draws N samples from the saved posterior at observation x (negative values work:
--x=-0.64,0.16 or --x -0.64,0.16). Output CSV header: theta_1,...,theta_D. --out - writes to stdout.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { model: 'string', x: 'string', n: 'string', seed: 'string', out: 'string' }, 'sample');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'sample'`);
  const dir = requireString(p, 'model');
  const xText = requireString(p, 'x');
  const n = parseCount(requireString(p, 'n'), '--n');
  const seed = parseSeed(getString(p, 'seed'));
  const out = requireString(p, 'out');
  if (out !== '-') checkWritable(out);
  const post = await loadAnyPosterior(dir);
  const x = parseList(xText, `--x (model ${dir} expects ${post.xNames.join(',')})`, post.xDim);
  const theta = await post.sample(n, x, seed);
  writeCsv(
    out,
    makeTable(
      Array.from({ length: post.thetaDim }, (_, j) => `theta_${j + 1}`),
      theta,
    ),
  );
  post.dispose();
}
