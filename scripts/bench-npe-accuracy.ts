/**
 * NPE accuracy on the SBI benchmark (Lueckmann et al. 2021): C2ST between 10⁴ posterior samples
 * and the public reference samples, for each of the 10 observations of two_moons,
 * gaussian_linear, slcp and gaussian_mixture, at 10³ and 10⁴ simulations, next to the published
 * NPE numbers (../shared/benchmarks/sbibm-npe-results.csv).
 *
 * Usage: node --import tsx scripts/bench-npe-accuracy.ts [--tasks a,b] [--sims 1000,10000]
 *          [--obs 1-10] [--seed S] [--out results/npe-accuracy.csv] [--benchmarks DIR] [--layers L]
 *          [--per-observation] [--table-only] [--logit-scale F] [--c2st-stopping sbibm]
 *          [--support rejection] [--seeds 0-9]
 *
 * `--support rejection` handles box priors as sbibm's published NPE runs did (no logit transform;
 * draws outside the prior box rejected) instead of our default logit transform; rows get the seed
 * prefix "rej-". `--seeds A-B` runs several seeds in turn and adds a row per task and budget with
 * the mean over all (seed, observation) scores and its standard error over seeds.
 * `--c2st-stopping sbibm` scores with scikit-learn's stopping rule (the classifier the published numbers
 * used; slower) instead of our default validation-based stopping; its rows get the seed prefix "sk-".
 * The reference files are .csv.bz2: decompressed with `bunzip2 -c` (Node has no bz2).
 *
 * Protocol note: NPE is amortized, so by default one network is trained per (task, budget, seed)
 * and evaluated at all observations; sbibm trains one network per observation (different seeds),
 * which `--per-observation` reproduces (network seed = seed·100 + observation; rows get that seed).
 * Rows are appended to the output CSV as they finish; the markdown table is printed at the end.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getTask } from '../src/tasks/registry.js';
import { NPE } from '../src/inference/npe.js';
import { BOX_SUPPORTS, type BoxSupport } from '../src/inference/posterior.js';
import { c2st } from '../src/metrics/c2st.js';
import { parseCsv } from '../src/data/csv.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function range(spec: string): number[] {
  const m = /^(\d+)-(\d+)$/.exec(spec);
  if (m) return Array.from({ length: Number(m[2]) - Number(m[1]) + 1 }, (_, i) => Number(m[1]) + i);
  return spec.split(',').map(Number);
}

const tasks = arg('tasks', 'two_moons,gaussian_linear,slcp,gaussian_mixture').split(',');
const budgets = arg('sims', '1000,10000').split(',').map(Number);
const observations = range(arg('obs', '1-10'));
const seeds = range(arg('seeds', arg('seed', '0')));
const layers = Number(arg('layers', '2'));
/** Spline logit scale (default 1 as zuko; sbi's nflows NSF uses 1/√hidden ≈ 0.141). */
const logitScale = Number(arg('logit-scale', '1'));
const out = arg('out', join(ROOT, 'results', 'npe-accuracy.csv'));
const benchDir = arg('benchmarks', join(ROOT, '..', 'shared', 'benchmarks'));
/** One network per observation (seed = seed·100 + observation), as sbibm does, instead of one amortized network. */
const perObservation = process.argv.includes('--per-observation');
/** C2ST stopping rule: 'validation' (ours, default) or 'sbibm' (scikit-learn's, as the published numbers). */
const c2stStopping = arg('c2st-stopping', 'validation') as 'validation' | 'sbibm';
/** How box priors are handled: 'logit' (default) or 'rejection' (sbibm's published NPE runs). */
const support = arg('support', 'logit') as BoxSupport;
if (!BOX_SUPPORTS.includes(support)) throw new Error(`--support must be one of ${BOX_SUPPORTS.join(', ')}, got ${support}`);

function readBz2Csv(path: string): { columns: readonly string[]; data: Float64Array } {
  const text = execFileSync('bunzip2', ['-c', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return parseCsv(text, path);
}

function obsDir(task: string, k: number): string {
  return join(benchDir, 'sbibm', task, `num_observation_${k}`);
}

/** Published NPE C2ST means from the benchmark's results file. */
function published(): Map<string, number> {
  const m = new Map<string, number>();
  const p = join(benchDir, 'sbibm-npe-results.csv');
  if (!existsSync(p)) return m;
  const lines = readFileSync(p, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  for (const l of lines.slice(1)) {
    const c = l.split(',');
    const row = Object.fromEntries(head.map((h, i) => [h, c[i]]));
    if (row.algorithm === 'NPE') m.set(`${row.task}/${row.num_simulations}`, Number(row.c2st_mean));
  }
  return m;
}

mkdirSync(dirname(out), { recursive: true });
if (!existsSync(out)) writeFileSync(out, 'task,sims,observation,seed,c2st,epochs,train_seconds\n');
/** The seed column of a run's rows: the seed, or "per-obs-<seed>" for --per-observation runs, with option prefixes. */
const prefix = (c2stStopping === 'sbibm' ? 'sk-' : '') + (support === 'rejection' ? 'rej-' : '') + (logitScale !== 1 ? `ls${logitScale}-` : '');
const seedColumn = (seed: number) => prefix + (perObservation ? `per-obs-${seed}` : String(seed));

/** Scores already in the output file, by "task/sims" and observation (runs resume, or split across processes). */
function readDone(rowSeed: string): Map<string, Map<number, number>> {
  const done = new Map<string, Map<number, number>>();
  for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) {
    const [t, s, o, sd, c] = line.split(',');
    if (sd !== rowSeed) continue;
    const key = `${t}/${s}`;
    if (!done.has(key)) done.set(key, new Map());
    done.get(key)!.set(Number(o), Number(c));
  }
  return done;
}

function readPlainCsv(path: string): { data: Float64Array } {
  return parseCsv(readFileSync(path, 'utf8'), path);
}

/** Observation k of a task and its reference samples, read (and decompressed) once per run. */
const observationCache = new Map<string, { xo: Float64Array; ref: { data: Float64Array } }>();
function observation(name: string, k: number): { xo: Float64Array; ref: { data: Float64Array } } {
  const key = `${name}/${k}`;
  let o = observationCache.get(key);
  if (!o) {
    o = { xo: readPlainCsv(join(obsDir(name, k), 'observation.csv')).data, ref: readBz2Csv(join(obsDir(name, k), 'reference_posterior_samples.csv.bz2')) };
    observationCache.set(key, o);
  }
  return o;
}

for (const seed of seeds)
  for (const name of process.argv.includes('--table-only') ? [] : tasks) {
    const task = getTask(name);
    const rowSeed = seedColumn(seed);
    for (const sims of budgets) {
      const key = `${name}/${sims}`;
      const todo = observations.filter((k) => !readDone(rowSeed).get(key)?.has(k));
      if (todo.length === 0) {
        process.stderr.write(`${key}: already in ${out}, skipped\n`);
        continue;
      }
      const runOne = async (netSeed: number, obs: number[]) => {
        const t0 = performance.now();
        const data = await task.sampleJoint(sims, netSeed);
        const npe = new NPE(task, { seed: netSeed, support, flow: { layers, logitScale } }).appendSimulations(data.theta, data.x);
        const posterior = await npe.train({ label: `${key} seed ${netSeed}` });
        const result = npe.result!;
        const trainSec = (performance.now() - t0) / 1000;
        process.stderr.write(`${key}: trained in ${trainSec.toFixed(0)} s, ${result.epochs} epochs\n`);
        for (const k of obs) {
          const { xo, ref } = observation(name, k);
          const nRef = ref.data.length / task.thetaDim;
          const samples = await posterior.sample(nRef, xo, netSeed * 1000 + k);
          const acc = await c2st(ref.data, samples, task.thetaDim, { seed: k, stopping: c2stStopping });
          appendFileSync(out, `${name},${sims},${k},${rowSeed},${acc.toFixed(4)},${result.epochs},${trainSec.toFixed(1)}\n`);
          process.stderr.write(`${key} observation ${k}: C2ST ${acc.toFixed(3)}\n`);
        }
        posterior.dispose();
      };
      if (perObservation) for (const k of todo) await runOne(seed * 100 + k, [k]);
      else await runOne(seed, todo);
    }
  }

/** All scores in the output file for one seed column value, by "task/sims". */
function scoresFor(seedColumn: string): Map<string, number[]> {
  // First row per (task, sims, observation): concurrent runs may repeat one (with identical values).
  const byObs = new Map<string, Map<number, number>>();
  for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) {
    const [t, s, o, sd, c] = line.split(',');
    if (sd !== seedColumn || !observations.includes(Number(o))) continue;
    const k = `${t}/${s}`;
    if (!byObs.has(k)) byObs.set(k, new Map());
    if (!byObs.get(k)!.has(Number(o))) byObs.get(k)!.set(Number(o), Number(c));
  }
  return new Map([...byObs].map(([k, m]) => [k, [...m.values()]]));
}

const pub = published();
const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a: number[]) => Math.sqrt(a.reduce((x, y) => x + (y - mean(a)) ** 2, 0) / Math.max(1, a.length - 1));
const cell = (r: number[] | undefined) =>
  r?.length ? `${mean(r).toFixed(3)} ± ${sd(r).toFixed(3)}${r.length < observations.length ? ` (${r.length} obs.)` : ''}` : '—';
const setting = `${support === 'rejection' ? 'box prior by rejection (sbibm)' : 'logit transform'}${c2stStopping === 'sbibm' ? ', scikit-learn stopping' : ''}`;
console.log(`Seed ${seeds[0]}, ${setting}; mean ± sd over observations:`);
const amortized = scoresFor(seedColumn(seeds[0]));
const perObs = scoresFor(prefix + `per-obs-${seeds[0]}`);
console.log('| task | simulations | one amortized network | one network per observation | published NPE (sbibm) |');
console.log('|---|---|---|---|---|');
for (const name of tasks) {
  for (const sims of budgets) {
    const key = `${name}/${sims}`;
    const p = pub.get(key);
    console.log(`| ${name} | ${sims} | ${cell(amortized.get(key))} | ${cell(perObs.get(key))} | ${p !== undefined ? p.toFixed(3) : '—'} |`);
  }
}
if (seeds.length > 1) {
  // Seeds differ in simulations, initialization and training order: the spread between seeds
  // is the engine's own run-to-run variability, which the published means (one run per
  // observation) also contain.
  console.log(`\nSeeds ${seeds[0]}–${seeds[seeds.length - 1]}, ${setting}; mean over all (seed, observation) scores ± standard error over seed means:`);
  console.log('| task | simulations | seeds | mean C2ST | published NPE (sbibm) |');
  console.log('|---|---|---|---|---|');
  for (const name of tasks) {
    for (const sims of budgets) {
      const key = `${name}/${sims}`;
      const perSeed = seeds.map((s) => scoresFor(seedColumn(s)).get(key)).filter((r): r is number[] => r !== undefined && r.length > 0);
      const means = perSeed.map(mean);
      const p = pub.get(key);
      const m = means.length ? mean(means) : NaN;
      const se = means.length > 1 ? sd(means) / Math.sqrt(means.length) : NaN;
      const text = means.length === 0 ? '—' : means.length === 1 ? m.toFixed(3) : `${m.toFixed(3)} ± ${se.toFixed(3)}`;
      console.log(`| ${name} | ${sims} | ${means.length} | ${text} | ${p !== undefined ? p.toFixed(3) : '—'} |`);
    }
  }
}
