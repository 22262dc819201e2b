/**
 * allRates (src/simulators/rates.ts) is the hand-inlined form of the six rate functions, for the
 * simulators' hot loops: it must equal them bit for bit everywhere, including the removable
 * singularities, the overflow clamps and NaN.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alphaH, alphaM, alphaN, allRates, betaH, betaM, betaN } from '../src/simulators/rates.js';

test('allRates equals the six rate functions bit for bit', () => {
  const out = new Float64Array(6);
  const fns = [alphaM, betaM, alphaH, betaH, alphaN, betaN];
  const us = [0, -0, 25, 10, 30, -1e4, 1e4, -1e308, 1e308, Number.NaN, 25 + 1e-9, 25 - 1e-9, 10 + 1e-7, 10 - 1e-7, 25 + 1e-7, 10 - 1e-9];
  for (let k = 0; k <= 4000; k++) us.push(-200 + k * 0.1 + 1e-3 * Math.sin(k));
  for (const u of us) {
    allRates(u, out);
    for (let j = 0; j < 6; j++) assert.ok(Object.is(out[j], fns[j](u)), `rate ${j} at u = ${u}: ${out[j]} vs ${fns[j](u)}`);
  }
});
