/**
 * The metric and task commands as a user runs them (child processes on the sources):
 * `mfnpe c2st`, `mfnpe mmd`, `mfnpe task simulate|reference`; bad input → one line, exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mfnpe as runMfnpe } from './helpers/cli.js';

const DIR = mkdtempSync(join(tmpdir(), 'mfnpe-metrics-cli-'));

const mfnpe = (args: string[]) => runMfnpe(args, 120000);
const F = (name: string) => join(DIR, name);
const lastLine = (s: string) => s.trim().split('\n').pop()!;
function oneLineError(r: { code: number | null; stderr: string }, pattern: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], pattern);
}

test('task simulate → c2st and mmd on the files; task reference', () => {
  let r = mfnpe(['task', 'simulate', '--task', 'gaussian_mixture', '--n', '400', '--seed', '1', '--out', F('a.csv')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = readFileSync(join(DIR, 'a.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'theta_1,theta_2,x_1,x_2');
  assert.equal(lines.length, 401);
  r = mfnpe(['task', 'simulate', '--task', 'ou', '--fidelity', 'lf', '--n', '5', '--out', F('ou.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(DIR, 'ou.csv'), 'utf8').split('\n')[0], 'theta_1,theta_2,' + Array.from({ length: 10 }, (_, j) => `x_${j + 1}`).join(','));

  r = mfnpe(['task', 'reference', '--task', 'gaussian_mixture', '--x=-0.64,0.16', '--n', '300', '--seed', '2', '--out', F('p.csv')]);
  assert.equal(r.code, 0, r.stderr);
  r = mfnpe(['task', 'reference', '--task', 'gaussian_mixture', '--x', '-0.64,0.16', '--n', '300', '--seed', '3', '--out', F('q.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(join(DIR, 'p.csv'), 'utf8').split('\n').length, 302);

  r = mfnpe(['c2st', F('p.csv'), F('q.csv'), '--seed', '1']);
  assert.equal(r.code, 0, r.stderr);
  const acc = Number(lastLine(r.stdout));
  assert.ok(acc > 0.35 && acc < 0.65, `c2st ${acc}`);
  r = mfnpe(['mmd', F('p.csv'), F('q.csv')]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Math.abs(Number(lastLine(r.stdout))) < 0.05, r.stdout);
});

test('bad input: one line on stderr, exit code 2', () => {
  writeFileSync(join(DIR, 'empty.csv'), '');
  writeFileSync(join(DIR, 'bad.csv'), 'a,b\n1,2\n3,x\n');
  writeFileSync(join(DIR, 'one.csv'), 'a\n1\n2\n');
  writeFileSync(join(DIR, 'two.csv'), 'a,b\n1,2\n2,3\n');
  oneLineError(mfnpe(['c2st', F('empty.csv'), F('two.csv')]), /empty/);
  oneLineError(mfnpe(['mmd', F('bad.csv'), F('two.csv')]), /'x' is not a finite number/);
  oneLineError(mfnpe(['c2st', F('one.csv'), F('two.csv')]), /1 columns .* 2/);
  oneLineError(mfnpe(['mmd', F('one.csv'), F('two.csv')]), /same dimension/);
  oneLineError(mfnpe(['mmd', F('missing.csv'), F('two.csv')]), /does not exist/);
  oneLineError(mfnpe(['c2st', F('two.csv')]), /two CSV files/);
  oneLineError(mfnpe(['task', 'reference', '--task', 'two_moons', '--x=-0.64,0.16', '--n', '10']), /no exact reference posterior/);
  oneLineError(mfnpe(['task', 'simulate', '--task', 'slcp', '--n', '10', '--fidelity', 'lf']), /no 'lf' simulator/);
  oneLineError(mfnpe(['task', 'simulate', '--task', 'moons', '--n', '10']), /unknown task 'moons'.*two_moons/);
  oneLineError(mfnpe(['task', 'reference', '--task', 'ou', '--x', '1,2', '--n', '10', '--out', F('no.csv')]), /--x needs 10/);
  assert.equal(existsSync(join(DIR, 'no.csv')), false);
});
