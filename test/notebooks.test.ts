/**
 * The notebook workflow's pieces that run without Jupyter: the configuration cell's env
 * overrides, the figure helpers, the kernel registration and the notebooks' own structure.
 * (`npm run notebooks` executes the notebooks themselves.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envName, notebookConfig, quickMode } from '../src/notebooks/config.js';
import { lfHfMismatch } from '../src/notebooks/mismatch.js';
import { formatTable } from '../src/notebooks/format-table.js';
import { histogram, quantile } from '../src/plots/histogram.js';
import { decimateExtremes } from '../src/plots/trace-overlay.js';
import { show, figuresDir } from '../src/plots/display.js';
import { priorMarginalsSpec } from '../src/plots/prior-marginals.js';
import { sbcRanksSpec } from '../src/plots/sbc-ranks.js';
import { metricVsBudgetPoints } from '../src/notebooks/budget-points.js';
import { LossLog } from '../src/plots/loss-curve.js';
import { liveFigure } from '../src/plots/display.js';
import type { SummaryRow } from '../src/experiment/report.js';

test('envName maps camelCase keys to MFNPE_UPPER_SNAKE', () => {
  assert.equal(envName('nHfTrain'), 'MFNPE_N_HF_TRAIN');
  assert.equal(envName('seed'), 'MFNPE_SEED');
  assert.equal(envName('budgets'), 'MFNPE_BUDGETS');
});

test('notebookConfig: defaults, quick values, then environment overrides, typed', () => {
  const full = { seed: 1, n: 1000, budgets: [50, 100], fidelity: 'lf', live: true };
  const quick = { n: 10 };
  assert.deepEqual({ ...notebookConfig(full, quick, { env: {}, print: false }) }, { ...full, quick: false });
  assert.equal(notebookConfig(full, quick, { env: { MFNPE_QUICK: '1' }, print: false }).n, 10);
  assert.equal(quickMode({ MFNPE_QUICK: '0' }), false);
  const c = notebookConfig(full, quick, {
    env: { MFNPE_QUICK: '1', MFNPE_N: '7', MFNPE_BUDGETS: '5, 6,7', MFNPE_FIDELITY: 'hf', MFNPE_LIVE: 'false' },
    print: false,
  });
  assert.deepEqual({ ...c }, { seed: 1, n: 7, budgets: [5, 6, 7], fidelity: 'hf', live: false, quick: true });
});

test('notebookConfig: string lists are overridden with entries separated by ; or spaces (ladders hold commas)', () => {
  const full = { lowFidelities: ['lf', 'mf'], budgets: [1, 2] };
  const c = notebookConfig(full, { lowFidelities: ['lf'] }, { env: { MFNPE_QUICK: '1' }, print: false });
  assert.deepEqual(c.lowFidelities, ['lf']);
  const env = { MFNPE_LOW_FIDELITIES: 'lf; mf:1000 lf,mf:1000' };
  assert.deepEqual(notebookConfig(full, {}, { env, print: false }).lowFidelities, ['lf', 'mf:1000', 'lf,mf:1000']);
  assert.throws(() => notebookConfig(full, {}, { env: { MFNPE_LOW_FIDELITIES: ' ; ' }, print: false }), /MFNPE_LOW_FIDELITIES=" ; " is an empty list/);
});

test('notebookConfig rejects bad override values, naming the variable', () => {
  assert.throws(() => notebookConfig({ n: 1 }, {}, { env: { MFNPE_N: 'ten' }, print: false }), /MFNPE_N="ten" is not a number/);
  assert.throws(() => notebookConfig({ b: [1] }, {}, { env: { MFNPE_B: '1,,2' }, print: false }), /MFNPE_B/);
  assert.throws(() => notebookConfig({ f: true }, {}, { env: { MFNPE_F: 'maybe' }, print: false }), /MFNPE_F="maybe" is not a boolean/);
  assert.throws(() => notebookConfig({ n: 1 }, { m: 2 } as never, { env: {}, print: false }), /quick key m/);
});

test('histogram densities integrate to the fraction inside the range', () => {
  const v = Float64Array.from({ length: 1000 }, (_, i) => (i % 10) + 0.5); // 0.5 … 9.5, 100 each
  const h = histogram(v, 0, 8, 8);
  const mass = h.bins.reduce((s, b) => s + b.density * (b.hi - b.lo), 0);
  assert.ok(Math.abs(mass - 0.8) < 1e-12, `mass ${mass}`);
  assert.equal(h.outside, 200);
  assert.deepEqual(
    h.bins.map((b) => b.count),
    Array(8).fill(100),
  );
  assert.equal(histogram([NaN, 1, Infinity], 0, 2, 2).nonFinite, 2);
  assert.equal(quantile([3, 1, 2, NaN], 0.5), 2);
  assert.throws(() => histogram([1], 1, 1, 3), /bad range/);
});

test('lfHfMismatch: mean difference, its sd and the correlation of paired rows', () => {
  // d = 1: hf = lf − 2 exactly → meanDiff 2, sdDiff 0, corr 1.
  const lf = Float64Array.of(1, 2, 3, 4, 5);
  const hf = lf.map((v) => v - 2);
  const [r] = lfHfMismatch(lf, hf, ['s']);
  assert.equal(r.meanDiff, 2);
  assert.equal(r.sdDiff, 0);
  assert.ok(Math.abs(r.corr - 1) < 1e-12);
  const [q] = lfHfMismatch(
    lf,
    lf.map((v) => -v),
    ['s'],
  );
  assert.ok(Math.abs(q.corr + 1) < 1e-12);
  assert.throws(() => lfHfMismatch(lf, hf.subarray(1), ['s']), /lfHfMismatch/);
});

test('formatTable aligns columns', () => {
  const t = formatTable(
    [
      { a: 'x', b: 1.234 },
      { a: 'long', b: 10 },
    ],
    1,
  );
  assert.equal(t, 'a       b\n----  ---\nx     1.2\nlong   10');
});

test('decimateExtremes keeps spike peaks and both ends', () => {
  const v = new Float64Array(1001).fill(-65);
  v[517] = 40;
  const keep = decimateExtremes(v, 4);
  assert.ok(keep.includes(517));
  assert.equal(keep[0], 0);
  assert.equal(keep[keep.length - 1], 1000);
  assert.ok(keep.length <= 1001 / 4 + 2);
});

test('sbcRanksSpec bins split the L + 1 ranks evenly', () => {
  const spec = sbcRanksSpec(
    Float64Array.from({ length: 300 }, (_, i) => i % 100),
    ['a', 'b', 'c'],
    99,
    { bins: 20 },
  ) as {
    hconcat: { layer: { data: { values: { lo: number; hi: number; count: number }[] } }[] }[];
  };
  const bins = spec.hconcat[0].layer[1].data.values;
  assert.equal(bins.length, 20);
  assert.ok(bins.every((b) => b.hi - b.lo === 5 && b.count === 5));
});

test('show() outside a kernel writes NAME.svg and NAME.png to MFNPE_FIGURES_DIR', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-fig-'));
  const old = process.env.MFNPE_FIGURES_DIR;
  process.env.MFNPE_FIGURES_DIR = dir;
  try {
    assert.equal(figuresDir(), dir);
    const samples = Float64Array.from({ length: 300 }, (_, i) => [60, 30, 0.2][i % 3] + (i % 7));
    await show(priorMarginalsSpec(samples, ['a', 'b', 'c'], [50, 20, 0.1], [200, 100, 1]), 'test-figure');
    const svg = readFileSync(join(dir, 'test-figure.svg'), 'utf8');
    assert.match(svg, /^<svg/);
    const png = readFileSync(join(dir, 'test-figure.png'));
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    await assert.rejects(show({}, '../escape'), /figure name/);
  } finally {
    if (old === undefined) delete process.env.MFNPE_FIGURES_DIR;
    else process.env.MFNPE_FIGURES_DIR = old;
  }
});

test('setup:notebooks registers the mfnpe-tslab kernel idempotently', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-jupyter-'));
  const env = { ...process.env, JUPYTER_DATA_DIR: dir };
  for (let i = 0; i < 2; i++) execFileSync(process.execPath, ['scripts/setup-notebooks.mjs'], { env, stdio: 'pipe' });
  const spec = JSON.parse(readFileSync(join(dir, 'kernels', 'mfnpe-tslab', 'kernel.json'), 'utf8'));
  assert.equal(spec.language, 'typescript');
  assert.equal(spec.argv[0], process.execPath);
  assert.ok(existsSync(spec.argv[1]) && /tslab/.test(spec.argv[1]));
  assert.deepEqual(spec.argv.slice(2), ['kernel', '--config-path', '{connection_file}']);
  assert.deepEqual(readdirSync(join(dir, 'kernels', 'mfnpe-tslab')), ['kernel.json']);
});

test('notebooks: nbformat 4, the mfnpe-tslab kernel, a configuration cell first, library imports only', () => {
  const files = readdirSync('notebooks')
    .filter((f) => /^\d\d-.*\.ipynb$/.test(f))
    .sort();
  assert.ok(files.length >= 2, `notebooks: ${files.join(', ')}`);
  for (const f of files) {
    const nb = JSON.parse(readFileSync(join('notebooks', f), 'utf8'));
    assert.equal(nb.nbformat, 4, f);
    assert.equal(nb.metadata.kernelspec.name, 'mfnpe-tslab', f);
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] | string }) => [c.source].flat().join(''));
    assert.match(code[0], /notebookConfig\(/, `${f}: the first code cell is the configuration`);
    for (const src of code) {
      for (const m of src.matchAll(/from\s+'([^']+)'/g)) assert.equal(m[1], '../dist/index.js', `${f} imports ${m[1]}`);
      assert.doesNotMatch(src, /require\(/, `${f}: use the library, not require()`);
    }
    assert.ok(statSync(join('notebooks', f)).size < 5e6, `${f} is over 5 MB`);
    // Committed with outputs (a rendered walkthrough; npm run notebooks:render), each with a figure.
    const images = nb.cells
      .flatMap((c: { outputs?: { data?: Record<string, unknown> }[] }) => c.outputs ?? [])
      .filter((o: { data?: Record<string, unknown> }) => o.data && ('image/svg+xml' in o.data || 'image/png' in o.data));
    assert.ok(images.length > 0, `${f} has no rendered figure: run npm run notebooks:render`);
  }
});

test('metricVsBudgetPoints: NPE and every MF-NPE method at one LF budget, pre-trained-only flows flat, no NaN bands', () => {
  const row = (method: string, n_lf: number, n_hf: number, mean: number, ci = 0.1): SummaryRow => ({
    method,
    n_lf,
    n_hf,
    metric: 'nltp',
    n: 2,
    mean,
    sd: 0.1,
    ci_low: mean - ci,
    ci_high: mean + ci,
    n_units: 0,
    unit_ci_low: NaN,
    unit_ci_high: NaN,
  });
  const summary = [
    row('npe', 0, 50, 9),
    row('npe', 0, 200, 8),
    row('mf-npe', 1000, 50, 7.5),
    row('mf-npe', 10000, 50, 7),
    row('mf-npe', 10000, 200, 6.5, NaN),
    row('npe-lf', 10000, 0, 7.2),
    row('npe-lf', 1000, 0, 7.9),
    { ...row('npe', 0, 50, 0.8), metric: 'c2st' as const },
  ];
  const { points, lfOnly } = metricVsBudgetPoints(summary, 'nltp', 10000);
  assert.equal(lfOnly, 7.2);
  assert.deepEqual(
    points.map((p) => `${p.method}@${p.budget}=${p.value}`),
    ['NPE@50=9', 'NPE@200=8', 'MF-NPE@50=7', 'MF-NPE@200=6.5'],
  );
  assert.deepEqual([points[3].lo, points[3].hi], [6.5, 6.5]);

  // With MF pre-training too: one series per fine-tuned method (named by its low fidelity), a flat
  // series per pre-trained-only flow at every HF budget; a ladder with its own count keeps it.
  const withMf = [
    ...summary,
    row('mf-npe:mf', 10000, 50, 6.8),
    row('mf-npe:mf', 10000, 200, 6.4),
    row('npe-mf', 10000, 0, 7.0),
    row('mf-npe:lf>mf1000', 10000, 50, 6.9),
    row('npe-lf>mf1000', 10000, 0, 7.1),
    row('mf-npe:mf', 1000, 50, 6.95),
  ];
  const mf = metricVsBudgetPoints(withMf, 'nltp', 10000);
  assert.equal(mf.lfOnly, 7.2);
  assert.deepEqual(
    mf.points.map((p) => `${p.method}@${p.budget}=${p.value}`),
    ['NPE@50=9', 'NPE@200=8', 'MF-NPE (LF)@50=7', 'MF-NPE (LF)@200=6.5', 'MF-NPE (MF)@50=6.8', 'MF-NPE (MF)@200=6.4', 'MF-NPE (LF → MF 1000)@50=6.9'],
  );
  assert.deepEqual(
    mf.flat.map((p) => `${p.method}@${p.budget}=${p.value}`),
    ['LF only@50=7.2', 'LF only@200=7.2', 'MF only@50=7', 'MF only@200=7', 'LF → MF 1000 only@50=7.1', 'LF → MF 1000 only@200=7.1'],
  );
  // No LF budget chosen: a method run at several budgets gets one series per budget.
  const all = metricVsBudgetPoints(withMf, 'nltp');
  assert.deepEqual(
    [...new Set(all.points.map((p) => p.method))],
    ['NPE', 'MF-NPE (LF, 1000)', 'MF-NPE (LF, 10000)', 'MF-NPE (MF, 10000)', 'MF-NPE (MF, 1000)', 'MF-NPE (LF → MF 1000)'],
  );
  assert.deepEqual([...new Set(all.flat.map((p) => p.method))], ['LF only (10000)', 'LF only (1000)', 'MF only', 'LF → MF 1000 only']);
});

test('LossLog keeps train and validation points; LiveFigure outside a kernel only writes the final figure', async () => {
  const log = new LossLog();
  log.add('NPE', 1, 3.2, 3.5);
  log.add('NPE', 2, 2.9, NaN);
  assert.deepEqual(
    log.points.map((p) => p.split),
    ['train', 'validation', 'train'],
  );
  const dir = mkdtempSync(join(tmpdir(), 'mfnpe-live-'));
  const old = process.env.MFNPE_FIGURES_DIR;
  process.env.MFNPE_FIGURES_DIR = dir;
  try {
    const live = liveFigure('loss');
    await live.update(log.spec());
    assert.deepEqual(readdirSync(dir), []);
    await live.finish(log.spec());
    assert.deepEqual(readdirSync(dir).sort(), ['loss.png', 'loss.svg']);
  } finally {
    if (old === undefined) delete process.env.MFNPE_FIGURES_DIR;
    else process.env.MFNPE_FIGURES_DIR = old;
  }
});

test('the library barrel loads with require() (as tslab does) without loading TensorFlow.js', {
  skip: existsSync('dist/index.js') ? false : 'dist/ not built (npm run build)',
}, () => {
  // require() refuses ES modules with top-level await (ERR_REQUIRE_ASYNC_MODULE): this is the notebooks' import path.
  const out = execFileSync(
    process.execPath,
    [
      '-e',
      `
    const m = require('./dist/index.js');
    const tf = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));
    process.stdout.write(JSON.stringify({ show: typeof m.show, simulateTrace: typeof m.simulateTrace, train: typeof m.train, tf: tf.length }));
  `,
    ],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' } },
  );
  assert.deepEqual(JSON.parse(out), { show: 'function', simulateTrace: 'function', train: 'function', tf: 0 });
});
