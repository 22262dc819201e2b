/**
 * Rng.fillNormals (the block normal generator of the MF simulator, src/random.ts): standard normal,
 * reproducible per stream, and an addition only — the existing methods return exactly what they did
 * (pinned values below; see src/simulators/version.ts for what a change of them implies).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng, streamRng } from '../src/random.js';
import { ksTest, normalCdf } from '../src/metrics/stats.js';

// Rng's streams have not changed since SIMULATOR_VERSION 1 (the simulators' own generator, FastRng,
// changed with version 2; test/random-fast.test.ts). A change of these values changes every stream.
test('Rng methods return their pinned values', () => {
  const r = new Rng(12345, 7);
  assert.deepEqual([r.int32(), r.int32(), r.int32()], [715619821, -1562198459, 323786066]);
  assert.deepEqual([r.uniform(), r.uniform()], [0.43453482839497437, 0.04538141270099627]);
  assert.deepEqual([r.normal(), r.normal(), r.normal()], [1.1483181373326141, 0.1328331545167604, -2.9496759609390537]);
  assert.equal(r.seed31(), 838734171);
  const q = streamRng(0, 0);
  assert.deepEqual([q.int32(), q.uniform()], [1363108702, 0.7668230695607592]);
});

test('fillNormals: standard normal (KS, mean, variance, tails), neighbours uncorrelated', () => {
  const n = 200_000;
  const z = streamRng(31, 0).fillNormals(new Float64Array(n));
  const { pValue } = ksTest(z, normalCdf);
  assert.ok(pValue > 1e-3, `KS p = ${pValue}`);
  let s = 0;
  let ss = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    s += z[i];
    ss += z[i] * z[i];
  }
  for (let i = 0; i < n; i += 2) c += z[i] * z[i + 1];
  const m = s / n;
  const v = ss / n - m * m;
  // SEs: mean 1/√n, variance √(2/n), neighbour correlation 1/√(n/2); 5 SE each.
  assert.ok(Math.abs(m) < 5 / Math.sqrt(n), `mean ${m}`);
  assert.ok(Math.abs(v - 1) < 5 * Math.sqrt(2 / n), `variance ${v}`);
  assert.ok(Math.abs(c / (n / 2)) < 5 / Math.sqrt(n / 2), `pair correlation ${c / (n / 2)}`);
  // The ziggurat's tail beyond r = 3.4426 (base strip) and its wedges: P(|z| > r) = 5.76e-4, so
  // ≈ 115 of 200000 (Poisson SD ≈ 11); P(|z| > 4) = 6.3e-5, ≈ 13.
  let beyondR = 0;
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(z[i]) > 3.442619855899) beyondR++;
    if (Math.abs(z[i]) > 4) tail++;
  }
  assert.ok(beyondR >= 70 && beyondR <= 160, `|z| > r: ${beyondR}`);
  assert.ok(tail >= 3 && tail <= 30, `|z| > 4: ${tail}`);
});

test('fillNormals is reproducible per stream and fills exactly n values; blocks continue one sequence', () => {
  const a = streamRng(5, 2).fillNormals(new Float64Array(14));
  assert.deepEqual(streamRng(5, 2).fillNormals(new Float64Array(14)), a);
  assert.notDeepEqual(streamRng(5, 3).fillNormals(new Float64Array(14)), a);
  const odd = new Float64Array(8).fill(99);
  streamRng(5, 2).fillNormals(odd, 5);
  assert.deepEqual(Array.from(odd.subarray(0, 5)), Array.from(a.subarray(0, 5)));
  assert.deepEqual(Array.from(odd.subarray(5)), [99, 99, 99]);
  // Blocks continue the same sequence: 5 then 9 values equal 14 at once.
  const r = streamRng(5, 2);
  const b = new Float64Array(14);
  r.fillNormals(b.subarray(0, 5));
  r.fillNormals(b.subarray(5));
  assert.deepEqual(b, a);
});

test('fillNormals leaves normal()’s cached spare alone', () => {
  const a = new Rng(9, 1);
  const b = new Rng(9, 1);
  a.normal();
  b.normal();
  const spareA = a.normal(); // the cached second value of the first pair
  b.fillNormals(new Float64Array(4));
  const spareB = b.normal();
  assert.equal(spareB, spareA);
});
