/**
 * `mfnpe mmd A.csv B.csv`: the SBI benchmark's unbiased squared MMD (Gaussian kernel, bandwidth =
 * median pairwise distance within A, the reference). Prints MMD² as the last line.
 */
import { getBool, parseArgs } from './args.js';
import { mmdDetailed } from '../metrics/mmd.js';
import { readSamplePair } from '../metrics/samples.js';
import { InputError } from '../errors.js';

export const help = `mfnpe mmd: unbiased squared maximum mean discrepancy between two sample sets

usage: mfnpe mmd A.csv B.csv [--quiet]

A.csv, B.csv   one header row, numeric columns, same number of columns. A is the reference: the
               Gaussian kernel exp(−‖a−b‖²/(2s²)) uses s = median pairwise distance within A
               (lower median for an even count), as the SBI benchmark (sbibm) does.
--quiet        print only MMD²

Output: a line with the sizes and the bandwidth s, then MMD² (unbiased, can be slightly negative)
as the last line. No n² matrix is stored: 10⁴ × 10⁴ samples need a few MB.`;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, { quiet: 'boolean' }, 'mmd');
  if (p.positionals.length !== 2) throw new InputError(`mmd needs two CSV files (A.csv B.csv), got ${p.positionals.length} argument(s)`);
  const [fa, fb] = p.positionals;
  const s = readSamplePair(fa, fb, 2);
  const r = mmdDetailed(s.a, s.b, s.dim);
  if (!(r.bandwidth > 0)) throw new InputError(`${fa}: all reference samples are identical, so the kernel bandwidth is 0`);
  if (!getBool(p, 'quiet')) console.log(`samples ${s.nA} vs ${s.nB}, dimension ${s.dim}, bandwidth ${r.bandwidth}`);
  console.log(String(r.mmd2));
}
