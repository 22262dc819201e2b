/**
 * An independent, deliberately simple implementation of the HF model of hh-model.md, for two-sample
 * tests against src/simulators/hf.ts. Written from the spec, sharing no code with src/simulators:
 * its own state numbering, all 28 transition propensities recomputed from scratch at every
 * event, a linear scan to select one, Rng.exponential() waiting times, and an initial state drawn
 * gate by gate (each of a channel's 3 m gates and its h gate open independently with their
 * steady-state probabilities, which is the same multinomial distribution as the binomial products).
 * Slow on purpose (~10× the fast simulator): clarity over speed.
 */
import type { Rng } from '../../src/random.js';

export interface RefConfig {
  dt: number;
  tEnd: number;
  vRest: number;
  eNa: number;
  eK: number;
  eL: number;
  c: number;
  iStim: number;
  tOn: number;
  tOff: number;
  sigma: number;
  naDensity: number; // channels per mS/cm²
  kDensity: number;
}

export const REF_DEFAULTS: RefConfig = {
  dt: 0.01,
  tEnd: 50,
  vRest: -65,
  eNa: 50,
  eK: -77,
  eL: -54.4,
  c: 1,
  iStim: 10,
  tOn: 10,
  tOff: 30,
  sigma: 2,
  naDensity: 6000 / 120,
  kDensity: 1800 / 36,
};

/** x / (exp(x/y) − 1) with its limit y at x = 0 (a plain if, not the src implementation). */
function vtrap(x: number, y: number): number {
  if (Math.abs(x / y) < 1e-7) return y * (1 - x / y / 2);
  return x / (Math.exp(x / y) - 1);
}

export function refRates(u: number): { am: number; bm: number; ah: number; bh: number; an: number; bn: number } {
  return {
    am: 0.1 * vtrap(25 - u, 10),
    bm: 4 * Math.exp(-u / 18),
    ah: 0.07 * Math.exp(-u / 20),
    bh: 1 / (Math.exp((30 - u) / 10) + 1),
    an: 0.01 * vtrap(10 - u, 10),
    bn: 0.125 * Math.exp(-u / 80),
  };
}

/** Stimulus current at time t (ms). */
export function refStim(t: number, cfg: RefConfig): number {
  // t is k·dt; compare on the grid index to avoid 10 − ε issues.
  const k = Math.round(t / cfg.dt);
  return k >= Math.round(cfg.tOn / cfg.dt) && k < Math.round(cfg.tOff / cfg.dt) ? cfg.iStim : 0;
}

/** The HF reference: returns the trace and the number of events. */
export function referenceHF(theta: ArrayLike<number>, rng: Rng, cfg: RefConfig = REF_DEFAULTS): { v: Float64Array; events: number } {
  const [gNa, gK, gL] = [theta[0], theta[1], theta[2]];
  const nNa = Math.floor(cfg.naDensity * gNa + 1e-9);
  const nK = Math.floor(cfg.kDensity * gK + 1e-9);
  const steps = Math.round(cfg.tEnd / cfg.dt);
  const v = new Float64Array(steps + 1);
  const r0 = refRates(0);
  const m0 = r0.am / (r0.am + r0.bm);
  const h0 = r0.ah / (r0.ah + r0.bh);
  const n0 = r0.an / (r0.an + r0.bn);
  // State counts: Na (i open m gates, j open h gate) at index 2i + j (0..7), K k at 8 + k.
  const na = (i: number, j: number) => 2 * i + j;
  const K0 = 8;
  const count = new Array<number>(13).fill(0);
  for (let c = 0; c < nNa; c++) {
    let i = 0;
    for (let g = 0; g < 3; g++) if (rng.uniform() < m0) i++;
    const j = rng.uniform() < h0 ? 1 : 0;
    count[na(i, j)]++;
  }
  for (let c = 0; c < nK; c++) {
    let q = 0;
    for (let g = 0; g < 4; g++) if (rng.uniform() < n0) q++;
    count[K0 + q]++;
  }
  let V = cfg.vRest;
  v[0] = V;
  let events = 0;
  // Every possible transition, listed once: source state, target state, which rate, multiplicity.
  const src: number[] = [];
  const dst: number[] = [];
  const rateName: (keyof ReturnType<typeof refRates>)[] = [];
  const mult: number[] = [];
  const add = (from: number, to: number, r: keyof ReturnType<typeof refRates>, k: number) => {
    src.push(from);
    dst.push(to);
    rateName.push(r);
    mult.push(k);
  };
  for (let i = 0; i <= 3; i++) {
    for (let j = 0; j <= 1; j++) {
      if (i < 3) add(na(i, j), na(i + 1, j), 'am', 3 - i);
      if (i > 0) add(na(i, j), na(i - 1, j), 'bm', i);
      if (j === 0) add(na(i, 0), na(i, 1), 'ah', 1);
      else add(na(i, 1), na(i, 0), 'bh', 1);
    }
  }
  for (let q = 0; q <= 4; q++) {
    if (q < 4) add(K0 + q, K0 + q + 1, 'an', 4 - q);
    if (q > 0) add(K0 + q, K0 + q - 1, 'bn', q);
  }
  const nTr = src.length;
  const a = new Array<number>(nTr).fill(0);
  const rate = new Array<number>(nTr).fill(0);
  for (let s = 1; s <= steps; s++) {
    const R = refRates(V - cfg.vRest);
    for (let q = 0; q < nTr; q++) rate[q] = mult[q] * R[rateName[q]];
    let t = 0;
    for (;;) {
      // All propensities from scratch, every event.
      let a0 = 0;
      for (let q = 0; q < nTr; q++) {
        a[q] = count[src[q]] * rate[q];
        a0 += a[q];
      }
      const tau = rng.exponential() / a0;
      if (t + tau >= cfg.dt) break;
      t += tau;
      let target = rng.uniform() * a0;
      let chosen = -1;
      for (let q = 0; q < nTr; q++) {
        if (a[q] > 0) chosen = q;
        if (target < a[q]) break;
        target -= a[q];
      }
      count[src[chosen]]--;
      count[dst[chosen]]++;
      events++;
    }
    const gNaNow = (gNa * count[na(3, 1)]) / nNa;
    const gKNow = (gK * count[K0 + 4]) / nK;
    const g = gNaNow + gKNow + gL;
    const vInf = (gNaNow * cfg.eNa + gKNow * cfg.eK + gL * cfg.eL + refStim((s - 1) * cfg.dt, cfg)) / g;
    V = vInf + (V - vInf) * Math.exp((-cfg.dt * g) / cfg.c);
    v[s] = V;
  }
  return { v, events };
}

/**
 * The LF reference (also the deterministic HH reference when sigma = 0): plain exponential Euler,
 * Box–Muller normals from Rng.uniform().
 */
export function referenceLF(theta: ArrayLike<number>, rng: Rng | null, cfg: RefConfig = REF_DEFAULTS): Float64Array {
  const [gNa, gK, gL] = [theta[0], theta[1], theta[2]];
  const steps = Math.round(cfg.tEnd / cfg.dt);
  const v = new Float64Array(steps + 1);
  const r0 = refRates(0);
  let m = r0.am / (r0.am + r0.bm);
  let h = r0.ah / (r0.ah + r0.bh);
  let n = r0.an / (r0.an + r0.bn);
  let V = cfg.vRest;
  v[0] = V;
  for (let s = 1; s <= steps; s++) {
    const gNaNow = gNa * m ** 3 * h;
    const gKNow = gK * n ** 4;
    const g = gNaNow + gKNow + gL;
    const vInf = (gNaNow * cfg.eNa + gKNow * cfg.eK + gL * cfg.eL + refStim((s - 1) * cfg.dt, cfg)) / g;
    V = vInf + (V - vInf) * Math.exp((-cfg.dt * g) / cfg.c);
    if (cfg.sigma > 0) {
      if (rng === null) throw new Error('referenceLF: sigma > 0 needs an rng');
      const xi = Math.sqrt(-2 * Math.log(1 - rng.uniform())) * Math.cos(2 * Math.PI * rng.uniform());
      V += (cfg.sigma / cfg.c) * Math.sqrt(cfg.dt) * xi;
    }
    v[s] = V;
    const R = refRates(V - cfg.vRest);
    const relax = (x: number, a: number, b: number) => {
      const inf = a / (a + b);
      return inf + (x - inf) * Math.exp(-cfg.dt * (a + b));
    };
    m = relax(m, R.am, R.bm);
    h = relax(h, R.ah, R.bh);
    n = relax(n, R.an, R.bn);
  }
  return v;
}

/** Summary statistics written independently: spike count, rest mean/std (t < tOn), stim mean. */
export function refSummary(v: Float64Array, cfg: RefConfig = REF_DEFAULTS): number[] {
  let spikes = 0;
  const rest: number[] = [];
  const stim: number[] = [];
  for (let i = 0; i < v.length; i++) {
    if (i > 0 && v[i - 1] < 0 && v[i] >= 0) spikes++;
    const t = i * cfg.dt;
    if (t < cfg.tOn - cfg.dt / 2) rest.push(v[i]);
    else if (t < cfg.tOff - cfg.dt / 2) stim.push(v[i]);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const mr = mean(rest);
  const sd = Math.sqrt(mean(rest.map((x) => (x - mr) ** 2)));
  return [spikes, mr, sd, mean(stim)];
}
