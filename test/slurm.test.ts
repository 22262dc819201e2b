/**
 * The shipped SLURM scripts on a real SLURM cluster: scripts/slurm/simulate.sh submits a job array
 * of 4 shards (simulate.sbatch) and the dependent merge (merge.sbatch), waits (`sbatch --wait`), and
 * the merged file must be byte for byte a local unsharded run's (LF prior simulations in CSV and
 * Arrow, and a benchmark task).
 *
 * Needs a reachable cluster (`sinfo` works; in CI scripts/slurm/start-cluster.sh starts a one-node
 * one and .ci/run exports SLURM_CONF). Without one the test is skipped, unless MFNPE_SLURM=1 (CI),
 * where a missing cluster is a failure. The output folders must be visible to the compute nodes:
 * MFNPE_SLURM_TMP (default: the system temporary folder, fine for a one-node cluster). Extra sbatch
 * options (partition, account…): MFNPE_SLURM_SBATCH_ARGS, split on spaces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';
import { TINY } from './helpers/tiny-config.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUBMIT = join(ROOT, 'scripts', 'slurm', 'simulate.sh');
const REQUIRED = process.env.MFNPE_SLURM === '1';

/** Why SLURM is not usable here, or null when `sinfo` answers. */
function slurmProblem(): string | null {
  const r = spawnSync('sinfo', ['-h', '-o', '%P %a %D %T'], { encoding: 'utf8', timeout: 30_000 });
  if (r.error) return `sinfo: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`;
  if (r.status !== 0) return `sinfo exited with ${r.status}: ${r.stderr.trim().split('\n')[0]}`;
  if (r.stdout.trim() === '') return 'sinfo shows no partition';
  return null;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { cwd: ROOT, env, timeout: 240_000 });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('error', reject);
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The logs of a run folder, for failure messages. */
function logs(out: string): string {
  const d = join(out, 'logs');
  if (!existsSync(d)) return '(no logs)';
  return readdirSync(d)
    .map((f) => `--- ${f}\n${readFileSync(join(d, f), 'utf8')}`)
    .join('\n');
}

const problem = slurmProblem();
const skip = problem !== null && !REQUIRED ? `no SLURM cluster reachable (${problem}); set MFNPE_SLURM=1 to require one` : false;

test('SLURM: simulate.sh (4-shard job array + dependent merge) gives the unsharded file byte for byte', { skip, timeout: 300_000 }, async (t) => {
  if (problem !== null) assert.fail(`MFNPE_SLURM=1 but no SLURM cluster is reachable: ${problem}`);
  const base = mkdtempSync(join(process.env.MFNPE_SLURM_TMP ?? tmpdir(), 'mfnpe-slurm-test-'));
  try {
    // Jobs run this checkout's sources (bin/mfnpe.js would prefer a possibly stale dist/).
    const env = { ...process.env, MFNPE_FROM_SOURCE: '1' };
    const extra = (process.env.MFNPE_SLURM_SBATCH_ARGS ?? '').split(' ').filter((s) => s !== '');
    const runs: { name: string; submit: string[]; local: string[]; ext: string }[] = [
      {
        name: 'prior-csv',
        submit: ['--n', '200', '--seed', '11', '--fidelity', 'lf', '--format', 'csv'],
        local: ['simulate', '--fidelity', 'lf', '--prior', '--n', '200', '--seed', '11', '--quiet'],
        ext: 'csv',
      },
      {
        name: 'prior-arrow',
        submit: ['--n', '200', '--seed', '11', '--fidelity', 'lf', '--format', 'arrow'],
        local: ['simulate', '--fidelity', 'lf', '--prior', '--n', '200', '--seed', '11', '--quiet'],
        ext: 'arrow',
      },
      {
        name: 'task-two_moons-csv',
        submit: ['--task', 'two_moons', '--fidelity', 'hf', '--n', '50', '--seed', '3', '--format', 'csv'],
        local: ['task', 'simulate', '--task', 'two_moons', '--n', '50', '--seed', '3'],
        ext: 'csv',
      },
    ];
    const t0 = Date.now();
    const results = await Promise.all(
      runs.map((r) => run(SUBMIT, [...r.submit, '--shards', '4', '--out-dir', join(base, r.name), '--wait', ...(extra.length ? ['--', ...extra] : [])], env)),
    );
    t.diagnostic(`SLURM part: ${((Date.now() - t0) / 1000).toFixed(1)} s for ${runs.length} arrays of 4 shards + merges`);
    for (const [k, r] of runs.entries()) {
      const out = join(base, r.name);
      const res = results[k];
      assert.equal(res.code, 0, `${r.name}: simulate.sh exited with ${res.code}\n${res.stderr}\n${logs(out)}`);
      assert.match(res.stdout, /^\d+ \d+\n$/, `${r.name}: simulate.sh prints the array and merge job ids`);
      assert.deepEqual(readdirSync(join(out, 'shards')).sort(), [0, 1, 2, 3].map((i) => `shard-${i}-of-4.${r.ext}`).sort());
      const ref = join(base, `${r.name}-local.${r.ext}`);
      assert.equal(await main([...r.local, '--out', ref]), 0);
      assert.ok(readFileSync(join(out, `simulations.${r.ext}`)).equals(readFileSync(ref)), `${r.name}: the SLURM-merged file differs from the local run`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

test('SLURM: experiment.sh (plan, arrays of units, dependent report) gives the tables of a local run', { skip, timeout: 400_000 }, async (t) => {
  if (problem !== null) assert.fail(`MFNPE_SLURM=1 but no SLURM cluster is reachable: ${problem}`);
  const base = mkdtempSync(join(process.env.MFNPE_SLURM_TMP ?? tmpdir(), 'mfnpe-slurm-exp-'));
  try {
    const env = { ...process.env, MFNPE_FROM_SOURCE: '1', MFNPE_QUIET: '1' };
    const extra = (process.env.MFNPE_SLURM_SBATCH_ARGS ?? '').split(' ').filter((s) => s !== '');
    // A tiny grid on both tasks (the configuration of test/experiment-repro.test.ts, one seed).
    const config = join(base, 'tiny.json');
    writeFileSync(config, JSON.stringify({ ...TINY, seeds: [0], hh: undefined }));
    const out = join(base, 'slurm');
    const t0 = Date.now();
    const r = await run(
      join(ROOT, 'scripts', 'slurm', 'experiment.sh'),
      ['--out-dir', out, '--config', config, '--wait', ...(extra.length ? ['--', ...extra] : [])],
      env,
    );
    t.diagnostic(`SLURM part: ${((Date.now() - t0) / 1000).toFixed(1)} s for the plan, 2 unit arrays and the report`);
    assert.equal(r.code, 0, `experiment.sh exited with ${r.code}\n${r.stderr}\n${logs(out)}`);
    assert.match(r.stdout, /^\d+ \d+ \d+\n$/, 'experiment.sh prints the two array ids and the report id');
    const local = join(base, 'local');
    const l = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src', 'cli', 'main.ts'),
        'experiment',
        '--config',
        config,
        '--data-dir',
        join(base, 'local-data'),
        '--out',
        local,
        '--jobs',
        '1',
      ],
      env,
    );
    assert.equal(l.code, 0, l.stderr);
    for (const f of ['metrics.csv', 'units.csv', 'summary.csv', 'paired.csv', 'ou/metrics.csv', 'ou/units.csv', 'ou/summary.csv', 'ou/paired.csv']) {
      assert.ok(readFileSync(join(out, f)).equals(readFileSync(join(local, f))), `${f}: the SLURM study differs from the local run`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
