/**
 * Seeded random numbers.
 *
 * Generator: xoroshiro128+ (Blackman & Vigna 2018), the low 32 bits of each output, computed on 32-bit
 * halves exactly as the `pure-rand` package (8.4.2) does (the same streams), mutated in place so
 * hot loops allocate nothing. (The simulators draw from their own FastRng, below, seeded from their
 * Rng.) Every simulation i of a run with seed s gets its own generator whose
 * 128-bit state is a hash of (s, i) — see {@link streamRng}. Results therefore do not depend on how
 * simulations are split across workers, and different seeds give different data.
 */

/** The largest seed accepted: seeds are integers in [0, 2^53). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * What simulations are for: training data use streams (seed, i), held-out test data (seed, 2⁴⁰ + i),
 * so a test set drawn with the training seed never repeats a training simulation.
 */
export type StreamPurpose = 'train' | 'test';

/** Every stream purpose. */
export const STREAM_PURPOSES: readonly StreamPurpose[] = ['train', 'test'];

/** The first stream of a purpose (docs/methods.md, "Random streams"). */
export function purposeOffset(purpose: StreamPurpose): number {
  return purpose === 'test' ? STREAM_OFFSET.test : STREAM_OFFSET.simulation;
}

/** Throws a one-line error unless `seed` is an integer in [0, 2^53). */
export function checkSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`bad seed ${seed}: expected an integer between 0 and ${MAX_SEED}`);
  }
  return seed;
}

/** murmur3's 32-bit finalizer: a bijective avalanche mix of one word. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/**
 * Four well-mixed 32-bit words from (seed, stream). Each word hashes all four input words
 * (seed high/low, stream high/low) with a distinct salt, so nearby seeds and streams give
 * unrelated states.
 */
export function hashState(seed: number, stream: number): [number, number, number, number] {
  const sLo = seed >>> 0;
  const sHi = Math.floor(seed / 4294967296) >>> 0;
  const iLo = stream >>> 0;
  const iHi = Math.floor(stream / 4294967296) >>> 0;
  const out: [number, number, number, number] = [0, 0, 0, 0];
  for (let k = 0; k < 4; k++) {
    let h = Math.imul(k + 1, 0x9e3779b9);
    h = fmix32(h ^ sLo);
    h = fmix32(h ^ sHi ^ 0x7f4a7c15);
    h = fmix32(h ^ iLo ^ 0x2545f491);
    h = fmix32(h ^ iHi ^ 0x68e31da4);
    out[k] = h;
  }
  // xoroshiro's all-zero state is a fixed point; the hash essentially never yields it, but be safe.
  if ((out[0] | out[1] | out[2] | out[3]) === 0) out[0] = 1;
  return out;
}

interface Next32 {
  next(): number;
}

/**
 * xoroshiro128+ (a = 24, b = 16, c = 37) on 32-bit halves: s0 = (s01, s00), s1 = (s11, s10), high
 * word first; next() returns the low 32 bits of s0 + s1. Bit for bit pure-rand's XoroShiro128Plus.
 */
class Xoroshiro128Plus implements Next32 {
  constructor(
    public s01: number,
    public s00: number,
    public s11: number,
    public s10: number,
  ) {}

  next(): number {
    const out = (this.s00 + this.s10) | 0;
    const a0 = this.s10 ^ this.s00;
    const a1 = this.s11 ^ this.s01;
    const s00 = this.s00;
    const s01 = this.s01;
    this.s00 = (s00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
    this.s01 = (s01 << 24) ^ (s00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
    this.s10 = (a1 << 5) ^ (a0 >>> 27);
    this.s11 = (a0 << 5) ^ (a1 >>> 27);
    return out;
  }
}

/**
 * Ziggurat tables of the standard normal (Marsaglia & Tsang 2000, "The ziggurat method for generating
 * random variables", J. Stat. Softw. 5(8)): 128 layers of equal area v, base-strip edge r; layer
 * widths scaled to 25-bit signed integers (|hz| < 2²⁴). ZN_K[i]: acceptance threshold on |hz|,
 * ZN_W[i]: width per integer step, ZN_F[i] = exp(−x_i²/2) at the layer's edge.
 */
const ZN_LAYERS = 128;
const ZN_R = 3.442619855899;
const ZN_V = 9.91256303526217e-3;
const ZN_K = new Int32Array(ZN_LAYERS);
const ZN_W = new Float64Array(ZN_LAYERS);
const ZN_F = new Float64Array(ZN_LAYERS);
(function zigguratSetup() {
  const m = 2 ** 24;
  let dn = ZN_R;
  let tn = dn;
  const q = ZN_V / Math.exp(-0.5 * dn * dn);
  ZN_K[0] = Math.floor((dn / q) * m);
  ZN_K[1] = 0;
  ZN_W[0] = q / m;
  ZN_W[ZN_LAYERS - 1] = dn / m;
  ZN_F[0] = 1;
  ZN_F[ZN_LAYERS - 1] = Math.exp(-0.5 * dn * dn);
  for (let i = ZN_LAYERS - 2; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(ZN_V / dn + Math.exp(-0.5 * dn * dn)));
    ZN_K[i + 1] = Math.floor((dn / tn) * m);
    tn = dn;
    ZN_F[i] = Math.exp(-0.5 * dn * dn);
    ZN_W[i] = dn / m;
  }
})();

const SCALE32 = 2 ** -32;
const HALF32 = 2 ** -33;

/**
 * The ziggurat's rare path (≈ 1.2 % of draws): the wedge test of layer iz, or the tail beyond r for
 * the base strip, drawing again until a value is accepted. Uniforms in (0, 1) from single draws.
 */
function zigguratNormalSlow(g: Next32, hz: number, iz: number): number {
  for (;;) {
    if (iz === 0) {
      let x: number;
      let y: number;
      do {
        x = -Math.log((g.next() >>> 0) * SCALE32 + HALF32) / ZN_R;
        y = -Math.log((g.next() >>> 0) * SCALE32 + HALF32);
      } while (y + y < x * x);
      return hz > 0 ? ZN_R + x : -ZN_R - x;
    }
    const x = hz * ZN_W[iz];
    if (ZN_F[iz] + ((g.next() >>> 0) * SCALE32 + HALF32) * (ZN_F[iz - 1] - ZN_F[iz]) < Math.exp(-0.5 * x * x)) return x;
    const w = g.next();
    iz = w >>> 25;
    hz = (w << 7) >> 7;
    if ((hz < 0 ? -hz : hz) < ZN_K[iz]) return hz * ZN_W[iz];
  }
}

const SCALE26 = 2 ** -26;
const SCALE53 = 2 ** -53;

/**
 * A seeded stream of variates. Methods draw from one mutable xoroshiro128+ generator.
 */
export class Rng {
  private readonly g: Xoroshiro128Plus;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, stream = 0) {
    checkSeed(seed);
    if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`bad stream index ${stream}`);
    const s = hashState(seed, stream);
    this.g = new Xoroshiro128Plus(s[0], s[1], s[2], s[3]);
    // Decorrelate the first outputs from the hash (xoroshiro+ has weak low bits early on).
    for (let k = 0; k < 8; k++) this.g.next();
  }

  /** A raw 32-bit signed integer. */
  int32(): number {
    return this.g.next();
  }

  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number {
    const a = this.g.next() >>> 6; // 26 bits
    const b = this.g.next() >>> 5; // 27 bits
    return a * SCALE26 + b * SCALE53;
  }

  /** Uniform on (0, 1]: safe inside log(). */
  uniformPos(): number {
    return 1 - this.uniform();
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard exponential variate (rate 1), by inversion. */
  exponential(): number {
    return -Math.log(this.uniformPos());
  }

  /** Standard normal variate, Marsaglia's polar method (pairs; the second is cached). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /**
   * Fills out[0..n) with standard normal variates, for hot loops that need many (the MF simulator
   * draws 14 per step): the ziggurat method (Marsaglia & Tsang 2000, 128 layers). One 32-bit draw per
   * variate in ≈ 98.8 % of cases (no logarithm, no square root): its top 7 bits pick the layer and
   * its low 25 bits, as a signed integer, the position in it; separate bits for the two avoid the
   * layer/value correlation of the original (Doornik 2005). Values have ≥ 24 bits of resolution
   * within their layer; the tail beyond r = 3.44 is sampled exactly (Marsaglia 1964).
   * An addition: it neither reads nor sets normal()'s cached spare, so existing streams are unchanged.
   */
  fillNormals(out: Float64Array, n: number = out.length): Float64Array {
    // The generator stepped on local copies of its state (as Xoroshiro128Plus.next), written back
    // around the rare slow path and at the end.
    const g = this.g;
    let s00 = g.s00 | 0;
    let s01 = g.s01 | 0;
    let s10 = g.s10 | 0;
    let s11 = g.s11 | 0;
    for (let i = 0; i < n; i++) {
      const w = (s00 + s10) | 0;
      const a0 = s10 ^ s00;
      const a1 = s11 ^ s01;
      const t00 = s00;
      s00 = (t00 << 24) ^ (s01 >>> 8) ^ a0 ^ (a0 << 16);
      s01 = (s01 << 24) ^ (t00 >>> 8) ^ a1 ^ ((a1 << 16) | (a0 >>> 16));
      s10 = (a1 << 5) ^ (a0 >>> 27);
      s11 = (a0 << 5) ^ (a1 >>> 27);
      const iz = w >>> 25;
      const hz = (w << 7) >> 7;
      if ((hz < 0 ? -hz : hz) < ZN_K[iz]) {
        out[i] = hz * ZN_W[iz];
      } else {
        g.s00 = s00;
        g.s01 = s01;
        g.s10 = s10;
        g.s11 = s11;
        out[i] = zigguratNormalSlow(g, hz, iz);
        s00 = g.s00 | 0;
        s01 = g.s01 | 0;
        s10 = g.s10 | 0;
        s11 = g.s11 | 0;
      }
    }
    g.s00 = s00;
    g.s01 = s01;
    g.s10 = s10;
    g.s11 = s11;
    return out;
  }

  /** Integer uniform on {0, …, n−1}. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** A random permutation of 0..n−1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** Fills a new Float64Array with standard normal variates. */
  normals(n: number): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal();
    return out;
  }

  /** A 31-bit integer seed for a library that needs one (e.g. TensorFlow.js initializers). */
  seed31(): number {
    return this.g.next() >>> 1;
  }
}

/**
 * The generator of simulation `index` in a run with seed `seed`. Streams of different indices (or
 * seeds) are independent for all practical purposes; that is what makes results identical for
 * any number of workers.
 */
export function streamRng(seed: number, index: number): Rng {
  return new Rng(seed, index);
}

/** Separate purposes of one seed (training split, network init, test set…) get distinct streams. */
export const STREAM_OFFSET = {
  /** Simulations use streams 0, 1, 2, … directly. */
  simulation: 0,
  /** Low-fidelity training simulations of a replicate (MF-NPE's pre-training data). */
  lf: 2 ** 39,
  /** Mid-fidelity training simulations (a fidelity ladder's MF level). */
  mf: 2 ** 39 + 2 ** 38,
  /** Held-out test simulations: far away from any training index. */
  test: 2 ** 40,
  /** Everything that is not a simulation (shuffles, initializers, samplers). */
  aux: 2 ** 41,
} as const;

/**
 * Ziggurat tables of the standard exponential (Marsaglia & Tsang 2000): 256 layers of equal area,
 * base-strip edge r; positions are 24-bit integers. ZE_K[i]: acceptance threshold on the position,
 * ZE_W[i]: width per integer step, ZE_F[i] = exp(−x_i). Exported (read-only by convention) for the
 * HF event loop, which inlines the fast path of FastRng.exponentialZiggurat.
 */
const ZE_LAYERS = 256;
const ZE_R = 7.697117470131487;
const ZE_V = 3.949659822581572e-3;
export const ZE_K = new Int32Array(ZE_LAYERS);
export const ZE_W = new Float64Array(ZE_LAYERS);
const ZE_F = new Float64Array(ZE_LAYERS);
(function zigguratExpSetup() {
  const m = 2 ** 24;
  let de = ZE_R;
  let te = de;
  const q = ZE_V / Math.exp(-de);
  ZE_K[0] = Math.floor((de / q) * m);
  ZE_K[1] = 0;
  ZE_W[0] = q / m;
  ZE_W[ZE_LAYERS - 1] = de / m;
  ZE_F[0] = 1;
  ZE_F[ZE_LAYERS - 1] = Math.exp(-de);
  for (let i = ZE_LAYERS - 2; i >= 1; i--) {
    de = -Math.log(ZE_V / de + Math.exp(-de));
    ZE_K[i + 1] = Math.floor((de / te) * m);
    te = de;
    ZE_F[i] = Math.exp(-de);
    ZE_W[i] = de / m;
  }
})();

/** The exponential ziggurat's rare path (≈ 1.1 % of draws): wedge test or tail, drawing again. */
function zigguratExpSlow(g: Next32, jz: number, iz: number): number {
  for (;;) {
    if (iz === 0) return ZE_R - Math.log((g.next() >>> 0) * SCALE32 + HALF32);
    const x = jz * ZE_W[iz];
    if (ZE_F[iz] + ((g.next() >>> 0) * SCALE32 + HALF32) * (ZE_F[iz - 1] - ZE_F[iz]) < Math.exp(-x)) return x;
    const w = g.next();
    iz = w >>> 24;
    jz = w & 0xffffff;
    if (jz < ZE_K[iz]) return jz * ZE_W[iz];
  }
}

/**
 * The simulators' generator (hf.ts, mf.ts, lf.ts): xoshiro128** (Blackman & Vigna 2018, "Scrambled
 * linear pseudorandom number generators"), 128-bit state in native 32-bit arithmetic — about half the
 * cost per draw of Rng's xoroshiro128+, which JavaScript must emulate on 32-bit halves — and good in
 * all 32 output bits. A simulation seeds it from four int32() draws of the Rng it is given (its
 * stream (seed, i)), so simulations stay reproducible per (seed, index) and independent of workers,
 * while Rng's own streams (priors, training, the other tasks) are unaffected. Hot loops may step it on
 * local copies of its state (getState/setState; hf.ts does).
 */
export class FastRng implements Next32 {
  constructor(
    public s0: number,
    public s1: number,
    public s2: number,
    public s3: number,
  ) {
    // The all-zero state is a fixed point; four hashed draws essentially never give it.
    if ((s0 | s1 | s2 | s3) === 0) this.s0 = 1;
  }

  /** The generator of a simulation: seeded from the next four int32() draws of `rng`. */
  static from(rng: Rng): FastRng {
    return new FastRng(rng.int32(), rng.int32(), rng.int32(), rng.int32());
  }

  /** A raw 32-bit signed integer: rotl(s1·5, 7)·9, then the xoshiro state update. */
  next(): number {
    const s0 = this.s0 | 0;
    const s1 = this.s1 | 0;
    const m = Math.imul(s1, 5);
    const out = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    const s2 = (this.s2 ^ s0) | 0;
    const s3 = (this.s3 ^ s1) | 0;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return out;
  }

  /** Same as next(). */
  int32(): number {
    return this.next();
  }

  /** Uniform on [0, 1) with 53 random bits (two draws, as Rng.uniform). */
  uniform(): number {
    const a = this.next() >>> 6;
    const b = this.next() >>> 5;
    return a * SCALE26 + b * SCALE53;
  }

  /** The four state words s0..s3 into out (for loops that step the generator on local copies). */
  getState(out: Int32Array): Int32Array {
    out[0] = this.s0;
    out[1] = this.s1;
    out[2] = this.s2;
    out[3] = this.s3;
    return out;
  }

  /** Sets the four state words (from getState, advanced by the caller's inline steps). */
  setState(s: Int32Array): void {
    this.s0 = s[0] | 0;
    this.s1 = s[1] | 0;
    this.s2 = s[2] | 0;
    this.s3 = s[3] | 0;
  }

  /**
   * Fills out[0..n) with standard normal variates by the ziggurat method, exactly as Rng.fillNormals
   * does (Marsaglia & Tsang 2000, 128 layers, layer from the top 7 bits, signed position from the low
   * 25 bits of one draw), on this generator.
   */
  fillNormals(out: Float64Array, n: number = out.length): Float64Array {
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    for (let i = 0; i < n; i++) {
      const m = Math.imul(s1, 5);
      const w = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const iz = w >>> 25;
      const hz = (w << 7) >> 7;
      if ((hz < 0 ? -hz : hz) < ZN_K[iz]) {
        out[i] = hz * ZN_W[iz];
      } else {
        this.s0 = s0;
        this.s1 = s1;
        this.s2 = s2;
        this.s3 = s3;
        out[i] = zigguratNormalSlow(this, hz, iz);
        s0 = this.s0 | 0;
        s1 = this.s1 | 0;
        s2 = this.s2 | 0;
        s3 = this.s3 | 0;
      }
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /**
   * A standard exponential variate by the ziggurat method (Marsaglia & Tsang 2000, 256 layers): one
   * draw in ≈ 98.9 % of cases, no logarithm; its top 8 bits pick the layer and its low 24 bits the
   * position (≥ 24 bits of resolution within the layer); exact tail beyond r = 7.697. hf.ts inlines
   * the fast path (ZE_K, ZE_W) and calls exponentialSlow(w) otherwise.
   */
  exponentialZiggurat(): number {
    const w = this.next();
    const iz = w >>> 24;
    const jz = w & 0xffffff;
    return jz < ZE_K[iz] ? jz * ZE_W[iz] : zigguratExpSlow(this, jz, iz);
  }

  /** The slow path of exponentialZiggurat for a draw w whose fast test failed, on this stream. */
  exponentialSlow(w: number): number {
    return zigguratExpSlow(this, w & 0xffffff, w >>> 24);
  }
}
