/**
 * The experiment's units of work: independent pieces that can run in any order, in any process, and
 * give the same rows. A unit is one replicate seed and one budget chain of a task: 'npe' (NPE from
 * scratch on each HF budget) or 'lf<N>' (one pre-training on N LF simulations, fine-tuned on each HF
 * budget, plus the LF-only baseline). The test set and the reference posterior are shared by all units.
 */
import type { ExperimentConfig } from './config.js';

/** One unit of work. */
export interface Unit {
  /** Stable identifier, e.g. 'hh/seed0/npe' or 'hh/seed1/lf1000'. */
  id: string;
  task: string;
  seed: number;
  /** 'npe', or MF-NPE with its LF budget. */
  chain: { kind: 'npe' } | { kind: 'mf-npe'; nLf: number };
}

/** The units of one task's configuration, in the order a single process runs them. */
export function planUnits(cfg: ExperimentConfig): Unit[] {
  const units: Unit[] = [];
  for (const seed of cfg.seeds) {
    units.push({ id: `${cfg.task}/seed${seed}/npe`, task: cfg.task, seed, chain: { kind: 'npe' } });
    for (const nLf of cfg.lfBudgets) units.push({ id: `${cfg.task}/seed${seed}/lf${nLf}`, task: cfg.task, seed, chain: { kind: 'mf-npe', nLf } });
  }
  return units;
}
