/**
 * High-fidelity simulator (hh-model.md, "High fidelity"): Markov-chain Na and K channel populations,
 * simulated exactly within each time step by Gillespie's direct method (Gillespie 1977) with the
 * rates frozen at the voltage of the step start ("piecewise-constant propensity"), then the
 * exponential-Euler voltage update from the conducting fractions.
 *
 * Channel states (13 in all), indexed in the order the selection walk visits them:
 *   Na (i, j), i ∈ {0..3} open m gates, j ∈ {0, 1} open h gate: index 2i + (1 − j), so
 *     0:(0,1) 1:(0,0) 2:(1,1) 3:(1,0) 4:(2,1) 5:(2,0) 6:(3,1) 7:(3,0); conducting (3,1) = 6.
 *   K k ∈ {0..4} open n gates: index 8 + k; conducting k = 4 → 12.
 * Transitions: (i,j)→(i+1,j) at (3−i)α_m, (i,j)→(i−1,j) at iβ_m, (i,0)→(i,1) at α_h,
 * (i,1)→(i,0) at β_h; k→k+1 at (4−k)α_n, k→k−1 at kβ_n.
 *
 * Speed (why the loop looks the way it does): the six rates and the 13 per-state exit rates are
 * computed once per step. Per-state propensities p[s] = count[s]·exit[s] and their total A are
 * updated incrementally: moving one channel a → b changes A by exit[b] − exit[a]. A is re-summed at
 * each step start, so rounding drift cannot accumulate beyond one step. Each event uses two 32-bit
 * draws: one for the waiting time E/A, E ~ Exp(1) by the ziggurat method (FastRng.exponentialZiggurat:
 * one draw and a table lookup in ≈ 98.9 % of events, no logarithm — V8's Math.log was the costliest
 * operation of the loop), one for selecting the transition (walk the cumulative per-state
 * propensities, then the ≤ 3 transitions of the chosen state). 32 bits are enough: the selection is
 * then exact to within 2⁻³² (undetectable below ~2⁶⁴ draws), E has ≥ 24 bits within its ziggurat
 * layer. (Measured: 53-bit uniforms cost ~25% more per event.) All draws come from the simulation's
 * FastRng (xoshiro128**, seeded from four draws of the given Rng: src/random.ts), which the event
 * loop steps on local copies of its state — the same draws as FastRng.next() calls, ~10 % less time
 * per event than the method call, which V8 inlines but with its state in object fields. The event
 * loop is a function of its own (hfStepEvents, called once per step) working on one module-level
 * array (W): see the comment at W for why.
 */
import { FastRng, type Rng, ZE_K, ZE_W } from '../random.js';
import { channelCounts, DEFAULT_HH_CONFIG, nSteps, timeIndex, type HHConfig } from './config.js';
import { allRates, mInf as mInfAt, hInf as hInfAt, nInf as nInfAt } from './rates.js';

export interface HFResult {
  /** Voltage trace (mV), length nSteps(cfg). */
  v: Float64Array;
  /** Number of channel transitions simulated (events whose time crossed a step end are not counted). */
  events: number;
}

/** Number of channel states (8 Na + 5 K). */
export const HF_N_STATES = 13;
/** Index of the conducting Na state (3, 1). */
export const HF_NA_OPEN = 6;
/** Index of the first K state (k = 0); K state k is HF_K_FIRST + k. */
export const HF_K_FIRST = 8;
/** Index of the conducting K state (k = 4). */
export const HF_K_OPEN = 12;

/** The state at each index: Na (i open m gates, j open h gate) or K (k open n gates). */
export const HF_STATES: readonly { readonly kind: 'na' | 'k'; readonly i: number; readonly j: number; readonly k: number }[] = Object.freeze(
  Array.from({ length: HF_N_STATES }, (_, s) =>
    s < HF_K_FIRST ? { kind: 'na' as const, i: s >> 1, j: 1 - (s & 1), k: -1 } : { kind: 'k' as const, i: -1, j: -1, k: s - HF_K_FIRST },
  ),
);

/** Na state index of (i, j). */
export function naIndex(i: number, j: number): number {
  return 2 * i + (1 - j);
}

// Transition tables: up to 3 transitions per state, slot s*3 + q.
const MAX_TR = 3;
const TR_DEST = new Int32Array(HF_N_STATES * MAX_TR);
const TR_RATE = new Int32Array(HF_N_STATES * MAX_TR); // index into (α_m, β_m, α_h, β_h, α_n, β_n)
const TR_MULT = new Float64Array(HF_N_STATES * MAX_TR);
const TR_COUNT = new Int32Array(HF_N_STATES);
(function buildTables() {
  const add = (s: number, dest: number, rate: number, mult: number) => {
    const q = s * MAX_TR + TR_COUNT[s]++;
    TR_DEST[q] = dest;
    TR_RATE[q] = rate;
    TR_MULT[q] = mult;
  };
  for (let i = 0; i <= 3; i++) {
    for (let j = 0; j <= 1; j++) {
      const s = naIndex(i, j);
      if (i < 3) add(s, naIndex(i + 1, j), 0, 3 - i);
      if (i > 0) add(s, naIndex(i - 1, j), 1, i);
      if (j === 0) add(s, naIndex(i, 1), 2, 1);
      else add(s, naIndex(i, 0), 3, 1);
    }
  }
  for (let k = 0; k <= 4; k++) {
    const s = HF_K_FIRST + k;
    if (k < 4) add(s, s + 1, 4, 4 - k);
    if (k > 0) add(s, s - 1, 5, k);
  }
})();

/** Binomial coefficient for n ≤ 4. */
function choose(n: number, k: number): number {
  let c = 1;
  for (let q = 1; q <= k; q++) c = (c * (n - q + 1)) / q;
  return c;
}

/**
 * Steady-state distribution over the 13 states at relative voltage u: within each channel kind,
 * the binomial products C(3,i) m∞^i (1−m∞)^{3−i} h∞^j (1−h∞)^{1−j} and C(4,k) n∞^k (1−n∞)^{4−k}.
 */
export function steadyStateDistribution(u: number): Float64Array {
  const m = mInfAt(u);
  const h = hInfAt(u);
  const n = nInfAt(u);
  const p = new Float64Array(HF_N_STATES);
  for (let i = 0; i <= 3; i++) {
    const pm = choose(3, i) * m ** i * (1 - m) ** (3 - i);
    p[naIndex(i, 1)] = pm * h;
    p[naIndex(i, 0)] = pm * (1 - h);
  }
  for (let k = 0; k <= 4; k++) p[HF_K_FIRST + k] = choose(4, k) * n ** k * (1 - n) ** (4 - k);
  return p;
}

/**
 * Exact multinomial draw of `total` channels over states [first, first + len) with probabilities
 * prob[first..]: every channel draws its state independently (a categorical draw per channel, 53-bit
 * uniforms), so the counts are exactly multinomial — never rounded expectations.
 */
export function drawMultinomial(total: number, prob: Float64Array, first: number, len: number, counts: Int32Array, rng: { uniform(): number }): void {
  const cum = new Float64Array(len);
  let acc = 0;
  for (let q = 0; q < len; q++) cum[q] = acc += prob[first + q];
  for (let q = 0; q < len; q++) counts[first + q] = 0;
  for (let c = 0; c < total; c++) {
    const u = rng.uniform() * acc;
    let q = 0;
    while (q < len - 1 && u >= cum[q]) q++;
    counts[first + q]++;
  }
}

/**
 * Per-step observer for the checked variant: called after the initial draw (step 0) and after each
 * step with the 13 channel counts (indexed as in HF_STATES; do not modify) and the voltage.
 */
export type HFStepHook = (step: number, counts: Int32Array, v: number, nNa: number, nK: number) => void;

const U32 = 2 ** -32;

/*
 * The event loop's working array W: everything the loop reads or writes per event, in one
 * module-level Float64Array at the offsets below. V8 (TurboFan) treats a module-level constant typed
 * array as a constant: element accesses compile to loads from a fixed address with a bounds check
 * against a constant length, as for a C array. A typed array passed in or allocated per simulation
 * instead costs, at every access, a check of its map and reloads of its length and data pointer
 * (the loop's rare slow-path call and the inner loops' stack checks make V8 forget them), and the
 * event loop used eight of them per event (propensities, exit rates, counts, rates, transition
 * counts and destinations, two ziggurat tables). With W and hfStepEvents, HF took 13.7 instead of
 * 16.3 ms per trace (docs/results/simulator-speed.md). Counts are stored as doubles: exact
 * integers, so count·rate is the same product as with Int32 counts.
 *
 * W belongs to the simulation that runs: runHF loads it at its start (loadW) and after each call of
 * a step hook (a hook may itself run a simulation; JavaScript runs one simulation at a time per
 * thread, and each worker has its own module instance).
 */
/** p[s] = count[s]·exit[s], the propensity of state s (13; set per step and per event). */
const W_P = 0;
/** exit[s], the per-channel exit rate of state s (13; set per step). */
const W_EXIT = 16;
/** count[s], the number of channels in state s (13). */
const W_CNT = 32;
/** Per-channel rate of transition slot q = 3s + k (39; set per step). */
const W_TR = 48;
/** Destination state of transition slot q (39; constant). */
const W_DEST = 88;
/** Last transition slot of state s, 3s + (number of transitions − 1) (13; constant). */
const W_QLAST = 128;
/** The exponential ziggurat's tables: W_ZIG + 2i holds ZE_K[i], W_ZIG + 2i + 1 holds ZE_W[i] (512). */
const W_ZIG = 144;
/** The step length dt (ms). */
const W_DT = W_ZIG + 2 * 256;
const W_LENGTH = W_DT + 1;

/** The constant part of W: transition destinations, last slots, ziggurat tables. */
const W_TEMPLATE = new Float64Array(W_LENGTH);
for (let q = 0; q < HF_N_STATES * MAX_TR; q++) W_TEMPLATE[W_DEST + q] = TR_DEST[q];
for (let s = 0; s < HF_N_STATES; s++) W_TEMPLATE[W_QLAST + s] = s * MAX_TR + TR_COUNT[s] - 1;
for (let i = 0; i < 256; i++) {
  W_TEMPLATE[W_ZIG + 2 * i] = ZE_K[i];
  W_TEMPLATE[W_ZIG + 2 * i + 1] = ZE_W[i];
}
/** The working array of the running simulation. */
const W = W_TEMPLATE.slice();

/** Sets W up for a simulation with channel counts `cnt` and step dt. */
function loadW(cnt: Int32Array, dt: number): void {
  W.set(W_TEMPLATE);
  for (let s = 0; s < HF_N_STATES; s++) W[W_CNT + s] = cnt[s];
  W[W_DT] = dt;
}

/**
 * Gillespie's direct method over one step [0, dt) with the step's rates frozen (W_TR, W_EXIT and W_P
 * set by the caller); the event that would cross dt is discarded. Advances the counts in W and the
 * generator state gs (xoshiro128** words s0..s3, stepped here on local copies, see the header; fr only
 * for the ziggurat's rare slow path). Returns the number of events.
 *
 * A function of its own, called once per step: V8 then optimizes it as a whole, with its constants
 * folded. As part of runHF's step loop, which runs once per trace, it ran in on-stack-replacement
 * code, where every value set before the loop is re-checked as an untyped value at each use.
 */
function hfStepEvents(gs: Int32Array, fr: FastRng): number {
  const w = W;
  const dt = w[W_DT];
  const last = HF_N_STATES - 1;
  // The total propensity A, summed in state order as the caller filled p (A is re-summed each step,
  // so rounding drift cannot accumulate beyond one step).
  let A = 0;
  for (let s = 0; s < HF_N_STATES; s++) A += w[W_P + s];
  let s0 = gs[0];
  let s1 = gs[1];
  let s2 = gs[2];
  let s3 = gs[3];
  let events = 0;
  let t = 0;
  for (;;) {
    // x = fr.next(), inlined (xoshiro128**).
    let m5 = Math.imul(s1, 5);
    const x = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    let t9 = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t9;
    s3 = (s3 << 11) | (s3 >>> 21);
    // Waiting time E/A, E = fr.exponentialZiggurat() with its fast path inlined.
    const iz = x >>> 24;
    const jz = x & 0xffffff;
    let e: number;
    if (jz < w[W_ZIG + 2 * iz]) {
      e = jz * w[W_ZIG + 2 * iz + 1];
    } else {
      gs[0] = s0;
      gs[1] = s1;
      gs[2] = s2;
      gs[3] = s3;
      fr.setState(gs);
      e = fr.exponentialSlow(x);
      fr.getState(gs);
      s0 = gs[0];
      s1 = gs[1];
      s2 = gs[2];
      s3 = gs[3];
    }
    t += e / A;
    if (t >= dt) break;
    // y = fr.next(), inlined.
    m5 = Math.imul(s1, 5);
    const y = Math.imul((m5 << 7) | (m5 >>> 25), 9);
    t9 = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t9;
    s3 = (s3 << 11) | (s3 >>> 21);
    // The moving state: walk the propensities.
    let r = (y >>> 0) * U32 * A;
    let s = 0;
    while (s < last && r >= w[W_P + s]) {
      r -= w[W_P + s];
      s++;
    }
    if (w[W_CNT + s] === 0) {
      // Only reachable through rounding when r lands at the very top of [0, A): take the last
      // state that can move.
      s = last;
      while (w[W_P + s] === 0) s--;
      r = 0;
    }
    // Its transition: walk the ≤ 3 transitions of state s.
    const c = w[W_CNT + s];
    let q = s * MAX_TR;
    const qLast = w[W_QLAST + s];
    while (q < qLast) {
      const wq = c * w[W_TR + q];
      if (r < wq) break;
      r -= wq;
      q++;
    }
    const d = w[W_DEST + q] | 0;
    // Move one channel s → d: A changes by exit[d] − exit[s].
    const cs = c - 1;
    const cd = w[W_CNT + d] + 1;
    w[W_CNT + s] = cs;
    w[W_CNT + d] = cd;
    const es = w[W_EXIT + s];
    const ed = w[W_EXIT + d];
    w[W_P + s] = cs * es;
    w[W_P + d] = cd * ed;
    A += ed - es;
    events++;
  }
  gs[0] = s0;
  gs[1] = s1;
  gs[2] = s2;
  gs[3] = s3;
  return events;
}

/** The simulator; `hook` is checked once per step (not per event), so the fast path pays nothing. */
function runHF(theta: ArrayLike<number>, rng: Rng, cfg: HHConfig, out: Float64Array | undefined, hook: HFStepHook | undefined): HFResult {
  const nT = nSteps(cfg);
  const v = out ?? new Float64Array(nT);
  if (v.length < nT) throw new RangeError(`simulateHF: output buffer has length ${v.length}, need ${nT}`);
  const gNaBar = theta[0];
  const gKBar = theta[1];
  const gL = theta[2];
  const { nNa, nK } = channelCounts(gNaBar, gKBar, cfg);
  const vRest = cfg.v_rest_mV;
  const eNa = cfg.e_na_mV;
  const eK = cfg.e_k_mV;
  const gLeL = gL * cfg.e_l_mV;
  const dtOverC = cfg.dt_ms / cfg.c_uF_per_cm2;
  const iAmp = cfg.stim_amp_uA_per_cm2;
  const onIdx = timeIndex(cfg.stim_onset_ms, cfg);
  const offIdx = timeIndex(cfg.stim_offset_ms, cfg);
  const naPerChannel = gNaBar / nNa;
  const kPerChannel = gKBar / nK;

  const dt = cfg.dt_ms;
  const rates = new Float64Array(6);

  // The simulation's generator, seeded from `rng` (src/random.ts, FastRng).
  const fr = FastRng.from(rng);
  const ss = steadyStateDistribution(0);
  const cnt = new Int32Array(HF_N_STATES);
  drawMultinomial(nNa, ss, 0, HF_K_FIRST, cnt, fr);
  drawMultinomial(nK, ss, HF_K_FIRST, HF_N_STATES - HF_K_FIRST, cnt, fr);
  const w = W;
  loadW(cnt, dt);

  let V = vRest;
  v[0] = V;
  if (hook !== undefined) {
    hook(0, cnt, V, nNa, nK);
    loadW(cnt, dt);
  }
  let events = 0;
  // The generator's state (xoshiro128** words s0..s3), stepped by hfStepEvents.
  const gs = fr.getState(new Int32Array(4));
  for (let step = 1; step < nT; step++) {
    // Rates frozen at V(t_{step−1}): per-transition rates, per-state exit rates and propensities.
    allRates(V - vRest, rates);
    for (let s = 0; s < HF_N_STATES; s++) {
      const base = s * MAX_TR;
      let e = 0;
      for (let q = base, end = base + TR_COUNT[s]; q < end; q++) {
        const r = TR_MULT[q] * rates[TR_RATE[q]];
        w[W_TR + q] = r;
        e += r;
      }
      w[W_EXIT + s] = e;
      w[W_P + s] = w[W_CNT + s] * e;
    }
    events += hfStepEvents(gs, fr);
    // Exponential-Euler voltage update with I(t_{step−1}).
    const k = step - 1;
    const I = k >= onIdx && k < offIdx ? iAmp : 0;
    const gNa = naPerChannel * w[W_CNT + HF_NA_OPEN];
    const gK = kPerChannel * w[W_CNT + HF_K_OPEN];
    const g = gNa + gK + gL;
    const vInf = (gNa * eNa + gK * eK + gLeL + I) / g;
    V = vInf + (V - vInf) * Math.exp(-dtOverC * g);
    v[step] = V;
    if (hook !== undefined) {
      for (let s = 0; s < HF_N_STATES; s++) cnt[s] = w[W_CNT + s];
      hook(step, cnt, V, nNa, nK);
      loadW(cnt, dt);
    }
  }
  fr.setState(gs);
  return { v, events };
}

/**
 * One HF voltage trace (mV) at θ = (ḡ_Na, ḡ_K, ḡ_L) (mS/cm²) and its number of channel events.
 * θ is not checked here (see checkTheta; HF needs N_Na, N_K ≥ 1).
 */
export function simulateHF(theta: ArrayLike<number>, rng: Rng, cfg: HHConfig = DEFAULT_HH_CONFIG, out?: Float64Array): HFResult {
  return runHF(theta, rng, cfg, out, undefined);
}

/**
 * The same simulator (the same function, the same random draws: its trace equals simulateHF's for the
 * same rng state) with a per-step observer, for invariant checks in tests.
 */
export function simulateHFChecked(theta: ArrayLike<number>, rng: Rng, hook: HFStepHook, cfg: HHConfig = DEFAULT_HH_CONFIG, out?: Float64Array): HFResult {
  return runHF(theta, rng, cfg, out, hook);
}
