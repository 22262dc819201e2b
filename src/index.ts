/**
 * The mfnpe library: the public API in one import, grouped by layer from the ground up
 * (docs/README.md, "Source layout"). Notebooks (tslab kernel, working directory notebooks/) import the
 * compiled entry: `import { hhPrior, simulateTrace, show } from '../dist/index.js'` (docs/notebooks.md).
 *
 * Rules for this file: named re-exports only; no module in the graph it loads may use top-level
 * await (tslab loads the library with require(), which refuses ES modules with top-level await) or
 * import TensorFlow.js eagerly (modules get it through `getTf()`); test/library-entry.test.ts checks
 * both.
 *
 * @packageDocumentation
 */

// Ground floor: random streams, priors, errors, the TensorFlow.js backend.
export { type BackendName, backendName, getTf, type Tf } from './backend.js';
export { InputError } from './errors.js';
export { BoxUniform, HH_PARAM_NAMES, HH_PRIOR_HIGH, HH_PRIOR_LOW, hhPrior, type Prior } from './prior.js';
export { checkSeed, MAX_SEED, Rng, STREAM_OFFSET, streamRng } from './random.js';

// Data: tables, CSV and Arrow files, atomic writes, progress.
export { readArrow, writeArrow } from './data/arrow.js';
export { ensureDir, writeFileAtomic } from './data/atomic.js';
export { parseCsv, readCsv, writeCsv } from './data/csv.js';
export { formatDuration, Progress, type ProgressOptions } from './data/progress.js';
export { makeTable, selectColumns, type Table } from './data/table.js';

// Simulators of the HH neuron (docs/model.md).
export { defaultWorkers, type BatchJob, runBatch, simulateBatch } from './simulators/batch.js';
export { channelCounts, DEFAULT_HH_CONFIG, type HHConfig, hhConfig, nSteps, timeIndex } from './simulators/config.js';
export { FIDELITIES, type Fidelity } from './simulators/fidelity.js';
export { simulateHF } from './simulators/hf.js';
export { simulateLF } from './simulators/lf.js';
export { allRates, alphaH, alphaM, alphaN, betaH, betaM, betaN, hInf, mInf, nInf } from './simulators/rates.js';
export { simulateSummary, simulateTrace } from './simulators/simulate.js';
export { SUMMARY_NAMES, type SummaryName, summaryStats } from './simulators/summary.js';
export { checkTheta } from './simulators/validate.js';
export { SIMULATOR_VERSION } from './simulators/version.js';

// Inference: the training API, posteriors.
export { clonePosterior } from './inference/clone.js';
export type { ConditionalDensity } from './inference/conditional.js';
export { MFNPE, MFNPE_DEFAULTS, type MfNpeSettings } from './inference/mfnpe.js';
export { type FlowSettings, NPE, type NpeSettings } from './inference/npe.js';
export type { Pairs } from './inference/pairs.js';
export { loadPosterior, NpePosterior, type PosteriorSpec, type PriorBounds } from './inference/posterior.js';
export { networkSeed, type ProblemShape } from './inference/problem.js';
export { BOX_SUPPORTS, type BoxSupport } from './inference/support.js';
export { type EpochInfo, train, type TrainOptions, type TrainResult } from './inference/train.js';
export { acquire, memberVariance, topK } from './inference/acquisition.js';
export { type AmfTsnpeSettings, AMFTSNPE, AMF_TSNPE_DEFAULTS } from './inference/amf-tsnpe.js';
export { EnsemblePosterior, isEnsembleDir, loadEnsemble, mixtureLogProb } from './inference/ensemble.js';
export { loadAnyPosterior, type SavedPosterior } from './inference/load-any.js';
export type { Acquired, RoundDraws } from './inference/propose.js';
export { activeCount, defaultPoolSize, roundOffsets, roundSizes } from './inference/round-plan.js';
export { formatRound, ROUND_COLUMNS, type RoundRecord, roundRecordsCsv } from './inference/round-record.js';
export {
  checkObservation,
  type RoundInfo,
  SequentialNPE,
  type SequentialProblem,
  type SequentialSettings,
  type Simulator,
  simulatorOf,
} from './inference/sequential.js';
export {
  hprThreshold,
  type Threshold,
  TRUNCATION_DEFAULTS,
  TruncatedPrior,
  type TruncatedDraws,
  type TruncationSettings,
  truncationSettings,
} from './inference/truncated-prior.js';
export { MFTSNPE, TSNPE, type TsnpeSettings } from './inference/tsnpe.js';

// Tasks: priors, simulators and reference posteriors by name.
export { gaussianLinearTask } from './tasks/gaussian-linear.js';
export { gaussianMixtureTask } from './tasks/gaussian-mixture.js';
export { hhTask } from './tasks/hh.js';
export { type LadderLevel, ladderOffset, ladderPairs, parseLadder } from './tasks/ladder.js';
export { ouTask } from './tasks/ou.js';
export { readPairs } from './tasks/pairs-file.js';
export { MAX_TRACE_INTERVAL_MS, type RecordedTrace, readTraceCsv, recordedSummary, samplingInterval, traceOnGrid } from './tasks/recorded-trace.js';
export { getTask, registerTask, taskNames } from './tasks/registry.js';
export { sampleJointWithProgress } from './tasks/sample-joint.js';
export { slcpTask } from './tasks/slcp.js';
export type { SimulateOptions, Task } from './tasks/task.js';
export { twoMoonsTask } from './tasks/two-moons.js';

// Metrics (docs/metrics.md).
export { type C2stOptions, type C2stResult, c2st, c2stDetailed } from './metrics/c2st.js';
export { type MmdResult, mmd, mmdDetailed } from './metrics/mmd.js';
export { type NltpResult, nltp } from './metrics/nltp.js';
export { type SbcResult, sbc } from './metrics/sbc.js';
export { type KsResult, ksTest, type MeanCI, mean, meanConfidenceInterval, std, variance } from './metrics/stats.js';

// Plots: vega-lite specs and rendering.
export { cornerSpec } from './plots/corner.js';
export { costStripSpec } from './plots/cost-strip.js';
export { LiveFigure, liveFigure, show } from './plots/display.js';
export { histogram, quantile } from './plots/histogram.js';
export { HH_PARAM_LABELS, SUMMARY_LABELS } from './plots/labels.js';
export { LossLog, lossCurveSpec } from './plots/loss-curve.js';
export { metricVsBudgetSpec } from './plots/metric-vs-budget.js';
export { pairedScatterSpec } from './plots/paired-scatter.js';
export { predictiveSpec } from './plots/predictive.js';
export { priorMarginalsSpec } from './plots/prior-marginals.js';
export { FIGURE_FONT, renderVegaLite, saveFigure, type VegaLiteSpec } from './plots/render.js';
export { sbcRanksSpec } from './plots/sbc-ranks.js';
export { summaryHistSpec } from './plots/summary-hist.js';
export { traceSpec } from './plots/trace.js';
export { traceOverlaySpec } from './plots/trace-overlay.js';

// Experiment: the MF-NPE study (docs/methods.md, "The experiment").
export { type CachedPairs, type CacheRequest, cachedJoint } from './experiment/cache.js';
export { nltpVsCostSpec } from './experiment/figures.js';
export { defaultConfig, type ExperimentConfig, mergeConfig, quickConfig, resolveConfigs, type TrainSettings } from './experiment/config.js';
export { planUnits, type Unit } from './experiment/plan.js';
export { formatSummary, writeReport } from './experiment/report.js';
export { type RunOptions, runExperiment } from './experiment/run.js';
export { LF_STREAM_OFFSET } from './experiment/seeds.js';
export { hfToMatchNpe, type PairedRow, pairedDifferences, type SummaryRow, summarize } from './experiment/summary.js';
export type { CostRow, ExperimentResult, MethodName, MetricName, MetricRow, PosteriorKey, UnitRow } from './experiment/types.js';

// Notebook helpers.
export { type BudgetPoints, metricVsBudgetPoints } from './notebooks/budget-points.js';
export { notebookConfig, quickMode } from './notebooks/config.js';
export { formatTable } from './notebooks/format-table.js';
export { lfHfMismatch } from './notebooks/mismatch.js';
export { simulatePrior } from './notebooks/simulate-prior.js';
export { conductanceSweep } from './notebooks/sweep.js';
export { measureCost } from './notebooks/timing.js';
