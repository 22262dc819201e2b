/**
 * The experiment's units of work: independent pieces that can run in any order, in any process or on
 * any cluster node, and give the same rows. Stage 0 is the reference unit of each task (the held-out
 * test set and, for HH, the reference NPE); stage 1 holds one unit per replicate seed and budget
 * chain: 'npe' (NPE from scratch on each HF budget) or one per low-fidelity ladder and budget, named
 * after it: 'lf<N>' (one pre-training on N LF simulations, fine-tuned on each HF budget, plus the
 * LF-only baseline), 'mf<N>' (the same on MF), 'lf<N>-mf<M>' (LF, then M MF, then each HF budget).
 * With the config's `sequential` key, stage 1 also holds one unit per seed, sequential method and
 * observation k ('tsnpe-obs0', 'a-mf-tsnpe-obs3'), after all the amortized units: a sequential run
 * serves one observation, so each is a unit of its own, running every sequential HF budget.
 * Stage-1 units read what stage 0 cached.
 */
import { type ExperimentConfig, type SequentialMethod, sequentialObs } from './config.js';
import { ladderBudgets, ladderUnitName, parseLowFidelity } from './low-fidelity.js';

/**
 * What a unit trains. MF-NPE chains carry their ladder (`low`, a config entry of `lowFidelities`;
 * absent in unit files written before ladders, meaning 'lf').
 */
export type UnitChain =
  | { kind: 'reference' }
  | { kind: 'npe' }
  | { kind: 'mf-npe'; nLf: number; low?: string }
  | { kind: 'sequential'; method: SequentialMethod; obs: number };

/** One unit of work. */
export interface Unit {
  /** Stable identifier: 'hh/reference', 'hh/seed0/npe', 'hh/seed1/lf1000', 'hh/seed0/a-mf-tsnpe-obs2'. */
  id: string;
  task: string;
  /** 0: the reference unit; 1: replicate units (they need stage 0 done). */
  stage: 0 | 1;
  /** Replicate seed (the reference seed for the reference unit). */
  seed: number;
  chain: UnitChain;
}

/** The units of one task's configuration, in the order a single process runs them. */
export function planUnits(cfg: ExperimentConfig): Unit[] {
  const t = cfg.task;
  const units: Unit[] = [{ id: `${t}/reference`, task: t, stage: 0, seed: cfg.reference.seed, chain: { kind: 'reference' } }];
  for (const seed of cfg.seeds) {
    units.push({ id: `${t}/seed${seed}/npe`, task: t, stage: 1, seed, chain: { kind: 'npe' } });
    for (const text of cfg.lowFidelities) {
      const low = parseLowFidelity(text, 'lowFidelities');
      for (const nLf of ladderBudgets(low, cfg.lfBudgets)) {
        // LF-only chains keep the chain of unit files from before ladders: no `low`.
        const chain: UnitChain = low.id === 'lf' ? { kind: 'mf-npe', nLf } : { kind: 'mf-npe', nLf, low: text };
        units.push({ id: `${t}/seed${seed}/${ladderUnitName(low, nLf)}`, task: t, stage: 1, seed, chain });
      }
    }
  }
  // Sequential units after every amortized one, so the amortized rows come first and as before.
  for (const seed of cfg.sequential ? cfg.seeds : []) {
    for (const method of cfg.sequential!.methods) {
      for (let obs = 0; obs < sequentialObs(cfg); obs++) {
        units.push({ id: `${t}/seed${seed}/${method}-obs${obs}`, task: t, stage: 1, seed, chain: { kind: 'sequential', method, obs } });
      }
    }
  }
  return units;
}

/**
 * The unit that pre-trains (and caches) the start of a pre-trained sequential unit: its seed's first
 * such unit in plan order. Undefined for other units. The others of the seed read that unit's cached
 * flow, so `--jobs` starts them only after it (study.ts) instead of pre-training the same flow twice.
 */
export function sequentialStarter(unit: Unit, cfg: ExperimentConfig): Unit | undefined {
  if (unit.chain.kind !== 'sequential' || unit.chain.method === 'tsnpe') return undefined;
  return planUnits(cfg).find((u) => u.seed === unit.seed && u.chain.kind === 'sequential' && u.chain.method !== 'tsnpe');
}

/** The unit with this id among the configurations' plans; undefined when there is none. */
export function findUnit(configs: readonly ExperimentConfig[], id: string): { unit: Unit; cfg: ExperimentConfig } | undefined {
  for (const cfg of configs) {
    const unit = planUnits(cfg).find((u) => u.id === id);
    if (unit) return { unit, cfg };
  }
  return undefined;
}
