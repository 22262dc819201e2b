/**
 * `mfnpe train`: simulate (or read) training pairs, train a posterior with the library's training API
 * (inference/npe.ts, inference/mfnpe.ts), save it to a directory.
 *
 * Methods live in {@link METHODS}: each declares its extra flags and a `run(ctx)` returning the trained
 * posterior, so a new method is one entry.
 */
import { InputError } from '../errors.js';
import { NPE } from '../inference/npe.js';
import type { NpePosterior } from '../inference/posterior.js';
import { type FlagSpec, getString, type Parsed, parseArgs, requireString } from './args.js';
import { checkModelDir, type Method, methodContext } from './train-context.js';
import { MF_NPE_HELP, mfNpeMethod } from './train-mf-npe.js';

export const METHODS: Record<string, Method> = {
  npe: {
    summary: 'neural posterior estimation (single round, amortized)',
    flags: {},
    async run(ctx) {
      const data = await ctx.loadData();
      const npe = new NPE(ctx.spec, { flow: ctx.flow, seed: ctx.seed, support: ctx.support, train: ctx.train });
      const posterior = await npe.appendSimulations(data.theta, data.x).train();
      posterior.meta = { ...posterior.meta, task: ctx.task?.name ?? null };
      return posterior;
    },
  },
  'mf-npe': mfNpeMethod,
};

const BASE_FLAGS: FlagSpec = {
  task: 'string',
  method: 'string',
  sims: 'string',
  seed: 'string',
  hidden: 'string',
  layers: 'string',
  transforms: 'string',
  bins: 'string',
  batch: 'string',
  lr: 'string',
  'max-epochs': 'string',
  support: 'string',
  data: 'string',
  workers: 'string',
  out: 'string',
  quiet: 'boolean',
};

export const help = `mfnpe train --task NAME --method npe --sims N [options] --out MODEL_DIR

Trains a posterior q(θ|x) and saves it to MODEL_DIR (config.json + weights.bin).
  --task NAME        benchmark task (two_moons, gaussian_linear, slcp, gaussian_mixture, ou) or hh
  --method M         ${Object.keys(METHODS).join(', ')} (default npe)
  --sims N           number of simulations (prior draws, streams 0..N−1 of --seed)
  --data FILE        train on these pairs instead (CSV or Arrow; columns theta_*, x_*, or the HH
                     header g_na,g_k,g_l,n_spikes,mean_rest,std_rest,mean_stim)
  --seed S           seed of simulations, network initialization and training (default 0)
  --hidden H         hidden units per layer (default 50)
  --layers L         hidden layers per MADE (default 2)
  --transforms T     autoregressive transforms (default 5)
  --bins K           spline bins (default 8)
  --batch B          batch size (default 200)
  --lr LR            Adam learning rate (default 5e-4)
  --max-epochs E     cap on epochs (default: early stopping only, patience 20)
  --support S        box priors: logit (default; the flow models logit-transformed θ) or
                     rejection (as sbi/sbibm's NPE: z-scored θ, draws outside the box rejected,
                     log-probabilities corrected for the mass outside)
  --workers W        simulation worker threads (default: all cores)
  --quiet            no progress on stderr

${MF_NPE_HELP}`;

/** The method named by --method, after checking that no other method's flags were given. */
function chooseMethod(p: Parsed): { name: string; method: Method } {
  const name = (getString(p, 'method') ?? 'npe').trim().toLowerCase();
  const method = METHODS[name];
  if (!method) throw new InputError(`unknown --method '${name}' (expected ${Object.keys(METHODS).join(' or ')})`);
  for (const [other, m] of Object.entries(METHODS)) {
    if (other === name) continue;
    for (const f of Object.keys(m.flags)) {
      if (p.flags.has(f) && !(f in method.flags) && !(f in BASE_FLAGS)) throw new InputError(`option --${f} applies to --method ${other}, not ${name}`);
    }
  }
  return { name, method };
}

/** One line about the saved model. */
function savedLine(name: string, out: string, posterior: NpePosterior): string {
  const t = posterior.meta.training as Record<string, unknown> | undefined;
  const detail = t
    ? ` (${t.pairs} pairs, ${t.epochs} epochs, best validation loss ${Number(t.bestValidationLoss).toFixed(4)} at epoch ${t.bestEpoch}, ${t.seconds} s)`
    : '';
  return `saved ${name} posterior to ${out}${detail}`;
}

export async function run(argv: string[]): Promise<void> {
  // Method-specific flags are accepted for every method's parse, then checked in chooseMethod.
  const allFlags: FlagSpec = { ...BASE_FLAGS };
  for (const m of Object.values(METHODS)) Object.assign(allFlags, m.flags);
  const p = parseArgs(argv, allFlags, 'train');
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'train'`);
  const { name, method } = chooseMethod(p);
  const out = requireString(p, 'out');
  checkModelDir(out);
  const posterior = await method.run(methodContext(p));
  posterior.meta = { ...posterior.meta, method: name, command: ['mfnpe', 'train', ...argv].join(' ') };
  posterior.save(out);
  console.log(savedLine(name, out, posterior));
  posterior.dispose();
}
