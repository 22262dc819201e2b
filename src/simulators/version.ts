/**
 * Version of the simulators' code and random streams. Bump it whenever a change alters any simulated
 * value for a given (θ, seed, stream): a new generator, a new integration scheme, a new summary
 * definition. The experiment's simulation cache keys on it, so a changed simulator never reuses stale
 * cached data.
 */
export const SIMULATOR_VERSION = 1;
