/**
 * Simulator fidelities of the HH neuron (docs/model.md, §7, §8 and §11): 'hf' simulates every
 * channel as a Markov chain (exact, Gillespie), 'mf' the same channels in the diffusion (Langevin)
 * approximation, 'lf' uses deterministic gates plus additive voltage noise (cheap, biased).
 */
export type Fidelity = 'hf' | 'mf' | 'lf';

/** Every fidelity, most faithful (and most costly) first, cheapest last. */
export const FIDELITIES: readonly Fidelity[] = ['hf', 'mf', 'lf'];

/** Fidelities with a channel population (HF, MF): they need N_Na, N_K ≥ 1 and follow channel_scale. */
export function hasChannels(fidelity: Fidelity): boolean {
  return fidelity === 'hf' || fidelity === 'mf';
}
