/**
 * Evaluation of one trained posterior (docs/metrics.md): NLTP −log q(θ* | x*) over the held-out HF
 * test pairs, and C2ST and MMD against the reference posterior at the first `nObs` test observations.
 */
import type { NpePosterior } from '../inference/posterior.js';
import { c2st } from '../metrics/c2st.js';
import { mmd } from '../metrics/mmd.js';
import { nltp } from '../metrics/nltp.js';
import { STREAM_OFFSET, streamRng } from '../random.js';
import { simulateTrace } from '../simulators/simulate.js';
import { boxScale, type ExperimentContext, observation } from './context.js';
import { log } from './log.js';
import { auxSeed } from './seeds.js';
import type { MetricRow, PosteriorKey, PredictiveDraw, UnitRow } from './types.js';

/** Rows of one posterior, and its samples at observation 0. */
export interface Evaluation {
  metrics: MetricRow[];
  units: UnitRow[];
  samples0: Float64Array;
}

/** Evaluates `q` on the context's test set and observations. */
export async function evaluatePosterior(q: NpePosterior, key: PosteriorKey, ctx: ExperimentContext): Promise<Evaluation> {
  const e0 = performance.now();
  const { cfg, task, test } = ctx;
  const D = task.thetaDim;
  const bounds = task.prior.bounds ?? null;
  const metrics: MetricRow[] = [];
  const units: UnitRow[] = [];
  const nl = await nltp(q, test.theta, test.x);
  metrics.push({ ...key, metric: 'nltp', value: nl.mean });
  for (const [i, v] of nl.values.entries()) units.push({ ...key, metric: 'nltp', unit: i, value: v });
  let c2Sum = 0;
  let mmSum = 0;
  let samples0: Float64Array = new Float64Array(0);
  for (let k = 0; k < cfg.nObs; k++) {
    const samples = await q.sample(cfg.posteriorSamples, observation(ctx, k), auxSeed(key.seed, k));
    const acc = await c2st(ctx.refSamples[k], samples, D, { seed: auxSeed(key.seed, 100 + k), folds: cfg.c2st.folds, stopping: cfg.c2st.stopping });
    const m2 = mmd(ctx.refScaled[k], boxScale(samples, bounds, D), D);
    units.push({ ...key, metric: 'c2st', unit: k, value: acc });
    units.push({ ...key, metric: 'mmd', unit: k, value: m2 });
    c2Sum += acc;
    mmSum += m2;
    if (k === 0) samples0 = samples;
  }
  metrics.push({ ...key, metric: 'c2st', value: c2Sum / cfg.nObs });
  metrics.push({ ...key, metric: 'mmd', value: mmSum / cfg.nObs });
  const budget = `${key.n_lf ? ` ${key.n_lf} LF` : ''}${key.n_hf > 0 ? ` ${key.n_hf} HF` : ''}`;
  log(
    ctx.quiet,
    `[${task.name}] seed ${key.seed} ${key.method}${budget}: NLTP ${nl.mean.toFixed(3)}, C2ST ${(c2Sum / cfg.nObs).toFixed(3)}, ` +
      `MMD ${(mmSum / cfg.nObs).toFixed(4)} (evaluated in ${((performance.now() - e0) / 1000).toFixed(1)} s)`,
  );
  return { metrics, units, samples0 };
}

/** HF traces at the first `predictiveDraws` posterior draws (posterior-predictive check, HH only). */
export function predictiveDraws(label: string, samples: Float64Array, seed: number, ctx: ExperimentContext): PredictiveDraw[] {
  const D = ctx.task.thetaDim;
  const draws: PredictiveDraw[] = [];
  for (let d = 0; d < ctx.cfg.predictiveDraws; d++) {
    const th = samples.subarray(d * D, (d + 1) * D);
    draws.push({ label, theta: Array.from(th), v: simulateTrace('hf', th, streamRng(seed, STREAM_OFFSET.aux + 2000 + d)).v });
  }
  return draws;
}
