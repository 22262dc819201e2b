/*
 * C reference of the three HH simulators of src/simulators (hf.ts, mf.ts, lf.ts), for measuring how
 * far the TypeScript implementation is from compiled code (scripts/bench-sim-vs-c.ts). Same
 * algorithms, same arithmetic, same random streams (hashState seeding of Rng's xoroshiro128+, the
 * simulators' FastRng (xoshiro128**) seeded from it, its uniform(), fillNormals() and
 * exponentialZiggurat(), the HF loop's inlined draws), so with the
 * same (seed, stream) a C trace follows the TS trace draw for draw; they can drift apart only where
 * the C library's exp/log/expm1 round differently from V8's in the last bit. Models: hh-model.md and docs/mf-model.md.
 *
 * Build:  cc -O3 -march=native -ffp-contract=off -o hh bench/c/hh.c -lm
 *         (-ffp-contract=off: no fused multiply-adds, which JavaScript does not have.)
 * Usage:  hh bench FID NTRACES SCALE SEED   time NTRACES traces of FID (hf|mf|lf) at θ = (120, 36, 0.3)
 *                                           and channel_scale SCALE, streams (SEED, 0..N−1); one JSON line
 *         hh stats FID SEED FROM TO GNA GK GL SCALE
 *                                           summary statistics (and HF events) of streams FROM..TO−1, CSV
 *         hh trace FID SEED INDEX GNA GK GL SCALE
 *                                           the voltage trace of one stream, one value per line (%.17g)
 */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---------- random streams (src/random.ts) ---------- */

/* FastRng (src/random.ts), the simulators' generator: xoshiro128** (Blackman & Vigna 2018), 4 × 32-bit
 * state, 32-bit output, seeded from four draws of the simulation's Rng stream (below). */
typedef struct {
  uint32_t s[4];
} Rng;

static inline uint32_t rotl32(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next32(Rng *r) {
  uint32_t *s = r->s;
  const uint32_t result = rotl32(s[1] * 5u, 7) * 9u;
  const uint32_t t = s[1] << 9;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl32(s[3], 11);
  return result;
}
#define GENERATOR_NAME "xoshiro128** (FastRng), seeded from the xoroshiro128+ stream"

static uint32_t fmix32(uint32_t h) {
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

/* hashState(seed, stream) of src/random.ts. */
static void hash_state(uint64_t seed, uint64_t stream, uint32_t out[4]) {
  const uint32_t sLo = (uint32_t)seed, sHi = (uint32_t)(seed >> 32);
  const uint32_t iLo = (uint32_t)stream, iHi = (uint32_t)(stream >> 32);
  for (uint32_t k = 0; k < 4; k++) {
    uint32_t h = (k + 1) * 0x9e3779b9u;
    h = fmix32(h ^ sLo);
    h = fmix32(h ^ sHi ^ 0x7f4a7c15u);
    h = fmix32(h ^ iLo ^ 0x2545f491u);
    h = fmix32(h ^ iHi ^ 0x68e31da4u);
    out[k] = h;
  }
  if ((out[0] | out[1] | out[2] | out[3]) == 0) out[0] = 1;
}

/* Rng (src/random.ts): xoroshiro128+ as pure-rand computes it (the low 32 bits of the sum); stream
 * (seed, i) from hashState, then 8 outputs discarded. */
typedef struct {
  uint64_t s0, s1;
} Stream;

static inline uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint32_t stream_next(Stream *r) {
  const uint64_t s0 = r->s0;
  uint64_t s1 = r->s1;
  const uint64_t result = s0 + s1;
  s1 ^= s0;
  r->s0 = rotl64(s0, 24) ^ s1 ^ (s1 << 16);
  r->s1 = rotl64(s1, 37);
  return (uint32_t)result;
}

/* The FastRng of simulation (seed, stream): FastRng.from(streamRng(seed, stream)), i.e. the first four
 * int32() draws of that stream. */
static void rng_init(Rng *r, uint64_t seed, uint64_t stream) {
  uint32_t h[4];
  hash_state(seed, stream, h);
  Stream st = {((uint64_t)h[0] << 32) | h[1], ((uint64_t)h[2] << 32) | h[3]};
  for (int k = 0; k < 8; k++) stream_next(&st);
  for (int k = 0; k < 4; k++) r->s[k] = stream_next(&st);
  if ((r->s[0] | r->s[1] | r->s[2] | r->s[3]) == 0) r->s[0] = 1;
}

/* FastRng.uniform(): 53 bits from two outputs. */
static inline double uniform53(Rng *r) {
  const uint32_t a = next32(r) >> 6;
  const uint32_t b = next32(r) >> 5;
  return a * 0x1p-26 + b * 0x1p-53;
}

/* FastRng.fillNormals(): the ziggurat method (Marsaglia & Tsang 2000), 128 layers; top 7 bits of a
 * draw pick the layer, its low 25 bits (signed) the position. Tables as src/random.ts builds them. */
enum { ZN_LAYERS = 128 };
static const double ZN_R = 3.442619855899, ZN_V = 9.91256303526217e-3;
static int32_t ZN_K[ZN_LAYERS];
static double ZN_W[ZN_LAYERS], ZN_F[ZN_LAYERS];

static void ziggurat_setup(void) {
  const double m = 0x1p24;
  double dn = ZN_R, tn = dn;
  const double q = ZN_V / exp(-0.5 * dn * dn);
  ZN_K[0] = (int32_t)floor((dn / q) * m);
  ZN_K[1] = 0;
  ZN_W[0] = q / m;
  ZN_W[ZN_LAYERS - 1] = dn / m;
  ZN_F[0] = 1;
  ZN_F[ZN_LAYERS - 1] = exp(-0.5 * dn * dn);
  for (int i = ZN_LAYERS - 2; i >= 1; i--) {
    dn = sqrt(-2 * log(ZN_V / dn + exp(-0.5 * dn * dn)));
    ZN_K[i + 1] = (int32_t)floor((dn / tn) * m);
    tn = dn;
    ZN_F[i] = exp(-0.5 * dn * dn);
    ZN_W[i] = dn / m;
  }
}

static inline double uni_open(Rng *r) { return next32(r) * 0x1p-32 + 0x1p-33; }

static double ziggurat_normal_slow(Rng *r, int32_t hz, uint32_t iz) {
  for (;;) {
    if (iz == 0) {
      double x, y;
      do {
        x = -log(uni_open(r)) / ZN_R;
        y = -log(uni_open(r));
      } while (y + y < x * x);
      return hz > 0 ? ZN_R + x : -ZN_R - x;
    }
    const double x = hz * ZN_W[iz];
    if (ZN_F[iz] + uni_open(r) * (ZN_F[iz - 1] - ZN_F[iz]) < exp(-0.5 * x * x)) return x;
    const uint32_t w = next32(r);
    iz = w >> 25;
    hz = (int32_t)(w << 7) >> 7;
    if ((hz < 0 ? -hz : hz) < ZN_K[iz]) return hz * ZN_W[iz];
  }
}

/* FastRng.exponentialZiggurat(): Marsaglia & Tsang (2000), 256 layers; top 8 bits of a draw pick the
 * layer, its low 24 bits the position. Tables as src/random.ts builds them. */
enum { ZE_LAYERS = 256 };
static const double ZE_R = 7.697117470131487, ZE_V = 3.949659822581572e-3;
static int32_t ZE_K[ZE_LAYERS];
static double ZE_W[ZE_LAYERS], ZE_F[ZE_LAYERS];

static void ziggurat_exp_setup(void) {
  const double m = 0x1p24;
  double de = ZE_R, te = de;
  const double q = ZE_V / exp(-de);
  ZE_K[0] = (int32_t)floor((de / q) * m);
  ZE_K[1] = 0;
  ZE_W[0] = q / m;
  ZE_W[ZE_LAYERS - 1] = de / m;
  ZE_F[0] = 1;
  ZE_F[ZE_LAYERS - 1] = exp(-de);
  for (int i = ZE_LAYERS - 2; i >= 1; i--) {
    de = -log(ZE_V / de + exp(-de));
    ZE_K[i + 1] = (int32_t)floor((de / te) * m);
    te = de;
    ZE_F[i] = exp(-de);
    ZE_W[i] = de / m;
  }
}

static double ziggurat_exp_slow(Rng *r, uint32_t jz, uint32_t iz) {
  for (;;) {
    if (iz == 0) return ZE_R - log(uni_open(r));
    const double x = jz * ZE_W[iz];
    if (ZE_F[iz] + uni_open(r) * (ZE_F[iz - 1] - ZE_F[iz]) < exp(-x)) return x;
    const uint32_t w = next32(r);
    iz = w >> 24;
    jz = w & 0xffffff;
    if (jz < (uint32_t)ZE_K[iz]) return jz * ZE_W[iz];
  }
}

static inline double exponential_zig(Rng *r) {
  const uint32_t w = next32(r);
  const uint32_t iz = w >> 24, jz = w & 0xffffff;
  return jz < (uint32_t)ZE_K[iz] ? jz * ZE_W[iz] : ziggurat_exp_slow(r, jz, iz);
}

static inline void fill_normals(Rng *r, double *out, int n) {
  for (int i = 0; i < n; i++) {
    const uint32_t w = next32(r);
    const uint32_t iz = w >> 25;
    const int32_t hz = (int32_t)(w << 7) >> 7;
    out[i] = (hz < 0 ? -hz : hz) < ZN_K[iz] ? hz * ZN_W[iz] : ziggurat_normal_slow(r, hz, iz);
  }
}

/* ---------- model (hh-model.md; config.ts defaults) ---------- */

enum { NT = 5001, ON_IDX = 1000, OFF_IDX = 3000 };
static const double DT = 0.01, V_REST = -65, E_NA = -65 + 115, E_K = -65 - 12, E_L = -65 + 10.6, C_M = 1;
static const double I_AMP = 10, LF_SIGMA = 2;

/* rates.ts */
static inline double safe_exp(double z) { return exp(z < 700 ? z : 700); }
static inline double exp_ratio(double x, double y) {
  const double z = x / y;
  if (z > 1e-8) {
    const double e = exp(-z);
    return (x * e) / -expm1(-z);
  }
  if (z < -1e-8) return x / expm1(z);
  return y * (1 - z / 2);
}
static inline double alpha_m(double u) { return 0.1 * exp_ratio(25 - u, 10); }
static inline double beta_m(double u) { return 4 * safe_exp(-u / 18); }
static inline double alpha_h(double u) { return 0.07 * safe_exp(-u / 20); }
static inline double beta_h(double u) { return 1 / (safe_exp((30 - u) / 10) + 1); }
static inline double alpha_n(double u) { return 0.01 * exp_ratio(10 - u, 10); }
static inline double beta_n(double u) { return 0.125 * safe_exp(-u / 80); }

static void channel_counts(double gNa, double gK, double scale, int *nNa, int *nK) {
  *nNa = (int)floor((scale * 6000 * gNa) / 120);
  *nK = (int)floor((scale * 1800 * gK) / 36);
}

/* hf.ts: states, transition tables, steady state, multinomial draw. */
enum { NS = 13, K_FIRST = 8, NA_OPEN = 6, K_OPEN = 12, MAX_TR = 3 };
static int TR_DEST[NS * MAX_TR], TR_RATE[NS * MAX_TR], TR_COUNT[NS];
static double TR_MULT[NS * MAX_TR];

static int na_index(int i, int j) { return 2 * i + (1 - j); }

static void add_tr(int s, int dest, int rate, double mult) {
  const int q = s * MAX_TR + TR_COUNT[s]++;
  TR_DEST[q] = dest;
  TR_RATE[q] = rate;
  TR_MULT[q] = mult;
}

static void build_tables(void) {
  memset(TR_COUNT, 0, sizeof TR_COUNT);
  for (int i = 0; i <= 3; i++)
    for (int j = 0; j <= 1; j++) {
      const int s = na_index(i, j);
      if (i < 3) add_tr(s, na_index(i + 1, j), 0, 3 - i);
      if (i > 0) add_tr(s, na_index(i - 1, j), 1, i);
      if (j == 0) add_tr(s, na_index(i, 1), 2, 1);
      else add_tr(s, na_index(i, 0), 3, 1);
    }
  for (int k = 0; k <= 4; k++) {
    const int s = K_FIRST + k;
    if (k < 4) add_tr(s, s + 1, 4, 4 - k);
    if (k > 0) add_tr(s, s - 1, 5, k);
  }
}

static double choose(int n, int k) {
  double c = 1;
  for (int q = 1; q <= k; q++) c = (c * (n - q + 1)) / q;
  return c;
}

static void steady_state(double u, double p[NS]) {
  double am = alpha_m(u), m = am / (am + beta_m(u));
  double ah = alpha_h(u), h = ah / (ah + beta_h(u));
  double an = alpha_n(u), n = an / (an + beta_n(u));
  for (int i = 0; i <= 3; i++) {
    const double pm = choose(3, i) * pow(m, i) * pow(1 - m, 3 - i);
    p[na_index(i, 1)] = pm * h;
    p[na_index(i, 0)] = pm * (1 - h);
  }
  for (int k = 0; k <= 4; k++) p[K_FIRST + k] = choose(4, k) * pow(n, k) * pow(1 - n, 4 - k);
}

static void draw_multinomial(int total, const double *prob, int first, int len, int *counts, Rng *rng) {
  double cum[8], acc = 0;
  for (int q = 0; q < len; q++) cum[q] = acc += prob[first + q];
  for (int q = 0; q < len; q++) counts[first + q] = 0;
  for (int c = 0; c < total; c++) {
    const double u = uniform53(rng) * acc;
    int q = 0;
    while (q < len - 1 && u >= cum[q]) q++;
    counts[first + q]++;
  }
}

static inline double stim(int k) { return k >= ON_IDX && k < OFF_IDX ? I_AMP : 0; }

/* hf.ts runHF: Gillespie's direct method within each step, rates frozen at the step start. */
static long simulate_hf(const double th[3], double scale, Rng *rng, double *v) {
  const double gNaBar = th[0], gKBar = th[1], gL = th[2];
  int nNa, nK;
  channel_counts(gNaBar, gKBar, scale, &nNa, &nK);
  const double gLeL = gL * E_L, dtOverC = DT / C_M;
  const double naPer = gNaBar / nNa, kPer = gKBar / nK;
  int cnt[NS];
  double p[NS], exitR[NS], tr[NS * MAX_TR], rates[6], ss[NS];
  steady_state(0, ss);
  draw_multinomial(nNa, ss, 0, K_FIRST, cnt, rng);
  draw_multinomial(nK, ss, K_FIRST, NS - K_FIRST, cnt, rng);
  double V = V_REST;
  v[0] = V;
  long events = 0;
  const int last = NS - 1;
  for (int step = 1; step < NT; step++) {
    const double u = V - V_REST;
    rates[0] = alpha_m(u);
    rates[1] = beta_m(u);
    rates[2] = alpha_h(u);
    rates[3] = beta_h(u);
    rates[4] = alpha_n(u);
    rates[5] = beta_n(u);
    double A = 0;
    for (int s = 0; s < NS; s++) {
      const int base = s * MAX_TR;
      double e = 0;
      for (int q = base, end = base + TR_COUNT[s]; q < end; q++) {
        const double r = TR_MULT[q] * rates[TR_RATE[q]];
        tr[q] = r;
        e += r;
      }
      exitR[s] = e;
      const double ps = cnt[s] * e;
      p[s] = ps;
      A += ps;
    }
    double t = 0;
    for (;;) {
      t += exponential_zig(rng) / A;
      if (t >= DT) break;
      double r = next32(rng) * 0x1p-32 * A;
      int s = 0;
      while (s < last && r >= p[s]) {
        r -= p[s];
        s++;
      }
      if (cnt[s] == 0) {
        s = last;
        while (p[s] == 0) s--;
        r = 0;
      }
      const int c = cnt[s];
      int q = s * MAX_TR;
      const int qLast = q + TR_COUNT[s] - 1;
      while (q < qLast) {
        const double w = c * tr[q];
        if (r < w) break;
        r -= w;
        q++;
      }
      const int d = TR_DEST[q];
      const int cs = c - 1, cd = cnt[d] + 1;
      cnt[s] = cs;
      cnt[d] = cd;
      const double es = exitR[s], ed = exitR[d];
      p[s] = cs * es;
      p[d] = cd * ed;
      A += ed - es;
      events++;
    }
    const double I = stim(step - 1);
    const double gNa = naPer * cnt[NA_OPEN], gK = kPer * cnt[K_OPEN];
    const double g = gNa + gK + gL;
    const double vInf = (gNa * E_NA + gK * E_K + gLeL + I) / g;
    V = vInf + (V - vInf) * exp(-dtOverC * g);
    v[step] = V;
  }
  return events;
}

/* lf.ts: normals in blocks of LF_NORMAL_BLOCK (the last cut to the steps left). */
enum { LF_NORMAL_BLOCK = 256 };
static void simulate_lf(const double th[3], Rng *rng, double *v) {
  const double gNaBar = th[0], gKBar = th[1], gL = th[2];
  const double dtOverC = DT / C_M, noiseScale = (LF_SIGMA / C_M) * sqrt(DT), gLeL = gL * E_L;
  double am = alpha_m(0), bm = beta_m(0), ah = alpha_h(0), bh = beta_h(0), an = alpha_n(0), bn = beta_n(0);
  double m = am / (am + bm), h = ah / (ah + bh), n = an / (an + bn);
  double xi[LF_NORMAL_BLOCK];
  int xiAt = LF_NORMAL_BLOCK;
  double V = V_REST;
  v[0] = V;
  for (int i = 1; i < NT; i++) {
    const double I = stim(i - 1);
    const double m2 = m * m, n2 = n * n;
    const double gNa = gNaBar * m2 * m * h, gK = gKBar * n2 * n2;
    const double g = gNa + gK + gL;
    const double vInf = (gNa * E_NA + gK * E_K + gLeL + I) / g;
    V = vInf + (V - vInf) * exp(-dtOverC * g);
    if (xiAt == LF_NORMAL_BLOCK) {
      fill_normals(rng, xi, NT - i < LF_NORMAL_BLOCK ? NT - i : LF_NORMAL_BLOCK);
      xiAt = 0;
    }
    V += noiseScale * xi[xiAt++];
    v[i] = V;
    const double u = V - V_REST;
    am = alpha_m(u);
    bm = beta_m(u);
    ah = alpha_h(u);
    bh = beta_h(u);
    an = alpha_n(u);
    bn = beta_n(u);
    double s = am + bm, xInf = am / s;
    m = xInf + (m - xInf) * exp(-DT * s);
    s = ah + bh;
    xInf = ah / s;
    h = xInf + (h - xInf) * exp(-DT * s);
    s = an + bn;
    xInf = an / s;
    n = xInf + (n - xInf) * exp(-DT * s);
  }
}

/* mf.ts: Euler–Maruyama of the chemical Langevin equation, one normal per edge (14 per step). */
#define EDGE(out, kf, ya, kb, yb, invN, z)              \
  do {                                                  \
    const double fa_ = (kf) * (ya), fb_ = (kb) * (yb);  \
    const double w_ = fa_ + fb_;                        \
    out = fa_ - fb_ + sqrt((w_ > 0 ? w_ : 0) * (invN)) * (z); \
  } while (0)

static void simulate_mf(const double th[3], double scale, Rng *rng, double *v) {
  const double gNaBar = th[0], gKBar = th[1], gL = th[2];
  int nNa, nK;
  channel_counts(gNaBar, gKBar, scale, &nNa, &nK);
  const double gLeL = gL * E_L, dtOverC = DT / C_M;
  const double invNNa = 1.0 / nNa, invNK = 1.0 / nK;
  int cnt[NS];
  double ss[NS], xi[14];
  steady_state(0, ss);
  draw_multinomial(nNa, ss, 0, K_FIRST, cnt, rng);
  draw_multinomial(nK, ss, K_FIRST, NS - K_FIRST, cnt, rng);
  double a0h1 = (double)cnt[0] / nNa, a0h0 = (double)cnt[1] / nNa, a1h1 = (double)cnt[2] / nNa, a1h0 = (double)cnt[3] / nNa;
  double a2h1 = (double)cnt[4] / nNa, a2h0 = (double)cnt[5] / nNa, a3h1 = (double)cnt[6] / nNa, a3h0 = (double)cnt[7] / nNa;
  double k0 = (double)cnt[8] / nK, k1 = (double)cnt[9] / nK, k2 = (double)cnt[10] / nK, k3 = (double)cnt[11] / nK,
         k4 = (double)cnt[12] / nK;
  double V = V_REST;
  v[0] = V;
  for (int step = 1; step < NT; step++) {
    const double u = V - V_REST;
    const double am = alpha_m(u) * DT, bm = beta_m(u) * DT, ah = alpha_h(u) * DT, bh = beta_h(u) * DT;
    const double an = alpha_n(u) * DT, bn = beta_n(u) * DT;
    fill_normals(rng, xi, 14);
    double m0h1, m0h0, m1h1, m1h0, m2h1, m2h0, h0, h1, h2, h3, n0, n1, n2, n3;
    EDGE(m0h1, 3 * am, a0h1, bm, a1h1, invNNa, xi[0]);
    EDGE(m0h0, 3 * am, a0h0, bm, a1h0, invNNa, xi[1]);
    EDGE(m1h1, 2 * am, a1h1, 2 * bm, a2h1, invNNa, xi[2]);
    EDGE(m1h0, 2 * am, a1h0, 2 * bm, a2h0, invNNa, xi[3]);
    EDGE(m2h1, am, a2h1, 3 * bm, a3h1, invNNa, xi[4]);
    EDGE(m2h0, am, a2h0, 3 * bm, a3h0, invNNa, xi[5]);
    EDGE(h0, ah, a0h0, bh, a0h1, invNNa, xi[6]);
    EDGE(h1, ah, a1h0, bh, a1h1, invNNa, xi[7]);
    EDGE(h2, ah, a2h0, bh, a2h1, invNNa, xi[8]);
    EDGE(h3, ah, a3h0, bh, a3h1, invNNa, xi[9]);
    EDGE(n0, 4 * an, k0, bn, k1, invNK, xi[10]);
    EDGE(n1, 3 * an, k1, 2 * bn, k2, invNK, xi[11]);
    EDGE(n2, 2 * an, k2, 3 * bn, k3, invNK, xi[12]);
    EDGE(n3, an, k3, 4 * bn, k4, invNK, xi[13]);
    a0h1 += -m0h1 + h0;
    a0h0 += -m0h0 - h0;
    a1h1 += m0h1 - m1h1 + h1;
    a1h0 += m0h0 - m1h0 - h1;
    a2h1 += m1h1 - m2h1 + h2;
    a2h0 += m1h0 - m2h0 - h2;
    a3h1 += m2h1 + h3;
    a3h0 += m2h0 - h3;
    k0 -= n0;
    k1 += n0 - n1;
    k2 += n1 - n2;
    k3 += n2 - n3;
    k4 += n3;
    const double I = stim(step - 1);
    double gNa = gNaBar * a3h1;
    gNa = gNa < 0 ? 0 : gNa > gNaBar ? gNaBar : gNa;
    double gK = gKBar * k4;
    gK = gK < 0 ? 0 : gK > gKBar ? gKBar : gK;
    const double g = gNa + gK + gL;
    const double vInf = (gNa * E_NA + gK * E_K + gLeL + I) / g;
    V = vInf + (V - vInf) * exp(-dtOverC * g);
    v[step] = V;
  }
}

/* summary.ts */
static void summary(const double *v, double x[4]) {
  int spikes = 0;
  for (int i = 1; i < NT; i++)
    if (v[i - 1] < 0 && 0 <= v[i]) spikes++;
  double sum = 0;
  for (int i = 0; i < ON_IDX; i++) sum += v[i];
  const double mr = sum / ON_IDX;
  double ss = 0;
  for (int i = 0; i < ON_IDX; i++) ss += (v[i] - mr) * (v[i] - mr);
  double st = 0;
  for (int i = ON_IDX; i < OFF_IDX; i++) st += v[i];
  x[0] = spikes;
  x[1] = mr;
  x[2] = sqrt(ss / ON_IDX);
  x[3] = st / (OFF_IDX - ON_IDX);
}

static long simulate(char fid, const double th[3], double scale, Rng *rng, double *v) {
  if (fid == 'h') return simulate_hf(th, scale, rng, v);
  if (fid == 'm') simulate_mf(th, scale, rng, v);
  else simulate_lf(th, rng, v);
  return 0;
}

/* ---------- timing ---------- */

static double now_ms(clockid_t c) {
  struct timespec ts;
  clock_gettime(c, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec * 1e-6;
}

static int cmp_double(const void *a, const void *b) {
  const double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *a, int n) {
  qsort(a, n, sizeof *a, cmp_double);
  return n % 2 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

static char parse_fid(const char *s) {
  if (!strcmp(s, "hf") || !strcmp(s, "mf") || !strcmp(s, "lf")) return s[0];
  fprintf(stderr, "hh: fidelity must be hf, mf or lf, got '%s'\n", s);
  exit(2);
}

int main(int argc, char **argv) {
  build_tables();
  ziggurat_setup();
  ziggurat_exp_setup();
  static double v[NT];
  if (argc == 6 && !strcmp(argv[1], "bench")) {
    const char fid = parse_fid(argv[2]);
    const int n = atoi(argv[3]);
    const double scale = atof(argv[4]);
    const uint64_t seed = strtoull(argv[5], NULL, 10);
    const double th[3] = {120, 36, 0.3};
    double *wall = malloc(n * sizeof *wall), *ev = malloc(n * sizeof *ev);
    Rng rng;
    /* Warm-up (page in, caches, CPU frequency). */
    for (int i = 0; i < 3; i++) {
      rng_init(&rng, seed + 1, i);
      simulate(fid, th, scale, &rng, v);
    }
    const double c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID), w0 = now_ms(CLOCK_MONOTONIC);
    double checksum = 0;
    for (int i = 0; i < n; i++) {
      const double t0 = now_ms(CLOCK_MONOTONIC);
      rng_init(&rng, seed, i);
      ev[i] = (double)simulate(fid, th, scale, &rng, v);
      wall[i] = now_ms(CLOCK_MONOTONIC) - t0;
      checksum += v[NT - 1];
    }
    const double cpu = (now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0) / n, wallMean = (now_ms(CLOCK_MONOTONIC) - w0) / n;
    printf("{\"fidelity\":\"%cf\",\"generator\":\"%s\",\"traces\":%d,\"channel_scale\":%g,\"ms_median\":%.6f,\"ms_mean\":%.6f,"
           "\"cpu_ms_per_trace\":%.6f,\"events_median\":%.1f,\"checksum\":%.17g}\n",
           fid, GENERATOR_NAME, n, scale, median(wall, n), wallMean, cpu, median(ev, n), checksum);
    return 0;
  }
  if (argc == 10 && !strcmp(argv[1], "stats")) {
    const char fid = parse_fid(argv[2]);
    const uint64_t seed = strtoull(argv[3], NULL, 10);
    const long from = atol(argv[4]), to = atol(argv[5]);
    const double th[3] = {atof(argv[6]), atof(argv[7]), atof(argv[8])};
    const double scale = atof(argv[9]);
    Rng rng;
    double x[4];
    for (long i = from; i < to; i++) {
      rng_init(&rng, seed, i);
      const long ev = simulate(fid, th, scale, &rng, v);
      summary(v, x);
      printf("%ld,%.17g,%.17g,%.17g,%.17g,%ld\n", i, x[0], x[1], x[2], x[3], ev);
    }
    return 0;
  }
  if (argc == 2 && !strcmp(argv[1], "tables")) {
    for (int i = 0; i < ZN_LAYERS; i++) printf("%d %.17g %.17g\n", ZN_K[i], ZN_W[i], ZN_F[i]);
    return 0;
  }
  if (argc == 9 && !strcmp(argv[1], "trace")) {
    const char fid = parse_fid(argv[2]);
    const uint64_t seed = strtoull(argv[3], NULL, 10);
    const long idx = atol(argv[4]);
    const double th[3] = {atof(argv[5]), atof(argv[6]), atof(argv[7])};
    Rng rng;
    rng_init(&rng, seed, idx);
    simulate(fid, th, atof(argv[8]), &rng, v);
    for (int i = 0; i < NT; i++) printf("%.17g\n", v[i]);
    return 0;
  }
  fprintf(stderr,
          "usage: hh bench hf|mf|lf NTRACES SCALE SEED\n"
          "       hh stats hf|mf|lf SEED FROM TO GNA GK GL SCALE\n"
          "       hh trace hf|mf|lf SEED INDEX GNA GK GL SCALE\n");
  return 2;
}
