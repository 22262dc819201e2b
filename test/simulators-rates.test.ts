/**
 * Rate functions of hh-model.md: removable singularities, extreme voltages, steady states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alphaH, alphaM, alphaN, allRates, betaH, betaM, betaN, expRatio, hInf, mInf, nInf } from '../src/simulators/rates.js';

const RATES = { alphaM, betaM, alphaH, betaH, alphaN, betaN };

test('alpha_m and alpha_n take their limits 1 and 0.1 at the removable singularities', () => {
  assert.equal(alphaM(25), 1);
  assert.equal(alphaN(10), 0.1);
  // The exact series of x/(e^{x/10} − 1) is 10(1 − z/2 + z²/12 − …), z = x/10.
  for (const eps of [1e-12, 1e-9, 1e-7, 1e-5, 1e-3]) {
    for (const s of [-1, 1]) {
      const x = s * eps; // x = 25 − u for α_m, 10 − u for α_n
      const z = x / 10;
      const series = 10 * (1 - z / 2 + (z * z) / 12);
      assert.ok(Math.abs(alphaM(25 - x) - 0.1 * series) <= 1e-12, `alpha_m near 25 (x=${x}): ${alphaM(25 - x)}`);
      assert.ok(Math.abs(alphaN(10 - x) - 0.01 * series) <= 1e-13, `alpha_n near 10 (x=${x}): ${alphaN(10 - x)}`);
    }
  }
});

test('alpha_m and alpha_n are continuous and monotone through the singularity', () => {
  let prevM = alphaM(24.9);
  let prevN = alphaN(9.9);
  for (let k = 1; k <= 2000; k++) {
    const d = -0.1 + (0.2 * k) / 2000;
    const m = alphaM(25 + d);
    const n = alphaN(10 + d);
    // α_m, α_n increase with u; steps of 1e-4 mV change them by < 1e-4 relative.
    assert.ok(m >= prevM && m - prevM < 1e-4, `alpha_m jump at u=${25 + d}`);
    assert.ok(n >= prevN && n - prevN < 1e-5, `alpha_n jump at u=${10 + d}`);
    prevM = m;
    prevN = n;
  }
  // Away from the singularity the direct formula holds.
  assert.ok(Math.abs(alphaM(0) - (0.1 * 25) / (Math.exp(2.5) - 1)) < 1e-15);
  assert.ok(Math.abs(alphaN(0) - (0.01 * 10) / (Math.exp(1) - 1)) < 1e-15);
  assert.ok(Math.abs(expRatio(-3, 10) - -3 / (Math.exp(-0.3) - 1)) < 1e-14);
});

test('all rates are finite and non-negative at extreme voltages', () => {
  const out = new Float64Array(6);
  for (const u of [-1e4, -5e3, -1000, -100, 0, 100, 1000, 5e3, 1e4, -1e6, 1e6, -1e300, 1e300]) {
    for (const [name, f] of Object.entries(RATES)) {
      const r = f(u);
      assert.ok(Number.isFinite(r) && r >= 0, `${name}(${u}) = ${r}`);
    }
    allRates(u, out);
    for (let k = 0; k < 6; k++) assert.ok(Number.isFinite(out[k]) && out[k] >= 0);
    for (const f of [mInf, hInf, nInf]) assert.ok(Number.isFinite(f(u)) && f(u) >= 0 && f(u) <= 1);
  }
  // Saturation, not overflow: α_m grows linearly, β_m is clamped, not Infinity.
  assert.ok(Math.abs(alphaM(1e4) - 0.1 * (1e4 - 25)) < 1e-6);
  assert.ok(alphaM(-1e4) === 0 || alphaM(-1e4) < 1e-300);
});

test('steady states lie in (0, 1) over the physiological range and match the textbook values at rest', () => {
  for (let u = -50; u <= 150; u += 0.5) {
    for (const f of [mInf, hInf, nInf]) {
      const x = f(u);
      assert.ok(x > 0 && x < 1, `${f.name}(${u}) = ${x}`);
    }
  }
  // Classic HH resting values (m ≈ 0.053, h ≈ 0.596, n ≈ 0.318).
  assert.ok(Math.abs(mInf(0) - 0.0529) < 5e-4);
  assert.ok(Math.abs(hInf(0) - 0.5961) < 5e-4);
  assert.ok(Math.abs(nInf(0) - 0.3177) < 5e-4);
});

test('allRates fills the six rates in order', () => {
  const out = allRates(7.5, new Float64Array(6));
  assert.deepEqual(Array.from(out), [alphaM(7.5), betaM(7.5), alphaH(7.5), betaH(7.5), alphaN(7.5), betaN(7.5)]);
});
