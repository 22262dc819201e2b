/**
 * Statistics helpers (src/metrics/stats.ts) against textbook values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ksTest, ksUniformRanks, meanConfidenceInterval, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '../src/metrics/stats.js';
import { Rng } from '../src/random.js';

const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('normal CDF and quantile', () => {
  close(normalCdf(0), 0.5, 1e-7, 'Φ(0)');
  close(normalCdf(1.959963985), 0.975, 1e-7, 'Φ(1.96)');
  close(normalCdf(0.5), 0.6914624613, 1e-7, 'Φ(0.5)');
  close(normalQuantile(0.975), 1.959963985, 1e-8, 'Φ⁻¹(0.975)');
  close(normalQuantile(0.001), -3.090232306, 1e-8, 'Φ⁻¹(0.001)');
});

test('Student t CDF and quantile', () => {
  close(studentTQuantile(0.975, 10), 2.228138852, 1e-8, 't(0.975; 10)');
  close(studentTQuantile(0.975, 99), 1.984216952, 1e-8, 't(0.975; 99)');
  close(studentTQuantile(0.025, 3), -3.182446305, 1e-8, 't(0.025; 3)');
  close(studentTCdf(1, 1), 0.75, 1e-10, 'Cauchy CDF at 1');
});

test('mean confidence interval covers ~95 % of the time', () => {
  const r = new Rng(3);
  let cover = 0;
  const reps = 2000;
  for (let k = 0; k < reps; k++) {
    const ci = meanConfidenceInterval(r.normals(10));
    if (ci.lower <= 0 && 0 <= ci.upper) cover++;
  }
  // Binomial sd of the coverage ≈ 0.005.
  close(cover / reps, 0.95, 0.02, 'coverage');
});

test('KS tests: uniform data pass, shifted data fail', () => {
  const r = new Rng(4);
  const u = Array.from({ length: 1000 }, () => r.uniform());
  assert.ok(ksTest(u, (x) => Math.min(1, Math.max(0, x))).pValue > 0.01);
  assert.ok(
    ksTest(
      u.map((v) => v * 0.9),
      (x) => Math.min(1, Math.max(0, x)),
    ).pValue < 1e-4,
  );
  const ranks = Array.from({ length: 1000 }, () => r.int(101));
  assert.ok(ksUniformRanks(ranks, 100).pValue > 0.01);
  const piled = ranks.map((k) => (k < 50 ? 0 : k));
  assert.ok(ksUniformRanks(piled, 100).pValue < 1e-6);
});
