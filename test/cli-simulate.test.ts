/**
 * The simulation CLI as a user runs it (a child process on the TypeScript sources): error handling
 * (exit 2, one stderr line, no stack, no file left), CSV output, seeds, workers, and resuming a
 * killed `--prior --n --out` run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const HEADER = 'g_na,g_k,g_l,n_spikes,mean_rest,std_rest,mean_stim';

function mfnpe(args: string[], cwd = ROOT): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function mfnpeAsync(args: string[], cwd = ROOT): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const OK_THETA = ['simulate', '--fidelity', 'lf', '--theta', '120,36,0.3', '--reps', '2'];
const ERROR_CASES: [string, string[], RegExp][] = [
  ['unknown command', ['simulatee'], /unknown command 'simulatee'/],
  ['unknown flag', [...OK_THETA, '--bogus', '1'], /unknown option --bogus/],
  ['missing fidelity', ['simulate', '--theta', '120,36,0.3', '--reps', '2'], /--fidelity/],
  ['unknown fidelity', ['simulate', '--fidelity', 'xf', '--theta', '120,36,0.3', '--reps', '2'], /--fidelity must be hf, mf or lf, got 'xf'/],
  ['two θ values', ['simulate', '--fidelity', 'lf', '--theta', '120,36', '--reps', '2'], /needs 3 comma-separated values, got 2/],
  ['four θ values', ['simulate', '--fidelity', 'hf', '--theta', '120,36,0.3,1', '--reps', '2'], /needs 3 comma-separated values, got 4/],
  ['non-numeric θ', ['simulate', '--fidelity', 'lf', '--theta', '120,abc,0.3', '--reps', '2'], /'abc'/],
  ['infinite θ', ['simulate', '--fidelity', 'lf', '--theta', '120,Infinity,0.3', '--reps', '2'], /finite/],
  ['NaN θ', ['simulate', '--fidelity', 'hf', '--theta', 'NaN,36,0.3', '--reps', '2'], /finite/],
  ['zero conductance', ['simulate', '--fidelity', 'lf', '--theta', '120,36,0', '--reps', '2'], /g_l must be positive/],
  ['negative conductance', ['simulate', '--fidelity', 'hf', '--theta', '-120,36,0.3', '--reps', '2'], /g_na must be positive/],
  ['HF without Na channels', ['simulate', '--fidelity', 'hf', '--theta', '0.001,36,0.3', '--reps', '2'], /Na channels/],
  ['reps 0', ['simulate', '--fidelity', 'lf', '--theta', '120,36,0.3', '--reps', '0'], /--reps must be an integer ≥ 1/],
  ['n 0', ['simulate', '--fidelity', 'lf', '--prior', '--n', '0'], /--n must be an integer ≥ 1/],
  ['n fractional', ['simulate', '--fidelity', 'lf', '--prior', '--n', '2.5'], /--n must be an integer/],
  ['n missing', ['simulate', '--fidelity', 'lf', '--prior'], /missing --n/],
  ['theta and prior', ['simulate', '--fidelity', 'lf', '--prior', '--n', '3', '--theta', '120,36,0.3'], /either --theta or --prior/],
  ['negative seed', ['simulate', '--fidelity', 'lf', '--prior', '--n', '3', '--seed', '-1'], /--seed/],
  ['non-integer seed', ['simulate', '--fidelity', 'lf', '--prior', '--n', '3', '--seed', 'x1'], /--seed/],
  ['workers 0', ['simulate', '--fidelity', 'lf', '--prior', '--n', '3', '--workers', '0'], /--workers/],
  ['bad format', ['simulate', '--fidelity', 'lf', '--prior', '--n', '3', '--format', 'xls'], /--format/],
  ['trace: bad θ', ['trace', '--fidelity', 'lf', '--theta', '1,2'], /needs 3 comma-separated values/],
  ['trace: unknown fidelity', ['trace', '--fidelity', 'x', '--theta', '120,36,0.3'], /--fidelity/],
  ['bench: unknown flag', ['bench', '--nope'], /unknown option --nope/],
  ['view: nothing to view', ['view'], /missing what to view/],
  ['view: missing file', ['view', 'file', '/nonexistent/x.csv'], /does not exist/],
  ['view: bad θ', ['view', 'trace', '--theta', '120,36'], /needs 3 comma-separated values/],
];

test('bad input: exit code 2, one line on stderr naming the problem, no stack trace', async () => {
  const results = await Promise.all(ERROR_CASES.map(([, args]) => mfnpeAsync(args)));
  ERROR_CASES.forEach(([name, , re], k) => {
    const r = results[k];
    assert.equal(r.code, 2, `${name}: exit code ${r.code}, stderr ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${name}: stderr has ${lines.length} lines: ${r.stderr}`);
    assert.match(lines[0], /^mfnpe: /, name);
    assert.match(lines[0], re, name);
    assert.doesNotMatch(r.stderr, /\n\s+at /, `${name}: stack trace`);
    assert.equal(r.stdout, '', `${name}: nothing on stdout`);
  });
});

test('bad input with --out leaves no file behind; unwritable outputs are refused before simulating', async () => {
  const d = join(dir, 'errs');
  mkdirSync(d);
  const cases: [string[], RegExp][] = [
    [['simulate', '--fidelity', 'lf', '--theta', '120,36,-1', '--reps', '2', '--out', join(d, 'a.csv')], /positive/],
    [['simulate', '--fidelity', 'hf', '--prior', '--n', '0', '--out', join(d, 'b.csv')], /--n/],
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '5', '--seed', 'abc', '--out', join(d, 'c.arrow')], /--seed/],
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '5', '--out', join(d, 'missing-folder', 'x.csv')], /cannot write .*does not exist/],
    [['simulate', '--fidelity', 'lf', '--prior', '--n', '5', '--out', d], /cannot write .*folder/],
    [['trace', '--fidelity', 'hf', '--theta', '120,36,0.3', '--png', join(d, 'no', 'x.png')], /cannot write/],
    [['trace', '--fidelity', 'hf', '--theta', '120,36,0', '--svg', join(d, 'x.svg'), '--out', join(d, 'x.csv')], /g_l/],
  ];
  const results = await Promise.all(cases.map(([a]) => mfnpeAsync(a)));
  cases.forEach(([a, re], k) => {
    const r = results[k];
    assert.equal(r.code, 2, `${a.join(' ')}: ${r.stderr}`);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, re);
  });
  assert.deepEqual(readdirSync(d), [], 'no file (not even a temporary or checkpoint) left behind');
});

test('simulate --theta --reps: CSV header and one row per simulation, θ repeated', () => {
  const r = mfnpe(['simulate', '--fidelity', 'lf', '--theta', '120,36,0.3', '--reps', '6', '--seed', '4']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], HEADER);
  assert.equal(lines.length, 7);
  for (const l of lines.slice(1)) {
    const cells = l.split(',').map(Number);
    assert.equal(cells.length, 7);
    assert.deepEqual(cells.slice(0, 3), [120, 36, 0.3]);
    assert.ok(cells.every(Number.isFinite));
    assert.ok(Number.isInteger(cells[3]) && cells[3] >= 0);
  }
  const h = mfnpe(['simulate', '--fidelity', 'hf', '--theta', '120,36,0.3', '--reps', '2']);
  assert.equal(h.code, 0, h.stderr);
  assert.equal(h.stdout.trimEnd().split('\n').length, 3);
});

test('seeds: same seed same output, different seed different output; default seed is 0', async () => {
  const args = ['simulate', '--fidelity', 'lf', '--prior', '--n', '20'];
  const [a, b, c, d] = await Promise.all([
    mfnpeAsync([...args, '--seed', '11']),
    mfnpeAsync([...args, '--seed', '11']),
    mfnpeAsync([...args, '--seed', '12']),
    mfnpeAsync([...args]),
  ]);
  const e = await mfnpeAsync([...args, '--seed', '0']);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(a.stdout, c.stdout);
  assert.equal(d.stdout, e.stdout);
});

test('--out FILE equals stdout; 1 and 2 workers give identical files', async () => {
  const f1 = join(dir, 'w1.csv');
  const f2 = join(dir, 'w2.csv');
  const args = ['simulate', '--fidelity', 'lf', '--prior', '--n', '400', '--seed', '8'];
  const [r1, r2, rs] = await Promise.all([
    mfnpeAsync([...args, '--workers', '1', '--out', f1]),
    mfnpeAsync([...args, '--workers', '2', '--out', f2]),
    mfnpeAsync(args),
  ]);
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(r2.code, 0, r2.stderr);
  const t1 = readFileSync(f1, 'utf8');
  assert.equal(t1.split('\n')[0], HEADER);
  assert.equal(t1.trimEnd().split('\n').length, 401);
  assert.equal(readFileSync(f2, 'utf8'), t1);
  assert.equal(rs.stdout, t1);
  assert.ok(!existsSync(f1 + '.partial') && !existsSync(f1 + '.partial.json'));
});

test('a killed `simulate --prior --n --out` run resumes where it stopped and gives the same file', async () => {
  const ref = join(dir, 'ref.csv');
  const out = join(dir, 'killed.csv');
  const args = (o: string, w: string) => [
    'simulate',
    '--fidelity',
    'lf',
    '--prior',
    '--n',
    '3000',
    '--seed',
    '21',
    '--workers',
    w,
    '--chunk',
    '16',
    '--out',
    o,
  ];
  const refRun = mfnpeAsync(args(ref, '1'));
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args(out, '1')], { cwd: ROOT, stdio: 'ignore' });
  const partial = out + '.partial';
  const rowBytes = 7 * 8;
  const t0 = Date.now();
  // Kill once some rows are checkpointed (but well before the end).
  while (!(existsSync(partial) && statSync(partial).size >= 200 * rowBytes)) {
    if (Date.now() - t0 > 60_000) throw new Error('checkpoint never grew');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGKILL');
  await new Promise((r) => child.on('exit', r));
  const kept = Math.floor(statSync(partial).size / rowBytes);
  assert.ok(kept >= 200 && kept < 3000, `kept ${kept} rows`);
  assert.ok(!existsSync(out), 'no output file after a kill');
  // Resume with another worker count: the rows do not depend on it.
  const resumed = await mfnpeAsync(args(out, '2'));
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`resuming .* at row ${kept} of 3000`));
  const r = await refRun;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(ref, 'utf8'));
  assert.ok(!existsSync(partial) && !existsSync(partial + '.json'), 'checkpoint removed');
});

test('Ctrl-C (SIGINT) stops a run at once with a resume hint and exit code 130, keeping the checkpoint', async () => {
  const out = join(dir, 'sigint.csv');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'simulate', '--fidelity', 'lf', '--prior', '--n', '20000', '--workers', '1', '--out', out], {
    cwd: ROOT,
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const t0 = Date.now();
  while (!(existsSync(out + '.partial') && statSync(out + '.partial').size > 0)) {
    if (Date.now() - t0 > 60_000) throw new Error('checkpoint never grew');
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  const code = await exited;
  assert.ok(Date.now() - t0 < 15_000, 'stopped long before the 20000 simulations were done');
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted after \d+ of 20000 rows; rerun the same command to resume/);
  assert.ok(existsSync(out + '.partial') && existsSync(out + '.partial.json') && !existsSync(out));
});

test('trace: CSV t,v with 5001 samples at dt = 0.01 ms, starting at V_rest', () => {
  const f = join(dir, 'trace.csv');
  const r = mfnpe(['trace', '--fidelity', 'lf', '--theta', '120,36,0.3', '--seed', '2', '--out', f]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(f, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], 't,v');
  assert.equal(lines.length, 5002);
  assert.equal(lines[1], '0,-65');
  assert.equal(lines[31].split(',')[0], '0.3');
  assert.equal(lines[5001].split(',')[0], '50');
  const s = mfnpe(['trace', '--fidelity', 'lf', '--theta', '120,36,0.3', '--seed', '2']);
  assert.equal(s.stdout, readFileSync(f, 'utf8'));
});

test('--help for the program and each simulation command', () => {
  const top = mfnpe(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /simulate/);
  for (const c of ['simulate', 'trace', 'bench', 'demo', 'view']) {
    const r = mfnpe([c, '--help']);
    assert.equal(r.code, 0, `${c}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`mfnpe ${c}`));
  }
});
