/**
 * Scores the posterior samples a study saved (`"sequential": {"saveSamples": true}`) with the
 * published classifier, a random-forest C2ST (scripts/c2st-sklearn.py --classifier rf, sbi's
 * `c2st(..., classifier="rf")`), beside the study's own MLP C2ST (units.csv), and compares the means
 * with the published OU numbers of the sequential methods (../shared/benchmarks).
 *
 *   node --import tsx scripts/sequential-rf.ts TASK_DIR [--jobs N] [--published FILE] [--methods LIST] [--figure PATH.svg [--title TEXT]]
 *
 * TASK_DIR is a task's folder of the study (`DIR` for HH, `DIR/ou` for OU). Writes
 * `TASK_DIR/c2st-rf.csv` (one row per saved run: method, n_lf, n_hf, seed, obs, c2st_mlp, c2st_rf),
 * atomically, and prints a table per method and HF budget: the mean over runs, the 95 % CI over seeds
 * (of each seed's mean over its observations) and the published mean ± sd. The random forest is
 * seeded by the observation index, so a rerun gives the same file; runs already in c2st-rf.csv keep
 * their score and are not scored again.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeFileAtomic } from '../src/data/atomic.js';
import { isSequential, SEQUENTIAL_LABELS } from '../src/experiment/sequential-unit.js';
import { meanConfidenceInterval } from '../src/metrics/stats.js';
import { type MetricPoint, metricVsBudgetSpec } from '../src/plots/metric-vs-budget.js';
import { saveFigure } from '../src/plots/render.js';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dir = args[0];
if (!dir || dir.startsWith('--'))
  throw new Error('usage: sequential-rf.ts TASK_DIR [--jobs N] [--published FILE] [--methods LIST] [--figure PATH.svg [--title TEXT]]');
const jobs = Number(opt('--jobs', '2'));
const publishedFile = opt('--published', join(import.meta.dirname, '..', '..', 'shared', 'benchmarks', 'mfnpe-ou-sequential-results.csv'));
const samples = join(dir, 'samples');
/** `--methods a,b`: score and show only these methods (e.g. the complete ones of a study still running). */
const methods = opt('--methods', '')
  .split(',')
  .filter((m) => m !== '');
const script = join(import.meta.dirname, 'c2st-sklearn.py');

interface Run {
  method: string;
  n_lf: number;
  n_hf: number;
  seed: number;
  obs: number;
  file: string;
}

const runs: Run[] = readdirSync(samples)
  .map((file) => {
    const m = /^(.+)-lf(\d+)-hf(\d+)-seed(\d+)-obs(\d+)\.csv$/.exec(file);
    return m ? { method: m[1], n_lf: +m[2], n_hf: +m[3], seed: +m[4], obs: +m[5], file } : null;
  })
  .filter((r): r is Run => r !== null && (methods.length === 0 || methods.includes(r.method)))
  .sort((a, b) => a.method.localeCompare(b.method) || a.n_hf - b.n_hf || a.seed - b.seed || a.obs - b.obs);

/**
 * The study's MLP C2ST per run: from units.csv once the study is reported, else from the unit files
 * written so far (`units/*.json`), so a study still running can be scored.
 */
function mlpC2st(): Map<string, number> {
  const out = new Map<string, number>();
  const set = (r: {
    method: string;
    n_lf: number | string;
    n_hf: number | string;
    seed: number | string;
    unit: number | string;
    metric: string;
    value: number | string;
  }) => {
    if (r.metric === 'c2st') out.set(`${r.method}|${r.n_lf}|${r.n_hf}|${r.seed}|${r.unit}`, Number(r.value));
  };
  const csv = join(dir, 'units.csv');
  if (existsSync(csv)) {
    const [header, ...lines] = readFileSync(csv, 'utf8').trim().split('\n');
    const names = header.split(',');
    for (const l of lines) {
      const v = l.split(',');
      set(Object.fromEntries(names.map((n, i) => [n, v[i]])) as Parameters<typeof set>[0]);
    }
    return out;
  }
  const units = join(dir, 'units');
  for (const f of existsSync(units) ? readdirSync(units) : []) {
    const doc = JSON.parse(readFileSync(join(units, f), 'utf8')) as { result?: { units?: Parameters<typeof set>[0][] } };
    for (const r of doc.result?.units ?? []) set(r);
  }
  return out;
}

/**
 * Random-forest scores already in TASK_DIR/c2st-rf.csv, by run: the forest is seeded, so a run scored
 * once keeps its score, and a rerun while a study is still going scores only the new runs.
 */
function previousScores(): Map<string, number> {
  const out = new Map<string, number>();
  const file = join(dir, 'c2st-rf.csv');
  if (!existsSync(file)) return out;
  const [, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  for (const l of lines) {
    const [method, nLf, nHf, seed, obs, , rf] = l.split(',');
    if (Number.isFinite(Number(rf)) && rf !== '') out.set(`${method}|${nLf}|${nHf}|${seed}|${obs}`, Number(rf));
  }
  return out;
}

/**
 * The random-forest C2ST of the runs `todo` (indices into runs) against the reference samples at their
 * observations: one Python process scores the whole block (c2st-sklearn.py --pairs), an accuracy a line.
 */
function rfBlock(todo: number[], scores: number[], onScore: () => void): Promise<void> {
  const list = join(mkdtempSync(join(tmpdir(), 'mfnpe-rf-')), 'pairs.txt');
  const lines = todo.map((i) => `${join(samples, `reference-obs${runs[i].obs}.csv`)} ${join(samples, runs[i].file)} ${runs[i].obs}`);
  writeFileSync(list, `${lines.join('\n')}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/python3', [script, '--pairs', list, '--classifier', 'rf'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let k = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      scores[todo[k++]] = Number(line);
      onScore();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      rmSync(dirname(list), { recursive: true, force: true });
      if (code === 0 && k === todo.length) resolve();
      else reject(new Error(`c2st-sklearn.py --pairs exited with code ${code} after ${k} of ${todo.length} pairs`));
    });
  });
}

const key = (r: Run) => `${r.method}|${r.n_lf}|${r.n_hf}|${r.seed}|${r.obs}`;
const before = previousScores();
const scores = runs.map((r) => before.get(key(r)) ?? Number.NaN);
const todo = runs.map((_, i) => i).filter((i) => Number.isNaN(scores[i]));
let done = 0;
const blocks = Math.max(1, Math.min(jobs, todo.length));
const progress = () => {
  if (++done % 20 === 0 || done === todo.length)
    process.stderr.write(`random-forest C2ST: ${done}/${todo.length} new runs (${runs.length - todo.length} scored before)\n`);
};
await Promise.all(
  Array.from({ length: todo.length > 0 ? blocks : 0 }, (_, b) =>
    rfBlock(todo.slice(Math.floor((b * todo.length) / blocks), Math.floor(((b + 1) * todo.length) / blocks)), scores, progress),
  ),
);

const mlp = mlpC2st();
const rows = runs.map((r, i) => ({ ...r, c2st_mlp: mlp.get(key(r)) ?? Number.NaN, c2st_rf: scores[i] }));
writeFileAtomic(
  join(dir, 'c2st-rf.csv'),
  `method,n_lf,n_hf,seed,obs,c2st_mlp,c2st_rf\n${rows.map((r) => [r.method, r.n_lf, r.n_hf, r.seed, r.obs, r.c2st_mlp, r.c2st_rf].join(',')).join('\n')}\n`,
);

interface Published {
  mean: number;
  sd: number;
  n: number;
}

/**
 * Published mean ± sd per method, LF and HF budget, one entry per result file of the source, the
 * largest sample first (6 seeds × 30 observations, then 5 seeds × 10).
 */
function published(): Map<string, Published[]> {
  const out = new Map<string, Published[]>();
  if (!existsSync(publishedFile)) return out;
  const [, ...lines] = readFileSync(publishedFile, 'utf8').trim().split('\n');
  for (const l of lines) {
    const [method, metric, nLf, nHf, mean, sd, n] = l.split(',');
    if (metric !== 'c2st') continue;
    const k = `${method.replaceAll('_', '-')}|${nLf}|${nHf}`;
    out.set(
      k,
      [...(out.get(k) ?? []), { mean: +mean, sd: +sd, n: +n }].sort((a, b) => b.n - a.n),
    );
  }
  return out;
}

/** Mean over runs and the 95 % CI over seeds of each seed's mean (NaN bounds with one seed). */
function stats(values: { seed: number; v: number }[]): { mean: number; lower: number; upper: number; seeds: number } {
  const bySeed = new Map<number, number[]>();
  for (const { seed, v } of values) bySeed.set(seed, [...(bySeed.get(seed) ?? []), v]);
  const seedMeans = [...bySeed.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  const mean = values.reduce((a, b) => a + b.v, 0) / values.length;
  const ci = seedMeans.length > 1 ? meanConfidenceInterval(seedMeans) : { lower: Number.NaN, upper: Number.NaN };
  return { mean, lower: ci.lower, upper: ci.upper, seeds: seedMeans.length };
}

function cell(values: { seed: number; v: number }[]): string {
  const s = stats(values);
  return s.seeds > 1 ? `${s.mean.toFixed(3)} [${s.lower.toFixed(3)}, ${s.upper.toFixed(3)}]` : s.mean.toFixed(3);
}

const pubText = (p: Published | undefined) => (p ? `${p.mean.toFixed(3)} ± ${p.sd.toFixed(3)} (n = ${p.n})` : '—');
const pub = published();
console.log(
  '| method | LF | HF | runs (seeds × obs) | C2ST, random forest [95 % CI over seeds] | C2ST, MLP | published (random forest), mean ± sd | published, smaller file |',
);
console.log('|---|---:|---:|---:|---|---|---|---|');
const cells = new Map<string, typeof rows>();
for (const r of rows) cells.set(`${r.method}|${r.n_lf}|${r.n_hf}`, [...(cells.get(`${r.method}|${r.n_lf}|${r.n_hf}`) ?? []), r]);
for (const [k, rs] of cells) {
  const [method, nLf, nHf] = k.split('|');
  const seeds = new Set(rs.map((r) => r.seed)).size;
  const p = pub.get(k) ?? [];
  console.log(
    `| ${method} | ${nLf} | ${nHf} | ${rs.length} (${seeds} × ${rs.length / seeds}) | ${cell(rs.map((r) => ({ seed: r.seed, v: r.c2st_rf })))} | ${cell(rs.map((r) => ({ seed: r.seed, v: r.c2st_mlp })))} | ${pubText(p[0])} | ${pubText(p[1])} |`,
  );
}

/**
 * The figure (`--figure PATH.svg`, with a PNG beside it): random-forest C2ST against the HF budget,
 * ours with the 95 % CI over seeds as a band, the published means (largest file) as lines without a
 * band (their sd is over runs, not a CI).
 */
const figure = opt('--figure', '');
if (figure) {
  const label = (m: string) => (isSequential(m) ? SEQUENTIAL_LABELS[m] : m);
  const points: MetricPoint[] = [];
  for (const [k, rs] of cells) {
    const [method, , nHf] = k.split('|');
    const s = stats(rs.map((r) => ({ seed: r.seed, v: r.c2st_rf })));
    points.push({
      method: label(method),
      source: 'mfnpe',
      budget: +nHf,
      value: s.mean,
      lo: s.seeds > 1 ? s.lower : s.mean,
      hi: s.seeds > 1 ? s.upper : s.mean,
    });
    const p = pub.get(k)?.[0];
    if (p) points.push({ method: label(method), source: 'published', budget: +nHf, value: p.mean, lo: p.mean, hi: p.mean });
  }
  const spec = metricVsBudgetSpec(points, {
    title: opt('--title', 'OU, one observation at a time: C2ST (random forest) vs HF budget'),
    yTitle: 'C2ST accuracy (0.5 is ideal)',
    reference: 0.5,
    subtitle: 'solid: mfnpe, band: 95 % CI over seeds; dashed: published mean (6 seeds × 30 observations; TSNPE 5 × 10)',
  });
  await saveFigure(spec, { svg: figure, png: figure.replace(/\.svg$/, '.png') });
  process.stderr.write(`figure: ${figure}\n`);
}
