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
import { STREAM_OFFSET } from '../random.js';
import { readPairs } from '../tasks/pairs-file.js';
import { sampleJointWithProgress } from '../tasks/sample-joint.js';
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
};

export const MF_NPE_HELP = `MF-NPE (--method mf-npe): pre-train on LF, then fine-tune all weights on HF (--sims/--data)
  --lf-sims M        LF simulations of the task for pre-training (streams 2^39 + i of --seed)
  --lf-data FILE     pre-train on these LF pairs instead (same columns as --data)
  --pretrain-lr LR   pre-training learning rate (default 1e-4; --lr is the fine-tuning one, 5e-4)
  --pretrain-max-epochs E  cap on pre-training epochs (default: early stopping only)
  --freeze NAMES     weight tensors kept at their pre-trained values while fine-tuning (default
                     none): context_w, context_b, input_w, hidden_w, hidden_b, output_w, output_b
  --save-pretrained DIR  also save the LF-only flow (the npe-lf baseline)
  --keep-lf-standardizer  fine-tune with the LF x standardizer instead of refitting it on the HF
                     pairs (the spec's default refits; with very few HF pairs keeping it can be better)`;

/** The LF pre-training pairs: --lf-data, or --lf-sims simulations of the task's LF simulator. */
async function loadLf(ctx: MethodContext): Promise<Pairs> {
  const p = ctx.args;
  const lfPath = getString(p, 'lf-data');
  const lfSimsText = getString(p, 'lf-sims');
  if (lfPath && lfSimsText !== undefined) throw new InputError('give either --lf-sims or --lf-data, not both');
  if (lfPath) {
    const d = readPairs(lfPath, ctx.task);
    if (d.thetaCols.length !== ctx.spec.thetaDim || d.xCols.length !== ctx.spec.xDim) {
      throw new InputError(`${lfPath} has ${d.thetaCols.length} θ and ${d.xCols.length} x columns; the HF data have ${ctx.spec.thetaDim} and ${ctx.spec.xDim}`);
    }
    return { theta: d.theta, x: d.x };
  }
  if (lfSimsText === undefined) throw new InputError('--method mf-npe needs --lf-sims M (or --lf-data FILE)');
  const n = parseCount(lfSimsText, '--lf-sims', 2);
  const task = ctx.task;
  if (!task) throw new InputError('--lf-sims needs --task (or give --lf-data FILE)');
  if (!task.fidelities.includes('lf')) throw new InputError(`task ${task.name} has no LF simulator; use --task hh or ou, or --lf-data FILE`);
  return sampleJointWithProgress(task, n, ctx.seed, {
    fidelity: 'lf',
    offset: STREAM_OFFSET.lf,
    workers: ctx.workers,
    quiet: ctx.quiet,
    label: `simulate ${task.name} LF`,
  });
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
    // Read or simulate both data sets before training (input errors come first).
    const lf = await loadLf(ctx);
    const hf = await ctx.loadData();
    const mf = new MFNPE(ctx.spec, { flow: ctx.flow, seed: ctx.seed, support: ctx.support, ...stages });
    const pre = await mf.pretrain(lf.theta, lf.x);
    if (savePre) {
      pre.meta = { ...pre.meta, task: ctx.task?.name ?? null, command: ['mfnpe', 'train', ...process.argv.slice(3)].join(' ') };
      pre.save(savePre);
    }
    const fine = await mf.finetune(hf.theta, hf.x);
    mf.dispose();
    fine.meta = { ...fine.meta, task: ctx.task?.name ?? null, lfPairs: lf.theta.length / ctx.spec.thetaDim };
    return fine;
  },
};
