/**
 * Vega-lite figure of posterior-predictive checks: the observed voltage trace against HF traces
 * simulated at posterior draws, one panel per posterior (e.g. NPE, MF-NPE), so one sees whether the
 * draws reproduce the observation's spike count and timing and its resting and stimulated levels.
 */
import type { HHConfig } from '../simulators/config.js';
import type { VegaLiteSpec } from './render.js';
import { traceOverlaySpec, type LabelledTrace } from './trace-overlay.js';

export interface PredictiveDraw {
  /** Posterior label (panel), e.g. 'MF-NPE (10000 LF, 50 HF)'. */
  label: string;
  theta: ArrayLike<number>;
  /** HF trace at this θ. */
  v: ArrayLike<number>;
}

/** Posterior-predictive check: HF traces simulated at posterior draws over the observed trace, one panel per posterior. */
export function predictiveSpec(observed: ArrayLike<number>, draws: readonly PredictiveDraw[], opts: { cfg?: HHConfig; title?: string } = {}): VegaLiteSpec {
  const panels = [...new Set(draws.map((d) => d.label))];
  const traces: LabelledTrace[] = [];
  for (const panel of panels) {
    for (const d of draws) if (d.label === panel) traces.push({ v: d.v, panel, series: 'posterior draws (HF)' });
    traces.push({ v: observed, panel, series: 'observed' });
  }
  return traceOverlaySpec(traces, {
    cfg: opts.cfg,
    columns: 1,
    width: 640,
    height: 170,
    seriesOrder: ['posterior draws (HF)', 'observed'],
    colors: ['#9ecae9', '#111111'],
    title: opts.title ?? 'Posterior-predictive traces: HF simulations at posterior draws vs the observation',
  });
}
