/**
 * Sequential methods in `mfnpe experiment` (config key `sequential`): one unit per seed, method and
 * observation; the same rows with --jobs 1 and --jobs 2; the amortized rows exactly those of the
 * config without `sequential` (the tiny fixtures); sequential rows, paired comparisons and costs
 * present; bad settings are one-line errors.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveConfigs } from '../src/experiment/config.js';
import { unitWork } from '../src/experiment/estimate.js';
import { planUnits, sequentialStarter } from '../src/experiment/plan.js';
import { pretrainedCache } from '../src/experiment/sequential-unit.js';
import { getTask } from '../src/tasks/registry.js';
import { mfnpe } from './helpers/cli.js';
import { TINY } from './helpers/tiny-config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'data', 'experiment');
const dir = mkdtempSync(join(tmpdir(), 'mfnpe-seq-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

/** Two observations (C2ST/MMD at the first, nObs 1), one HF budget shared with NPE, tiny rounds. */
const SEQUENTIAL = { nObs: 2, hfBudgets: [30], rounds: 2, ensemble: 2, thresholdDraws: 1000, quantile: 0.001, train: { maxEpochs: 3 } };
const CONFIG = { ...TINY, seeds: [0], sequential: SEQUENTIAL };

/** The files that must agree between runs (costs carry measured seconds). */
const FILES = ['metrics.csv', 'units.csv', 'summary.csv', 'paired.csv'];

function results(out: string): string[] {
  return [...FILES, ...FILES.map((f) => `ou/${f}`)].map((f) => readFileSync(join(out, f), 'utf8'));
}

test('--jobs 1 and --jobs 2 agree; amortized rows unchanged; sequential rows, comparisons and costs present', () => {
  const outs: string[] = [];
  for (const jobs of ['1', '2']) {
    // Each run its own cache: the pre-trained starts are trained (and cached) in both.
    const config = join(dir, `seq${jobs}.json`);
    // The second run also saves its samples (sequential.saveSamples): the results must not change.
    const sequential = jobs === '2' ? { ...SEQUENTIAL, saveSamples: true } : SEQUENTIAL;
    writeFileSync(config, JSON.stringify({ ...CONFIG, sequential, dataDir: join(dir, `data${jobs}`) }));
    const out = join(dir, `jobs${jobs}`);
    const r = mfnpe(['experiment', '--config', config, '--out', out, '--jobs', jobs], 600_000);
    assert.equal(r.code, 0, r.stderr);
    // OU's comparison with the published table lists the sequential methods too (30 HF is not a published budget).
    assert.match(r.stdout, /^ {2}A-MF-TSNPE, 200 LF, 30 HF: ours [\d.]+.*, not in the published table$/m);
    outs.push(out);
  }
  assert.deepEqual(results(outs[1]), results(outs[0]));
  for (const [task, sub] of [
    ['hh', ''],
    ['ou', 'ou'],
  ]) {
    const lines = readFileSync(join(outs[0], sub, 'metrics.csv'), 'utf8')
      .trim()
      .split('\n');
    const fixture = readFileSync(join(FIXTURES, `tiny-${task}-metrics.csv`), 'utf8')
      .trim()
      .split('\n');
    // Seed 0's rows of the fixture (the config without `sequential`, seeds [0, 1] for OU), first and unchanged.
    const amortized = fixture.filter((l, i) => i === 0 || l.split(',')[3] === '0');
    assert.deepEqual(lines.slice(0, amortized.length), amortized, task);
    const seq = lines.slice(amortized.length);
    for (const m of ['tsnpe', 'mf-tsnpe', 'a-mf-tsnpe']) {
      const nLf = m === 'tsnpe' ? 0 : 200;
      assert.deepEqual(
        seq.filter((l) => l.startsWith(`${m},`)).map((l) => l.split(',').slice(0, 5).join(',')),
        ['nltp', 'c2st', 'mmd'].map((metric) => `${m},${nLf},30,0,${metric}`),
        `${task} ${m}`,
      );
    }
    assert.equal(seq.length, 9, task);
    // NLTP at both observations, C2ST/MMD at the one with reference samples.
    const units = readFileSync(join(outs[0], sub, 'units.csv'), 'utf8')
      .trim()
      .split('\n');
    const aUnits = units.filter((l) => l.startsWith('a-mf-tsnpe,')).map((l) => l.split(',').slice(4, 6).join(','));
    assert.deepEqual(aUnits.sort(), ['c2st,0', 'mmd,0', 'nltp,0', 'nltp,1']);
    const paired = readFileSync(join(outs[0], sub, 'paired.csv'), 'utf8');
    for (const c of ['tsnpe - npe', 'a-mf-tsnpe - npe', 'a-mf-tsnpe - mf-npe', 'mf-tsnpe - tsnpe', 'a-mf-tsnpe - mf-tsnpe']) {
      assert.match(paired, new RegExp(`^${c},nltp,\\d+,30,unit,2,`, 'm'), `${task} ${c}`);
    }
    const costs = readFileSync(join(outs[0], sub, 'costs.csv'), 'utf8');
    assert.match(costs, /^a-mf-tsnpe,200,30,1,[\d.e-]+,0,[\d.e-]+,/m);
    // Saved samples: each method's at the observation with reference samples, and the reference's.
    const saved = readdirSync(join(outs[1], sub, 'samples')).sort();
    assert.deepEqual(
      saved,
      ['a-mf-tsnpe-lf200-hf30-seed0-obs0.csv', 'mf-tsnpe-lf200-hf30-seed0-obs0.csv', 'reference-obs0.csv', 'tsnpe-lf0-hf30-seed0-obs0.csv'],
      task,
    );
    for (const f of saved) {
      const rows = readFileSync(join(outs[1], sub, 'samples', f), 'utf8')
        .trim()
        .split('\n');
      assert.equal(rows.length, 1 + TINY.posteriorSamples, `${task} ${f}`);
      assert.equal(rows[0].split(',').length, task === 'hh' ? 3 : 2, `${task} ${f}`);
    }
  }
  assert.equal(existsSync(join(outs[0], 'samples')), false);
});

test('sequential units follow the amortized ones; absent key: no units, config unchanged', () => {
  const [cfg] = resolveConfigs({ ...CONFIG, tasks: ['ou'] }, false);
  const ids = planUnits(cfg).map((u) => u.id);
  assert.deepEqual(
    ids.slice(-6),
    ['tsnpe-obs0', 'tsnpe-obs1', 'mf-tsnpe-obs0', 'mf-tsnpe-obs1', 'a-mf-tsnpe-obs0', 'a-mf-tsnpe-obs1'].map((n) => `ou/seed0/${n}`),
  );
  const [plain] = resolveConfigs({ ...TINY, tasks: ['ou'] }, false);
  assert.ok(!('sequential' in plain));
  const [removed] = resolveConfigs({ ...TINY, sequential: SEQUENTIAL, ou: { sequential: null }, tasks: ['ou'] }, false);
  assert.ok(!('sequential' in removed));
  assert.deepEqual(planUnits(removed), planUnits(plain));
});

test("a seed's pre-trained sequential units start after the one that pre-trains their flow, which sorts first", () => {
  const [cfg] = resolveConfigs({ ...CONFIG, seeds: [0, 1], tasks: ['ou'] }, false);
  const units = planUnits(cfg);
  const byId = (id: string) => units.find((u) => u.id === id)!;
  assert.equal(sequentialStarter(byId('ou/seed1/a-mf-tsnpe-obs1'), cfg)?.id, 'ou/seed1/mf-tsnpe-obs0');
  assert.equal(sequentialStarter(byId('ou/seed1/mf-tsnpe-obs0'), cfg)?.id, 'ou/seed1/mf-tsnpe-obs0');
  assert.equal(sequentialStarter(byId('ou/seed1/tsnpe-obs0'), cfg), undefined);
  assert.equal(sequentialStarter(byId('ou/seed1/npe'), cfg), undefined);
  // Longest first puts each starter ahead of every other sequential unit of its seed.
  for (const seed of [0, 1]) {
    const seq = units.filter((u) => u.seed === seed && u.chain.kind === 'sequential');
    const starter = byId(`ou/seed${seed}/mf-tsnpe-obs0`);
    for (const u of seq) if (u !== starter) assert.ok(unitWork(starter, cfg) > unitWork(u, cfg), u.id);
  }
});

test("the pre-trained flow's cache folder is the seed's and the settings', so studies of other depths sharing a data dir keep their own", () => {
  const task = getTask('ou');
  const [base] = resolveConfigs({ ...CONFIG, tasks: ['ou'] }, false);
  const [same] = resolveConfigs({ ...CONFIG, tasks: ['ou'] }, false);
  const [deep] = resolveConfigs({ ...CONFIG, flow: { layers: 5 }, tasks: ['ou'] }, false);
  const a = pretrainedCache(base, task, 0);
  assert.deepEqual(pretrainedCache(same, task, 0), a);
  assert.notEqual(pretrainedCache(base, task, 1).dir, a.dir);
  const b = pretrainedCache(deep, task, 0);
  assert.notEqual(b.dir, a.dir);
  assert.notEqual(b.settings, a.settings);
  assert.match(a.dir, /pretrained-lf\d+-seed0-sim[0-9a-f]+-set[0-9a-f]{12}$/);
});

test('bad sequential settings are one-line input errors', () => {
  const bad: [unknown, RegExp][] = [
    [{ methods: ['snpe'] }, /sequential\.methods must be a non-empty list/],
    [{ methods: [] }, /sequential\.methods must be a non-empty list/],
    [{ rounds: 0 }, /sequential\.rounds must be an integer ≥ 1/],
    [{ hfBudgets: [30], rounds: 40 }, /HF budget 30 is smaller than rounds \(40\)/],
    [{ nObs: 500 }, /sequential\.nObs \(500\) exceeds testSize/],
    [{ ensemble: 1 }, /needs ensemble ≥ 2/],
    [{ activeShare: 2 }, /activeShare must be a number in \[0, 1\]/],
    [{ poolFrom: 'posterior' }, /poolFrom must be 'prior' or 'truncated'/],
    [{ thresholdDraws: 10 }, /quantile × thresholdDraws must be ≥ 1/],
    [{ lowFidelity: 'hf2' }, /lowFidelity/],
    [{ train: { lr: 1 } }, /unknown setting config\.sequential\.train\.lr/],
    [{ roundz: 3 }, /unknown setting config\.sequential\.roundz/],
    [5, /sequential must be an object/],
  ];
  for (const [v, re] of bad) {
    assert.throws(
      () => resolveConfigs({ ...TINY, sequential: v, tasks: ['ou'] }, false),
      (e: Error) => e.name === 'InputError' && re.test(e.message) && !e.message.includes('\n'),
      JSON.stringify(v),
    );
  }
});
