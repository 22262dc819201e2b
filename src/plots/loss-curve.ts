/**
 * Vega-lite figure of training curves: loss (e.g. the NPE negative log-likelihood) against epoch,
 * one colour per run (NPE, MF-NPE LF stage, MF-NPE HF stage…), solid for the training loss and
 * dashed for the validation loss. Redrawn live during training through LiveFigure (display.ts).
 */
import { FIGURE_FONT, type VegaLiteSpec } from './render.js';

export interface LossPoint {
  /** Run label, e.g. 'NPE' or 'MF-NPE (HF stage)'. */
  run: string;
  epoch: number;
  /** 'train' or 'validation'. */
  split: string;
  loss: number;
}

/** Collects loss points while training runs; `spec()` draws what has arrived so far. */
export class LossLog {
  readonly points: LossPoint[] = [];
  /** Adds one epoch of a run: its training loss and, when given, its validation loss. */
  add(run: string, epoch: number, train: number, validation?: number): void {
    if (Number.isFinite(train)) this.points.push({ run, epoch, split: 'train', loss: train });
    if (validation !== undefined && Number.isFinite(validation)) this.points.push({ run, epoch, split: 'validation', loss: validation });
  }
  /** The loss-curve figure of every run logged so far. */
  spec(opts: LossCurveOptions = {}): VegaLiteSpec {
    return lossCurveSpec(this.points, opts);
  }
}

export interface LossCurveOptions {
  title?: string;
  yTitle?: string;
  width?: number;
  height?: number;
}

/** Training (solid) and validation (dashed) loss per epoch, one colour per run. */
export function lossCurveSpec(points: readonly LossPoint[], opts: LossCurveOptions = {}): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: opts.title ?? 'Training loss',
    width: opts.width ?? 480,
    height: opts.height ?? 260,
    config: { font: FIGURE_FONT, view: { stroke: null }, axis: { grid: true, gridOpacity: 0.4 } },
    data: { values: points.map((p) => ({ ...p })) },
    mark: { type: 'line', point: points.length < 60 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'loss', type: 'quantitative', title: opts.yTitle ?? 'loss (negative log-likelihood)', scale: { zero: false } },
      color: { field: 'run', type: 'nominal', title: 'run', sort: [...new Set(points.map((p) => p.run))], legend: { labelLimit: 320 } },
      strokeDash: { field: 'split', type: 'nominal', title: null, sort: ['train', 'validation'] },
    },
  };
}
