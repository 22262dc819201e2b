/**
 * Training and test sets cannot share streams by accident: `--purpose test` draws simulation i from
 * stream (S, 2⁴⁰ + i), the experiment's test streams, disjoint from the training streams (S, i).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { main } from '../src/cli/main.js';
import { readArrow } from '../src/data/arrow.js';
import { parseCsv } from '../src/data/csv.js';
import { STREAM_OFFSET } from '../src/random.js';
import { getTask } from '../src/tasks/registry.js';

process.env.MFNPE_QUIET = '1';
const dir = mkdtempSync(join(tmpdir(), 'mfnpe-purpose-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

function rows(path: string): Float64Array {
  return parseCsv(readFileSync(path, 'utf8')).data;
}

test('task simulate --purpose test uses the test streams; train and test rows differ', async () => {
  const train = join(dir, 'train.csv');
  const testSet = join(dir, 'test.csv');
  await main(['task', 'simulate', '--task', 'ou', '--n', '5', '--seed', '3', '--out', train]);
  await main(['task', 'simulate', '--task', 'ou', '--n', '5', '--seed', '3', '--purpose', 'test', '--out', testSet]);
  const expected = await getTask('ou').sampleJoint(5, 3, { offset: STREAM_OFFSET.test });
  const got = rows(testSet);
  const D = 2;
  const C = 10;
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(Array.from(got.subarray(i * (D + C), i * (D + C) + D)), Array.from(expected.theta.subarray(i * D, i * D + D)));
  }
  assert.notDeepEqual(Array.from(rows(train)), Array.from(got));
});

test('simulate --prior --purpose test differs from the training rows of the same seed and says so in its provenance', async () => {
  const train = join(dir, 'lf-train.csv');
  const testSet = join(dir, 'lf-test.arrow');
  await main(['simulate', '--fidelity', 'lf', '--prior', '--n', '4', '--seed', '2', '--workers', '1', '--quiet', '--out', train]);
  await main(['simulate', '--fidelity', 'lf', '--prior', '--n', '4', '--seed', '2', '--workers', '1', '--quiet', '--purpose', 'test', '--out', testSet]);
  const t = readArrow(testSet);
  assert.equal(t.metadata.purpose, 'test');
  assert.notDeepEqual(Array.from(t.data.subarray(0, 3)), Array.from(rows(train).subarray(0, 3)));
});

test('a bad --purpose is one line naming the value', async () => {
  await assert.rejects(main(['task', 'simulate', '--task', 'ou', '--n', '2', '--purpose', 'validation']), /--purpose must be train or test, got 'validation'/);
});
