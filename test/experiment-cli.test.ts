/**
 * `mfnpe experiment` and `mfnpe train --method mf-npe` as a user runs them: bad input is one line
 * on stderr with exit code 2 and nothing written; a tiny end-to-end run writes every file the issue
 * names (metrics, summary, paired, costs, figures) for HH in DIR and OU in DIR/ou; a trained
 * MF-NPE model loads in `mfnpe sample`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfigs, quickConfig } from '../src/experiment/config.js';
import { mfnpe } from './helpers/cli.js';
import type { MethodName } from '../src/experiment/types.js';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-expcli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function json(name: string, v: unknown): string {
  const p = join(dir, name);
  writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
  return p;
}

test('experiment: bad input is one line on stderr, exit 2, nothing written', () => {
  writeFileSync(join(dir, 'afile'), 'x');
  const cases: [string[], RegExp][] = [
    [['experiment', '--quick'], /missing required option --out/],
    [['experiment', '--out', join(dir, 'afile')], /is a file/],
    [['experiment', '--config', join(dir, 'nope.json'), '--out', join(dir, 'o1')], /does not exist/],
    [['experiment', '--config', json('bad.json', '{ "seeds": [0,'), '--out', join(dir, 'o2')], /not valid JSON/],
    [['experiment', '--config', json('unk.json', { seedz: [1] }), '--out', join(dir, 'o3')], /unknown setting config\.seedz/],
    [['experiment', '--config', json('b.json', { hfBudgets: [50, -1] }), '--out', join(dir, 'o4')], /hfBudgets must be a non-empty list/],
    [
      ['experiment', '--config', json('f.json', { finetune: { learningRate: 0 } }), '--out', join(dir, 'o5')],
      /finetune\.learningRate must be a positive number/,
    ],
    [['experiment', '--tasks', 'hh,foo', '--out', join(dir, 'o6')], /config\.tasks must be a non-empty list of 'hh' and 'ou'/],
    [['experiment', '--quick', '--workers', '0', '--out', join(dir, 'o7')], /--workers/],
    [['experiment', '--quick', '--bogus', '--out', join(dir, 'o8')], /unknown option --bogus/],
    [['train', '--method', 'mf-npe', '--task', 'two_moons', '--lf-sims', '10', '--sims', '10', '--out', join(dir, 'm1')], /task two_moons has no LF simulator/],
    [['train', '--method', 'mf-npe', '--task', 'ou', '--sims', '10', '--out', join(dir, 'm2')], /needs --lf-sims M/],
    [
      ['train', '--method', 'mf-npe', '--task', 'ou', '--lf-sims', '10', '--lf-data', 'x.csv', '--sims', '10', '--out', join(dir, 'm3')],
      /either --lf-sims or --lf-data/,
    ],
    [
      ['train', '--method', 'mf-npe', '--task', 'ou', '--lf-sims', '10', '--sims', '10', '--freeze', 'foo', '--out', join(dir, 'm4')],
      /--freeze: unknown weight 'foo'/,
    ],
    [['train', '--method', 'npe', '--task', 'ou', '--lf-sims', '10', '--sims', '10', '--out', join(dir, 'm5')], /--lf-sims applies to --method mf-npe/],
    [['train', '--method', 'mf-npe', '--task', 'ou', '--lf-data', join(dir, 'missing.csv'), '--sims', '10', '--out', join(dir, 'm6')], /does not exist/],
    [
      ['train', '--method', 'mf-npe', '--task', 'hh', '--ladder', 'mf:0', '--sims', '10', '--out', join(dir, 'm7')],
      /--ladder: mf needs an integer number of simulations ≥ 2, got '0'/,
    ],
    [['train', '--method', 'mf-npe', '--task', 'hh', '--ladder', 'lf:100,hf:10', '--sims', '10', '--out', join(dir, 'm8')], /--ladder: hf is the last stage/],
    [
      ['train', '--method', 'mf-npe', '--task', 'hh', '--ladder', 'mf:100,lf:100', '--sims', '10', '--out', join(dir, 'm9')],
      /from the cheapest fidelity to the costliest/,
    ],
    [['train', '--method', 'mf-npe', '--task', 'hh', '--ladder', 'xf:100', '--sims', '10', '--out', join(dir, 'm10')], /unknown fidelity 'xf'/],
    [['train', '--method', 'mf-npe', '--task', 'ou', '--ladder', 'lf:100,mf:100', '--sims', '10', '--out', join(dir, 'm11')], /task ou has no MF simulator/],
    [
      ['train', '--method', 'mf-npe', '--task', 'hh', '--ladder', 'lf:100', '--lf-sims', '100', '--sims', '10', '--out', join(dir, 'm12')],
      /either --ladder or --lf-sims/,
    ],
  ];
  for (const [args, re] of cases) {
    const r = mfnpe(args);
    assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('TensorFlow.js backend'));
    assert.equal(lines.length, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], re);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
  for (const o of ['o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9', 'm10', 'm11', 'm12'])
    assert.ok(!existsSync(join(dir, o, 'metrics.csv')) && !existsSync(join(dir, o, 'config.json')), o);
});

test('config: quick grid, per-task overrides, unknown keys rejected', () => {
  const [hh, ou] = resolveConfigs({ seeds: [3, 1], ou: { hfBudgets: [100] } }, true);
  assert.equal(hh.task, 'hh');
  assert.deepEqual(hh.seeds, [1, 3]);
  assert.deepEqual(hh.hfBudgets, quickConfig('hh').hfBudgets);
  assert.deepEqual(ou.hfBudgets, [100]);
  assert.deepEqual(ou.lfBudgets, [1000, 10000]);
  assert.deepEqual(hh.lfBudgets, [1000, 3000]);
  assert.equal(ou.pretrain.learningRate, 1e-4);
  assert.equal(ou.finetune.learningRate, 5e-4);
  assert.deepEqual(ou.finetune.freeze, []);
  assert.equal(ou.finetune.refitX, true);
  assert.equal(resolveConfigs({ finetune: { refitX: false } }, true)[0].finetune.refitX, false);
  assert.throws(() => resolveConfigs({ finetune: { refitX: 1 } }, true), /refitX must be true or false/);
  const [full] = resolveConfigs({ tasks: ['hh'] }, false);
  assert.deepEqual(full.lfBudgets, [1000, 10000, 100000]);
  assert.deepEqual(full.hfBudgets, [50, 100, 500, 1000]);
  assert.equal(full.seeds.length, 5);
  assert.equal(full.reference.sims, 100000);
  assert.ok(full.testSize >= 100);
  assert.throws(() => resolveConfigs({ hh: { flow: { width: 3 } } }, true), /unknown setting config\.hh\.flow\.width/);
  assert.throws(() => resolveConfigs({ nObs: 50, testSize: 20 }, true), /nObs \(50\) exceeds testSize/);
});

test('experiment: a tiny end-to-end run writes every file (HH in DIR, OU in DIR/ou)', () => {
  const cfg = json('tiny.json', {
    lfBudgets: [200],
    hfBudgets: [30, 60],
    seeds: [0],
    testSize: 20,
    nObs: 1,
    posteriorSamples: 100,
    c2st: { folds: 2 },
    reference: { sims: 100 },
    pretrain: { maxEpochs: 3 },
    finetune: { maxEpochs: 3 },
    npe: { maxEpochs: 3 },
    predictiveDraws: 1,
    dataDir: join(dir, 'data'),
  });
  const out = join(dir, 'run');
  const r = mfnpe(['experiment', '--config', cfg, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /hh: mean \[95 % CI over test pairs \(NLTP\) \/ observations \(C2ST, MMD\) of the 1-seed mean, conditional on these networks/);
  assert.match(r.stdout, /ou: mean/);
  assert.match(r.stdout, /OU C2ST vs the published MF-NPE table/);
  const files = ['metrics.csv', 'units.csv', 'summary.csv', 'paired.csv', 'costs.csv', 'costs-by-seed.csv', 'run.json', 'config.json'];
  const figs = ['nltp-vs-hf', 'c2st-vs-hf', 'mmd-vs-hf', 'corner', 'summaries-lf-hf'];
  for (const f of [...files, ...figs.flatMap((g) => [`${g}.svg`, `${g}.png`]), 'predictive-traces.svg', 'predictive-traces.png'])
    assert.ok(existsSync(join(out, f)), f);
  for (const f of [...files, ...figs.map((g) => `${g}.svg`)]) assert.ok(existsSync(join(out, 'ou', f)), `ou/${f}`);
  const metrics = readFileSync(join(out, 'metrics.csv'), 'utf8').trim().split('\n');
  assert.equal(metrics[0], 'method,n_lf,n_hf,seed,metric,value');
  const methods = new Set(metrics.slice(1).map((l) => l.split(',')[0]));
  assert.deepEqual([...methods].sort(), ['mf-npe', 'npe', 'npe-lf']);
  assert.ok(metrics.slice(1).every((l) => l.split(',')[0] !== 'npe' || l.split(',')[1] === '0'));
  assert.equal(
    readFileSync(join(out, 'summary.csv'), 'utf8').split('\n')[0],
    'method,n_lf,n_hf,metric,n,mean,sd,ci_low,ci_high,n_units,unit_ci_low,unit_ci_high',
  );
  assert.equal(
    readFileSync(join(out, 'costs.csv'), 'utf8').split('\n')[0],
    'method,n_lf,n_hf,seeds,lf_sim_cpu_s,mf_sim_cpu_s,hf_sim_cpu_s,sim_cpu_s,train_s,total_s',
  );
  const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
  assert.equal(run.reference.kind, 'npe');
  assert.ok(Number.isFinite(run.reference.nltp.mean));
  assert.equal(JSON.parse(readFileSync(join(out, 'ou', 'run.json'), 'utf8')).reference.kind, 'exact');
  assert.ok(readdirSync(join(dir, 'data', 'hh')).some((f) => /^train-hf-seed0-sim[0-9a-f]{12}\.arrow$/.test(f)));
  assert.ok(existsSync(join(out, 'units', 'reference.json')) && existsSync(join(out, 'ou', 'units', 'seed0-lf200.json')));
  const ref = readdirSync(join(dir, 'data', 'hh')).find((f) => /^reference-npe-n100-seed1000-sim[0-9a-f]{12}$/.test(f));
  assert.ok(ref && existsSync(join(dir, 'data', 'hh', ref, 'config.json')), 'the reference model is cached under its simulator key');
});

test('train --method mf-npe saves a posterior that sample loads; --save-pretrained keeps the LF flow', () => {
  const model = join(dir, 'mf');
  const pre = join(dir, 'mf-lf');
  const r = mfnpe([
    'train',
    '--method',
    'mf-npe',
    '--task',
    'ou',
    '--lf-sims',
    '300',
    '--sims',
    '60',
    '--max-epochs',
    '3',
    '--pretrain-max-epochs',
    '3',
    '--seed',
    '2',
    '--save-pretrained',
    pre,
    '--out',
    model,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /saved mf-npe posterior/);
  const cfg = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
  assert.equal(cfg.meta.method, 'mf-npe');
  assert.equal(cfg.meta.lfPairs, 300);
  assert.equal(cfg.meta.training.pairs, 60);
  assert.equal(JSON.parse(readFileSync(join(pre, 'config.json'), 'utf8')).meta.method, 'npe-lf');
  const s = mfnpe(['sample', '--model', model, '--x', '3,2.8,2.5,2,1.8,1.5,1.4,1.2,1.1,1', '--n', '5', '--out', '-']);
  assert.equal(s.code, 0, s.stderr);
  assert.equal(s.stdout.trim().split('\n').length, 6);
});

test('hfToMatchNpe interpolates the MF-NPE curve in log budget', async () => {
  const { hfToMatchNpe } = await import('../src/experiment/report.js');
  const row = (method: string, n_lf: number, n_hf: number, mean: number) => ({
    method,
    n_lf,
    n_hf,
    metric: 'nltp' as const,
    n: 3,
    mean,
    sd: 0,
    ci_low: mean,
    ci_high: mean,
    n_units: 0,
    unit_ci_low: NaN,
    unit_ci_high: NaN,
  });
  const summary = [
    row('npe', 0, 100, 5),
    row('npe', 0, 1000, 3),
    row('mf-npe', 10, 100, 4),
    row('mf-npe', 10, 1000, 2),
    row('mf-npe', 20, 100, 2.5),
    row('mf-npe', 30, 100, 3.5),
    row('mf-npe', 30, 1000, 3.2),
  ];
  const h = hfToMatchNpe(summary, 10)!;
  assert.equal(h.target, 3);
  assert.ok(Math.abs(h.mfNpeHf! - Math.sqrt(100 * 1000)) < 1e-9); // halfway in log budget
  assert.deepEqual(hfToMatchNpe(summary, 20), { npeHf: 1000, target: 3, mfNpeHf: 100, atMost: true });
  assert.equal(hfToMatchNpe(summary, 30)!.mfNpeHf, null);
});

test('hfToMatchNpeAtObservations compares a sequential method with NPE at the same observations', async () => {
  const { hfToMatchNpeAtObservations } = await import('../src/experiment/report.js');
  const u = (method: MethodName, n_lf: number, n_hf: number, seed: number, unit: number, value: number) => ({
    method,
    n_lf,
    n_hf,
    seed,
    metric: 'nltp' as const,
    unit,
    value,
  });
  const units = [
    // NPE at 1000 HF: 2 at the observations 0 and 1 of seed 0, and a far worse pair the sequential runs did not use.
    u('npe', 0, 100, 0, 0, 9),
    u('npe', 0, 1000, 0, 0, 2),
    u('npe', 0, 1000, 0, 1, 4),
    u('npe', 0, 1000, 0, 7, 50),
    u('a-mf-tsnpe', 10, 50, 0, 0, 5),
    u('a-mf-tsnpe', 10, 50, 0, 1, 5),
    u('a-mf-tsnpe', 10, 500, 0, 0, 1),
    u('a-mf-tsnpe', 10, 500, 0, 1, 1),
  ];
  // Target 3 (the mean over observations 0 and 1 only); the curve 5 → 1 reaches it halfway in log budget.
  const h = hfToMatchNpeAtObservations(units, 'a-mf-tsnpe', 10)!;
  assert.equal(h.target, 3);
  assert.equal(h.npeHf, 1000);
  assert.equal(h.runs, 2);
  assert.ok(Math.abs(h.mfNpeHf! - Math.sqrt(50 * 500)) < 1e-9);
  assert.equal(hfToMatchNpeAtObservations(units, 'tsnpe', 0), null);
  const worse = units.map((r) => (r.method === 'a-mf-tsnpe' ? { ...r, value: 3.5 } : r));
  assert.equal(hfToMatchNpeAtObservations(worse, 'a-mf-tsnpe', 10)!.mfNpeHf, null);
});

test('train --method mf-npe --ladder lf:N,mf:M: pre-trains on LF, fine-tunes on MF, then on HF', () => {
  const model = join(dir, 'ladder');
  const r = mfnpe([
    'train',
    '--method',
    'mf-npe',
    '--task',
    'hh',
    '--ladder',
    'lf:300,mf:200',
    '--sims',
    '40',
    '--max-epochs',
    '2',
    '--pretrain-max-epochs',
    '2',
    '--seed',
    '1',
    '--out',
    model,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const meta = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8')).meta;
  assert.deepEqual(meta.ladder, [
    { fidelity: 'lf', pairs: 300 },
    { fidelity: 'mf', pairs: 200 },
  ]);
  assert.equal(meta.training.pairs, 40);
  assert.equal(meta.method, 'mf-npe');
});
