/**
 * Seeded random numbers.
 *
 * Generator: xoroshiro128+ (Blackman & Vigna 2018), the low 32 bits of each output, computed on 32-bit
 * halves exactly as the `pure-rand` package (8.4.2) does (the same streams), mutated in place so
 * hot loops allocate nothing. Every simulation i of a run with seed s gets its own generator whose
 * 128-bit state is a hash of (s, i) — see {@link streamRng}. Results therefore do not depend on how
 * simulations are split across workers, and different seeds give different data.
 */

/** The largest seed accepted: seeds are integers in [0, 2^53). */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

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

  /**
   * The generator's state, four 32-bit words (s00, s01, s10, s11: low and high halves of s0 and s1),
   * into out. For hot loops that step the generator on local copies (hf.ts); after such a loop,
   * setState writes the advanced state back, so the stream continues exactly as with int32() calls.
   */
  getState(out: Int32Array): Int32Array {
    const g = this.g;
    out[0] = g.s00;
    out[1] = g.s01;
    out[2] = g.s10;
    out[3] = g.s11;
    return out;
  }

  /** Sets the generator's state (the words of getState). */
  setState(s: Int32Array): void {
    const g = this.g;
    g.s00 = s[0];
    g.s01 = s[1];
    g.s10 = s[2];
    g.s11 = s[3];
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
  /** Held-out test simulations: far away from any training index. */
  test: 2 ** 40,
  /** Everything that is not a simulation (shuffles, initializers, samplers). */
  aux: 2 ** 41,
} as const;
