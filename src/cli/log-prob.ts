/**
 * `mfnpe log-prob`: log q(θ | x) of a saved model on the rows of a table (columns theta_*, x_*).
 * Prints one value per row, then their mean as the last line (its label goes to stderr).
 */
import { getString, parseArgs, requireString } from './args.js';
import { loadAnyPosterior } from '../inference/load-any.js';
import { readPairs } from '../tasks/pairs-file.js';
import { writeCsv } from '../data/csv.js';
import { makeTable } from '../data/table.js';
import { InputError } from '../errors.js';

export const help = `mfnpe log-prob --model MODEL_DIR --data FILE [--out FILE.csv]

log q(θ|x) for each row of FILE (CSV or Arrow; columns theta_*, x_*, or the model's θ/x names):
one value per line on stdout, then the mean over the rows as the last line.
--out FILE.csv also writes a CSV with a log_prob column.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { model: 'string', data: 'string', out: 'string' }, 'log-prob');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'log-prob'`);
  const dir = requireString(p, 'model');
  const dataPath = requireString(p, 'data');
  const out = getString(p, 'out');
  const post = await loadAnyPosterior(dir);
  const { theta, x, thetaCols, xCols } = readPairs(dataPath, post);
  if (thetaCols.length !== post.thetaDim || xCols.length !== post.xDim) {
    throw new InputError(`${dataPath} has ${thetaCols.length} θ and ${xCols.length} x columns; the model expects ${post.thetaDim} and ${post.xDim}`);
  }
  const lp = await post.logProb(theta, x);
  let mean = 0;
  for (const v of lp) mean += v / lp.length;
  const lines: string[] = [];
  for (const v of lp) lines.push(String(v));
  lines.push(String(mean));
  process.stdout.write(lines.join('\n') + '\n');
  process.stderr.write(`mfnpe: last line: mean log q(θ|x) over ${lp.length} rows\n`);
  if (out) {
    writeCsv(out, makeTable(['log_prob'], Float64Array.from(lp)));
  }
  post.dispose();
}
