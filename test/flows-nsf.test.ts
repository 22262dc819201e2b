/**
 * The neural spline flow: MADE masks are fully autoregressive, the flow is invertible, its
 * log-density is consistent with its forward map, and the TensorFlow.js gradient of the loss
 * (custom spline and dense ops included) matches finite differences.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTf } from '../src/backend.js';
import { featureRanks, madeMasks } from '../src/flows/made.js';
import { Nsf, nsfConfig } from '../src/flows/nsf.js';
import { Rng } from '../src/random.js';

test('MADE masks: output of feature d is connected to input i exactly when rank(i) < rank(d)', () => {
  for (const [D, H, L] of [
    [3, 50, 2],
    [3, 50, 5],
    [5, 16, 3],
    [1, 8, 2],
    [2, 7, 1],
  ]) {
    for (const desc of [false, true]) {
      const P = 4;
      const m = madeMasks({ thetaDim: D, hidden: H, layers: L, outPerFeature: P }, desc);
      // Paths input → output through L layers: M_in · M_hid^(L−1) · M_out.
      let reach = Array.from({ length: D }, (_, i) => Array.from({ length: H }, (_, k) => m.input[i * H + k]));
      for (let l = 0; l < L - 1; l++) {
        reach = reach.map((row) => Array.from({ length: H }, (_, b) => row.reduce((s, v, a) => s + v * m.hidden[a * H + b], 0)));
      }
      const rank = featureRanks(D, desc);
      for (let i = 0; i < D; i++) {
        for (let d = 0; d < D; d++) {
          let paths = 0;
          for (let k = 0; k < H; k++) paths += reach[i][k] * m.output[k * D * P + d * P];
          if (rank[i] < rank[d]) assert.ok(paths > 0, `D=${D} L=${L} desc=${desc}: input ${i} should reach output ${d}`);
          else assert.equal(paths, 0, `D=${D} L=${L} desc=${desc}: input ${i} must not reach output ${d}`);
        }
      }
      // Every output block sees at least one hidden unit (the context reaches every feature).
      for (let d = 0; d < D; d++) {
        let any = 0;
        for (let k = 0; k < H; k++) any += m.output[k * D * P + d * P];
        assert.ok(any > 0, `feature ${d} sees no hidden unit`);
      }
    }
  }
});

function randomFlow(tf: Awaited<ReturnType<typeof getTf>>, D: number, C: number, layers: number, transforms = 5, seed = 1, scale = 3) {
  const flow = Nsf.create(tf, nsfConfig({ thetaDim: D, xDim: C, layers, transforms, hidden: 16 }), seed);
  // Larger output weights than the default init, so the splines are far from the identity.
  // (Much larger, e.g. ×8, makes the loss kinky at the finite-difference scale: ReLU and bin edges.)
  const w = flow.getWeights().map((t) => (t.name.startsWith('output') ? { ...t, data: t.data.map((v) => v * scale) } : t));
  flow.setWeights(w);
  return flow;
}

test('NSF: inverse(forward(z)) = z and log q = log N(f(z)) + log|det|', async () => {
  const tf = await getTf();
  const rng = new Rng(3);
  for (const layers of [2, 5]) {
    const D = 3;
    const C = 4;
    const n = 300;
    const flow = randomFlow(tf, D, C, layers);
    const z = Float32Array.from({ length: n * D }, () => 2 * rng.normal());
    const c = Float32Array.from({ length: n * C }, () => rng.normal());
    const { e, logDet } = flow.forward(z, c);
    let moved = 0;
    for (let i = 0; i < z.length; i++) moved = Math.max(moved, Math.abs(e[i] - z[i]));
    assert.ok(moved > 0.1, 'the random flow should not be the identity');
    const back = flow.inverse(e, c);
    for (let i = 0; i < z.length; i++) assert.ok(Math.abs(back[i] - z[i]) < 2e-3, `layers=${layers} entry ${i}: ${z[i]} → ${back[i]}`);
    const lp = tf.tidy(() => flow.logProb(tf.tensor2d(z, [n, D]), tf.tensor2d(c, [n, C])).dataSync());
    for (let i = 0; i < n; i++) {
      let base = -0.5 * D * Math.log(2 * Math.PI);
      for (let j = 0; j < D; j++) base -= 0.5 * e[i * D + j] ** 2;
      assert.ok(Math.abs(lp[i] - (base + logDet[i])) < 1e-3, `row ${i}`);
    }
    flow.dispose();
  }
});

test('NSF: inverseWithLogProb gives the z of inverse() bit for bit and logProb(z) to float32 rounding (< 10⁻³ nats)', async () => {
  const tf = await getTf();
  const rng = new Rng(8);
  const C = 3;
  const n = 2000;
  for (const [D, layers, transforms, scale] of [
    [3, 2, 5, 3],
    [3, 5, 5, 8],
    [1, 2, 2, 3],
    [4, 1, 3, 3],
  ]) {
    const flow = randomFlow(tf, D, C, layers, transforms, 10 + D, scale);
    const e = Float32Array.from({ length: n * D }, () => rng.normal());
    // One context row for all draws (how posteriors sample), and one context per draw.
    for (const cRows of [1, n]) {
      const c = Float32Array.from({ length: cRows * C }, () => rng.normal());
      const { z, logProb } = flow.inverseWithLogProb(e, c);
      assert.deepEqual(z, flow.inverse(e, c), `D=${D} L=${layers} T=${transforms}: the same z`);
      const cAll = cRows === n ? c : Float32Array.from({ length: n * C }, (_, i) => c[i % C]);
      const lp = tf.tidy(() => flow.logProb(tf.tensor2d(z, [n, D]), tf.tensor2d(cAll, [n, C])).dataSync());
      let worst = 0;
      for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(lp[i] - logProb[i]));
      // Both sides are float32 computations of the same quantity (|log q| ≲ 20 here, so one rounding
      // is ~10⁻⁶); steep spline bins (slopes down to 10⁻³) amplify the inverse's rounding.
      assert.ok(worst < 1e-3, `D=${D} L=${layers} T=${transforms} scale=${scale} contexts=${cRows}: max |Δ log q| = ${worst}`);
    }
    flow.dispose();
  }
});

test('NSF: one transform is autoregressive in its feature order (ascending, then descending)', async () => {
  const tf = await getTf();
  const rng = new Rng(4);
  const D = 4;
  const C = 2;
  for (const transforms of [1, 2]) {
    const flow = randomFlow(tf, D, C, 2, transforms, 5);
    const z = Float32Array.from({ length: D }, () => rng.normal());
    const c = Float32Array.from({ length: C }, () => rng.normal());
    const e0 = flow.forward(z, c).e;
    for (let j = 0; j < D; j++) {
      const zp = Float32Array.from(z);
      zp[j] += 0.5;
      const e1 = flow.forward(zp, c).e;
      for (let i = 0; i < D; i++) {
        const changed = Math.abs(e1[i] - e0[i]) > 1e-6;
        // Transform 1 (ascending): e_i depends on z_≤i. With a second, descending transform on top,
        // every output depends on every input.
        if (transforms === 1) assert.equal(changed, i >= j, `T=1: e_${i} vs z_${j}`);
        else assert.ok(changed, `T=2: e_${i} should depend on z_${j}`);
      }
    }
    flow.dispose();
  }
});

test('NSF: loss gradient (custom spline and dense ops) matches finite differences', async () => {
  const tf = await getTf();
  const rng = new Rng(6);
  const D = 3;
  const C = 2;
  const n = 64;
  const flow = randomFlow(tf, D, C, 2, 3, 7, 2);
  const z = tf.tensor2d(
    Float32Array.from({ length: n * D }, () => 1.5 * rng.normal()),
    [n, D],
  );
  const c = tf.tensor2d(
    Float32Array.from({ length: n * C }, () => rng.normal()),
    [n, C],
  );
  const { value, grads } = tf.variableGrads(() => flow.loss(z, c), flow.variables);
  value.dispose();
  const gArr = flow.variables.map((v) => grads[v.name].dataSync() as Float32Array);
  const base = flow.getWeights();
  const lossAt = (vi: number, k: number, delta: number) => {
    const w = base.map((t) => ({ ...t, data: Float32Array.from(t.data) }));
    w[vi].data[k] += delta;
    flow.setWeights(w);
    const l = tf.tidy(() => flow.loss(z, c).dataSync()[0]);
    return l;
  };
  let checked = 0;
  for (let vi = 0; vi < gArr.length; vi++) {
    // The 3 largest-gradient entries of each weight tensor (masked entries have zero gradient).
    const idx = Array.from(gArr[vi].keys())
      .sort((a, b) => Math.abs(gArr[vi][b]) - Math.abs(gArr[vi][a]))
      .slice(0, 3);
    for (const k of idx) {
      const h = 1e-3;
      const fd = (lossAt(vi, k, h) - lossAt(vi, k, -h)) / (2 * h);
      const g = gArr[vi][k];
      assert.ok(Math.abs(fd - g) <= 0.03 * Math.abs(g) + 3e-3, `${base[vi].name}[${k}]: autodiff ${g}, finite difference ${fd}`);
      checked++;
    }
  }
  assert.ok(checked >= 15);
  // Masked entries have exactly zero gradient.
  const inW = gArr[2];
  assert.ok(inW.some((v) => v === 0) && inW.some((v) => v !== 0));
  flow.setWeights(base);
  tf.dispose([z, c, ...Object.values(grads)]);
  flow.dispose();
});

test('a flow of one transform (and one hidden layer) trains: gradients through single-part splits', async () => {
  const { NPE } = await import('../src/inference/npe.js');
  const n = 200;
  const theta = Float64Array.from({ length: n * 2 }, (_, i) => ((i * 0.6180339887) % 1) - 0.5);
  const x = Float64Array.from(theta, (v, i) => v + 0.05 * Math.sin(i));
  for (const layers of [1, 2]) {
    const npe = new NPE({ thetaDim: 2, xDim: 2 }, { flow: { transforms: 1, layers, hidden: 8 } }).appendSimulations(theta, x);
    const post = await npe.train({ maxEpochs: 2, quiet: true });
    assert.equal(npe.result!.epochs, 2);
    assert.ok((await post.sample(5, Float64Array.of(0.1, -0.1), 1)).every(Number.isFinite));
    post.dispose();
  }
});
