/**
 * FastRng (src/random.ts), the simulators' generator since SIMULATOR_VERSION 2: xoshiro128** (checked
 * against the reference output sequence), seeded from four draws of an Rng, and its two ziggurat
 * samplers (standard normal, standard exponential).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FastRng, Rng, streamRng, ZE_K, ZE_W } from '../src/random.js';
import { ksTest, normalCdf } from '../src/metrics/stats.js';

test('FastRng is xoshiro128**: the reference output sequence from state (1, 2, 3, 4)', () => {
  // Blackman & Vigna's reference implementation (xoshiro128starstar.c) gives these first outputs.
  const g = new FastRng(1, 2, 3, 4);
  assert.deepEqual(
    Array.from({ length: 8 }, () => g.next() >>> 0),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849],
  );
});

test('FastRng.from seeds from exactly four int32() draws; getState/setState round-trip', () => {
  const a = streamRng(8, 3);
  const g = FastRng.from(a);
  const b = streamRng(8, 3);
  const w = [b.int32(), b.int32(), b.int32(), b.int32()];
  assert.deepEqual(Array.from(g.getState(new Int32Array(4))), w);
  assert.equal(a.int32(), b.int32());
  for (let i = 0; i < 9; i++) g.next();
  const saved = g.getState(new Int32Array(4));
  const next = [g.next(), g.uniform(), g.next()];
  const h = new FastRng(5, 6, 7, 8);
  h.setState(saved);
  assert.deepEqual([h.next(), h.uniform(), h.next()], next);
  // Pinned: the first draws of the generator of simulation stream (0, 0) (SIMULATOR_VERSION 2).
  const f = FastRng.from(new Rng(0, 0));
  assert.deepEqual([f.next(), f.next(), f.uniform()], [-425417158, -2140427777, 0.8915088468894271]);
});

test('FastRng.fillNormals: standard normal (KS, mean, variance, tails), blocks continue one sequence', () => {
  const n = 200_000;
  const z = FastRng.from(streamRng(31, 0)).fillNormals(new Float64Array(n));
  assert.ok(ksTest(z, normalCdf).pValue > 1e-3);
  let s = 0;
  let ss = 0;
  let beyondR = 0;
  for (let i = 0; i < n; i++) {
    s += z[i];
    ss += z[i] * z[i];
    if (Math.abs(z[i]) > 3.442619855899) beyondR++;
  }
  assert.ok(Math.abs(s / n) < 5 / Math.sqrt(n), `mean ${s / n}`);
  assert.ok(Math.abs(ss / n - 1) < 5 * Math.sqrt(2 / n), `variance ${ss / n}`);
  // P(|z| > r) = 5.76e-4: ≈ 115 of 200000 (SD ≈ 11).
  assert.ok(beyondR >= 70 && beyondR <= 160, `|z| > r: ${beyondR}`);
  const a = FastRng.from(streamRng(5, 2)).fillNormals(new Float64Array(14));
  const g = FastRng.from(streamRng(5, 2));
  const b = new Float64Array(14);
  g.fillNormals(b.subarray(0, 5));
  g.fillNormals(b.subarray(5));
  assert.deepEqual(b, a);
});

test('FastRng.exponentialZiggurat: standard exponential (KS, mean, variance, tail beyond r)', () => {
  const n = 200_000;
  const g = FastRng.from(streamRng(32, 0));
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = g.exponentialZiggurat();
  const { pValue } = ksTest(z, (x) => 1 - Math.exp(-x));
  assert.ok(pValue > 1e-3, `KS p = ${pValue}`);
  let s = 0;
  let ss = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    assert.ok(z[i] >= 0 && Number.isFinite(z[i]));
    s += z[i];
    ss += (z[i] - 1) ** 2;
    if (z[i] > 7.697117470131487) tail++;
  }
  // SEs: mean 1/√n, variance √(8/n); 5 SE each. P(E > r) = 4.5e-4: ≈ 91 of 200000 (SD ≈ 9.5).
  assert.ok(Math.abs(s / n - 1) < 5 / Math.sqrt(n), `mean ${s / n}`);
  assert.ok(Math.abs(ss / n - 1) < 5 * Math.sqrt(8 / n), `variance ${ss / n}`);
  assert.ok(tail >= 55 && tail <= 130, `E > r: ${tail}`);
  // The inlined form (hf.ts): draw w; the fast test on ZE_K, ZE_W; else exponentialSlow(w). It must
  // give the same values and leave the stream in the same place as exponentialZiggurat().
  const h1 = FastRng.from(streamRng(40, 1));
  const h2 = FastRng.from(streamRng(40, 1));
  let slow = 0;
  for (let i = 0; i < 20000; i++) {
    const e1 = h1.exponentialZiggurat();
    const w = h2.next();
    const iz = w >>> 24;
    const jz = w & 0xffffff;
    let e2: number;
    if (jz < ZE_K[iz]) e2 = jz * ZE_W[iz];
    else {
      slow++;
      e2 = h2.exponentialSlow(w);
    }
    assert.equal(e2, e1);
  }
  assert.equal(h2.next(), h1.next());
  assert.ok(slow > 100, `slow path taken ${slow} times`);
});
