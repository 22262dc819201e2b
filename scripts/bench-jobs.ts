/**
 * Wall-clock speed-up of `mfnpe experiment --jobs N` over `--jobs 1` on a small grid (OU: 2 seeds ×
 * (NPE + 2 LF budgets) = 6 replicate units of a few seconds to a minute each), with the simulation
 * cache filled beforehand, so the timed runs train and evaluate only (the OU reference unit, exact and
 * cheap, runs in both). Also checks that both runs give the same metrics.csv.
 *
 *   node --import tsx scripts/bench-jobs.ts [--jobs 2] [--out /tmp/mfnpe-bench-jobs]
 *
 * Run it on a quiet machine: other load slows the parallel run more than the serial one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const jobs = Number(arg('jobs', '2'));
const base = arg('out', '/tmp/mfnpe-bench-jobs');
const root = join(import.meta.dirname, '..');
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
const config = join(base, 'grid.json');
writeFileSync(
  config,
  JSON.stringify({
    tasks: ['ou'],
    seeds: [0, 1],
    lfBudgets: [1000, 3000],
    hfBudgets: [50, 200],
    testSize: 100,
    nObs: 4,
    posteriorSamples: 500,
    figures: false,
    dataDir: join(base, 'data'),
  }),
);

function experiment(out: string, extra: string[]): number {
  const t0 = performance.now();
  execFileSync(process.execPath, [join(root, 'bin', 'mfnpe.js'), 'experiment', '--config', config, '--out', out, '--quiet', ...extra], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return (performance.now() - t0) / 1000;
}

// Warm-up: every simulation into the cache.
process.stderr.write('bench-jobs: warm-up run (simulations into the cache)…\n');
experiment(join(base, 'warm'), ['--jobs', '1']);
const load0 = loadavg()[0];
const serial = experiment(join(base, 'jobs1'), ['--jobs', '1']);
const parallel = experiment(join(base, `jobs${jobs}`), ['--jobs', String(jobs)]);
const same = readFileSync(join(base, 'jobs1', 'metrics.csv'), 'utf8') === readFileSync(join(base, `jobs${jobs}`, 'metrics.csv'), 'utf8');
console.log(
  `grid: OU, 2 seeds × (NPE + 2 LF budgets) = 6 replicate units + 1 reference unit; load average before ${load0.toFixed(2)}, after ${loadavg()[0].toFixed(2)}`,
);
console.log(
  `--jobs 1: ${serial.toFixed(1)} s; --jobs ${jobs}: ${parallel.toFixed(1)} s; speed-up ${(serial / parallel).toFixed(2)}×; metrics.csv identical: ${same}`,
);
console.log(JSON.stringify({ jobs, serial_s: serial, parallel_s: parallel, speedup: serial / parallel, identical: same }));
