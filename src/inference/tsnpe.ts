/**
 * TSNPE and MF-TSNPE: truncated sequential NPE for one observation.
 *
 * - TSNPE (Deistler et al. 2022, "Truncated proposals for scalable and hassle-free simulation-based
 *   inference"): R = 5 rounds, the HF budget split equally; round 1 from the prior, later rounds
 *   from the prior truncated to the current posterior's HPR (ε = 10⁻⁶); one network trained on all
 *   pairs so far every round; x standardizer fitted in round 1, then kept.
 * - MF-TSNPE (Krouglova et al. 2025, "Multifidelity simulation-based inference for computationally
 *   expensive simulators"): the same, starting from a copy of the LF-pretrained flow of MF-NPE, whose
 *   x standardizer is kept (the official code hands sbi the pre-trained flow whole).
 *
 *   const posterior = await new TSNPE(task, { seed: 0 }).run(xo, simulatorOf(task), 100);
 *   const mf = new MFNPE(task, { seed: 0 }); await mf.pretrain(lf.theta, lf.x);
 *   const mfPosterior = await new MFTSNPE(task, mf.pretrained!, { seed: 0 }).run(xo, simulatorOf(task), 100);
 */
import type { NpePosterior } from './posterior.js';
import { type SequentialProblem, SequentialNPE, type SequentialSettings } from './sequential.js';

/** Settings of TSNPE: a sequential run with one network and no acquisition. */
export type TsnpeSettings = Omit<SequentialSettings, 'ensemble' | 'activeShare' | 'poolSize' | 'poolFrom' | 'start' | 'method'>;

/** TSNPE: one network from new weights. */
export class TSNPE extends SequentialNPE {
  constructor(problem: SequentialProblem, settings: TsnpeSettings = {}) {
    super(problem, { ...settings, ensemble: 1, activeShare: 0, method: 'tsnpe' });
  }
}

/** MF-TSNPE: one network starting from the LF-pretrained posterior. */
export class MFTSNPE extends SequentialNPE {
  constructor(problem: SequentialProblem, pretrained: NpePosterior, settings: TsnpeSettings = {}) {
    super(problem, { ...settings, ensemble: 1, activeShare: 0, start: pretrained, method: 'mf-tsnpe' });
  }
}
