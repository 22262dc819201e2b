/**
 * Summary statistics (hh-model.md, "Summary statistics") on hand-made traces, with exact values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HH_CONFIG, hhConfig, nSteps } from '../src/simulators/config.js';
import { firstNonFinite, SUMMARY_NAMES, summaryStats } from '../src/simulators/summary.js';

test('summary names', () => {
  assert.deepEqual([...SUMMARY_NAMES], ['n_spikes', 'mean_rest', 'std_rest', 'mean_stim']);
  assert.equal(nSteps(), 5001);
  assert.equal(nSteps(hhConfig({ t_end_ms: 20 })), 2001);
});

test('constant trace: no spikes, zero spread', () => {
  const v = new Float64Array(5001).fill(-65);
  assert.deepEqual(Array.from(summaryStats(v)), [0, -65, 0, -65]);
});

test('windows: rest is t < 10 ms (samples 0..999), stimulus is 10 ≤ t < 30 ms (samples 1000..2999)', () => {
  const v = new Float64Array(5001);
  for (let i = 0; i < 5001; i++) v[i] = i < 1000 ? -70 : i < 3000 ? -50 : 1000; // last part ignored by means
  const x = summaryStats(v);
  assert.equal(x[1], -70);
  assert.equal(x[2], 0);
  assert.equal(x[3], -50);
  // Only the upward crossing of 0 at sample 3000 counts as a spike.
  assert.equal(x[0], 1);
});

test('spike count: V[i−1] < 0 ≤ V[i], touching 0 from below counts, staying at 0 does not', () => {
  const v = new Float64Array(5001).fill(-60);
  // spike 1: crosses to exactly 0
  v[100] = 0;
  // staying at or above 0 counts once
  v[200] = 10;
  v[201] = 0;
  v[202] = 20;
  // from exactly 0 going up does not count (V[i−1] = 0 is not < 0): v[201]=0 → v[202]=20 above
  // spike 3: in the stimulus window
  v[1500] = 30;
  // a sample just below 0 is not a spike
  v[2500] = -1e-12;
  const x = summaryStats(v);
  assert.equal(x[0], 3);
});

test('std_rest is the population (ddof 0) standard deviation; alternating ±a around m gives exactly a', () => {
  const v = new Float64Array(5001).fill(-40);
  for (let i = 0; i < 1000; i++) v[i] = -65 + (i % 2 === 0 ? 2 : -2);
  const x = summaryStats(v);
  assert.equal(x[1], -65);
  assert.equal(x[2], 2);
  assert.equal(x[3], -40);
});

test('a linear ramp gives the closed-form mean and std', () => {
  const v = new Float64Array(5001);
  for (let i = 0; i < 5001; i++) v[i] = i; // ramp: mean over 0..999 = 499.5, var = (1000² − 1)/12
  const x = summaryStats(v);
  assert.equal(x[0], 0);
  assert.equal(x[1], 499.5);
  assert.ok(Math.abs(x[2] - Math.sqrt((1000 * 1000 - 1) / 12)) < 1e-9);
  assert.equal(x[3], (1000 + 2999) / 2);
});

test('other windows follow the config; output buffer is filled in place', () => {
  const cfg = hhConfig({ stim_onset_ms: 5, stim_offset_ms: 6 });
  const v = new Float64Array(5001);
  for (let i = 0; i < 5001; i++) v[i] = i < 500 ? 1 : i < 600 ? 3 : 7;
  const out = new Float64Array(4);
  const x = summaryStats(v, cfg, out);
  assert.equal(x, out);
  assert.deepEqual(Array.from(x), [0, 1, 0, 3]);
  assert.equal(DEFAULT_HH_CONFIG.stim_onset_ms, 10);
});

test('firstNonFinite finds NaN and ±Infinity', () => {
  const v = new Float64Array(10);
  assert.equal(firstNonFinite(v), -1);
  v[7] = Infinity;
  assert.equal(firstNonFinite(v), 7);
  v[3] = NaN;
  assert.equal(firstNonFinite(v), 3);
  v[1] = -Infinity;
  assert.equal(firstNonFinite(v), 1);
});
