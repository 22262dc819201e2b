/**
 * `mfnpe experiment`: the MF-NPE vs NPE study (docs/methods.md) on the HH task and the OU benchmark, writing
 * metrics, summary, paired differences, costs and figures (see src/experiment/report.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getBool, getString, parseArgs, parseCount, requireString } from './args.js';
import { checkWritable, ensureDir, writeFileAtomic } from '../data/atomic.js';
import { resolveConfigs, type ExperimentConfig } from '../experiment/config.js';
import { ouComparison } from '../experiment/published.js';
import { writeReport } from '../experiment/report.js';
import { runExperiment } from '../experiment/run.js';
import { InputError } from '../errors.js';

export const help = `mfnpe experiment [--config FILE.json] [--quick] --out DIR [options]

The MF-NPE study: for each seed, LF budget and HF budget, NPE on the HF pairs from scratch, MF-NPE
(pre-trained on LF, all weights fine-tuned on HF) and the LF-only flow (npe-lf), evaluated by NLTP on
a held-out HF test set and by C2ST/MMD at 10 test observations against a reference posterior (HH: NPE
trained once on a large HF budget, cached; OU: the exact posterior).
Default grid: 10³, 10⁴, 10⁵ LF × 50, 100, 500, 1000 HF × 5 seeds, HH reference on 10⁵ HF (hours).
--quick: 2 seeds; HH 10³ and 3·10³ LF × 50 and 200 HF, reference on 3·10³ HF; OU 10³ and 10⁴ LF ×
50, 100 and 1000 HF.

Output: the first task (default hh) in DIR, the others in DIR/<task>: metrics.csv
(method,n_lf,n_hf,seed,metric,value), units.csv, summary.csv, paired.csv, costs.csv,
costs-by-seed.csv, run.json and figures (*.svg, *.png). Simulations and the HH reference model are
cached in --data-dir (default data/) and reused: the same seeds give the same data.

  --config FILE    JSON settings: top-level keys for every task, "hh"/"ou" objects per task,
                   "tasks": ["hh", "ou"]; keys: lfBudgets, hfBudgets, seeds, testSize, testSeed,
                   nObs, posteriorSamples, reference {sims, seed}, flow {hidden, layers,
                   transforms, bins}, pretrain/finetune/npe {learningRate, maxEpochs, patience,
                   batchSize; finetune.freeze, finetune.refitX}, c2st {folds, stopping}, dataDir, workers, figures,
                   predictiveDraws
  --quick          the small grid (about 10 minutes on 2 cores)
  --tasks LIST     hh, ou or hh,ou (default: the config's, else hh,ou)
  --data-dir DIR   simulation cache (default data)
  --workers W      simulation worker threads (default: all cores)
  --no-figures     skip the SVG/PNG figures
  --sequential     run the tasks one after the other (default: the second task in a child
                   process alongside the first when the machine has ≥ 2 cores; TensorFlow.js on
                   WebAssembly uses one core per process)
  --quiet          no progress on stderr`;

function readConfigFile(path: string): unknown {
  if (!existsSync(path)) throw new InputError(`--config ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new InputError(`--config ${path} is a folder, expected a JSON file`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new InputError(`--config ${path} is not valid JSON (${(e as Error).message})`);
  }
}

/** Folder of each task's results: the first task in DIR, the others in DIR/<task>. */
export function taskDirs(out: string, configs: readonly ExperimentConfig[]): string[] {
  return configs.map((c, i) => (i === 0 ? out : join(out, c.task)));
}

export async function run(argv: string[]): Promise<void> {
  const p = parseArgs(
    argv,
    {
      config: 'string',
      quick: 'boolean',
      out: 'string',
      tasks: 'string',
      'data-dir': 'string',
      workers: 'string',
      'no-figures': 'boolean',
      sequential: 'boolean',
      quiet: 'boolean',
    },
    'experiment',
  );
  if (p.positionals.length > 0) throw new InputError(`unexpected argument '${p.positionals[0]}' for 'experiment'`);
  const out = requireString(p, 'out');
  if (existsSync(out) && !statSync(out).isDirectory()) throw new InputError(`--out ${out} is a file; expected a folder`);
  const configPath = getString(p, 'config');
  const json = (configPath ? readConfigFile(configPath) : {}) as Record<string, unknown>;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InputError(`--config ${configPath}: expected a JSON object`);
  const tasksText = getString(p, 'tasks');
  if (tasksText !== undefined) json.tasks = tasksText.split(',').map((t) => t.trim().toLowerCase());
  const dataDir = getString(p, 'data-dir');
  if (dataDir !== undefined) json.dataDir = dataDir;
  const workers = getString(p, 'workers');
  if (workers !== undefined) json.workers = parseCount(workers, '--workers');
  if (getBool(p, 'no-figures')) json.figures = false;
  const configs = resolveConfigs(json, getBool(p, 'quick'));
  const quiet = getBool(p, 'quiet');

  const dirs = taskDirs(out, configs);
  for (const d of dirs) {
    ensureDir(d);
    checkWritable(join(d, 'metrics.csv'));
  }
  const t0 = performance.now();
  // The resolved settings of each task, saved beside its results (and read by child processes).
  configs.forEach((cfg, i) => {
    const { task, ...rest } = cfg;
    writeFileAtomic(join(dirs[i], 'config.json'), JSON.stringify({ tasks: [task], ...rest }, null, 2) + '\n');
  });
  const parallel = !getBool(p, 'sequential') && configs.length > 1 && cpus().length >= 2;
  const children = parallel ? configs.slice(1).map((_cfg, i) => runChild(join(dirs[i + 1], 'config.json'), dirs[i + 1], quiet)) : [];
  const texts: string[] = [];
  for (const [i, cfg] of configs.entries()) {
    if (parallel && i > 0) break;
    const res = await runExperiment(cfg, { quiet });
    texts.push(await writeReport(res, dirs[i], { totalWallSeconds: (performance.now() - t0) / 1000 }));
    if (cfg.task === 'ou') texts.push(ouComparison(res));
    if (!quiet) process.stderr.write(`[${cfg.task}] results in ${dirs[i]} (${res.wallSeconds.toFixed(0)} s)\n`);
  }
  for (const c of children) {
    const r = await c;
    if (r.code !== 0) throw new Error(`the experiment's child process failed (exit ${r.code})`);
    texts.push(r.stdout.replace(/\n*wall-clock of the whole study.*$/s, '').trimEnd());
  }
  console.log(texts.join('\n\n'));
  console.log(`\nwall-clock of the whole study: ${((performance.now() - t0) / 1000).toFixed(0)} s; files in ${dirs.join(', ')}`);
}

/** Runs `mfnpe experiment --config FILE --out DIR --sequential` in a child process (its stderr passes through). */
function runChild(config: string, out: string, quiet: boolean): Promise<{ code: number | null; stdout: string }> {
  const fromSource = import.meta.url.endsWith('.ts');
  const bin = fileURLToPath(new URL('../../bin/mfnpe.js', import.meta.url));
  const env = { ...process.env, ...(fromSource ? { MFNPE_FROM_SOURCE: '1' } : {}) };
  const args = [bin, 'experiment', '--config', config, '--out', out, '--sequential', ...(quiet ? ['--quiet'] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout }));
    const kill = () => child.kill('SIGTERM');
    process.once('exit', kill);
  });
}
