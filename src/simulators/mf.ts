/**
 * Mid-fidelity simulator (docs/model.md, §11; spec: langevin.md): the HF model's Markov channels in the
 * diffusion approximation. The channel-state fractions follow the chemical Langevin equation
 * (Fox & Lu 1994), in the channel-based, "unbound" form that Goldwyn & Shea-Brown (2011) found
 * accurate for HH and Orio & Soudry (2012) made simple and fast: one Wiener increment per edge of a
 * channel's state graph, integrated by Euler–Maruyama on the HF time grid.
 *
 * States (indexed as in hf.ts, HF_STATES): Na (i, j) at 2i + (1 − j), K k at 8 + k.
 * Edges, in the order of their normal draws (14 per step):
 *   Na m-edges (i, j)–(i+1, j), forward (3−i)α_m, backward (i+1)β_m, in order of the lower state's
 *     index: (0,1)–(1,1), (0,0)–(1,0), (1,1)–(2,1), (1,0)–(2,0), (2,1)–(3,1), (2,0)–(3,0);
 *   Na h-edges (i, 0)–(i, 1), forward α_h, backward β_h, i = 0..3;
 *   K edges k–(k+1), forward (4−k)α_n, backward (k+1)β_n, k = 0..3.
 * Per step t_{i−1} → t_i, rates frozen at V(t_{i−1}) as in the HF model, every edge a → b moves
 *   flux = (k_f y_a − k_b y_b) dt + √(max(k_f y_a + k_b y_b, 0) dt / N) ξ,   ξ ~ N(0, 1),
 * (N = N_Na or N_K) from a to b, all fluxes computed from the fractions at the step start. Fractions
 * are not clipped; the max only keeps the square root real. Then g_Na = ḡ_Na y_(3,1) and
 * g_K = ḡ_K y_4, each clamped to [0, ḡ], and the exponential-Euler voltage update with I(t_{i−1})
 * (hh-model.md, "Voltage update"). The initial fractions are the HF model's initial multinomial counts
 * divided by N (the same draw, hf.ts drawMultinomial), so MF and HF start from the same distribution.
 *
 * Random numbers: the simulation's FastRng (xoshiro128**, seeded from four draws of the given Rng;
 * src/random.ts): the initial multinomial draw, then 14 normals per step (FastRng.fillNormals, the
 * ziggurat), in the edge order above.
 * Cost: 14 normals and 6 rate evaluations per step, independent of N; the initial
 * multinomial draw is the only part that grows with the number of channels. No allocation per step.
 * The step is a function of its own (mfStep) on one module-level working array (MW), for V8: see
 * there and hf.ts's W.
 */
import { FastRng, type Rng } from '../random.js';
import { channelCounts, DEFAULT_HH_CONFIG, nSteps, timeIndex, type HHConfig } from './config.js';
import { drawMultinomial, HF_K_FIRST, HF_N_STATES, steadyStateDistribution } from './hf.js';
import { allRates } from './rates.js';

/** Normal draws per step: 10 Na edges + 4 K edges. */
export const MF_NORMALS_PER_STEP = 14;

/** Per-step observer for tests: the 13 fractions (indexed as HF_STATES; do not modify) and V. */
export type MFStepHook = (step: number, y: Float64Array, v: number) => void;

/*
 * The step's working array: the fractions, the step's constants and V, in one module-level
 * Float64Array (as hf.ts's W, for the same reason: V8 compiles accesses to a module-level constant
 * typed array to fixed-address loads). MW[0..12] are the fractions y[s], indexed as HF_STATES.
 * MW belongs to the running simulation: runMF saves it around each call of a step hook (which may
 * itself run a simulation).
 */
const M_DT = 16;
const M_VREST = 17;
const M_GNA = 18;
const M_GK = 19;
const M_GL = 20;
const M_ENA = 21;
const M_EK = 22;
const M_GLEL = 23;
const M_DTC = 24;
const M_INV_NNA = 25;
const M_INV_NK = 26;
/** The stimulus I(t_{step−1}) of the step (set by runMF). */
const M_I = 27;
/** V: V(t_{step−1}) before mfStep, V(t_step) after. */
const M_V = 28;
const MW = new Float64Array(29);
const MF_XI = new Float64Array(MF_NORMALS_PER_STEP);
const MF_RATES = new Float64Array(6);

/**
 * One Euler–Maruyama step of the fractions and the voltage update (header), on MW, drawing 14
 * normals from fr. A function of its own, called once per step: V8 optimizes it as a whole, with
 * its constants folded (as hf.ts's hfStepEvents).
 */
function mfStep(fr: FastRng): void {
  const w = MW;
  const xi = MF_XI;
  const rates = MF_RATES;
  const dt = w[M_DT];
  const gNaBar = w[M_GNA];
  const gKBar = w[M_GK];
  const gL = w[M_GL];
  const invNNa = w[M_INV_NNA];
  const invNK = w[M_INV_NK];
  // Rates frozen at V(t_{step−1}), times dt: per-channel transition probabilities of the step.
  const V0 = w[M_V];
  allRates(V0 - w[M_VREST], rates);
  const am = rates[0] * dt;
  const bm = rates[1] * dt;
  const ah = rates[2] * dt;
  const bh = rates[3] * dt;
  const an = rates[4] * dt;
  const bn = rates[5] * dt;
  fr.fillNormals(xi, MF_NORMALS_PER_STEP);
  // The fractions: MW[0..12].
  const y = w;
  // Named by state: a<i>h<j> for Na (i, j), k<k> for K.
  const a0h1 = y[0];
  const a0h0 = y[1];
  const a1h1 = y[2];
  const a1h0 = y[3];
  const a2h1 = y[4];
  const a2h0 = y[5];
  const a3h1 = y[6];
  const a3h0 = y[7];
  const k0 = y[8];
  const k1 = y[9];
  const k2 = y[10];
  const k3 = y[11];
  const k4 = y[12];
  // Each edge: forward and backward flow fa = k_f y_a dt, fb = k_b y_b dt; the net flux is the drift
  // fa − fb plus the noise √(max(fa + fb, 0)/N) ξ (both reactions' variances add).
  let fa = 3 * am * a0h1;
  let fb = bm * a1h1;
  const m0h1 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[0];
  fa = 3 * am * a0h0;
  fb = bm * a1h0;
  const m0h0 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[1];
  fa = 2 * am * a1h1;
  fb = 2 * bm * a2h1;
  const m1h1 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[2];
  fa = 2 * am * a1h0;
  fb = 2 * bm * a2h0;
  const m1h0 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[3];
  fa = am * a2h1;
  fb = 3 * bm * a3h1;
  const m2h1 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[4];
  fa = am * a2h0;
  fb = 3 * bm * a3h0;
  const m2h0 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[5];
  fa = ah * a0h0;
  fb = bh * a0h1;
  const h0 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[6];
  fa = ah * a1h0;
  fb = bh * a1h1;
  const h1 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[7];
  fa = ah * a2h0;
  fb = bh * a2h1;
  const h2 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[8];
  fa = ah * a3h0;
  fb = bh * a3h1;
  const h3 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNNa) * xi[9];
  fa = 4 * an * k0;
  fb = bn * k1;
  const n0 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNK) * xi[10];
  fa = 3 * an * k1;
  fb = 2 * bn * k2;
  const n1 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNK) * xi[11];
  fa = 2 * an * k2;
  fb = 3 * bn * k3;
  const n2 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNK) * xi[12];
  fa = an * k3;
  fb = 4 * bn * k4;
  const n3 = fa - fb + Math.sqrt(Math.max(fa + fb, 0) * invNK) * xi[13];
  // Each state: inflow minus outflow over its edges (m-edges, then h-edges).
  y[0] = a0h1 + (-m0h1 + h0);
  y[1] = a0h0 + (-m0h0 - h0);
  y[2] = a1h1 + (m0h1 - m1h1 + h1);
  y[3] = a1h0 + (m0h0 - m1h0 - h1);
  y[4] = a2h1 + (m1h1 - m2h1 + h2);
  y[5] = a2h0 + (m1h0 - m2h0 - h2);
  y[6] = a3h1 + (m2h1 + h3);
  y[7] = a3h0 + (m2h0 - h3);
  y[8] = k0 - n0;
  y[9] = k1 + (n0 - n1);
  y[10] = k2 + (n1 - n2);
  y[11] = k3 + (n2 - n3);
  y[12] = k4 + n3;
  // Exponential-Euler voltage update with I(t_{step−1}); conductances clamped to [0, ḡ].
  const I = w[M_I];
  const eNa = w[M_ENA];
  const eK = w[M_EK];
  const gLeL = w[M_GLEL];
  const dtOverC = w[M_DTC];
  let gNa = gNaBar * y[6];
  gNa = gNa < 0 ? 0 : gNa > gNaBar ? gNaBar : gNa;
  let gK = gKBar * y[12];
  gK = gK < 0 ? 0 : gK > gKBar ? gKBar : gK;
  const g = gNa + gK + gL;
  const vInf = (gNa * eNa + gK * eK + gLeL + I) / g;
  w[M_V] = vInf + (V0 - vInf) * Math.exp(-dtOverC * g);
}

function runMF(theta: ArrayLike<number>, rng: Rng, cfg: HHConfig, out: Float64Array | undefined, hook: MFStepHook | undefined): Float64Array {
  const nT = nSteps(cfg);
  const v = out ?? new Float64Array(nT);
  if (v.length < nT) throw new RangeError(`simulateMF: output buffer has length ${v.length}, need ${nT}`);
  const gNaBar = theta[0];
  const gKBar = theta[1];
  const gL = theta[2];
  const { nNa, nK } = channelCounts(gNaBar, gKBar, cfg);
  const dt = cfg.dt_ms;
  const vRest = cfg.v_rest_mV;
  const eNa = cfg.e_na_mV;
  const eK = cfg.e_k_mV;
  const gLeL = gL * cfg.e_l_mV;
  const dtOverC = dt / cfg.c_uF_per_cm2;
  const iAmp = cfg.stim_amp_uA_per_cm2;
  const onIdx = timeIndex(cfg.stim_onset_ms, cfg);
  const offIdx = timeIndex(cfg.stim_offset_ms, cfg);
  const invNNa = 1 / nNa;
  const invNK = 1 / nK;

  // Initial fractions: the HF model's multinomial draw divided by N.
  const cnt = new Int32Array(HF_N_STATES);
  // The simulation's generator (xoshiro128**), seeded from `rng`: src/random.ts, FastRng.
  const fr = FastRng.from(rng);
  const ss = steadyStateDistribution(0);
  drawMultinomial(nNa, ss, 0, HF_K_FIRST, cnt, fr);
  drawMultinomial(nK, ss, HF_K_FIRST, HF_N_STATES - HF_K_FIRST, cnt, fr);
  // The fractions y[s] (MW[0..12], indexed as HF_STATES), the step's constants and V in MW. Kept in
  // a Float64Array between steps and in consts within a step: never a boxed number (mutable double
  // locals can lose their unboxed representation after a deoptimization and then allocate on every
  // assignment).
  const w = MW;
  for (let s = 0; s < HF_N_STATES; s++) w[s] = cnt[s] / (s < HF_K_FIRST ? nNa : nK);
  w[M_DT] = dt;
  w[M_VREST] = vRest;
  w[M_GNA] = gNaBar;
  w[M_GK] = gKBar;
  w[M_GL] = gL;
  w[M_ENA] = eNa;
  w[M_EK] = eK;
  w[M_GLEL] = gLeL;
  w[M_DTC] = dtOverC;
  w[M_INV_NNA] = invNNa;
  w[M_INV_NK] = invNK;
  w[M_V] = vRest;
  v[0] = vRest;
  // The per-simulation copy of MW: the state to restore after a step hook (which may run another
  // simulation); its first 13 entries, the fractions, are what the hook sees.
  const saved = new Float64Array(MW.length);
  const y = saved.subarray(0, HF_N_STATES);
  if (hook !== undefined) {
    saved.set(w);
    hook(0, y, vRest);
    w.set(saved);
  }
  for (let step = 1; step < nT; step++) {
    const k = step - 1;
    w[M_I] = k >= onIdx && k < offIdx ? iAmp : 0;
    mfStep(fr);
    v[step] = w[M_V];
    if (hook !== undefined) {
      saved.set(w);
      hook(step, y, w[M_V]);
      w.set(saved);
    }
  }
  return v;
}

/**
 * One MF voltage trace (mV) at θ = (ḡ_Na, ḡ_K, ḡ_L) (mS/cm²), length nSteps(cfg). θ is not checked
 * here (see checkTheta; MF, like HF, needs N_Na, N_K ≥ 1).
 */
export function simulateMF(theta: ArrayLike<number>, rng: Rng, cfg: HHConfig = DEFAULT_HH_CONFIG, out?: Float64Array): Float64Array {
  return runMF(theta, rng, cfg, out, undefined);
}

/** The same simulator with a per-step observer of the fractions, for tests (same draws, same trace). */
export function simulateMFChecked(theta: ArrayLike<number>, rng: Rng, hook: MFStepHook, cfg: HHConfig = DEFAULT_HH_CONFIG, out?: Float64Array): Float64Array {
  return runMF(theta, rng, cfg, out, hook);
}
