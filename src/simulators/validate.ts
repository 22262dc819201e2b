/**
 * Validation of θ = (ḡ_Na, ḡ_K, ḡ_L) (mS/cm²) before simulation: anything the simulators cannot run
 * is a one-line RangeError naming the bad value, never a NaN row.
 */
import { HH_PARAM_NAMES } from '../prior.js';
import { channelCounts, DEFAULT_HH_CONFIG, type HHConfig } from './config.js';
import { FIDELITIES, type Fidelity, hasChannels } from './fidelity.js';

/**
 * Throws a RangeError unless θ has 3 finite, strictly positive conductances, and, for HF and MF, gives
 * at least one Na and one K channel (N_Na = floor(6000 ḡ_Na/120) ≥ 1, N_K = floor(1800 ḡ_K/36) ≥ 1).
 */
export function checkTheta(theta: ArrayLike<number>, fidelity: Fidelity, cfg: HHConfig = DEFAULT_HH_CONFIG): void {
  if (!FIDELITIES.includes(fidelity)) throw new RangeError(`bad fidelity: ${String(fidelity)} (expected ${FIDELITIES.join(', ')})`);
  if (theta == null || typeof theta.length !== 'number') throw new RangeError(`bad theta: expected 3 values (g_na,g_k,g_l), got ${String(theta)}`);
  if (theta.length !== 3) {
    throw new RangeError(`bad theta: expected 3 values (g_na,g_k,g_l), got ${theta.length}: ${Array.from(theta).join(',')}`);
  }
  for (let j = 0; j < 3; j++) {
    const x = theta[j];
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new RangeError(`bad theta: ${HH_PARAM_NAMES[j]} = ${String(x)} is not a finite number`);
    if (!(x > 0)) throw new RangeError(`bad theta: ${HH_PARAM_NAMES[j]} = ${x} must be a positive conductance (mS/cm²)`);
  }
  if (hasChannels(fidelity)) {
    const { nNa, nK } = channelCounts(theta[0], theta[1], cfg);
    if (nNa < 1)
      throw new RangeError(
        `bad theta: g_na = ${theta[0]} gives ${nNa} Na channels in the ${fidelity.toUpperCase()} model (need ≥ 1, i.e. g_na ≥ ${cfg.na_ref_mS_per_cm2 / (cfg.channel_scale * cfg.na_channels_at_ref)})`,
      );
    if (nK < 1)
      throw new RangeError(
        `bad theta: g_k = ${theta[1]} gives ${nK} K channels in the ${fidelity.toUpperCase()} model (need ≥ 1, i.e. g_k ≥ ${cfg.k_ref_mS_per_cm2 / (cfg.channel_scale * cfg.k_channels_at_ref)})`,
      );
  }
}
