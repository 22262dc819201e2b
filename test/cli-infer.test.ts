/**
 * `mfnpe infer` as a user runs it (a child process on the TypeScript sources): every bad input is one
 * stderr line, exit code 2, no stack trace and nothing written; tiny runs write the posterior (single
 * flow or ensemble, readable by `mfnpe sample` and `mfnpe log-prob`), samples, the per-round table, the
 * corner figure and infer.json, from --x (OU) and from a recorded trace (HH).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mfnpe } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-infer-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const XO_OU = '7.6,5.5,4.2,3.5,2.7,2.5,2.3,2.3,2.1,2.1';
/** Cheap run settings: tiny flows and budgets, a small threshold sample. */
const TINY = ['--max-epochs', '5', '--hidden', '12', '--transforms', '2', '--quantile', '1e-2', '--threshold-draws', '500', '--samples', '200'];

/** A `t,v` trace file from rows. */
function traceFile(name: string, rows: string[], header = 't,v'): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.join('\n')}\n`);
  return path;
}
const grid = (end: number, dt = 0.01) => Array.from({ length: Math.round(end / dt) + 1 }, (_, i) => `${Number((i * dt).toFixed(6))},-65`);
const uneven = grid(50).filter((_, i) => i !== 300);

const ERROR_CASES: [string, string[], RegExp][] = [
  ['x of the wrong length', ['--task', 'ou', '--method', 'tsnpe', '--x', '1,2,3', '--sims', '10'], /--x .*needs 10 comma-separated values, got 3/],
  ['HH x of the wrong length', ['--task', 'hh', '--method', 'tsnpe', '--x', '2,-65,1', '--sims', '10'], /needs 4 comma-separated values, got 3/],
  ['non-finite x', ['--task', 'hh', '--method', 'tsnpe', '--x', '2,-65,NaN,-50', '--sims', '10'], /value 3 must be a finite number, got 'NaN'/],
  [
    'trace not t,v',
    ['--task', 'hh', '--method', 'tsnpe', '--trace', traceFile('tv.csv', grid(50), 'time,volt'), '--sims', '10'],
    /not a voltage trace: expected the header t,v/,
  ],
  ['trace too short', ['--task', 'hh', '--method', 'tsnpe', '--trace', traceFile('short.csv', grid(30)), '--sims', '10'], /too short: it ends at t = 30 ms/],
  ['trace unevenly sampled', ['--task', 'hh', '--method', 'tsnpe', '--trace', traceFile('uneven.csv', uneven), '--sims', '10'], /unevenly sampled/],
  [
    'trace with a non-number',
    ['--task', 'hh', '--method', 'tsnpe', '--trace', traceFile('nan.csv', ['0,-65', '0.01,abc']), '--sims', '10'],
    /'abc' is not a finite number/,
  ],
  ['missing trace file', ['--task', 'hh', '--method', 'tsnpe', '--trace', join(dir, 'none.csv'), '--sims', '10'], /does not exist/],
  [
    'budget below rounds',
    ['--task', 'ou', '--method', 'tsnpe', '--x', XO_OU, '--sims', '3', '--rounds', '5'],
    /--sims 3 is smaller than the number of rounds \(5\)/,
  ],
  ['trace for OU', ['--task', 'ou', '--method', 'tsnpe', '--trace', traceFile('ou.csv', grid(50)), '--sims', '10'], /--trace applies to --task hh/],
  ['both x and trace', ['--task', 'hh', '--method', 'tsnpe', '--x', '2,-65,1,-50', '--trace', traceFile('b.csv', grid(50)), '--sims', '10'], /either --x/],
  ['MF without LF', ['--task', 'ou', '--method', 'mf-tsnpe', '--x', XO_OU, '--sims', '10'], /needs either --lf-sims M or --lf-model DIR/],
  ['LF for TSNPE', ['--task', 'ou', '--method', 'tsnpe', '--x', XO_OU, '--sims', '10', '--lf-sims', '100'], /apply to mf-tsnpe and a-mf-tsnpe/],
  ['ensemble for TSNPE', ['--task', 'ou', '--method', 'tsnpe', '--x', XO_OU, '--sims', '10', '--ensemble', '3'], /--ensemble applies to --method a-mf-tsnpe/],
  ['ε·M < 1', ['--task', 'ou', '--method', 'tsnpe', '--x', XO_OU, '--sims', '10', '--threshold-draws', '1000'], /ε·M ≥ 1/],
  ['unknown method', ['--task', 'ou', '--method', 'snpe', '--x', XO_OU, '--sims', '10'], /unknown --method 'snpe'/],
  ['bad LF model', ['--task', 'ou', '--method', 'mf-tsnpe', '--x', XO_OU, '--sims', '10', '--lf-model', join(dir, 'nomodel')], /does not exist/],
];

for (const [name, args, re] of ERROR_CASES) {
  test(`bad input: ${name} → one line, exit 2, nothing written`, () => {
    const out = join(dir, `out-${name.replace(/\W+/g, '-')}`);
    const r = mfnpe(['infer', ...args, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(existsSync(out), false);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });
}

test('bad input: an --out folder that is not empty is refused and left as it is', () => {
  const out = join(dir, 'full');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'x');
  const r = mfnpe(['infer', '--task', 'ou', '--method', 'tsnpe', '--x', XO_OU, '--sims', '10', '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /exists and is not empty/);
  assert.deepEqual(readdirSync(out), ['keep.txt']);
});

/** Rows of a CSV (header excluded). */
const rows = (path: string) => readFileSync(path, 'utf8').trim().split('\n').slice(1);

test('OU, a-mf-tsnpe: an ensemble posterior usable by mfnpe sample and mfnpe log-prob, rounds table, corner figure', () => {
  const out = join(dir, 'amf');
  const r = mfnpe([
    'infer',
    '--task',
    'ou',
    '--method',
    'a-mf-tsnpe',
    '--x',
    XO_OU,
    '--sims',
    '20',
    '--rounds',
    '2',
    '--ensemble',
    '2',
    '--lf-sims',
    '200',
    '--pretrain-max-epochs',
    '5',
    ...TINY,
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  for (const f of ['posterior/ensemble.json', 'posterior/members/1/config.json', 'samples.csv', 'rounds.csv', 'corner.svg', 'corner.png', 'infer.json'])
    assert.ok(existsSync(join(out, f)), f);
  const table = rows(join(out, 'rounds.csv')).map((l) => l.split(','));
  assert.deepEqual(
    table.map((c) => [c[0], c[1], c[3]]),
    [
      ['1', '10', '0'],
      ['2', '10', '2'],
    ],
  );
  assert.equal(rows(join(out, 'samples.csv')).length, 200);
  const s = mfnpe(['sample', '--model', join(out, 'posterior'), '--x', XO_OU, '--n', '5', '--out', '-']);
  assert.equal(s.code, 0, s.stderr);
  assert.equal(s.stdout.trim().split('\n').length, 6);
  const data = join(dir, 'pairs.csv');
  writeFileSync(data, `theta_1,theta_2,${Array.from({ length: 10 }, (_, j) => `x_${j + 1}`).join(',')}\n2,0.2,${XO_OU}\n`);
  const lp = mfnpe(['log-prob', '--model', join(out, 'posterior'), '--data', data]);
  assert.equal(lp.code, 0, lp.stderr);
  assert.ok(Number.isFinite(Number(lp.stdout.trim().split('\n')[0])));
});

test('HH, tsnpe from a recorded trace: the observation is the simulator summary of that trace', () => {
  const trace = join(dir, 'rec.csv');
  const t = mfnpe(['trace', '--fidelity', 'hf', '--theta', '120,36,0.3', '--seed', '4', '--out', trace]);
  assert.equal(t.code, 0, t.stderr);
  const sim = mfnpe(['simulate', '--fidelity', 'hf', '--theta', '120,36,0.3', '--reps', '1', '--seed', '4']);
  const expected = sim.stdout.trim().split('\n')[1].split(',').slice(3).map(Number);
  const out = join(dir, 'hh');
  const r = mfnpe(['infer', '--task', 'hh', '--method', 'tsnpe', '--trace', trace, '--sims', '6', '--rounds', '2', ...TINY, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const info = JSON.parse(readFileSync(join(out, 'infer.json'), 'utf8'));
  assert.deepEqual(info.observation, expected);
  assert.equal(info.rounds.length, 2);
  assert.ok(existsSync(join(out, 'posterior', 'config.json')));
  assert.equal(rows(join(out, 'samples.csv')).length, 200);
  assert.equal(readFileSync(join(out, 'samples.csv'), 'utf8').split('\n')[0], 'g_na,g_k,g_l');
});
