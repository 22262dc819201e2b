/**
 * LF simulator (hh-model.md, "Low fidelity"): σ = 0 is deterministic HH; noise scales with σ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamRng } from '../src/random.js';
import { hhConfig, nSteps } from '../src/simulators/config.js';
import { simulateLF } from '../src/simulators/lf.js';
import { summaryStats } from '../src/simulators/summary.js';
import { referenceLF, REF_DEFAULTS } from './helpers/hf-reference.js';
import { median } from './helpers/stats.js';

const THETA = [120, 36, 0.3];

function spikeIndices(v: Float64Array): number[] {
  const idx: number[] = [];
  for (let i = 1; i < v.length; i++) if (v[i - 1] < 0 && v[i] >= 0) idx.push(i);
  return idx;
}

test('LF with σ = 0 reproduces deterministic exponential-Euler HH (spike count and spike times)', () => {
  const cfg = hhConfig({ lf_sigma_uA_sqrt_ms_per_cm2: 0 });
  const v = simulateLF(THETA, streamRng(1, 0), cfg);
  const ref = referenceLF(THETA, null, { ...REF_DEFAULTS, sigma: 0 });
  assert.equal(v.length, 5001);
  const sv = spikeIndices(v);
  const sr = spikeIndices(ref);
  assert.ok(sr.length >= 1, 'the deterministic reference spikes');
  assert.deepEqual(sv, sr, 'spike count and spike times (grid samples) agree');
  // Same scheme, independently written: only rounding differs.
  let maxDiff = 0;
  for (let i = 0; i < v.length; i++) maxDiff = Math.max(maxDiff, Math.abs(v[i] - ref[i]));
  assert.ok(maxDiff < 1e-6, `max |ΔV| = ${maxDiff} mV`);
  // No randomness is used when σ = 0: another stream gives the identical trace.
  assert.deepEqual(simulateLF(THETA, streamRng(99, 7), cfg), v);
  // Classic HH: a first spike shortly after the 10 ms onset, then repetitive firing.
  assert.ok(sr[0] * 0.01 > 10 && sr[0] * 0.01 < 14, `first spike at ${sr[0] * 0.01} ms`);
});

test('resting-voltage spread grows linearly with σ (common random numbers across σ)', () => {
  const sigmas = [0, 0.25, 0.5, 1];
  const med: number[] = [];
  for (const s of sigmas) {
    const cfg = hhConfig({ lf_sigma_uA_sqrt_ms_per_cm2: s });
    const stds: number[] = [];
    for (let i = 0; i < 60; i++) stds.push(summaryStats(simulateLF(THETA, streamRng(3, i), cfg), cfg)[2]);
    med.push(median(stds));
  }
  // σ = 0: the resting state is (almost) a fixed point, V −65 mV is not exact: spread ≪ 0.01 mV.
  assert.ok(med[0] < 0.01, `σ=0 std_rest ${med[0]}`);
  for (let k = 1; k < sigmas.length; k++) assert.ok(med[k] > med[k - 1], `std_rest increases: ${med}`);
  // In the small-noise (linear, OU-like) regime std ∝ σ; with the same ξ sequence for every σ the
  // ratio is 2 up to nonlinearity, so ±10% is a wide margin.
  for (let k = 2; k < sigmas.length; k++) {
    const ratio = med[k] / med[k - 1];
    assert.ok(ratio > 1.8 && ratio < 2.2, `std_rest(${sigmas[k]})/std_rest(${sigmas[k - 1]}) = ${ratio}`);
  }
});

test('LF writes into a given buffer, is deterministic per stream, different streams differ', () => {
  const buf = new Float64Array(nSteps());
  const a = simulateLF(THETA, streamRng(5, 1), undefined, buf);
  assert.equal(a, buf);
  const b = simulateLF(THETA, streamRng(5, 1));
  assert.deepEqual(b, a);
  const c = simulateLF(THETA, streamRng(5, 2));
  assert.notDeepEqual(c, a);
  assert.throws(() => simulateLF(THETA, streamRng(5, 1), undefined, new Float64Array(10)), RangeError);
});
