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

/*
 * The step's working array: the gates, V and the step's constants in one module-level Float64Array
 * (as hf.ts's W, for the same reason: V8 compiles accesses to a module-level constant typed array to
 * fixed-address loads, where the step loop of simulateLF, run once per trace, ran in on-stack-
 * replacement code that re-checks every value set before the loop at each use). Only one simulation
 * runs at a time per thread, and LF has no step hook, so LW is never shared between two running
 * simulations.
 */
const L_V = 0;
const L_M = 1;
const L_H = 2;
const L_N = 3;
const L_GNA = 4;
const L_GK = 5;
const L_GL = 6;
const L_ENA = 7;
const L_EK = 8;
const L_GLEL = 9;
const L_DTC = 10;
const L_DT = 11;
const L_VREST = 12;
const L_NOISE = 13;
/** 1 when σ > 0 (a normal is added each step), else 0. */
const L_NOISY = 14;
/** The stimulus I(t_{i−1}) of the step (set by simulateLF). */
const L_I = 15;
/** The step's standard normal ξ (set by simulateLF when noisy). */
const L_XI = 16;
const LW = new Float64Array(17);
const LF_RATES = new Float64Array(6);

/**
 * One step t_{i−1} → t_i (header, steps 1 and 2) on LW: V(t_{i−1}) → V(t_i), then the gates at the new
 * voltage. A function of its own, called once per step: V8 optimizes it as a whole, with its
 * constants folded.
 */
function lfStep(): void {
  const w = LW;
  const m = w[L_M];
  const h = w[L_H];
  const nGate = w[L_N];
  const m2 = m * m;
  const n2 = nGate * nGate;
  const gNa = w[L_GNA] * m2 * m * h;
  const gK = w[L_GK] * n2 * n2;
  const g = gNa + gK + w[L_GL];
  const vInf = (gNa * w[L_ENA] + gK * w[L_EK] + w[L_GLEL] + w[L_I]) / g;
  let V = vInf + (w[L_V] - vInf) * Math.exp(-w[L_DTC] * g);
  if (w[L_NOISY] !== 0) V += w[L_NOISE] * w[L_XI];
  w[L_V] = V;
  // Gates at the new voltage.
  // allRates: the six rate functions bit for bit, without a boxed return value per rate.
  const rates = LF_RATES;
  allRates(V - w[L_VREST], rates);
  const dt = w[L_DT];
  const am = rates[0];
  const bm = rates[1];
  const ah = rates[2];
  const bh = rates[3];
  const an = rates[4];
  const bn = rates[5];
  let s = am + bm;
  let xInf = am / s;
  w[L_M] = xInf + (m - xInf) * Math.exp(-dt * s);
  s = ah + bh;
  xInf = ah / s;
  w[L_H] = xInf + (h - xInf) * Math.exp(-dt * s);
  s = an + bn;
  xInf = an / s;
  w[L_N] = xInf + (nGate - xInf) * Math.exp(-dt * s);
}

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
  const gL = theta[2];
  const dt = cfg.dt_ms;
  const noiseScale = (cfg.lf_sigma_uA_sqrt_ms_per_cm2 / cfg.c_uF_per_cm2) * Math.sqrt(dt);
  const noisy = noiseScale !== 0;
  const iAmp = cfg.stim_amp_uA_per_cm2;
  const onIdx = timeIndex(cfg.stim_onset_ms, cfg);
  const offIdx = timeIndex(cfg.stim_offset_ms, cfg);
  const w = LW;
  w[L_GNA] = theta[0];
  w[L_GK] = theta[1];
  w[L_GL] = gL;
  w[L_ENA] = cfg.e_na_mV;
  w[L_EK] = cfg.e_k_mV;
  w[L_GLEL] = gL * cfg.e_l_mV;
  w[L_DTC] = dt / cfg.c_uF_per_cm2;
  w[L_DT] = dt;
  w[L_VREST] = cfg.v_rest_mV;
  w[L_NOISE] = noiseScale;
  w[L_NOISY] = noisy ? 1 : 0;

  // Steady-state gates at u = 0.
  const am = alphaM(0);
  const ah = alphaH(0);
  const an = alphaN(0);
  w[L_M] = am / (am + betaM(0));
  w[L_H] = ah / (ah + betaH(0));
  w[L_N] = an / (an + betaN(0));
  const fr = noisy ? FastRng.from(rng) : undefined;
  const xi = new Float64Array(noisy ? LF_NORMAL_BLOCK : 0);
  let xiAt = LF_NORMAL_BLOCK;
  w[L_V] = cfg.v_rest_mV;
  v[0] = cfg.v_rest_mV;
  for (let i = 1; i < n; i++) {
    // Step from t_{i−1}: stimulus I(t_{i−1}).
    const k = i - 1;
    w[L_I] = k >= onIdx && k < offIdx ? iAmp : 0;
    if (fr !== undefined) {
      if (xiAt === LF_NORMAL_BLOCK) {
        fr.fillNormals(xi, Math.min(LF_NORMAL_BLOCK, n - i));
        xiAt = 0;
      }
      w[L_XI] = xi[xiAt++];
    }
    lfStep();
    v[i] = w[L_V];
  }
  return v;
}
