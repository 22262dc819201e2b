/**
 * `mfnpe merge SHARD… --out FILE`: joins the shard files of a sharded run (`mfnpe simulate … --shard
 * I/K`, `mfnpe task simulate … --shard I/K`) into the file the unsharded run writes, byte for byte.
 * The logic lives in data/merge.ts.
 */
import { getBool, getString, parseArgs } from './args.js';
import { checkWritable } from '../data/atomic.js';
import { mergeShards } from '../data/merge.js';
import { InputError } from '../errors.js';

export const help = `mfnpe merge: join the shard files of a sharded simulation into the unsharded run's file

usage:
  mfnpe merge SHARD... --out FILE [--quiet]

The shards (written by \`mfnpe simulate … --shard I/K\` or \`mfnpe task simulate … --shard I/K\`, in any
order, e.g. out/shard-*.csv) must come from one run (same command, format, seed, n, fidelity, θ or
prior, task) and cover every simulation index exactly once. FILE is then byte for byte the file the
run writes without --shard (CSV or Arrow, as the shards). A missing, duplicated, overlapping or
foreign shard is refused and no FILE is written. Running the shards on SLURM or Kubernetes:
docs/cluster.md.

options:
  --out FILE   the merged file (written atomically)
  --quiet      no summary line on stderr`;

const SPEC = { out: 'string', quiet: 'boolean' } as const;

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(argv, SPEC, 'merge');
  const out = getString(p, 'out');
  if (out === undefined || out === '-') throw new InputError('missing --out FILE (mfnpe merge SHARD... --out FILE)');
  if (p.positionals.length === 0) throw new InputError('no shard files given (mfnpe merge SHARD... --out FILE)');
  checkWritable(out);
  const shards = await mergeShards(p.positionals, out);
  if (!getBool(p, 'quiet')) {
    const h = shards[0].header;
    process.stderr.write(`mfnpe: merged ${shards.length} shards (${h.n} rows, ${shards[0].format}) into ${out}\n`);
  }
}
