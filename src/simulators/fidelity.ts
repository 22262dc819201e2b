/**
 * Simulator fidelities of the HH neuron (docs/model.md): 'hf' simulates every channel as a Markov
 * chain (exact, Gillespie), 'lf' uses deterministic gates plus additive voltage noise (cheap, biased).
 */
export type Fidelity = 'hf' | 'lf';

/** Every fidelity, cheapest last. */
export const FIDELITIES: readonly Fidelity[] = ['hf', 'lf'];
