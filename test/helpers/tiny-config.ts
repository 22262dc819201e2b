/**
 * The tiny experiment configuration of the experiment tests: both tasks, one LF and two HF budgets,
 * a few epochs. Its metrics before the architecture refactor are test/data/experiment/tiny-*.csv.
 */
export const TINY = {
  lfBudgets: [200],
  hfBudgets: [30, 60],
  seeds: [0, 1],
  testSize: 20,
  nObs: 1,
  posteriorSamples: 100,
  c2st: { folds: 2 },
  hh: { seeds: [0] },
  reference: { sims: 100 },
  pretrain: { maxEpochs: 4 },
  finetune: { maxEpochs: 4 },
  npe: { maxEpochs: 4 },
  predictiveDraws: 1,
  figures: false,
};
