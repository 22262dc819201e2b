/**
 * The rational-quadratic spline kernels: gradients against central finite differences (float64),
 * the closed-form inverse, the log-derivative, monotonicity and the identity tails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splineBackward, splineForward, splineInverse, splineInverseColumn, splineParamCount, DEFAULT_SPLINE } from '../src/flows/spline.js';
import { Rng } from '../src/random.js';

const sh = DEFAULT_SPLINE;
const K = sh.bins;
const P = splineParamCount(K);

function randomCase(n: number, seed: number, scale = 2): { x: Float64Array; u: Float64Array } {
  const rng = new Rng(seed);
  const x = new Float64Array(n);
  const u = new Float64Array(n * P);
  for (let i = 0; i < n; i++) x[i] = -6 + 12 * rng.uniform(); // some rows outside [−5, 5]
  for (let i = 0; i < u.length; i++) u[i] = scale * rng.normal();
  return { x, u };
}

function fwd(x: Float64Array, u: Float64Array) {
  const y = new Float64Array(x.length);
  const ld = new Float64Array(x.length);
  splineForward(x, u, sh, y, ld);
  return { y, ld };
}

test('spline: 3K − 1 parameters per feature', () => {
  assert.equal(P, 23);
});

for (const logitScale of [1, 0.3])
  test(`spline: gradients of Σ a·y + b·log f′ match central finite differences (logit scale ${logitScale})`, () => {
    const sh = { ...DEFAULT_SPLINE, logitScale };
    const fwd = (x: Float64Array, u: Float64Array) => {
      const y = new Float64Array(x.length);
      const ld = new Float64Array(x.length);
      splineForward(x, u, sh, y, ld);
      return { y, ld };
    };
    const n = 40;
    const { x, u } = randomCase(n, 1);
    const rng = new Rng(2);
    const a = Float64Array.from({ length: n }, () => rng.normal());
    const b = Float64Array.from({ length: n }, () => rng.normal());
    const objective = (xx: Float64Array, uu: Float64Array) => {
      const { y, ld } = fwd(xx, uu);
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i] * y[i] + b[i] * ld[i];
      return s;
    };
    const gx = new Float64Array(n);
    const gu = new Float64Array(n * P);
    splineBackward(x, u, a, b, sh, gx, gu);
    const h = 1e-6;
    let worst = 0;
    for (let i = 0; i < n; i++) {
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] += h;
      xm[i] -= h;
      const fd = (objective(xp, u) - objective(xm, u)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - gx[i]) / (1 + Math.abs(fd)));
    }
    for (let k = 0; k < u.length; k++) {
      const up = Float64Array.from(u);
      const um = Float64Array.from(u);
      up[k] += h;
      um[k] -= h;
      const fd = (objective(x, up) - objective(x, um)) / (2 * h);
      worst = Math.max(worst, Math.abs(fd - gu[k]) / (1 + Math.abs(fd)));
    }
    assert.ok(worst < 1e-5, `worst relative gradient error ${worst}`);
  });

test('spline: inverse(forward(x)) = x, log f′ matches the numerical derivative, monotone', () => {
  const n = 500;
  const { x, u } = randomCase(n, 3, 3);
  const { y, ld } = fwd(x, u);
  const back = new Float64Array(n);
  const ldInv = new Float64Array(n);
  splineInverse(y, u, sh, back, ldInv);
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(back[i] - x[i]) < 1e-9, `row ${i}: x ${x[i]} → ${y[i]} → ${back[i]}`);
    assert.ok(Math.abs(ldInv[i] - ld[i]) < 1e-7, `row ${i}: log-derivative ${ld[i]} vs ${ldInv[i]} at the inverse`);
    const h = 1e-6;
    const yp = fwd(Float64Array.of(x[i] + h), u.subarray(i * P, (i + 1) * P)).y[0];
    const ym = fwd(Float64Array.of(x[i] - h), u.subarray(i * P, (i + 1) * P)).y[0];
    if (Math.abs(x[i]) < 5 - 2 * h) assert.ok(Math.abs(Math.log((yp - ym) / (2 * h)) - ld[i]) < 1e-4, `row ${i}: log f′`);
  }
  // Monotone along a grid for one parameter row; identity outside [−5, 5]; continuous at ±5.
  const row = u.subarray(0, P);
  const grid = Float64Array.from({ length: 2001 }, (_, i) => -6 + (12 * i) / 2000);
  const ys = new Float64Array(grid.length);
  const lds = new Float64Array(grid.length);
  const rows = new Float64Array(grid.length * P);
  for (let i = 0; i < grid.length; i++) rows.set(row, i * P);
  splineForward(grid, rows, sh, ys, lds);
  for (let i = 1; i < grid.length; i++) assert.ok(ys[i] > ys[i - 1], `not increasing at ${grid[i]}`);
  for (let i = 0; i < grid.length; i++) if (Math.abs(grid[i]) > 5) assert.equal(ys[i], grid[i]);
  const edge = fwd(Float64Array.of(-5, 5 - 1e-12), Float64Array.from([...row, ...row])).y;
  assert.ok(Math.abs(edge[0] + 5) < 1e-9 && Math.abs(edge[1] - 5) < 1e-9, `edges map to ±5: ${edge}`);
});

test('spline: the one-column inverse equals the full inverse on that column (own or shared parameters), leaves the rest', () => {
  const D = 3;
  const rows = 400;
  const { x: y, u } = randomCase(rows * D, 8, 3);
  const x = new Float64Array(rows * D);
  const ld = new Float64Array(rows * D);
  splineInverse(y, u, sh, x, ld);
  for (const d of [0, 2]) {
    // Own parameters: the column's rows of u, compacted to [rows, P].
    const uc = new Float64Array(rows * P);
    for (let r = 0; r < rows; r++) uc.set(u.subarray((r * D + d) * P, (r * D + d + 1) * P), r * P);
    const xc = new Float64Array(rows * D).fill(7);
    const lc = new Float64Array(rows * D).fill(7);
    splineInverseColumn(y, uc, sh, xc, lc, d, D);
    for (let i = 0; i < rows * D; i++) {
      if (i % D === d) assert.ok(xc[i] === x[i] && lc[i] === ld[i], `entry ${i}`);
      else assert.ok(xc[i] === 7 && lc[i] === 7, `entry ${i} of another column was written`);
    }
    // Shared parameters: one row for every entry of the column.
    const one = u.subarray(d * P, (d + 1) * P);
    const tiled = new Float64Array(rows * D * P);
    for (let i = 0; i < rows * D; i++) tiled.set(one, i * P);
    const xt = new Float64Array(rows * D);
    const lt = new Float64Array(rows * D);
    splineInverse(y, tiled, sh, xt, lt);
    splineInverseColumn(y, one, sh, xc, lc, d, D, true);
    for (let r = 0; r < rows; r++) assert.ok(xc[r * D + d] === xt[r * D + d] && lc[r * D + d] === lt[r * D + d], `shared, row ${r}`);
  }
});

test('spline: slopes stay within [min slope, 1/min slope] for extreme parameters', () => {
  const n = 200;
  const { x, u } = randomCase(n, 4, 50);
  const { ld } = fwd(x, u);
  // Knot slopes lie in (s, 1/s); inside a bin the RQ slope can exceed the knot range only mildly.
  for (let i = 0; i < n; i++) assert.ok(Number.isFinite(ld[i]) && Math.abs(ld[i]) < 3 * Math.abs(Math.log(sh.minSlope)), `log f′ = ${ld[i]}`);
});
