/**
 * Batch simulation: determinism across workers and chunkings, seeds, prior draws, ordered delivery,
 * and resuming an interrupted `simulate --out` run from its checkpoint.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROW_WIDTH, runBatch, simulateBatch, simulateRows, defaultChunkSize, type BatchJob } from '../src/simulators/batch.js';
import { RowCheckpoint, checkpointPaths } from '../src/data/checkpoint.js';
import { executeSimulate, parseSimulate, SimulatedInterruption } from '../src/cli/simulate.js';
import { HH_PRIOR_HIGH, HH_PRIOR_LOW } from '../src/prior.js';

const lfPrior: BatchJob = { fidelity: 'lf', seed: 3, theta: null };

test('rows depend only on (job, index): any split gives the same rows', () => {
  const all = simulateRows(lfPrior, 0, 10).rows;
  const tail = simulateRows(lfPrior, 6, 10).rows;
  assert.deepEqual(tail, all.subarray(6 * ROW_WIDTH));
  assert.equal(all.length, 10 * ROW_WIDTH);
});

test('prior draws lie in the prior box and differ between rows', () => {
  const { rows } = simulateRows(lfPrior, 0, 50);
  for (let i = 0; i < 50; i++) {
    for (let j = 0; j < 3; j++) {
      const v = rows[i * ROW_WIDTH + j];
      assert.ok(v >= HH_PRIOR_LOW[j] && v <= HH_PRIOR_HIGH[j], `row ${i} θ_${j} = ${v}`);
    }
    for (let j = 3; j < ROW_WIDTH; j++) assert.ok(Number.isFinite(rows[i * ROW_WIDTH + j]));
  }
  assert.notEqual(rows[0], rows[ROW_WIDTH]);
});

test('same seed gives the same rows, another seed different rows', () => {
  const a = simulateRows({ fidelity: 'lf', seed: 1, theta: [120, 36, 0.3] }, 0, 5).rows;
  const b = simulateRows({ fidelity: 'lf', seed: 1, theta: [120, 36, 0.3] }, 0, 5).rows;
  const c = simulateRows({ fidelity: 'lf', seed: 2, theta: [120, 36, 0.3] }, 0, 5).rows;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  for (let i = 0; i < 5; i++) assert.deepEqual(Array.from(a.subarray(i * ROW_WIDTH, i * ROW_WIDTH + 3)), [120, 36, 0.3]);
});

test('1 worker (calling thread) and 2 worker threads give identical output, delivered in order', async () => {
  const n = 150;
  const one = await simulateBatch(lfPrior, n, { workers: 1 });
  const starts: number[] = [];
  const two = new Float64Array(n * ROW_WIDTH);
  const r = await runBatch(lfPrior, n, {
    workers: 2,
    forcePool: true,
    chunkSize: 7,
    onRows: (s, rows) => {
      starts.push(s);
      two.set(rows, s * ROW_WIDTH);
    },
  });
  assert.equal(r.workersUsed, 2);
  assert.deepEqual(two, one.rows);
  assert.deepEqual(
    starts,
    [...starts].sort((a, b) => a - b),
    'chunks arrive in index order',
  );
  assert.equal(starts[0], 0);
  // Default (guided, shrinking) chunks on 2 workers: same rows again.
  const guided = await simulateBatch(lfPrior, n, { workers: 2, forcePool: true });
  assert.deepEqual(guided.rows, one.rows);
});

test('HF batch on 2 workers equals the calling thread, events counted', async () => {
  const job: BatchJob = { fidelity: 'hf', seed: 9, theta: [120, 36, 0.3] };
  const one = await simulateBatch(job, 4, { workers: 1 });
  const two = await simulateBatch(job, 4, { workers: 2, forcePool: true, chunkSize: 1 });
  assert.deepEqual(two.rows, one.rows);
  assert.equal(two.events, one.events);
  assert.ok(one.events > 4 * 1e5, `events ${one.events}`);
});

test('default chunk sizes keep both workers busy', () => {
  assert.equal(defaultChunkSize('hf', 100, 2), 4);
  assert.equal(defaultChunkSize('lf', 100000, 2), 32);
  assert.equal(defaultChunkSize('lf', 10, 2), 1);
});

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'mfnpe-batch-'));
}

test('checkpoint keeps whole rows only and restarts when the arguments change', () => {
  const dir = tmp();
  try {
    const out = join(dir, 'x.csv');
    const cp = RowCheckpoint.open(out, 3, { a: 1 });
    cp.append(Float64Array.of(1, 2, 3, 4, 5, 6));
    cp.close();
    const p = checkpointPaths(out);
    // A torn row (kill during a write) is dropped on resume.
    writeFileSync(p.rows, Buffer.concat([readFileSync(p.rows), Buffer.alloc(10)]));
    const again = RowCheckpoint.open(out, 3, { a: 1 });
    assert.equal(again.rowsDone, 2);
    assert.deepEqual(
      [...again.read()].map((c) => Array.from(c.rows)),
      [[1, 2, 3, 4, 5, 6]],
    );
    again.close();
    assert.equal(statSync(p.rows).size, 48);
    const other = RowCheckpoint.open(out, 3, { a: 2 });
    assert.equal(other.rowsDone, 0);
    other.remove();
    assert.ok(!existsSync(p.rows) && !existsSync(p.meta));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an interrupted simulate --prior --out run resumes and gives the uninterrupted output', async () => {
  const dir = tmp();
  try {
    const ref = join(dir, 'ref.csv');
    const out = join(dir, 'out.csv');
    const args = (o: string) => ['--fidelity', 'lf', '--prior', '--n', '200', '--seed', '5', '--workers', '1', '--chunk', '16', '--quiet', '--out', o];
    await executeSimulate(parseSimulate(args(ref)));
    await assert.rejects(executeSimulate(parseSimulate(args(out)), { stopAfterRows: 64 }), SimulatedInterruption);
    assert.ok(!existsSync(out), 'no output file before completion');
    const p = checkpointPaths(out);
    assert.equal(statSync(p.rows).size, 64 * ROW_WIDTH * 8);
    truncateSync(p.rows, 64 * ROW_WIDTH * 8 - 5); // and the last row torn
    const res = await executeSimulate(parseSimulate(args(out)));
    assert.equal(res.resumedFrom, 63);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(ref, 'utf8'));
    assert.ok(!existsSync(p.rows) && !existsSync(p.meta), 'checkpoint removed on success');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkpoint of different arguments (seed) is not resumed', async () => {
  const dir = tmp();
  try {
    const out = join(dir, 'out.csv');
    const ref = join(dir, 'ref.csv');
    const args = (o: string, seed: string) => [
      '--fidelity',
      'lf',
      '--prior',
      '--n',
      '40',
      '--seed',
      seed,
      '--workers',
      '1',
      '--chunk',
      '8',
      '--quiet',
      '--out',
      o,
    ];
    await assert.rejects(executeSimulate(parseSimulate(args(out, '1')), { stopAfterRows: 16 }), SimulatedInterruption);
    const res = await executeSimulate(parseSimulate(args(out, '2')));
    assert.equal(res.resumedFrom, 0);
    await executeSimulate(parseSimulate(args(ref, '2')));
    assert.equal(readFileSync(out, 'utf8'), readFileSync(ref, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
