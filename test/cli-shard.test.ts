/**
 * Sharded simulation (`--shard I/K`) and `mfnpe merge`: the merged shards are byte for byte the unsharded run's file (CSV and Arrow,
 * `simulate --prior`, `simulate --theta`, `task simulate`), and every bad shard set is refused with
 * one line on stderr, exit code 2 and no output file. Files are made in-process (the CLI's `main`,
 * fast); what a user sees on stdout/stderr and the exit codes come from child processes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { executeSimulate, parseSimulate, SimulatedInterruption } from '../src/cli/simulate.js';
import { parseShard, shardRange } from '../src/data/shard.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

interface Result {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

function mfnpe(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT });
    const out: Buffer[] = [];
    let stderr = '';
    c.stdout.on('data', (d) => out.push(d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** A command run in this process (output to files only). */
async function ok(args: string[]): Promise<void> {
  assert.equal(await main(args), 0, `mfnpe ${args.join(' ')}`);
}

/** A command run as a child process that must succeed; returns its stdout. */
async function okChild(args: string[]): Promise<Buffer> {
  const r = await mfnpe(args);
  assert.equal(r.code, 0, `mfnpe ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Runs `args` unsharded into `full` and as K shards (files `prefix-i.ext`); returns the shard paths. */
async function shardedRun(args: string[], k: number, full: string, prefix: string, ext: string): Promise<string[]> {
  const shards = Array.from({ length: k }, (_, i) => `${prefix}-${i}.${ext}`);
  await ok([...args, '--out', full]);
  for (const [i, s] of shards.entries()) await ok([...args, '--shard', `${i}/${k}`, '--out', s]);
  return shards;
}

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-shard-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const PRIOR = ['simulate', '--fidelity', 'lf', '--prior', '--n', '37', '--seed', '5', '--workers', '1', '--quiet'];

test('shard ranges: contiguous blocks [⌊i·n/k⌋, ⌊(i+1)·n/k⌋) that cover [0, n) once; bad --shard refused', () => {
  for (const [n, k] of [
    [37, 4],
    [10, 10],
    [1, 1],
    [1000, 7],
  ]) {
    let next = 0;
    for (let i = 0; i < k; i++) {
      const { start, end } = shardRange(i, k, n);
      assert.equal(start, next);
      assert.ok(end > start);
      next = end;
    }
    assert.equal(next, n);
  }
  assert.deepEqual(parseShard('2/4', 37), { index: 2, count: 4, start: 18, end: 27 });
  for (const bad of ['4/4', '-1/4', '1/0', 'a/b', '1', '1/2/3', '5/8']) assert.throws(() => parseShard(bad, 4), /--shard/);
});

for (const [format, ext] of [
  ['csv', 'csv'],
  ['arrow', 'arrow'],
] as const) {
  test(`simulate --prior --shard i/4, merged in any order, is byte for byte the unsharded ${format} file`, async () => {
    const full = join(dir, `prior.${ext}`);
    const shards = await shardedRun(PRIOR, 4, full, join(dir, 'prior-shard'), ext);
    const merged = join(dir, `prior-merged.${ext}`);
    const r = await mfnpe(['merge', shards[2], shards[0], shards[3], shards[1], '--out', merged]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /merged 4 shards \(37 rows/);
    assert.ok(readFileSync(merged).equals(readFileSync(full)), 'merged file differs from the unsharded one');
    // One shard of one: the shard file minus its header.
    const one = join(dir, `prior-one.${ext}`);
    await ok([...PRIOR, '--shard', '0/1', '--out', one]);
    await ok(['merge', one, '--out', join(dir, `prior-one-merged.${ext}`), '--quiet']);
    assert.ok(readFileSync(join(dir, `prior-one-merged.${ext}`)).equals(readFileSync(full)));
  });

  test(`task simulate --shard i/3 (two_moons, hh lf) merges to the unsharded ${format} file`, async () => {
    for (const task of [
      ['task', 'simulate', '--task', 'two_moons', '--n', '25', '--seed', '2'],
      ['task', 'simulate', '--task', 'hh', '--fidelity', 'lf', '--n', '20', '--seed', '3'],
    ]) {
      const name = task[3];
      const full = join(dir, `task-${name}.${ext}`);
      const shards = await shardedRun(task, 3, full, join(dir, `task-${name}-shard`), ext);
      const merged = join(dir, `task-${name}-merged.${ext}`);
      await ok(['merge', ...shards.reverse(), '--out', merged, '--quiet']);
      assert.ok(readFileSync(merged).equals(readFileSync(full)), `${name}: merged file differs from the unsharded one`);
    }
  });
}

test('simulate --theta --reps --shard to stdout (CSV and Arrow) merges to the unsharded file', async () => {
  const args = ['simulate', '--fidelity', 'lf', '--theta', '120,36,0.3', '--reps', '11', '--seed', '9', '--quiet'];
  for (const format of ['csv', 'arrow']) {
    const fmt = ['--format', format];
    const full = join(dir, `theta-full.${format}`);
    await ok([...args, ...fmt, '--out', full]);
    const parts = await Promise.all([0, 1].map((i) => okChild([...args, ...fmt, '--shard', `${i}/2`])));
    const paths = parts.map((p, i) => {
      const f = join(dir, `theta-${i}.${format}`);
      writeFileSync(f, p);
      return f;
    });
    const merged = join(dir, `theta-merged.${format}`);
    await ok(['merge', ...paths, '--out', merged, '--quiet']);
    assert.ok(readFileSync(merged).equals(readFileSync(full)), `${format}: merged stdout shards differ from the unsharded file`);
  }
});

test('an interrupted shard run resumes from its checkpoint and gives the uninterrupted shard', async () => {
  const args = (o: string) => [
    '--fidelity',
    'lf',
    '--prior',
    '--n',
    '300',
    '--seed',
    '4',
    '--workers',
    '1',
    '--chunk',
    '8',
    '--quiet',
    '--shard',
    '1/3',
    '--out',
    o,
  ];
  const ref = join(dir, 'resume-ref.csv');
  const out = join(dir, 'resume.csv');
  await executeSimulate(parseSimulate(args(ref)));
  await assert.rejects(executeSimulate(parseSimulate(args(out)), { stopAfterRows: 40 }), SimulatedInterruption);
  assert.ok(!existsSync(out));
  const res = await executeSimulate(parseSimulate(args(out)));
  assert.equal(res.resumedFrom, 40);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(ref, 'utf8'));
});

test('bad shard sets: one line on stderr, exit code 2, no output file', async () => {
  // CSV shards of PRIOR (n = 37, K = 4: [0,9) [9,18) [18,27) [27,37)), and foreign or odd files.
  const d = join(dir, 'bad');
  mkdirSync(d);
  const s = Array.from({ length: 4 }, (_, i) => join(d, `s${i}.csv`));
  const f = (name: string) => join(d, name);
  for (const args of [
    ...s.map((p, i) => [...PRIOR, '--shard', `${i}/4`, '--out', p]),
    [...PRIOR, '--out', f('full.csv')],
    [...PRIOR, '--shard', '0/2', '--out', f('half0.csv')],
    [...PRIOR.map((a) => (a === '5' ? '6' : a)), '--shard', '2/4', '--out', f('seed6.csv')],
    [...PRIOR.map((a) => (a === '37' ? '38' : a)), '--shard', '3/4', '--out', f('n38.csv')],
    [...PRIOR.map((a) => (a === 'lf' ? 'hf' : a)), '--shard', '3/4', '--out', f('hf.csv')],
    [...PRIOR, '--shard', '3/4', '--out', f('s3.arrow')],
    ['task', 'simulate', '--task', 'hh', '--fidelity', 'lf', '--n', '37', '--seed', '5', '--shard', '3/4', '--out', f('task.csv')],
  ])
    await ok(args);
  copyFileSync(s[1], f('s1-copy.csv'));
  const lines = readFileSync(s[3], 'utf8').split('\n');
  writeFileSync(f('s3-short.csv'), lines.slice(0, -2).join('\n') + '\n');
  const cases: [string, string[], RegExp][] = [
    ['missing middle shard', [s[0], s[1], s[3]], /missing shard: no shard holds simulation indices \[18, 27\) of \[0, 37\)/],
    ['missing last shard', [s[0], s[1], s[2]], /missing shard: .*\[27, 37\)/],
    ['duplicated shard', [s[0], s[1], f('s1-copy.csv'), s[2], s[3]], /same shard: shard 1\/4 .*duplicate/],
    ['a file given twice', [s[0], s[1], s[1], s[2], s[3]], /s1\.csv is given twice/],
    ['overlapping shards', [f('half0.csv'), s[1], s[2], s[3]], /overlap/],
    ['other seed', [s[0], s[1], f('seed6.csv'), s[3]], /seed6\.csv is from another run than .*s0\.csv \(seed 5 vs 6\)/],
    ['other n', [s[0], s[1], s[2], f('n38.csv')], /from another run .*\(n 37 vs 38\)/],
    ['other fidelity', [s[0], s[1], s[2], f('hf.csv')], /from another run .*\(fidelity lf vs hf\)/],
    ['other format', [s[0], s[1], s[2], f('s3.arrow')], /s3\.arrow is an Arrow shard but .*s0\.csv is a CSV shard/],
    ['other command', [s[0], s[1], s[2], f('task.csv')], /from another run .*\(command simulate vs task simulate\)/],
    ['not a shard', [s[0], s[1], s[2], f('full.csv')], /full\.csv is not an mfnpe shard/],
    ['truncated shard', [s[0], s[1], s[2], f('s3-short.csv')], /s3-short\.csv: has 9 rows but its header says shard 3\/4 \(indices \[27, 37\)\) \(truncated/],
    ['no such file', [s[0], f('nope.csv')], /nope\.csv does not exist/],
    ['no shards', [], /no shard files given/],
  ];
  const outDir = join(dir, 'bad-out');
  mkdirSync(outDir);
  const results = await Promise.all(cases.map(([, files], k) => mfnpe(['merge', ...files, '--out', join(outDir, `m${k}.csv`)])));
  cases.forEach(([name, , re], k) => {
    const r = results[k];
    assert.equal(r.code, 2, `${name}: exit code ${r.code}, stderr ${r.stderr}`);
    const errLines = r.stderr.trimEnd().split('\n');
    assert.equal(errLines.length, 1, `${name}: stderr has ${errLines.length} lines: ${r.stderr}`);
    assert.match(errLines[0], /^mfnpe: /, name);
    assert.match(errLines[0], re, name);
    assert.equal(r.stdout.length, 0, `${name}: nothing on stdout`);
  });
  assert.deepEqual(readdirSync(outDir), [], 'no output (not even a temporary file) left behind');
  // --out missing, or one of the shards (nothing overwritten).
  const before = readFileSync(s[0]);
  await assert.rejects(main(['merge', ...s]), /missing --out/);
  await assert.rejects(main(['merge', ...s, '--out', s[0]]), /is one of the shards/);
  assert.ok(readFileSync(s[0]).equals(before));
});

test('bad --shard for simulate and task: exit code 2, one line, no file', async () => {
  const d = join(dir, 'bad-flag');
  mkdirSync(d);
  const cases: [string[], RegExp][] = [
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '4', '--shard', '4/4'], /--shard 4\/4: need 0 ≤ I < K/],
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '4', '--shard', '5/8'], /more shards \(8\) than simulations \(4\)/],
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '4', '--shard', 'x'], /--shard must be I\/K/],
    [['task', 'simulate', '--task', 'two_moons', '--n', '4', '--shard', '1/0'], /--shard 1\/0/],
    [['task', 'reference', '--task', 'gaussian_linear', '--x', '0,0,0,0,0,0,0,0,0,0', '--n', '4', '--shard', '0/2'], /--shard is for `task simulate`/],
  ];
  const results = await Promise.all(cases.map(([a], k) => mfnpe([...a, '--out', join(d, `o${k}.csv`)])));
  cases.forEach(([a, re], k) => {
    const r = results[k];
    assert.equal(r.code, 2, `${a.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  });
  assert.deepEqual(readdirSync(d), []);
});
