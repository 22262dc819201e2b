/**
 * Reading a recorded voltage trace (src/tasks/recorded-trace.ts): a simulated trace written as
 * `t,v` CSV gives exactly the simulator's summary statistics; other uniform sampling intervals are
 * resampled to the simulator's grid; traces that do not fit the protocol are one-line InputErrors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError } from '../src/errors.js';
import { streamRng } from '../src/random.js';
import { simulateTrace } from '../src/simulators/simulate.js';
import { summaryStats } from '../src/simulators/summary.js';
import { recordedSummary } from '../src/tasks/recorded-trace.js';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-trace-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const v = simulateTrace('hf', [120, 36, 0.3], streamRng(4, 0)).v;

/** Writes rows (t, v) as a `t,v` CSV and returns its path. */
function csv(name: string, rows: [number, number][], header = 't,v'): string {
  const path = join(dir, name);
  writeFileSync(path, `${header}\n${rows.map(([t, x]) => `${t},${x}`).join('\n')}\n`);
  return path;
}

/** The simulated trace sampled every `step` grid points (step·0.01 ms), up to 50 ms. */
function every(step: number): [number, number][] {
  const rows: [number, number][] = [];
  for (let i = 0; i < v.length; i += step) rows.push([Number((i * 0.01).toFixed(6)), v[i]]);
  return rows;
}

test('a trace at the simulator dt gives exactly the simulator summary statistics', () => {
  const r = recordedSummary(csv('same.csv', every(1)));
  assert.deepEqual(Array.from(r.x), Array.from(summaryStats(v)));
  assert.ok(Math.abs(r.intervalMs - 0.01) < 1e-12);
});

test('finer sampling is resampled onto the grid (linear interpolation), coarser sampling stays close', () => {
  const fine: [number, number][] = [];
  for (let i = 0; i < v.length - 1; i++) fine.push([i * 0.01, v[i]], [i * 0.01 + 0.005, (v[i] + v[i + 1]) / 2]);
  fine.push([50, v[v.length - 1]]);
  const rf = recordedSummary(csv('fine.csv', fine));
  const ref = summaryStats(v);
  for (let j = 0; j < 4; j++) assert.ok(Math.abs(rf.x[j] - ref[j]) < 1e-9, `fine, statistic ${j}`);
  const coarse = recordedSummary(csv('coarse.csv', every(5)));
  assert.equal(coarse.x[0], ref[0], 'same spike count at 0.05 ms');
  assert.ok(Math.abs(coarse.x[1] - ref[1]) < 0.05 && Math.abs(coarse.x[3] - ref[3]) < 0.2);
});

test('traces that do not fit: one-line InputErrors', () => {
  const bad: [string, string, RegExp][] = [
    ['header.csv', csv('header.csv', every(1), 'time,voltage'), /not a voltage trace: expected the header t,v/],
    ['short.csv', csv('short.csv', every(1).slice(0, 2001)), /too short: it ends at t = 20 ms/],
    ['uneven.csv', csv('uneven.csv', [...every(1).slice(0, 100), ...every(1).slice(101)]), /unevenly sampled/],
    [
      'late.csv',
      csv(
        'late.csv',
        every(1).map(([t, x]) => [t + 1, x]),
      ),
      /starts at t = 1 ms/,
    ],
    ['coarse.csv', csv('coarse1.csv', every(100)), /sampled every 1(\.0+)? ms; spikes need at most 0.5 ms/],
    [
      'volts.csv',
      csv(
        'volts.csv',
        every(1).map(([t, x]) => [t, x / 1000]),
      ),
      /must be in mV/,
    ],
    ['one.csv', csv('one.csv', [[0, -65]]), /at least 2/],
  ];
  for (const [name, path, re] of bad) {
    assert.throws(
      () => recordedSummary(path),
      (e: Error) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'),
      name,
    );
  }
  writeFileSync(join(dir, 'nan.csv'), 't,v\n0,-65\n0.01,NaN\n');
  assert.throws(() => recordedSummary(join(dir, 'nan.csv')), /not a finite number/);
});
