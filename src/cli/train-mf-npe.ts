/**
 * `mfnpe train --method mf-npe`: pre-train on LF pairs (--lf-sims M simulations of the task's LF
 * simulator, streams (seed, 2³⁹ + i), or --lf-data FILE), then fine-tune all weights on HF pairs
 * (--sims N, streams (seed, i), or --data FILE). Saves the fine-tuned posterior; with
 * --save-pretrained DIR also the LF-only flow (the npe-lf baseline).
 */
import { InputError } from '../errors.js';
import { nsfConfig, Nsf } from '../flows/nsf.js';
import { MFNPE } from '../inference/mfnpe.js';
import type { Pairs } from '../inference/pairs.js';
import type { NpePosterior } from '../inference/posterior.js';
import type { TrainOptions } from '../inference/train.js';
import { type LadderLevel, ladderPairs, parseLadder } from '../tasks/ladder.js';
import { countFlag, type FlagSpec, getBool, getString, parseCount, positiveFlag } from './args.js';
import type { Method, MethodContext } from './train-context.js';

export const MF_NPE_FLAGS: FlagSpec = {
  'lf-sims': 'string',
  'lf-data': 'string',
  'pretrain-lr': 'string',
  'pretrain-max-epochs': 'string',
  freeze: 'string',
  'save-pretrained': 'string',
  'keep-lf-standardizer': 'boolean',
  ladder: 'string',
};

export const MF_NPE_HELP = `MF-NPE (--method mf-npe): pre-train on LF, then fine-tune all weights on HF (--sims/--data)
  --lf-sims M        LF simulations of the task for pre-training (streams 2^39 + i of --seed)
  --lf-data FILE     pre-train on these LF pairs instead (same columns as --data)
  --ladder LEVELS    a fidelity ladder instead of --lf-sims/--lf-data: pre-train on the first level, fine-tune
                     on each next one, then on HF (--sims/--data); levels cheapest first, FIDELITY:N
                     simulations or FIDELITY:@FILE, e.g. lf:10000,mf:1000 (LF streams 2^39 + i, MF
                     2^39 + 2^38 + i of --seed)
  --pretrain-lr LR   pre-training learning rate (default 1e-4; --lr is the fine-tuning one, 5e-4)
  --pretrain-max-epochs E  cap on pre-training epochs (default: early stopping only)
  --freeze NAMES     weight tensors kept at their pre-trained values while fine-tuning (default
                     none): context_w, context_b, input_w, hidden_w, hidden_b, output_w, output_b
  --save-pretrained DIR  also save the LF-only flow (the npe-lf baseline)
  --keep-lf-standardizer  fine-tune with the LF x standardizer instead of refitting it on the HF
                     pairs (the spec's default refits; with very few HF pairs keeping it can be better)`;

/** The pre-training levels: --ladder, else one LF level from --lf-sims or --lf-data. */
function ladderLevels(ctx: MethodContext): LadderLevel[] {
  const p = ctx.args;
  const ladder = getString(p, 'ladder');
  const lfPath = getString(p, 'lf-data');
  const lfSimsText = getString(p, 'lf-sims');
  if (ladder !== undefined && (lfPath !== undefined || lfSimsText !== undefined)) throw new InputError('give either --ladder or --lf-sims/--lf-data, not both');
  if (ladder !== undefined) return parseLadder(ladder);
  if (lfPath && lfSimsText !== undefined) throw new InputError('give either --lf-sims or --lf-data, not both');
  if (lfPath) return [{ fidelity: 'lf', file: lfPath }];
  if (lfSimsText === undefined) throw new InputError('--method mf-npe needs --lf-sims M, --lf-data FILE or --ladder LEVELS');
  if (!ctx.task) throw new InputError('--lf-sims needs --task (or give --lf-data FILE)');
  if (!ctx.task.fidelities.includes('lf')) throw new InputError(`task ${ctx.task.name} has no LF simulator; use --task hh or ou, or --lf-data FILE`);
  return [{ fidelity: 'lf', n: parseCount(lfSimsText, '--lf-sims', 2) }];
}

/** Every level's pairs, read or simulated before any training (input errors come first). */
async function loadLevels(ctx: MethodContext, levels: LadderLevel[]): Promise<Pairs[]> {
  const out: Pairs[] = [];
  const dims = { thetaDim: ctx.spec.thetaDim, xDim: ctx.spec.xDim };
  for (const level of levels) out.push(await ladderPairs(level, ctx.task, ctx.seed, { workers: ctx.workers, quiet: ctx.quiet, dims }));
  return out;
}

/** --freeze NAMES, checked against the flow's weight tensors. */
function frozenWeights(ctx: MethodContext): string[] {
  const text = getString(ctx.args, 'freeze');
  const freeze = text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];
  const names = Nsf.weightShapes(nsfConfig({ ...ctx.flow, thetaDim: ctx.spec.thetaDim, xDim: ctx.spec.xDim })).map((w) => w.name);
  for (const f of freeze) if (!names.includes(f)) throw new InputError(`--freeze: unknown weight '${f}' (expected some of ${names.join(', ')})`);
  if (freeze.length === names.length) throw new InputError('--freeze: every weight is frozen, nothing would be fine-tuned');
  return freeze;
}

/** Pre-training and fine-tuning options from the flags. */
function stageOptions(ctx: MethodContext): { pretrain: TrainOptions; finetune: TrainOptions } {
  const p = ctx.args;
  const pretrainMax = getString(p, 'pretrain-max-epochs');
  return {
    pretrain: {
      ...ctx.train,
      learningRate: positiveFlag(p, 'pretrain-lr', 1e-4),
      maxEpochs: pretrainMax === undefined ? undefined : countFlag(p, 'pretrain-max-epochs', 1),
      label: 'pre-train (LF)',
    },
    finetune: { ...ctx.train, freeze: frozenWeights(ctx), refitX: !getBool(p, 'keep-lf-standardizer'), label: 'fine-tune (HF)' },
  };
}

export const mfNpeMethod: Method = {
  summary: 'multifidelity NPE: pre-train on LF simulations, fine-tune all weights on HF',
  flags: MF_NPE_FLAGS,
  async run(ctx): Promise<NpePosterior> {
    const stages = stageOptions(ctx);
    const savePre = getString(ctx.args, 'save-pretrained');
    const levels = ladderLevels(ctx);
    const data = await loadLevels(ctx, levels);
    const hf = await ctx.loadData();
    const mf = new MFNPE(ctx.spec, { flow: ctx.flow, seed: ctx.seed, support: ctx.support, ...stages });
    await mf.pretrain(data[0].theta, data[0].x);
    for (const [k, d] of data.slice(1).entries()) (await mf.advance(d.theta, d.x, { label: `fine-tune (${levels[k + 1].fidelity.toUpperCase()})` })).dispose();
    const pre = mf.pretrained!;
    if (savePre) {
      pre.meta = { ...pre.meta, task: ctx.task?.name ?? null, command: ['mfnpe', 'train', ...process.argv.slice(3)].join(' ') };
      pre.save(savePre);
    }
    const fine = await mf.finetune(hf.theta, hf.x);
    mf.dispose();
    const ladder = levels.map((l, k) => ({ fidelity: l.fidelity, pairs: data[k].theta.length / ctx.spec.thetaDim }));
    fine.meta = { ...fine.meta, task: ctx.task?.name ?? null, lfPairs: ladder[0].pairs, ladder };
    return fine;
  },
};
