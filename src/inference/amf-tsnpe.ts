/**
 * A-MF-TSNPE: active MF-TSNPE (Krouglova et al. 2025; official code
 * `mf_npe/methods/active_mf_tsnpe.py`; spec sequential.md). An ensemble of E = 5 flows, each a copy
 * of the LF-pretrained flow fine-tuned on the same HF pairs with its own seed (validation split,
 * batch order); the equal-weight mixture's HPR defines the truncation. Round 1 draws all N/R θ from
 * the prior; later rounds 80 % from the truncated prior and 20 % by acquisition: the candidates of a
 * pool (250 / 2500 / 25 000 by budget, from the prior) with the largest variance across members of
 * log q_e(θ | x_o).
 *
 * With `activeShare: 0` it is MF-TSNPE with an ensemble (the acquisition's effect, reported apart).
 *
 *   const run = new AMFTSNPE(task, mf.pretrained!, { seed: 0 });
 *   const ensemble = await run.run(xo, simulatorOf(task), 100);
 */
import type { NpePosterior } from './posterior.js';
import { type SequentialProblem, SequentialNPE, type SequentialSettings } from './sequential.js';

/** The spec's A-MF-TSNPE defaults. */
export const AMF_TSNPE_DEFAULTS = { rounds: 5, ensemble: 5, activeShare: 0.2, poolFrom: 'prior' } as const;

/** Settings of A-MF-TSNPE (every field optional, defaults as the spec). */
export type AmfTsnpeSettings = Omit<SequentialSettings, 'start' | 'method'>;

/** A-MF-TSNPE: an ensemble of copies of the LF-pretrained flow, with acquisition by disagreement. */
export class AMFTSNPE extends SequentialNPE {
  constructor(problem: SequentialProblem, pretrained: NpePosterior, settings: AmfTsnpeSettings = {}) {
    super(problem, { ...AMF_TSNPE_DEFAULTS, ...settings, start: pretrained, method: 'a-mf-tsnpe' });
  }
}
