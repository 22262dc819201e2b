/**
 * Order statistics (src/numeric.ts): median and type-7 quantiles on plain and typed arrays.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, quantile, quantileSorted } from '../src/numeric.js';

test('median: odd and even counts, any order, typed arrays, empty → NaN; input untouched', () => {
  const a = [3, 1, 2];
  assert.equal(median(a), 2);
  assert.deepEqual(a, [3, 1, 2]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median(Float64Array.from([10, -1])), 4.5);
  assert.equal(median([7]), 7);
  assert.ok(Number.isNaN(median([])));
});

test('quantile: linear interpolation at q·(n − 1) (NumPy default)', () => {
  const xs = [0, 10, 20, 30, 40];
  assert.equal(quantile(xs, 0), 0);
  assert.equal(quantile(xs, 1), 40);
  assert.equal(quantile(xs, 0.5), 20);
  assert.equal(quantile([40, 0, 30, 10, 20], 0.3), 12);
  assert.equal(quantileSorted([1, 2], 0.25), 1.25);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});
