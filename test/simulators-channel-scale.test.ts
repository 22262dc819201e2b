/**
 * The channel-count scale (HHConfig.channel_scale, the membrane-area factor): scale 1 keeps the counts
 * of hh-model.md exactly, other scales multiply both counts, and the setting is validated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channelCounts, checkConfig, DEFAULT_HH_CONFIG, hhConfig } from '../src/simulators/config.js';
import { checkTheta } from '../src/simulators/validate.js';

test('channel_scale 1 keeps N_Na = floor(6000 ḡ_Na/120), N_K = floor(1800 ḡ_K/36) exactly', () => {
  assert.equal(DEFAULT_HH_CONFIG.channel_scale, 1);
  for (const [gNa, gK] of [
    [120, 36],
    [50, 20],
    [137.3, 71.9],
    [0.02, 0.02],
    [199.99, 99.99],
  ]) {
    assert.deepEqual(channelCounts(gNa, gK), { nNa: Math.floor((6000 * gNa) / 120), nK: Math.floor((1800 * gK) / 36) });
  }
});

test('channel_scale multiplies both counts; the HF minimum conductance follows it', () => {
  assert.deepEqual(channelCounts(120, 36, hhConfig({ channel_scale: 10 })), { nNa: 60000, nK: 18000 });
  assert.deepEqual(channelCounts(120, 36, hhConfig({ channel_scale: 0.5 })), { nNa: 3000, nK: 900 });
  // 0.02 mS/cm² is one Na channel at scale 1 but none at scale 0.5.
  checkTheta([0.02, 0.02, 0.3], 'hf');
  assert.throws(() => checkTheta([0.02, 36, 0.3], 'hf', hhConfig({ channel_scale: 0.5 })), /gives 0 Na channels.*g_na ≥ 0.04/);
});

test('checkConfig rejects a non-positive or non-finite channel_scale', () => {
  checkConfig(hhConfig({ channel_scale: 10 }));
  assert.throws(() => checkConfig(hhConfig({ channel_scale: 0 })), /channel_scale = 0 must be > 0/);
  assert.throws(() => checkConfig(hhConfig({ channel_scale: Number.NaN })), /channel_scale = NaN/);
});
