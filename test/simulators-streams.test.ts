/**
 * The HF event loop steps the random generator on local copies of its state (hf.ts header): it must
 * draw exactly what Rng.int32() calls would, and leave the stream exactly where they would. The Rng
 * state accessors it relies on (getState/setState) round-trip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { streamRng } from '../src/random.js';
import { channelCounts } from '../src/simulators/config.js';
import { simulateHF } from '../src/simulators/hf.js';

test('Rng.getState/setState round-trip: a stream continues identically from a saved state', () => {
  const a = streamRng(8, 3);
  for (let i = 0; i < 17; i++) a.int32();
  const saved = a.getState(new Int32Array(4));
  const next = [a.int32(), a.uniform(), a.int32()];
  const b = streamRng(99, 0);
  b.setState(saved);
  assert.deepEqual([b.int32(), b.uniform(), b.int32()], next);
});

test('simulateHF leaves the stream where the same number of int32() calls would', () => {
  for (const [k, theta] of [
    [120, 36, 0.3],
    [55, 22, 0.12],
  ].entries()) {
    const a = streamRng(3, k);
    const { events } = simulateHF(theta, a);
    const target = a.getState(new Int32Array(4));
    // The initial multinomial draws 2 per channel (53-bit uniforms), then ≤ 2 per event plus one
    // discarded waiting time per step: search that far.
    const { nNa, nK } = channelCounts(theta[0], theta[1]);
    const bound = 2 * (nNa + nK) + 2 * events + 2 * 5000;
    const b = streamRng(3, k);
    const s = new Int32Array(4);
    let found = -1;
    for (let d = 0; d <= bound; d++) {
      b.getState(s);
      if (s[0] === target[0] && s[1] === target[1] && s[2] === target[2] && s[3] === target[3]) {
        found = d;
        break;
      }
      b.int32();
    }
    assert.ok(found > 2 * (nNa + nK) + events, `θ=(${theta}): the stream after simulateHF is ${found} int32() draws on (${events} events)`);
  }
});
