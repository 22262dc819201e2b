/**
 * The simulators' random numbers (SIMULATOR_VERSION 2): each simulation draws exactly four int32()
 * from the Rng it is given (the seed of its FastRng, src/random.ts) — none for LF with σ = 0 — and the
 * values are pinned. The pins were reproduced by the C reference (bench/c/hh.c, canonical xoshiro128**
 * step; scripts/bench-sim-vs-c.ts cross-checks C and TS), so they also check that hf.ts steps the
 * generator inline correctly. A change of a pinned value changes simulated data: bump
 * SIMULATOR_VERSION (src/simulators/version.ts) and update the pins.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamRng } from '../src/random.js';
import { hhConfig } from '../src/simulators/config.js';
import { simulateHF } from '../src/simulators/hf.js';
import { simulateLF } from '../src/simulators/lf.js';
import { simulateMF } from '../src/simulators/mf.js';
import { summaryStats } from '../src/simulators/summary.js';
import { SIMULATOR_VERSION } from '../src/simulators/version.js';

const THETA = [120, 36, 0.3];

test('each simulation takes exactly four draws from its Rng (LF with σ = 0: none)', () => {
  const sims: [string, (r: ReturnType<typeof streamRng>) => void, number][] = [
    ['hf', (r) => simulateHF(THETA, r), 4],
    ['mf', (r) => simulateMF(THETA, r), 4],
    ['lf', (r) => simulateLF(THETA, r), 4],
    ['lf σ=0', (r) => simulateLF(THETA, r, hhConfig({ lf_sigma_uA_sqrt_ms_per_cm2: 0 })), 0],
  ];
  for (const [name, sim, draws] of sims) {
    const a = streamRng(6, 1);
    sim(a);
    const b = streamRng(6, 1);
    for (let k = 0; k < draws; k++) b.int32();
    assert.equal(a.int32(), b.int32(), name);
  }
});

test(`pinned simulated values of SIMULATOR_VERSION ${SIMULATOR_VERSION} (reproduced by the C reference)`, () => {
  assert.equal(SIMULATOR_VERSION, 2);
  const hf = simulateHF(THETA, streamRng(90, 0));
  const x = (v: Float64Array) => Array.from(summaryStats(v)).map((y) => Number(y.toPrecision(12)));
  assert.deepEqual({ events: hf.events, x: x(hf.v) }, PINS.hf);
  assert.deepEqual(x(simulateMF(THETA, streamRng(90, 0))), PINS.mf);
  assert.deepEqual(x(simulateLF(THETA, streamRng(90, 0))), PINS.lf);
});

// Summary statistics (12 significant digits) of stream (90, 0) at (120, 36, 0.3); `hh stats hf 90 0 1
// 120 36 0.3 1` of bench/c/hh.c prints the same values and event count.
const PINS = {
  hf: { events: 454593, x: [2, -65.6061978747, 1.38024610189, -50.3267720046] },
  mf: [2, -66.0143662727, 0.828916351528, -51.8933391141],
  lf: [2, -66.1659072107, 1.69455825097, -50.8977442919],
};
