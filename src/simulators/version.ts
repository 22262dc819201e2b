/**
 * Version of the simulators' code and random streams. Bump it whenever a change alters any simulated
 * value for a given (θ, seed, stream): a new generator, a new integration scheme, a new summary
 * definition. The experiment's simulation cache keys on it, so a changed simulator never reuses stale
 * cached data.
 */
export const SIMULATOR_VERSION = 2;

// History:
// 1: the simulators draw from the given Rng (xoroshiro128+, pure-rand's low 32 bits); HF waiting
//    times −ln(u)/A; LF normals by Rng.normal() (polar method).
// 2: the simulators draw from their own FastRng (xoshiro128**) seeded from four draws of the given
//    Rng: every simulation of every seed changed (Rng's own streams did not); HF waiting times E/A
//    with E from the exponential ziggurat; LF (and MF) normals by the normal ziggurat, LF's in blocks
//    of 256.
