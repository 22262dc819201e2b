/**
 * The mfnpe library: the public API in one import, for the notebooks and for other packages.
 * Notebooks (tslab kernel, working directory notebooks/) import the compiled barrel:
 * `import { hhPrior, simulateTrace, show } from '../dist/index.js'` (README, "Notebooks").
 *
 * Rules for this file: re-exports only; no module in the graph it loads may use top-level await
 * (tslab loads the library with require(), which refuses ES modules with top-level await) or import
 * TensorFlow.js eagerly (it costs a second at start-up: modules get it through `getTf()`).
 */
export * from './random.js';
export * from './prior.js';
export * from './backend.js';

export * from './data/atomic.js';
export * from './data/csv.js';
export * from './data/table.js';
export * from './data/progress.js';
export * from './data/arrow.js';

export * from './simulators/config.js';
export * from './simulators/rates.js';
export * from './simulators/lf.js';
export * from './simulators/hf.js';
export * from './simulators/summary.js';
export * from './simulators/validate.js';
export * from './simulators/simulate.js';
export * from './simulators/batch.js';

export type { SimulateOptions, Task } from './tasks/task.js';
export type * from './inference/conditional.js';
export * from './inference/posterior.js';
export * from './inference/train.js';
export * from './inference/serialize.js';
export * from './inference/npe.js';
export * from './inference/mfnpe.js';
export * from './metrics/c2st.js';
export * from './metrics/mmd.js';
export * from './metrics/nltp.js';
export * from './metrics/sbc.js';
export * from './metrics/stats.js';

export * from './tasks/hh.js';
export * from './experiment/config.js';
export * from './experiment/cache.js';
export * from './experiment/run.js';
export * from './experiment/report.js';
export * from './metrics/mmd.js';
export * from './metrics/nltp.js';
export * from './metrics/sbc.js';
export * from './metrics/stats.js';
export * from './tasks/registry.js';
export * from './tasks/gaussian-prior.js';
export * from './tasks/two-moons.js';
export * from './tasks/gaussian-linear.js';
export * from './tasks/slcp.js';
export * from './tasks/gaussian-mixture.js';
export * from './tasks/ou.js';

export * from './plots/render.js';
export * from './plots/display.js';
export * from './plots/histogram.js';
export * from './plots/trace.js';
export * from './plots/trace-overlay.js';
export * from './plots/prior-marginals.js';
export * from './plots/summary-hist.js';
export * from './plots/loss-curve.js';
export * from './plots/corner.js';
export * from './plots/metric-vs-budget.js';
export * from './plots/sbc-ranks.js';
export * from './plots/paired-scatter.js';
export * from './plots/cost-strip.js';
export * from './plots/labels.js';

export * from './notebooks/config.js';
export * from './notebooks/sweep.js';
export * from './notebooks/timing.js';
export * from './notebooks/mismatch.js';
export * from './notebooks/format-table.js';
export * from './notebooks/simulate-prior.js';
export * from './notebooks/budget-points.js';
export * from './plots/predictive.js';
export * from './plots/trace-interactive.js';

// ---- Sequential inference for one observation (TSNPE, MF-TSNPE, A-MF-TSNPE; sequential.md) ----
export { FIGURE_FONT } from './plots/render.js';
export {
  type SequentialProblem,
  type SequentialSettings,
  type RoundInfo,
  type Simulator,
  SequentialNPE,
  simulatorOf,
  checkObservation,
} from './inference/sequential.js';
export { type TsnpeSettings, TSNPE, MFTSNPE } from './inference/tsnpe.js';
export { type AmfTsnpeSettings, AMFTSNPE, AMF_TSNPE_DEFAULTS } from './inference/amf-tsnpe.js';
export {
  type TruncationSettings,
  type Threshold,
  type TruncatedDraws,
  TRUNCATION_DEFAULTS,
  truncationSettings,
  hprThreshold,
  TruncatedPrior,
} from './inference/truncated-prior.js';
export { EnsemblePosterior, mixtureLogProb, loadEnsemble, isEnsembleDir } from './inference/ensemble.js';
export { type SavedPosterior, loadAnyPosterior } from './inference/load-any.js';
export { acquire, memberVariance, topK } from './inference/acquisition.js';
export type { Acquired, RoundDraws } from './inference/propose.js';
export { type RoundRecord, ROUND_COLUMNS, roundRecordsCsv, formatRound } from './inference/round-record.js';
export { roundSizes, roundOffsets, activeCount, defaultPoolSize } from './inference/round-plan.js';
export { type RecordedTrace, MAX_TRACE_INTERVAL_MS, readTraceCsv, samplingInterval, traceOnGrid, recordedSummary } from './tasks/recorded-trace.js';
