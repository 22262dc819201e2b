/**
 * The worker pool of `mfnpe experiment --jobs` (src/experiment/processes.ts): a unit that fails in
 * its worker rejects with its one-line message and refuses the units after it; a worker that dies
 * fails the study with the way it ended; closing the pool ends every worker.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveConfigs } from '../src/experiment/config.js';
import { workerPool } from '../src/experiment/processes.js';
import { studyPlan, writeStudyConfigs } from '../src/experiment/study.js';
import { TINY } from './helpers/tiny-config.js';

const dir = mkdtempSync(join(tmpdir(), 'mfnpe-workers-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
writeStudyConfigs(studyPlan(resolveConfigs({ ...TINY, tasks: ['ou'], dataDir: join(dir, 'data') }, false), dir));

/** Whether a process is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('a failing unit rejects with its message, later units are refused, close ends the workers', async () => {
  const pool = workerPool(2, true);
  const pids = pool.pids();
  assert.equal(pids.length, 2);
  await assert.rejects(pool.run({ dir, unit: 'ou/seed9/npe' }), /^Error: unit ou\/seed9\/npe: no unit ou\/seed9\/npe in /);
  await assert.rejects(pool.run({ dir, unit: 'ou/reference' }), /unit ou\/seed9\/npe: no unit/);
  await pool.close();
  assert.deepEqual(pool.pids(), []);
  assert.ok(pids.every((pid) => !alive(pid)));
});

test('a worker that dies fails the study with the way it ended', async () => {
  const pool = workerPool(1, true);
  const running = pool.run({ dir, unit: 'ou/reference' });
  process.kill(pool.pids()[0], 'SIGKILL');
  await assert.rejects(running, /worker process died \(killed by SIGKILL\)/);
  await assert.rejects(pool.run({ dir, unit: 'ou/seed0/npe' }), /killed by SIGKILL/);
  await pool.close();
});
