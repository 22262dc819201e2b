/**
 * The fit loop of sbi's training (Greenberg et al. 2019; sbi's `train`): Adam on minibatches reshuffled
 * every epoch (last partial batch dropped), validation loss after every epoch, early stopping once it
 * has not improved for `patience` epochs, and the best weights restored at the end.
 */
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend.js';
import { Nsf } from '../flows/nsf.js';
import { Rng, STREAM_OFFSET } from '../random.js';
import type { SplitData } from './split.js';
import { makeTrainStep, meanLoss } from './step.js';

/** One epoch of training, as reported to `onEpoch` (losses are −log q per pair in flow coordinates). */
export interface EpochInfo {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss (−log q per pair, flow coordinates) over the epoch's batches. */
  trainLoss: number;
  /** Validation loss (−log q per pair, flow coordinates). */
  valLoss: number;
  /** Best validation loss so far (including this epoch). */
  best: number;
  /** Whether this epoch improved on the best validation loss. */
  improved: boolean;
  /** Milliseconds since training started. */
  elapsedMs: number;
}

/** Settings of the fit loop (resolved defaults). */
export interface FitSettings {
  learningRate: number;
  batchSize: number;
  clipNorm: number;
  patience: number;
  maxEpochs: number;
  seed: number;
  freeze: readonly string[];
  /** The starting weights compete in early stopping as epoch 0. */
  startCandidate: boolean;
  /**
   * The validation conditions as the starting flow saw them (under its own x standardizer, when the
   * training refits it): epoch 0 is scored on these, so the candidate is the starting flow as it was.
   */
  startValC?: Float32Array;
  label: string;
  quiet: boolean;
  onEpoch?: (info: EpochInfo) => void;
}

/** What the fit loop did. */
export interface FitOutcome {
  history: EpochInfo[];
  best: number;
  bestEpoch: number;
  steps: number;
  stepMs: number;
}

/** The flow's variables that are trained (all but the frozen tensors). */
export function trainableVariables(flow: Nsf, freeze: readonly string[]): tfType.Variable[] {
  const names = Nsf.weightShapes(flow.cfg).map((w) => w.name);
  for (const f of freeze) if (!names.includes(f)) throw new RangeError(`cannot freeze '${f}': the flow's weights are ${names.join(', ')}`);
  const trainable = flow.variables.filter((_, i) => !freeze.includes(names[i]));
  if (trainable.length === 0) throw new RangeError('every weight tensor is frozen: nothing to train');
  return trainable;
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toFixed(4) : String(v);
}

/** A progress line on stderr: redrawn on a terminal, else at most every 10 s and at the end. */
function progressPrinter(label: string, quiet: boolean): (info: EpochInfo, bestEpoch: number, done: boolean) => void {
  const tty = Boolean(process.stderr.isTTY);
  let last = performance.now();
  return (info, bestEpoch, done) => {
    const now = performance.now();
    if (quiet || !(tty || now - last > 10_000 || done)) return;
    const line =
      `${label}: epoch ${info.epoch}, train ${fmt(info.trainLoss)}, val ${fmt(info.valLoss)}, best ${fmt(info.best)} (epoch ${bestEpoch}), ` +
      `${(info.elapsedMs / 1000).toFixed(1)} s`;
    process.stderr.write(tty ? `\r\x1b[K${line}${done ? '\n' : ''}` : `${line}\n`);
    last = now;
  };
}

/** One epoch over the training set in the given order; returns the mean batch loss and step time. */
function runEpoch(
  tf: Tf,
  step: (z: tfType.Tensor2D, c: tfType.Tensor2D) => number,
  data: SplitData,
  order: Int32Array | number[],
  bs: number,
  dims: { D: number; C: number },
  buf: { z: Float32Array; c: Float32Array },
): { loss: number; ms: number; steps: number } {
  const { D, C } = dims;
  const nBatches = Math.floor(data.nTrain / bs);
  let sum = 0;
  let ms = 0;
  for (let b = 0; b < nBatches; b++) {
    for (let i = 0; i < bs; i++) {
      const r = order[b * bs + i];
      buf.z.set(data.trainZ.subarray(r * D, r * D + D), i * D);
      buf.c.set(data.trainC.subarray(r * C, r * C + C), i * C);
    }
    const s0 = performance.now();
    const zt = tf.tensor2d(buf.z, [bs, D]);
    const ct = tf.tensor2d(buf.c, [bs, C]);
    sum += step(zt, ct);
    zt.dispose();
    ct.dispose();
    ms += performance.now() - s0;
  }
  return { loss: sum / nBatches, ms, steps: nBatches };
}

/** Trains `flow` on the split data; leaves it at the weights with the best validation loss. */
export async function fitFlow(tf: Tf, flow: Nsf, data: SplitData, s: FitSettings): Promise<FitOutcome> {
  const D = flow.cfg.thetaDim;
  const C = flow.cfg.xDim;
  const bs = Math.min(s.batchSize, data.nTrain);
  const buf = { z: new Float32Array(bs * D), c: new Float32Array(bs * C) };
  const shuffleRng = new Rng(s.seed, STREAM_OFFSET.aux + 2);
  const optimizer = tf.train.adam(s.learningRate, 0.9, 0.999, 1e-8);
  const step = makeTrainStep(tf, flow, optimizer, s.clipNorm, trainableVariables(flow, s.freeze));
  const print = progressPrinter(s.label, s.quiet);
  const t0 = performance.now();
  const out: FitOutcome = { history: [], best: Infinity, bestEpoch: 0, steps: 0, stepMs: 0 };
  if (s.startCandidate) out.best = meanLoss(tf, flow, data.valZ, s.startValC ?? data.valC, D, C);
  let bestWeights = flow.getWeights();
  let since = 0;
  try {
    for (let epoch = 1; epoch <= s.maxEpochs; epoch++) {
      const e = runEpoch(tf, step, data, shuffleRng.permutation(data.nTrain), bs, { D, C }, buf);
      out.steps += e.steps;
      out.stepMs += e.ms;
      const valLoss = meanLoss(tf, flow, data.valZ, data.valC, D, C);
      const improved = valLoss < out.best;
      if (improved) {
        out.best = valLoss;
        out.bestEpoch = epoch;
        bestWeights = flow.getWeights();
        since = 0;
      } else since++;
      const info: EpochInfo = { epoch, trainLoss: e.loss, valLoss, best: out.best, improved, elapsedMs: performance.now() - t0 };
      out.history.push(info);
      s.onEpoch?.(info);
      const done = since >= s.patience || epoch === s.maxEpochs;
      print(info, out.bestEpoch, done);
      if (done) break;
      // Let timers and I/O (live plots, Ctrl-C) run between epochs.
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    optimizer.dispose();
  }
  flow.setWeights(bestWeights);
  return out;
}
