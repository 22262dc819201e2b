/**
 * Low-fidelity simulator (hh-model.md, "Low fidelity"): deterministic Hodgkin–Huxley gates,
 * additive Gaussian voltage noise, exponential-Euler integration on the fixed grid.
 *
 * Per step t_{i−1} → t_i:
 *   1. g_Na = ḡ_Na m³h, g_K = ḡ_K n⁴, g = g_Na + g_K + ḡ_L,
 *      V_∞ = (g_Na E_Na + g_K E_K + ḡ_L E_L + I(t_{i−1}))/g, V ← V_∞ + (V − V_∞) e^{−dt g/C},
 *      then V ← V + (σ/C)√dt ξ, ξ ~ N(0, 1);
 *   2. each gate x ∈ {m, h, n}: x_∞ = α/(α+β), x ← x_∞ + (x − x_∞) e^{−dt(α+β)} at the new V.
 * Gates start at their steady state for u = 0 and V at V_rest.
 */
import { FastRng, type Rng } from '../random.js';
import { DEFAULT_HH_CONFIG, nSteps, timeIndex, type HHConfig } from './config.js';
import { allRates, alphaH, alphaM, alphaN, betaH, betaM, betaN } from './rates.js';

/** Normals drawn per FastRng.fillNormals call. */
const LF_NORMAL_BLOCK = 256;

/**
 * One LF voltage trace (mV) at θ = (ḡ_Na, ḡ_K, ḡ_L) (mS/cm²), length nSteps(cfg). θ is not checked
 * here (see checkTheta). Draws exactly one standard normal per step (none when σ = 0) from the
 * simulation's FastRng (xoshiro128**, seeded from four draws of `rng`; src/random.ts), in blocks of
 * LF_NORMAL_BLOCK by FastRng.fillNormals (the ziggurat: one 32-bit draw per normal, no log), the
 * last block cut to the steps left. With σ = 0 nothing is drawn, not even the seed.
 */
export function simulateLF(theta: ArrayLike<number>, rng: Rng, cfg: HHConfig = DEFAULT_HH_CONFIG, out?: Float64Array): Float64Array {
  const n = nSteps(cfg);
  const v = out ?? new Float64Array(n);
  if (v.length < n) throw new RangeError(`simulateLF: output buffer has length ${v.length}, need ${n}`);
  const gNaBar = theta[0];
  const gKBar = theta[1];
  const gL = theta[2];
  const dt = cfg.dt_ms;
  const vRest = cfg.v_rest_mV;
  const eNa = cfg.e_na_mV;
  const eK = cfg.e_k_mV;
  const eL = cfg.e_l_mV;
  const dtOverC = dt / cfg.c_uF_per_cm2;
  const noiseScale = (cfg.lf_sigma_uA_sqrt_ms_per_cm2 / cfg.c_uF_per_cm2) * Math.sqrt(dt);
  const noisy = noiseScale !== 0;
  const iAmp = cfg.stim_amp_uA_per_cm2;
  const onIdx = timeIndex(cfg.stim_onset_ms, cfg);
  const offIdx = timeIndex(cfg.stim_offset_ms, cfg);
  const gLeL = gL * eL;

  // Steady-state gates at u = 0.
  let am = alphaM(0);
  let bm = betaM(0);
  let ah = alphaH(0);
  let bh = betaH(0);
  let an = alphaN(0);
  let bn = betaN(0);
  let m = am / (am + bm);
  let h = ah / (ah + bh);
  let nGate = an / (an + bn);
  const rates = new Float64Array(6);
  const fr = noisy ? FastRng.from(rng) : undefined;
  const xi = new Float64Array(noisy ? LF_NORMAL_BLOCK : 0);
  let xiAt = LF_NORMAL_BLOCK;
  let V = vRest;
  v[0] = V;
  for (let i = 1; i < n; i++) {
    // Step from t_{i−1}: stimulus I(t_{i−1}).
    const k = i - 1;
    const I = k >= onIdx && k < offIdx ? iAmp : 0;
    const m2 = m * m;
    const n2 = nGate * nGate;
    const gNa = gNaBar * m2 * m * h;
    const gK = gKBar * n2 * n2;
    const g = gNa + gK + gL;
    const vInf = (gNa * eNa + gK * eK + gLeL + I) / g;
    V = vInf + (V - vInf) * Math.exp(-dtOverC * g);
    if (fr !== undefined) {
      if (xiAt === LF_NORMAL_BLOCK) {
        fr.fillNormals(xi, Math.min(LF_NORMAL_BLOCK, n - i));
        xiAt = 0;
      }
      V += noiseScale * xi[xiAt++];
    }
    v[i] = V;
    // Gates at the new voltage.
    // allRates: the six rate functions bit for bit, without a boxed return value per rate.
    allRates(V - vRest, rates);
    am = rates[0];
    bm = rates[1];
    ah = rates[2];
    bh = rates[3];
    an = rates[4];
    bn = rates[5];
    let s = am + bm;
    let xInf = am / s;
    m = xInf + (m - xInf) * Math.exp(-dt * s);
    s = ah + bh;
    xInf = ah / s;
    h = xInf + (h - xInf) * Math.exp(-dt * s);
    s = an + bn;
    xInf = an / s;
    nGate = xInf + (nGate - xInf) * Math.exp(-dt * s);
  }
  return v;
}
