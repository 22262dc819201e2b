/**
 * The study runs unit by unit with the same results whichever way the units run: in this process
 * (--jobs 1), in two worker processes (--jobs 2), or one `--unit` at a time as cluster jobs do and
 * then `--report`. All give the metrics.csv of the pre-refactor fixtures (test/data/README.md). An
 * interrupted study resumes: only the missing unit reruns. --plan prints every unit with an estimate.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TINY } from './helpers/tiny-config.js';
import { mfnpe as runMfnpe } from './helpers/cli.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'data', 'experiment');
const dir = mkdtempSync(join(tmpdir(), 'mfnpe-units-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

const config = join(dir, 'tiny.json');
writeFileSync(config, JSON.stringify({ ...TINY, dataDir: join(dir, 'data') }));

const mfnpe = (args: string[]) => runMfnpe(args, 600000);

/** The files that must agree between two runs of the same study (costs carry measured seconds). */
function results(out: string): string[] {
  return ['metrics.csv', 'units.csv', 'summary.csv', 'paired.csv', 'ou/metrics.csv', 'ou/units.csv', 'ou/summary.csv', 'ou/paired.csv'].map((f) =>
    readFileSync(join(out, f), 'utf8'),
  );
}

function fixture(task: string): string {
  return readFileSync(join(FIXTURES, `tiny-${task}-metrics.csv`), 'utf8');
}

test('--jobs 1 and --jobs 2 give the same results, equal to the fixtures', () => {
  const one = join(dir, 'jobs1');
  const two = join(dir, 'jobs2');
  for (const [out, jobs] of [
    [one, '1'],
    [two, '2'],
  ]) {
    const r = mfnpe(['experiment', '--config', config, '--out', out, '--jobs', jobs]);
    assert.equal(r.code, 0, r.stderr);
  }
  assert.deepEqual(results(two), results(one));
  assert.equal(readFileSync(join(one, 'metrics.csv'), 'utf8'), fixture('hh'));
  assert.equal(readFileSync(join(one, 'ou', 'metrics.csv'), 'utf8'), fixture('ou'));
});

test('--plan, one --unit at a time, --report: the same results; a missing unit file reruns alone', () => {
  const out = join(dir, 'units');
  const plan = mfnpe(['experiment', '--config', config, '--out', out, '--plan']);
  assert.equal(plan.code, 0, plan.stderr);
  const lines = plan.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const total = lines.pop();
  assert.equal(total.total_units, lines.length);
  assert.ok(lines.every((u) => u.estimated_cpu_s >= 0) && total.estimated_cpu_s >= 0);
  const early = mfnpe(['experiment', '--out', out, '--unit', 'hh/seed0/npe']);
  assert.equal(early.code, 2);
  assert.match(early.stderr, /needs hh\/reference done first/);
  for (const stage of [0, 1]) {
    for (const u of lines.filter((l) => l.stage === stage)) {
      const r = mfnpe(['experiment', '--out', out, '--unit', u.id]);
      assert.equal(r.code, 0, `${u.id}: ${r.stderr}`);
    }
  }
  assert.equal(mfnpe(['experiment', '--report', out]).code, 0);
  assert.deepEqual(results(out), results(join(dir, 'jobs1')));
  // Resume: delete one unit's file; a rerun of the whole study recomputes only that unit.
  const keep = join(out, 'units', 'seed0-npe.json');
  const other = join(out, 'ou', 'units', 'seed1-lf200.json');
  const before = statSync(keep).mtimeMs;
  unlinkSync(other);
  const again = mfnpe(['experiment', '--config', config, '--out', out, '--jobs', '1']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(statSync(keep).mtimeMs, before);
  assert.deepEqual(results(out), results(join(dir, 'jobs1')));
  const done = mfnpe(['experiment', '--out', out, '--unit', 'hh/seed0/npe']);
  assert.match(done.stdout, /results complete, nothing to do/);
  const bad = mfnpe(['experiment', '--out', out, '--unit', 'hh/seed9/npe']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /no such unit/);
});
